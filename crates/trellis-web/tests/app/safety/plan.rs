//! The safety plan: six parts, saved without the passphrase again (only what is destructive
//! or exposes everything asks for it), help lines offered for the country, a print view; bad
//! input keeps everything typed. Both databases.

use trellis_core::safety::{SafetyPlan, PLAN_PARTS};

use super::common::{assert_alert, assert_inert, stored, textarea, BREAKOUT, SCRIPT};
use crate::harness::TestApp;

fn typed_parts() -> Vec<(&'static str, String)> {
    PLAN_PARTS
        .iter()
        .map(|p| {
            (
                p.key,
                format!("First thing for {}\nSecond thing for {}", p.key, p.key),
            )
        })
        .collect()
}

fn fields<'a>(
    parts: &'a [(&'static str, String)],
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut f: Vec<(&str, &str)> = parts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    f.extend_from_slice(extra);
    f
}

async fn the_plan_is_saved_without_the_passphrase_again(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/safety/plan").await;
    r.assert_status(200);
    r.assert_calm_page("My safety plan");
    assert!(r.has("Nothing is written yet"));
    for p in PLAN_PARTS {
        assert!(r.has(p.title), "{}", p.title);
    }

    let rb = c
        .request(reqwest::Method::GET, "/safety/plan/edit")
        .header("accept-language", "en-GB,en;q=0.8");
    let r = c.send(rb).await;
    r.assert_status(200);
    assert!(
        r.body.contains(r#"<option value="GB" selected>"#),
        "the country is guessed"
    );
    assert!(
        r.body
            .contains(r#"name="add_lines" type="checkbox" value="on" checked"#),
        "the lines are offered"
    );
    assert!(
        !r.body.contains("type=\"password\"") && !r.body.contains("name=\"current\""),
        "no passphrase asked"
    );

    let parts = typed_parts();
    let r = c
        .post(
            "/safety/plan",
            &fields(&parts, &[("add_lines", "on"), ("lines_country", "GB")]),
        )
        .await;
    r.assert_redirect("/safety/plan?saved");
    let plan = stored::<SafetyPlan>(app, &c).await.remove(0).value;
    for (k, v) in &parts {
        assert!(
            plan.part(k).starts_with(v.as_str()),
            "{k}: {}",
            plan.part(k)
        );
    }
    assert!(
        plan.professionals.contains("116 123"),
        "the UK lines were added: {}",
        plan.professionals
    );
    let r = c.get("/safety/plan?saved").await;
    assert!(r.has("Your plan is saved."));
    assert!(r.has("Second thing for surroundings") && r.has("Samaritans"));

    // Editing again shows what was saved; the offer is no longer pre-ticked.
    let r = c.get("/safety/plan/edit").await;
    assert_eq!(
        textarea(&r, "signs").as_deref(),
        Some("First thing for signs\nSecond thing for signs")
    );
    assert!(!r.body.contains(r#"value="on" checked"#));

    // Saving again replaces the one plan (never a second record).
    let mut changed = parts.clone();
    changed[0].1 = "Only this now".into();
    c.post("/safety/plan", &fields(&changed, &[]))
        .await
        .assert_redirect("/safety/plan?saved");
    let plans = stored::<SafetyPlan>(app, &c).await;
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].value.signs, "Only this now");
    assert!(
        !plans[0].value.professionals.contains("116 123"),
        "nothing added without the tick"
    );

    // Print view: every part, plain.
    let r = c.get("/safety/plan/print").await;
    r.assert_status(200);
    assert!(r.has("Only this now") && r.has("Second thing for people_places"));
    for (n, p) in PLAN_PARTS.iter().enumerate() {
        assert!(r.has(&format!("{}. {}", n + 1, p.title)), "{}", p.title);
    }
    assert!(
        r.body.contains("class=\"no-print"),
        "screen-only help is marked"
    );
    assert!(!r.body.contains("<textarea"), "no form in the print view");
}

async fn bad_plan_input_keeps_everything_and_changes_nothing(app: &TestApp) {
    let mut c = app.set_up().await;
    c.post("/safety/plan", &[("signs", "Saved words")])
        .await
    .assert_redirect("/safety/plan?saved");
    let before = app.digest().await;
    for p in PLAN_PARTS {
        let mut parts = typed_parts();
        let long = format!("{}\n{}", "A line I wrote. ".repeat(250), "the end");
        assert!(long.chars().count() > 4_000);
        parts.iter_mut().find(|(k, _)| *k == p.key).unwrap().1 = long.clone();
        let r = c
            .post("/safety/plan", &fields(&parts, &[]))
            .await;
        r.assert_status(400);
        assert_alert(&r, "longer than 4,000 characters");
        assert_eq!(
            textarea(&r, p.key).as_deref(),
            Some(long.as_str()),
            "{} kept",
            p.key
        );
        assert_eq!(before, app.digest().await, "{}: nothing changed", p.key);
    }
    // Help lines that would push the part over the limit are refused the same way.
    let nearly = "x".repeat(3_990);
    let r = c
        .post(
            "/safety/plan",
            &[
                ("professionals", nearly.as_str()),
                ("add_lines", "on"),
                ("lines_country", "US"),
            ],
        )
        .await;
    r.assert_status(400);
    assert_eq!(
        textarea(&r, "professionals").as_deref(),
        Some(nearly.as_str()),
        "shown as typed, before the lines"
    );
    // An unknown country is asked about; ticked with none chosen simply adds nothing.
    let r = c
        .post(
            "/safety/plan",
            &[
                ("signs", "x"),
                ("add_lines", "on"),
                ("lines_country", "ZZ"),
            ],
        )
        .await;
    r.assert_status(400);
    assert_alert(&r, "choose a country");
    assert_eq!(before, app.digest().await);
    c.post(
        "/safety/plan",
        &[
            ("signs", "y"),
            ("add_lines", "on"),
            ("lines_country", ""),
        ],
    )
    .await
    .assert_redirect("/safety/plan?saved");
    assert_eq!(
        stored::<SafetyPlan>(app, &c).await[0].value.professionals,
        ""
    );
}

async fn plan_text_with_script_is_shown_as_text(app: &TestApp) {
    let mut c = app.set_up().await;
    let parts: Vec<(&str, String)> = PLAN_PARTS
        .iter()
        .map(|p| (p.key, format!("{SCRIPT}\n{BREAKOUT}")))
        .collect();
    c.post("/safety/plan", &fields(&parts, &[]))
        .await
        .assert_redirect("/safety/plan?saved");
    for path in ["/safety/plan", "/safety/plan/edit", "/safety/plan/print"] {
        let r = c.get(path).await;
        r.assert_status(200);
        assert_inert(&r);
        assert!(r.has(SCRIPT) && r.has(BREAKOUT), "{path}");
    }
    // And on a refused save.
    let r = c
        .post(
            "/safety/plan",
            &fields(&parts, &[("add_lines", "on"), ("lines_country", "ZZ")]),
        )
        .await;
    r.assert_status(400);
    assert_inert(&r);
}

on_both_databases!(
    the_plan_is_saved_without_the_passphrase_again,
    bad_plan_input_keeps_everything_and_changes_nothing,
    plan_text_with_script_is_shown_as_text,
);
