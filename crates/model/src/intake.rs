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
    /// A heading row naming the unit of the rows under it ("I. ĐẢNG ỦY XÃ MINH SƠN").
    Heading,
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
            Self::Heading => "heading",
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
            Self::Heading => "dòng tên đơn vị trong bảng",
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
    /// Every labelled column of the header, in column order, with what it was read as.
    pub columns: Vec<ColumnIntake>,
    /// Row counts.
    pub counts: RowCounts,
    /// Skipped rows by kind ("dòng trống", "dòng tiêu đề mục"...), in first-seen order.
    pub skipped_by_kind: Vec<(String, usize)>,
    /// Doubts about how the sheet was read (a header one column off from its data...).
    pub warnings: Vec<String>,
}

impl SheetIntake {
    /// Header → field of the mapped columns, in column order.
    pub fn mapped(&self) -> impl Iterator<Item = (&str, Field)> {
        self.columns.iter().filter_map(|c| c.field.map(|f| (c.header.as_str(), f)))
    }

    /// Headers of the columns that map to no field.
    pub fn unmapped(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().filter(|c| c.field.is_none()).map(|c| c.header.as_str())
    }

    /// Counts one skipped row of `kind`.
    pub fn count_skipped(&mut self, kind: &str) {
        match self.skipped_by_kind.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => self.skipped_by_kind.push((kind.to_owned(), 1)),
        }
    }
}

/// One column of a sheet's header: its header path and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnIntake {
    /// 0-based column of the data.
    pub col: u32,
    /// The header path, group labels first ("Trình độ › Lý luận chính trị").
    pub path: Vec<String>,
    /// The path joined with " › ".
    pub header: String,
    /// The field, when the column was mapped.
    pub field: Option<Field>,
    /// For a one-hot column, the value a mark in it means.
    pub option: Option<String>,
    /// The codes its label explains ("Giới tính (1: Nam; 2: Nữ)"), lower case, each with the
    /// value it stands for: a cell holding a code is read as that value.
    pub legend: Vec<(String, String)>,
    /// The rule that decided (see [`ColumnRule`]).
    pub rule: ColumnRule,
    /// The fields a cell of the column packs, in order, separated by "/" ("ĐH/CC/CVC" under
    /// "Trình độ (CM/LLCT/QLNN)"): empty for a column of one value.
    pub packed: Vec<crate::codes::Field>,
}

/// How a column's field was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRule {
    /// The column's own label names the field.
    Label,
    /// The label is one value of its group's field (a one-hot column: "TC" under "LLCT").
    GroupOption,
    /// "Nam" / "Nữ" under a birth-date group: the birth date, and the gender.
    GenderedBirthDate,
    /// "Nam" / "Nữ" under a name group: each name written under its gender.
    GenderedName,
    /// The label lists the fields its cells pack ("Trình độ (CM/LLCT/QLNN)").
    Packed,
    /// One cell holds the person's training in words, each part read by its own words
    /// ("ĐH Luật, TC LLCT, CV"): the professional level, LLCT and QLNN.
    Qualifications,
    /// "Họ" / "Tên" under a name group, or a name header merged over two columns.
    NameParts,
    /// "Ngày | Tháng | Năm" under a birth date: the date in three columns.
    DateParts,
    /// A general sub-label ("Trình độ") takes its group's field.
    GroupField,
    /// The group and the label read together name the field.
    GroupAndLabel,
    /// A "Tên" column without a "Họ" column holds the full name.
    LoneGivenName,
    /// The configuration names the field.
    Config,
    /// Nothing names a field: the column is not used.
    Unused,
    /// The label looks like a field's, but the column was left unused (a second column
    /// for a field that takes one value, a letter under a rating...).
    LooksLikeField,
    /// The header's second row names what each person's second row holds in this column
    /// ("Họ và tên" over "Chức vụ"): records of two rows.
    SecondLine,
}

impl ColumnRule {
    /// Identifier for JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::Label => "label",
            Self::GroupOption => "group_option",
            Self::GenderedBirthDate => "gendered_birth_date",
            Self::GenderedName => "gendered_name",
            Self::Packed => "packed",
            Self::Qualifications => "qualifications",
            Self::NameParts => "name_parts",
            Self::DateParts => "date_parts",
            Self::GroupField => "group_field",
            Self::GroupAndLabel => "group_and_label",
            Self::LoneGivenName => "lone_given_name",
            Self::Config => "config",
            Self::Unused => "unused",
            Self::LooksLikeField => "looks_like_field",
            Self::SecondLine => "second_line",
        }
    }

    /// What the clerk reads in `check`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Label => "theo tên cột",
            Self::GroupOption => "giá trị của nhóm (đánh dấu)",
            Self::GenderedBirthDate => "ngày sinh theo cột Nam/Nữ",
            Self::GenderedName => "họ tên theo cột Nam/Nữ",
            Self::Packed => "nhiều trường trong một ô, cách nhau bởi \"/\"",
            Self::Qualifications => "chuyên môn, LLCT, QLNN ghi chung một ô",
            Self::NameParts => "phần của họ tên",
            Self::DateParts => "phần của ngày sinh",
            Self::GroupField => "theo nhóm cột",
            Self::GroupAndLabel => "nhóm và tên cột cùng đọc",
            Self::LoneGivenName => "cột Tên duy nhất là họ tên",
            Self::Config => "theo cấu hình",
            Self::Unused => "không dùng",
            Self::LooksLikeField => "giống tên trường nhưng không dùng",
            Self::SecondLine => "dòng thứ hai của mỗi người",
        }
    }
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
    /// Units the file's rows name (in a unit column) although the file is a commune's own
    /// return (its title, sheet, name or folder say so), with how many rows: counted where
    /// the rows say, reported, and never that unit's return.
    pub rows_of_other_units: Vec<(UnitId, usize)>,
    /// The unit the file is the return of, by its title, sheet, name or folder, when it
    /// has one (a file listing several units has none).
    pub own_unit: Option<UnitId>,
    /// The unit the file's name or folder names when its title or sheet name says another
    /// (a commune that reused another's template, or a file saved in the wrong folder):
    /// the file counts for the title's unit, and both units are told.
    pub path_unit: Option<UnitId>,
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
            rows_of_other_units: Vec::new(),
            own_unit: None,
            path_unit: None,
        }
    }

    /// A spreadsheet about to be read: read, in Unicode until a sheet says otherwise.
    pub fn being_read(path: String, size: u64, sha256: String) -> Self {
        Self { sha256, status: FileStatus::Read, encoding: "unicode".to_owned(), ..Self::not_spreadsheet(path, size) }
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
    /// Its return was read but holds no row that could be used (every row rejected, or an
    /// empty template).
    NoRows,
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
            Self::NoRows => "no_rows",
            Self::NotExpected => "not_expected",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "đã nộp",
            Self::Invalid => "không đọc được",
            Self::Missing => "chưa nộp",
            Self::NoRows => "đã nộp, không có dòng dùng được",
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
    /// Why its figures may be misread ("số liệu có thể đọc sai"), from the plausibility
    /// checks; empty when its roster looks read right.
    pub warnings: Vec<String>,
    /// Where its rows came from, for the clerk to check: rows naming it in another unit's
    /// return, a file whose title and folder name two units.
    pub notes: Vec<String>,
}

/// A return's text encoding (its key in [`FileIntake::encoding`]) as the clerk names it:
/// Unicode, or the legacy font encoding its text was converted from.
pub fn encoding_label(key: &str) -> String {
    match key {
        "unicode" => "Unicode".to_owned(),
        "tcvn3" => "TCVN3 (ABC), đã chuyển sang Unicode".to_owned(),
        "vni" => "VNI, đã chuyển sang Unicode".to_owned(),
        other => other.to_owned(),
    }
}
