//! Key types. None of them is `Clone`, `Debug` or `Serialize`; all are wiped on drop.

use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

/// 32 secret bytes, wiped on drop.
pub(crate) struct Key32(Zeroizing<[u8; 32]>);

impl Key32 {
    pub(crate) fn random() -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(k.as_mut());
        Self(k)
    }
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(Zeroizing::new(arr)))
    }
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// An account's data key (UDK). Exists in clear only in memory, for one request.
pub struct DataKey {
    pub(crate) key: Key32,
    key_id: u32,
}

impl DataKey {
    /// A fresh random data key with the given key id.
    pub fn generate(key_id: u32) -> Self {
        Self {
            key: Key32::random(),
            key_id,
        }
    }
    pub(crate) fn from_slice(bytes: &[u8], key_id: u32) -> Option<Self> {
        Some(Self {
            key: Key32::from_slice(bytes)?,
            key_id,
        })
    }
    /// The key id this data key was created with.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }
    /// A record id made from `data` under this key for `domain`: the same words give the
    /// same id (so two saves at once of one thing write one record), and without the key the
    /// id says nothing of the words.
    pub fn keyed_id(&self, domain: &str, data: &[u8]) -> [u8; 16] {
        let mac = hmac32(
            self.key.bytes(),
            &[b"trellis/v1/record-id\0", domain.as_bytes(), b"\0", data],
        );
        let mut id = [0u8; 16];
        id.copy_from_slice(&mac[..16]);
        id
    }
}

/// The server pepper: mixed into every passphrase-derived key, kept outside the database.
pub struct Pepper {
    pub(crate) key: Key32,
    version: u32,
}

impl Pepper {
    /// A pepper from 32 bytes of secret material.
    pub fn from_bytes(bytes: &[u8], version: u32) -> Option<Self> {
        Some(Self {
            key: Key32::from_slice(bytes)?,
            version,
        })
    }
    /// The pepper's version, stored with each account so it can be rotated.
    pub fn version(&self) -> u32 {
        self.version
    }
    /// A one-way fingerprint that shows whether the same pepper is in use, revealing nothing of it.
    pub fn fingerprint(&self) -> [u8; 32] {
        hmac32(self.key.bytes(), &[b"trellis/v1/pepper-fingerprint"])
    }
}

/// A server secret (the session secret): wraps session keys and keys CSRF and address hashes.
pub struct ServerSecret {
    pub(crate) key: Key32,
}

impl ServerSecret {
    /// A server secret from 32 bytes of secret material.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Some(Self {
            key: Key32::from_slice(bytes)?,
        })
    }
    /// A one-way fingerprint that shows whether the same secret is in use.
    pub fn fingerprint(&self) -> [u8; 32] {
        hmac32(self.key.bytes(), &[b"trellis/v1/secret-fingerprint"])
    }
    /// A keyed hash of `data` for `domain`, e.g. a network address for rate limiting,
    /// so the database never holds the address itself.
    pub fn keyed_hash(&self, domain: &str, data: &[u8]) -> [u8; 32] {
        hmac32(self.key.bytes(), &[domain.as_bytes(), b"\0", data])
    }
}

/// 32 random bytes from the operating system, for new secrets files.
pub fn random_secret_bytes() -> Zeroizing<[u8; 32]> {
    Key32::random().0
}

pub(crate) fn hmac32(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    #[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("hmac key");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}
