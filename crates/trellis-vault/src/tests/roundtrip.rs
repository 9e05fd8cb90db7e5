//! Round-trip and rotation properties (security-design.md, required test 4).

use std::collections::HashSet;

use proptest::prelude::*;

use crate::envelope::{open_keyed, open_plain, random_nonce, seal_keyed, seal_plain, VaultError};
use crate::kdf::{derive_passphrase_keys, KdfParams};
use crate::keys::{DataKey, Pepper};
use crate::record::{
    open_record, seal_record, unwrap_data_key, wrap_data_key, RecordContext, SealedParts,
    WrapContext, WrapKind,
};

const MIB: usize = 1 << 20;

/// Cheap deterministic filler (xorshift64*), so a 1 MiB plaintext does not cost a million
/// proptest draws in a debug build.
fn filler(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

fn ctx(record_id: &str, key_id: u32) -> RecordContext<'_> {
    RecordContext {
        account_id: "acct-rt",
        record_type: "journal_entry",
        record_id,
        schema_version: 1,
        key_id,
    }
}

#[test]
fn seal_open_identity_at_0_bytes_and_1_mib() {
    let udk = DataKey::generate(1);
    for len in [0, 1, 15, 16, 17, 63, 64, 65, MIB - 1, MIB] {
        let plaintext = filler(len, len as u64);
        let c = ctx("rec", 1);
        let parts = seal_record(&udk, &c, &plaintext).expect("seal");
        assert_eq!(parts.ciphertext.len(), 1 + 24 + len + 16);
        assert_eq!(
            open_record(&udk, &c, &parts).expect("open").as_slice(),
            plaintext.as_slice(),
            "len {len}"
        );
    }
    let key = [9u8; 32];
    for len in [0, MIB] {
        let plaintext = filler(len, 7);
        let sealed = seal_plain(&key, &plaintext, b"aad");
        assert_eq!(
            open_plain(&key, &sealed, b"aad").expect("open").as_slice(),
            plaintext.as_slice()
        );
        let sealed = seal_keyed(&key, 3, &plaintext, b"aad");
        assert_eq!(
            open_keyed(&key, 3, &sealed, b"aad")
                .expect("open")
                .as_slice(),
            plaintext.as_slice()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10))]

    /// Sizes across the whole 0 B..=1 MiB range (uniform, plus the edges). Kept to 10 cases:
    /// each large case costs ~0.4 s in a debug build; the exact 0 B and 1 MiB cases are above.
    #[test]
    fn seal_open_identity_up_to_1_mib(
        len in prop_oneof![4 => 0..=MIB, 1 => Just(0usize), 1 => (MIB - 64)..=MIB],
        seed in any::<u64>(),
        schema_version in any::<u16>(),
        key_id in any::<u32>(),
    ) {
        let udk = DataKey::generate(key_id);
        let c = RecordContext { schema_version, ..ctx("rec-big", key_id) };
        let plaintext = filler(len, seed);
        let parts = seal_record(&udk, &c, &plaintext).expect("seal");
        let opened = open_record(&udk, &c, &parts).expect("open");
        prop_assert!(opened.as_slice() == plaintext.as_slice());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn seal_open_identity_small(
        plaintext in prop::collection::vec(any::<u8>(), 0..1024),
        account_id in "[a-z0-9-]{1,20}",
        record_id in "[a-z0-9]{1,12}",
        schema_version in any::<u16>(),
        key_id in any::<u32>(),
    ) {
        let udk = DataKey::generate(key_id);
        let c = RecordContext { account_id: &account_id, record_type: "symptom_score", record_id: &record_id, schema_version, key_id };
        let parts = seal_record(&udk, &c, &plaintext).expect("seal");
        let opened = open_record(&udk, &c, &parts).expect("open");
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
        // Sealing twice never repeats bytes (fresh CEK and nonces).
        let again = seal_record(&udk, &c, &plaintext).expect("seal");
        prop_assert_ne!(&again.enc_cek, &parts.enc_cek);
        prop_assert_ne!(&again.ciphertext, &parts.ciphertext);
    }
}

#[test]
fn passphrase_change_rewraps_the_same_data_key() {
    let pepper = Pepper::from_bytes(&[0x42; 32], 1).expect("32 bytes");
    let params = KdfParams::FLOOR;
    let kdf_params = params.encode();
    let wrap_ctx = WrapContext {
        account_id: "acct-pw",
        key_id: 1,
        kdf_params: &kdf_params,
        pepper_version: 1,
    };
    let (old_pw, new_pw): (&[u8], &[u8]) = (
        b"old passphrase the abuser knew",
        b"brand new passphrase, only mine",
    );
    let (old_salt, new_salt) = ([1u8; 16], [2u8; 16]);

    // Set-up under the old passphrase, with a few records.
    let udk = DataKey::generate(1);
    let old_keys = derive_passphrase_keys(old_pw, &old_salt, params, &pepper).expect("derive");
    let old_verifier = old_keys.auth.verifier();
    let old_wrapped = wrap_data_key(&old_keys.kek, &udk, WrapKind::Passphrase, &wrap_ctx);
    let ids: Vec<String> = (0..8).map(|i| format!("rec-{i}")).collect();
    let records: Vec<SealedParts> = ids
        .iter()
        .map(|id| seal_record(&udk, &ctx(id, 1), id.as_bytes()).expect("seal"))
        .collect();

    // The change: unwrap with the old KEK (after the verifier matched), re-wrap under a new
    // KEK from a fresh salt. Records are untouched.
    assert!(old_keys.auth.matches(&old_verifier));
    let udk_again = unwrap_data_key(&old_keys.kek, &old_wrapped, WrapKind::Passphrase, &wrap_ctx)
        .expect("unwrap");
    let new_keys = derive_passphrase_keys(new_pw, &new_salt, params, &pepper).expect("derive");
    let new_verifier = new_keys.auth.verifier();
    let new_wrapped = wrap_data_key(&new_keys.kek, &udk_again, WrapKind::Passphrase, &wrap_ctx);
    drop((udk, udk_again, new_keys));

    // Next unlock with the new passphrase: the verifier matches and every record opens.
    let login = derive_passphrase_keys(new_pw, &new_salt, params, &pepper).expect("derive");
    assert!(login.auth.matches(&new_verifier));
    let udk =
        unwrap_data_key(&login.kek, &new_wrapped, WrapKind::Passphrase, &wrap_ctx).expect("unwrap");
    for (id, parts) in ids.iter().zip(&records) {
        assert_eq!(
            open_record(&udk, &ctx(id, 1), parts)
                .expect("open")
                .as_slice(),
            id.as_bytes()
        );
    }

    // The old passphrase, against the stored (new) salt, verifier and wrap: nothing.
    let stale = derive_passphrase_keys(old_pw, &new_salt, params, &pepper).expect("derive");
    assert!(!stale.auth.matches(&new_verifier));
    let err = unwrap_data_key(&stale.kek, &new_wrapped, WrapKind::Passphrase, &wrap_ctx).err();
    assert_eq!(err, Some(VaultError::Decrypt));
    // Nor does the old KEK (old salt) open the new wrap; and the new verifier is not the old one.
    let err = unwrap_data_key(&old_keys.kek, &new_wrapped, WrapKind::Passphrase, &wrap_ctx).err();
    assert_eq!(err, Some(VaultError::Decrypt));
    assert!(!old_keys.auth.matches(&new_verifier));
    assert_ne!(old_verifier, new_verifier);
}

#[test]
fn data_key_rotation_with_progressive_reencryption_loses_no_record() {
    let old = DataKey::generate(1);
    let ids: Vec<String> = (0..40).map(|i| format!("rec-{i}")).collect();
    let mut stored: Vec<(u32, SealedParts)> = ids
        .iter()
        .map(|id| {
            (
                1,
                seal_record(&old, &ctx(id, 1), id.as_bytes()).expect("seal"),
            )
        })
        .collect();

    let new = DataKey::generate(2);
    let keys = |key_id: u32| if key_id == 1 { &old } else { &new };
    let open_all = |stored: &[(u32, SealedParts)]| {
        for (id, (key_id, parts)) in ids.iter().zip(stored) {
            let opened =
                open_record(keys(*key_id), &ctx(id, *key_id), parts).expect("every record opens");
            assert_eq!(opened.as_slice(), id.as_bytes());
        }
    };

    // Re-encrypt progressively, a batch at a time; all records stay readable throughout.
    for start in (0..stored.len()).step_by(7) {
        for (id, slot) in ids.iter().zip(stored.iter_mut()).skip(start).take(7) {
            let plaintext = open_record(&old, &ctx(id, 1), &slot.1).expect("open");
            *slot = (2, seal_record(&new, &ctx(id, 2), &plaintext).expect("seal"));
        }
        open_all(&stored);
    }
    assert!(stored.iter().all(|(key_id, _)| *key_id == 2));
    // A re-encrypted record is refused under the old key id and under the old key.
    let (_, parts) = &stored[0];
    assert_eq!(
        open_record(&old, &ctx(&ids[0], 1), parts).err(),
        Some(VaultError::WrongKeyId)
    );
    let old_claiming_2 = DataKey::from_slice(old.key.bytes(), 2).expect("32 bytes");
    assert_eq!(
        open_record(&old_claiming_2, &ctx(&ids[0], 2), parts).err(),
        Some(VaultError::Decrypt)
    );
}

/// One million nonces from the generator every seal uses, plus the nonces actually written
/// by `seal_plain` and `seal_keyed`, all distinct. 1,000,000 full `seal_plain` calls take
/// about 36 s in a debug build (XChaCha20-Poly1305 unoptimised), so the million come from
/// `random_nonce` (the same function `seal_plain`/`seal_keyed` call, under 1 s) and a further
/// 30,000 come from real envelopes, checked in the same set.
#[test]
fn one_million_nonces_have_no_duplicate() {
    const FROM_GENERATOR: usize = 1_000_000;
    const FROM_SEAL_PLAIN: usize = 20_000;
    const FROM_SEAL_KEYED: usize = 10_000;
    let mut seen: HashSet<[u8; 24]> =
        HashSet::with_capacity(FROM_GENERATOR + FROM_SEAL_PLAIN + FROM_SEAL_KEYED);
    for _ in 0..FROM_GENERATOR {
        assert!(
            seen.insert(random_nonce()),
            "duplicate nonce from the generator"
        );
    }
    let key = [5u8; 32];
    for _ in 0..FROM_SEAL_PLAIN {
        let sealed = seal_plain(&key, b"", b"");
        let nonce: [u8; 24] = sealed[1..25].try_into().expect("24 bytes");
        assert!(seen.insert(nonce), "duplicate nonce from seal_plain");
    }
    for _ in 0..FROM_SEAL_KEYED {
        let sealed = seal_keyed(&key, 1, b"", b"");
        let nonce: [u8; 24] = sealed[5..29].try_into().expect("24 bytes");
        assert!(seen.insert(nonce), "duplicate nonce from seal_keyed");
    }
    assert_eq!(
        seen.len(),
        FROM_GENERATOR + FROM_SEAL_PLAIN + FROM_SEAL_KEYED
    );
}
