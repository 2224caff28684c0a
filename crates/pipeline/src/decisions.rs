//! The clerk's decisions on review pairs: read from the history's `decisions.toml` and from
//! every `--decisions` source (a TOML file, or a report whose Trùng lặp sheet the clerk
//! marked); those marked in a report are kept in the history so that they last.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use tonghop_model::decisions::{self, Decision};

use crate::{MonthError, MonthOptions};

/// The clerk's decisions for this run, and those of them to keep in the history folder.
#[derive(Debug, Default)]
pub(crate) struct Decisions {
    pub(crate) all: Vec<Decision>,
    /// Marked in a report and not yet in the history's decisions file.
    pub(crate) to_keep: Vec<Decision>,
}

/// The history's decisions file.
fn decisions_file(history: &Path) -> PathBuf {
    history.join("decisions.toml")
}

/// Reads every source. Anything that cannot be read or applied is refused before any work,
/// with the clerk's message, and nothing of it is applied (the files are left as they are).
pub(crate) fn load(opts: &MonthOptions) -> Result<Decisions, MonthError> {
    let usage = MonthError::Usage;
    let read_toml = |path: &Path| -> Result<Vec<Decision>, MonthError> {
        let bytes = tonghop_model::files::read_regular_file(path, 16 * 1024 * 1024)
            .map_err(|e| usage(format!("--decisions {}: {e}", path.display())))?;
        decisions::parse(&String::from_utf8_lossy(&bytes), &path.display().to_string())
            .map_err(|e| usage(e.to_string()))
    };
    let mut sources = Vec::new();
    let mut in_history = HashSet::new();
    if let Some(path) = opts.history.as_deref().map(decisions_file).filter(|p| p.is_file()) {
        let kept = read_toml(&path)?;
        in_history.extend(kept.iter().map(Decision::pair));
        sources.push((path.display().to_string(), kept, false));
    }
    for path in &opts.decisions {
        let is_report = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["xlsx", "xlsm"].contains(&e.to_ascii_lowercase().as_str()));
        let read = if is_report {
            tonghop_ingest::decisions::read_report(path, &tonghop_ingest::Limits::default())
                .map_err(|e| usage(e.to_string()))?
        } else {
            read_toml(path)?
        };
        sources.push((path.display().to_string(), read, is_report));
    }
    let mut to_keep: Vec<Decision> = Vec::new();
    for (_, list, is_report) in &sources {
        if *is_report {
            for d in list {
                if !in_history.contains(&d.pair()) && !to_keep.iter().any(|k| k.pair() == d.pair()) {
                    to_keep.push(d.clone());
                }
            }
        }
    }
    let all = decisions::combine(sources.into_iter().map(|(origin, list, _)| (origin, list)).collect())
        .map_err(|e| usage(e.to_string()))?;
    Ok(Decisions { all, to_keep })
}

/// Appends the decisions marked in a report to the history's decisions file (what the
/// clerk wrote there is left as it is), so that they last over the months.
pub(crate) fn keep(history: &Path, decisions: &[Decision]) -> Result<(), MonthError> {
    if decisions.is_empty() {
        return Ok(());
    }
    let path = decisions_file(history);
    let cannot = |e: &dyn std::fmt::Display| {
        MonthError::message(format!(
            "the decisions marked in the report could not be kept in --history, so no report was written: {}: {e}",
            path.display()
        ))
    };
    let mut text = match tonghop_model::files::read_regular_file(&path, 16 * 1024 * 1024) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(tonghop_model::files::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            "# Quyết định của cán bộ về các cặp cần xem xét (trang Trùng lặp), giữ qua các kỳ.\n".to_owned()
        }
        Err(e) => return Err(cannot(&e)),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for d in decisions {
        text.push('\n');
        text.push_str(&d.to_toml());
    }
    tonghop_report::write_atomic(&path, text.as_bytes()).map_err(|e| cannot(&e))
}
