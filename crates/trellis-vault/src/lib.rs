//! trellis-vault: every cryptographic rule of Trellis lives here.
//!
//! See `../shared/reference/security-design.md` (mirrored in docs/SECURITY.md) for the design.
//! Key hierarchy:
//!
//! ```text
//! passphrase --Argon2id(salt, params, 64 B)--> S
//! S --HKDF(salt = pepper, "trellis/v1/kek")--> KEK      (wraps the data key)
//! S --HKDF(salt = pepper, "trellis/v1/auth")--> AUTH    (verifier = HMAC(AUTH, "trellis/v1/verifier"))
//! data key (random, 32 B) wraps a random content key per record, which seals the record.
//! ```
//!
//! Key types have no `Clone`, `Debug` or `Serialize` and are wiped on drop.

pub mod aad;
pub mod envelope;
pub mod kdf;
pub mod keys;
pub mod pair;
pub mod record;
pub mod session;

#[cfg(test)]
mod tests;

pub use envelope::VaultError;
pub use kdf::KdfParams;
pub use kdf::{derive_passphrase_keys, derive_recovery_kek, AuthKey, Kek, PassphraseKeys};
pub use keys::{random_secret_bytes, DataKey, Pepper, ServerSecret};
pub use pair::{safety_number, PairKey, PairPublic, PairSecret};
pub use record::{RecordContext, RecoveryCode, SealedParts, WrapContext, WrapKind};
