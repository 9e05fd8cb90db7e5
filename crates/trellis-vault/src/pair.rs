//! Two linked accounts (Together): each account's X25519 key pair, the pair key only the two of
//! them can derive, the safety number they compare in person, the tags of the mutual-only
//! reveal, and records sealed for the pair.
//!
//! ```text
//! K = HKDF(X25519(sk_self, pk_other), salt = sorted(pk_a ‖ pk_b), "trellis pair v1")
//! safety number = for each public key in sorted order, 8 words from
//!                 SHA-256("trellis/v1/safety-number" ‖ pk) (16 words, 64 bits per key)
//! match tag     = HMAC(K, "trellis/v1/match" ‖ item ‖ level), first 16 bytes
//! shared record = like a record, with its content key wrapped by K instead of the data key
//! ```
//!
//! The private key is never stored: it is derived from the owner's data key
//! ([`PairSecret::for_account`]); `K` is derived only in memory, while one of the two is
//! unlocked.

use hkdf::Hkdf;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::envelope::{open_plain, seal_plain, VaultError};
use crate::keys::{hmac32, DataKey, Key32};
use crate::record::{RecordContext, SealedParts};

/// 256 short, plain words: eight of them are a code (64 bits) or one key's half of a safety
/// number.
pub const WORDS: [&str; 256] = [
    "acorn", "almond", "amber", "anchor", "apple", "apron", "arch", "aspen", "atlas", "autumn",
    "badge", "bakery", "bamboo", "banjo", "barley", "basil", "basket", "beacon", "bean", "beech",
    "beetle", "bell", "berry", "birch", "bloom", "boat", "bonnet", "border", "bottle", "bough",
    "bowl", "branch", "bread", "breeze", "brick", "bridge", "brook", "broom", "bubble", "bucket",
    "bud", "bugle", "bundle", "butter", "button", "cabin", "cactus", "cake", "camel", "candle",
    "canoe", "canvas", "canyon", "cape", "card", "carpet", "carrot", "cashew", "castle", "cedar",
    "cellar", "chalk", "cherry", "chime", "cider", "circle", "clay", "cliff", "cloud", "clover",
    "coast", "cobble", "cocoa", "comet", "copper", "coral", "cotton", "cove", "cradle", "crane",
    "crayon", "creek", "crown", "cup", "dahlia", "daisy", "dawn", "deer", "desert", "dew", "door",
    "dove", "dream", "drum", "dune", "eagle", "echo", "elm", "ember", "fable", "falcon", "fern",
    "ferry", "field", "fig", "finch", "flame", "flint", "flute", "fog", "forest", "fossil", "fox",
    "garden", "garnet", "gate", "ginger", "glade", "glove", "goose", "grain", "grape", "grove",
    "gull", "harbor", "harp", "hazel", "heath", "hedge", "heron", "hill", "hive", "holly", "honey",
    "island", "ivy", "jasmine", "jelly", "jigsaw", "kettle", "kite", "knot", "ladder", "lake",
    "lantern", "lark", "laurel", "leaf", "lemon", "lilac", "lily", "linen", "lotus", "mango",
    "maple", "marble", "meadow", "melon", "mill", "mint", "mist", "moon", "moss", "muffin", "nest",
    "nutmeg", "oak", "oasis", "ocean", "olive", "onion", "orbit", "orchard", "otter", "owl",
    "paddle", "palm", "pansy", "paper", "parcel", "pearl", "pebble", "pepper", "petal", "piano",
    "pillow", "pine", "plum", "pond", "poppy", "porch", "prairie", "puddle", "pumpkin", "quartz",
    "quilt", "rabbit", "rain", "raven", "reed", "ribbon", "ridge", "river", "robin", "rose",
    "saddle", "sage", "sail", "salmon", "sand", "scarf", "shell", "shore", "silk", "slate", "sled",
    "snow", "sparrow", "spindle", "spring", "spruce", "star", "stone", "straw", "stream", "sugar",
    "summit", "sun", "swan", "tangle", "teapot", "thistle", "thread", "thunder", "tide", "timber",
    "toast", "trumpet", "tulip", "tundra", "tunnel", "twig", "valley", "velvet", "violet", "wagon",
    "walnut", "wave", "whistle", "willow", "window", "winter", "wren", "yarn", "yew", "zephyr",
];

/// An account's private key for Together. Wiped on drop; no `Clone`, `Debug` or `Serialize`.
pub struct PairSecret(StaticSecret);

/// An account's public key for Together (32 bytes, kept in clear beside the account).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairPublic(pub [u8; 32]);

impl PairSecret {
    /// A fresh key pair's private half, from the operating system's randomness.
    pub fn generate() -> Self {
        Self(StaticSecret::random_from_rng(OsRng))
    }

    /// The account's own key, derived from its data key: only someone who has unlocked the
    /// account can compute it, it is never stored, and two unlocks at once (two devices)
    /// derive the same key, so the public half kept beside the account always matches.
    pub fn for_account(udk: &DataKey, account_id: &str) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(b"trellis/v1/pair-secret"), udk.key.bytes());
        let mut bytes = Zeroizing::new([0u8; 32]);
        #[expect(clippy::expect_used, reason = "32 bytes is a valid HKDF-SHA256 length")]
        hk.expand(account_id.as_bytes(), bytes.as_mut_slice())
            .expect("hkdf length");
        Self(StaticSecret::from(*bytes))
    }

    /// From its 32 bytes (as sealed under the data key).
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(StaticSecret::from(bytes)))
    }

    /// Its 32 bytes, to seal under the data key.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public half.
    pub fn public(&self) -> PairPublic {
        PairPublic(PublicKey::from(&self.0).to_bytes())
    }

    /// The pair key shared with the holder of `theirs`. Refused for a public key that would
    /// make the shared secret predictable (a low-order point), or for one's own key.
    pub fn pair_key(&self, theirs: &PairPublic) -> Result<PairKey, VaultError> {
        let mine = self.public();
        if mine == *theirs {
            return Err(VaultError::Malformed);
        }
        let shared = self.0.diffie_hellman(&PublicKey::from(theirs.0));
        if !shared.was_contributory() {
            return Err(VaultError::Malformed);
        }
        let (first, second) = sorted(&mine, theirs);
        let mut salt = [0u8; 64];
        salt[..32].copy_from_slice(&first.0);
        salt[32..].copy_from_slice(&second.0);
        let hk = Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes());
        let mut key = Zeroizing::new([0u8; 32]);
        hk.expand(b"trellis pair v1", key.as_mut_slice())
            .map_err(|_| VaultError::Malformed)?;
        Key32::from_slice(key.as_slice())
            .map(PairKey)
            .ok_or(VaultError::Malformed)
    }
}

fn sorted<'a>(a: &'a PairPublic, b: &'a PairPublic) -> (&'a PairPublic, &'a PairPublic) {
    if a.0 <= b.0 {
        (a, b)
    } else {
        (b, a)
    }
}

/// The key two linked accounts share. Wiped on drop.
pub struct PairKey(Key32);

impl PairKey {
    /// The tag of one positive answer in the yes/no/maybe list: the same for both people when
    /// both gave that answer to that item, and meaningless to anyone without the pair key.
    pub fn match_tag(&self, item: &str, level: u8) -> [u8; 16] {
        let full = hmac32(
            self.0.bytes(),
            &[b"trellis/v1/match", item.as_bytes(), &[0], &[level]],
        );
        let mut tag = [0u8; 16];
        tag.copy_from_slice(&full[..16]);
        tag
    }

    /// Seals `plaintext` for the pair: a fresh content key seals it, and the pair key wraps
    /// the content key. Bound to `ctx` (the owner's account, kind, id…) like any record.
    pub fn seal(&self, ctx: &RecordContext<'_>, plaintext: &[u8]) -> SealedParts {
        let cek = Key32::random();
        SealedParts {
            enc_cek: seal_plain(self.0.bytes(), cek.bytes(), &ctx.aad("trellis/v1/pair-cek")),
            ciphertext: seal_plain(cek.bytes(), plaintext, &ctx.aad("trellis/v1/pair-content")),
        }
    }

    /// Opens what [`PairKey::seal`] sealed for this pair under the same `ctx`.
    pub fn open(
        &self,
        ctx: &RecordContext<'_>,
        parts: &SealedParts,
    ) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let cek_bytes = open_plain(
            self.0.bytes(),
            &parts.enc_cek,
            &ctx.aad("trellis/v1/pair-cek"),
        )?;
        let cek = Key32::from_slice(&cek_bytes).ok_or(VaultError::Malformed)?;
        open_plain(
            cek.bytes(),
            &parts.ciphertext,
            &ctx.aad("trellis/v1/pair-content"),
        )
    }
}

/// How many words a safety number has: eight for each of the two keys.
pub const SAFETY_WORDS: usize = 16;

/// The safety number of two public keys: eight words for each key (so a server that swapped
/// one would have to match 64 bits of a hash of it, not half of a combined one), in the same
/// order whichever side computes it. If a server swapped a key, the two people would see
/// different words.
pub fn safety_number(a: &PairPublic, b: &PairPublic) -> [&'static str; SAFETY_WORDS] {
    let (first, second) = sorted(a, b);
    let mut words = [""; SAFETY_WORDS];
    for (half, key) in words.chunks_mut(SAFETY_WORDS / 2).zip([first, second]) {
        let digest = Sha256::new()
            .chain_update(b"trellis/v1/safety-number")
            .chain_update(key.0)
            .finalize();
        for (w, byte) in half.iter_mut().zip(digest.iter()) {
            *w = WORDS[usize::from(*byte)];
        }
    }
    words
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ctx(id: &'static str) -> RecordContext<'static> {
        RecordContext {
            account_id: "0123456789abcdef0123456789abcdef",
            record_type: "boundary",
            record_id: id,
            schema_version: 1,
            key_id: 1,
        }
    }

    #[test]
    fn both_sides_derive_the_same_pair_key_and_nobody_else_does() {
        let (a, b, eve) = (
            PairSecret::generate(),
            PairSecret::generate(),
            PairSecret::generate(),
        );
        let ab = a.pair_key(&b.public()).unwrap();
        let ba = b.pair_key(&a.public()).unwrap();
        let ae = a.pair_key(&eve.public()).unwrap();
        assert_eq!(ab.match_tag("hug", 2), ba.match_tag("hug", 2));
        assert_ne!(ab.match_tag("hug", 2), ae.match_tag("hug", 2));
        assert_ne!(
            ab.match_tag("hug", 2),
            ab.match_tag("hug", 1),
            "the level counts"
        );
        assert_ne!(
            ab.match_tag("hug", 2),
            ab.match_tag("kiss", 2),
            "the item counts"
        );
        let sealed = ab.seal(&ctx("r1"), b"ask before hugging me");
        assert_eq!(
            ba.open(&ctx("r1"), &sealed).unwrap().as_slice(),
            b"ask before hugging me"
        );
        assert!(
            ae.open(&ctx("r1"), &sealed).is_err(),
            "a third key opens nothing"
        );
        assert!(ba.open(&ctx("r2"), &sealed).is_err(), "bound to its record");
        let mut damaged = sealed.clone();
        let last = damaged.ciphertext.len() - 1;
        damaged.ciphertext[last] ^= 1;
        assert!(ba.open(&ctx("r1"), &damaged).is_err());
    }

    #[test]
    fn a_private_key_survives_its_bytes_and_weak_keys_are_refused() {
        let a = PairSecret::generate();
        let again = PairSecret::from_bytes(a.to_bytes().as_slice()).unwrap();
        assert_eq!(a.public(), again.public());
        assert!(PairSecret::from_bytes(&[1; 31]).is_none());
        // The identity point and its small-order friends give a shared secret of zeros.
        assert!(a.pair_key(&PairPublic([0; 32])).is_err());
        let mut one = [0u8; 32];
        one[0] = 1;
        assert!(a.pair_key(&PairPublic(one)).is_err());
        assert!(a.pair_key(&a.public()).is_err(), "not with oneself");
    }

    #[test]
    fn an_accounts_own_key_is_derived_the_same_way_each_time() {
        let udk = DataKey::generate(1);
        let one = PairSecret::for_account(&udk, "a");
        assert_eq!(one.public(), PairSecret::for_account(&udk, "a").public());
        assert_ne!(one.public(), PairSecret::for_account(&udk, "b").public());
        assert_ne!(
            one.public(),
            PairSecret::for_account(&DataKey::generate(1), "a").public()
        );
    }

    #[test]
    fn the_safety_number_is_the_same_on_both_sides_and_changes_with_either_key() {
        let (a, b, c) = (
            PairSecret::generate().public(),
            PairSecret::generate().public(),
            PairSecret::generate().public(),
        );
        assert_eq!(safety_number(&a, &b), safety_number(&b, &a));
        assert_ne!(safety_number(&a, &b), safety_number(&a, &c));
        assert_ne!(safety_number(&a, &b), safety_number(&c, &b));
        assert!(safety_number(&a, &b).iter().all(|w| WORDS.contains(w)));
        // Each key has its own eight words: a's words are the same beside b as beside c.
        let half_of = |n: [&'static str; SAFETY_WORDS], key: &PairPublic, other: &PairPublic| {
            let start = if key.0 <= other.0 {
                0
            } else {
                SAFETY_WORDS / 2
            };
            n[start..start + SAFETY_WORDS / 2].to_vec()
        };
        assert_eq!(
            half_of(safety_number(&a, &b), &a, &b),
            half_of(safety_number(&a, &c), &a, &c)
        );
    }

    /// Pins the derivations: a change here would split existing pairs (their tags and shared
    /// records) and show people a different safety number.
    #[test]
    fn known_answers() {
        let a = PairSecret::from_bytes(&[1; 32]).unwrap();
        let b = PairSecret::from_bytes(&[2; 32]).unwrap();
        let words = safety_number(&a.public(), &b.public()).join(" ");
        let tag = hex::encode(a.pair_key(&b.public()).unwrap().match_tag("hug", 2));
        assert_eq!(
            words,
            "bough fern drum sparrow sled canvas coral deer winter arch sage hive orbit glove bamboo ridge"
        );
        assert_eq!(tag, "49d1696a2a6f49052cfb1bfb0b842057");
    }

    #[test]
    fn the_words_are_distinct_short_and_plain() {
        let mut sorted = WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 256);
        assert!(WORDS
            .iter()
            .all(|w| (3..=7).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase())));
    }
}
