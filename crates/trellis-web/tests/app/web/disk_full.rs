//! A full disk never loses a write the person was told was saved, and writing works again by
//! itself, within seconds of space returning, without a restart. The data directory is a
//! small tmpfs of its own (mounted here; this needs root, as in CI).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use trellis_core::clock::ManualClock;
use trellis_store::SqliteStore;

use super::harness::{serve, service, Client, Resp, PASS};

/// A tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    _dir: tempfile::TempDir,
    at: PathBuf,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let at = dir.path().to_owned();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(&at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Self { _dir: dir, at })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.at).status();
    }
}

/// Fills the disk to the last `leave` bytes with a file that can be removed later.
fn fill(dir: &Path, leave: u64) -> PathBuf {
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler).expect("filler");
    let chunk = vec![0x5a_u8; 16 * 1024];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.flush();
    let len = f.metadata().expect("size").len();
    f.set_len(len.saturating_sub(leave))
        .expect("leave a little room");
    filler
}

/// The id in a `303 /journal/{id}?saved`.
fn saved_id(r: &Resp) -> Option<String> {
    (r.status.as_u16() == 303)
        .then(|| r.header("location"))
        .flatten()
        .and_then(|l| l.strip_prefix("/journal/"))
        .and_then(|l| l.strip_suffix("?saved"))
        .map(str::to_owned)
}

async fn write_entry(c: &mut Client, n: usize) -> (Resp, String) {
    let words = format!(
        "entry number {n}: {}",
        "a line of ordinary words ".repeat(80)
    );
    let r = c
        .post("/journal", &[("kind", "free"), ("text", &words)])
        .await;
    (r, words)
}

#[tokio::test]
async fn a_full_disk_loses_no_saved_entry_and_writing_comes_back_by_itself() {
    let Some(disk) = SmallDisk::mount("6m") else {
        eprintln!(
            "NOTE: the full-disk test needs to mount a tmpfs (root); it could not here, so it \
             did not run"
        );
        assert!(
            std::env::var("CI").is_err(),
            "CI runs as root and must be able to run the full-disk test"
        );
        return;
    };
    let path = disk.at.join("trellis.db");
    let clock = ManualClock::starting_at(1_800_000_000);
    let store = SqliteStore::open(&path).await.expect("open");
    let (base, server) = serve(service(Arc::new(store.clone()), &[9; 32], &clock)).await;
    let mut c = Client::new(&base);
    c.setup(PASS, false).await.assert_redirect("/");
    c.get("/journal/new?kind=free").await.assert_status(200);

    let filler = fill(&disk.at, 256 * 1024);
    let mut saved = Vec::new();
    let mut refused_in_a_row = 0;
    let mut n = 0;
    while refused_in_a_row < 15 && n < 400 {
        n += 1;
        let (r, words) = write_entry(&mut c, n).await;
        if let Some(id) = saved_id(&r) {
            saved.push(id);
            refused_in_a_row = 0;
        } else {
            assert_eq!(r.status.as_u16(), 503, "{}", r.snippet());
            r.assert_calm_page("Nothing that was saved before has been lost");
            assert!(
                r.body.contains(&words[..40]),
                "the typed words are kept on the page"
            );
            refused_in_a_row += 1;
        }
    }
    assert!(refused_in_a_row >= 15, "the disk never filled");
    assert!(!saved.is_empty(), "some entries fit before the disk filled");

    // Space returns: writing works again by itself, within seconds.
    std::fs::remove_file(&filler).expect("free the space");
    let freed = Instant::now();
    loop {
        n += 1;
        let (r, _) = write_entry(&mut c, n).await;
        if let Some(id) = saved_id(&r) {
            saved.push(id);
            break;
        }
        assert!(
            freed.elapsed() < Duration::from_secs(10),
            "writing did not come back within 10 s of freeing space"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "full disk: {} entries acknowledged; writing worked again {} ms after space returned",
        saved.len(),
        freed.elapsed().as_millis()
    );
    for _ in 0..3 {
        n += 1;
        let (r, _) = write_entry(&mut c, n).await;
        saved.push(saved_id(&r).expect("saves normally again"));
    }

    // After a restart, every entry the person was told was saved is there.
    server.abort();
    store.close().await;
    let store = SqliteStore::open(&path).await.expect("reopen");
    let (base, server) = serve(service(Arc::new(store.clone()), &[9; 32], &clock)).await;
    let mut c = Client::new(&base);
    c.unlock_ok(PASS).await;
    for id in &saved {
        c.get(&format!("/journal/{id}")).await.assert_status(200);
    }
    server.abort();
    store.close().await;
}
