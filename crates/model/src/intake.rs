//! What happened to each file of the returns folder and to each expected unit.

use crate::codes::Field;
use crate::units::UnitId;

/// What became of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileStatus {
    /// Read, and its unit was identified.
    Read,
    /// Could not be read (corrupt, encrypted, wrong format, empty).
    Unreadable,
    /// Readable, but no unit could be decided.
    Unidentified,
    /// Not a spreadsheet (by its name).
    NotSpreadsheet,
}

impl FileStatus {
    /// Key used in the JSON summary.
    pub fn key(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Unreadable => "unreadable",
            Self::Unidentified => "unidentified",
            Self::NotSpreadsheet => "not_spreadsheet",
        }
    }

    /// Vietnamese label for the intake sheet.
    pub fn label(self) -> &'static str {
        match self {
            Self::Read => "đã đọc",
            Self::Unreadable => "không đọc được",
            Self::Unidentified => "không xác định đơn vị",
            Self::NotSpreadsheet => "không phải bảng tính",
        }
    }
}

/// How a file's (or row's) unit was decided, in the order of `inputs.md` §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitFoundBy {
    /// A "Đơn vị" column in the table.
    Column,
    /// The title cells above the table.
    Title,
    /// The sheet name.
    SheetName,
    /// The file name.
    FileName,
    /// A folder name.
    FolderName,
    /// A pin in the configuration.
    Config,
}

impl UnitFoundBy {
    /// Key used in the JSON summary.
    pub fn key(self) -> &'static str {
        match self {
            Self::Column => "column",
            Self::Title => "title",
            Self::SheetName => "sheet_name",
            Self::FileName => "file_name",
            Self::FolderName => "folder_name",
            Self::Config => "config",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Column => "cột Đơn vị",
            Self::Title => "tiêu đề",
            Self::SheetName => "tên trang tính",
            Self::FileName => "tên tệp",
            Self::FolderName => "tên thư mục",
            Self::Config => "cấu hình",
        }
    }
}

/// What was read from one sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SheetIntake {
    /// Sheet name.
    pub name: String,
    /// Why the sheet was not read as a roster, if it was not.
    pub ignored_because: Option<String>,
    /// 1-based first and last header rows.
    pub header_rows: Option<(u32, u32)>,
    /// Source header → field, in column order.
    pub mapped: Vec<(String, Field)>,
    /// Source headers that map to no field.
    pub unmapped: Vec<String>,
    /// Row counts.
    pub counts: RowCounts,
}

/// Row accounting: every row below the header ends in exactly one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowCounts {
    /// Rows below the header.
    pub read: usize,
    /// Rows that became people.
    pub accepted: usize,
    /// Rows that looked like people but could not be used.
    pub rejected: usize,
    /// Blank, group, total, footer and column-number rows.
    pub skipped: usize,
}

impl RowCounts {
    /// Whether `read = accepted + rejected + skipped`.
    pub fn balances(self) -> bool {
        self.read == self.accepted + self.rejected + self.skipped
    }

    /// Adds another count.
    pub fn add(&mut self, other: Self) {
        self.read += other.read;
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        self.skipped += other.skipped;
    }
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIntake {
    /// Path relative to the returns folder, with `/` separators.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, hex (empty when the file could not be opened).
    pub sha256: String,
    /// Status.
    pub status: FileStatus,
    /// Units the file's rows belong to.
    pub units: Vec<UnitId>,
    /// How the file's unit was decided.
    pub unit_found_by: Option<UnitFoundBy>,
    /// What was seen when deciding the unit (for "unit not identified").
    pub unit_evidence: String,
    /// Text encoding found ("unicode", "tcvn3", "vni").
    pub encoding: String,
    /// Sheets, read or ignored.
    pub sheets: Vec<SheetIntake>,
    /// Totals over the sheets.
    pub counts: RowCounts,
    /// The error, for an unreadable file.
    pub error: Option<String>,
}

impl FileIntake {
    /// A file that is not a spreadsheet.
    pub fn not_spreadsheet(path: String, size: u64) -> Self {
        Self {
            path,
            size,
            sha256: String::new(),
            status: FileStatus::NotSpreadsheet,
            units: Vec::new(),
            unit_found_by: None,
            unit_evidence: String::new(),
            encoding: String::new(),
            sheets: Vec::new(),
            counts: RowCounts::default(),
            error: None,
        }
    }

    /// Names of the sheets read as rosters.
    pub fn sheets_read(&self) -> Vec<&str> {
        self.sheets.iter().filter(|s| s.ignored_because.is_none()).map(|s| s.name.as_str()).collect()
    }
}

/// What happened to an expected (or unexpected) unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitStatus {
    /// At least one readable return identified as its own.
    Received,
    /// Its files could not be read.
    Invalid,
    /// No file identified as its own.
    Missing,
    /// A return from a unit not valid in the period.
    NotExpected,
}

impl UnitStatus {
    /// Key used in the JSON summary.
    pub fn key(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Invalid => "invalid",
            Self::Missing => "missing",
            Self::NotExpected => "not_expected",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "đã nộp",
            Self::Invalid => "không đọc được",
            Self::Missing => "chưa nộp",
            Self::NotExpected => "không thuộc kỳ báo cáo",
        }
    }
}

/// One unit's line of the intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitIntake {
    /// The unit.
    pub unit: UnitId,
    /// Its status.
    pub status: UnitStatus,
    /// Files identified as its own (indices into the file list).
    pub files: Vec<usize>,
    /// Row counts over its rows.
    pub counts: RowCounts,
    /// Distinct people counted in it.
    pub people: usize,
}
