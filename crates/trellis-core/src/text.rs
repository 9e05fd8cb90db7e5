//! Text a person typed, kept within a field's length: one rule for every field (line breaks
//! as `\n`, spaces around trimmed, counted in characters, never bytes).

/// A field's words as kept: at most `MAX` characters after tidying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounded<const MAX: usize>(String);

/// Longer than the field keeps (the area says so in its own words; what was typed stays on
/// the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLong {
    /// How many characters were typed (after tidying).
    pub chars: usize,
}

impl<const MAX: usize> Bounded<MAX> {
    /// The words as typed, tidied; [`TooLong`] when there are more than `MAX` characters.
    pub fn new(typed: &str) -> Result<Self, TooLong> {
        let tidy = typed.replace("\r\n", "\n");
        let tidy = tidy.trim();
        let chars = tidy.chars().count();
        if chars > MAX {
            return Err(TooLong { chars });
        }
        Ok(Self(tidy.to_owned()))
    }

    /// The words.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether nothing but spaces was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The words, to keep.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// A list typed one item per line (own comfort kinds, own list items): each line tidied and
/// at most `MAX` characters ([`TooLong`] otherwise), empty lines, repeats and the names in
/// `ours` left out (without regard to case), at most `count` kept.
pub fn own_lines<const MAX: usize>(
    typed: &str,
    ours: &[&str],
    count: usize,
) -> Result<Vec<String>, TooLong> {
    let mut kept: Vec<String> = Vec::new();
    for line in typed.lines() {
        let line = Bounded::<MAX>::new(line)?;
        let line = line.as_str();
        let same = |k: &str| k.eq_ignore_ascii_case(line);
        if line.is_empty() || ours.iter().any(|k| same(k)) || kept.iter().any(|k| same(k)) {
            continue;
        }
        kept.push(line.to_owned());
    }
    kept.truncate(count);
    Ok(kept)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_is_tidied_and_counted_in_characters() {
        let t = Bounded::<5>::new("  a\r\nb  ").unwrap();
        assert_eq!(t.as_str(), "a\nb");
        assert_eq!(
            Bounded::<3>::new("ééé").unwrap().as_str(),
            "ééé",
            "characters, not bytes"
        );
        assert_eq!(Bounded::<3>::new("éééé"), Err(TooLong { chars: 4 }));
        assert!(Bounded::<3>::new("   ").unwrap().is_empty());
        assert_eq!(Bounded::<0>::new("").unwrap().into_string(), "");
    }
}
