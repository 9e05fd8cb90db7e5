//! Unit tests.
#![expect(clippy::unwrap_used, reason = "tests")]
use super::*;

#[test]
fn a_code_is_eight_words_from_the_list_however_it_is_typed() {
    let code = "creek toast knot straw walnut petal sled salmon";
    let parsed = InvitationCode::parse(code).unwrap();
    assert_eq!(parsed.as_str(), code);
    for typed in [
        "Creek-Toast-Knot-Straw-Walnut-Petal-Sled-Salmon",
        "  creek toast knot straw\nwalnut petal sled salmon  ",
        "creek, toast, knot, straw, walnut, petal, sled, salmon.",
    ] {
        assert_eq!(
            InvitationCode::parse(typed).unwrap().as_str(),
            code,
            "{typed:?}"
        );
    }
    for bad in [
        "",
        "creek toast knot straw walnut petal sled",
        "creek toast knot straw walnut petal sled salmon salmon",
        "creek toast knot straw walnut petal sled zebra",
        "creektoast knot straw walnut petal sled salmon",
    ] {
        assert!(InvitationCode::parse(bad).is_none(), "{bad:?}");
    }
    let fresh = InvitationCode::generate();
    assert!(InvitationCode::parse(fresh.as_str()).is_some());
}
