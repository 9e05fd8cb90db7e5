//! A page's Markdown as HTML, made once: headings given ids for the table of contents, any
//! raw HTML shown as text (the content rules allow none), links to other sites marked to open
//! without sending where they came from.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use trellis_core::learn::Article;

/// A page made into HTML.
#[derive(Debug)]
pub struct Rendered {
    /// The body.
    pub html: String,
    /// Its sections: id and heading.
    pub toc: Vec<(String, String)>,
}

/// The HTML of `article`, made at its first request and kept (pages are compiled in).
pub(crate) fn rendered(article: &'static Article) -> &'static Rendered {
    static MADE: OnceLock<Mutex<HashMap<&'static str, &'static Rendered>>> = OnceLock::new();
    let made = MADE.get_or_init(Default::default);
    let mut made = made.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    made.entry(article.slug.as_str())
        .or_insert_with(|| Box::leak(Box::new(render(&article.body))))
}

/// An id from a heading: lower-case words joined by `-`.
fn id_of(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Text made safe inside HTML (and inside a quoted attribute).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Markdown to HTML.
pub(crate) fn render(markdown: &str) -> Rendered {
    let mut toc = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading: Option<(HeadingLevel, String)> = None;
    for event in Parser::new(markdown) {
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { level, .. })) => heading = Some((level, String::new())),
            (Some((_, text)), Event::Text(t) | Event::Code(t)) => text.push_str(&t),
            (Some(_), Event::End(TagEnd::Heading(_))) => {
                if let Some((level, text)) = heading.take() {
                    let mut id = id_of(&text);
                    while toc.iter().any(|(i, _): &(String, String)| *i == id) {
                        id.push('-');
                    }
                    let tag = match level {
                        HeadingLevel::H1 | HeadingLevel::H2 => "h2",
                        _ => "h3",
                    };
                    if tag == "h2" {
                        toc.push((id.clone(), text.clone()));
                    }
                    let escaped = escape(&text);
                    events.push(Event::Html(CowStr::from(format!("<{tag} id=\"{id}\">{escaped}</{tag}>\n"))));
                }
            }
            (Some(_), _) => {}
            (None, Event::Html(raw) | Event::InlineHtml(raw)) => events.push(Event::Text(raw)),
            (None, Event::Start(Tag::Link { dest_url, title, id, link_type })) if !dest_url.starts_with('/') => {
                let _ = (title, id, link_type);
                let href = escape(&dest_url);
                events.push(Event::Html(CowStr::from(format!("<a href=\"{href}\" rel=\"noreferrer noopener\">"))));
            }
            (None, other) => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    Rendered { html: out, toc }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_raw_html_is_text_and_every_article_renders() {
        let r = render("Intro.\n\n## What helps, now\n\nText <b>x</b>.\n\n## What helps, now\n\n### Small\n\n[Help now](/help)");
        assert_eq!(
            r.toc,
            vec![
                ("what-helps-now".to_owned(), "What helps, now".to_owned()),
                ("what-helps-now-".to_owned(), "What helps, now".to_owned())
            ]
        );
        assert!(r.html.contains("<h2 id=\"what-helps-now\">What helps, now</h2>"), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"small\">Small</h3>"));
        assert!(r.html.contains("&lt;b&gt;x&lt;/b&gt;"), "{}", r.html);
        assert!(r.html.contains("<a href=\"/help\">Help now</a>"));
        for a in trellis_core::learn::articles() {
            let r = rendered(a);
            assert!(!r.toc.is_empty(), "{} has sections", a.slug);
        }
    }
}
