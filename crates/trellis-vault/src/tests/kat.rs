//! Known-answer tests (security-design.md, required test 1). Every vector is typed in from its
//! standard and must match byte for byte; nothing is downloaded at test time.

use hkdf::Hkdf;
use sha2::Sha256;

use super::{unhex, unhex_array};
use crate::envelope::{open_keyed, open_plain, seal_with_nonce, VaultError, VERSION_1};
use crate::kdf::{argon2id_raw, hkdf32};
use crate::keys::hmac32;

// ---------------------------------------------------------------------------------------------
// XChaCha20-Poly1305: draft-irtf-cfrg-xchacha-03, Appendix A.3.1 (AEAD_XChaCha20_Poly1305).
// ---------------------------------------------------------------------------------------------

const XC_KEY: &str = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
const XC_NONCE: &str = "404142434445464748494a4b4c4d4e4f5051525354555657";
const XC_AAD: &str = "50515253c0c1c2c3c4c5c6c7";
const XC_PLAINTEXT: &[u8] = b"Ladies and Gentlemen of the class of '99: \
If I could offer you only one tip for the future, sunscreen would be it.";
const XC_CIPHERTEXT: &str = "
    bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb
    731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452
    2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
    21f9664c97637da9768812f615c68b13b52e";
const XC_TAG: &str = "c0875924c1c7987947deafd8780acf49";

#[test]
fn xchacha20poly1305_draft_a_3_1_plain_layout() {
    let key: [u8; 32] = unhex_array(XC_KEY);
    let nonce: [u8; 24] = unhex_array(XC_NONCE);
    let aad = unhex(XC_AAD);
    assert_eq!(XC_PLAINTEXT.len(), 114);
    let mut expected_body = unhex(XC_CIPHERTEXT);
    expected_body.extend_from_slice(&unhex(XC_TAG));

    let sealed = seal_with_nonce(&key, None, &nonce, XC_PLAINTEXT, &aad);
    assert_eq!(sealed[0], VERSION_1);
    assert_eq!(&sealed[1..25], &nonce);
    assert_eq!(
        hex::encode(&sealed[25..]),
        hex::encode(&expected_body),
        "ciphertext ‖ tag"
    );
    assert_eq!(sealed.len(), 1 + 24 + 114 + 16);

    let opened = open_plain(&key, &sealed, &aad).expect("the vector opens");
    assert_eq!(opened.as_slice(), XC_PLAINTEXT);
}

#[test]
fn xchacha20poly1305_draft_a_3_1_keyed_layout() {
    let key: [u8; 32] = unhex_array(XC_KEY);
    let nonce: [u8; 24] = unhex_array(XC_NONCE);
    let aad = unhex(XC_AAD);
    let mut expected_body = unhex(XC_CIPHERTEXT);
    expected_body.extend_from_slice(&unhex(XC_TAG));

    let sealed = seal_with_nonce(&key, Some(0x0102_0304), &nonce, XC_PLAINTEXT, &aad);
    assert_eq!(
        &sealed[..5],
        &[VERSION_1, 0x01, 0x02, 0x03, 0x04],
        "version ‖ key_id (big-endian)"
    );
    assert_eq!(&sealed[5..29], &nonce);
    assert_eq!(&sealed[29..], expected_body.as_slice());

    let opened = open_keyed(&key, 0x0102_0304, &sealed, &aad).expect("the vector opens");
    assert_eq!(opened.as_slice(), XC_PLAINTEXT);
    assert_eq!(
        open_keyed(&key, 0x0102_0305, &sealed, &aad),
        Err(VaultError::WrongKeyId)
    );
}

// ---------------------------------------------------------------------------------------------
// A handful of Wycheproof `xchacha20_poly1305_test.json` cases (testvectors_v1), typed in.
// ---------------------------------------------------------------------------------------------

struct Aead {
    tc_id: u32,
    key: &'static str,
    iv: &'static str,
    aad: &'static str,
    msg: &'static str,
    ct: &'static str,
    tag: &'static str,
}

const WP_KEY_2021: &str = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
const WP_IV_0017: &str = "000102030405060708090a0b0c0d0e0f1011121314151617";
const WP_MSG_16: &str = "000102030405060708090a0b0c0d0e0f";
const WP_CT_16: &str = "b70886f2313d015e1fe741365f5e35f1";

/// Wycheproof "valid" cases: sealing gives exactly ct ‖ tag and opening gives msg.
/// tcId 0 marks the unmodified tags that the ModifiedTag cases 146–179 name as "expected tag".
const WYCHEPROOF_VALID: &[Aead] = &[
    Aead {
        tc_id: 2,
        key: "ab1562faea9f47af3ae1c3d6d030e3af230255dff3df583ced6fbbcbf9d606a9",
        iv: "6a5e0c4617e07091b605a4de2c02dde117de2ebd53b23497",
        aad: "",
        msg: "",
        ct: "",
        tag: "e2697ea6877aba39d9555a00e14db041",
    },
    Aead {
        tc_id: 3,
        key: "d821dce9b890ea37ae1c89e7cb6aeae9371b8179add0d08f5494718322ae0071",
        iv: "3ec3f7c45e687d75a895bf5e71809e7cdac32158bb48ec0d",
        aad: "8780fb400f94c55d",
        msg: "",
        ct: "",
        tag: "966c22d655b9e56326024f028cf887ad",
    },
    Aead {
        tc_id: 4,
        key: "303ccb2e1567c3d9f629a5c632dbc62a9a82c525674f67988b31bd1dee990538",
        iv: "05188738844ab90a8b11beef38eaec3e100d8f4f85ae7a41",
        aad: "",
        msg: "62",
        ct: "45",
        tag: "d15734f984d749fa3f0550a70c43dddf",
    },
    Aead {
        tc_id: 9,
        key: "b720aea3df85fb3fb00583eddbebc5c545bcdcb7f6f2a94c1087950e16d68278",
        iv: "1436f36466fce5db337a73ec18e269e6e985d91035128183",
        aad: "9d53316bd2aa3e3d",
        msg: "4799c4",
        ct: "d41c02",
        tag: "8faa889d7f189cd9473e19200ef03920",
    },
    Aead {
        tc_id: 13,
        key: "48f1389d9222a80898ca26b5cfef5dc82dfc0af7cf66ea1e01bc5279e7414247",
        iv: "88ccb58d435ea760f19e1fa6172139a071c0c5143959a56c",
        aad: "5cbdd482f3429a27",
        msg: "945a1fd040",
        ct: "fb5daf8c6e",
        tag: "ec1682b61957493c2eb758d7a2b7a179",
    },
    Aead {
        tc_id: 0,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: "",
        ct: "",
        tag: "0518b3e73e52c3be2eaba76807b784e1",
    },
    Aead {
        tc_id: 0,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: WP_MSG_16,
        ct: WP_CT_16,
        tag: "2564a8ce1a360e8352971c8110885031",
    },
];

/// Wycheproof "invalid" (ModifiedTag) cases: opening must fail.
const WYCHEPROOF_INVALID: &[Aead] = &[
    // Empty message, aad 000102; expected tag 0518b3e73e52c3be2eaba76807b784e1.
    Aead {
        tc_id: 146,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: "",
        ct: "",
        tag: "0418b3e73e52c3be2eaba76807b784e1",
    },
    Aead {
        tc_id: 147,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: "",
        ct: "",
        tag: "0718b3e73e52c3be2eaba76807b784e1",
    },
    Aead {
        tc_id: 153,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: "",
        ct: "",
        tag: "0518b3e73e52c33e2eaba76807b784e1",
    },
    Aead {
        tc_id: 162,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: "",
        ct: "",
        tag: "0518b3e73e52c3be2eaba76807b78461",
    },
    Aead {
        tc_id: 163,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: "",
        ct: "",
        tag: "0518b3e73e52c33e2eaba76807b78461",
    },
    Aead {
        tc_id: 164,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: "",
        ct: "",
        tag: "00000000000000000000000000000000",
    },
    Aead {
        tc_id: 165,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: "",
        ct: "",
        tag: "ffffffffffffffffffffffffffffffff",
    },
    // 16-byte message; expected tag 2564a8ce1a360e8352971c8110885031.
    Aead {
        tc_id: 166,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: WP_MSG_16,
        ct: WP_CT_16,
        tag: "2464a8ce1a360e8352971c8110885031",
    },
    Aead {
        tc_id: 173,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: WP_MSG_16,
        ct: WP_CT_16,
        tag: "2564a8ce1a360e0352971c8110885031",
    },
    Aead {
        tc_id: 175,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: WP_MSG_16,
        ct: WP_CT_16,
        tag: "2564a8ce1a360e8352b71c8110885031",
    },
    Aead {
        tc_id: 179,
        key: WP_KEY_2021,
        iv: WP_IV_0017,
        aad: "000102",
        msg: WP_MSG_16,
        ct: WP_CT_16,
        tag: "2564a8ce1a360e8352971c8110885030",
    },
];

fn plain_envelope(iv: &[u8], ct: &[u8], tag: &[u8]) -> Vec<u8> {
    let mut sealed = vec![VERSION_1];
    sealed.extend_from_slice(iv);
    sealed.extend_from_slice(ct);
    sealed.extend_from_slice(tag);
    sealed
}

#[test]
fn wycheproof_xchacha20poly1305_valid_cases() {
    for case in WYCHEPROOF_VALID {
        let key: [u8; 32] = unhex_array(case.key);
        let iv: [u8; 24] = unhex_array(case.iv);
        let (aad, msg, ct, tag) = (
            unhex(case.aad),
            unhex(case.msg),
            unhex(case.ct),
            unhex(case.tag),
        );
        let expected = plain_envelope(&iv, &ct, &tag);
        assert_eq!(
            seal_with_nonce(&key, None, &iv, &msg, &aad),
            expected,
            "tcId {}",
            case.tc_id
        );
        let opened = open_plain(&key, &expected, &aad).expect("a valid Wycheproof case opens");
        assert_eq!(opened.as_slice(), msg.as_slice(), "tcId {}", case.tc_id);
    }
}

#[test]
fn wycheproof_xchacha20poly1305_modified_tags_are_rejected() {
    for case in WYCHEPROOF_INVALID {
        let key: [u8; 32] = unhex_array(case.key);
        let iv: [u8; 24] = unhex_array(case.iv);
        let sealed = plain_envelope(&iv, &unhex(case.ct), &unhex(case.tag));
        assert_eq!(
            open_plain(&key, &sealed, &unhex(case.aad)),
            Err(VaultError::Decrypt),
            "tcId {}",
            case.tc_id
        );
    }
}

// ---------------------------------------------------------------------------------------------
// HKDF-SHA256: RFC 5869, Appendix A, test cases 1–3.
// ---------------------------------------------------------------------------------------------

struct HkdfCase {
    ikm: &'static str,
    salt: &'static str,
    info: &'static str,
    prk: &'static str,
    okm: &'static str,
}

const RFC5869_CASE_1: HkdfCase = HkdfCase {
    ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
    salt: "000102030405060708090a0b0c",
    info: "f0f1f2f3f4f5f6f7f8f9",
    prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
    okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
};

const RFC5869_CASE_2: HkdfCase = HkdfCase {
    ikm: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
          202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
          404142434445464748494a4b4c4d4e4f",
    salt: "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f
           808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f
           a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
    info: "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf
           d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef
           f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
    prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
    okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
          59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
          cc30c58179ec3e87c14c01d5c1f3434f1d87",
};

const RFC5869_CASE_3: HkdfCase = HkdfCase {
    ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
    salt: "",
    info: "",
    prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
    okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
};

#[test]
fn hkdf_sha256_rfc5869_cases_1_to_3() {
    for (n, case) in [
        (1, &RFC5869_CASE_1),
        (2, &RFC5869_CASE_2),
        (3, &RFC5869_CASE_3),
    ] {
        let (ikm, salt, info, okm_expected) = (
            unhex(case.ikm),
            unhex(case.salt),
            unhex(case.info),
            unhex(case.okm),
        );
        // Case 3 has no salt: RFC 5869 treats that as HashLen zero bytes, like an empty salt.
        let salt_opt = (!salt.is_empty()).then_some(salt.as_slice());
        let (prk, hk) = Hkdf::<Sha256>::extract(salt_opt, &ikm);
        assert_eq!(
            hex::encode(prk),
            hex::encode(unhex(case.prk)),
            "case {n} PRK"
        );
        let mut okm = vec![0u8; okm_expected.len()];
        hk.expand(&info, &mut okm).expect("a valid HKDF length");
        assert_eq!(
            hex::encode(&okm),
            hex::encode(&okm_expected),
            "case {n} OKM"
        );
        let (prk_empty_salt, _) = Hkdf::<Sha256>::extract(Some(&salt), &ikm);
        assert_eq!(
            prk_empty_salt, prk,
            "case {n}: Some(empty) and None salts agree"
        );
    }
    assert_eq!(unhex(RFC5869_CASE_2.okm).len(), 82);
}

#[test]
fn crate_hkdf32_matches_rfc5869() {
    let case = &RFC5869_CASE_1;
    let (ikm, salt, info, okm) = (
        unhex(case.ikm),
        unhex(case.salt),
        unhex(case.info),
        unhex(case.okm),
    );
    let key = hkdf32(&ikm, &salt, &[&info]);
    assert_eq!(
        key.bytes().as_slice(),
        &okm[..32],
        "case 1, info as one piece"
    );
    let key = hkdf32(&ikm, &salt, &[&info[..3], &info[3..]]);
    assert_eq!(
        key.bytes().as_slice(),
        &okm[..32],
        "case 1, info in two pieces is concatenated"
    );

    let case = &RFC5869_CASE_3;
    let key = hkdf32(&unhex(case.ikm), &[], &[]);
    assert_eq!(
        key.bytes().as_slice(),
        &unhex(case.okm)[..32],
        "case 3, empty salt and info"
    );
}

// ---------------------------------------------------------------------------------------------
// HMAC-SHA256 (the verifier, fingerprints and CSRF tokens): RFC 4231 test case 2.
// ---------------------------------------------------------------------------------------------

#[test]
fn hmac_sha256_rfc4231_case_2() {
    let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    assert_eq!(
        hex::encode(hmac32(b"Jefe", &[b"what do ya want for nothing?"])),
        expected
    );
    assert_eq!(
        hex::encode(hmac32(b"Jefe", &[b"what do ya want ", b"for nothing?"])),
        expected
    );
}

// ---------------------------------------------------------------------------------------------
// Argon2id: RFC 9106, section 5.3.
// ---------------------------------------------------------------------------------------------

#[test]
fn argon2id_rfc9106_section_5_3() {
    let tag = argon2id_raw(
        &[0x01; 32],
        &[0x02; 16],
        &[0x03; 8],
        &[0x04; 12],
        32,
        3,
        4,
        32,
    );
    assert_eq!(
        hex::encode(tag),
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
    );
}
