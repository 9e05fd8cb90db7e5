//! One matrix for every route that takes a record id, read from the area registry: with
//! another person's id (of the right kind), an unknown id and a malformed one, a signed-in
//! person gets 404 and nothing in the database changes. A route added with `{id}` in its path
//! fails here until this file knows how its owner makes such a record ([`ID_SOURCES`]).

use trellis_core::clock::{day_of, iso_day, Clock};
use trellis_web::registry::{self, Access};

use super::harness::{Client, TestApp, PASS};
use crate::safety::common::id_in_location;

on_both_databases!(another_persons_ids_are_not_found_on_every_route_and_nothing_changes);

/// The second person's passphrase.
const OTHER: &str = "copper kettle beside the window";

/// Where the records a route's `{id}` names come from: the route prefix (longest match wins)
/// and how their owner makes one over HTTP and reads its id.
const ID_SOURCES: &[&str] = &[
    "/today/goals/",
    "/today/",
    "/journal/",
    "/safety/boundaries/",
    "/safety/contacts/",
    "/support/people/",
    "/together/ladder/",
    "/progress/pcl5/",
    "/progress/hobbies/",
    "/therapy/notes/",
    "/therapy/groups/",
    "/recovery/urges/",
    "/recovery/uses/",
];

/// The first 32-hex-character id that follows `marker` in `text`.
#[track_caller]
fn id_after(text: &str, marker: &str) -> String {
    text.match_indices(marker)
        .filter_map(|(i, _)| {
            let id: String = text[i + marker.len()..]
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .collect();
            (id.len() == 32).then_some(id)
        })
        .next()
        .unwrap_or_else(|| panic!("no id after {marker:?} in {}", &text[..text.len().min(400)]))
}

/// Makes one record of each kind as `owner` and returns its id by route prefix.
async fn owners_ids(app: &TestApp, owner: &mut Client) -> Vec<(&'static str, String)> {
    let today = iso_day(day_of(app.clock.now()));
    let mut ids = Vec::new();
    owner
        .post("/today/goals", &[("text", "a small thing")])
        .await
        .assert_status(303);
    owner
        .post(
            "/today/checkin",
            &[("mood", "3"), ("note", "my own words"), ("day", &today)],
        )
        .await
        .assert_status(303);
    let page = owner.get("/today").await.body;
    ids.push(("/today/goals/", id_after(&page, "/today/goals/")));
    ids.push(("/today/", id_after(&page, "/today/")));
    let r = owner
        .post("/journal", &[("kind", "free"), ("text", "my own entry")])
        .await;
    r.assert_status(303);
    ids.push((
        "/journal/",
        id_after(r.header("location").expect("a redirect"), "/journal/"),
    ));
    let r = owner
        .post(
            "/safety/boundaries",
            &[
                ("text", "my boundary"),
                ("group", "touch"),
                ("state", "firm"),
            ],
        )
        .await;
    ids.push((
        "/safety/boundaries/",
        id_in_location(&r, "/safety/boundaries#b-"),
    ));
    let r = owner
        .post(
            "/safety/contacts",
            &[
                ("name", "my friend"),
                ("phone", "07700 900111"),
                ("current", PASS),
            ],
        )
        .await;
    ids.push((
        "/safety/contacts/",
        id_in_location(&r, "/safety/contacts#c-"),
    ));
    owner
        .post("/support/people", &[("name", "my counsellor")])
        .await
        .assert_status(303);
    let page = owner.get("/support").await.body;
    ids.push(("/support/people/", id_after(&page, "/support/people/")));
    owner
        .post("/together/ladder", &[("name", "a first step")])
        .await
        .assert_status(303);
    let page = owner.get("/together/ladder").await.body;
    ids.push(("/together/ladder/", id_after(&page, "/together/ladder/")));
    let mut check = vec![("timeframe".to_owned(), "month".to_owned())];
    check.extend((1..=20).map(|n| (format!("a{n}"), "1".to_owned())));
    let check: Vec<(&str, &str)> = check
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = owner.post("/progress/pcl5", &check).await;
    ids.push((
        "/progress/pcl5/",
        id_after(r.header("location").unwrap_or_default(), "/progress/pcl5/"),
    ));
    owner
        .post("/progress/hobbies", &[("name", "Dancing")])
        .await
        .assert_status(303);
    let page = owner.get("/progress/hobbies").await.body;
    ids.push(("/progress/hobbies/", id_after(&page, "/progress/hobbies/")));
    owner
        .post("/therapy/notes", &[("bring_up", "the week")])
        .await
        .assert_status(303);
    let page = owner.get("/therapy/notes").await.body;
    ids.push(("/therapy/notes/", id_after(&page, "/therapy/notes/")));
    owner
        .post("/therapy/groups", &[("group", "Tuesday circle")])
        .await
        .assert_status(303);
    let page = owner.get("/therapy/groups").await.body;
    ids.push(("/therapy/groups/", id_after(&page, "/therapy/groups/")));
    let r = owner.post("/recovery/urges", &[("strength", "5")]).await;
    ids.push((
        "/recovery/urges/",
        id_after(r.header("location").unwrap_or_default(), "/recovery/urges/"),
    ));
    owner
        .post("/recovery/uses", &[("what", "something")])
        .await
        .assert_status(303);
    let page = owner.get("/recovery").await.body;
    ids.push(("/recovery/uses/", id_after(&page, "/recovery/uses/")));
    assert_eq!(ids.len(), ID_SOURCES.len());
    ids
}

async fn another_persons_ids_are_not_found_on_every_route_and_nothing_changes(app: &TestApp) {
    let mut owner = app.set_up().await;
    let theirs = owners_ids(app, &mut owner).await;
    let mut me = app.second_account(OTHER).await;
    let routes: Vec<_> = registry::table()
        .into_iter()
        .filter(|(_, r)| r.takes_id())
        .collect();
    assert!(routes.len() >= 20, "{routes:?}");
    for (area, route) in routes {
        let prefix = ID_SOURCES
            .iter()
            .filter(|p| route.path.starts_with(**p))
            .max_by_key(|p| p.len())
            .unwrap_or_else(|| {
                panic!(
                    "{area}: {} {} takes an id but ID_SOURCES does not say how to make one",
                    route.method, route.path
                )
            });
        let their_id = &theirs.iter().find(|(p, _)| p == prefix).unwrap().1;
        for id in [
            their_id.as_str(),
            "0123456789abcdef0123456789abcdef",
            "NOT-AN-ID",
        ] {
            let path = route.path.replace("{id}", id);
            let before = app.digest().await;
            let r = match route.method {
                "GET" => me.get(&path).await,
                _ => {
                    // What a real form of this route would send, with this person's own
                    // passphrase where the route asks for it again.
                    let mut fields = vec![
                        ("text", "changed"),
                        ("name", "changed"),
                        ("mood", "1"),
                        ("kind", "free"),
                    ];
                    if route.access == Access::StepUp {
                        fields.push(("current", OTHER));
                    }
                    me.post(&path, &fields).await
                }
            };
            assert_eq!(
                r.status.as_u16(),
                404,
                "{area}: {} {path} answered {}",
                route.method,
                r.status
            );
            assert_eq!(
                before,
                app.digest().await,
                "{area}: {} {path} changed something",
                route.method
            );
        }
    }
    // The control: the same ids open the owner's own pages, so the 404s above were about
    // whose record it is, not a wrong id.
    for (_, route) in registry::table()
        .into_iter()
        .filter(|(_, r)| r.takes_id() && r.method == "GET")
    {
        let prefix = ID_SOURCES
            .iter()
            .filter(|p| route.path.starts_with(**p))
            .max_by_key(|p| p.len())
            .unwrap();
        let id = &theirs.iter().find(|(p, _)| p == prefix).unwrap().1;
        let path = route.path.replace("{id}", id);
        owner.get(&path).await.assert_status(200);
    }
}
