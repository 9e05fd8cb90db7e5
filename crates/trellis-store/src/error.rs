//! Mapping driver errors to [`StoreError`]. Messages are built from error codes and the
//! driver's own wording, never from bound values.

use std::borrow::Cow;

use sqlx::error::{DatabaseError, ErrorKind};
use trellis_core::store::StoreError;

fn unavailable(why: &str) -> StoreError {
    StoreError::Unavailable(why.to_owned())
}

/// Errors that do not come from the database engine itself.
fn non_database(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Io(io) => {
            StoreError::Unavailable(format!("the database could not be reached ({})", io.kind()))
        }
        sqlx::Error::PoolTimedOut => unavailable("no database connection became free in time"),
        sqlx::Error::PoolClosed => unavailable("the database has been closed"),
        // Decoding errors may quote the offending value: keep only where it happened.
        sqlx::Error::ColumnDecode { index, .. } => {
            StoreError::Other(format!("could not read stored column {index}"))
        }
        sqlx::Error::Decode(_) => StoreError::Other("could not read a stored value".to_owned()),
        sqlx::Error::Encode(_) => StoreError::Other("could not encode a value".to_owned()),
        sqlx::Error::Configuration(_) => {
            StoreError::Other("the database address or options are not valid".to_owned())
        }
        other => StoreError::Other(other.to_string()),
    }
}

fn is_unique(db: &dyn DatabaseError) -> bool {
    db.kind() == ErrorKind::UniqueViolation
}

/// Maps an error from the SQLite driver.
pub(crate) fn from_sqlite(e: sqlx::Error) -> StoreError {
    let sqlx::Error::Database(db) = e else {
        return non_database(e);
    };
    if is_unique(db.as_ref()) {
        return StoreError::Conflict;
    }
    let code: i64 = db.code().and_then(|c| c.parse().ok()).unwrap_or(-1);
    // Primary result codes, https://www.sqlite.org/rescode.html
    match code & 0xff {
        13 => unavailable("the disk is full"),
        8 => unavailable("the database file is read-only"),
        10 => unavailable("the disk reported an input/output error"),
        14 => unavailable("the database file cannot be opened"),
        5 | 6 => unavailable("the database is busy"),
        11 | 26 => unavailable("the database file is damaged or is not a database"),
        23 => unavailable("access to the database file was refused"),
        // SQLite's own messages name tables and columns, never values.
        _ => StoreError::Other(format!("sqlite error {code}: {}", db.message())),
    }
}

/// Maps an error from the PostgreSQL driver.
pub(crate) fn from_postgres(e: sqlx::Error) -> StoreError {
    let sqlx::Error::Database(db) = e else {
        return non_database(e);
    };
    if is_unique(db.as_ref()) {
        return StoreError::Conflict;
    }
    let code = db.code().unwrap_or(Cow::Borrowed("?????")).into_owned();
    // SQLSTATE codes, https://www.postgresql.org/docs/current/errcodes-appendix.html
    match code.as_str() {
        "53100" => unavailable("the database server's disk is full"),
        "25006" => unavailable("the database is read-only"),
        "58030" => unavailable("the database server reported an input/output error"),
        "57P01" | "57P02" | "57P03" => {
            unavailable("the database server is shutting down or starting")
        }
        c if c.starts_with("53") => unavailable("the database server is out of resources"),
        c if c.starts_with("08") => unavailable("the connection to the database server failed"),
        // Class 22 (data exception) messages can quote the offending value: keep the code only.
        c if c.starts_with("22") => StoreError::Other(format!("postgres error {c}")),
        c => StoreError::Other(format!("postgres error {c}: {}", db.message())),
    }
}
