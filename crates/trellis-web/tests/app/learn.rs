//! Learn: public articles (locked or not), each with a content note where it mentions hard
//! things, a table of contents, its sources and its review date; unknown pages are a 404.

use crate::harness::TestApp;
use crate::route_table::{Expect::Page, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/learn", Page(200), Page(200)),
    Route::get("/learn/{slug}", Page(200), Page(200)).at("/learn/flashbacks"),
];

on_both_databases!(every_article_reads_locked_with_its_note_contents_and_sources);

async fn every_article_reads_locked_with_its_note_contents_and_sources(app: &TestApp) {
    let mut c = app.client();
    let list = c.get("/learn").await;
    list.assert_calm_page("Learn");
    for a in trellis_core::learn::articles() {
        assert!(list.has(&a.title), "{} is listed", a.slug);
        let r = c.get(&format!("/learn/{}", a.slug)).await;
        r.assert_calm_page(&a.title);
        assert!(r.has(&format!("About {} minute", a.minutes())), "{}: reading time", a.slug);
        assert!(r.has(&format!("Last reviewed {}", a.last_reviewed.date_words())));
        assert!(r.has("On this page") && r.body.contains("<h2 id=\""), "{}: contents", a.slug);
        assert!(r.has("Where this comes from"));
        for s in &a.sources {
            assert!(r.body.contains(&format!("href=\"{}\"", s.url.replace('&', "&amp;"))), "{}: {}", a.slug, s.url);
        }
        if a.content_note.is_empty() {
            assert!(!r.body.contains("class=\"content-note\""));
        } else {
            assert!(r.has(&a.content_note) && r.body.contains("href=\"/calm\""), "{}: the note offers a calm tool", a.slug);
        }
        assert!(r.body.contains("href=\"/help\""), "{}: Help now is one tap away", a.slug);
        assert!(r.body.contains("data-read-aloud") && r.body.contains("data-print"));
    }
    c.get("/learn/not-an-article").await.assert_status(404);
    c.get("/learn/..%2Fsecrets").await.assert_status(404);
    // The partner's pages are listed for partners.
    assert!(list.has("If you are a partner"));
}
