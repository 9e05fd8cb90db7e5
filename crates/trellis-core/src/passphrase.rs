//! The rules for a new passphrase: long enough, not a common password, honest feedback.
//! No composition rules (ASVS 6.2.1, 6.2.4, 6.2.12); the blocklist is offline.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The fewest characters a passphrase may have.
pub const MIN_CHARS: usize = 12;
/// The most bytes we accept (far above any real passphrase; keeps Argon2 input bounded).
pub const MAX_BYTES: usize = 1024;

/// Why a new passphrase was not accepted. Each reads as a calm sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PassphraseProblem {
    /// Nothing typed.
    #[error("Please type a passphrase.")]
    Empty,
    /// Under 12 characters.
    #[error("Please use at least 12 characters. A few ordinary words in a row works well.")]
    TooShort,
    /// Over the byte limit.
    #[error(
        "That passphrase is longer than we can accept. Please use fewer than 1,000 characters."
    )]
    TooLong,
    /// The two copies differ.
    #[error("The two passphrases are not the same. Please type them again.")]
    Mismatch,
    /// On the common-password list, or trivially guessable.
    #[error(
        "That passphrase is one many people use, so it is easy to guess. Please choose another."
    )]
    Common,
}

/// How strong a passphrase looks, in words for the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    /// Acceptable but could be longer.
    Fair,
    /// Good.
    Good,
    /// Very good.
    Strong,
}

impl Strength {
    /// A short, kind description.
    pub fn words(self) -> &'static str {
        match self {
            Self::Fair => "Fair. Adding another word or two would make it stronger.",
            Self::Good => "Good.",
            Self::Strong => "Strong.",
        }
    }
}

fn blocklist() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../../content/common-passphrases.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Checks a new passphrase and its confirmation. Returns a strength estimate when accepted.
pub fn check_new(passphrase: &str, confirm: &str) -> Result<Strength, PassphraseProblem> {
    if passphrase.is_empty() {
        return Err(PassphraseProblem::Empty);
    }
    if passphrase.len() > MAX_BYTES {
        return Err(PassphraseProblem::TooLong);
    }
    if passphrase.chars().count() < MIN_CHARS {
        return Err(PassphraseProblem::TooShort);
    }
    if passphrase != confirm {
        return Err(PassphraseProblem::Mismatch);
    }
    let lowered = passphrase.to_lowercase();
    if blocklist().contains(lowered.as_str()) {
        return Err(PassphraseProblem::Common);
    }
    let score = zxcvbn::zxcvbn(passphrase, &[]).score();
    match u8::from(score) {
        0 | 1 => Err(PassphraseProblem::Common),
        2 => Ok(Strength::Fair),
        3 => Ok(Strength::Good),
        _ => Ok(Strength::Strong),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(check_new("", ""), Err(PassphraseProblem::Empty));
        assert_eq!(
            check_new("short words", "short words"),
            Err(PassphraseProblem::TooShort)
        );
        assert_eq!(
            check_new("river stone candle", "river stone candles"),
            Err(PassphraseProblem::Mismatch)
        );
        assert_eq!(
            check_new("password1234", "password1234"),
            Err(PassphraseProblem::Common)
        );
        assert_eq!(
            check_new("aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa"),
            Err(PassphraseProblem::Common)
        );
        let long = "x".repeat(MAX_BYTES + 1);
        assert_eq!(check_new(&long, &long), Err(PassphraseProblem::TooLong));
        assert!(check_new(
            "quiet river under amber lamps",
            "quiet river under amber lamps"
        )
        .is_ok());
        // Composition rules do not exist: lowercase words alone are fine.
        assert!(check_new(
            "marble teapot orchard sunday",
            "marble teapot orchard sunday"
        )
        .is_ok());
    }

    #[test]
    fn blocklist_is_case_insensitive() {
        assert_eq!(
            check_new("Password1234", "Password1234"),
            Err(PassphraseProblem::Common)
        );
    }
}
