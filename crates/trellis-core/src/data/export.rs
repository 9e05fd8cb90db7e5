//! Making the export file: every record opened, written as `records.json` and Markdown into
//! a ZIP in memory, and the ZIP encrypted with age to the person's file passphrase.

use std::io::{Cursor, Write};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::kinds::DERIVED;
use super::{
    markdown, Area, EXPORT_SCHEMA_VERSION, FILE_PASSPHRASE_MAX_CHARS, FILE_PASSPHRASE_MIN_CHARS,
    FORMAT, MAX_WORK_FACTOR,
};
use crate::access::{Requester, UnlockError};
use crate::clock::iso_day;
use crate::trellis::{Handle, ServiceError};

/// `records.json`: the whole export in one document.
#[derive(Serialize, Deserialize)]
pub(super) struct RecordsFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`EXPORT_SCHEMA_VERSION`] when written.
    pub schema_version: u16,
    /// The day it was made (`YYYY-MM-DD`).
    pub exported_on: String,
    /// Every record.
    pub records: Vec<ExportRecord>,
}

/// One record in `records.json`, opened.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct ExportRecord {
    /// Its kind (`journal_entry`…).
    pub kind: String,
    /// The schema version of `value`.
    pub schema_version: u16,
    /// Its id.
    pub id: String,
    /// The day it was first saved (`YYYY-MM-DD`).
    pub created_on: String,
    /// The day it last changed.
    pub updated_on: String,
    /// What the person wrote, as Trellis keeps it.
    pub value: serde_json::Value,
}

/// Why a file passphrase was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FilePassphraseProblem {
    /// Shorter than [`FILE_PASSPHRASE_MIN_CHARS`].
    #[error("Please choose a passphrase for the file of at least 12 characters.")]
    TooShort,
    /// Longer than [`FILE_PASSPHRASE_MAX_CHARS`].
    #[error("Please choose a passphrase for the file of at most 1,000 characters.")]
    TooLong,
    /// The two did not match.
    #[error("The two passphrases for the file were not the same. Please type them again.")]
    Mismatch,
}

/// Why no export was made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file passphrase was not taken.
    #[error(transparent)]
    FilePassphrase(#[from] FilePassphraseProblem),
    /// The person's own passphrase, asked again, did not check out.
    #[error(transparent)]
    Confirm(#[from] UnlockError),
    /// Something on our side.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// A made export: the encrypted bytes, and how many records it holds.
pub struct ExportFile {
    /// The age file.
    pub bytes: Vec<u8>,
    /// How many records it holds.
    pub records: usize,
}

/// Checks a chosen file passphrase and its confirmation.
pub fn check_file_passphrase(passphrase: &str, confirm: &str) -> Result<(), FilePassphraseProblem> {
    let n = passphrase.chars().count();
    if n < FILE_PASSPHRASE_MIN_CHARS {
        return Err(FilePassphraseProblem::TooShort);
    }
    if n > FILE_PASSPHRASE_MAX_CHARS {
        return Err(FilePassphraseProblem::TooLong);
    }
    if passphrase != confirm {
        return Err(FilePassphraseProblem::Mismatch);
    }
    Ok(())
}

impl Handle<'_, Area> {
    /// Makes the export file, after asking for the person's passphrase again (`current`).
    pub async fn export(
        self,
        current: &str,
        file_passphrase: &str,
        confirm: &str,
        requester: &Requester,
    ) -> Result<ExportFile, ExportError> {
        check_file_passphrase(file_passphrase, confirm)?;
        self.trellis
            .confirm_passphrase(self.me, current, requester)
            .await?;
        let records = self.opened_records().await?;
        let count = records.len();
        let today = iso_day(crate::clock::day_of(self.trellis.now()));
        let passphrase = age::secrecy::SecretString::from(file_passphrase.to_owned());
        let work_factor = self.trellis.policy.export_work_factor.min(MAX_WORK_FACTOR);
        let bytes = self
            .trellis
            .run_kdf(move || seal_export(records, today, passphrase, work_factor))
            .await??;
        tracing::info!(event = "exported", records = count, bytes = bytes.len());
        Ok(ExportFile {
            bytes,
            records: count,
        })
    }

    /// Every record of the account but the derived ones, opened.
    pub(super) async fn opened_records(self) -> Result<Vec<ExportRecord>, ServiceError> {
        let stored = self
            .trellis
            .store
            .records_of_account(self.me.account_id())
            .await?;
        let mut records = Vec::with_capacity(stored.len());
        for r in stored {
            if DERIVED.contains(&r.kind.as_str()) {
                continue;
            }
            let (kind, schema_version, id) = (r.kind.clone(), r.schema_version, r.id.clone());
            let (created, updated) = (r.created_day, r.updated_day);
            let plaintext = self.trellis.open_bytes(self.me, r)?;
            let value = serde_json::from_slice(&plaintext).map_err(|_| ServiceError::Keys)?;
            records.push(ExportRecord {
                kind,
                schema_version,
                id: id.as_str().to_owned(),
                created_on: iso_day(created),
                updated_on: iso_day(updated),
                value,
            });
        }
        Ok(records)
    }
}

const README: &str = "This is everything you kept in Trellis.\n\n\
Each area is in its own Markdown file (journal.md, today.md and so on), which any text editor \
opens. records.json holds the same, in the form Trellis reads back: in Settings, \
\"Bring your data in\" takes the .age file this came in.\n\n\
Please keep this folder somewhere private, and delete it when you no longer need it.\n";

/// The ZIP (README, Markdown, `records.json`), made in memory and encrypted with age.
fn seal_export(
    records: Vec<ExportRecord>,
    exported_on: String,
    passphrase: age::secrecy::SecretString,
    work_factor: u8,
) -> Result<Vec<u8>, ServiceError> {
    let zip = Zeroizing::new(build_zip(records, exported_on).map_err(|_| ServiceError::Keys)?);
    let mut recipient = age::scrypt::Recipient::new(passphrase);
    recipient.set_work_factor(work_factor);
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as _))
        .map_err(|_| ServiceError::Keys)?;
    let mut out = Vec::with_capacity(zip.len() + 1024);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|_| ServiceError::Keys)?;
    writer.write_all(&zip).map_err(|_| ServiceError::Keys)?;
    writer.finish().map_err(|_| ServiceError::Keys)?;
    Ok(out)
}

/// The ZIP's bytes: README.md, one Markdown file per area, records.json.
pub(super) fn build_zip(
    records: Vec<ExportRecord>,
    exported_on: String,
) -> zip::result::ZipResult<Vec<u8>> {
    let markdown = markdown::files(&records);
    let json = Zeroizing::new(
        serde_json::to_vec_pretty(&RecordsFile {
            format: FORMAT.to_owned(),
            schema_version: EXPORT_SCHEMA_VERSION,
            exported_on,
            records,
        })
        .map_err(|e| zip::result::ZipError::Io(e.into()))?,
    );
    let room = json.len() + markdown.iter().map(|(_, t)| t.len()).sum::<usize>() + 4096;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(room)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("README.md", options)?;
    zip.write_all(README.as_bytes())?;
    for (name, text) in &markdown {
        zip.start_file(*name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.start_file("records.json", options)?;
    zip.write_all(&json)?;
    Ok(zip.finish()?.into_inner())
}
