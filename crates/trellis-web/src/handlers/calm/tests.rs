//! Unit tests.
#![expect(clippy::unwrap_used, reason = "tests")]
use super::*;

#[test]
fn links_keep_one_order_so_each_page_has_one_address() {
    let tool = calm::tool("breathing").unwrap();
    let id = RecordId::parse(&"a".repeat(32)).unwrap();
    let custom = Rhythm {
        inhale: 5,
        hold: 1,
        exhale: 7,
        rest: 0,
    };
    let l = Links {
        tool,
        short: true,
        use_id: Some(&id),
        rhythm: Some(custom),
    };
    assert_eq!(
        l.href(Page::Step(2)),
        format!(
            "/calm/breathing?step=2&short=1&use={}&inhale=5&hold=1&exhale=7&rest=0",
            "a".repeat(32)
        )
    );
    assert_eq!(l.href(Page::Intro), "/calm/breathing?short=1");
    let plain = Links {
        tool,
        short: false,
        use_id: None,
        rhythm: Some(Rhythm::default()),
    };
    assert_eq!(
        plain.href(Page::Step(2)),
        "/calm/breathing?step=2",
        "the default rhythm is not spelled out"
    );
    assert_eq!(plain.href(Page::End), "/calm/breathing?step=end");
}

#[test]
fn words_for_time() {
    assert_eq!(seconds_words(45), "45 seconds");
    assert_eq!(seconds_words(60), "1 minute");
    assert_eq!(seconds_words(90), "a minute and a half");
    assert_eq!(seconds_words(120), "2 minutes");
    assert_eq!(minutes_words(0), "under a minute");
    assert_eq!(minutes_words(1), "about 1 minute");
    assert_eq!(minutes_words(7), "about 7 minutes");
    assert_eq!(tenths_words(60), "6");
    assert_eq!(tenths_words(45), "4.5");
}
