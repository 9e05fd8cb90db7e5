//! Help now: help lines by country, from `content/helplines.toml` (compiled in).
//! Public data: shown without unlocking, and cached for offline use.

use serde::Deserialize;
use std::sync::OnceLock;

/// One help line.
#[derive(Clone, Debug, Deserialize)]
pub struct Line {
    /// Service name.
    pub name: String,
    /// Part of the country it serves ("" = all of it).
    #[serde(default)]
    pub region: String,
    /// One sentence: what it is for.
    pub about: String,
    /// Topics such as `sexual-violence`, `crisis`.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Opening hours in words.
    pub hours: String,
    /// Open around the clock.
    pub always_open: bool,
    /// Number to call, as shown.
    #[serde(default)]
    pub call: String,
    /// `tel:` link.
    #[serde(default)]
    pub call_uri: String,
    /// How to text, as shown.
    #[serde(default)]
    pub text: String,
    /// `sms:` link.
    #[serde(default)]
    pub text_uri: String,
    /// Chat address, as shown.
    #[serde(default)]
    pub chat: String,
    /// Chat link.
    #[serde(default)]
    pub chat_url: String,
    /// TTY number.
    #[serde(default)]
    pub tty: String,
    /// Extra facts.
    #[serde(default)]
    pub notes: String,
    /// Where the facts come from.
    pub source: String,
    /// When the facts were last checked.
    pub last_verified: String,
    /// How sure the sources are.
    #[serde(default)]
    pub confidence: String,
    /// Still to be confirmed on the service's own page.
    #[serde(default)]
    pub verify: bool,
}

/// One country's lines.
#[derive(Clone, Debug, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// Name in English.
    pub name: String,
    /// Browser language tags that suggest this country.
    #[serde(default)]
    pub languages: Vec<String>,
    /// The emergency number.
    pub emergency: String,
    /// A note about the emergency number.
    #[serde(default)]
    pub emergency_note: String,
    /// The lines.
    #[serde(default, rename = "line")]
    pub lines: Vec<Line>,
}

/// An international directory of help lines.
#[derive(Clone, Debug, Deserialize)]
pub struct Directory {
    /// Name.
    pub name: String,
    /// Address.
    pub url: String,
    /// What it is.
    pub about: String,
    /// Source of the facts.
    #[serde(default)]
    pub source: String,
    /// When last checked.
    #[serde(default)]
    pub last_verified: String,
}

/// All help-line data.
#[derive(Clone, Debug, Deserialize)]
pub struct HelpLines {
    /// When the file was last compared with the reference sheet.
    pub last_reviewed: String,
    /// Countries, in file order.
    #[serde(rename = "country")]
    pub countries: Vec<Country>,
    /// International directories.
    #[serde(default, rename = "directory")]
    pub directories: Vec<Directory>,
}

impl HelpLines {
    /// The compiled-in data. Parsed once; a broken file is caught by the tests.
    pub fn get() -> &'static HelpLines {
        static DATA: OnceLock<HelpLines> = OnceLock::new();
        DATA.get_or_init(|| {
            #[expect(
                clippy::expect_used,
                reason = "compiled-in content; the unit test proves it parses"
            )]
            toml::from_str(include_str!("../../../content/helplines.toml"))
                .expect("content/helplines.toml parses")
        })
    }

    /// A country by code (case-insensitive).
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }

    /// Guesses a country from an `Accept-Language` header: the first tag (in the browser's
    /// order) that a country lists, then the region subtag (`en-GB` → GB).
    pub fn guess(&self, accept_language: &str) -> Option<&Country> {
        let tags: Vec<String> = accept_language
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty() && t != "*")
            .collect();
        for tag in &tags {
            if let Some(c) = self
                .countries
                .iter()
                .find(|c| c.languages.iter().any(|l| l.eq_ignore_ascii_case(tag)))
            {
                return Some(c);
            }
            if let Some((_, region)) = tag.split_once('-') {
                if let Some(c) = self.country(region) {
                    return Some(c);
                }
            }
        }
        None
    }
}

impl Country {
    /// Lines open around the clock: the fallback always shown first.
    pub fn always_open(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.always_open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_parses_and_every_country_has_a_line_open_all_day_and_night() {
        let data = HelpLines::get();
        for code in ["US", "CA", "GB", "IE", "AU", "NZ"] {
            let c = data
                .country(code)
                .unwrap_or_else(|| panic!("{code} missing"));
            assert!(c.always_open().next().is_some(), "{code} has no 24/7 line");
            assert!(!c.emergency.is_empty());
            for l in &c.lines {
                assert!(
                    !l.source.is_empty() && !l.last_verified.is_empty(),
                    "{} lacks a source or date",
                    l.name
                );
                assert!(l.call_uri.is_empty() || l.call_uri.starts_with("tel:"));
                assert!(l.text_uri.is_empty() || l.text_uri.starts_with("sms:"));
            }
        }
        assert!(!data.directories.is_empty());
    }

    #[test]
    fn guesses_from_browser_language() {
        let data = HelpLines::get();
        assert_eq!(
            data.guess("en-GB,en;q=0.9").map(|c| c.code.as_str()),
            Some("GB")
        );
        assert_eq!(data.guess("fr-CA").map(|c| c.code.as_str()), Some("CA"));
        assert_eq!(data.guess("en-NZ").map(|c| c.code.as_str()), Some("NZ"));
        assert_eq!(data.guess("de-DE").map(|c| c.code.as_str()), None);
        assert_eq!(data.guess("").map(|c| c.code.as_str()), None);
    }
}
