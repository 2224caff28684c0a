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
