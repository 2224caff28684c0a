//! Writes the consolidated workbook and the JSON summary. Knows nothing of input files.
//!
//! # What it owns
//!
//! - [`workbook`]: the report workbook, sheet by sheet (`outputs.md` §3), with Vietnamese
//!   labels, frozen headers, autofilters and percentage formats. Text read from returns
//!   is always written as text, never as a formula. The document date is the report
//!   date, so the same inputs give the same bytes. Every sheet is written by the crate's
//!   own writer (`xlsx`): sheets filled apart (the roster, nearly all of a country's
//!   workbook, on one worker while the others are filled), then made into XML and deflated
//!   in blocks on every worker.
//! - [`summary`]: the machine-readable JSON summary (`outputs.md` §4).
//! - [`feedback`]: one small workbook per unit, what was read and what to fix.
//! - [`template`]: the recommended return, with drop-down lists and instructions.
//! - `xlsx`: the workbook writer all three workbooks are written with (its own tests read
//!   its output back with calamine and zip).
//! - [`write_atomic`]: temporary file in the target folder, synced, renamed; a failed run
//!   never leaves a truncated report or replaces last month's good one.

pub mod feedback;
pub mod summary;
pub mod template;
pub mod workbook;
mod xlsx;

pub use xlsx::XlsxError;

use std::io::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use tonghop_model::Period;

/// What the report says about the run itself.
#[derive(Debug, Clone)]
pub struct ReportMeta {
    /// The period.
    pub period: Period,
    /// The date printed on the report and stored as its creation date.
    pub report_date: NaiveDate,
    /// Program name and version.
    pub program: String,
    /// The options the run was given, as (name, value).
    pub options: Vec<(String, String)>,
    /// The returns folder, as given.
    pub returns_dir: String,
    /// Inputs other than the returns (the training register), for the Thông tin sheet.
    pub other_inputs: Vec<OtherInput>,
    /// How the report signs and whom it goes to (`[document]` of `--config`).
    pub document: tonghop_model::config::Document,
    /// National IDs shown whole (`--show-ids`); otherwise masked ("••••••••1275").
    pub show_ids: bool,
}

/// An input file other than a return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherInput {
    /// What it is, in Vietnamese.
    pub role: String,
    /// Its path, as given.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256.
    pub sha256: String,
}

/// A report that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook could not be made as asked (a cell past Excel's limits, a name it
    /// refuses): a fault of tonghop, with the writer's English reason for `-v`.
    #[error("không lập được bảng tính")]
    Xlsx(#[from] crate::xlsx::XlsxError),
    /// The file could not be written.
    #[error("không ghi được {path}")]
    Io {
        /// Target path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Whether the file at `path` is a report tonghop wrote: its author property says so.
/// Only such a file is replaced by a new report.
pub fn is_tonghop_report(path: &Path) -> bool {
    use std::io::Read as _;
    const CORE_LIMIT: u64 = 1024 * 1024;
    let Ok(file) = std::fs::File::open(path) else { return false };
    let Ok(mut archive) = zip::ZipArchive::new(file) else { return false };
    let Ok(entry) = archive.by_name_raw(b"docProps/core.xml") else { return false };
    let deflated = entry.compression() != zip::CompressionMethod::Stored;
    let mut xml = String::new();
    let read = if deflated {
        flate2::read::DeflateDecoder::new(entry.take(CORE_LIMIT)).take(CORE_LIMIT).read_to_string(&mut xml)
    } else {
        entry.take(CORE_LIMIT).read_to_string(&mut xml)
    };
    read.is_ok() && xml.contains("<dc:creator>tonghop</dc:creator>")
}

/// Whether the file at `path` is a JSON summary tonghop wrote (see [`summary::build`]).
pub fn is_tonghop_summary(path: &Path) -> bool {
    use std::io::Read as _;
    let Ok(file) = std::fs::File::open(path) else { return false };
    // Bytes, not text: the 4,096th byte may fall inside a Vietnamese letter.
    let mut head = Vec::with_capacity(4096);
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    // Its keys are in order: "exit_code" comes first.
    head.trim_ascii_start().starts_with(b"{") && head.windows(11).any(|w| w == b"\"exit_code\"")
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let io = |source| ReportError::Io { path: path.display().to_string(), source };
    write_atomic_with(path, |file| file.write_all(bytes).map_err(io))
}

/// Writes `path` atomically with `write`, which streams into the temporary file (the
/// report of a country is not held in memory twice).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let io = |source| ReportError::Io { path: path.display().to_string(), source };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tonghop-").suffix(".tmp");
    // A temporary file is the owner's alone; the report is for the Board to open, so it is
    // made as any new file is (read and write for all, less the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_is_recognised_whatever_letter_its_first_4096_bytes_cut() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        for pad in 0..4 {
            // "ễ" is three bytes: one of these paddings puts byte 4,096 inside one.
            let text = format!(
                "{{\n  \"exit_code\": 3,\n  \"files\": [\"{}{}\"]\n}}\n",
                "a".repeat(pad),
                "Nguyễn".repeat(1000)
            );
            std::fs::write(&path, text).unwrap();
            assert!(is_tonghop_summary(&path), "pad {pad}");
        }
        std::fs::write(&path, b"{\"mine\": true}").unwrap();
        assert!(!is_tonghop_summary(&path));
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.xlsx");
        std::fs::write(&target, b"old").unwrap();
        write_atomic(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// The report is for the Board to open, from whatever account: it gets the permissions
    /// any new file gets (the umask's), not a temporary file's owner-only ones.
    #[cfg(unix)]
    #[test]
    fn a_report_gets_the_permissions_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let report = dir.path().join("r.xlsx");
        write_atomic(&report, b"new").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&report), mode(&plain));
        // Replacing a report keeps to that too.
        write_atomic(&report, b"newer").unwrap();
        assert_eq!(mode(&report), mode(&plain));
    }

    #[test]
    fn failed_write_keeps_the_old_report() {
        let err = write_atomic(Path::new("/nonexistent-dir/r.xlsx"), b"new").unwrap_err();
        assert!(err.to_string().contains("/nonexistent-dir/r.xlsx"), "{err}");
    }
}
