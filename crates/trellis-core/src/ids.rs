//! Typed ids. Random 128-bit values written as 32 lowercase hex characters.

use rand::rngs::OsRng;
use rand::RngCore;
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// A new random id.
            pub fn generate() -> Self {
                let mut b = [0u8; 16];
                OsRng.fill_bytes(&mut b);
                Self(hex::encode(b))
            }
            /// Accepts only the canonical form (32 lowercase hex characters).
            pub fn parse(s: &str) -> Option<Self> {
                (s.len() == 32 && s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')))
                    .then(|| Self(s.to_owned()))
            }
            /// The canonical text form.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), &self.0)
            }
        }
    };
}

id_type!(
    /// An account: one person's private space.
    AccountId
);
id_type!(
    /// A sealed record.
    RecordId
);
