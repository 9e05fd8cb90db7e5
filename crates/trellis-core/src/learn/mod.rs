//! Learn and the therapy guide: short pages in our own words, each with a content note where it
//! mentions hard things, its sources and the day it was last reviewed. They live in
//! `content/learn/` and `content/therapy/` as Markdown after TOML front matter (between lines of
//! `+++`), are compiled into the binary and read once. Every fact in them comes from
//! `../shared/reference/facts.md` with its source; [`problems`] holds the rules every page must
//! meet (sources, review date, length, safe messaging), which the tests apply to all of them.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::clock::Day;

/// Who a page is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The person healing.
    Survivor,
    /// Their partner.
    Partner,
    /// Either.
    Both,
}

/// Where a fact comes from.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Source {
    /// Its name: who, what, when.
    pub name: String,
    /// Where to read it.
    pub url: String,
}

/// One page.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Article {
    /// Its address (`/learn/<slug>`).
    pub slug: String,
    /// Its title.
    pub title: String,
    /// One sentence about it.
    pub summary: String,
    /// Who it is written for.
    pub audience: Audience,
    /// A short, calm note of the hard things it mentions ("" when none).
    #[serde(default)]
    pub content_note: String,
    /// Whether it mentions suicide or self-harm at all (then it must point to Help now).
    #[serde(default)]
    pub mentions_self_harm: bool,
    /// When its facts were last compared with their sources.
    pub last_reviewed: Day,
    /// A therapy's sessions in a sentence (therapy guide pages only).
    #[serde(default)]
    pub session: String,
    /// Its sources.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// The page itself, in Markdown.
    #[serde(skip)]
    pub body: String,
}

impl Article {
    /// Words in the page itself.
    pub fn words(&self) -> usize {
        self.body
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    }

    /// Minutes to read it, at about 200 words a minute (at least one).
    pub fn minutes(&self) -> usize {
        self.words().div_ceil(200).max(1)
    }
}

/// Reads one page: front matter between lines of `+++`, then Markdown.
pub fn parse(text: &str) -> Result<Article, String> {
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("+++\n")
        .ok_or("a page starts with a line of +++")?;
    let end = rest
        .find("\n+++\n")
        .ok_or("the front matter ends with a line of +++")?;
    let mut article: Article = toml::from_str(&rest[..end]).map_err(|e| e.to_string())?;
    article.body = rest[end + 5..].trim().to_owned();
    Ok(article)
}

pub(crate) fn read_all(files: &[(&str, &str)]) -> Vec<Article> {
    files
        .iter()
        .map(|(name, text)| {
            #[expect(
                clippy::panic,
                reason = "compiled-in content; the unit tests prove every file parses"
            )]
            parse(text).unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect()
}

/// Learn's articles, in the order they are offered.
pub fn articles() -> &'static [Article] {
    static ARTICLES: OnceLock<Vec<Article>> = OnceLock::new();
    ARTICLES.get_or_init(|| read_all(LEARN))
}

/// One of Learn's articles.
pub fn article(slug: &str) -> Option<&'static Article> {
    articles().iter().find(|a| a.slug == slug)
}

macro_rules! pages {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../../content/", $dir, "/", $name, ".md")))),*]
    };
}

/// Learn's files, in order.
const LEARN: &[(&str, &str)] = pages!("learn":
    "trust-body-closeness",
    "flashbacks",
    "reactions-are-normal",
    "whose-responsibility",
    "healing-isnt-linear",
    "therapy-options",
    "supporting-a-partner",
    "caring-for-yourself-as-a-partner",
    "trauma-and-substances",
);

/// The therapy guide's files, in order (read by [`crate::therapy::guides`]).
pub(crate) const THERAPY: &[(&str, &str)] = pages!("therapy":
    "trauma-informed-therapy",
    "emdr",
    "cpt",
    "pe",
    "sex-therapy",
    "group-therapy",
    "questions-to-ask",
    "support-groups",
    "recovery-and-trauma",
);

/// Words that only belong near suicide or self-harm: a page using any of them must say so
/// (`mentions_self_harm`) and point to Help now.
const SELF_HARM_WORDS: &[&str] = &[
    "suicid",
    "self-harm",
    "self harm",
    "kill yourself",
    "end your life",
    "hurt yourself",
];

/// Phrases safe-messaging guidance asks never to use (facts.md §8).
const NEVER: &[&str] = &[
    "committed suicide",
    "commit suicide",
    "successful suicide",
    "successful attempt",
    "failed attempt",
    "unsuccessful attempt",
    "suicide epidemic",
];

/// Words for how someone might harm themselves: never in a page (facts.md §8, no method).
const METHODS: &[&str] = &[
    "hanging",
    "noose",
    "razor",
    "slit",
    "firearm",
    "gun",
    "poison",
    "jumping off",
    "lethal",
];

/// What is wrong with a page, in words (none when it meets every rule): it has sources with
/// web addresses, a review date not in the future and at most a year old on `today`, a body of
/// `words` words, no phrase safe messaging rules out, no method words, a content note when it
/// mentions suicide or self-harm, and then a link to Help now.
pub fn problems(a: &Article, today: Day, words: std::ops::RangeInclusive<usize>) -> Vec<String> {
    let mut out = Vec::new();
    let slug = &a.slug;
    if a.sources.is_empty() {
        out.push(format!("{slug}: no sources"));
    }
    for s in &a.sources {
        if !s.url.starts_with("https://") && !s.url.starts_with("http://") {
            out.push(format!("{slug}: source without a web address: {}", s.name));
        }
        if s.name.trim().is_empty() {
            out.push(format!("{slug}: a source without a name"));
        }
    }
    if a.last_reviewed > today {
        out.push(format!("{slug}: reviewed in the future"));
    }
    if a.last_reviewed < today.minus_days(365) {
        out.push(format!("{slug}: last reviewed more than a year ago"));
    }
    let n = a.words();
    if !words.contains(&n) {
        out.push(format!(
            "{slug}: {n} words, not {}–{}",
            words.start(),
            words.end()
        ));
    }
    let text = format!("{} {} {} {}", a.title, a.summary, a.content_note, a.body).to_lowercase();
    for p in NEVER {
        if text.contains(p) {
            out.push(format!("{slug}: says \"{p}\""));
        }
    }
    for m in METHODS {
        if text
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| w.starts_with(m))
            || (m.contains(' ') && text.contains(m))
        {
            out.push(format!("{slug}: method word \"{m}\""));
        }
    }
    let mentions = SELF_HARM_WORDS.iter().any(|w| text.contains(w));
    if mentions && !a.mentions_self_harm {
        out.push(format!(
            "{slug}: mentions suicide or self-harm without saying so"
        ));
    }
    if a.mentions_self_harm {
        if !a.body.contains("](/help)") {
            out.push(format!(
                "{slug}: mentions suicide or self-harm without a link to Help now"
            ));
        }
        if a.content_note.trim().is_empty() {
            out.push(format!(
                "{slug}: mentions suicide or self-harm without a content note"
            ));
        }
    }
    if a.body.contains("<") {
        out.push(format!("{slug}: HTML in the page (Markdown only)"));
    }
    for link in a.body.split("](").skip(1) {
        let to = link.split(')').next().unwrap_or("");
        if !to.starts_with('/') || to.starts_with("//") {
            out.push(format!("{slug}: a link out of Trellis: {to}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
