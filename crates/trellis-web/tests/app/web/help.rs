//! Help now: public, guessed from the browser's language, chosen by country, never reflecting input.

use super::harness::TestApp;

#[tokio::test]
async fn help_guesses_from_the_language_follows_the_country_and_reflects_nothing() {
    let app = TestApp::sqlite().await;
    // No cookie at all, and no account yet: the page still works.
    let mut c = app.client();
    assert!(c.jar.is_empty());
    let rb = c
        .request(reqwest::Method::GET, "/help")
        .header("accept-language", "en-GB,en;q=0.9");
    let r = c.send(rb).await;
    r.assert_status(200);
    r.assert_calm_page("Help now");
    assert!(r.has("116 123"), "UK lines for en-GB");
    assert!(r.has("based on your browser's language"));

    let mut fresh = app.client();
    let r = fresh.get("/help?country=AU").await;
    r.assert_status(200);
    assert!(r.has("13 11 14"), "Australian lines");
    assert!(
        !r.has("based on your browser's language"),
        "chosen, not guessed"
    );

    // Lower case and a GB choice overriding an Australian browser.
    let rb = fresh
        .request(reqwest::Method::GET, "/help?country=GB")
        .header("accept-language", "en-AU");
    let r = fresh.send(rb).await;
    assert!(r.has("116 123"));

    for evil in [
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "GB%3Cscript%3E",
        "javascript:alert(1)",
    ] {
        let mut anon = app.client();
        let r = anon.get(&format!("/help?country={evil}")).await;
        r.assert_status(200);
        assert!(!r.body.contains("<script>"), "{evil}: reflected");
        assert!(!r.body.contains("alert(1)"), "{evil}: reflected");
        assert!(
            !r.has("<script>") && !r.has("alert(1)"),
            "{evil}: reflected (escaped)"
        );
        r.assert_calm_page("Choose a country");
    }

    // Unlocked, the page is the same help (and offers Lock).
    let mut u = app.set_up().await;
    let r = u.get("/help?country=AU").await;
    assert!(r.has("13 11 14"));
    assert!(r.body.contains(r#"action="/lock""#));
    app.finish().await;
}
