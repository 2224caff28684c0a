//! Opens one return from its bytes: the format is sniffed from the content (a CSV renamed
//! `.xls` is a CSV), limits are checked, and a panic inside the reader is contained.

use std::fmt;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use calamine::{Data, DataRef, Dimensions, Ods, Reader, SheetVisible, Sheets, Xls, Xlsb, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use tonghop_model::record::CellValue;
use unicode_normalization::UnicodeNormalization as _;

use crate::discover::FoundFile;
use crate::encoding::{self, Legacy};

/// Per-file limits, so that one hostile file cannot exhaust the machine. They are checked
/// before anything large is allocated: the zip directory's declared sizes, then cell by
/// cell while a sheet is streamed (xlsx, xlsb), and the bounding box before a sheet
/// becomes a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest total uncompressed size of a zip-based workbook, in bytes.
    pub max_unzipped_bytes: u64,
    /// Largest compression ratio of one zip entry above 1 MiB (zip bombs).
    pub max_zip_ratio: u64,
    /// Largest grid of one sheet, in cells (rows × columns of its used range).
    pub max_sheet_cells: u64,
    /// Most non-empty cells in one workbook, and the most cells of its sheets' grids together.
    pub max_cells: u64,
    /// Longest time spent on one file.
    pub max_seconds: u64,
    /// Most people one file may list (a country's consolidated file lists 250,000): each is
    /// kept until the report is written, at some 2 KB, so a million short rows within every
    /// other limit would be gigabytes.
    pub max_rows: usize,
    /// The month's budget, shared by all its files: the most unpacked bytes (what a file
    /// declares its parts unpack to, its size for other formats) read in one run. Memory
    /// grows with what is read and kept, so a month of files each inside every limit above
    /// must not add up to more than the machine holds.
    pub max_month_unpacked_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 * 1024 * 1024,
            max_unzipped_bytes: 512 * 1024 * 1024,
            max_zip_ratio: 200,
            max_sheet_cells: 8_000_000,
            max_cells: 8_000_000,
            max_seconds: 10,
            max_rows: 300_000,
            max_month_unpacked_bytes: 768 * 1024 * 1024,
        }
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestErrorKind {
    /// The operating system refused.
    Io(String),
    /// No file at the path given.
    NotFound,
    /// The returns folder does not exist or is not a folder.
    NotADirectory,
    /// Zero bytes.
    Empty,
    /// Not a regular file: a folder, a FIFO, a device.
    NotAFile,
    /// Larger than the limit.
    TooLarge {
        /// File size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A zip-based workbook that would unpack to too much (a zip bomb).
    ZipBomb {
        /// Declared uncompressed bytes.
        unzipped: u64,
        /// The limit.
        limit: u64,
    },
    /// A part of a zip-based workbook that unpacks to far more than it packs (a zip bomb).
    ZipRatio {
        /// The part.
        part: String,
        /// Unpacked bytes per packed byte.
        ratio: u64,
        /// The limit.
        limit: u64,
    },
    /// Reading took longer than the limit.
    TooSlow {
        /// The limit in seconds.
        seconds: u64,
    },
    /// A count the file declares (shared strings) that its content cannot hold: readers
    /// reserve memory for it before reading.
    DeclaredTooMany {
        /// What is counted.
        what: &'static str,
        /// The count declared.
        declared: u64,
        /// The most the file can hold.
        possible: u64,
    },
    /// A sheet larger than the cell limit.
    TooManyCells {
        /// Declared cells.
        cells: u64,
        /// The limit.
        limit: u64,
    },
    /// Protected by a password.
    Encrypted,
    /// A Word document with a spreadsheet's name.
    WordDocument,
    /// An OpenDocument that is not a spreadsheet (a text, a presentation) with a
    /// spreadsheet's name.
    OtherOpenDocument,
    /// An HTML or XML page with a spreadsheet's name.
    Html,
    /// Plain text (CSV) with a spreadsheet's name.
    Text,
    /// Not any spreadsheet format known.
    UnknownFormat,
    /// The format is known but the content is broken.
    Corrupt(String),
    /// The reader itself failed on this file (contained).
    ReaderPanicked(String),
    /// The workbook opens but no sheet holds a roster.
    NoRoster,
    /// Its lists are of other people, as their titles say (what they are, in the clerk's
    /// words): a class's learners, the respected elders of the villages.
    OthersListed(String),
    /// A folder below the returns folder that cannot be listed (why, in the clerk's words).
    FolderUnreadable(String),
    /// A file listed that was gone when its size was asked.
    Vanished,
    /// A symbolic link pointing nowhere.
    BrokenLink,
    /// A link to a folder outside the returns folder: not walked.
    LinkOutside,
    /// More entries below the returns folder than are listed.
    TooManyEntries {
        /// The limit.
        limit: usize,
    },
    /// More people than a file may list.
    TooManyRows {
        /// The rows read as people.
        rows: usize,
        /// The limit.
        limit: usize,
    },
    /// An archive of a kind tonghop does not open (.rar, .7z): its extension.
    ArchiveUnsupported(String),
    /// A .zip that cannot be opened as one (why, for `-v`).
    ArchiveUnreadable(String),
    /// An archive inside a .zip: not opened (one level only).
    ArchiveNested,
    /// A name inside a .zip that climbs out of it or is absolute (`../x.xlsx`, `/x.xlsx`).
    ArchiveUnsafeName,
    /// The month's smaller files already used the month's budget.
    MonthBudget {
        /// The bytes this file unpacks to.
        unpacked: u64,
        /// The bytes the smaller files unpack to.
        used: u64,
        /// The month's budget.
        limit: u64,
    },
}

impl IngestErrorKind {
    /// A stable key for scripts and the JSON summary.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Io(_) => "io",
            Self::NotFound => "not_found",
            Self::NotADirectory => "not_a_directory",
            Self::Empty => "empty",
            Self::TooLarge { .. } => "too_large",
            Self::NotAFile => "not_a_file",
            Self::TooManyCells { .. } => "too_many_cells",
            Self::DeclaredTooMany { .. } => "declared_too_many",
            Self::ZipBomb { .. } => "zip_bomb",
            Self::ZipRatio { .. } => "zip_ratio",
            Self::TooSlow { .. } => "too_slow",
            Self::Encrypted => "encrypted",
            Self::WordDocument => "word_document",
            Self::OtherOpenDocument => "other_open_document",
            Self::Html => "html",
            Self::Text => "text",
            Self::UnknownFormat => "unknown_format",
            Self::Corrupt(_) => "corrupt",
            Self::ReaderPanicked(_) => "reader_panicked",
            Self::NoRoster => "no_roster",
            Self::OthersListed(_) => "others_listed",
            Self::FolderUnreadable(_) => "folder_unreadable",
            Self::Vanished => "vanished",
            Self::BrokenLink => "broken_link",
            Self::LinkOutside => "link_outside",
            Self::TooManyEntries { .. } => "too_many_entries",
            Self::MonthBudget { .. } => "month_budget",
            Self::ArchiveUnsupported(_) => "archive_unsupported",
            Self::ArchiveUnreadable(_) => "archive_unreadable",
            Self::ArchiveNested => "archive_nested",
            Self::ArchiveUnsafeName => "archive_unsafe_name",
            Self::TooManyRows { .. } => "too_many_rows",
        }
    }

    /// The problem in Vietnamese, for the clerk, with what to do.
    pub fn message_vi(&self) -> String {
        match self {
            // The system's and the reader's own words are English: they stay in the
            // English message (`-v`, the log), not in the clerk's line.
            Self::Io(_) => "lỗi hệ thống khi đọc tệp; kiểm tra quyền truy cập và ổ đĩa".to_owned(),
            Self::NotFound => "không có tệp này; kiểm tra đường dẫn".to_owned(),
            Self::NotADirectory => "thư mục không tồn tại".to_owned(),
            Self::Empty => "tệp rỗng (0 byte); đề nghị đơn vị gửi lại".to_owned(),
            Self::TooLarge { size, limit } => format!("tệp quá lớn ({size} byte, giới hạn {limit})"),
            Self::NotAFile => "không phải một tệp thường (thư mục, thiết bị hoặc ống dẫn)".to_owned(),
            Self::TooManyCells { cells, limit } => format!("trang tính khai báo {cells} ô, vượt giới hạn {limit}"),
            Self::DeclaredTooMany { what, declared, possible } => format!(
                "tệp khai báo {declared} {what}, nhiều hơn số tệp có thể chứa ({possible}); tệp bị hỏng hoặc bị sửa, đề nghị đơn vị gửi lại"
            ),
            Self::ZipBomb { unzipped, limit } => format!("tệp giải nén ra {unzipped} byte, vượt giới hạn {limit}"),
            Self::ZipRatio { part, ratio, limit } => format!(
                "phần {part} của tệp giải nén ra gấp {ratio} lần cỡ nén, vượt giới hạn {limit} lần (tệp bất thường)"
            ),
            Self::TooSlow { seconds } => format!("đọc tệp quá {seconds} giây"),
            Self::Encrypted => "tệp có mật khẩu; đề nghị đơn vị gửi bản không đặt mật khẩu".to_owned(),
            Self::WordDocument => "đây là văn bản Word đổi đuôi thành bảng tính".to_owned(),
            Self::OtherOpenDocument => {
                "đây là tài liệu OpenDocument không phải bảng tính (văn bản, trình chiếu) đổi đuôi thành bảng tính"
                    .to_owned()
            }
            Self::Html => {
                "đây là trang HTML/XML đổi đuôi thành bảng tính; mở bằng Excel và lưu lại dạng .xlsx".to_owned()
            }
            Self::Text => {
                "đây là tệp văn bản (CSV) đổi đuôi thành bảng tính; mở bằng Excel và lưu lại dạng .xlsx".to_owned()
            }
            Self::UnknownFormat => "không phải định dạng bảng tính đã biết".to_owned(),
            Self::Corrupt(_) => "tệp bị hỏng, không mở được; đề nghị đơn vị gửi lại".to_owned(),
            Self::ReaderPanicked(_) => {
                "trình đọc bảng tính gặp lỗi với tệp này; đề nghị đơn vị mở bằng Excel, lưu lại rồi gửi lại".to_owned()
            }
            Self::NoRoster => "không tìm thấy bảng danh sách (không có dòng tiêu đề Họ và tên)".to_owned(),
            Self::OthersListed(list) => format!("tệp là {list}, không phải danh sách cán bộ"),
            Self::FolderUnreadable(why) => {
                format!("không đọc được thư mục ({why}); các tệp trong đó chưa được đọc, kiểm tra quyền truy cập")
            }
            Self::Vanished => {
                "tệp biến mất trong lúc đọc danh sách (bị xóa hoặc đổi tên); chạy lại khi tệp đã ổn định".to_owned()
            }
            Self::BrokenLink => "liên kết tượng trưng trỏ tới nơi không tồn tại".to_owned(),
            Self::LinkOutside => {
                "liên kết tới một thư mục ngoài thư mục báo cáo; không đọc (chép các tệp vào thư mục báo cáo)"
                    .to_owned()
            }
            Self::TooManyEntries { limit } => {
                format!("thư mục có hơn {limit} tệp; phần còn lại không được đọc (có đúng là thư mục báo cáo?)")
            }
            Self::TooManyRows { rows, limit } => {
                format!(
                    "tệp liệt kê {rows} người, vượt giới hạn {limit} người của một tệp; tệp bất thường, đề nghị kiểm tra"
                )
            }
            Self::MonthBudget { unpacked, used, limit } => format!(
                "không đọc: tệp giải nén ra {unpacked} byte, các tệp nhỏ hơn của tháng đã dùng {used} trong giới hạn {limit} byte của cả tháng; kiểm tra các tệp lớn bất thường"
            ),
            Self::ArchiveUnsupported(ext) => format!(
                "tệp nén .{ext}: tonghop chỉ mở được tệp .zip; hãy giải nén và để các tệp bảng tính vào thư mục báo cáo"
            ),
            Self::ArchiveUnreadable(_) => "tệp .zip bị hỏng, không mở được; đề nghị đơn vị gửi lại".to_owned(),
            Self::ArchiveNested => {
                "tệp nén nằm trong tệp nén: không mở; hãy giải nén rồi để các tệp bảng tính vào thư mục báo cáo"
                    .to_owned()
            }
            Self::ArchiveUnsafeName => {
                "tên tệp trong tệp nén trỏ ra ngoài tệp nén (có \"..\" hoặc đường dẫn tuyệt đối): không đọc".to_owned()
            }
        }
    }
}

impl fmt::Display for IngestErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "cannot read: {e}"),
            Self::NotADirectory => write!(f, "not a folder"),
            Self::Empty => write!(f, "the file is empty (0 bytes); ask the unit to send it again"),
            Self::TooLarge { size, limit } => write!(f, "the file is {size} bytes, over the limit of {limit}"),
            Self::NotAFile => write!(f, "not a regular file (a folder, a device or a pipe)"),
            Self::ZipRatio { part, ratio, limit } => {
                write!(f, "the part {part} unpacks to {ratio} times its packed size, over the limit of {limit}")
            }
            Self::ZipBomb { unzipped, limit } => {
                write!(f, "the workbook unpacks to {unzipped} bytes, over the limit of {limit}")
            }
            Self::TooSlow { seconds } => write!(f, "reading took more than {seconds} s"),
            Self::TooManyCells { cells, limit } => {
                write!(f, "a sheet declares {cells} cells, over the limit of {limit}")
            }
            Self::DeclaredTooMany { what, declared, possible } => {
                write!(f, "the file declares {declared} {what}, more than it can hold ({possible})")
            }
            Self::Encrypted => write!(f, "the workbook is password-protected; ask for an unprotected copy"),
            Self::WordDocument => write!(f, "this is a Word document renamed as a spreadsheet"),
            Self::OtherOpenDocument => {
                write!(f, "this is an OpenDocument text or presentation renamed as a spreadsheet")
            }
            Self::Html => {
                write!(f, "this is an HTML or XML page renamed as a spreadsheet; open it in Excel and save as .xlsx")
            }
            Self::Text => {
                write!(f, "this is a text (CSV) file renamed as a spreadsheet; open it in Excel and save as .xlsx")
            }
            Self::UnknownFormat => write!(f, "not a spreadsheet format tonghop knows"),
            Self::Corrupt(e) => write!(f, "the file is damaged: {e}; ask the unit to send it again"),
            Self::ReaderPanicked(e) => write!(f, "the spreadsheet reader failed on this file: {e}"),
            Self::NoRoster => write!(f, "no sheet holds a roster (no header row with a name column)"),
            Self::OthersListed(_) => {
                write!(f, "its titles or sheet names say it lists people who are not the unit's officials")
            }
            Self::FolderUnreadable(why) => write!(f, "the folder cannot be listed ({why})"),
            Self::Vanished => write!(f, "the file vanished while the folder was listed"),
            Self::NotFound => write!(f, "no such file"),
            Self::BrokenLink => write!(f, "a symbolic link pointing nowhere"),
            Self::LinkOutside => write!(f, "a link to a folder outside the returns folder; not walked"),
            Self::TooManyEntries { limit } => write!(f, "more than {limit} entries below the returns folder"),
            Self::TooManyRows { rows, limit } => write!(f, "the file lists {rows} people, over the limit of {limit}"),
            Self::MonthBudget { unpacked, used, limit } => {
                write!(f, "not read: unpacks to {unpacked} bytes, the month's smaller files used {used} of its {limit}")
            }
            Self::ArchiveUnsupported(ext) => write!(f, "a .{ext} archive: only .zip is opened"),
            Self::ArchiveUnreadable(e) => write!(f, "the .zip cannot be opened: {e}"),
            Self::ArchiveNested => write!(f, "an archive inside a .zip: not opened"),
            Self::ArchiveUnsafeName => write!(f, "a name inside the .zip that climbs out of it: not read"),
        }
    }
}

/// A file that could not be read, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {kind}", location(.sheet.as_deref(), .cell.as_deref()))]
pub struct IngestError {
    /// The file.
    pub path: String,
    /// The sheet, when the problem is in one.
    pub sheet: Option<String>,
    /// The cell, when the problem is in one.
    pub cell: Option<String>,
    /// What went wrong.
    pub kind: IngestErrorKind,
    /// The content's SHA-256, when the bytes could be read.
    pub sha256: Option<String>,
}

fn location(sheet: Option<&str>, cell: Option<&str>) -> String {
    match (sheet, cell) {
        (Some(s), Some(c)) => format!(" [{s}!{c}]"),
        (Some(s), None) => format!(" [{s}]"),
        _ => String::new(),
    }
}

impl IngestError {
    /// An error about a whole file.
    pub fn new(path: String, kind: IngestErrorKind) -> Self {
        Self { path, sheet: None, cell: None, kind, sha256: None }
    }

    /// The problem in the clerk's words, with the sheet and cell when it is in one (the
    /// file is named beside it wherever this is shown).
    pub fn message_vi(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("trang \"{s}\", ô {c}: {}", self.kind.message_vi()),
            (Some(s), None) => format!("trang \"{s}\": {}", self.kind.message_vi()),
            _ => self.kind.message_vi(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        let kind = if err.kind() == std::io::ErrorKind::NotFound {
            IngestErrorKind::NotFound
        } else {
            IngestErrorKind::Io(err.to_string())
        };
        Self::new(path.display().to_string(), kind)
    }
}

/// One sheet's cells as a dense grid with absolute positions.
#[derive(Debug, Clone, Default)]
pub struct SheetGrid {
    /// Sheet name.
    pub name: String,
    /// Hidden sheets are not rosters.
    pub hidden: bool,
    /// Absolute (row, column) of `rows[0][0]`.
    pub origin: (u32, u32),
    /// Cell values, row by row.
    pub rows: Vec<Vec<CellValue>>,
    /// Merged regions (absolute positions).
    pub merges: Vec<Dimensions>,
    /// Merged regions over two rows or more (absolute positions), anywhere in the sheet, at
    /// most [`MAX_MERGES`]: a value merged down over the people it is the same for.
    pub vertical_merges: Vec<Dimensions>,
    /// The legacy encoding its text was decoded from, if any.
    pub encoding: Option<Legacy>,
    /// Cells whose text is struck through (absolute positions, sorted): a person crossed
    /// out of a list copied from last year.
    pub struck: Vec<(u32, u32)>,
    /// The widest row, computed once: it bounds every loop over a row's columns.
    width: std::sync::OnceLock<u32>,
    /// The merged ranges by row, built on first use (see [`SheetGrid::merge_at`]).
    merge_rows: std::sync::OnceLock<Vec<Vec<(u32, u32, usize)>>>,
}

/// How many rows from the top of a sheet merged ranges are kept for: the header search's
/// rows and a header's depth. Ranges below belong to the data, where nothing reads them; a
/// file declaring a million of them costs no more than its header's.
pub const MERGE_ZONE_ROWS: u32 = crate::header::HEADER_SEARCH_ROWS + 10;

/// The most merged ranges kept for one sheet's header zone.
pub const MAX_MERGES: usize = 20_000;

/// The merged ranges over two rows or more, at most [`MAX_MERGES`].
pub(crate) fn vertical_merges(merges: &[Dimensions]) -> Vec<Dimensions> {
    merges.iter().filter(|m| m.start.0 < m.end.0 && m.start.1 <= m.end.1).take(MAX_MERGES).copied().collect()
}

/// Keeps the merged ranges that start in the header zone of a sheet whose first row is
/// `first_row`, at most [`MAX_MERGES`].
pub(crate) fn header_zone_merges(mut merges: Vec<Dimensions>, first_row: u32) -> Vec<Dimensions> {
    merges.retain(|m| {
        m.start.0 <= m.end.0 && m.start.1 <= m.end.1 && m.start.0 < first_row.saturating_add(MERGE_ZONE_ROWS)
    });
    merges.truncate(MAX_MERGES);
    merges
}

impl SheetGrid {
    /// A visible sheet of the given cells, starting at A1.
    pub fn new(name: &str, rows: Vec<Vec<CellValue>>) -> Self {
        Self { name: name.to_owned(), rows, ..Self::default() }
    }

    /// The value at an absolute position (Empty outside the grid).
    pub fn get(&self, row: u32, col: u32) -> &CellValue {
        static EMPTY: CellValue = CellValue::Empty;
        let (r0, c0) = self.origin;
        if row < r0 || col < c0 {
            return &EMPTY;
        }
        self.rows.get((row - r0) as usize).and_then(|r| r.get((col - c0) as usize)).unwrap_or(&EMPTY)
    }

    /// Puts a value at an absolute position inside the grid (a position outside is left).
    pub fn set(&mut self, row: u32, col: u32, value: CellValue) {
        let (r0, c0) = self.origin;
        let (Some(r), Some(c)) = (row.checked_sub(r0), col.checked_sub(c0)) else { return };
        let Some(cells) = self.rows.get_mut(r as usize) else { return };
        if cells.len() <= c as usize {
            cells.resize(c as usize + 1, CellValue::Empty);
        }
        cells[c as usize] = value;
    }

    /// Moves the value out of an absolute position, leaving it empty.
    pub fn take(&mut self, row: u32, col: u32) -> CellValue {
        let (r0, c0) = self.origin;
        if row < r0 || col < c0 {
            return CellValue::Empty;
        }
        self.rows
            .get_mut((row - r0) as usize)
            .and_then(|r| r.get_mut((col - c0) as usize))
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Whether a cell's text is struck through.
    pub fn is_struck(&self, row: u32, col: u32) -> bool {
        self.struck.binary_search(&(row, col)).is_ok()
    }

    /// One past the last absolute row.
    pub fn end_row(&self) -> u32 {
        self.origin.0 + self.rows.len() as u32
    }

    /// The merged range that holds a cell, if any. Ranges are indexed by row once (a
    /// header's cells are asked for again and again).
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Dimensions> {
        if self.merges.is_empty() {
            return None;
        }
        let rows = self.merge_rows.get_or_init(|| {
            let first = self.origin.0;
            let last = self.merges.iter().map(|m| m.end.0).max().unwrap_or(first);
            let span = last.saturating_sub(first).min(2 * MERGE_ZONE_ROWS) as usize + 1;
            let mut rows: Vec<Vec<(u32, u32, usize)>> = vec![Vec::new(); span];
            for (i, m) in self.merges.iter().enumerate() {
                for r in m.start.0.max(first)..=m.end.0 {
                    let Some(list) = rows.get_mut((r - first) as usize) else { break };
                    list.push((m.start.1, m.end.1, i));
                }
            }
            for list in &mut rows {
                list.sort_unstable();
            }
            rows
        });
        let list = rows.get(row.checked_sub(self.origin.0)? as usize)?;
        let after = list.partition_point(|(start, _, _)| *start <= col);
        let (_, end, i) = *list.get(after.checked_sub(1)?)?;
        (col <= end).then(|| &self.merges[i])
    }

    /// One past the last absolute column.
    pub fn end_col(&self) -> u32 {
        self.origin.1 + *self.width.get_or_init(|| self.rows.iter().map(Vec::len).max().unwrap_or(0) as u32)
    }

    /// Moves the columns from `at` on into a grid of their own (same sheet, same absolute
    /// positions), with the merged ranges that start there: a table printed twice side by
    /// side is two tables.
    pub fn split_off_columns(&mut self, at: u32) -> SheetGrid {
        let cut = at.saturating_sub(self.origin.1) as usize;
        let rows = self.rows.iter_mut().map(|r| if r.len() > cut { r.split_off(cut) } else { Vec::new() }).collect();
        let (left, right): (Vec<Dimensions>, Vec<Dimensions>) = self.merges.drain(..).partition(|m| m.start.1 < at);
        self.merges = left;
        let (left_down, right_down): (Vec<Dimensions>, Vec<Dimensions>) =
            self.vertical_merges.drain(..).partition(|m| m.start.1 < at);
        self.vertical_merges = left_down;
        self.width = std::sync::OnceLock::new();
        self.merge_rows = std::sync::OnceLock::new();
        SheetGrid {
            name: self.name.clone(),
            hidden: self.hidden,
            origin: (self.origin.0, at.max(self.origin.1)),
            rows,
            merges: right,
            vertical_merges: right_down,
            encoding: self.encoding,
            struck: self.struck.iter().copied().filter(|&(_, c)| c >= at).collect(),
            ..SheetGrid::default()
        }
    }
}

/// A workbook read into memory.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// The sheets in workbook order.
    pub sheets: Vec<SheetGrid>,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The workbook's own "modified" property (ISO 8601), when it has one.
    pub modified: Option<String>,
    /// The workbook is a report tonghop wrote (its author property says so), not a return.
    pub written_by_tonghop: bool,
    /// For an xlsx workbook, where its sheets' merged ranges are read when needed.
    pub merged_ranges: Option<MergedRanges>,
}

/// Reads and parses a file, within the limits.
pub fn load(file: &FoundFile, limits: &Limits) -> Result<Book, IngestError> {
    load_sheets(file, limits, None)
}

/// Reads one sheet of a report tonghop wrote (which [`load`] does not parse), within the
/// limits; the other sheets are listed, empty.
pub fn load_report_sheet(file: &FoundFile, limits: &Limits, sheet: &str) -> Result<Book, IngestError> {
    load_sheets(file, limits, Some(sheet))
}

fn load_sheets(file: &FoundFile, limits: &Limits, only: Option<&str>) -> Result<Book, IngestError> {
    let path = file.rel_path.clone();
    if file.size > limits.max_file_bytes {
        return Err(IngestError::new(
            path,
            IngestErrorKind::TooLarge { size: file.size, limit: limits.max_file_bytes },
        ));
    }
    if let Some(entry) = &file.archive_entry {
        let bytes = crate::archive::read_entry(&file.abs_path, entry, limits)
            .map_err(|kind| IngestError::new(path.clone(), kind))?;
        return load_bytes_of(&path, bytes, limits, only);
    }
    // Opened once, a regular file only, read to the limit: the size listed may be stale.
    let bytes = tonghop_model::files::read_regular_file(&file.abs_path, limits.max_file_bytes).map_err(|e| {
        let kind = match e {
            tonghop_model::files::ReadError::TooLarge { limit } => {
                IngestErrorKind::TooLarge { size: limit.saturating_add(1), limit }
            }
            tonghop_model::files::ReadError::NotAFile => IngestErrorKind::NotAFile,
            tonghop_model::files::ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                IngestErrorKind::NotFound
            }
            tonghop_model::files::ReadError::Io(e) => IngestErrorKind::Io(e.to_string()),
        };
        IngestError::new(path.clone(), kind)
    })?;
    load_bytes_of(&path, bytes, limits, only)
}

/// What a file unpacks to, as far as can be told without reading it: the sizes a zip
/// package's directory declares for its parts (a few kilobytes read from its end), the
/// file's size otherwise. `None` when the file's own limits will refuse it anyway (too
/// large, a part that unpacks to too much or too many times its packed size): such a file
/// takes nothing from the month. Declared sizes are checked again when the parts are read.
pub fn declared_unpacked_bytes(file: &FoundFile, limits: &Limits) -> Option<u64> {
    if file.size > limits.max_file_bytes {
        return None;
    }
    // An entry of a .zip: its size is the unpacked one its directory declares, checked
    // again when it is read.
    if file.archive_entry.is_some() {
        return Some(file.size);
    }
    let mut refused = false;
    // Opened as a regular file only, without waiting (a pipe put in place of the file
    // since the listing must not hang the month).
    let zipped = tonghop_model::files::open_regular_file(&file.abs_path).ok().and_then(|f| {
        let mut magic = [0_u8; 4];
        std::io::Read::read_exact(&mut &f, &mut magic).ok()?;
        if &magic != b"PK\x03\x04" {
            return None;
        }
        let mut archive = zip::ZipArchive::new(f).ok()?;
        // The central directory's sizes (a package written with data descriptors has them
        // there too), with the same tests as `check_zip`.
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let entry = archive.by_index_raw(i).ok()?;
            let (size, packed) = (entry.size(), entry.compressed_size().max(1));
            refused |= size > 1024 * 1024 && size / packed > limits.max_zip_ratio;
            total = total.saturating_add(size);
        }
        refused |= total > limits.max_unzipped_bytes;
        Some(total)
    });
    (!refused).then(|| zipped.unwrap_or(file.size).max(file.size))
}

/// A file's bytes, shared by calamine's reader and the merged-range reader.
#[derive(Clone)]
struct Shared(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Parses a workbook from its bytes; `path` names it in errors.
pub fn load_bytes(path: &str, bytes: Vec<u8>, limits: &Limits) -> Result<Book, IngestError> {
    load_bytes_of(path, bytes, limits, None)
}

fn load_bytes_of(path: &str, bytes: Vec<u8>, limits: &Limits, only: Option<&str>) -> Result<Book, IngestError> {
    let sha256 = hex(&Sha256::digest(&bytes));
    let with_hash = |kind| IngestError { sha256: Some(sha256.clone()), ..IngestError::new(path.to_owned(), kind) };
    if bytes.is_empty() {
        return Err(with_hash(IngestErrorKind::Empty));
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(with_hash(IngestErrorKind::TooLarge { size: bytes.len() as u64, limit: limits.max_file_bytes }));
    }
    let format = sniff(path, &bytes).map_err(with_hash)?;
    let limits = *limits;
    let result = catch_unwind(AssertUnwindSafe(move || parse(format, bytes, &limits, only)));
    match result {
        Ok(Ok(mut book)) => {
            book.sha256.clone_from(&sha256);
            Ok(book)
        }
        Ok(Err((sheet, kind))) => Err(IngestError { sheet, ..with_hash(kind) }),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(with_hash(IngestErrorKind::ReaderPanicked(message)))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
}

/// Decides the format from the content; the extension only breaks ties inside a zip.
fn sniff(path: &str, bytes: &[u8]) -> Result<Format, IngestErrorKind> {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        // The package's parts say what it is, whatever its name or its cells' text.
        if let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) {
            let has = |name: &str| archive.index_for_name(name).is_some();
            if has("xl/workbook.xml") {
                return Ok(Format::Xlsx);
            }
            if has("xl/workbook.bin") {
                return Ok(Format::Xlsb);
            }
            if has("content.xml") && (has("mimetype") || has("META-INF/manifest.xml")) {
                // The mimetype part names the kind of document (a text saved as .ods is
                // not a damaged spreadsheet).
                let mut archive = archive;
                let declared = archive.by_name("mimetype").ok().and_then(|entry| {
                    use std::io::Read as _;
                    let mut kind = String::new();
                    entry.take(200).read_to_string(&mut kind).ok().map(|_| kind)
                });
                return match declared {
                    Some(kind)
                        if kind.starts_with("application/vnd.oasis.opendocument.") && !kind.contains("spreadsheet") =>
                    {
                        Err(IngestErrorKind::OtherOpenDocument)
                    }
                    _ => Ok(Format::Ods),
                };
            }
            if has("word/document.xml") {
                return Err(IngestErrorKind::WordDocument);
            }
        }
        if contains(bytes, b"word/document.xml") {
            return Err(IngestErrorKind::WordDocument);
        }
        if contains(bytes, b"application/vnd.oasis.opendocument.spreadsheet") || ext == "ods" {
            return Ok(Format::Ods);
        }
        if contains(bytes, b"xl/workbook.bin") || ext == "xlsb" {
            return Ok(Format::Xlsb);
        }
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let encrypted_package: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        if contains(bytes, &encrypted_package) {
            return Err(IngestErrorKind::Encrypted);
        }
        let word: Vec<u8> = "WordDocument".encode_utf16().flat_map(u16::to_le_bytes).collect();
        if contains(bytes, &word) {
            return Err(IngestErrorKind::WordDocument);
        }
        return Ok(Format::Xls);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('<') {
        return Err(IngestErrorKind::Html);
    }
    let printable = head.iter().filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || **b >= 0x80).count();
    if printable * 100 >= head.len() * 95 {
        return Err(IngestErrorKind::Text);
    }
    Err(IngestErrorKind::UnknownFormat)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

type ParseError = (Option<String>, IngestErrorKind);

fn corrupt(e: impl fmt::Display) -> ParseError {
    let message = e.to_string();
    if message.to_ascii_lowercase().contains("password") {
        (None, IngestErrorKind::Encrypted)
    } else {
        (None, IngestErrorKind::Corrupt(message))
    }
}

/// Checks a zip-based workbook's directory before any entry is inflated, and returns the
/// document's "modified" date from `docProps/core.xml` when it has one (a small entry, read
/// without an XML parser: only the date is needed, to order resubmissions).
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<Properties, ParseError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(corrupt)?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > 1024 * 1024 && size / packed > limits.max_zip_ratio {
            let part = entry.name().map(std::borrow::Cow::into_owned).unwrap_or_default();
            return Err((None, IngestErrorKind::ZipRatio { part, ratio: size / packed, limit: limits.max_zip_ratio }));
        }
    }
    if total > limits.max_unzipped_bytes {
        return Err((None, IngestErrorKind::ZipBomb { unzipped: total, limit: limits.max_unzipped_bytes }));
    }
    check_shared_strings(&mut archive, limits)?;
    check_styles(&mut archive)?;
    if let Ok(content) = archive.by_name("content.xml") {
        crate::ods::check_content(content, limits)?;
    }
    let core = archive.by_name("docProps/core.xml").ok().and_then(|entry| {
        use std::io::Read as _;
        let mut xml = String::new();
        entry.take(64 * 1024).read_to_string(&mut xml).ok()?;
        Some(xml)
    });
    let Some(xml) = core else { return Ok(Properties::default()) };
    let modified = (|| {
        let start = xml.find("modified")?;
        let value_start = start + xml[start..].find('>')? + 1;
        let value_end = value_start + xml[value_start..].find('<')?;
        let value = xml[value_start..value_end].trim();
        (!value.is_empty()).then(|| value.to_owned())
    })();
    Ok(Properties { modified, written_by_tonghop: xml.contains("<dc:creator>tonghop</dc:creator>") })
}

/// What a zip-based workbook's document properties say.
#[derive(Debug, Default)]
struct Properties {
    /// Its "modified" date.
    modified: Option<String>,
    /// Its author is tonghop: a report, not a return.
    written_by_tonghop: bool,
}

/// The container with its root directory entry's stream length rounded up to a whole mini
/// sector (64 bytes); `None` when the header does not point at a root entry.
fn with_root_stream_rounded(bytes: &[u8]) -> Option<Vec<u8>> {
    let shift = u32::from(u16::from_le_bytes(bytes.get(0x1E..0x20)?.try_into().ok()?));
    if !(9..=12).contains(&shift) {
        return None;
    }
    let first_dir = u64::from(u32::from_le_bytes(bytes.get(0x30..0x34)?.try_into().ok()?));
    let entry = usize::try_from((first_dir + 1) << shift).ok()?;
    let at = entry.checked_add(0x78)?;
    let len = u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?);
    // A version 3 container keeps only the low 32 bits.
    let len = if shift == 9 { len & 0xFFFF_FFFF } else { len };
    let rounded = len.checked_next_multiple_of(64)?;
    let mut fixed = bytes.to_vec();
    fixed[at..at + 8].copy_from_slice(&rounded.to_le_bytes());
    Some(fixed)
}

/// The shared-string table's declared count (`uniqueCount`), from the head of the part,
/// however it is spelled (quotes, spaces, a prefix, comments before): calamine reserves
/// memory for it before reading a string, so a 2.5 KB file declaring
/// `uniqueCount="100000000000"` would make it ask for terabytes.
fn declared_unique_count(head: &[u8]) -> Option<u64> {
    let mut head = String::from_utf8_lossy(head).into_owned();
    // Comments say nothing (and may hold "<si" or "uniqueCount" to mislead).
    while let Some(start) = head.find("<!--") {
        let end = head[start..].find("-->").map_or(head.len(), |e| start + e + 3);
        head.replace_range(start..end, "");
    }
    // Before the first string: a cell's text may say "uniqueCount" too.
    let first_string = head.find("<si").or_else(|| head.find(":si")).unwrap_or(head.len());
    let at = head[..first_string].find("uniqueCount")?;
    let value = head[at + "uniqueCount".len()..].trim_start().strip_prefix('=')?.trim_start();
    let digits: String = value.trim_start_matches(['"', '\'']).chars().take_while(char::is_ascii_digit).collect();
    // A count too long for u64 is absurd too.
    (!digits.is_empty()).then(|| digits.parse::<u64>().unwrap_or(u64::MAX))
}

/// A shared-string table's declared count and the strings it holds, counted as calamine
/// will read them: calamine reserves memory for the declared count, then keeps every string
/// when the workbook is opened, before any cell is read (a table of empty strings nine bytes
/// each is gigabytes). The part is streamed once; both are bounded by what it can hold and
/// the cells a workbook may hold.
// Long on purpose: a streaming scanner over the part, its state in one loop.
fn check_shared_strings(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, limits: &Limits) -> Result<(), ParseError> {
    use std::io::Read as _;
    let too_many = |declared: u64| {
        (None, IngestErrorKind::DeclaredTooMany { what: "chuỗi văn bản", declared, possible: limits.max_cells })
    };
    if let Ok(mut entry) = archive.by_name("xl/sharedStrings.xml") {
        // No more strings are declared than the part can hold (a string takes at least the
        // five bytes of `<si/>`) and than cells the workbook may hold.
        let possible = (entry.size() / 5 + 1).min(limits.max_cells);
        // Elements named `si` whatever their prefix: "<si>", "<x:si ", "<si/>".
        let mut count: u64 = 0;
        let mut first_chunk = true;
        // A return's table is a few kilobytes: the buffer is no larger than the part (a
        // megabyte zeroed for each of a country's ten thousand files was half a second).
        const CHUNK: usize = 64 * 1024;
        let mut buf = vec![0_u8; (entry.size() as usize).clamp(4096, CHUNK) + 3];
        // The last three bytes of the previous chunk are kept at the start of the buffer.
        let mut kept = 0;
        loop {
            let n = entry.read(&mut buf[kept..]).unwrap_or(0);
            if n == 0 {
                break;
            }
            let data = &buf[..kept + n];
            if std::mem::take(&mut first_chunk)
                && let Some(declared) = declared_unique_count(&data[..data.len().min(CHUNK)])
                && declared > possible
            {
                return Err((None, IngestErrorKind::DeclaredTooMany { what: "chuỗi văn bản", declared, possible }));
            }
            // A match needs the byte before and the byte after: one at the very start was
            // counted with the previous chunk, one at the very end is counted with the next.
            for at in memchr::memmem::find_iter(data, b"si") {
                // "<x:si", not the closing "</x:si>".
                let opens = |at: usize| match data[at - 1] {
                    b'<' => true,
                    b':' => {
                        let prefix = data[..at - 1].iter().rev().take_while(|b| b.is_ascii_alphanumeric()).count();
                        data[..at - 1].len() > prefix && data[at - 2 - prefix] == b'<'
                    }
                    _ => false,
                };
                if at >= 1
                    && at + 2 < data.len()
                    && matches!(data[at + 2], b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
                    && opens(at)
                {
                    count += 1;
                }
            }
            if count > limits.max_cells {
                return Err(too_many(count));
            }
            let tail = data.len().saturating_sub(3);
            let len = data.len();
            buf.copy_within(tail..len, 0);
            kept = len - tail;
        }
    }
    if let Ok(entry) = archive.by_name("xl/sharedStrings.bin") {
        // BIFF12 records: a type and a size, each a variable-length integer; a string
        // item is type 19.
        let mut bytes = Vec::new();
        if entry.take(limits.max_unzipped_bytes).read_to_end(&mut bytes).is_err() {
            return Ok(());
        }
        let varint = |at: &mut usize, most: usize| -> Option<usize> {
            let mut value = 0_usize;
            for i in 0..most {
                let b = *bytes.get(*at)?;
                *at += 1;
                value |= usize::from(b & 0x7F) << (7 * i);
                if b & 0x80 == 0 {
                    break;
                }
            }
            Some(value)
        };
        let (mut at, mut count) = (0_usize, 0_u64);
        while at < bytes.len() {
            let (Some(kind), Some(size)) = (varint(&mut at, 2), varint(&mut at, 4)) else { break };
            if kind == 19 {
                count += 1;
                if count > limits.max_cells {
                    return Err(too_many(count));
                }
            }
            at = at.saturating_add(size);
        }
    }
    Ok(())
}

/// The cell styles' cost before calamine reads them: it copies a style's font, name and
/// all, into every cell format that uses it, so a font named with a megabyte repeated in
/// twenty thousand formats is twenty gigabytes from a 770 KB file. Bounded here: the
/// formats times the longest font name, from one pass over the part.
fn check_styles(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), ParseError> {
    use std::io::Read as _;
    /// Most bytes the copied fonts may take.
    const LIMIT: u64 = 64 * 1024 * 1024;
    let Ok(entry) = archive.by_name("xl/styles.xml") else { return Ok(()) };
    let mut xml = Vec::new();
    if entry.take(LIMIT + 1).read_to_end(&mut xml).is_err() {
        // A damaged part is calamine's to report.
        return Ok(());
    }
    // Elements named `xf` whatever their prefix ("<xf", "<s:xf"), followed by a space, a
    // line break or the end of the tag; any quoted value is a font name's upper bound.
    let mut formats: u64 = 0;
    for at in memchr::memchr_iter(b'<', &xml) {
        let tag = &xml[at + 1..];
        let name_end =
            tag.iter().position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>').unwrap_or(tag.len());
        let name = &tag[..name_end];
        let local = name.iter().rposition(|b| *b == b':').map_or(name, |colon| &name[colon + 1..]);
        if local == b"xf" {
            formats += 1;
        }
    }
    // The longest `val` value, in either quotes, spaces around `=` allowed.
    let mut longest_name: u64 = 0;
    for at in memchr::memmem::find_iter(&xml, b"val") {
        let rest = &xml[at + 3..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        let Some(rest) = rest.strip_prefix(b"=") else { continue };
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        let Some((&quote, value)) = rest.split_first().filter(|(q, _)| **q == b'"' || **q == b'\'') else {
            continue;
        };
        let length = memchr::memchr(quote, value).unwrap_or(value.len());
        longest_name = longest_name.max(length as u64);
    }
    // A font is some 200 bytes besides its name.
    let cost = formats.saturating_mul(longest_name + 200);
    if xml.len() as u64 > LIMIT || cost > LIMIT {
        let possible = LIMIT / (longest_name + 200);
        return Err((None, IngestErrorKind::DeclaredTooMany { what: "kiểu định dạng ô", declared: formats, possible }));
    }
    Ok(())
}

/// Checks an .xls workbook's sheets before calamine reads them: calamine reserves memory
/// for the rows × columns its DIMENSIONS record declares, and spans the cells it finds, so
/// both are bounded here first.
///
/// calamine reads the container with its own code, which a hostile file can send into an
/// endless sector chain or show other data than the cfb crate sees. So the Workbook stream
/// is read with the cfb crate, checked, and handed to calamine in a fresh container holding
/// only that stream: calamine sees exactly what was checked.
///
/// Returns the container and whether the workbook is BIFF8 (Excel 97 and later).
// Long on purpose: a scanner over the container's records, its state in one loop.
fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(Vec<u8>, bool), ParseError> {
    let repaired;
    let mut compound = match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(c) => c,
        Err(e) => match with_root_stream_rounded(bytes) {
            // Some exporters write the root entry's stream length unrounded; Excel reads
            // such files, and so does this reader once the length is rounded up to the
            // mini-sector size (the bytes are there, in a whole sector).
            Some(fixed) if e.to_string().contains("root stream len") => {
                repaired = fixed;
                cfb::CompoundFile::open(Cursor::new(repaired.as_slice())).map_err(corrupt)?
            }
            _ => return Err(corrupt(e)),
        },
    };
    let stream_name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"].into_iter().find(|n| compound.is_stream(n));
    let Some(stream_name) = stream_name else {
        return Err((None, IngestErrorKind::Corrupt("no Workbook stream in the container".to_owned())));
    };
    let mut data = Vec::new();
    {
        use std::io::Read as _;
        let stream = compound.open_stream(stream_name).map_err(corrupt)?;
        stream.take(limits.max_unzipped_bytes).read_to_end(&mut data).map_err(corrupt)?;
    }
    let u16_at = |d: &[u8], i: usize| d.get(i..i + 2).map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])));
    let u32_at =
        |d: &[u8], i: usize| d.get(i..i + 4).map_or(0, |b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
    // calamine reserves about 40 bytes per declared cell: half the grid limit keeps that
    // reservation near 160 MiB. An .xls sheet holds at most 65,536 rows anyway.
    let limit = limits.max_sheet_cells / 2;
    let too_many = |cells: u64| (None, IngestErrorKind::TooManyCells { cells, limit });
    // calamine reads the globals from the start and each sheet from the offset its
    // BOUNDSHEET record gives, so the checks run the same way: once through the stream,
    // then from every BOUNDSHEET offset to its EOF record.
    let mut sheet_starts: Vec<usize> = Vec::new();
    // The globals' BOF record says the version (0x0600: BIFF8).
    let biff8 = data.len() >= 6 && u16_at(&data, 0) == 0x0809 && u16_at(&data, 4) == 0x0600;
    let check_from = |start: usize, stop_at_eof: bool, sheet_starts: &mut Vec<usize>| -> Result<(), ParseError> {
        let (mut max_row, mut max_col) = (0_u64, 0_u64);
        let mut pos = start;
        while pos + 4 <= data.len() {
            let typ = u16_at(&data, pos);
            let len = u16_at(&data, pos + 2) as usize;
            let Some(record) = data.get(pos + 4..pos + 4 + len) else { break };
            pos += 4 + len;
            match typ {
                // FILEPASS: the rest is encrypted; calamine reports the password.
                0x002F => break,
                0x000A if stop_at_eof => break,
                0x0085 => sheet_starts.push(u32_at(record, 0) as usize),
                0x0809 => (max_row, max_col) = (0, 0),
                0x0200 => {
                    // The size exactly as calamine computes it (its parse_dimensions and
                    // the reservation after it), wrapping arithmetic included.
                    let (rf, rl, cf, cl) = match record.len() {
                        10 => (u16_at(record, 0), u16_at(record, 2), u16_at(record, 4), u16_at(record, 6)),
                        14 | 16 => (u32_at(record, 0), u32_at(record, 4), u16_at(record, 8), u16_at(record, 10)),
                        _ => (0, 0, 0, 0),
                    };
                    let cf = if 0xFF < cf || cl < cf { 0 } else { cf };
                    let (rows, cols) = if rl >= 1 && cl >= 1 {
                        let rows = u64::from((rl as u32).wrapping_sub(1).wrapping_sub(rf as u32).wrapping_add(1));
                        let cols = u64::from((cl as u32).wrapping_sub(1).wrapping_sub(cf as u32).wrapping_add(1));
                        (rows, cols)
                    } else {
                        (0, 0)
                    };
                    if rows.saturating_mul(cols) > limit {
                        return Err(too_many(rows.saturating_mul(cols)));
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00BD => {
                    max_row = max_row.max(u16_at(record, 0) + 1);
                    let last_col =
                        if typ == 0x00BD { u16_at(record, record.len().saturating_sub(2)) } else { u16_at(record, 2) };
                    max_col = max_col.max(last_col + 1);
                    if max_row.saturating_mul(max_col) > limit {
                        return Err(too_many(max_row.saturating_mul(max_col)));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    };
    check_strings(&data, limits)?;
    check_from(0, false, &mut sheet_starts)?;
    sheet_starts.sort_unstable();
    sheet_starts.dedup();
    for start in sheet_starts.into_iter().take(4096) {
        check_from(start, true, &mut Vec::new())?;
    }
    Ok((repack(&data)?, biff8))
}

/// Most CONTINUE records a workbook stream may hold: a 64 MiB file has room for some
/// 8,000 full ones; calamine takes each from the front of a list, so a million empty ones
/// cost it hours.
const MAX_CONTINUE_RECORDS: usize = 20_000;

/// Counts an .xls workbook's CONTINUE records and the strings of its shared-string table
/// (SST) as calamine will read them, whatever the counts the SST declares: calamine keeps
/// every string when the workbook is opened, before any cell is read.
fn check_strings(data: &[u8], limits: &Limits) -> Result<(), ParseError> {
    let u16_at = |i: usize| data.get(i..i + 2).map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let mut records: Vec<(usize, &[u8])> = Vec::new();
    let mut pos = 0;
    while pos + 4 <= data.len() {
        let (typ, len) = (u16_at(pos), u16_at(pos + 2));
        let Some(body) = data.get(pos + 4..pos + 4 + len) else { break };
        records.push((typ, body));
        pos += 4 + len;
    }
    let continues = records.iter().filter(|(t, _)| *t == 0x003C).count();
    if continues > MAX_CONTINUE_RECORDS {
        return Err((
            None,
            IngestErrorKind::DeclaredTooMany {
                what: "bản ghi nối tiếp (CONTINUE)",
                declared: continues as u64,
                possible: MAX_CONTINUE_RECORDS as u64,
            },
        ));
    }
    let Some(sst) = records.iter().position(|(t, _)| *t == 0x00FC) else { return Ok(()) };
    let mut parts: Vec<&[u8]> = vec![records[sst].1.get(8..).unwrap_or_default()];
    parts.extend(records[sst + 1..].iter().take_while(|(t, _)| *t == 0x003C).map(|(_, b)| *b));
    let strings = count_sst_strings(&parts, limits.max_cells);
    if strings > limits.max_cells {
        return Err((
            None,
            IngestErrorKind::DeclaredTooMany {
                what: "chuỗi văn bản", declared: strings, possible: limits.max_cells
            },
        ));
    }
    Ok(())
}

/// The strings of an SST whose body is split over `parts` (the SST record, then its
/// CONTINUE records), counting past `stop` no further. A string's characters that go on in
/// the next part start there with a byte saying their width again.
fn count_sst_strings(parts: &[&[u8]], stop: u64) -> u64 {
    let (mut part, mut at, mut count) = (0_usize, 0_usize, 0_u64);
    // Bytes read across parts, as the headers and the rich-text and extension data are.
    let take = |n: usize, part: &mut usize, at: &mut usize| -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(n.min(8));
        let mut left = n;
        while left > 0 {
            let current = parts.get(*part)?;
            let k = left.min(current.len() - *at);
            if n <= 8 {
                out.extend_from_slice(&current[*at..*at + k]);
            }
            *at += k;
            left -= k;
            if left > 0 {
                *part += 1;
                *at = 0;
            }
        }
        Some(out)
    };
    while count <= stop {
        // Past the end of a part, the next string starts in the next one.
        while parts.get(part).is_some_and(|p| at >= p.len()) {
            part += 1;
            at = 0;
        }
        let Some(header) = take(3, &mut part, &mut at) else { break };
        let (mut chars, flags) = (usize::from(u16::from_le_bytes([header[0], header[1]])), header[2]);
        let mut wide = flags & 1 == 1;
        let runs = if flags & 8 != 0 {
            take(2, &mut part, &mut at).map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])))
        } else {
            0
        };
        let extension = if flags & 4 != 0 {
            take(4, &mut part, &mut at).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        } else {
            0
        };
        while chars > 0 {
            let Some(current) = parts.get(part) else { break };
            let width = if wide { 2 } else { 1 };
            let k = chars.min((current.len() - at) / width);
            at += k * width;
            chars -= k;
            if chars > 0 {
                // The characters go on in the next part, after their width again.
                part += 1;
                at = 0;
                let Some(next) = parts.get(part) else { break };
                let Some(&flag) = next.first() else { continue };
                wide = flag & 1 == 1;
                at = 1;
            }
        }
        if take(4 * runs + extension, &mut part, &mut at).is_none() && parts.get(part).is_none() {
            count += 1;
            break;
        }
        count += 1;
    }
    count
}

/// A compound file holding one Workbook stream.
fn repack(stream: &[u8]) -> Result<Vec<u8>, ParseError> {
    use std::io::Write as _;
    let mut out = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).map_err(corrupt)?;
    out.create_stream("/Workbook").and_then(|mut s| s.write_all(stream)).map_err(corrupt)?;
    out.flush().map_err(corrupt)?;
    Ok(out.into_inner().into_inner())
}

/// Cells read so far, with the budget and the clock.
struct Budget {
    cells: u64,
    limits: Limits,
    deadline: Instant,
}

impl Budget {
    fn tick(&mut self, sheet: &str) -> Result<(), ParseError> {
        self.cells += 1;
        if self.cells > self.limits.max_cells {
            return Err((
                Some(sheet.to_owned()),
                IngestErrorKind::TooManyCells { cells: self.cells, limit: self.limits.max_cells },
            ));
        }
        if self.cells.is_multiple_of(4096) && Instant::now() > self.deadline {
            return Err((Some(sheet.to_owned()), IngestErrorKind::TooSlow { seconds: self.limits.max_seconds }));
        }
        Ok(())
    }
}

/// A non-empty cell with its absolute position and, where the format says, its font.
type SparseCell = (u32, u32, CellValue, Option<(Legacy, bool)>);

/// What of a cell's style the reader uses: a legacy font, a date format that shows less
/// than the day, a number format that shows words.
#[derive(Debug, Clone, Default)]
struct CellStyle {
    font: Option<(Legacy, bool)>,
    struck: bool,
    date_shown: Option<DateShown>,
    words: Option<WordsShown>,
}

impl CellStyle {
    fn of(style: &calamine::Style) -> Self {
        let code = style.number_format.as_ref().map(|f| f.format_code.as_str());
        CellStyle {
            font: style.font.as_ref().and_then(|f| f.name.as_deref()).and_then(encoding::font_encoding),
            struck: style.font.as_ref().is_some_and(calamine::Font::has_strikethrough),
            date_shown: code.and_then(date_shown),
            words: code.and_then(WordsShown::parse),
        }
    }

    fn matters(&self) -> bool {
        self.font.is_some() || self.struck || self.date_shown.is_some() || self.words.is_some()
    }

    /// The cell as the format shows it, where it shows it otherwise than its stored value:
    /// a year or a month for a date, words for a number.
    fn shown(&self, data: &DataRef<'_>) -> Option<CellValue> {
        match data {
            DataRef::DateTime(dt) if dt.is_datetime() => Some(self.date_shown?.value(dt.to_ymd_hms_milli())),
            DataRef::Float(n) => self.words.as_ref()?.show(*n).map(CellValue::Text),
            DataRef::Int(n) => self.words.as_ref()?.show(*n as f64).map(CellValue::Text),
            _ => None,
        }
    }
}

/// A number format whose sections show words instead of the number: a code stored as a
/// number and shown as its meaning (`[=1]"Nam";[=0]"Nữ";General`: 1 shows "Nam").
#[derive(Debug, Clone, PartialEq)]
struct WordsShown {
    /// Each section: its condition (`[=1]`, `[<0]`), and its words when it shows only words.
    sections: Vec<(Option<Condition>, Option<String>)>,
}

/// A format section's condition: the comparison ("=", "<", ">=") and the number.
type Condition = (String, f64);

impl WordsShown {
    fn parse(code: &str) -> Option<Self> {
        let mut sections = Vec::new();
        let (mut condition, mut words, mut literal, mut section_has_text) = (None, String::new(), true, false);
        let mut chars = code.chars().peekable();
        let mut finish =
            |condition: &mut Option<(String, f64)>, words: &mut String, literal: &mut bool, has: &mut bool| {
                let shown = (*literal && *has).then(|| words.trim().to_owned()).filter(|w| !w.is_empty());
                sections.push((condition.take(), shown));
                words.clear();
                *literal = true;
                *has = false;
            };
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    words.extend(chars.by_ref().take_while(|&c| c != '"'));
                    section_has_text = true;
                }
                '\\' => {
                    words.extend(chars.next());
                    section_has_text = true;
                }
                '[' => {
                    let inside: String = chars.by_ref().take_while(|&c| c != ']').collect();
                    let op_len = inside.chars().take_while(|c| matches!(c, '<' | '>' | '=')).count();
                    if op_len > 0 {
                        let value = inside[op_len..].trim().parse::<f64>().ok()?;
                        condition = Some((inside[..op_len].to_owned(), value));
                    }
                }
                ';' => finish(&mut condition, &mut words, &mut literal, &mut section_has_text),
                ' ' | '-' | '(' | ')' | ':' | '/' | ',' | '.' => words.push(c),
                _ => literal = false,
            }
        }
        finish(&mut condition, &mut words, &mut literal, &mut section_has_text);
        sections.iter().any(|(_, w)| w.is_some()).then_some(Self { sections })
    }

    /// The words the number shows, if its section shows words only.
    fn show(&self, n: f64) -> Option<String> {
        let section = if self.sections.iter().any(|(c, _)| c.is_some()) {
            // The first section whose condition holds, else the first without one.
            self.sections.iter().find(|(condition, _)| match condition {
                Some((op, v)) => match op.as_str() {
                    "=" => (n - *v).abs() < f64::EPSILON,
                    "<" => n < *v,
                    ">" => n > *v,
                    "<=" | "=<" => n <= *v,
                    ">=" | "=>" => n >= *v,
                    "<>" => (n - *v).abs() >= f64::EPSILON,
                    _ => false,
                },
                None => true,
            })?
        } else {
            let i = match self.sections.len() {
                1 => 0,
                2 => usize::from(n < 0.0),
                _ if n > 0.0 => 0,
                _ if n < 0.0 => 1,
                _ => 2,
            };
            self.sections.get(i)?
        };
        section.1.clone()
    }
}

/// What a date cell's number format shows when it shows less than the day: a birth year
/// typed as 1 January and shown "yyyy" is a year, as the clerk who typed it sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateShown {
    Year,
    MonthYear,
}

impl DateShown {
    /// The cell as it is shown: the year as a number, the month and year as "mm/yyyy".
    fn value(self, (year, month, ..): (u16, u8, u8, u8, u8, u8, u16)) -> CellValue {
        match self {
            Self::Year => CellValue::Number(f64::from(year)),
            Self::MonthYear => CellValue::Text(format!("{month:02}/{year}")),
        }
    }
}

/// Whether a number format shows a date without its day ("yyyy", "mm/yyyy", `"Năm "yyyy`,
/// "[$-42A]mmmm yyyy"), from its first section, quoted text, escapes and brackets left out.
fn date_shown(code: &str) -> Option<DateShown> {
    let section = code.split(';').next().unwrap_or("");
    let mut letters = String::new();
    let mut chars = section.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => chars.by_ref().take_while(|&c| c != '"').for_each(drop),
            '[' => chars.by_ref().take_while(|&c| c != ']').for_each(drop),
            '\\' | '_' | '*' => {
                chars.next();
            }
            c if c.is_ascii_alphabetic() => letters.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    if !letters.contains('y') || letters.contains(['d', 'h', 's', 'a', 'g', 'e']) {
        return None;
    }
    Some(if letters.contains('m') { DateShown::MonthYear } else { DateShown::Year })
}

/// Parses the sheets of a return, or only the sheet `only` (of a report tonghop wrote).
// Long on purpose: one workbook's sheets read in order under one budget of cells, area and time;
// the budget is the loop's state.
fn parse(format: Format, bytes: Vec<u8>, limits: &Limits, only: Option<&str>) -> Result<Book, ParseError> {
    let (bytes, properties, biff8) = if format == Format::Xls {
        let (container, biff8) = check_xls(&bytes, limits)?;
        (container, Properties::default(), biff8)
    } else {
        let properties = check_zip(&bytes, limits)?;
        (bytes, properties, false)
    };
    let Properties { modified, written_by_tonghop } = properties;
    // The dense grids of the sheets read so far (see `densify`).
    let mut book_area: u64 = 0;
    let mut budget =
        Budget { cells: 0, limits: *limits, deadline: Instant::now() + Duration::from_secs(limits.max_seconds) };
    let file_bytes = bytes.len();
    let shared = Shared(std::sync::Arc::new(bytes));
    let cursor = Cursor::new(shared.clone());
    let mut sheets: Sheets<Cursor<Shared>> = match format {
        Format::Xlsx => Sheets::Xlsx(open_workbook_from_rs::<Xlsx<_>, _>(cursor).map_err(corrupt)?),
        Format::Xlsb => Sheets::Xlsb(open_workbook_from_rs::<Xlsb<_>, _>(cursor).map_err(corrupt)?),
        Format::Ods => Sheets::Ods(open_workbook_from_rs::<Ods<_>, _>(cursor).map_err(corrupt)?),
        Format::Xls => {
            // A BIFF8 string is UTF-16 (its compressed form drops the high bytes): the
            // CODEPAGE record only matters to older versions. Some writers put their ANSI
            // code page there (1258 in Vietnam), which would decode every string as
            // garbage, or an unknown number, which would refuse the file.
            let mut options = calamine::XlsOptions::default();
            if biff8 {
                options.force_codepage = Some(1200);
            }
            Sheets::Xls(Xls::new_with_options(cursor, options).map_err(corrupt)?)
        }
    };
    let metadata: Vec<(String, bool)> =
        sheets.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible != SheetVisible::Visible)).collect();
    let mut book = Book {
        sheets: Vec::with_capacity(metadata.len()),
        sha256: String::new(),
        modified,
        written_by_tonghop,
        merged_ranges: None,
    };
    if written_by_tonghop && only.is_none() {
        // A report is not read as a return: none of its sheets is parsed.
        return Ok(book);
    }
    for (name, hidden) in metadata {
        if hidden || only.is_some_and(|only| only != name) {
            // Hidden sheets are never rosters (helper lists, old copies): not parsed at all.
            book.sheets.push(SheetGrid { name, hidden, ..SheetGrid::default() });
            continue;
        }
        let in_sheet = |e: &dyn fmt::Display| (Some(name.clone()), corrupt(e).1);
        let mut struck: Vec<(u32, u32)> = Vec::new();
        let (cells, merges) = match &mut sheets {
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(&name).map_err(|e| in_sheet(&e))?;
                let mut cells = with_declared_capacity(reader.dimensions().len(), file_bytes, limits);
                let styles: Vec<CellStyle> = reader.styles().iter().map(CellStyle::of).collect();
                if styles.iter().any(CellStyle::matters) {
                    let plain = CellStyle::default();
                    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(|e| in_sheet(&e))? {
                        budget.tick(&name)?;
                        let style = styles.get(style).unwrap_or(&plain);
                        let (row, col) = cell.get_position();
                        if style.struck && matches!(cell.get_value(), DataRef::String(_) | DataRef::SharedString(_)) {
                            struck.push((row, col));
                        }
                        match style.shown(cell.get_value()) {
                            Some(value) if row < 1_048_576 && col < 16_384 => cells.push((row, col, value, style.font)),
                            _ => keep(&mut cells, (row, col), cell.get_value(), style.font),
                        }
                    }
                } else {
                    // No legacy font in the workbook: the cheaper reader without styles.
                    while let Some(cell) = reader.next_cell().map_err(|e| in_sheet(&e))? {
                        budget.tick(&name)?;
                        keep(&mut cells, cell.get_position(), cell.get_value(), None);
                    }
                }
                (cells, Vec::new())
            }
            Sheets::Xlsb(x) => {
                let mut reader = x.worksheet_cells_reader(&name).map_err(|e| in_sheet(&e))?;
                let mut cells = with_declared_capacity(reader.dimensions().len(), file_bytes, limits);
                while let Some(cell) = reader.next_cell().map_err(|e| in_sheet(&e))? {
                    budget.tick(&name)?;
                    keep(&mut cells, cell.get_position(), cell.get_value(), None);
                }
                (cells, Vec::new())
            }
            other => {
                let range = other.worksheet_range(&name).map_err(|e| in_sheet(&e))?;
                let (height, width) = range.get_size();
                let area = height as u64 * width as u64;
                if area > limits.max_sheet_cells {
                    return Err((
                        Some(name),
                        IngestErrorKind::TooManyCells { cells: area, limit: limits.max_sheet_cells },
                    ));
                }
                let mut cells: Vec<SparseCell> = Vec::new();
                for (r, c, data) in range.used_cells() {
                    budget.tick(&name)?;
                    let value = cell_value(data);
                    if !value.is_empty() {
                        let (r0, c0) = range.start().unwrap_or((0, 0));
                        cells.push((r0 + r as u32, c0 + c as u32, value, None));
                    }
                }
                let merges = match other {
                    Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                    _ => Vec::new(),
                };
                (cells, merges)
            }
        };
        let mut grid = densify(name, hidden, cells, merges, limits, &mut book_area)?;
        struck.sort_unstable();
        grid.struck = struck;
        book.sheets.push(grid);
    }
    if matches!(sheets, Sheets::Xlsx(_)) {
        // An xlsx sheet's merged ranges cost a second pass over its part: they are read
        // later, for the sheets whose header needs them (see `rows`).
        book.merged_ranges = Some(MergedRanges { bytes: shared, parts: std::sync::OnceLock::new() });
    }
    Ok(book)
}

/// Where an xlsx workbook's merged ranges are read from, when a sheet needs them.
#[derive(Clone)]
pub struct MergedRanges {
    bytes: Shared,
    parts: std::sync::OnceLock<crate::merges::SheetParts>,
}

impl fmt::Debug for MergedRanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MergedRanges({} bytes)", self.bytes.as_ref().len())
    }
}

impl MergedRanges {
    /// The merged ranges of `grid`'s header zone, read from the package.
    pub fn of(&self, grid: &SheetGrid) -> Vec<Dimensions> {
        let bytes = self.bytes.as_ref();
        let parts = self.parts.get_or_init(|| crate::merges::SheetParts::read(bytes));
        header_zone_merges(parts.merges(bytes, &grid.name), grid.origin.0)
    }

    /// The merged ranges of `grid` over two rows or more, anywhere in the sheet.
    pub fn vertical_of(&self, grid: &SheetGrid) -> Vec<Dimensions> {
        let bytes = self.bytes.as_ref();
        let parts = self.parts.get_or_init(|| crate::merges::SheetParts::read(bytes));
        vertical_merges(&parts.merges(bytes, &grid.name))
    }
}

/// Room for the cells a sheet declares, so that the vector is not regrown cell by cell
/// (regrowing a consolidated file's 3.5 million cells copied them over and over). A
/// declaration is only a claim: it is believed up to one cell per 4 bytes of the file
/// (real returns take 5 or more) and the limit of cells per sheet.
fn with_declared_capacity(declared: u64, file_bytes: usize, limits: &Limits) -> Vec<SparseCell> {
    let believable = declared.min(file_bytes as u64 / 4).min(limits.max_sheet_cells);
    Vec::with_capacity(usize::try_from(believable).unwrap_or(0))
}

/// Keeps a streamed cell that holds something, inside Excel's grid (1,048,576 rows of
/// 16,384 columns): a cell a file places past it cannot be shown by any spreadsheet
/// program, and is not data of the roster.
fn keep(cells: &mut Vec<SparseCell>, (row, col): (u32, u32), data: &DataRef<'_>, font: Option<(Legacy, bool)>) {
    if row >= 1_048_576 || col >= 16_384 {
        return;
    }
    let value = cell_value_ref(data);
    if !value.is_empty() {
        cells.push((row, col, value, font));
    }
}

/// Turns sparse cells into a grid, decoding legacy text on the way: by the cell's font
/// when it has one, otherwise by what the sheet's characters show.
// Long on purpose: one pass that places every cell and keeps the grid's bounds; split, the bounds
// would be checked twice.
fn densify(
    name: String,
    hidden: bool,
    mut cells: Vec<SparseCell>,
    merges: Vec<Dimensions>,
    limits: &Limits,
    book_area: &mut u64,
) -> Result<SheetGrid, ParseError> {
    if cells.is_empty() {
        return Ok(SheetGrid { name, hidden, merges, ..SheetGrid::default() });
    }
    let (mut r0, mut c0, mut r1, mut c1) = (u32::MAX, u32::MAX, 0, 0);
    for (r, c, _, _) in &cells {
        r0 = r0.min(*r);
        c0 = c0.min(*c);
        r1 = r1.max(*r);
        c1 = c1.max(*c);
    }
    let vertical_merges = vertical_merges(&merges);
    let merges = header_zone_merges(merges, r0);
    // In u64: an xlsb cell may claim column 4,294,967,295.
    let area = (u64::from(r1) - u64::from(r0) + 1) * (u64::from(c1) - u64::from(c0) + 1);
    if area > limits.max_sheet_cells {
        return Err((Some(name), IngestErrorKind::TooManyCells { cells: area, limit: limits.max_sheet_cells }));
    }
    // The grids of all the workbook's sheets are held at once: together they are bounded
    // too (forty sparse sheets each just under the limit would be gigabytes).
    *book_area += area;
    if *book_area > limits.max_cells {
        return Err((Some(name), IngestErrorKind::TooManyCells { cells: *book_area, limit: limits.max_cells }));
    }
    let (detected, signs) =
        encoding::detect_with_signs(cells.iter().filter(|c| c.3.is_none()).filter_map(|c| match &c.2 {
            CellValue::Text(t) => Some(t.as_str()),
            _ => None,
        }));
    let mut used = None;
    // Without a font and without one encoding for the sheet, each cell is judged alone (a
    // workbook can mix Unicode and VNI cells); the encoding the clearest cells show then
    // lets a cell with a single sign be decoded too.
    let mut seen = None;
    if detected.is_none() && signs {
        for (_, _, value, font) in &cells {
            if let (CellValue::Text(text), None) = (value, font)
                && !text.is_ascii()
                && text.len() <= 1000
                && let Some(legacy) = encoding::detect_cell(text, None)
            {
                seen = Some(legacy);
                break;
            }
        }
    }
    for (_, _, value, font) in &mut cells {
        if let CellValue::Text(text) = value {
            let how = font.or(detected.map(|d| (d, false))).or_else(|| {
                let judge = seen.is_some() && !text.is_ascii() && text.len() <= 1000;
                judge.then(|| encoding::detect_cell(text, seen)).flatten().map(|d| (d, false))
            });
            if let Some((legacy, upper)) = how
                && let Some(decoded) = encoding::decode_if_legacy(text, legacy, upper)
            {
                *text = decoded;
                used = Some(used.map_or(legacy, |u: Legacy| u.min(legacy)));
            }
        }
    }
    let width = (c1 - c0 + 1) as usize;
    let mut rows = vec![Vec::new(); (r1 - r0 + 1) as usize];
    for (r, c, value, _) in cells {
        let row = &mut rows[(r - r0) as usize];
        if row.is_empty() {
            row.resize(width, CellValue::Empty);
        }
        row[(c - c0) as usize] = value;
    }
    Ok(SheetGrid {
        name,
        hidden,
        origin: (r0, c0),
        rows,
        merges,
        vertical_merges,
        encoding: used,
        struck: Vec::new(),
        width: std::sync::OnceLock::new(),
        merge_rows: std::sync::OnceLock::new(),
    })
}

/// Text as a [`CellValue`]: NFC (decomposed text from some input methods is composed),
/// trimmed; line breaks inside are kept, they separate positions.
fn text_value(s: &str) -> CellValue {
    // Most cells neither start nor end with a space: no trimming to do.
    let plain_ends = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    let trimmed = if plain_ends(s.as_bytes().first()) && plain_ends(s.as_bytes().last()) {
        s
    } else {
        s.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}')
    };
    // Excel's mark of a text ("'07/09/1976", "'020076003518"), kept as a character by a CSV
    // export opened and saved as a workbook: no part of the value, and alone the export's
    // empty value (a ditto mark typed "''" is kept as one "'", still a ditto).
    let trimmed = trimmed.strip_prefix('\'').map_or(trimmed, str::trim_start);
    if trimmed.is_empty() {
        CellValue::Empty
    } else if has_combining_mark(trimmed) {
        CellValue::Text(trimmed.nfc().collect())
    } else {
        CellValue::Text(trimmed.to_owned())
    }
}

/// Whether text holds a combining diacritic (U+0300–U+036F), found by its UTF-8 lead bytes
/// 0xCC and 0xCD rather than by decoding every character.
fn has_combining_mark(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(0xCC, 0xCD, bytes)
        .any(|i| bytes.get(i + 1).is_some_and(|&next| bytes[i] == 0xCC || next <= 0xAF))
}

/// A streamed calamine cell as a [`CellValue`], without an intermediate copy.
fn cell_value_ref(data: &DataRef<'_>) -> CellValue {
    match data {
        DataRef::SharedString(s) => text_value(s),
        DataRef::String(s) => text_value(s),
        DataRef::Empty => CellValue::Empty,
        other => cell_value(&Data::from(other.clone())),
    }
}

/// One calamine cell as a [`CellValue`]: text in NFC and trimmed (line breaks inside are
/// kept, they separate positions), dates resolved with the workbook's epoch.
pub fn cell_value(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Empty,
        Data::String(s) => text_value(s),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                .map_or(CellValue::Number(dt.as_f64()), CellValue::Date)
        }
        Data::DateTime(dt) => CellValue::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or_else(|| CellValue::Text(s.clone()), CellValue::Date),
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(format!("{e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_format_of_words_shows_the_words() {
        let gender = WordsShown::parse("[=1]\"Nam\";[=0]\"Nữ\";General").unwrap();
        assert_eq!(gender.show(1.0).as_deref(), Some("Nam"));
        assert_eq!(gender.show(0.0).as_deref(), Some("Nữ"));
        assert_eq!(gender.show(2.0), None, "General shows the number");
        let member = WordsShown::parse("\"Có\";;\"Không\"").unwrap();
        assert_eq!((member.show(1.0).as_deref(), member.show(0.0).as_deref()), (Some("Có"), Some("Không")));
        for shows_numbers in ["0\"/12\"", "General", "#,##0", "000000000000", "dd/mm/yyyy", "0.00\" đ\""] {
            assert_eq!(WordsShown::parse(shows_numbers), None, "{shows_numbers}");
        }
    }

    #[test]
    fn a_date_format_without_the_day_shows_the_year_or_the_month() {
        assert_eq!(date_shown("yyyy"), Some(DateShown::Year));
        assert_eq!(date_shown("\"Năm \"yyyy"), Some(DateShown::Year));
        assert_eq!(date_shown("mm/yyyy"), Some(DateShown::MonthYear));
        assert_eq!(date_shown("[$-42A]mmmm\\ yyyy;@"), Some(DateShown::MonthYear));
        for full in ["dd/mm/yyyy", "d/m/yy", "yyyy-mm-dd", "m/d/yy h:mm", "General", "0", "#,##0", "[h]:mm"] {
            assert_eq!(date_shown(full), None, "{full}");
        }
    }

    /// A BIFF record.
    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend_from_slice(&(body.len() as u16).to_le_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn an_xls_string_table_is_counted_as_it_is_read_not_as_it_declares() {
        // "ab" narrow, then "xyz" wide split over a CONTINUE (which restates the width),
        // then three empty strings in a CONTINUE of their own, and an empty CONTINUE.
        let first: Vec<u8> = [&[2, 0, 0][..], b"ab", &[3, 0, 1], &[b'x', 0]].concat();
        let second: Vec<u8> = [&[1][..], &[b'y', 0, b'z', 0]].concat();
        let third = [0, 0, 0, 0, 0, 0, 0, 0, 0];
        let parts: [&[u8]; 4] = [&first, &second, &[], &third];
        assert_eq!(count_sst_strings(&parts, 100), 5);
        assert_eq!(count_sst_strings(&parts, 2), 3, "stops past the bound");
        // An SST declaring one string and holding 1,001 empty ones, for a bound of 1,000.
        let limits = Limits { max_cells: 1000, ..Limits::default() };
        let mut sst = vec![1, 0, 0, 0, 1, 0, 0, 0];
        sst.extend([0_u8, 0, 0].repeat(1001));
        let stream = record(0x00FC, &sst);
        assert!(matches!(
            check_strings(&stream, &limits),
            Err((_, IngestErrorKind::DeclaredTooMany { declared: 1001, .. }))
        ));
        // A million empty CONTINUE records (calamine's time grows with their square).
        let mut stream = record(0x00FC, &[0; 8]);
        for _ in 0..=MAX_CONTINUE_RECORDS {
            stream.extend(record(0x003C, &[]));
        }
        assert!(matches!(
            check_strings(&stream, &Limits::default()),
            Err((_, IngestErrorKind::DeclaredTooMany { .. }))
        ));
    }

    fn kind(path: &str, bytes: &[u8]) -> IngestErrorKind {
        load_bytes(path, bytes.to_vec(), &Limits::default()).unwrap_err().kind
    }

    #[test]
    fn a_declared_sheet_size_is_believed_only_as_far_as_the_file_allows() {
        let limits = Limits::default();
        // A consolidated file: its declaration is believed.
        assert!(with_declared_capacity(4_250_017, 18_232_793, &limits).capacity() >= 4_250_017);
        // A small file claiming Excel's whole grid reserves no more than a cell per 4 bytes.
        let lying = with_declared_capacity(17_179_869_184, 10_000, &limits);
        assert!(lying.capacity() >= 2_500 && lying.capacity() < 4_096, "{}", lying.capacity());
        // Nor does a large one reserve past the cells a sheet may hold.
        let large = with_declared_capacity(u64::MAX, 64 << 20, &limits);
        assert!(large.capacity() as u64 <= limits.max_sheet_cells + 64, "{}", large.capacity());
    }

    #[test]
    fn combining_marks_are_found_by_their_bytes_as_by_their_characters() {
        // Every character from U+0080 to U+1FFF, alone and between letters.
        for c in (0x80..0x2000).filter_map(char::from_u32) {
            let by_chars = ('\u{300}'..='\u{36f}').contains(&c);
            assert_eq!(has_combining_mark(&c.to_string()), by_chars, "{c:?}");
            assert_eq!(has_combining_mark(&format!("a{c}b")), by_chars, "{c:?}");
        }
        assert!(!has_combining_mark("Nguyễn Văn Hùng"));
    }

    #[test]
    fn text_is_trimmed_and_composed() {
        let text = |s: &str| match text_value(s) {
            CellValue::Text(t) => t,
            other => panic!("{other:?}"),
        };
        assert_eq!(text("  Nguyễn Văn A\u{a0}"), "Nguyễn Văn A");
        assert_eq!(text("Xa\u{303}\t"), "Xã");
        assert_eq!(text("Bí thư\nChủ tịch"), "Bí thư\nChủ tịch");
        assert_eq!(text("x"), "x");
        assert_eq!(text_value(" \u{a0}\n"), CellValue::Empty);
        assert_eq!(text_value(""), CellValue::Empty);
        // Excel's text mark kept as a character (a CSV export saved as a workbook).
        assert_eq!(text("'07/09/1976"), "07/09/1976");
        assert_eq!(text("H'Hen Niê"), "H'Hen Niê");
        assert_eq!(text_value("'"), CellValue::Empty);
        assert_eq!(text("''"), "'");
    }

    #[test]
    fn renamed_and_broken_files_get_typed_errors() {
        assert_eq!(kind("a.xlsx", b""), IngestErrorKind::Empty);
        assert_eq!(kind("a.xls", b"<html><body><table></table></body></html>"), IngestErrorKind::Html);
        assert_eq!(kind("a.xls", b"STT,Ho va ten\n1,Nguyen Van A\n"), IngestErrorKind::Text);
        assert_eq!(kind("a.xlsx", &[0u8, 1, 2, 3, 4, 5, 6, 7, 200, 201, 0, 0, 0, 9]), IngestErrorKind::UnknownFormat);
        assert!(matches!(kind("a.xlsx", b"PK\x03\x04garbage"), IngestErrorKind::Corrupt(_)));
        assert_eq!(kind("a.xlsx", b"PK\x03\x04....word/document.xml...."), IngestErrorKind::WordDocument);
    }

    #[test]
    fn errors_name_the_file() {
        let err = load_bytes("Son Ha/BC.xlsx", Vec::new(), &Limits::default()).unwrap_err();
        assert!(err.to_string().starts_with("Son Ha/BC.xlsx: "), "{err}");
        assert!(err.sha256.is_some());
    }

    #[test]
    fn limits_are_enforced_before_parsing() {
        let limits = Limits { max_file_bytes: 10, ..Limits::default() };
        let err = load_bytes("a.xlsx", vec![b'P'; 11], &limits).unwrap_err();
        assert_eq!(err.kind, IngestErrorKind::TooLarge { size: 11, limit: 10 });
    }

    #[test]
    fn the_modified_date_comes_from_core_properties() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 2, 25).unwrap();
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&date));
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
        let book = load_bytes("a.xlsx", wb.save_to_buffer().unwrap(), &Limits::default()).unwrap();
        assert_eq!(book.modified.as_deref(), Some("2024-02-25T00:00:00Z"));
    }

    #[test]
    fn cell_values() {
        assert_eq!(cell_value(&Data::String("  Nguyễn Văn A \n".into())), CellValue::Text("Nguyễn Văn A".into()));
        assert_eq!(cell_value(&Data::String("   ".into())), CellValue::Empty);
        assert_eq!(cell_value(&Data::Int(12)), CellValue::Number(12.0));
        assert_eq!(
            cell_value(&Data::DateTimeIso("1978-05-12T00:00:00".into())),
            CellValue::Date(NaiveDate::from_ymd_opt(1978, 5, 12).unwrap())
        );
    }
}
