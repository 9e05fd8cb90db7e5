//! Calm now's words for time, and the addresses of a tool's pages (one order, so each page has one address).

use super::*;

/// "about 3 minutes" ("under a minute" for 0).
pub(super) fn minutes_words(n: u32) -> String {
    if n == 0 {
        "under a minute".to_owned()
    } else if n == 1 {
        "about 1 minute".to_owned()
    } else {
        format!("about {n} minutes")
    }
}

/// "45 seconds", "1 minute", "a minute and a half", "2 minutes".
pub(super) fn seconds_words(s: u32) -> String {
    match s {
        60 => "1 minute".to_owned(),
        90 => "a minute and a half".to_owned(),
        s if s.is_multiple_of(60) => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// "6" or "4.5" from tenths.
pub(super) fn tenths_words(t: u32) -> String {
    if t.is_multiple_of(10) {
        format!("{}", t / 10)
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}

/// Which page of a tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Page {
    Intro,
    Step(usize),
    End,
}

/// Builds the links of one run through a tool, carrying the chosen version, the use id (for
/// the rating after) and the breathing rhythm. Parameter order is fixed, so the same page
/// always has the same address (the service worker's cache keys depend on it).
#[derive(Clone)]
pub(super) struct Links<'a> {
    pub(super) tool: &'a Tool,
    pub(super) short: bool,
    pub(super) use_id: Option<&'a RecordId>,
    pub(super) rhythm: Option<Rhythm>,
}

impl Links<'_> {
    pub(super) fn href(&self, page: Page) -> String {
        let mut q: Vec<(&str, String)> = Vec::new();
        match page {
            Page::Intro => {}
            Page::Step(n) => q.push(("step", n.to_string())),
            Page::End => q.push(("step", "end".to_owned())),
        }
        if self.short {
            q.push(("short", "1".to_owned()));
        }
        if page != Page::Intro {
            if let Some(id) = self.use_id {
                q.push(("use", id.to_string()));
            }
            if let Some(r) = self.rhythm.filter(|r| *r != Rhythm::default()) {
                for phase in Phase::ALL {
                    q.push((phase.field(), r.seconds(phase).to_string()));
                }
            }
        }
        let base = format!("/calm/{}", self.tool.key);
        if q.is_empty() {
            base
        } else {
            format!(
                "{base}?{}",
                serde_urlencoded::to_string(&q).unwrap_or_default()
            )
        }
    }
}

/// The query of `GET /calm/{tool}`.
#[derive(Default)]
pub(super) struct ToolQuery {
    pub(super) step: String,
    pub(super) short: bool,
    pub(super) use_id: Option<RecordId>,
    pub(super) stopped: bool,
    pub(super) rated: bool,
    pub(super) rhythm: [String; 4],
    pub(super) rhythm_given: bool,
}

impl ToolQuery {
    pub(super) fn read(pairs: &QueryParams) -> Self {
        let first = |name: &str| pairs.first(name);
        let mut q = Self {
            step: first("step").unwrap_or("").to_owned(),
            short: first("short") == Some("1"),
            use_id: first("use").and_then(RecordId::parse),
            stopped: first("stopped") == Some("1"),
            rated: first("rated") == Some("1"),
            ..Self::default()
        };
        for (i, phase) in Phase::ALL.iter().enumerate() {
            if let Some(v) = first(phase.field()) {
                q.rhythm[i] = v.to_owned();
                q.rhythm_given = true;
            }
        }
        q
    }

    pub(super) fn page(&self, tool: &Tool) -> Option<Page> {
        match self.step.as_str() {
            "" => Some(Page::Intro),
            "end" => Some(Page::End),
            s if s.len() <= 3 => {
                let n: usize = s.parse().ok()?;
                (1..=tool.step_count(self.short))
                    .contains(&n)
                    .then_some(Page::Step(n))
            }
            _ => None,
        }
    }
}
