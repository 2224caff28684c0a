//! Reads a folder of heterogeneous returns into raw rows with provenance.
//!
//! # What it owns
//!
//! - [`discover`]: every file below the returns folder, sorted, spreadsheets told apart
//!   from the rest.
//! - [`workbook`]: opening one file (xlsx, xlsm, xls, ods, xlsb) from bytes, with the
//!   format sniffed from its content, not its name; size limits; panics in the reader
//!   contained.
//! - [`header`]: finding the header row below any title block and mapping each column to
//!   a [`Field`](tonghop_model::Field) with a synonym table.
//! - [`rows`]: sorting the rows under the header into people, rejects and skipped rows
//!   (blank, group, total, footer), keeping the row accounting.
//! - [`unit`]: deciding which registry unit a file, sheet or row belongs to.
//!
//! A file that cannot be read never stops the run: [`read_file`] always returns a
//! [`FileRead`] whose intake says what went wrong, with the typed [`IngestError`] behind it.

// An ingest error carries the file, sheet, cell and hash so that the intake can name them;
// it happens once per bad file, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod discover;
pub mod header;
pub mod rows;
pub mod unit;
pub mod workbook;

use std::path::PathBuf;

use rayon::prelude::*;
use tonghop_model::intake::{FileIntake, FileStatus, RowCounts, UnitFoundBy};
use tonghop_model::record::RawRecord;
use tonghop_model::units::{UnitId, UnitMatcher};
use tonghop_model::{DataIssue, Period, Registry, Severity};

pub use discover::{FoundFile, discover};
pub use workbook::{IngestError, IngestErrorKind, Limits};

/// Everything read from one file.
#[derive(Debug, Clone)]
pub struct FileRead {
    /// What happened to the file.
    pub intake: FileIntake,
    /// The rows that look like people, with their provenance.
    pub records: Vec<RawRecord>,
    /// Problems found while reading (rejected rows, an unidentified unit...).
    pub issues: Vec<DataIssue>,
    /// The typed error, when the file could not be read.
    pub error: Option<IngestError>,
    /// The workbook's own modification date or the file's, for "newest source wins".
    pub modified: Option<std::time::SystemTime>,
}

/// What the reader needs to know about the run.
#[derive(Debug, Clone)]
pub struct IngestContext<'a> {
    /// The unit registry.
    pub registry: &'a Registry,
    /// The reporting period.
    pub period: Period,
    /// Per-file limits.
    pub limits: Limits,
    matcher: UnitMatcher,
}

impl<'a> IngestContext<'a> {
    /// A context for `period` with the default limits.
    pub fn new(registry: &'a Registry, period: Period) -> Self {
        Self { registry, period, limits: Limits::default(), matcher: registry.matcher(period) }
    }

    /// The unit matcher for the period.
    pub fn matcher(&self) -> &UnitMatcher {
        &self.matcher
    }
}

/// Reads every file, in parallel, in the order given.
pub fn read_all(files: &[FoundFile], ctx: &IngestContext<'_>) -> Vec<FileRead> {
    files.par_iter().map(|f| read_file(f, ctx)).collect()
}

/// Reads one file. Never fails: an unreadable file comes back with status
/// [`FileStatus::Unreadable`], its error, and the unit its name points to (so that the
/// unit can be marked invalid rather than missing).
pub fn read_file(file: &FoundFile, ctx: &IngestContext<'_>) -> FileRead {
    if !file.is_spreadsheet {
        return FileRead {
            intake: FileIntake::not_spreadsheet(file.rel_path.clone(), file.size),
            records: Vec::new(),
            issues: Vec::new(),
            error: None,
            modified: file.modified,
        };
    }
    match workbook::load(file, &ctx.limits) {
        Ok(book) => rows::read_book(file, &book, ctx),
        Err(error) => {
            let (units, found_by, evidence) = match unit::from_path(file, ctx.matcher()) {
                unit::Decision::Found(id, by) => (vec![id], Some(by), String::new()),
                unit::Decision::Unclear(seen) => (Vec::new(), None, seen),
            };
            let issue = DataIssue {
                file_index: file.index,
                unit: units.first().copied(),
                file: file.rel_path.clone(),
                sheet: error.sheet.clone(),
                cell: error.cell.clone(),
                field: None,
                raw: String::new(),
                problem: format!("Không đọc được tệp: {}", error.kind.message_vi()),
                severity: Severity::Error,
            };
            FileRead {
                intake: FileIntake {
                    path: file.rel_path.clone(),
                    size: file.size,
                    sha256: error.sha256.clone().unwrap_or_default(),
                    status: FileStatus::Unreadable,
                    units,
                    unit_found_by: found_by,
                    unit_evidence: evidence,
                    encoding: String::new(),
                    sheets: Vec::new(),
                    counts: RowCounts::default(),
                    error: Some(error.to_string()),
                },
                records: Vec::new(),
                issues: vec![issue],
                error: Some(error),
                modified: file.modified,
            }
        }
    }
}

/// The unit decided for a record, for callers that only need the id.
pub fn record_unit(record: &RawRecord) -> (UnitId, UnitFoundBy) {
    (record.unit, record.unit_found_by)
}

/// The absolute path of a found file (for messages).
pub fn absolute(file: &FoundFile) -> PathBuf {
    file.abs_path.clone()
}
