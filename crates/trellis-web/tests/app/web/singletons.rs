//! Records kept once per person (preferences, the profile): two first saves at once — a double
//! click on a slow phone — leave one record, and later saves change that one.

use trellis_core::journal::JournalPrefs;
use trellis_core::support::SupportPrefs;
use trellis_core::today::Followed;

use super::harness::TestApp;

on_both_databases!(two_first_saves_at_once_leave_one_record);

async fn two_first_saves_at_once_leave_one_record(app: &TestApp) {
    let c = app.set_up().await;
    let me = app
        .trellis
        .authenticate(&c.session_cookie().expect("unlocked"))
        .await
        .expect("authenticate")
        .expect("a live session");
    let account = app.account().await.id;
    let t = &app.trellis;
    let count = |kind: &'static str| {
        let store = app.store.clone();
        let account = account.clone();
        async move { store.records_of_kind(&account, kind).await.unwrap().len() }
    };

    let on = JournalPrefs {
        resurface_good_moments: true,
        ..JournalPrefs::default()
    };
    let (a, b) = tokio::join!(t.journal(&me).set_prefs(on), t.journal(&me).set_prefs(on));
    a.unwrap();
    b.unwrap();
    assert_eq!(count("journal_prefs").await, 1);

    let (a, b) = tokio::join!(
        t.today(&me).set_followed(&[Followed::ALL[0]]),
        t.today(&me).set_followed(&[Followed::ALL[1]])
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(count("today_prefs").await, 1);

    let nudge = SupportPrefs {
        nudge: true,
        ..SupportPrefs::default()
    };
    let (a, b) = tokio::join!(
        t.support(&me).save_prefs(&nudge),
        t.support(&me).save_prefs(&nudge)
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(count("support_prefs").await, 1);

    // Later saves change the one record, keeping its id.
    let before = app
        .store
        .records_of_kind(&account, "journal_prefs")
        .await
        .unwrap();
    t.journal(&me)
        .set_prefs(JournalPrefs::default())
        .await
        .unwrap();
    let after = app
        .store
        .records_of_kind(&account, "journal_prefs")
        .await
        .unwrap();
    assert_eq!((after.len(), &after[0].id), (1, &before[0].id));
    assert!(!t.journal(&me).prefs().await.unwrap().resurface_good_moments);
    assert!(t.support(&me).prefs().await.unwrap().nudge);
}
