//! Golden format fixtures (security-design.md, required test 2; Atuin's pattern).
//!
//! Every constant below is v1 output, produced once and frozen here. The fixtures were also
//! cross-checked outside Rust (Python: `cryptography`'s Argon2id and ChaCha20-Poly1305 with a
//! hand-written HChaCha20) when they were made.
//!
//! **Changing any of these bytes requires a version bump plus a migration test**: stored
//! accounts, records and sessions contain exactly these layouts, and a build that cannot open
//! them has lost people's data.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::{unhex, unhex_array};
use crate::aad::pae;
use crate::envelope::{keyed_envelope_key_id, VaultError};
use crate::kdf::{derive_passphrase_keys, derive_recovery_kek, KdfParams};
use crate::keys::{Pepper, ServerSecret};
use crate::record::{
    open_record, unwrap_data_key, RecordContext, RecoveryCode, SealedParts, WrapContext, WrapKind,
};
use crate::session::{anonymous_csrf_token, SessionToken};

// Inputs (fixed, not secret).
const PASSPHRASE: &[u8] = b"golden passphrase: correct horse battery staple";
const SALT: &str = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";
const PEPPER: &str = "505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f";
const PEPPER_VERSION: u32 = 1;
const UDK: &str = "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f";
const KEY_ID: u32 = 7;
const ACCOUNT: &str = "acct-golden-0001";
const RECOVERY_CODE: &str = "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ";
const PLAINTEXT: &str = "Golden v1 entry: today I planted tomatoes. ✿\n";
const SERVER_SECRET: &str = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf";
/// base64url(0x00..=0x3f): sid = 0x00..=0x1f, sk = 0x20..=0x3f.
const COOKIE: &str =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw";
const ABS_EXPIRES_AT: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn record_ctx() -> RecordContext<'static> {
    RecordContext {
        account_id: ACCOUNT,
        record_type: "journal_entry",
        record_id: "rec-0001",
        schema_version: 3,
        key_id: KEY_ID,
    }
}

fn pepper() -> Pepper {
    Pepper::from_bytes(&unhex(PEPPER), PEPPER_VERSION).expect("32-byte pepper")
}

fn server_secret() -> ServerSecret {
    ServerSecret::from_bytes(&unhex(SERVER_SECRET)).expect("32-byte secret")
}

// Frozen v1 outputs. DO NOT EDIT without a version bump plus a migration test.
const FROZEN_AAD_CONTENT: &str = "
    0600000000000000
    1200000000000000 7472656c6c69732f76312f636f6e74656e74
    1000000000000000 616363742d676f6c64656e2d30303031
    0d00000000000000 6a6f75726e616c5f656e747279
    0800000000000000 7265632d30303031
    0200000000000000 0003
    0400000000000000 00000007";
const FROZEN_AAD_CEK: &str = "
    0600000000000000
    0e00000000000000 7472656c6c69732f76312f63656b
    1000000000000000 616363742d676f6c64656e2d30303031
    0d00000000000000 6a6f75726e616c5f656e747279
    0800000000000000 7265632d30303031
    0200000000000000 0003
    0400000000000000 00000007";
const FROZEN_VERIFIER: &str = "f52193d828e1c9920a06896dc268bf057c1e5992c86ecdd0a4a0436c0346133d";
const FROZEN_WRAPPED_UDK_PW: &str = "
    01
    2232774f919fe576c10a4e2b8ef6ed1212dc9d4a486f8332
    66e744ef2994e000aecbb9e7990f7465c877821394821edca1467c9018441aa1
    0287e2e55341d4bafe73070eb611f9e9";
const FROZEN_WRAPPED_UDK_RC: &str = "
    01
    d8c6e2a70594a369989e6b261141aa8c333698c60823ed92
    3f5bfd28af90606da4db1417b7e0aa86749ddfbf40027848fb493d28b86ae1ad
    aa3e42b8655e3c9b0f88875c35e2d4a0";
const FROZEN_ENC_CEK: &str = "
    01 00000007
    cf581ee1dde6e33359cfd00cf6910717c5e051b4744b9c52
    cac0145250324178917a0b9632a2da80d2421b0729e1585623aac25889873dde
    38fdd489b1cc1a9f2ef139f854e9d806";
const FROZEN_CIPHERTEXT: &str = "
    01
    2da8059cb7d0517efdb4a6cbea5bdee879f7d6e5abf373ae
    accd5cabee3c7a76883546a5b2dc79a19d60e41de8d8663491350dc71152ae20
    bbcbc48124ea14d80a803664c6a28d4b95cf496b6ea805
    2da05a227150f17a";
const FROZEN_SID_HASH: &str = "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd";
const FROZEN_SESSION_WRAP: &str = "
    01
    47d274d977c999763206fcaa87378f165c48f48c786ad0fb
    4d00f0373fbef317d228f0c1758bc4f9deb35e34a25566ad022c8ecc4eec4516
    d66312c750c4ed8e89baf78918f09a74";
const FROZEN_CSRF: &str = "eYRpj_MVWLcQWQnMayEa5E4bE6d5PKIvM-xs5ScayEA";
const FROZEN_ANON_CSRF: &str = "immgfusocd0mqqAaJNJ19Wz9NT0CeEFEBGAyPRSSdG4";
const FROZEN_PEPPER_FINGERPRINT: &str =
    "df45822a38d2a934795e37c71851ca11f5d8a99ccf8b02a8fad17adca3b9c4ad";
const FROZEN_SECRET_FINGERPRINT: &str =
    "64f28c3505390897a4f1291b2058b26d0c49af4d24a31ea8002933541f02ac4e";
const FROZEN_KEYED_ID: &str = "362d64d6bfb6a9210549c18e8b604b47";
const FROZEN_KEYED_HASH: &str = "738902f561b7b415cfeb804cb553646d022bcaff34b8cc2d48aa00f31556f329";

fn frozen_parts() -> SealedParts {
    SealedParts {
        enc_cek: unhex(FROZEN_ENC_CEK),
        ciphertext: unhex(FROZEN_CIPHERTEXT),
    }
}

#[test]
fn pae_encoding_is_frozen() {
    // PASETO's PAE examples (our encoder is the same for lengths below 2^63).
    assert_eq!(pae(&[]), unhex("0000000000000000"));
    assert_eq!(pae(&[b""]), unhex("0100000000000000 0000000000000000"));
    assert_eq!(
        pae(&[b"test"]),
        unhex("0100000000000000 0400000000000000 74657374")
    );
    assert_eq!(
        pae(&[b"test", b""]),
        unhex("0200000000000000 0400000000000000 74657374 0000000000000000")
    );
}

#[test]
fn record_aad_is_frozen() {
    let ctx = record_ctx();
    assert_eq!(
        hex::encode(ctx.aad("trellis/v1/content")),
        hex::encode(unhex(FROZEN_AAD_CONTENT))
    );
    assert_eq!(
        hex::encode(ctx.aad("trellis/v1/cek")),
        hex::encode(unhex(FROZEN_AAD_CEK))
    );
}

#[test]
fn v1_passphrase_fixture_decrypts() {
    let salt = unhex(SALT);
    let keys = derive_passphrase_keys(PASSPHRASE, &salt, KdfParams::FLOOR, &pepper())
        .expect("FLOOR is valid");
    assert_eq!(hex::encode(keys.auth.verifier()), FROZEN_VERIFIER);
    assert!(keys.auth.matches(&unhex(FROZEN_VERIFIER)));

    let kdf_params = KdfParams::FLOOR.encode();
    assert_eq!(kdf_params, "argon2id$v=19$m=19456,t=2,p=1");
    let wrap_ctx = WrapContext {
        account_id: ACCOUNT,
        key_id: KEY_ID,
        kdf_params: &kdf_params,
        pepper_version: PEPPER_VERSION,
    };
    let wrapped = unhex(FROZEN_WRAPPED_UDK_PW);
    assert_eq!(wrapped.len(), 1 + 24 + 32 + 16);
    let udk = unwrap_data_key(&keys.kek, &wrapped, WrapKind::Passphrase, &wrap_ctx)
        .expect("frozen wrap opens");
    assert_eq!(udk.key_id(), KEY_ID);
    assert_eq!(udk.key.bytes(), &unhex_array::<32>(UDK));

    let parts = frozen_parts();
    assert_eq!(parts.enc_cek.len(), 1 + 4 + 24 + 32 + 16);
    assert_eq!(keyed_envelope_key_id(&parts.enc_cek), Ok(KEY_ID));
    assert_eq!(parts.ciphertext.len(), 1 + 24 + PLAINTEXT.len() + 16);
    let opened = open_record(&udk, &record_ctx(), &parts).expect("frozen record opens");
    assert_eq!(opened.as_slice(), PLAINTEXT.as_bytes());
}

#[test]
fn v1_fixture_without_the_pepper_gives_no_oracle() {
    // A database thief with the right passphrase but no pepper learns nothing: the verifier
    // does not match and the wrap does not open.
    let wrong_pepper = Pepper::from_bytes(&[0u8; 32], PEPPER_VERSION).expect("32 bytes");
    let keys = derive_passphrase_keys(PASSPHRASE, &unhex(SALT), KdfParams::FLOOR, &wrong_pepper)
        .expect("valid");
    assert!(!keys.auth.matches(&unhex(FROZEN_VERIFIER)));
    let kdf_params = KdfParams::FLOOR.encode();
    let wrap_ctx = WrapContext {
        account_id: ACCOUNT,
        key_id: KEY_ID,
        kdf_params: &kdf_params,
        pepper_version: PEPPER_VERSION,
    };
    let opened = unwrap_data_key(
        &keys.kek,
        &unhex(FROZEN_WRAPPED_UDK_PW),
        WrapKind::Passphrase,
        &wrap_ctx,
    );
    assert_eq!(opened.err(), Some(VaultError::Decrypt));
}

#[test]
fn v1_recovery_code_fixture_decrypts() {
    // Typed the way a person might: lower case, spaces instead of dashes.
    let typed = RECOVERY_CODE.to_lowercase().replace('-', " ");
    let code = RecoveryCode::parse(&typed).expect("the code parses");
    assert_eq!(code.display().as_str(), RECOVERY_CODE);
    let kek = derive_recovery_kek(&code, &pepper());
    let wrap_ctx = WrapContext {
        account_id: ACCOUNT,
        key_id: KEY_ID,
        kdf_params: "",
        pepper_version: PEPPER_VERSION,
    };
    let udk = unwrap_data_key(
        &kek,
        &unhex(FROZEN_WRAPPED_UDK_RC),
        WrapKind::RecoveryCode,
        &wrap_ctx,
    )
    .expect("frozen recovery wrap opens");
    assert_eq!(udk.key.bytes(), &unhex_array::<32>(UDK));
    let opened = open_record(&udk, &record_ctx(), &frozen_parts()).expect("frozen record opens");
    assert_eq!(opened.as_slice(), PLAINTEXT.as_bytes());
    // The two wrap kinds are domain-separated.
    let as_pw = unwrap_data_key(
        &kek,
        &unhex(FROZEN_WRAPPED_UDK_RC),
        WrapKind::Passphrase,
        &wrap_ctx,
    );
    assert_eq!(as_pw.err(), Some(VaultError::Decrypt));
}

#[test]
fn v1_session_fixture_decrypts() {
    assert_eq!(
        URL_SAFE_NO_PAD.encode((0u8..64).collect::<Vec<u8>>()),
        COOKIE
    );
    let token = SessionToken::from_cookie_value(COOKIE).expect("the frozen cookie parses");
    assert_eq!(token.to_cookie_value().as_str(), COOKIE);
    assert_eq!(hex::encode(token.sid_hash()), FROZEN_SID_HASH);
    let secret = server_secret();
    let udk = token
        .unwrap_data_key(
            &secret,
            &unhex(FROZEN_SESSION_WRAP),
            ACCOUNT,
            KEY_ID,
            ABS_EXPIRES_AT,
        )
        .expect("frozen session wrap opens");
    assert_eq!(udk.key_id(), KEY_ID);
    assert_eq!(udk.key.bytes(), &unhex_array::<32>(UDK));
    let opened = open_record(&udk, &record_ctx(), &frozen_parts()).expect("frozen record opens");
    assert_eq!(opened.as_slice(), PLAINTEXT.as_bytes());
    // Ids made from words under the data key stay the same from version to version, differ
    // by domain and by words, and say nothing without the key.
    assert_eq!(
        hex::encode(udk.keyed_id("hobby", b"dancing")),
        FROZEN_KEYED_ID
    );
    assert_ne!(
        udk.keyed_id("hobby", b"dancing"),
        udk.keyed_id("hobby", b"painting")
    );
    assert_ne!(
        udk.keyed_id("hobby", b"dancing"),
        udk.keyed_id("other", b"dancing")
    );
}

#[test]
fn v1_tokens_and_fingerprints_are_frozen() {
    let token = SessionToken::from_cookie_value(COOKIE).expect("the frozen cookie parses");
    let secret = server_secret();
    assert_eq!(token.csrf_token(&secret), FROZEN_CSRF);
    assert_eq!(
        anonymous_csrf_token(&secret, "golden-anonymous-nonce"),
        FROZEN_ANON_CSRF
    );
    assert_eq!(
        hex::encode(pepper().fingerprint()),
        FROZEN_PEPPER_FINGERPRINT
    );
    assert_eq!(hex::encode(secret.fingerprint()), FROZEN_SECRET_FINGERPRINT);
    assert_eq!(
        hex::encode(secret.keyed_hash("trellis/v1/addr", b"203.0.113.0")),
        FROZEN_KEYED_HASH
    );
}
