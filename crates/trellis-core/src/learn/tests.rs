//! Every page of Learn and the therapy guide meets the rules; the rules catch what they are for.

use super::*;

/// facts.md, which every source must come from (on CI's machine too, at `../shared`).
fn facts() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/facts.md"
    );
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn today() -> Day {
    Day::of_unix(crate::clock::Clock::now(&crate::clock::SystemClock))
}

/// Every page of a collection: parses, named by its file, meets the rules, and cites only
/// sources facts.md gives.
pub(crate) fn check_all(pages: &[Article], words: std::ops::RangeInclusive<usize>) {
    let facts = facts();
    let mut slugs = std::collections::BTreeSet::new();
    for a in pages {
        assert!(slugs.insert(a.slug.clone()), "{} twice", a.slug);
        let problems = problems(a, today(), words.clone());
        assert!(problems.is_empty(), "{problems:#?}");
        for s in &a.sources {
            assert!(
                facts.contains(&s.url),
                "{}: {} is not a source in facts.md",
                a.slug,
                s.url
            );
        }
    }
}

#[test]
fn every_learn_article_meets_the_rules() {
    assert_eq!(articles().len(), LEARN.len());
    for (name, _) in LEARN {
        assert!(article(name).is_some(), "{name}.md is named {name}");
    }
    check_all(articles(), 300..=700);
    assert!(articles().iter().any(|a| a.audience == Audience::Partner));
}

#[test]
fn every_therapy_guide_meets_the_rules_and_finding_help_cites_facts() {
    let guides = crate::therapy::guides();
    assert_eq!(guides.len(), THERAPY.len());
    check_all(guides, 250..=700);
    for slug in ["emdr", "cpt", "pe", "sex-therapy", "group-therapy"] {
        let g = crate::therapy::guide(slug).unwrap_or_else(|| panic!("{slug}"));
        assert!(
            !g.session.is_empty(),
            "{slug} says what its sessions are like"
        );
    }
    let facts = facts();
    let finding = crate::therapy::FindingHelp::get();
    assert!(finding.country.iter().any(|c| !c.place.is_empty()));
    for c in &finding.country {
        for p in &c.place {
            assert!(
                facts.contains(&p.source),
                "{}: {} is not in facts.md",
                p.name,
                p.source
            );
            for v in [&p.phone, &p.web] {
                assert!(
                    v.is_empty() || facts.contains(v.as_str()),
                    "{}: {v} is not in facts.md",
                    p.name
                );
            }
            assert!(
                ["therapist", "centre", "group", "substances"].contains(&p.kind.as_str()),
                "{}",
                p.kind
            );
            // A line's number is dialled as Help now dials it (one list of numbers to check).
            assert!(
                p.phone.is_empty() || p.call_uri(&c.code).is_some(),
                "{} is not on Help now as a line",
                p.name
            );
        }
    }
}

fn page(front: &str, body: &str) -> Article {
    parse(&format!(
        "+++\nslug = \"x\"\ntitle = \"X\"\nsummary = \"s\"\naudience = \"both\"\nlast_reviewed = \"2026-11-01\"\n{front}\n+++\n{body}\n"
    ))
    .expect("parses")
}

const SOURCE: &str = "[[sources]]\nname = \"A\"\nurl = \"https://example.org/a\"";

#[test]
fn the_rules_catch_what_they_are_for() {
    let day = Day::parse("2026-11-29").expect("day");
    let words = |n: usize| vec!["word"; n].join(" ");
    let ok = page(SOURCE, &words(10));
    assert!(
        problems(&ok, day, 5..=20).is_empty(),
        "{:?}",
        problems(&ok, day, 5..=20)
    );
    assert_eq!(ok.minutes(), 1);
    let has = |a: &Article, what: &str| problems(a, day, 5..=20).iter().any(|p| p.contains(what));
    assert!(has(&page("", &words(10)), "no sources"));
    assert!(has(&page(SOURCE, &words(30)), "30 words"));
    assert!(has(
        &page(
            SOURCE,
            "He committed suicide last year, sadly, they said then"
        ),
        "committed suicide"
    ));
    assert!(has(
        &page(SOURCE, "some words then a noose and more words here"),
        "method word"
    ));
    let mentions = format!("{} thoughts of suicide can come", words(6));
    assert!(has(&page(SOURCE, &mentions), "without saying so"));
    let said = page(&format!("mentions_self_harm = true\n{SOURCE}"), &mentions);
    assert!(has(&said, "without a link to Help now") && has(&said, "without a content note"));
    let helped = page(
        &format!("mentions_self_harm = true\ncontent_note = \"Mentions suicide.\"\n{SOURCE}"),
        &format!("{mentions} [Help now](/help) is there"),
    );
    assert!(
        problems(&helped, day, 5..=20).is_empty(),
        "{:?}",
        problems(&helped, day, 5..=20)
    );
    assert!(has(
        &page(SOURCE, &format!("{} [out](https://example.org)", words(8))),
        "a link out"
    ));
    assert!(has(
        &page(SOURCE, &format!("{} <b>bold</b>", words(8))),
        "HTML"
    ));
    let old = page(SOURCE, &words(10));
    assert!(
        problems(&old, Day::parse("2028-01-01").expect("day"), 5..=20)
            .iter()
            .any(|p| p.contains("more than a year"))
    );
    assert!(parse("no front matter").is_err());
}
