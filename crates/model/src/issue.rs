//! Data issues: a cell, a row or a file that could not be fully understood.

use crate::codes::Field;
use crate::units::UnitId;

/// How much a data issue matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A row or a file could not be used.
    Error,
    /// A value could not be understood; the field is unknown.
    Warning,
    /// Worth knowing; nothing was lost.
    Info,
}

impl Severity {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "Lỗi",
            Self::Warning => "Cảnh báo",
            Self::Info => "Thông tin",
        }
    }
}

/// One problem found in the data, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DataIssue {
    /// Index of the file in the run's file list (for stable ordering).
    pub file_index: usize,
    /// The unit concerned, when known.
    pub unit: Option<UnitId>,
    /// File path relative to the returns folder.
    pub file: String,
    /// Sheet, when the issue is in a sheet.
    pub sheet: Option<String>,
    /// A1 cell address, when the issue is in a cell.
    pub cell: Option<String>,
    /// The field, when the issue is about one.
    pub field: Option<Field>,
    /// The raw value as read.
    pub raw: String,
    /// What is wrong, in Vietnamese for the clerk.
    pub problem: String,
    /// How much it matters.
    pub severity: Severity,
}

/// Most problems listed for one file: a small hostile file can raise a million (one per
/// cell), which no clerk reads and no sheet holds. The rest are counted on one line.
pub const MAX_ISSUES_PER_FILE: usize = 1_000;

/// Keeps a file's first [`MAX_ISSUES_PER_FILE`] problems, errors before warnings, and
/// counts the rest on a last line of the file's.
pub fn bound_per_file(issues: &mut Vec<DataIssue>) {
    if issues.len() <= MAX_ISSUES_PER_FILE {
        return;
    }
    // Stable: within a severity the problems keep their order down the sheet.
    issues.sort_by_key(|i| i.severity != Severity::Error);
    let errors = issues.iter().filter(|i| i.severity == Severity::Error).count();
    let left = issues.len() - (MAX_ISSUES_PER_FILE - 1);
    let left_errors = errors.saturating_sub(MAX_ISSUES_PER_FILE - 1);
    issues.truncate(MAX_ISSUES_PER_FILE - 1);
    let first = &issues[0];
    let summary = DataIssue {
        sheet: None,
        cell: None,
        field: None,
        raw: String::new(),
        problem: format!(
            "Tệp còn {left} vấn đề khác ({left_errors} lỗi) không liệt kê: mỗi tệp chỉ liệt kê {MAX_ISSUES_PER_FILE} vấn đề; đề nghị đơn vị kiểm tra lại toàn bộ tệp"
        ),
        severity: if left_errors > 0 { Severity::Error } else { Severity::Warning },
        ..first.clone()
    };
    issues.push(summary);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_lists_at_most_its_bound_of_problems_errors_first_and_counts_the_rest() {
        let issue = |k: usize, severity| DataIssue {
            file_index: 3,
            unit: None,
            file: "Son Ha/bc.ods".to_owned(),
            sheet: Some("DS".to_owned()),
            cell: Some(format!("B{k}")),
            field: None,
            raw: String::new(),
            problem: format!("vấn đề {k}"),
            severity,
        };
        let mut issues: Vec<DataIssue> =
            (0..1_000_000).map(|k| issue(k, if k % 2 == 0 { Severity::Warning } else { Severity::Error })).collect();
        bound_per_file(&mut issues);
        assert_eq!(issues.len(), MAX_ISSUES_PER_FILE);
        assert!(issues[..MAX_ISSUES_PER_FILE - 1].iter().all(|i| i.severity == Severity::Error));
        assert_eq!(issues[0].cell.as_deref(), Some("B1"));
        let last = issues.last().unwrap();
        assert_eq!(last.file, "Son Ha/bc.ods");
        assert_eq!(last.severity, Severity::Error);
        assert!(last.problem.starts_with("Tệp còn 999001 vấn đề khác (499001 lỗi)"), "{}", last.problem);
        // Within the bound, nothing changes.
        let mut few: Vec<DataIssue> = (0..10).map(|k| issue(k, Severity::Warning)).collect();
        let before = few.clone();
        bound_per_file(&mut few);
        assert_eq!(few, before);
    }
}
