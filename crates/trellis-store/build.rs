//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds the
//! migration files at compile time, and cargo would not otherwise see a new file.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
