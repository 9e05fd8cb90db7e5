//! Session tokens: the cookie carries `sid ‖ sk`; the database holds only `SHA256(sid)` and the
//! data key wrapped under `K_sess = HKDF(sk, session_secret, "trellis/v1/session" ‖ SHA256(sid))`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::aad::pae;
use crate::envelope::{open_plain, seal_plain, VaultError};
use crate::kdf::hkdf32;
use crate::keys::{hmac32, DataKey, ServerSecret};

/// The length of the cookie value: base64url of 64 bytes, unpadded.
pub const COOKIE_VALUE_LEN: usize = 86;

/// The secret half of a session, held only by the browser.
pub struct SessionToken {
    sid: [u8; 32],
    sk: Zeroizing<[u8; 32]>,
}

impl SessionToken {
    /// A new random session id and secret.
    pub fn generate() -> Self {
        let mut sid = [0u8; 32];
        OsRng.fill_bytes(&mut sid);
        let mut sk = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(sk.as_mut());
        Self { sid, sk }
    }

    /// The cookie value.
    pub fn to_cookie_value(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new([0u8; 64]);
        raw[..32].copy_from_slice(&self.sid);
        raw[32..].copy_from_slice(self.sk.as_ref());
        Zeroizing::new(URL_SAFE_NO_PAD.encode(raw.as_ref()))
    }

    /// Parses a cookie value; anything but exactly 86 base64url characters is refused.
    pub fn from_cookie_value(value: &str) -> Option<Self> {
        if value.len() != COOKIE_VALUE_LEN {
            return None;
        }
        let raw = Zeroizing::new(URL_SAFE_NO_PAD.decode(value).ok()?);
        if raw.len() != 64 {
            return None;
        }
        let mut sid = [0u8; 32];
        sid.copy_from_slice(&raw[..32]);
        let mut sk = Zeroizing::new([0u8; 32]);
        sk.copy_from_slice(&raw[32..]);
        Some(Self { sid, sk })
    }

    /// `SHA256(sid)`: the only form of the id the database sees.
    pub fn sid_hash(&self) -> [u8; 32] {
        Sha256::digest(self.sid).into()
    }

    fn session_key(&self, secret: &ServerSecret) -> crate::keys::Key32 {
        hkdf32(
            self.sk.as_ref(),
            secret.key.bytes(),
            &[b"trellis/v1/session", &self.sid_hash()],
        )
    }

    fn wrap_aad(&self, account_id: &str, key_id: u32, abs_expires_at: i64) -> Vec<u8> {
        pae(&[
            b"trellis/v1/session-wrap",
            &self.sid_hash(),
            account_id.as_bytes(),
            &key_id.to_be_bytes(),
            &abs_expires_at.to_be_bytes(),
        ])
    }

    /// Wraps the data key for this session's database row.
    pub fn wrap_data_key(
        &self,
        secret: &ServerSecret,
        udk: &DataKey,
        account_id: &str,
        abs_expires_at: i64,
    ) -> Vec<u8> {
        let k = self.session_key(secret);
        seal_plain(
            k.bytes(),
            udk.key.bytes(),
            &self.wrap_aad(account_id, udk.key_id(), abs_expires_at),
        )
    }

    /// Unwraps the data key from this session's row.
    pub fn unwrap_data_key(
        &self,
        secret: &ServerSecret,
        wrapped: &[u8],
        account_id: &str,
        key_id: u32,
        abs_expires_at: i64,
    ) -> Result<DataKey, VaultError> {
        let k = self.session_key(secret);
        let bytes = open_plain(
            k.bytes(),
            wrapped,
            &self.wrap_aad(account_id, key_id, abs_expires_at),
        )?;
        DataKey::from_slice(&bytes, key_id).ok_or(VaultError::Malformed)
    }

    /// The synchronizer token for forms: `HMAC(K_csrf(sk), "csrf" ‖ sid_hash)`.
    pub fn csrf_token(&self, secret: &ServerSecret) -> String {
        let k = hkdf32(
            self.sk.as_ref(),
            secret.key.bytes(),
            &[b"trellis/v1/csrf", &self.sid_hash()],
        );
        URL_SAFE_NO_PAD.encode(hmac32(k.bytes(), &[b"csrf", &self.sid_hash()]))
    }
}

/// A pre-session token for the forms shown while locked (set-up and unlock), bound to a random
/// value in a separate cookie: `HMAC(secret, "anon-csrf" ‖ nonce)`.
pub fn anonymous_csrf_token(secret: &ServerSecret, nonce: &str) -> String {
    URL_SAFE_NO_PAD.encode(hmac32(
        secret.key.bytes(),
        &[b"trellis/v1/anon-csrf", nonce.as_bytes()],
    ))
}

/// A fresh random nonce for the pre-session cookie.
pub fn new_anonymous_nonce() -> String {
    let mut n = [0u8; 32];
    OsRng.fill_bytes(&mut n);
    URL_SAFE_NO_PAD.encode(n)
}

/// Compares a presented token with the expected one in constant time.
pub fn tokens_match(expected: &str, presented: &str) -> bool {
    expected.len() == presented.len() && bool::from(expected.as_bytes().ct_eq(presented.as_bytes()))
}
