//! Bringing an export file back in: decrypted with a bounded scrypt cost, unpacked with a
//! bounded size, checked record by record, then merged (only ever adding: see the module's
//! words) and sealed with this account's key in one store transaction.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use serde::Deserialize;
use zeroize::Zeroizing;

use super::export::{ExportRecord, RecordsFile};
use super::kinds::{exported, DERIVED};
use super::{
    Area, EXPORT_SCHEMA_VERSION, FORMAT, MAX_FILE_BYTES, MAX_RECORDS_JSON_BYTES, MAX_WORK_FACTOR,
    MAX_ZIP_ENTRIES,
};
use crate::clock::parse_iso_day;
use crate::ids::RecordId;
use crate::store::StoredRecord;
use crate::trellis::{Handle, ServiceError};

/// Why a file was not brought in. Nothing was changed in any of these cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    /// No file was chosen.
    #[error("Please choose the file to bring in.")]
    NoFile,
    /// Larger than a Trellis export may be, packed or unpacked.
    #[error("This file is larger than Trellis can bring in, so nothing was changed.")]
    TooLarge,
    /// Not an age file with a passphrase, or not a Trellis export inside.
    #[error("This doesn't look like a file Trellis made, so nothing was changed. The file to choose ends in .age.")]
    NotAnExport,
    /// The passphrase does not open it.
    #[error("That passphrase doesn't open this file, so nothing was changed. Please check it and try again.")]
    WrongPassphrase,
    /// It asks for more work to open than is allowed here.
    #[error("This file was locked in a way that takes more work to open than Trellis allows, so nothing was changed.")]
    TooCostly,
    /// Cut short or changed since it was made.
    #[error("This file seems to be incomplete or changed since it was made, so it can't be read safely. Nothing was changed.")]
    Damaged,
    /// Made by a newer Trellis.
    #[error("This file was made by a newer version of Trellis, so this one can't read all of it yet. Nothing was changed. Once this Trellis is updated, it can bring the file in.")]
    Newer,
}

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Something about the file (nothing changed).
    #[error(transparent)]
    Problem(#[from] ImportProblem),
    /// Something on our side (nothing changed).
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Records added.
    pub added: usize,
    /// Records already here, the same.
    pub already_here: usize,
    /// Records here that differ from the file's copy: the one here was kept.
    pub kept_yours: usize,
}

/// One checked record of the file, ready to seal.
struct Incoming {
    id: RecordId,
    kind: &'static str,
    once: bool,
    schema_version: u16,
    created_day: i64,
    updated_day: i64,
    value: serde_json::Value,
    plaintext: Zeroizing<Vec<u8>>,
}

impl Handle<'_, Area> {
    /// Brings the records of an export file into this account (see the module's words for
    /// what happens to a record already here). Nothing changes unless all of it comes in.
    pub async fn import(self, file: &[u8], passphrase: &str) -> Result<ImportReport, ImportError> {
        if file.is_empty() {
            return Err(ImportProblem::NoFile.into());
        }
        if file.len() > MAX_FILE_BYTES {
            return Err(ImportProblem::TooLarge.into());
        }
        let file = file.to_vec();
        let passphrase = age::secrecy::SecretString::from(passphrase.to_owned());
        let records = self
            .trellis
            .run_kdf(move || read_export(&file, passphrase, MAX_WORK_FACTOR))
            .await??;
        let incoming = check_records(records)?;
        let report = self.merge(incoming).await?;
        tracing::info!(
            event = "imported",
            added = report.added,
            same = report.already_here,
            kept = report.kept_yours
        );
        Ok(report)
    }

    async fn merge(self, incoming: Vec<Incoming>) -> Result<ImportReport, ServiceError> {
        let mut here: HashMap<RecordId, StoredRecord> = HashMap::new();
        let mut kinds_here: HashSet<String> = HashSet::new();
        for r in self
            .trellis
            .store
            .records_of_account(self.me.account_id())
            .await?
        {
            kinds_here.insert(r.kind.clone());
            here.insert(r.id.clone(), r);
        }
        let mut report = ImportReport::default();
        let mut save = Vec::new();
        let mut seen = HashSet::new();
        for r in incoming {
            if !seen.insert(r.id.clone()) {
                continue;
            }
            if let Some(existing) = here.remove(&r.id) {
                let same = existing.kind == r.kind && {
                    let opened = self.trellis.open_bytes(self.me, existing)?;
                    serde_json::from_slice::<serde_json::Value>(&opened).ok() == Some(r.value)
                };
                if same {
                    report.already_here += 1;
                } else {
                    report.kept_yours += 1;
                }
                continue;
            }
            if r.once && !kinds_here.insert(r.kind.to_owned()) {
                report.kept_yours += 1;
                continue;
            }
            let mut record = self.trellis.seal_bytes(
                self.me,
                (r.id, r.kind, r.schema_version),
                Some(r.created_day),
                &r.plaintext,
            )?;
            record.updated_day = r.updated_day;
            save.push(record);
        }
        // One transaction that only adds: a record written here meanwhile (another tab's
        // first save of the safety plan) is never replaced by the file's.
        if !save.is_empty() {
            let added = self
                .trellis
                .store
                .add_records(self.me.account_id(), &save)
                .await?
                .len();
            report.added += added;
            report.kept_yours += save.len() - added;
        }
        Ok(report)
    }
}

/// Only what says which file this is, read before the rest.
#[derive(Deserialize)]
struct Header {
    format: String,
    schema_version: u16,
}

/// Decrypts the file and reads `records.json` out of its ZIP, within the limits.
pub(super) fn read_export(
    file: &[u8],
    passphrase: age::secrecy::SecretString,
    max_work_factor: u8,
) -> Result<Vec<ExportRecord>, ImportProblem> {
    use age::DecryptError;
    let decryptor = age::Decryptor::new_buffered(file).map_err(|e| match e {
        DecryptError::Io(_) => ImportProblem::Damaged,
        _ => ImportProblem::NotAnExport,
    })?;
    if !decryptor.is_scrypt() {
        return Err(ImportProblem::NotAnExport);
    }
    let mut identity = age::scrypt::Identity::new(passphrase);
    identity.set_max_work_factor(max_work_factor);
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            DecryptError::ExcessiveWork { .. } => ImportProblem::TooCostly,
            DecryptError::DecryptionFailed | DecryptError::NoMatchingKeys => {
                ImportProblem::WrongPassphrase
            }
            _ => ImportProblem::Damaged,
        })?;
    let zip_bytes = read_at_most(&mut reader, MAX_FILE_BYTES as u64, ImportProblem::Damaged)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(&zip_bytes[..]))
        .map_err(|_| ImportProblem::NotAnExport)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(ImportProblem::TooLarge);
    }
    let mut entry = archive
        .by_name("records.json")
        .map_err(|_| ImportProblem::NotAnExport)?;
    let json = read_at_most(&mut entry, MAX_RECORDS_JSON_BYTES, ImportProblem::Damaged)?;
    drop(entry);
    let header: Header = serde_json::from_slice(&json).map_err(|_| ImportProblem::NotAnExport)?;
    if header.format != FORMAT {
        return Err(ImportProblem::NotAnExport);
    }
    if header.schema_version > EXPORT_SCHEMA_VERSION {
        return Err(ImportProblem::Newer);
    }
    let file: RecordsFile = serde_json::from_slice(&json).map_err(|_| ImportProblem::Damaged)?;
    Ok(file.records)
}

/// Reads everything, refusing as too large past `limit` bytes (never holding more than one
/// byte over it).
fn read_at_most(
    reader: &mut impl Read,
    limit: u64,
    unreadable: ImportProblem,
) -> Result<Zeroizing<Vec<u8>>, ImportProblem> {
    let mut bytes = Zeroizing::new(Vec::new());
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(ImportProblem::TooLarge);
    }
    Ok(bytes)
}

/// Checks every record before anything is written: a kind this build knows, at a schema it
/// reads, an id, days, and content that opens as its kind.
fn check_records(records: Vec<ExportRecord>) -> Result<Vec<Incoming>, ImportProblem> {
    let mut incoming = Vec::with_capacity(records.len());
    for r in records {
        if DERIVED.contains(&r.kind.as_str()) {
            continue;
        }
        let kind = exported(&r.kind).ok_or(ImportProblem::Newer)?;
        if r.schema_version > kind.schema_version {
            return Err(ImportProblem::Newer);
        }
        let id = RecordId::parse(&r.id).ok_or(ImportProblem::Damaged)?;
        let created_day = parse_iso_day(&r.created_on).ok_or(ImportProblem::Damaged)?;
        let updated_day = parse_iso_day(&r.updated_on).ok_or(ImportProblem::Damaged)?;
        let plaintext =
            Zeroizing::new(serde_json::to_vec(&r.value).map_err(|_| ImportProblem::Damaged)?);
        if !kind.reads(&plaintext) {
            return Err(ImportProblem::Damaged);
        }
        incoming.push(Incoming {
            id,
            kind: kind.kind,
            once: kind.once,
            schema_version: r.schema_version,
            created_day,
            updated_day,
            value: r.value,
            plaintext,
        });
    }
    Ok(incoming)
}
