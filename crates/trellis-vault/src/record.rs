//! Sealing records, and wrapping the data key under a passphrase or recovery code.

use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::Zeroizing;

use crate::aad::pae;
use crate::envelope::{open_keyed, open_plain, seal_keyed, seal_plain, VaultError};
use crate::kdf::Kek;
use crate::keys::{DataKey, Key32};

/// Everything a sealed record is bound to. Changing any field makes the record unreadable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordContext<'a> {
    /// The owning account.
    pub account_id: &'a str,
    /// The kind of record (its table, in effect).
    pub record_type: &'a str,
    /// The record's own id.
    pub record_id: &'a str,
    /// The schema version of the plaintext.
    pub schema_version: u16,
    /// The data key id that wraps the record's content key.
    pub key_id: u32,
}

impl RecordContext<'_> {
    /// The associated data for `domain` (`trellis/v1/cek` or `trellis/v1/content`).
    pub fn aad(&self, domain: &str) -> Vec<u8> {
        pae(&[
            domain.as_bytes(),
            self.account_id.as_bytes(),
            self.record_type.as_bytes(),
            self.record_id.as_bytes(),
            &self.schema_version.to_be_bytes(),
            &self.key_id.to_be_bytes(),
        ])
    }
}

/// A sealed record as stored: the wrapped content key and the ciphertext.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedParts {
    /// `v1 ‖ key_id ‖ nonce ‖ XChaCha20Poly1305(UDK, CEK)`.
    pub enc_cek: Vec<u8>,
    /// `v1 ‖ nonce ‖ XChaCha20Poly1305(CEK, plaintext)`.
    pub ciphertext: Vec<u8>,
}

/// Seals `plaintext` under a fresh content key, itself wrapped by the data key.
pub fn seal_record(
    udk: &DataKey,
    ctx: &RecordContext<'_>,
    plaintext: &[u8],
) -> Result<SealedParts, VaultError> {
    if ctx.key_id != udk.key_id() {
        return Err(VaultError::WrongKeyId);
    }
    let cek = Key32::random();
    Ok(SealedParts {
        enc_cek: seal_keyed(
            udk.key.bytes(),
            ctx.key_id,
            cek.bytes(),
            &ctx.aad("trellis/v1/cek"),
        ),
        ciphertext: seal_plain(cek.bytes(), plaintext, &ctx.aad("trellis/v1/content")),
    })
}

/// Opens a sealed record; any change to the bytes or the context is refused.
pub fn open_record(
    udk: &DataKey,
    ctx: &RecordContext<'_>,
    parts: &SealedParts,
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    if ctx.key_id != udk.key_id() {
        return Err(VaultError::WrongKeyId);
    }
    let cek_bytes = open_keyed(
        udk.key.bytes(),
        ctx.key_id,
        &parts.enc_cek,
        &ctx.aad("trellis/v1/cek"),
    )?;
    let cek = Key32::from_slice(&cek_bytes).ok_or(VaultError::Malformed)?;
    open_plain(
        cek.bytes(),
        &parts.ciphertext,
        &ctx.aad("trellis/v1/content"),
    )
}

/// What a wrapped data key is bound to.
#[derive(Clone, Copy, Debug)]
pub struct WrapContext<'a> {
    /// The owning account.
    pub account_id: &'a str,
    /// The data key's id.
    pub key_id: u32,
    /// The encoded KDF parameters the KEK came from (empty for a recovery code).
    pub kdf_params: &'a str,
    /// The pepper version the KEK came from.
    pub pepper_version: u32,
}

/// Which secret a wrap is made under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrapKind {
    /// The passphrase.
    Passphrase,
    /// The optional recovery code.
    RecoveryCode,
}

impl WrapContext<'_> {
    fn aad(&self, kind: WrapKind) -> Vec<u8> {
        let domain: &[u8] = match kind {
            WrapKind::Passphrase => b"trellis/v1/wrap-pw",
            WrapKind::RecoveryCode => b"trellis/v1/wrap-rc",
        };
        pae(&[
            domain,
            self.account_id.as_bytes(),
            &self.key_id.to_be_bytes(),
            self.kdf_params.as_bytes(),
            &self.pepper_version.to_be_bytes(),
        ])
    }
}

/// Wraps the data key under a KEK.
pub fn wrap_data_key(kek: &Kek, udk: &DataKey, kind: WrapKind, ctx: &WrapContext<'_>) -> Vec<u8> {
    seal_plain(kek.0.bytes(), udk.key.bytes(), &ctx.aad(kind))
}

/// Unwraps the data key. Call only after the verifier matched (key commitment).
pub fn unwrap_data_key(
    kek: &Kek,
    wrapped: &[u8],
    kind: WrapKind,
    ctx: &WrapContext<'_>,
) -> Result<DataKey, VaultError> {
    let bytes = open_plain(kek.0.bytes(), wrapped, &ctx.aad(kind))?;
    DataKey::from_slice(&bytes, ctx.key_id).ok_or(VaultError::Malformed)
}

/// A recovery code: 160 random bits shown once as 8 groups of 4 characters.
pub struct RecoveryCode(Zeroizing<String>);

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl RecoveryCode {
    /// A new random code.
    pub fn generate() -> Self {
        let mut raw = Zeroizing::new([0u8; 20]);
        OsRng.fill_bytes(raw.as_mut());
        Self::from_raw(&raw)
    }

    /// The code a new account's set-up shows: derived from the account's (random, never
    /// stored in clear) data key and its id, so a repeated submit of the same set-up page
    /// shows the very same code instead of replacing it with another.
    pub fn for_new_account(udk: &DataKey, account_id: &str) -> Self {
        let mac = Zeroizing::new(crate::keys::hmac32(
            udk.key.bytes(),
            &[
                b"trellis/v1/setup-recovery-code",
                b"\0",
                account_id.as_bytes(),
            ],
        ));
        let mut raw = Zeroizing::new([0u8; 20]);
        raw.copy_from_slice(&mac[..20]);
        Self::from_raw(&raw)
    }

    fn from_raw(raw: &[u8; 20]) -> Self {
        let mut s = String::with_capacity(32);
        // 160 bits = 32 symbols of 5 bits.
        let mut acc: u64 = 0;
        let mut bits = 0;
        for &b in raw.iter() {
            acc = (acc << 8) | u64::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                s.push(CROCKFORD[((acc >> bits) & 31) as usize] as char);
            }
        }
        Self(Zeroizing::new(s))
    }
    /// Accepts what a person typed: any case, spaces and dashes ignored, I/L read as 1, O as 0.
    pub fn parse(typed: &str) -> Option<Self> {
        let mut s = String::with_capacity(32);
        for c in typed.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' => continue,
                'I' | 'L' => '1',
                'O' => '0',
                c => c,
            };
            if !CROCKFORD.contains(&(c as u8)) || !c.is_ascii() {
                return None;
            }
            s.push(c);
        }
        (s.len() == 32).then(|| Self(Zeroizing::new(s)))
    }
    pub(crate) fn normalized(&self) -> &str {
        &self.0
    }
    /// The code in groups of four, for showing once.
    pub fn display(&self) -> Zeroizing<String> {
        let groups: Vec<&str> = (0..8).map(|i| &self.0[i * 4..i * 4 + 4]).collect();
        Zeroizing::new(groups.join("-"))
    }
}
