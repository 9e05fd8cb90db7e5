//! The cryptographic test suite: `security-design.md`, "Required security tests" 1–4, the
//! crypto parts of 6, and 10 (key types have no `Debug` or `Clone`, checked at compile time).
//!
//! - [`kat`]: known-answer vectors typed in from the standards (XChaCha20-Poly1305, a handful of
//!   Wycheproof cases, HKDF-SHA256, Argon2id).
//! - [`golden`]: frozen v1 bytes (AAD encoding, wrapped keys, a sealed record, a session wrap,
//!   CSRF tokens). Changing any of them requires a version bump plus a migration test.
//! - [`tamper`]: proptest negative properties; every case must fail with a typed error, never panic.
//! - [`roundtrip`]: round-trip, passphrase change, data key rotation and nonce uniqueness.
//! - [`params`]: KDF parameter floor and encoding, recovery codes, token comparison, key types.

mod golden;
mod kat;
mod params;
mod roundtrip;
mod tamper;

/// Decodes hex written in the test source; whitespace is ignored so long vectors can wrap.
pub(crate) fn unhex(s: &str) -> Vec<u8> {
    let compact: String = s.split_whitespace().collect();
    hex::decode(compact).expect("valid hex in the test source")
}

/// Decodes hex into a fixed-size array.
pub(crate) fn unhex_array<const N: usize>(s: &str) -> [u8; N] {
    unhex(s)
        .try_into()
        .expect("hex of the right length in the test source")
}
