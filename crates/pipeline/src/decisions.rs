//! The clerk's decisions on review pairs. Sources, in increasing precedence (a later one
//! decides a pair the earlier ones decided otherwise, and the change is said):
//!
//! 1. `decisions-marked.toml` in the history folder: the marks read from reports, kept by
//!    tonghop so that they last (written by tonghop only, rewritten whole);
//! 2. the reports given with `--decisions`, then the report `--out` is about to replace (a
//!    rerun of a month keeps what the clerk marked in it);
//! 3. `decisions.toml` in the history folder: the clerk's own file, never written by tonghop;
//! 4. the TOML files given with `--decisions`.

use std::path::{Path, PathBuf};

use tonghop_model::decisions::{self, Decision};
use tonghop_model::{DataIssue, Severity};

use crate::{MonthError, MonthOptions};

/// The clerk's file in the history folder.
const CLERKS_FILE: &str = "decisions.toml";
/// tonghop's file of the marks read from reports, in the history folder.
pub const MARKED_FILE: &str = "decisions-marked.toml";

/// The clerk's decisions for this run, what to keep, and what to tell the clerk.
#[derive(Debug, Default)]
pub(crate) struct Decisions {
    pub(crate) all: Vec<Decision>,
    /// The marks to keep in the history, when they changed.
    pub(crate) to_keep: Option<Vec<Decision>>,
    /// Marks that cannot be applied and decisions replaced, for Lỗi dữ liệu.
    pub(crate) issues: Vec<DataIssue>,
}

/// Whether a path names a spreadsheet (a report) rather than a TOML file.
fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm", "xls", "xlsb", "ods"].contains(&e.to_ascii_lowercase().as_str()))
}

fn warning(file: &str, cell: Option<String>, problem: String) -> DataIssue {
    DataIssue {
        file_index: usize::MAX,
        unit: None,
        file: file.to_owned(),
        sheet: cell.as_ref().map(|_| decisions::SHEET.to_owned()),
        cell,
        field: None,
        raw: String::new(),
        problem,
        severity: Severity::Warning,
    }
}

/// A decisions file: absent is none; anything but a regular file, or a file that cannot be
/// read or parsed, refuses the month before any work, with the clerk's message.
fn read_toml(path: &Path, must_exist: bool) -> Result<Vec<Decision>, MonthError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => return Ok(Vec::new()),
        _ => {}
    }
    let bytes = tonghop_model::files::read_regular_file(path, 16 * 1024 * 1024)
        .map_err(|e| MonthError::Usage(format!("tệp quyết định {}: {}", path.display(), e.message_vi())))?;
    decisions::parse(&String::from_utf8_lossy(&bytes), &tonghop_model::files::shown(path))
        .map_err(|e| MonthError::Usage(e.to_string()))
}

/// Reads every source; see the module's documentation for their order.
pub(crate) fn load(opts: &MonthOptions) -> Result<Decisions, MonthError> {
    let mut out = Decisions::default();
    let history = opts.history.as_deref();
    let kept = match history {
        Some(h) => read_toml(&h.join(MARKED_FILE), false)?,
        None => Vec::new(),
    };
    // The reports: those given, then the report this run replaces. A country's report is
    // larger than a return may be: only its Trùng lặp sheet is parsed.
    let limits = tonghop_ingest::Limits {
        max_file_bytes: 1024 * 1024 * 1024,
        max_unzipped_bytes: 4 * 1024 * 1024 * 1024,
        ..tonghop_ingest::Limits::default()
    };
    let mut reports: Vec<(PathBuf, bool)> =
        opts.decisions.iter().filter(|p| is_spreadsheet(p)).map(|p| (p.clone(), true)).collect();
    if !crate::is_stdout(&opts.out)
        && opts.out.is_file()
        && tonghop_report::is_tonghop_report(&opts.out)
        && !reports.iter().any(|(p, _)| *p == opts.out)
    {
        reports.push((opts.out.clone(), false));
    }
    let mut marks = vec![kept.clone()];
    for (path, given) in &reports {
        let marked = match tonghop_ingest::decisions::read_report(path, &limits) {
            Ok(marked) => marked,
            Err(e) if *given => return Err(MonthError::Usage(e.to_string())),
            // The report being replaced was not asked for: what cannot be read of it is
            // said, and the month goes on.
            Err(e) => {
                out.issues.push(warning(
                    &tonghop_model::files::shown(path),
                    None,
                    format!("không đọc được quyết định trong báo cáo sắp được thay: {e}"),
                ));
                continue;
            }
        };
        out.issues.extend(
            marked
                .problems
                .into_iter()
                .map(|(cell, problem)| warning(&tonghop_model::files::shown(path), Some(cell), problem)),
        );
        marks.push(marked.decisions);
    }
    // What the reports say, over what was kept: kept again when it changed.
    let marked = decisions::combine(marks).map_err(|e| MonthError::Usage(e.to_string()))?;
    if history.is_some() && marked.decisions != kept {
        out.to_keep = Some(marked.decisions.clone());
    }
    let mut sources = vec![marked.decisions];
    if let Some(h) = history {
        sources.push(read_toml(&h.join(CLERKS_FILE), false)?);
    }
    for path in opts.decisions.iter().filter(|p| !is_spreadsheet(p)) {
        sources.push(read_toml(path, true)?);
    }
    let combined = decisions::combine(sources).map_err(|e| MonthError::Usage(e.to_string()))?;
    out.issues.extend(marked.replaced.into_iter().chain(combined.replaced).map(|r| warning("quyết định", None, r)));
    out.all = combined.decisions;
    Ok(out)
}

/// Rewrites the history's file of marks (tonghop's own), atomically.
pub(crate) fn keep(history: &Path, decisions: Option<&Vec<Decision>>) -> Result<(), MonthError> {
    let Some(decisions) = decisions else { return Ok(()) };
    let path = history.join(MARKED_FILE);
    let mut text = String::from(
        "# Quyết định cán bộ đã chọn ở cột \"Quyết định\" của trang Trùng lặp, tonghop ghi lại để dùng các kỳ sau.\n# Tệp này do tonghop viết lại; muốn sửa một quyết định, ghi vào decisions.toml (tệp này được ưu tiên hơn).\n",
    );
    for d in decisions {
        text.push('\n');
        text.push_str(&d.to_toml());
    }
    std::fs::create_dir_all(history)
        .and_then(|()| tonghop_report::write_atomic(&path, text.as_bytes()).map_err(std::io::Error::other))
        .map_err(|e| {
            MonthError::failed(
                format!("không lưu được các quyết định đã chọn trong báo cáo vào {} nên chưa ghi gì", path.display()),
                e,
            )
        })
}
