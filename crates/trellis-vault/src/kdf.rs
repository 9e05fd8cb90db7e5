//! Passphrase key derivation: Argon2id, then HKDF with the server pepper.

use argon2::{Algorithm, Argon2, Params, Version};
use hkdf::Hkdf;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::envelope::VaultError;
use crate::keys::{hmac32, Key32, Pepper};

/// Argon2id cost parameters, stored with each account so they can be upgraded on unlock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// Local single-person install: the device and the secrets file may be seized together.
    pub const LOCAL: Self = Self {
        m_kib: 262_144,
        t: 3,
        p: 1,
    };
    /// Hosted, many people on one server.
    pub const HOSTED: Self = Self {
        m_kib: 65_536,
        t: 3,
        p: 1,
    };
    /// OWASP / ASVS floor: nothing below this is ever accepted.
    pub const FLOOR: Self = Self {
        m_kib: 19_456,
        t: 2,
        p: 1,
    };

    /// Refuses parameters below the floor (or absurdly high ones).
    pub fn validate(self) -> Result<Self, VaultError> {
        let ok = self.m_kib >= Self::FLOOR.m_kib
            && self.t >= Self::FLOOR.t
            && self.p >= 1
            && self.m_kib <= 4 * 1024 * 1024
            && self.t <= 64
            && self.p <= 16;
        if ok {
            Ok(self)
        } else {
            Err(VaultError::WeakKdfParams)
        }
    }

    /// The stored form, e.g. `argon2id$v=19$m=262144,t=3,p=1`. Bound into the wrap's associated data.
    pub fn encode(self) -> String {
        format!("argon2id$v=19$m={},t={},p={}", self.m_kib, self.t, self.p)
    }

    /// Parses [`KdfParams::encode`] output and checks it against the floor.
    pub fn parse(s: &str) -> Result<Self, VaultError> {
        let rest = s
            .strip_prefix("argon2id$v=19$")
            .ok_or(VaultError::WeakKdfParams)?;
        let mut m = None;
        let mut t = None;
        let mut p = None;
        for part in rest.split(',') {
            let (k, v) = part.split_once('=').ok_or(VaultError::WeakKdfParams)?;
            let v: u32 = v.parse().map_err(|_| VaultError::WeakKdfParams)?;
            match k {
                "m" => m = Some(v),
                "t" => t = Some(v),
                "p" => p = Some(v),
                _ => return Err(VaultError::WeakKdfParams),
            }
        }
        let params = Self {
            m_kib: m.ok_or(VaultError::WeakKdfParams)?,
            t: t.ok_or(VaultError::WeakKdfParams)?,
            p: p.ok_or(VaultError::WeakKdfParams)?,
        };
        params.validate()
    }
}

/// Key-encryption key derived from a passphrase or a recovery code. Wraps the data key.
pub struct Kek(pub(crate) Key32);

/// Authentication key derived from the passphrase; only its HMAC verifier is stored.
pub struct AuthKey(pub(crate) Key32);

/// The two keys a passphrase yields.
pub struct PassphraseKeys {
    /// Wraps the data key.
    pub kek: Kek,
    /// Proves the passphrase before any unwrap is tried (a key commitment).
    pub auth: AuthKey,
}

/// Argon2id raw output: 64 bytes, wiped on drop.
fn argon2id(
    passphrase: &[u8],
    salt: &[u8],
    params: KdfParams,
) -> Result<Zeroizing<[u8; 64]>, VaultError> {
    let params = params.validate()?;
    let p = Params::new(params.m_kib, params.t, params.p, Some(64))
        .map_err(|_| VaultError::WeakKdfParams)?;
    let mut out = Zeroizing::new([0u8; 64]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(passphrase, salt, out.as_mut())
        .map_err(|_| VaultError::Kdf)?;
    Ok(out)
}

pub(crate) fn hkdf32(ikm: &[u8], salt: &[u8], info: &[&[u8]]) -> Key32 {
    let hk = Hkdf::<Sha256>::new(Some(salt), ikm);
    let mut okm = Zeroizing::new([0u8; 32]);
    #[expect(
        clippy::expect_used,
        reason = "32 bytes is always a valid HKDF-SHA256 output length"
    )]
    hk.expand_multi_info(info, okm.as_mut())
        .expect("hkdf length");
    #[expect(clippy::expect_used, reason = "the slice is exactly 32 bytes")]
    Key32::from_slice(okm.as_ref()).expect("32 bytes")
}

/// Derives the KEK and AUTH keys from a passphrase. Slow on purpose: run it off the async runtime.
pub fn derive_passphrase_keys(
    passphrase: &[u8],
    salt: &[u8],
    params: KdfParams,
    pepper: &Pepper,
) -> Result<PassphraseKeys, VaultError> {
    let s = argon2id(passphrase, salt, params)?;
    Ok(PassphraseKeys {
        kek: Kek(hkdf32(s.as_ref(), pepper.key.bytes(), &[b"trellis/v1/kek"])),
        auth: AuthKey(hkdf32(
            s.as_ref(),
            pepper.key.bytes(),
            &[b"trellis/v1/auth"],
        )),
    })
}

/// Derives the KEK from a recovery code (already high-entropy, so no Argon2).
pub fn derive_recovery_kek(code: &crate::record::RecoveryCode, pepper: &Pepper) -> Kek {
    Kek(hkdf32(
        code.normalized().as_bytes(),
        pepper.key.bytes(),
        &[b"trellis/v1/kek-rc"],
    ))
}

impl AuthKey {
    /// The stored verifier: `HMAC-SHA256(AUTH, "trellis/v1/verifier")`.
    pub fn verifier(&self) -> [u8; 32] {
        hmac32(self.0.bytes(), &[b"trellis/v1/verifier"])
    }
    /// Compares against a stored verifier in constant time.
    pub fn matches(&self, stored: &[u8]) -> bool {
        bool::from(self.verifier().as_slice().ct_eq(stored))
    }
}

/// A fresh random 16-byte salt.
pub fn new_salt() -> [u8; 16] {
    use rand::RngCore;
    let mut s = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut s);
    s
}

/// Raw Argon2id for the RFC 9106-style known-answer test.
#[cfg(test)]
#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the RFC 9106 test-vector inputs one to one"
)]
pub(crate) fn argon2id_raw(
    password: &[u8],
    salt: &[u8],
    secret: &[u8],
    ad: &[u8],
    m: u32,
    t: u32,
    p: u32,
    out_len: usize,
) -> Vec<u8> {
    let params = argon2::ParamsBuilder::new()
        .m_cost(m)
        .t_cost(t)
        .p_cost(p)
        .output_len(out_len)
        .data(argon2::AssociatedData::new(ad).expect("ad"))
        .build()
        .expect("params");
    let a = Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params)
        .expect("argon2");
    let mut out = vec![0u8; out_len];
    a.hash_password_into(password, salt, &mut out)
        .expect("hash");
    out
}
