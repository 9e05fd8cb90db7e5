//! Tamper and negative properties (security-design.md, required test 3, and the crypto parts
//! of 6). Every case must fail with a typed [`VaultError`] and never panic.
//!
//! Case counts (per family, all under plain `cargo test`):
//! - `open_record`: 10,000 bit flips + 4,000 context changes + 2,000 swaps + 3,000 truncations
//!   and extensions + 1,000 unknown versions + 1,000 wrong keys + 3,000 arbitrary inputs = 24,000,
//!   plus one exhaustive pass over every bit of a fixed record.
//! - `unwrap_data_key`: 5,000 bit flips + 4,000 context changes + 1,000 wrong keys/truncations.
//! - `SessionToken::unwrap_data_key`: 4,000 bit flips + 4,000 wrong inputs + 2,000 truncations
//!   and cookie round trips.
//! - `SessionToken::from_cookie_value`: 10,000 arbitrary strings.
//!
//! No Argon2 runs here: KEKs are random keys of the same type the KDF produces.

use proptest::prelude::*;
use proptest::sample::Index;

use crate::envelope::VaultError;
use crate::kdf::{KdfParams, Kek};
use crate::keys::{DataKey, Key32, ServerSecret};
use crate::record::{
    open_record, seal_record, unwrap_data_key, wrap_data_key, RecordContext, SealedParts,
    WrapContext, WrapKind,
};
use crate::session::{SessionToken, COOKIE_VALUE_LEN};

/// The owned fields of a [`RecordContext`], so strategies can produce them.
#[derive(Clone, Debug)]
struct Ctx {
    account_id: String,
    record_type: String,
    record_id: String,
    schema_version: u16,
    key_id: u32,
}

impl Ctx {
    fn get(&self) -> RecordContext<'_> {
        RecordContext {
            account_id: &self.account_id,
            record_type: &self.record_type,
            record_id: &self.record_id,
            schema_version: self.schema_version,
            key_id: self.key_id,
        }
    }
}

const RECORD_TYPES: &[&str] = &[
    "journal_entry",
    "symptom_score",
    "trusted_contact",
    "safety_plan_step",
];

fn ctx_strategy() -> impl Strategy<Value = Ctx> {
    (
        "[a-z0-9-]{1,20}",
        prop::sample::select(RECORD_TYPES),
        "[a-z0-9]{1,12}",
        any::<u16>(),
        any::<u32>(),
    )
        .prop_map(
            |(account_id, record_type, record_id, schema_version, key_id)| Ctx {
                account_id,
                record_type: record_type.to_owned(),
                record_id,
                schema_version,
                key_id,
            },
        )
}

fn plaintext_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..96)
}

fn flip_bit(bytes: &mut [u8], bit: usize) {
    bytes[bit / 8] ^= 1 << (bit % 8);
}

fn same_key_other_id(udk: &DataKey, key_id: u32) -> DataKey {
    DataKey::from_slice(udk.key.bytes(), key_id).expect("32 bytes")
}

/// The error a single flipped bit must produce in an `enc_cek` (keyed layout) or a
/// `ciphertext` (plain layout).
fn expected_flip_error(keyed: bool, bit: usize) -> VaultError {
    let byte = bit / 8;
    if byte == 0 {
        VaultError::UnknownVersion(crate::envelope::VERSION_1 ^ (1 << (bit % 8)))
    } else if keyed && byte < 5 {
        VaultError::WrongKeyId
    } else {
        VaultError::Decrypt
    }
}

#[test]
fn open_record_rejects_every_single_bit_flip_of_a_fixed_record() {
    let udk = DataKey::generate(42);
    let ctx = RecordContext {
        account_id: "acct-1",
        record_type: "journal_entry",
        record_id: "rec-1",
        schema_version: 1,
        key_id: 42,
    };
    let parts = seal_record(&udk, &ctx, b"a fixed record of forty bytes, exactly!!").expect("seal");
    for keyed in [true, false] {
        let len = if keyed {
            parts.enc_cek.len()
        } else {
            parts.ciphertext.len()
        };
        for bit in 0..len * 8 {
            let mut bad = parts.clone();
            flip_bit(
                if keyed {
                    &mut bad.enc_cek
                } else {
                    &mut bad.ciphertext
                },
                bit,
            );
            assert_eq!(
                open_record(&udk, &ctx, &bad).err(),
                Some(expected_flip_error(keyed, bit)),
                "keyed={keyed} bit={bit}"
            );
        }
    }
    assert!(open_record(&udk, &ctx, &parts).is_ok());
}

/// One changed context field.
#[derive(Clone, Debug)]
enum CtxChange {
    AccountId(String),
    RecordType(&'static str),
    RecordId(String),
    SchemaVersion(u16),
    /// A different key id, with the data key and the envelope header both claiming it too:
    /// only the associated data can catch this.
    KeyIdBound(u32),
    /// A different key id in the context only.
    KeyIdMismatch(u32),
}

fn ctx_change_strategy() -> impl Strategy<Value = CtxChange> {
    prop_oneof![
        "[a-z0-9-]{1,20}".prop_map(CtxChange::AccountId),
        prop::sample::select(RECORD_TYPES).prop_map(CtxChange::RecordType),
        "[a-z0-9]{1,12}".prop_map(CtxChange::RecordId),
        any::<u16>().prop_map(CtxChange::SchemaVersion),
        any::<u32>().prop_map(CtxChange::KeyIdBound),
        any::<u32>().prop_map(CtxChange::KeyIdMismatch),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn open_record_rejects_any_single_bit_flip(
        ctx in ctx_strategy(),
        plaintext in plaintext_strategy(),
        keyed in any::<bool>(),
        bit in any::<Index>(),
    ) {
        let ctx = ctx.get();
        let udk = DataKey::generate(ctx.key_id);
        let mut parts = seal_record(&udk, &ctx, &plaintext).expect("seal");
        let target = if keyed { &mut parts.enc_cek } else { &mut parts.ciphertext };
        let bit = bit.index(target.len() * 8);
        flip_bit(target, bit);
        prop_assert_eq!(open_record(&udk, &ctx, &parts).err(), Some(expected_flip_error(keyed, bit)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn open_record_rejects_any_changed_context_field(
        original in ctx_strategy(),
        change in ctx_change_strategy(),
        plaintext in plaintext_strategy(),
    ) {
        let ctx = original.get();
        let udk = DataKey::generate(ctx.key_id);
        let parts = seal_record(&udk, &ctx, &plaintext).expect("seal");

        let mut changed = original.clone();
        match &change {
            CtxChange::AccountId(v) => changed.account_id.clone_from(v),
            CtxChange::RecordType(v) => (*v).clone_into(&mut changed.record_type),
            CtxChange::RecordId(v) => changed.record_id.clone_from(v),
            CtxChange::SchemaVersion(v) => changed.schema_version = *v,
            CtxChange::KeyIdBound(v) | CtxChange::KeyIdMismatch(v) => changed.key_id = *v,
        }
        let changed_ctx = changed.get();
        prop_assume!(changed_ctx != ctx);

        match change {
            CtxChange::KeyIdBound(new_id) => {
                let udk_claiming_new_id = same_key_other_id(&udk, new_id);
                let mut relabelled = parts.clone();
                relabelled.enc_cek[1..5].copy_from_slice(&new_id.to_be_bytes());
                prop_assert_eq!(
                    open_record(&udk_claiming_new_id, &changed_ctx, &relabelled).err(),
                    Some(VaultError::Decrypt)
                );
                // Without relabelling, the envelope's own key id refuses first.
                prop_assert_eq!(
                    open_record(&udk_claiming_new_id, &changed_ctx, &parts).err(),
                    Some(VaultError::WrongKeyId)
                );
            }
            CtxChange::KeyIdMismatch(_) => {
                prop_assert_eq!(open_record(&udk, &changed_ctx, &parts).err(), Some(VaultError::WrongKeyId));
            }
            _ => {
                prop_assert_eq!(open_record(&udk, &changed_ctx, &parts).err(), Some(VaultError::Decrypt));
            }
        }
        prop_assert!(open_record(&udk, &ctx, &parts).is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn open_record_rejects_swaps_between_records_and_accounts(
        a in ctx_strategy(),
        other_record_id in "[a-z0-9]{1,12}",
        other_account in "[a-z0-9-]{1,20}",
        plaintext_a in plaintext_strategy(),
        plaintext_b in plaintext_strategy(),
    ) {
        prop_assume!(other_record_id != a.record_id && other_account != a.account_id);
        let ctx_a = a.get();
        let udk = DataKey::generate(ctx_a.key_id);

        // Two records of one account, under one data key.
        let ctx_b = RecordContext { record_id: &other_record_id, ..ctx_a };
        let rec_a = seal_record(&udk, &ctx_a, &plaintext_a).expect("seal");
        let rec_b = seal_record(&udk, &ctx_b, &plaintext_b).expect("seal");
        let cek_a_ct_b = SealedParts { enc_cek: rec_a.enc_cek.clone(), ciphertext: rec_b.ciphertext.clone() };
        let cek_b_ct_a = SealedParts { enc_cek: rec_b.enc_cek.clone(), ciphertext: rec_a.ciphertext.clone() };
        prop_assert_eq!(open_record(&udk, &ctx_a, &cek_a_ct_b).err(), Some(VaultError::Decrypt));
        prop_assert_eq!(open_record(&udk, &ctx_a, &cek_b_ct_a).err(), Some(VaultError::Decrypt));
        prop_assert_eq!(open_record(&udk, &ctx_a, &rec_b).err(), Some(VaultError::Decrypt));
        prop_assert_eq!(open_record(&udk, &ctx_b, &rec_a).err(), Some(VaultError::Decrypt));

        // Two accounts with the same key id, record type and record id.
        let udk_other = DataKey::generate(ctx_a.key_id);
        let ctx_other = RecordContext { account_id: &other_account, ..ctx_a };
        let rec_other = seal_record(&udk_other, &ctx_other, &plaintext_b).expect("seal");
        prop_assert_eq!(open_record(&udk, &ctx_a, &rec_other).err(), Some(VaultError::Decrypt));
        prop_assert_eq!(open_record(&udk, &ctx_other, &rec_other).err(), Some(VaultError::Decrypt));
        prop_assert_eq!(open_record(&udk_other, &ctx_a, &rec_other).err(), Some(VaultError::Decrypt));
        let mixed = SealedParts { enc_cek: rec_other.enc_cek.clone(), ciphertext: rec_a.ciphertext.clone() };
        prop_assert_eq!(open_record(&udk_other, &ctx_other, &mixed).err(), Some(VaultError::Decrypt));

        let own_a = open_record(&udk, &ctx_a, &rec_a).expect("own record");
        prop_assert_eq!(own_a.as_slice(), plaintext_a.as_slice());
        let own_other = open_record(&udk_other, &ctx_other, &rec_other).expect("own record");
        prop_assert_eq!(own_other.as_slice(), plaintext_b.as_slice());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn open_record_rejects_truncation_and_extension(
        ctx in ctx_strategy(),
        plaintext in plaintext_strategy(),
        keyed in any::<bool>(),
        cut in any::<Index>(),
        extra in prop::collection::vec(any::<u8>(), 1..32),
    ) {
        let ctx = ctx.get();
        let udk = DataKey::generate(ctx.key_id);
        let parts = seal_record(&udk, &ctx, &plaintext).expect("seal");

        let mut truncated = parts.clone();
        let target = if keyed { &mut truncated.enc_cek } else { &mut truncated.ciphertext };
        let new_len = cut.index(target.len());
        target.truncate(new_len);
        let err = open_record(&udk, &ctx, &truncated).err();
        prop_assert!(matches!(err, Some(VaultError::Malformed | VaultError::Decrypt)), "len {} gave {:?}", new_len, err);

        let mut extended = parts;
        let target = if keyed { &mut extended.enc_cek } else { &mut extended.ciphertext };
        target.extend_from_slice(&extra);
        prop_assert_eq!(open_record(&udk, &ctx, &extended).err(), Some(VaultError::Decrypt));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn open_record_rejects_unknown_versions(
        ctx in ctx_strategy(),
        plaintext in plaintext_strategy(),
        keyed in any::<bool>(),
        version in any::<u8>().prop_filter("not v1", |v| *v != crate::envelope::VERSION_1),
    ) {
        let ctx = ctx.get();
        let udk = DataKey::generate(ctx.key_id);
        let mut parts = seal_record(&udk, &ctx, &plaintext).expect("seal");
        if keyed { parts.enc_cek[0] = version } else { parts.ciphertext[0] = version }
        prop_assert_eq!(open_record(&udk, &ctx, &parts).err(), Some(VaultError::UnknownVersion(version)));
    }

    #[test]
    fn open_record_rejects_a_wrong_data_key(ctx in ctx_strategy(), plaintext in plaintext_strategy()) {
        let ctx = ctx.get();
        let udk = DataKey::generate(ctx.key_id);
        let parts = seal_record(&udk, &ctx, &plaintext).expect("seal");
        let other = DataKey::generate(ctx.key_id);
        prop_assert_eq!(open_record(&other, &ctx, &parts).err(), Some(VaultError::Decrypt));
        // Sealing under a data key whose id differs from the context is refused outright.
        let mismatched = DataKey::generate(ctx.key_id.wrapping_add(1));
        prop_assert_eq!(seal_record(&mismatched, &ctx, &plaintext).err(), Some(VaultError::WrongKeyId));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// Arbitrary bytes, with and without a plausible header, never panic and never open.
    #[test]
    fn open_record_never_panics_on_arbitrary_input(
        ctx in ctx_strategy(),
        enc_cek in prop::collection::vec(any::<u8>(), 0..100),
        ciphertext in prop::collection::vec(any::<u8>(), 0..100),
        plausible_header in any::<bool>(),
    ) {
        let ctx = ctx.get();
        let udk = DataKey::generate(ctx.key_id);
        let mut parts = SealedParts { enc_cek, ciphertext };
        if plausible_header {
            if parts.enc_cek.len() >= 5 {
                parts.enc_cek[0] = crate::envelope::VERSION_1;
                parts.enc_cek[1..5].copy_from_slice(&ctx.key_id.to_be_bytes());
            }
            if let Some(first) = parts.ciphertext.first_mut() {
                *first = crate::envelope::VERSION_1;
            }
        }
        prop_assert!(open_record(&udk, &ctx, &parts).is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// unwrap_data_key (passphrase and recovery-code wraps).
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct WCtx {
    account_id: String,
    key_id: u32,
    kdf_params: String,
    pepper_version: u32,
}

impl WCtx {
    fn get(&self) -> WrapContext<'_> {
        WrapContext {
            account_id: &self.account_id,
            key_id: self.key_id,
            kdf_params: &self.kdf_params,
            pepper_version: self.pepper_version,
        }
    }
}

fn wctx_strategy() -> impl Strategy<Value = WCtx> {
    let params = vec![
        KdfParams::FLOOR.encode(),
        KdfParams::HOSTED.encode(),
        KdfParams::LOCAL.encode(),
        String::new(),
    ];
    (
        "[a-z0-9-]{1,20}",
        any::<u32>(),
        prop::sample::select(params),
        any::<u32>(),
    )
        .prop_map(|(account_id, key_id, kdf_params, pepper_version)| WCtx {
            account_id,
            key_id,
            kdf_params,
            pepper_version,
        })
}

fn kind_strategy() -> impl Strategy<Value = WrapKind> {
    prop_oneof![Just(WrapKind::Passphrase), Just(WrapKind::RecoveryCode)]
}

fn random_kek() -> Kek {
    Kek(Key32::random())
}

#[derive(Clone, Debug)]
enum WrapChange {
    AccountId(String),
    KeyId(u32),
    KdfParams(String),
    PepperVersion(u32),
    Kind,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn unwrap_data_key_rejects_any_single_bit_flip(wctx in wctx_strategy(), kind in kind_strategy(), bit in any::<Index>()) {
        let wctx = wctx.get();
        let kek = random_kek();
        let udk = DataKey::generate(wctx.key_id);
        let mut wrapped = wrap_data_key(&kek, &udk, kind, &wctx);
        let bit = bit.index(wrapped.len() * 8);
        flip_bit(&mut wrapped, bit);
        prop_assert_eq!(unwrap_data_key(&kek, &wrapped, kind, &wctx).err(), Some(expected_flip_error(false, bit)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn unwrap_data_key_rejects_any_changed_wrap_context(
        original in wctx_strategy(),
        kind in kind_strategy(),
        change in prop_oneof![
            "[a-z0-9-]{1,20}".prop_map(WrapChange::AccountId),
            any::<u32>().prop_map(WrapChange::KeyId),
            prop::sample::select(vec![
                KdfParams::FLOOR.encode(),
                KdfParams::HOSTED.encode(),
                KdfParams::LOCAL.encode(),
                String::new(),
                "argon2id$v=19$m=65536,t=3,p=2".to_owned(),
            ]).prop_map(WrapChange::KdfParams),
            any::<u32>().prop_map(WrapChange::PepperVersion),
            Just(WrapChange::Kind),
        ],
    ) {
        let kek = random_kek();
        let udk = DataKey::generate(original.key_id);
        let wrapped = wrap_data_key(&kek, &udk, kind, &original.get());

        let mut changed = original.clone();
        let mut changed_kind = kind;
        match change {
            WrapChange::AccountId(v) => changed.account_id = v,
            WrapChange::KeyId(v) => changed.key_id = v,
            WrapChange::KdfParams(v) => changed.kdf_params = v,
            WrapChange::PepperVersion(v) => changed.pepper_version = v,
            WrapChange::Kind => {
                changed_kind = match kind {
                    WrapKind::Passphrase => WrapKind::RecoveryCode,
                    WrapKind::RecoveryCode => WrapKind::Passphrase,
                }
            }
        }
        prop_assume!(
            changed.account_id != original.account_id
                || changed.key_id != original.key_id
                || changed.kdf_params != original.kdf_params
                || changed.pepper_version != original.pepper_version
                || changed_kind != kind
        );
        prop_assert_eq!(unwrap_data_key(&kek, &wrapped, changed_kind, &changed.get()).err(), Some(VaultError::Decrypt));
        let back = unwrap_data_key(&kek, &wrapped, kind, &original.get()).expect("original context opens");
        prop_assert_eq!(back.key.bytes(), udk.key.bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn unwrap_data_key_rejects_wrong_kek_truncation_and_garbage(
        wctx in wctx_strategy(),
        kind in kind_strategy(),
        cut in any::<Index>(),
        garbage in prop::collection::vec(any::<u8>(), 0..120),
    ) {
        let wctx = wctx.get();
        let kek = random_kek();
        let udk = DataKey::generate(wctx.key_id);
        let wrapped = wrap_data_key(&kek, &udk, kind, &wctx);
        prop_assert_eq!(unwrap_data_key(&random_kek(), &wrapped, kind, &wctx).err(), Some(VaultError::Decrypt));
        let short = &wrapped[..cut.index(wrapped.len())];
        prop_assert!(unwrap_data_key(&kek, short, kind, &wctx).is_err());
        prop_assert!(unwrap_data_key(&kek, &garbage, kind, &wctx).is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// Session wraps and cookies.
// ---------------------------------------------------------------------------------------------

fn random_secret() -> ServerSecret {
    ServerSecret {
        key: Key32::random(),
    }
}

#[derive(Clone, Debug)]
enum SessionChange {
    Secret,
    AbsExpiresAt(i64),
    Account(String),
    KeyId(u32),
    OtherToken,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn session_unwrap_rejects_any_single_bit_flip(
        account in "[a-z0-9-]{1,20}",
        key_id in any::<u32>(),
        abs in any::<i64>(),
        bit in any::<Index>(),
    ) {
        let token = SessionToken::generate();
        let secret = random_secret();
        let udk = DataKey::generate(key_id);
        let mut wrapped = token.wrap_data_key(&secret, &udk, &account, abs);
        let bit = bit.index(wrapped.len() * 8);
        flip_bit(&mut wrapped, bit);
        prop_assert_eq!(
            token.unwrap_data_key(&secret, &wrapped, &account, key_id, abs).err(),
            Some(expected_flip_error(false, bit))
        );
    }

    #[test]
    fn session_unwrap_rejects_wrong_secret_expiry_account_key_id_or_token(
        account in "[a-z0-9-]{1,20}",
        key_id in any::<u32>(),
        abs in any::<i64>(),
        change in prop_oneof![
            Just(SessionChange::Secret),
            // Expiry is bound to the second: ±1 must fail as surely as anything else.
            prop_oneof![Just(1i64), Just(-1i64), any::<i64>()].prop_map(SessionChange::AbsExpiresAt),
            "[a-z0-9-]{1,20}".prop_map(SessionChange::Account),
            any::<u32>().prop_map(SessionChange::KeyId),
            Just(SessionChange::OtherToken),
        ],
    ) {
        let token = SessionToken::generate();
        let secret = random_secret();
        let udk = DataKey::generate(key_id);
        let wrapped = token.wrap_data_key(&secret, &udk, &account, abs);
        let result = match change {
            SessionChange::Secret => token.unwrap_data_key(&random_secret(), &wrapped, &account, key_id, abs),
            SessionChange::AbsExpiresAt(delta) => {
                prop_assume!(delta != 0);
                token.unwrap_data_key(&secret, &wrapped, &account, key_id, abs.wrapping_add(delta))
            }
            SessionChange::Account(other) => {
                prop_assume!(other != account);
                token.unwrap_data_key(&secret, &wrapped, &other, key_id, abs)
            }
            SessionChange::KeyId(other) => {
                prop_assume!(other != key_id);
                token.unwrap_data_key(&secret, &wrapped, &account, other, abs)
            }
            SessionChange::OtherToken => SessionToken::generate().unwrap_data_key(&secret, &wrapped, &account, key_id, abs),
        };
        prop_assert_eq!(result.err(), Some(VaultError::Decrypt));
        let back = token.unwrap_data_key(&secret, &wrapped, &account, key_id, abs).expect("the right inputs open");
        prop_assert_eq!(back.key.bytes(), udk.key.bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn session_unwrap_rejects_truncation_and_survives_the_cookie_round_trip(
        account in "[a-z0-9-]{1,20}",
        key_id in any::<u32>(),
        abs in any::<i64>(),
        cut in any::<Index>(),
    ) {
        let token = SessionToken::generate();
        let secret = random_secret();
        let udk = DataKey::generate(key_id);
        let wrapped = token.wrap_data_key(&secret, &udk, &account, abs);
        let short = &wrapped[..cut.index(wrapped.len())];
        prop_assert!(token.unwrap_data_key(&secret, short, &account, key_id, abs).is_err());

        let cookie = token.to_cookie_value();
        prop_assert_eq!(cookie.len(), COOKIE_VALUE_LEN);
        let parsed = SessionToken::from_cookie_value(&cookie).expect("own cookie parses");
        prop_assert_eq!(parsed.sid_hash(), token.sid_hash());
        prop_assert_eq!(parsed.csrf_token(&secret), token.csrf_token(&secret));
        let back = parsed.unwrap_data_key(&secret, &wrapped, &account, key_id, abs).expect("parsed token opens");
        prop_assert_eq!(back.key.bytes(), udk.key.bytes());
    }
}

fn cookie_like_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        // Anything at all.
        any::<String>(),
        // The right alphabet and length: most decode; a last symbol with stray bits must not.
        "[A-Za-z0-9_-]{86}",
        // Near misses in length, padding, the standard alphabet, and multi-byte characters
        // that make the byte length 86 with fewer characters.
        "[A-Za-z0-9_+/=.é-]{80,90}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn from_cookie_value_never_panics_and_only_accepts_canonical_cookies(value in cookie_like_strategy()) {
        if let Some(token) = SessionToken::from_cookie_value(&value) {
            // Only one spelling of each token is accepted.
            let canonical = token.to_cookie_value();
            prop_assert_eq!(canonical.as_str(), value.as_str());
        }
    }
}

#[test]
fn cookie_value_refuses_non_canonical_and_wrong_length_spellings() {
    let token = SessionToken::generate();
    let cookie = token.to_cookie_value();
    let good: &str = cookie.as_str();
    assert!(SessionToken::from_cookie_value(good).is_some());
    assert!(SessionToken::from_cookie_value("").is_none());
    assert!(SessionToken::from_cookie_value(&good[..85]).is_none());
    assert!(SessionToken::from_cookie_value(&format!("{good}A")).is_none());
    assert!(SessionToken::from_cookie_value(&format!("{good}==")).is_none());
    // The last symbol carries 2 bits of data and 4 zero bits; any other symbol with the same
    // data bits is a second spelling of the same token and must be refused.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (value, &symbol) in alphabet.iter().enumerate() {
        let candidate = format!("{}{}", &good[..85], symbol as char);
        let accepted = SessionToken::from_cookie_value(&candidate).is_some();
        assert_eq!(
            accepted,
            value & 0b00_1111 == 0,
            "last symbol {}",
            symbol as char
        );
    }
    // Standard-alphabet and padded spellings are refused too.
    let standard = good.replace('-', "+").replace('_', "/");
    if standard != good {
        assert!(SessionToken::from_cookie_value(&standard).is_none());
    }
}

#[test]
fn sessions_are_fresh_and_secrets_matter() {
    let a = SessionToken::generate();
    let b = SessionToken::generate();
    assert_ne!(a.sid_hash(), b.sid_hash(), "a new sid every login");
    assert_ne!(a.to_cookie_value().as_str(), b.to_cookie_value().as_str());
    let secret = random_secret();
    assert_ne!(
        a.csrf_token(&secret),
        b.csrf_token(&secret),
        "CSRF tokens are per session"
    );
    assert_ne!(
        a.csrf_token(&secret),
        a.csrf_token(&random_secret()),
        "CSRF tokens depend on the secret"
    );
    assert_eq!(a.csrf_token(&secret), a.csrf_token(&secret));
    let cookie = a.to_cookie_value();
    assert!(cookie.len() < 4096);
    assert!(cookie
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
}
