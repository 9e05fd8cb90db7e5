//! KDF parameters, recovery codes, token comparison, and the shape of the key types.

use proptest::prelude::*;

use crate::envelope::VaultError;
use crate::kdf::{
    derive_passphrase_keys, derive_recovery_kek, AuthKey, KdfParams, Kek, PassphraseKeys,
};
use crate::keys::{DataKey, Key32, Pepper, ServerSecret};
use crate::record::{unwrap_data_key, wrap_data_key, RecoveryCode, WrapContext, WrapKind};
use crate::session::{tokens_match, SessionToken};

#[test]
fn kdf_params_floor_is_enforced() {
    for ok in [KdfParams::FLOOR, KdfParams::HOSTED, KdfParams::LOCAL] {
        assert_eq!(ok.validate(), Ok(ok));
    }
    let weak = [
        KdfParams {
            m_kib: 19_455,
            t: 2,
            p: 1,
        },
        KdfParams {
            m_kib: 19_456,
            t: 1,
            p: 1,
        },
        KdfParams {
            m_kib: 19_456,
            t: 0,
            p: 1,
        },
        KdfParams {
            m_kib: 0,
            t: 0,
            p: 0,
        },
        KdfParams {
            m_kib: 65_536,
            t: 3,
            p: 0,
        },
        KdfParams {
            m_kib: 4096,
            t: 3,
            p: 1,
        },
    ];
    for params in weak {
        assert_eq!(
            params.validate(),
            Err(VaultError::WeakKdfParams),
            "{params:?}"
        );
        assert_eq!(
            KdfParams::parse(&params.encode()),
            Err(VaultError::WeakKdfParams),
            "{params:?}"
        );
        // Refused before any Argon2 work is done.
        let pepper = Pepper::from_bytes(&[1; 32], 1).expect("32 bytes");
        assert!(matches!(
            derive_passphrase_keys(b"pw", &[0; 16], params, &pepper),
            Err(VaultError::WeakKdfParams)
        ));
    }
    assert_eq!(KdfParams::FLOOR.encode(), "argon2id$v=19$m=19456,t=2,p=1");
    assert_eq!(KdfParams::HOSTED.encode(), "argon2id$v=19$m=65536,t=3,p=1");
    assert_eq!(KdfParams::LOCAL.encode(), "argon2id$v=19$m=262144,t=3,p=1");
}

#[test]
fn kdf_params_parse_refuses_malformed_strings() {
    for bad in [
        "",
        "argon2id",
        "argon2i$v=19$m=65536,t=3,p=1",
        "argon2d$v=19$m=65536,t=3,p=1",
        "argon2id$v=16$m=65536,t=3,p=1",
        "argon2id$v=19$m=65536,t=3",
        "argon2id$v=19$m=65536,t=3,p=1,x=2",
        "argon2id$v=19$m=65536,t=3,p=",
        "argon2id$v=19$m=65536,t=-3,p=1",
        "argon2id$v=19$m=65536;t=3;p=1",
        "argon2id$v=19$m=99999999999,t=3,p=1",
    ] {
        assert_eq!(
            KdfParams::parse(bad),
            Err(VaultError::WeakKdfParams),
            "{bad:?}"
        );
    }
}

fn reference_validate(m: u32, t: u32, p: u32) -> bool {
    (19_456..=4 * 1024 * 1024).contains(&m) && (2..=64).contains(&t) && (1..=16).contains(&p)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn kdf_params_validate_matches_the_floor(
        m in prop_oneof![any::<u32>(), 0u32..40_000, 4_194_000u32..4_195_000],
        t in prop_oneof![any::<u32>(), 0u32..70],
        p in prop_oneof![any::<u32>(), 0u32..20],
    ) {
        let params = KdfParams { m_kib: m, t, p };
        prop_assert_eq!(params.validate().is_ok(), reference_validate(m, t, p));
        match KdfParams::parse(&params.encode()) {
            Ok(parsed) => {
                prop_assert!(reference_validate(m, t, p));
                prop_assert_eq!(parsed, params);
            }
            Err(e) => {
                prop_assert!(!reference_validate(m, t, p));
                prop_assert_eq!(e, VaultError::WeakKdfParams);
            }
        }
    }

    #[test]
    fn kdf_params_parse_of_encode_is_identity(m in 19_456u32..=4 * 1024 * 1024, t in 2u32..=64, p in 1u32..=16) {
        let params = KdfParams { m_kib: m, t, p };
        prop_assert_eq!(KdfParams::parse(&params.encode()), Ok(params));
    }

    #[test]
    fn kdf_params_parse_never_panics(s in any::<String>()) {
        let _ = KdfParams::parse(&s);
    }
}

#[test]
fn recovery_code_accepts_its_display_form_typed_loosely() {
    let pepper = Pepper::from_bytes(&[3; 32], 1).expect("32 bytes");
    let wrap_ctx = WrapContext {
        account_id: "acct-rc",
        key_id: 1,
        kdf_params: "",
        pepper_version: 1,
    };
    for _ in 0..200 {
        let code = RecoveryCode::generate();
        let shown = code.display();
        assert_eq!(shown.len(), 39, "8 groups of 4 with 7 dashes");
        assert!(shown.split('-').all(|g| g.len() == 4));
        assert!(shown
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()));
        assert!(!shown.contains(['I', 'L', 'O', 'U']));

        let udk = DataKey::generate(1);
        let wrapped = wrap_data_key(
            &derive_recovery_kek(&code, &pepper),
            &udk,
            WrapKind::RecoveryCode,
            &wrap_ctx,
        );
        for typed in [
            shown.to_string(),
            shown.to_lowercase().replace('-', " "),
            shown.replace('-', ""),
            format!("  {}  ", shown.to_lowercase()),
        ] {
            let parsed = RecoveryCode::parse(&typed).expect("a typed form of the code parses");
            assert_eq!(parsed.display().as_str(), shown.as_str());
            let kek = derive_recovery_kek(&parsed, &pepper);
            let back = unwrap_data_key(&kek, &wrapped, WrapKind::RecoveryCode, &wrap_ctx)
                .expect("same KEK");
            assert_eq!(back.key.bytes(), udk.key.bytes());
        }
    }
}

#[test]
fn recovery_code_parse_reads_lookalikes_and_refuses_bad_input() {
    let canonical = "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ";
    let code = RecoveryCode::parse(canonical).expect("canonical parses");
    assert_eq!(code.display().as_str(), canonical);
    let lookalikes =
        RecoveryCode::parse("O1i3 4567 89ab cdef ghjk mnpq rstv wxyz").expect("lookalikes parse");
    assert_eq!(
        lookalikes.display().as_str(),
        "0113-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ"
    );
    let l_as_one =
        RecoveryCode::parse("L123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ").expect("L reads as 1");
    assert_eq!(
        l_as_one.display().as_str(),
        "1123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ"
    );

    let compact = canonical.replace('-', "");
    assert!(RecoveryCode::parse(&compact[..31]).is_none(), "31 symbols");
    assert!(
        RecoveryCode::parse(&format!("{compact}0")).is_none(),
        "33 symbols"
    );
    assert!(RecoveryCode::parse("").is_none());
    assert!(RecoveryCode::parse("---- ----").is_none());
    for bad in ['U', 'u', '*', '_', '.', 'é', 'Ł', '\u{0130}', '０'] {
        let typed = format!("{bad}{}", &compact[1..]);
        assert!(
            RecoveryCode::parse(&typed).is_none(),
            "{bad:?} must be refused"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn recovery_code_parse_never_panics_and_normalises(s in any::<String>()) {
        if let Some(code) = RecoveryCode::parse(&s) {
            let shown = code.display();
            let reparsed = RecoveryCode::parse(&shown).expect("display form parses");
            let reshown = reparsed.display();
            prop_assert_eq!(reshown.as_str(), shown.as_str());
        }
    }
}

#[test]
fn tokens_match_behaves() {
    assert!(tokens_match("abc", "abc"));
    assert!(!tokens_match("abc", "abd"));
    assert!(!tokens_match("abc", "ab"));
    assert!(!tokens_match("ab", "abc"));
    assert!(!tokens_match("abc", ""));
    assert!(!tokens_match("", "abc"));
    assert!(!tokens_match("abc", "ABC"));
    assert!(tokens_match("", ""));
    let secret = ServerSecret::from_bytes(&[8; 32]).expect("32 bytes");
    let token = SessionToken::generate();
    let expected = token.csrf_token(&secret);
    assert!(tokens_match(&expected, &token.csrf_token(&secret)));
    assert!(!tokens_match(
        &expected,
        &SessionToken::generate().csrf_token(&secret)
    ));
    let mut tampered = expected.clone().into_bytes();
    tampered[0] ^= 1;
    assert!(!tokens_match(
        &expected,
        &String::from_utf8(tampered).expect("ascii")
    ));
}

#[test]
fn verifier_matching_is_exact() {
    let auth = AuthKey(Key32::random());
    let verifier = auth.verifier();
    assert!(auth.matches(&verifier));
    assert!(!auth.matches(&verifier[..31]));
    assert!(!auth.matches(&[]));
    let mut longer = verifier.to_vec();
    longer.push(0);
    assert!(!auth.matches(&longer));
    let mut flipped = verifier;
    flipped[31] ^= 0x80;
    assert!(!auth.matches(&flipped));
    assert!(!AuthKey(Key32::random()).matches(&verifier));
}

#[test]
fn secret_constructors_refuse_wrong_lengths() {
    for len in [0, 16, 31, 33, 64] {
        assert!(Pepper::from_bytes(&vec![1; len], 1).is_none(), "{len}");
        assert!(ServerSecret::from_bytes(&vec![1; len]).is_none(), "{len}");
    }
    let pepper = Pepper::from_bytes(&[1; 32], 9).expect("32 bytes");
    assert_eq!(pepper.version(), 9);
    assert_ne!(
        pepper.fingerprint(),
        Pepper::from_bytes(&[2; 32], 9)
            .expect("32 bytes")
            .fingerprint()
    );
    assert_eq!(DataKey::generate(5).key_id(), 5);
    assert_ne!(
        DataKey::generate(5).key.bytes(),
        DataKey::generate(5).key.bytes()
    );
    assert_ne!(*crate::random_secret_bytes(), *crate::random_secret_bytes());
}

/// Fails to compile if `$ty` implements `$tr` (the static_assertions `assert_not_impl_any`
/// technique: the method call below is ambiguous exactly when both blanket impls apply).
macro_rules! assert_not_impl {
    ($ty:ty: $($tr:path),+) => {
        $(
            const _: fn() = || {
                trait AmbiguousIfImpl<A> {
                    fn some_item() {}
                }
                impl<T: ?Sized> AmbiguousIfImpl<()> for T {}
                #[allow(dead_code, reason = "only named as a type parameter")]
                struct Invalid;
                impl<T: ?Sized + $tr> AmbiguousIfImpl<Invalid> for T {}
                let _ = <$ty as AmbiguousIfImpl<_>>::some_item;
            };
        )+
    };
}

// Security design §1 (memory) and required test 10: key types have no `Debug` (so they cannot
// be logged) and no `Clone` (so copies are not scattered through memory).
assert_not_impl!(Key32: std::fmt::Debug, Clone);
assert_not_impl!(DataKey: std::fmt::Debug, Clone);
assert_not_impl!(Kek: std::fmt::Debug, Clone);
assert_not_impl!(AuthKey: std::fmt::Debug, Clone);
assert_not_impl!(PassphraseKeys: std::fmt::Debug, Clone);
assert_not_impl!(Pepper: std::fmt::Debug, Clone);
assert_not_impl!(ServerSecret: std::fmt::Debug, Clone);
assert_not_impl!(SessionToken: std::fmt::Debug, Clone);
assert_not_impl!(RecoveryCode: std::fmt::Debug, Clone);
