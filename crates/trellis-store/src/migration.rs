//! Migration bookkeeping both backends share: reading the recorded history against the
//! migrations this build embeds, and putting a failed migration into plain words.

use std::collections::BTreeMap;

use sqlx::migrate::Migrator;
use trellis_core::store::StoreError;

/// A `_sqlx_migrations` row: version, description, success, checksum.
pub(crate) type MigrationRow = (i64, String, bool, Vec<u8>);

/// Compares the migrations this build embeds with those recorded in the database and
/// describes every difference in plain words (empty: up to date).
pub(crate) fn migration_problems(
    migrator: &Migrator,
    applied: Option<Vec<MigrationRow>>,
) -> Vec<String> {
    let Some(applied) = applied else {
        return vec!["the database has no migration history: it was not set up by Trellis, or setup never finished".to_owned()];
    };
    let mut problems = Vec::new();
    let applied: BTreeMap<i64, MigrationRow> = applied.into_iter().map(|r| (r.0, r)).collect();
    for m in migrator.iter() {
        match applied.get(&m.version) {
            None => problems.push(format!(
                "migration {} ({}) has not been applied yet",
                m.version, m.description
            )),
            Some((_, _, false, _)) => problems.push(format!(
                "migration {} ({}) did not finish; restore the database from a backup",
                m.version, m.description
            )),
            Some((_, _, true, checksum)) if checksum.as_slice() != &*m.checksum => {
                problems.push(format!(
                    "migration {} ({}) was changed after it was applied",
                    m.version, m.description
                ));
            }
            Some(_) => {}
        }
    }
    for (version, (_, description, _, _)) in &applied {
        if !migrator.version_exists(*version) {
            problems.push(format!(
                "migration {version} ({description}) comes from a newer version of Trellis"
            ));
        }
    }
    problems
}

/// Turns a migration failure into plain words.
pub(crate) fn migrate_error(
    e: sqlx::migrate::MigrateError,
    map: fn(sqlx::Error) -> StoreError,
) -> StoreError {
    use sqlx::migrate::MigrateError as M;
    match e {
        M::Execute(e) | M::ExecuteMigration(e, _) => match map(e) {
            StoreError::Unavailable(why) => StoreError::Unavailable(why),
            other => StoreError::Migration(format!("a migration could not be applied: {other}")),
        },
        M::VersionMissing(v) => StoreError::Migration(format!(
            "the database was set up by a newer version of Trellis (migration {v})"
        )),
        M::VersionMismatch(v) => {
            StoreError::Migration(format!("migration {v} was changed after it was applied"))
        }
        M::Dirty(v) => StoreError::Migration(format!(
            "migration {v} did not finish; restore the database from a backup"
        )),
        other => StoreError::Migration(other.to_string()),
    }
}
