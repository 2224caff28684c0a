//! Reads a folder of heterogeneous returns into raw rows with provenance.
//!
//! # What it owns
//!
//! - [`discover`](mod@discover): every file below the returns folder, sorted, spreadsheets told apart
//!   from the rest.
//! - [`workbook`]: opening one file (xlsx, xlsm, xls, ods, xlsb) from bytes, with the
//!   format sniffed from its content, not its name; size limits; panics in the reader
//!   contained.
//! - [`header`]: finding the header block below any title block and reading it as a tree
//!   (merged ranges, carried group labels), each column resolved to a
//!   [`Field`](tonghop_model::Field) by rules over its header path, the rule kept.
//! - [`merges`]: an xlsx sheet's merged ranges, read without a second XML parse.
//! - [`rows`]: sorting the rows under the header into people, rejects and skipped rows
//!   (counted by kind), second tables, layout corrections, keeping the row accounting.
//! - [`unit`](mod@unit): deciding which registry unit a file, sheet or row belongs to.
//! - [`training`]: the training centre's class register, read the same way.
//!
//! A file that cannot be read never stops the run: [`read_file`] always returns a
//! [`FileRead`] whose intake says what went wrong, with the typed [`IngestError`] behind it.

// An ingest error carries the file, sheet, cell and hash so that the intake can name them;
// it happens once per bad file, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod archive;
mod codelists;
pub mod decisions;
pub mod discover;
pub mod encoding;
pub mod header;
pub mod merges;
mod ods;
pub mod rows;
pub mod training;
pub mod unit;
pub mod workbook;

use rayon::prelude::*;
use tonghop_model::intake::{FileIntake, FileStatus, RowCounts};
use tonghop_model::record::RawRecord;
use tonghop_model::units::UnitMatcher;
use tonghop_model::{Config, DataIssue, Period, Registry, Severity};

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
    /// The file's modification time.
    pub modified: Option<std::time::SystemTime>,
    /// The workbook's own "modified" property (ISO 8601), when it has one.
    pub workbook_modified: Option<String>,
}

impl FileRead {
    /// How recent the file is, for "the newest source wins": the workbook's own modified
    /// date, then the file's modification time (the caller breaks ties by path order).
    pub fn recency(&self) -> (String, std::time::SystemTime) {
        (self.workbook_modified.clone().unwrap_or_default(), self.modified.unwrap_or(std::time::UNIX_EPOCH))
    }
}

/// What the reader needs to know about the run.
#[derive(Debug, Clone)]
pub struct IngestContext<'a> {
    /// The unit registry.
    pub registry: &'a Registry,
    /// Mapping overrides.
    pub config: Config,
    /// The reporting period.
    pub period: Period,
    /// Per-file limits.
    pub limits: Limits,
    matcher: UnitMatcher,
}

impl<'a> IngestContext<'a> {
    /// A context for `period` with the default limits.
    pub fn new(registry: &'a Registry, period: Period) -> Self {
        Self {
            registry,
            config: Config::default(),
            period,
            limits: Limits::default(),
            matcher: registry.matcher(period),
        }
    }

    /// The same context with mapping overrides.
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// The unit matcher for the period.
    pub fn matcher(&self) -> &UnitMatcher {
        &self.matcher
    }
}

/// What each spreadsheet of the month adds to its budget: a return of a commune unpacks
/// to some 100 KB.
pub const MONTH_BYTES_PER_FILE: u64 = 256 * 1024;

/// Holds the month to its budget ([`Limits::max_month_unpacked_bytes`]): each spreadsheet
/// is charged what it declares it unpacks to, the smallest first, and those that would
/// pass the budget, the largest, are not read (each is reported, with its unit). A file
/// its own limits refuse takes nothing; a few large files cannot crowd out the communes'
/// small returns, whatever their names. Decided before any reading, from sizes alone, so
/// the same folder gives the same month however many workers read it.
pub fn within_month_budget(files: &mut [FoundFile], limits: &Limits) {
    let charges: Vec<Option<u64>> =
        files
            .par_iter()
            .map(|f| {
                if f.is_spreadsheet && f.problem.is_none() {
                    workbook::declared_unpacked_bytes(f, limits)
                } else {
                    None
                }
            })
            .collect();
    let mut order: Vec<(u64, usize)> =
        charges.iter().enumerate().filter_map(|(i, c)| c.map(|bytes| (bytes, i))).collect();
    order.sort_unstable();
    // A country's month of 10,000 ordinary returns (some 100 KB unpacked each) fits: each
    // spreadsheet adds its share to the budget.
    let limit = limits.max_month_unpacked_bytes.saturating_add(MONTH_BYTES_PER_FILE.saturating_mul(order.len() as u64));
    let mut used: u64 = 0;
    for (unpacked, i) in order {
        if used.saturating_add(unpacked) > limit {
            files[i].problem = Some(IngestErrorKind::MonthBudget { unpacked, used, limit });
        } else {
            used += unpacked;
        }
    }
}

/// Reads every file, in parallel, in the order given. A panic while reading one file (a
/// bug, which the fuzz target hunts for) is contained: that file is reported unreadable and
/// the month goes on.
pub fn read_all(files: &[FoundFile], ctx: &IngestContext<'_>) -> Vec<FileRead> {
    read_all_then(files, ctx, &|read| read)
}

/// Reads every file, in parallel, and hands each [`FileRead`] to `then` on the worker that
/// read it, while its rows are still in cache; returns what `then` made, in the order
/// given. The caller can so turn each file's raw rows into something smaller at once.
pub fn read_all_then<T: Send>(
    files: &[FoundFile],
    ctx: &IngestContext<'_>,
    then: &(dyn Fn(FileRead) -> T + Sync),
) -> Vec<T> {
    files
        .par_iter()
        // Small pieces of work to steal: otherwise one worker could be left with a long run
        // of files at the end while the other waits (up to 0.25 s on 10,000 files).
        .with_max_len(8)
        .map(|f| then(read_one_contained(f, ctx)))
        .collect()
}

/// Reads one file; a panic while reading it is contained and reported as unreadable.
fn read_one_contained(f: &FoundFile, ctx: &IngestContext<'_>) -> FileRead {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_file(f, ctx))).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        finish(f, Err(IngestError::new(f.rel_path.clone(), IngestErrorKind::ReaderPanicked(message))), ctx)
    })
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
            workbook_modified: None,
        };
    }
    if let Some(problem) = &file.problem {
        return finish(file, Err(IngestError::new(file.rel_path.clone(), problem.clone())), ctx);
    }
    let started = std::time::Instant::now();
    let loaded = workbook::load(file, &ctx.limits);
    let opened = started.elapsed();
    let read = finish(file, loaded, ctx);
    // The stage profile of a large file (a consolidated return): opening and streaming
    // its cells, then headers, rows and units. Small files would only flood the log.
    if read.intake.counts.read >= 10_000 {
        tracing::debug!(
            "ingest / {}: open and stream {:.3} s, rows {:.3} s",
            file.rel_path,
            opened.as_secs_f64(),
            started.elapsed().saturating_sub(opened).as_secs_f64()
        );
    }
    read
}

/// Reads a workbook from bytes already in memory (for `check`, tests and the fuzzer);
/// `rel_path` names it and its folders can still identify the unit.
pub fn read_bytes(rel_path: &str, bytes: Vec<u8>, ctx: &IngestContext<'_>) -> FileRead {
    let file = FoundFile {
        index: 0,
        rel_path: rel_path.to_owned(),
        abs_path: rel_path.into(),
        size: bytes.len() as u64,
        modified: None,
        is_spreadsheet: true,
        problem: None,
        archive_entry: None,
    };
    let loaded = workbook::load_bytes(rel_path, bytes, &ctx.limits);
    finish(&file, loaded, ctx)
}

fn finish(file: &FoundFile, loaded: Result<workbook::Book, IngestError>, ctx: &IngestContext<'_>) -> FileRead {
    match loaded {
        // A report tonghop wrote, left in the returns folder (an --out inside it, a copy
        // saved there): listed, never read back as a unit's return.
        Ok(book) if book.written_by_tonghop => {
            let mut intake = FileIntake::not_spreadsheet(file.rel_path.clone(), file.size);
            intake.sha256 = book.sha256;
            intake.error = Some("báo cáo do tonghop viết, không phải báo cáo của đơn vị; bỏ qua".to_owned());
            FileRead {
                intake,
                records: Vec::new(),
                issues: Vec::new(),
                error: None,
                modified: file.modified,
                workbook_modified: book.modified,
            }
        }
        Ok(book) => {
            let sha256 = book.sha256.clone();
            let read = rows::read_book(file, book, ctx);
            if read.records.len() > ctx.limits.max_rows {
                // Its rows are dropped here, on the worker, before the month keeps them.
                let kind = IngestErrorKind::TooManyRows { rows: read.records.len(), limit: ctx.limits.max_rows };
                let error = IngestError { sha256: Some(sha256), ..IngestError::new(file.rel_path.clone(), kind) };
                return finish(file, Err(error), ctx);
            }
            read
        }
        Err(error) => {
            let (units, found_by, evidence) = match unit::from_path(file, ctx) {
                unit::Decision::Found(id, by) => (vec![id], Some(by), String::new()),
                unit::Decision::Unclear(seen) => (Vec::new(), None, seen),
            };
            let own_unit = units.first().copied();
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
                    error: Some(error.message_vi()),
                    rows_of_other_units: Vec::new(),
                    own_unit,
                    path_unit: None,
                },
                records: Vec::new(),
                issues: vec![issue],
                error: Some(error),
                modified: file.modified,
                workbook_modified: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_xlsxwriter::Workbook;
    use tonghop_model::Config;
    use tonghop_model::Field;
    use tonghop_model::codes::Category;
    use tonghop_model::intake::{FileStatus, UnitFoundBy};
    use tonghop_model::record::CellValue;

    use super::*;

    fn write_return(dir: &std::path::Path, rel: &str, rows: &[&[&str]]) -> FoundFile {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    ws.write_string(r as u32, c as u16, *text).unwrap();
                }
            }
        }
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        wb.save(&path).unwrap();
        discover(dir).unwrap().into_iter().find(|f| f.rel_path == rel).unwrap()
    }

    #[test]
    fn the_spreadsheets_of_a_zip_are_read_as_returns_within_the_limits() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let made = tempfile::tempdir().unwrap();
        let rows: &[&[&str]] = &[&["STT", "Họ và tên", "Ngày sinh"], &["1", "Nguyễn Văn Hùng", "12/05/1978"]];
        let file = write_return(made.path(), "BC thang 02.xlsx", rows);
        let workbook = std::fs::read(&file.abs_path).unwrap();
        // The commune's e-mail: its return, a letter, a name climbing out, an archive inside,
        // and a part that unpacks to a thousand times its size.
        let mut zip = zip::ZipWriter::new(std::fs::File::create(dir.path().join("Son Ha.zip")).unwrap());
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in [
            ("Thang 02/BC thang 02.xlsx", workbook.clone()),
            ("cong van.txt", b"Kinh gui Ban To chuc".to_vec()),
            ("../ngoai.xlsx", workbook.clone()),
            ("cu.zip", b"PK\x05\x06".to_vec()),
            ("bom.xlsx", vec![0; 8 * 1024 * 1024]),
        ] {
            zip.start_file(name, deflated).unwrap();
            zip.write_all(&bytes).unwrap();
        }
        zip.finish().unwrap();
        std::fs::write(dir.path().join("Yen Son.rar"), b"Rar!\x1a\x07\x00").unwrap();

        let found = discover(dir.path()).unwrap();
        let listed: Vec<(&str, bool, Option<&str>)> = found
            .iter()
            .map(|f| (f.rel_path.as_str(), f.is_spreadsheet, f.problem.as_ref().map(IngestErrorKind::key)))
            .collect();
        assert_eq!(
            listed,
            [
                ("Son Ha.zip/../ngoai.xlsx", true, Some("archive_unsafe_name")),
                ("Son Ha.zip/Thang 02/BC thang 02.xlsx", true, None),
                ("Son Ha.zip/bom.xlsx", true, None),
                ("Son Ha.zip/cong van.txt", false, None),
                ("Son Ha.zip/cu.zip", true, Some("archive_nested")),
                ("Yen Son.rar", true, Some("archive_unsupported")),
            ]
        );
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = |rel: &str| read_file(found.iter().find(|f| f.rel_path == rel).unwrap(), &ctx);
        // The return: its person, its unit named by the archive's name.
        let inside = read("Son Ha.zip/Thang 02/BC thang 02.xlsx");
        assert_eq!(people(&inside), ["Nguyễn Văn Hùng"]);
        assert_eq!(inside.intake.status, FileStatus::Read);
        assert_eq!(registry.unit(inside.intake.units[0]).name, "Xã Sơn Hà");
        // The bomb is refused by its ratio; the others are said unreadable with why.
        let bomb = read("Son Ha.zip/bom.xlsx");
        assert!(matches!(bomb.error.unwrap().kind, IngestErrorKind::ZipRatio { .. }));
        for (rel, key) in [
            ("Son Ha.zip/../ngoai.xlsx", "archive_unsafe_name"),
            ("Son Ha.zip/cu.zip", "archive_nested"),
            ("Yen Son.rar", "archive_unsupported"),
        ] {
            let r = read(rel);
            assert_eq!(r.intake.status, FileStatus::Unreadable, "{rel}");
            assert_eq!(r.error.unwrap().kind.key(), key, "{rel}");
            assert!(r.records.is_empty());
        }
        // A damaged .zip is one unreadable entry.
        std::fs::write(dir.path().join("Son Ha.zip"), b"PK\x03\x04 not really").unwrap();
        let damaged = discover(dir.path()).unwrap();
        assert_eq!(damaged[0].rel_path, "Son Ha.zip");
        assert_eq!(damaged[0].problem.as_ref().map(IngestErrorKind::key), Some("archive_unreadable"));
    }

    #[test]
    fn a_return_with_title_sections_total_and_signatures() {
        let dir = tempfile::tempdir().unwrap();
        let file = write_return(
            dir.path(),
            "thang 2/bao cao.xlsx",
            &[
                &["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                &["ĐẢNG BỘ XÃ SƠN HÀ"],
                &[],
                &["STT", "Họ và tên", "Ngày sinh", "LLCT", "Sở thích"],
                &["I. CÁN BỘ"],
                &["1", "Nguyễn Văn Hùng", "12/05/1978", "TC", "câu cá"],
                &["2", "", "01/01/1980", "SC", ""],
                &["II. CÔNG CHỨC"],
                &["3", "Lò Thị Hoa", "1985", "", ""],
                &["", "Tổng cộng", "", "2", ""],
                &[],
                &["", "", "Sơn Hà, ngày 25 tháng 02 năm 2024"],
                &["", "NGƯỜI LẬP BIỂU", "", "T/M ĐẢNG ỦY"],
                &["", "Hoàng Văn Lập", "", "Nguyễn Văn Hùng"],
            ],
        );
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_file(&file, &ctx);
        assert_eq!(read.intake.status, FileStatus::Read);
        assert_eq!(read.intake.unit_found_by, Some(UnitFoundBy::Title));
        assert_eq!(registry.unit(read.intake.units[0]).name, "Xã Sơn Hà");
        let c = read.intake.counts;
        assert_eq!((c.read, c.accepted, c.rejected, c.skipped), (10, 2, 1, 7));
        assert_eq!(read.intake.sheets[0].header_rows, Some((4, 4)));
        assert_eq!(read.intake.sheets[0].unmapped().collect::<Vec<_>>(), vec!["Sở thích"]);
        let names: Vec<String> =
            read.records.iter().map(|r| r.cells_of(Field::FullName).next().unwrap().value.to_text()).collect();
        assert_eq!(names, vec!["Nguyễn Văn Hùng", "Lò Thị Hoa"]);
        assert_eq!(read.records[0].section, Some(Category::CanBo));
        assert_eq!(read.records[1].section, Some(Category::CongChuc));
        assert_eq!(read.records[1].source.row, 8);
        assert_eq!(
            read.records[0].cells_of(Field::PoliticalTheory).next().unwrap().value,
            CellValue::Text("TC".into())
        );
        assert_eq!(read.issues.len(), 1);
        assert_eq!(read.issues[0].cell.as_deref(), Some("B7"));
    }

    /// Reads a one-sheet return of Sơn Hà made of `rows`.
    fn read_return(rows: &[&[&str]]) -> FileRead {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        read_file(&write_return(dir.path(), "Son Ha.xlsx", rows), &ctx)
    }

    /// Reads a workbook made in the test as Sơn Hà's return.
    fn read_workbook(wb: &mut Workbook) -> FileRead {
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        read_bytes("Son Ha/DS.xlsx", wb.save_to_buffer().unwrap(), &ctx)
    }

    /// Each person's first value of `field`, as text ("" when none).
    fn values_of(read: &FileRead, field: Field) -> Vec<String> {
        read.records.iter().map(|r| r.cells_of(field).next().map(|c| c.value.to_text()).unwrap_or_default()).collect()
    }

    fn people(read: &FileRead) -> Vec<String> {
        read.records.iter().map(|r| r.cells_of(Field::FullName).next().unwrap().value.to_text()).collect()
    }

    /// Reads a return of Sơn Hà whose sheets are `sheets` (name, rows), in order.
    fn read_sheets(sheets: &[(&str, &[&[&str]])]) -> FileRead {
        let mut wb = Workbook::new();
        for (name, rows) in sheets {
            let ws = wb.add_worksheet().set_name(*name).unwrap();
            for (r, row) in rows.iter().enumerate() {
                for (c, text) in row.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
                    ws.write_string(r as u32, c as u16, *text).unwrap();
                }
            }
        }
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        read_bytes("Son Ha/BC thang 02.xlsx", wb.save_to_buffer().unwrap(), &ctx)
    }

    #[test]
    fn ticks_under_the_committees_bodies_are_committee_levels() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        for (col, label) in [(0, "STT"), (1, "Họ và tên"), (2, "Ngày sinh"), (7, "Lý luận chính trị")] {
            ws.merge_range(0, col, 1, col, label, &f).unwrap();
        }
        ws.merge_range(0, 3, 0, 6, "Tham gia cấp ủy", &f).unwrap();
        for (col, label) in [(3, "Bí thư"), (4, "Phó Bí thư"), (5, "Ủy viên BTV"), (6, "Ủy viên BCH")] {
            ws.write_string(1, col, label).unwrap();
        }
        let rows = [("Chu Văn Khải", [3, 5, 6], "Cao cấp"), ("Dương Thị Thoa", [4, 5, 6], "Trung cấp")];
        for (k, (name, ticks, llct)) in rows.iter().enumerate() {
            let r = 2 + k as u32;
            ws.write_number(r, 0, (k + 1) as f64).unwrap();
            ws.write_string(r, 1, *name).unwrap();
            ws.write_string(r, 2, "1975").unwrap();
            for col in ticks {
                ws.write_string(r, *col, "ü").unwrap();
            }
            ws.write_string(r, 7, *llct).unwrap();
        }
        let read = read_workbook(&mut wb);
        assert_eq!(people(&read), ["Chu Văn Khải", "Dương Thị Thoa"]);
        let options: Vec<Option<&str>> = read.intake.sheets[0]
            .columns
            .iter()
            .filter(|c| c.field == Some(Field::Committee))
            .map(|c| c.option.as_deref())
            .collect();
        assert_eq!(options, [Some("Bí thư"), Some("Phó Bí thư"), Some("Ủy viên BTV"), Some("Ủy viên BCH")]);
    }

    /// A return of two people under "`group` › `levels`" ticked in `ticks` (columns from D).
    fn ticked_under(group: &str, levels: &[&str], ticks: [&[u16]; 2]) -> FileRead {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        for (col, label) in [(0, "STT"), (1, "Họ và tên"), (2, "Ngày sinh")] {
            ws.merge_range(0, col, 1, col, label, &f).unwrap();
        }
        ws.merge_range(0, 3, 0, 2 + levels.len() as u16, group, &f).unwrap();
        for (k, label) in levels.iter().enumerate() {
            ws.write_string(1, 3 + k as u16, *label).unwrap();
        }
        for (k, (name, ticked)) in ["Chu Văn Khải", "Dương Thị Thoa"].iter().zip(ticks).enumerate() {
            let r = 2 + k as u32;
            ws.write_number(r, 0, (k + 1) as f64).unwrap();
            ws.write_string(r, 1, *name).unwrap();
            ws.write_string(r, 2, "1975").unwrap();
            for col in ticked {
                ws.write_string(r, 3 + col, "x").unwrap();
            }
        }
        read_workbook(&mut wb)
    }

    #[test]
    fn committee_levels_abbreviated_are_ticks_too_and_a_cells_committee_is_none() {
        // "BTV" and "ĐUV" name the committee alone; under the group they are its levels.
        let read = ticked_under("Cấp ủy", &["BT", "PBT", "BTV", "ĐUV"], [&[3], &[1, 2, 3]]);
        let options: Vec<Option<&str>> = read.intake.sheets[0]
            .columns
            .iter()
            .filter(|c| c.field == Some(Field::Committee))
            .map(|c| c.option.as_deref())
            .collect();
        assert_eq!(options, [Some("BT"), Some("PBT"), Some("BTV"), Some("ĐUV")]);
        // A village cell's committee is not the commune's.
        let read = ticked_under("Cấp ủy chi bộ", &["Bí thư", "Chi ủy viên"], [&[0], &[1]]);
        assert!(read.intake.sheets[0].columns.iter().all(|c| c.field != Some(Field::Committee)));
    }

    #[test]
    fn years_in_the_party_under_the_age_say_a_member() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        for (col, label) in [(0, "STT"), (1, "Họ và tên"), (4, "Chức vụ")] {
            ws.merge_range(0, col, 1, col, label, &f).unwrap();
        }
        ws.merge_range(0, 2, 0, 3, "Tuổi", &f).unwrap();
        ws.write_string(1, 2, "Đời").unwrap();
        ws.write_string(1, 3, "Đảng").unwrap();
        let rows: [(&str, f64, &str); 3] =
            [("Lưu Văn Thạch", 52.0, "27"), ("Mai Thị Ngọc Ánh", 33.0, "Dự bị"), ("Vi Thị Hoa", 28.0, "")];
        for (k, (name, age, party)) in rows.iter().enumerate() {
            let r = 2 + k as u32;
            ws.write_number(r, 0, (k + 1) as f64).unwrap();
            ws.write_string(r, 1, *name).unwrap();
            ws.write_number(r, 2, *age).unwrap();
            if !party.is_empty() {
                ws.write_string(r, 3, *party).unwrap();
            }
            ws.write_string(r, 4, "Chuyên viên").unwrap();
        }
        let read = read_workbook(&mut wb);
        assert_eq!(people(&read), ["Lưu Văn Thạch", "Mai Thị Ngọc Ánh", "Vi Thị Hoa"]);
        assert_eq!(values_of(&read, Field::PartyMember), ["27", "Dự bị", ""]);
        let party = read.intake.sheets[0].columns.iter().find(|c| c.field == Some(Field::PartyMember)).unwrap();
        assert_eq!(party.option.as_deref(), Some("Có"));
        // The age is no birth year.
        assert!(read.intake.sheets[0].columns.iter().all(|c| c.field != Some(Field::BirthDate)));
    }

    #[test]
    fn values_merged_over_other_columns_than_their_labels_are_read_under_them() {
        // A report's export: labels merged A:B, C:E, F:G, H, I, J:K; each value merged over
        // B:D, E:G, I:J and stored in its merge's first cell; the header repeated on page 2.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        let header = |ws: &mut rust_xlsxwriter::Worksheet, r: u32| {
            ws.merge_range(r, 0, r, 1, "STT", &f).unwrap();
            ws.merge_range(r, 2, r, 4, "Họ và tên", &f).unwrap();
            ws.merge_range(r, 5, r, 6, "Ngày sinh", &f).unwrap();
            ws.write_string(r, 7, "Giới tính").unwrap();
            ws.write_string(r, 8, "LLCT").unwrap();
            ws.merge_range(r, 9, r, 10, "QLNN", &f).unwrap();
        };
        ws.write_string(0, 0, "DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC").unwrap();
        header(ws, 1);
        let people = [
            ("Phạm Văn Toản", "22/07/1969", "Nam", "Cao cấp", "Chuyên viên chính"),
            ("Lê Thị Hồng Gấm", "08/03/1977", "Nữ", "Cao cấp", "Chuyên viên"),
            ("Hà Văn Tùng", "02/09/1980", "Nam", "Trung cấp", "Chuyên viên"),
            ("Nông Thị Kiều", "10/10/1990", "Nữ", "Sơ cấp", "Cán sự"),
        ];
        let mut r = 2;
        for (k, (name, born, gender, llct, qlnn)) in people.iter().enumerate() {
            if k == 3 {
                header(ws, r);
                r += 1;
            }
            ws.write_number(r, 0, (k + 1) as f64).unwrap();
            ws.merge_range(r, 1, r, 3, name, &f).unwrap();
            ws.merge_range(r, 4, r, 6, born, &f).unwrap();
            ws.write_string(r, 7, *gender).unwrap();
            ws.merge_range(r, 8, r, 9, llct, &f).unwrap();
            ws.write_string(r, 10, *qlnn).unwrap();
            r += 1;
        }
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_bytes("Son Ha/BC.xlsx", wb.save_to_buffer().unwrap(), &ctx);
        assert_eq!(super::tests::people(&read), people.iter().map(|p| p.0).collect::<Vec<_>>());
        let value = |person: usize, field: Field| {
            read.records[person].cells_of(field).find(|c| !c.value.is_empty()).map(|c| c.value.to_text())
        };
        for (k, (_, born, gender, llct, qlnn)) in people.iter().enumerate() {
            assert_eq!(value(k, Field::BirthDate).as_deref(), Some(*born), "{k}");
            assert_eq!(value(k, Field::Gender).as_deref(), Some(*gender), "{k}");
            assert_eq!(value(k, Field::PoliticalTheory).as_deref(), Some(*llct), "{k}");
            assert_eq!(value(k, Field::StateManagement).as_deref(), Some(*qlnn), "{k}");
        }
        // The clerk is told which labels were moved.
        let warnings = &read.intake.sheets[0].warnings;
        assert!(warnings.iter().any(|w| w.contains("\"Ngày sinh\" ở cột F đọc dữ liệu cột E")), "{warnings:?}");
    }

    #[test]
    fn a_ditto_mark_repeats_the_value_of_the_person_above() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Dân tộc", "Trình độ CM", "LLCT"],
            &["1", "Dương Văn Phú", "Tày", "Đại học", "Cao cấp"],
            &["2", "Lục Thị Thảo", "nt", "\"", "Trung cấp"],
            &["3", "Bế Văn Hiếu", "Nùng", "-\"-", "〃"],
            &["4", "Ma Văn Ước", "Như trên", "Thạc sĩ", "-nt-"],
        ]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(1, Field::Ethnicity).as_deref(), Some("Tày"));
        assert_eq!(value(1, Field::Professional).as_deref(), Some("Đại học"));
        // Chained: the mark repeats what the person above was read as.
        assert_eq!(value(2, Field::Professional).as_deref(), Some("Đại học"));
        assert_eq!(value(2, Field::PoliticalTheory).as_deref(), Some("Trung cấp"));
        assert_eq!(value(3, Field::Ethnicity).as_deref(), Some("Nùng"));
        assert_eq!(value(3, Field::PoliticalTheory).as_deref(), Some("Trung cấp"));
    }

    #[test]
    fn a_date_cell_shown_as_its_year_or_month_is_read_as_shown() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (col, label) in ["STT", "Họ và tên", "Ngày sinh"].iter().enumerate() {
            ws.write_string(0, col as u16, *label).unwrap();
        }
        let new_year = |y| rust_xlsxwriter::ExcelDateTime::from_ymd(y, 1, 1).unwrap();
        let shown = |format: &str| rust_xlsxwriter::Format::new().set_num_format(format);
        let rows =
            [("Dương Văn Phú", 1966, "yyyy"), ("Lục Thị Thảo", 1980, "dd/mm/yyyy"), ("Bế Văn Hiếu", 1975, "mm/yyyy")];
        for (k, (name, year, format)) in rows.iter().enumerate() {
            let row = 1 + k as u32;
            ws.write_number(row, 0, (k + 1) as f64).unwrap();
            ws.write_string(row, 1, *name).unwrap();
            ws.write_datetime_with_format(row, 2, new_year(*year), &shown(format)).unwrap();
        }
        let read = read_workbook(&mut wb);
        let born: Vec<CellValue> =
            read.records.iter().map(|r| r.cells_of(Field::BirthDate).next().unwrap().value.clone()).collect();
        assert_eq!(
            born,
            [
                CellValue::Number(1966.0),
                CellValue::Date(chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
                CellValue::Text("01/1975".into())
            ]
        );
    }

    #[test]
    fn an_ethnicity_marked_under_kinh_or_written_under_the_minorities_is_read() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        ws.merge_range(0, 0, 1, 0, "STT", &f).unwrap();
        ws.merge_range(0, 1, 1, 1, "Họ và tên", &f).unwrap();
        ws.merge_range(0, 2, 0, 3, "Dân tộc", &f).unwrap();
        ws.write_string(1, 2, "Kinh").unwrap();
        ws.write_string(1, 3, "Dân tộc thiểu số (ghi rõ)").unwrap();
        ws.merge_range(0, 4, 1, 4, "Chức vụ", &f).unwrap();
        let rows = [("Đoàn Văn Lực", "x", ""), ("Hà Thị Tuyết", "", "Tày"), ("Lăng Văn Khánh", "", "Nùng")];
        for (k, (name, kinh, minority)) in rows.iter().enumerate() {
            let row = 2 + k as u32;
            ws.write_string(row, 0, (k + 1).to_string()).unwrap();
            ws.write_string(row, 1, *name).unwrap();
            ws.write_string(row, 4, "Công chức").unwrap();
            for (col, text) in [(2, kinh), (3, minority)] {
                if !text.is_empty() {
                    ws.write_string(row, col, *text).unwrap();
                }
            }
        }
        let read = read_workbook(&mut wb);
        let sheet = &read.intake.sheets[0];
        let column = |col: u32| sheet.columns.iter().find(|c| c.col == col).map(|c| (c.field, c.option.clone()));
        assert_eq!(column(2), Some((Some(Field::Ethnicity), Some("Kinh".to_owned()))));
        assert_eq!(column(3), Some((Some(Field::Ethnicity), None)));
        // Each person's value: the marked option, or what is written.
        let marked = |p: usize| {
            read.records[p]
                .cells_of(Field::Ethnicity)
                .filter(|c| !c.value.is_empty())
                .map(|c| c.option.clone().unwrap_or_else(|| c.value.to_text()))
                .collect::<Vec<_>>()
        };
        assert_eq!((0..3).map(marked).collect::<Vec<_>>(), [["Kinh"], ["Tày"], ["Nùng"]]);
    }

    #[test]
    fn leaders_turned_under_their_posts_then_a_table_below_are_all_read() {
        let read = read_return(&[
            &["TT", "Nội dung", "Chức danh", "", ""],
            &["", "", "Bí thư Đảng ủy", "Chủ tịch UBND xã", "Phó Chủ tịch UBND xã"],
            &["1", "Họ và tên", "Vy Văn Hạnh", "Hoàng Thị Ngát", "Lành Văn Tuyên"],
            &["2", "Năm sinh", "1970", "1976", "1982"],
            &["3", "Dân tộc", "Nùng", "Tày", "Nùng"],
            &["4", "Lý luận chính trị", "Cao cấp", "Cao cấp", "Trung cấp"],
            &[],
            &["II", "CÔNG CHỨC XÃ"],
            &["TT", "Họ và tên", "Năm sinh", "Chức danh", "LLCT"],
            &["1", "Tô Thị Lệ", "1991", "Công chức Văn phòng - Thống kê", "Sơ cấp"],
            &["2", "Lương Đình Khang", "1985", "Công chức Tư pháp - Hộ tịch", "Trung cấp"],
        ]);
        assert_eq!(people(&read), ["Vy Văn Hạnh", "Hoàng Thị Ngát", "Lành Văn Tuyên", "Tô Thị Lệ", "Lương Đình Khang"]);
        assert_eq!(
            values_of(&read, Field::Positions),
            [
                "Bí thư Đảng ủy",
                "Chủ tịch UBND xã",
                "Phó Chủ tịch UBND xã",
                "Công chức Văn phòng - Thống kê",
                "Công chức Tư pháp - Hộ tịch"
            ]
        );
        assert_eq!(
            values_of(&read, Field::PoliticalTheory),
            ["Cao cấp", "Cao cấp", "Trung cấp", "Sơ cấp", "Trung cấp"]
        );
        // One record of the sheet: the turned table's counts and the table's, its columns;
        // the turned table said once.
        assert_eq!(read.intake.sheets.len(), 1);
        assert_eq!(read.intake.sheets[0].counts.accepted, 5);
        assert!(read.intake.sheets[0].columns.iter().any(|c| c.field == Some(Field::PoliticalTheory)));
        assert_eq!(read.issues.iter().filter(|i| i.problem.starts_with("Bảng xoay ngang")).count(), 1);

        // A list of others under the turned leaders is not read, and the leaders still are.
        let read = read_return(&[
            &["", "Bí thư Đảng ủy", "Chủ tịch UBND xã"],
            &["Họ và tên", "Vy Văn Hạnh", "Hoàng Thị Ngát"],
            &["Năm sinh", "1970", "1976"],
            &["Dân tộc", "Nùng", "Tày"],
            &["Lý luận chính trị", "Cao cấp", "Cao cấp"],
            &[],
            &["DANH SÁCH ĐẢNG VIÊN ĐƯỢC TẶNG HUY HIỆU ĐẢNG", "", ""],
            &["Họ và tên", "Năm sinh", "Chi bộ"],
            &["Lý Văn Páo", "1950", "Thôn Bến"],
            &["Hà Thị Mai", "1952", "Thôn Nà"],
        ]);
        assert_eq!(people(&read), ["Vy Văn Hạnh", "Hoàng Thị Ngát"]);
        assert_eq!(read.intake.status, tonghop_model::intake::FileStatus::Read);
    }

    #[test]
    fn a_table_turned_on_its_side_is_read_a_person_per_column() {
        let read = read_return(&[
            &["BẢNG TRÍCH NGANG CÁN BỘ CHỦ CHỐT XÃ SƠN HÀ"],
            &[],
            &["TT", "1", "2", "3"],
            &["Họ và tên", "Đ/c Dương Văn Phú", "Lục Thị Thảo", "Đ/c Bế Văn Hiếu"],
            &["Năm sinh", "1970", "1979", "1968"],
            &["Dân tộc", "Tày", "Nùng", "Kinh"],
            &["Chức vụ", "Bí thư Đảng ủy", "Chủ tịch UBND", "Chủ tịch HĐND"],
            &["Trình độ LLCT", "Cao cấp", "Trung cấp", ""],
            &[],
            &["", "", "Người lập biểu", ""],
        ]);
        // With their titles ("Đ/c"), dropped when the name is normalised.
        assert_eq!(people(&read), ["Đ/c Dương Văn Phú", "Lục Thị Thảo", "Đ/c Bế Văn Hiếu"]);
        let column = |field| values_of(&read, field);
        assert_eq!(column(Field::BirthDate), ["1970", "1979", "1968"]);
        assert_eq!(column(Field::Positions), ["Bí thư Đảng ủy", "Chủ tịch UBND", "Chủ tịch HĐND"]);
        assert_eq!(column(Field::PoliticalTheory), ["Cao cấp", "Trung cấp", ""]);
        // Each traced to their name's cell.
        let names: Vec<String> = read
            .records
            .iter()
            .map(|r| {
                let c = r.cells_of(Field::FullName).next().unwrap();
                format!("{}{}", tonghop_model::record::column_name(c.col), r.source.row + 1)
            })
            .collect();
        assert_eq!(names, ["B4", "C4", "D4"]);
        assert!(read.intake.sheets[0].warnings.iter().any(|w| w.contains("Bảng xoay ngang")));
        // A group of labels merged down the first column over sub-labels in the second.
        let read = read_return(&[
            &["Họ và tên", "", "Dương Văn Phú", "Lục Thị Thảo"],
            &["Năm sinh", "", "1970", "1979"],
            &["Trình độ", "Chuyên môn", "Đại học", "Cao đẳng"],
            &["", "LLCT", "Cao cấp", "Trung cấp"],
            &["", "QLNN", "CVC", "CV"],
            &["Dân tộc", "", "Tày", "Nùng"],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo"]);
        let column = |field| values_of(&read, field);
        assert_eq!(column(Field::Professional), ["Đại học", "Cao đẳng"]);
        assert_eq!(column(Field::PoliticalTheory), ["Cao cấp", "Trung cấp"]);
        assert_eq!(column(Field::StateManagement), ["CVC", "CV"]);
        assert_eq!(column(Field::Ethnicity), ["Tày", "Nùng"]);
        // A table's header, labels across, is read as a table.
        let read = read_return(&[
            &["Họ và tên", "Năm sinh", "Chức vụ"],
            &["Dương Văn Phú", "1970", "Bí thư Đảng ủy"],
            &["Lục Thị Thảo", "1979", "Chủ tịch UBND"],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo"]);
        assert!(!read.intake.sheets[0].warnings.iter().any(|w| w.contains("Bảng xoay ngang")));
    }

    #[test]
    fn a_person_the_row_says_has_left_is_not_counted_and_said() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (col, label) in ["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Ghi chú"].iter().enumerate() {
            ws.write_string(0, col as u16, *label).unwrap();
        }
        let rows = [
            ("Dương Văn Phú", "Đã nghỉ hưu từ 01/01/2024"),
            ("Lục Thị Thảo", "Nghỉ hưu từ 01/06/2024"),
            ("Bế Văn Hiếu", "Thôi việc từ tháng 02/2024"),
            ("Hoàng Thị Lài", "Nghỉ thai sản"),
            ("Ma Văn Ước", "Chuyển đến từ tháng 01/2024"),
            ("Lý Văn Páo", "Từ trần"),
            ("Vi Văn Tùng", "Chờ nghỉ hưu"),
            ("Nông Văn Bảo", ""),
            // Moved in, on leave, a transfer whose way is not said: still here.
            ("Lò Văn Mạnh", "Tiếp nhận từ 01/2024 (chuyển công tác từ huyện về)"),
            ("Hà Thị Nga", "Nghỉ việc riêng 3 ngày (12/2/2024)"),
            ("Đinh Văn Tư", "Quá trình: 2015 chuyển công tác về xã"),
            // Left, said in words, with a two-digit year, or let go by a decision.
            ("Lương Văn Khải", "Đã nghỉ hưu từ ngày 01 tháng 02 năm 2024"),
            ("Mã Thị Liên", "Nghỉ hưu từ 1/1/24"),
            ("Tô Văn Bình", "Đã có QĐ cho nghỉ hưu từ 01/01/2024"),
        ];
        for (k, (name, note)) in rows.iter().enumerate() {
            let row = 1 + k as u32;
            ws.write_number(row, 0, (k + 1) as f64).unwrap();
            ws.write_string(row, 1, *name).unwrap();
            ws.write_string(row, 2, "1970").unwrap();
            ws.write_string(row, 3, "Công chức").unwrap();
            if !note.is_empty() {
                ws.write_string(row, 4, *note).unwrap();
            }
        }
        // Crossed out of a list copied from last year, with no note.
        let struck = rust_xlsxwriter::Format::new().set_font_strikethrough();
        ws.write_string_with_format(8, 1, "Nông Văn Bảo", &struck).unwrap();
        let read = read_workbook(&mut wb);
        assert_eq!(
            people(&read),
            ["Lục Thị Thảo", "Hoàng Thị Lài", "Ma Văn Ước", "Vi Văn Tùng", "Lò Văn Mạnh", "Hà Thị Nga", "Đinh Văn Tư"]
        );
        let said: Vec<(&str, &str)> = read
            .issues
            .iter()
            .filter(|i| i.problem.starts_with("Không tính người này"))
            .map(|i| (i.raw.as_str(), i.cell.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            said,
            [
                ("Dương Văn Phú", "B2"),
                ("Bế Văn Hiếu", "B4"),
                ("Lý Văn Páo", "B7"),
                ("Nông Văn Bảo", "B9"),
                ("Lương Văn Khải", "B13"),
                ("Mã Thị Liên", "B14"),
                ("Tô Văn Bình", "B15")
            ]
        );
        assert!(read.issues.iter().any(|i| i.problem.contains("gạch ngang")));
        let sheet = &read.intake.sheets[0];
        assert!(sheet.skipped_by_kind.iter().any(|(kind, n)| kind.contains("đã nghỉ") && *n == 7));
    }

    #[test]
    fn a_second_post_under_a_merged_labels_tail_is_kept() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        for (col, label) in [(0, "STT"), (1, "Họ và tên"), (2, "Năm sinh"), (5, "LLCT")] {
            ws.write_string(0, col, label).unwrap();
        }
        ws.merge_range(0, 3, 0, 4, "Chức vụ", &f).unwrap();
        let rows = [
            ("Dương Văn Phú", "Bí thư Đảng ủy", "Chủ tịch HĐND"),
            ("Lục Thị Thảo", "Chủ tịch UBND", ""),
            ("Bế Văn Hiếu", "Phó Chủ tịch UBND", ""),
            ("Ma Văn Ước", "Công chức Địa chính", ""),
            ("Hoàng Thị Lài", "Công chức Tư pháp", ""),
            ("Vi Văn Tùng", "Công chức Văn hóa", ""),
        ];
        for (k, (name, post, second)) in rows.iter().enumerate() {
            let row = 1 + k as u32;
            ws.write_number(row, 0, (k + 1) as f64).unwrap();
            ws.write_string(row, 1, *name).unwrap();
            ws.write_string(row, 2, "1970").unwrap();
            ws.write_string(row, 3, *post).unwrap();
            if !second.is_empty() {
                ws.write_string(row, 4, *second).unwrap();
            }
            ws.write_string(row, 5, "Trung cấp").unwrap();
        }
        let read = read_workbook(&mut wb);
        let posts: Vec<String> = read.records[0]
            .cells_of(Field::Positions)
            .filter(|c| !c.value.is_empty())
            .map(|c| c.value.to_text())
            .collect();
        assert_eq!(posts, ["Bí thư Đảng ủy", "Chủ tịch HĐND"]);
    }

    #[test]
    fn a_stacked_table_with_the_same_labels_in_other_columns_is_read_by_its_own() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Số điện thoại", "Trình độ CM", "LLCT", "Đảng viên"],
            &["1", "Dương Văn Phú", "1970", "Bí thư Đảng ủy", "0912345678", "Đại học", "Cao cấp", "x"],
            &["2", "Lục Thị Thảo", "1979", "Chủ tịch UBND", "0987654321", "Đại học", "Trung cấp", "x"],
            &["B. NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH"],
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Trình độ CM", "LLCT", "Đảng viên"],
            &["1", "Bế Văn Hiếu", "1985", "Phó Chỉ huy trưởng Quân sự", "Trung cấp", "Sơ cấp", "x"],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo", "Bế Văn Hiếu"]);
        let value =
            |field: Field| read.records[2].cells_of(field).next().map(|c| c.value.to_text()).unwrap_or_default();
        assert_eq!(
            [value(Field::Professional), value(Field::PoliticalTheory), value(Field::PartyMember)],
            ["Trung cấp", "Sơ cấp", "x"]
        );
    }

    #[test]
    fn training_in_words_in_one_cell_is_read_part_by_part() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Trình độ đào tạo"],
            &["1", "Dương Văn Phú", "1970", "Bí thư Đảng ủy", "Cử nhân Luật, Cao cấp LLCT, QLNN CV"],
            &["2", "Lục Thị Thảo", "1979", "Chủ tịch UBND", "Cử nhân KT - Cao cấp CT"],
            &["3", "Bế Văn Hiếu", "1985", "Công chức Văn hóa", "Kỹ sư Nông nghiệp + TCCT + QLNN CV"],
            &["4", "Ma Văn Ước", "1969", "Phó Chỉ huy trưởng Quân sự", "12/12, chưa qua ĐT chuyên môn, SC LLCT"],
            &["5", "Hoàng Thị Nhàn", "2000", "Văn thư - Lưu trữ", "CĐ Văn thư lưu trữ"],
        ]);
        let value = |person: usize, field: Field| values_of(&read, field)[person].clone();
        let column = |field| values_of(&read, field);
        assert_eq!(
            column(Field::Professional),
            ["Cử nhân Luật", "Cử nhân KT", "Kỹ sư Nông nghiệp", "chưa qua ĐT chuyên môn", "CĐ Văn thư lưu trữ"]
        );
        // What the cell does not name is none: the column is the whole of the training.
        assert_eq!(column(Field::PoliticalTheory), ["Cao cấp LLCT", "Cao cấp CT", "TCCT", "SC LLCT", ""]);
        assert_eq!(column(Field::StateManagement), ["QLNN CV", "", "QLNN CV", "", ""]);
        assert_eq!(value(3, Field::GeneralEducation), "12/12");
        let sheet = &read.intake.sheets[0];
        assert!(sheet.warnings.iter().any(|w| w.contains("ghi chung chuyên môn")), "{:?}", sheet.warnings);
        // A degree's words are no level ("ĐH Kinh tế chính trị"); a bare level after the
        // degree is the political theory ("Đại học, CC, CV").
        let read = read_return(&[
            &["STT", "Họ và tên", "Trình độ"],
            &["1", "Dương Văn Phú", "ĐH Kinh tế chính trị, TC LLCT"],
            &["2", "Lục Thị Thảo", "Đại học, CC, CV"],
            &["3", "Bế Văn Hiếu", "Cử nhân Chính trị học, Sơ cấp LLCT"],
        ]);
        let column = |field| values_of(&read, field);
        assert_eq!(column(Field::Professional), ["ĐH Kinh tế chính trị", "Đại học", "Cử nhân Chính trị học"]);
        assert_eq!(column(Field::PoliticalTheory), ["TC LLCT", "CC", "Sơ cấp LLCT"]);
        assert_eq!(column(Field::StateManagement), ["", "CV", ""]);
        // A professional column of degrees alone is read as it is.
        let read = read_return(&[
            &["STT", "Họ và tên", "Trình độ chuyên môn", "LLCT"],
            &["1", "Dương Văn Phú", "ĐH Luật, Kinh tế", "Cao cấp"],
            &["2", "Lục Thị Thảo", "Thạc sĩ", "Trung cấp"],
        ]);
        assert_eq!(read.records[0].cells_of(Field::Professional).next().unwrap().value.to_text(), "ĐH Luật, Kinh tế");
    }

    #[test]
    fn codes_are_read_by_the_code_lists_sent_beside_the_return() {
        let read = read_sheets(&[
            (
                "DanhSach",
                &[
                    &["STT", "Họ và tên", "Dân tộc", "Trình độ LLCT", "Chức vụ"],
                    &["1", "Lý Văn Cường", "07", "3", "Bí thư Đảng ủy"],
                    &["2", "Hoàng Thị Vân Anh", "2", "", "Chủ tịch UBND"],
                    &["3", "Trần Thị Liên", "Kinh", "0", "Công chức Tư pháp"],
                ],
            ),
            (
                "DanhMuc",
                &[
                    &["DANH MỤC DÂN TỘC", "", "", "TRÌNH ĐỘ LÝ LUẬN CHÍNH TRỊ"],
                    &["Mã", "Tên dân tộc", "", "Mã", "Trình độ"],
                    &["01", "Kinh", "", "0", "Chưa qua đào tạo"],
                    &["02", "Tày", "", "1", "Sơ cấp"],
                    &["07", "Nùng", "", "3", "Cao cấp"],
                ],
            ),
        ]);
        let column = |field| values_of(&read, field);
        assert_eq!(column(Field::Ethnicity), ["Nùng", "Tày", "Kinh"]);
        // An empty cell stays empty, though "0" is a code.
        assert_eq!(column(Field::PoliticalTheory), ["Cao cấp", "", "Chưa qua đào tạo"]);
        assert!(read.intake.sheets[0].warnings.iter().any(|w| w.contains("danh mục kèm theo")));
    }

    #[test]
    fn posts_on_the_line_under_the_name_are_the_persons() {
        let read = read_return(&[
            &["TT", "Họ và tên, chức vụ", "Ngày sinh", "Dân tộc"],
            &["1", "Ông Hoàng Văn Tài", "12.03.68", "Tày"],
            &["", "Bí thư Đảng ủy, Chủ tịch HĐND xã", "", ""],
            &["2", "Bà Chu Thị Lụa", "05.11.1977", "Nùng"],
            &["", "Phó Bí thư Thường trực Đảng ủy", "", ""],
            // A section in plain words, and a note, are no posts.
            &["", "Công chức", "", ""],
            &["3", "Ông Nông Văn Bảo", "1980", "Tày"],
            &["", "Phó Chủ tịch UBND xã", "", ""],
        ]);
        assert_eq!(read.records.len(), 3);
        assert_eq!(read.records[2].section, Some(tonghop_model::codes::Category::CongChuc));
        let posts: Vec<String> = read
            .records
            .iter()
            .map(|r| r.cells_of(Field::Positions).map(|c| c.value.to_text()).collect::<Vec<_>>().join("; "))
            .collect();
        assert_eq!(
            posts,
            ["Bí thư Đảng ủy, Chủ tịch HĐND xã", "Phó Bí thư Thường trực Đảng ủy", "Phó Chủ tịch UBND xã"]
        );
    }

    #[test]
    fn a_second_table_without_names_is_joined_to_the_persons_by_their_number() {
        let read = read_return(&[
            &["PHẦN I. DANH SÁCH", "", "", ""],
            &["TT", "Họ và tên", "Năm sinh", "Chức vụ"],
            &["1", "Dương Văn Phú", "1970", "Bí thư Đảng ủy"],
            &["2", "Lục Thị Thảo", "1979", "Chủ tịch UBND"],
            &["3", "Bế Văn Hiếu", "1985", "Công chức Tư pháp"],
            &[],
            &["PHẦN II. TRÌNH ĐỘ (theo số TT ở phần I)", "", "", ""],
            &["Số TT", "Trình độ chuyên môn", "Lý luận chính trị", "Đảng viên"],
            &["2", "Đại học", "Trung cấp", "x"],
            &["1", "Thạc sĩ", "Cao cấp", "x"],
            &["3", "Cao đẳng", "", ""],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo", "Bế Văn Hiếu"]);
        assert_eq!(values_of(&read, Field::Professional), ["Thạc sĩ", "Đại học", "Cao đẳng"]);
        assert_eq!(values_of(&read, Field::PoliticalTheory), ["Cao cấp", "Trung cấp", ""]);
        assert_eq!(values_of(&read, Field::PartyMember), ["x", "x", ""]);
        // The second table's cells are kept, empty ones too: an empty level is "none".
        assert_eq!(read.records[2].cells_of(Field::PoliticalTheory).count(), 1);
        assert!(read.intake.sheets[0].warnings.iter().any(|w| w.contains("ghép vào người cùng số thứ tự")));
        assert_eq!(read.intake.counts.rejected, 0);
    }

    #[test]
    fn a_numbered_table_that_does_not_match_the_persons_is_not_joined() {
        // Numbers the list above does not have, and a number given twice: no join.
        for (numbers, why) in [(["1", "4"], "a number no person has"), (["1", "1"], "a number twice")] {
            let read = read_return(&[
                &["TT", "Họ và tên", "Năm sinh", "Chức vụ"],
                &["1", "Dương Văn Phú", "1970", "Bí thư Đảng ủy"],
                &["2", "Lục Thị Thảo", "1979", "Chủ tịch UBND"],
                &[],
                &["TT", "Trình độ chuyên môn", "Lý luận chính trị", "Đảng viên"],
                &[numbers[0], "Đại học", "Trung cấp", "x"],
                &[numbers[1], "Thạc sĩ", "Cao cấp", "x"],
            ]);
            assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo"], "{why}");
            assert_eq!(values_of(&read, Field::Professional), ["", ""], "{why}");
            assert!(!read.intake.sheets[0].warnings.iter().any(|w| w.contains("ghép vào người cùng số thứ tự")));
        }
    }

    #[test]
    fn posts_numbered_as_headings_are_the_posts_of_the_persons_under_them() {
        let read = read_return(&[
            &["TT", "Chức danh / Họ và tên", "Ngày sinh", "Dân tộc", "Ghi chú"],
            &["A", "CÁN BỘ", "", "", ""],
            &["1", "Bí thư Đảng ủy", "", "", ""],
            &["", "Hoàng Minh Tú", "10/04/1972", "Tày", "Kiêm Chủ tịch HĐND"],
            &["2", "Phó Chủ tịch UBND", "", "", ""],
            &["", "Vy Thị Thu Trang", "12/12/1985", "Nùng", ""],
            &["", "Tô Văn Hải", "17/03/1983", "Tày", ""],
            &["B", "CÔNG CHỨC", "", "", ""],
            &["", "Đinh Văn Quyết", "04/08/1994", "Kinh", ""],
            &["1", "Tư pháp - Hộ tịch", "", "", ""],
            &["", "Ngô Thị Hường", "14/02/1989", "Kinh", ""],
        ]);
        assert_eq!(
            people(&read),
            ["Hoàng Minh Tú", "Vy Thị Thu Trang", "Tô Văn Hải", "Đinh Văn Quyết", "Ngô Thị Hường"]
        );
        // A section ends the heading's post: the person under it has none said.
        assert_eq!(
            values_of(&read, Field::Positions),
            ["Bí thư Đảng ủy", "Phó Chủ tịch UBND", "Phó Chủ tịch UBND", "", "Tư pháp - Hộ tịch"]
        );
        assert_eq!(read.intake.counts.rejected, 0);
    }

    #[test]
    fn a_status_column_saying_the_person_left_leaves_them_out() {
        // A personnel program's export: "Trạng thái" is where a person stands now.
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Trạng thái"],
            &["1", "Nguyễn Văn Tường", "1975", "Chánh Văn phòng", "Đang làm việc"],
            &["2", "Vy Văn Phúc", "1963", "Phó Chánh Văn phòng", "Nghỉ hưu"],
            &["3", "Trần Đức Mạnh", "1985", "Phó Chánh Văn phòng", "Chuyển công tác"],
            &["4", "Đoàn Văn Chỉnh", "1997", "Chuyên viên", "Thôi việc"],
            &["5", "Lành Thị Nhàn", "1990", "Chuyên viên", "Nghỉ thai sản"],
            &["6", "Mã Thị Lụa", "1979", "Văn thư", "Chờ nghỉ hưu"],
        ]);
        assert_eq!(people(&read), ["Nguyễn Văn Tường", "Lành Thị Nhàn", "Mã Thị Lụa"]);
        let said = read.issues.iter().filter(|i| i.problem.contains("tình trạng \"")).count();
        assert_eq!(said, 3);
    }

    #[test]
    fn a_status_of_coming_in_or_of_a_leaving_to_come_keeps_the_person() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Trạng thái"],
            &["1", "Nguyễn Văn Tường", "1975", "Chánh Văn phòng", "Chuyển công tác đến"],
            &["2", "Vy Văn Phúc", "1963", "Phó Chánh Văn phòng", "Chuyển công tác về xã"],
            &["3", "Trần Đức Mạnh", "1965", "Chuyên viên", "Nghỉ hưu từ 01/01/2025"],
            &["4", "Đoàn Văn Chỉnh", "1964", "Chuyên viên", "Đủ tuổi nghỉ hưu năm 2025"],
            &["5", "Lành Thị Nhàn", "1966", "Chuyên viên", "Tiếp tục công tác, nghỉ hưu năm 2026"],
            &["6", "Mã Thị Lụa", "1963", "Văn thư", "Nghỉ hưu từ 01/01/2024"],
        ]);
        assert_eq!(
            people(&read),
            ["Nguyễn Văn Tường", "Vy Văn Phúc", "Trần Đức Mạnh", "Đoàn Văn Chỉnh", "Lành Thị Nhàn"]
        );
    }

    #[test]
    fn a_line_under_a_person_that_is_a_heading_a_title_or_anothers_note_leaves_them_counted() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Ghi chú"],
            &["1", "Nguyễn Văn Tường", "1975", "Chánh Văn phòng", ""],
            &["", "Ghi chú: đồng chí Lê Văn Tám đã nghỉ hưu từ 01/01/2024.", "", "", ""],
            &["2", "Vy Văn Phúc", "1963", "Phó Chánh Văn phòng", ""],
            &["", "DANH SÁCH CÁN BỘ ĐÃ NGHỈ HƯU TRONG THÁNG", "", "", ""],
            &["3", "Trần Đức Mạnh", "1965", "Chuyên viên", ""],
            &["", "II. Cán bộ đã nghỉ hưu, chuyển công tác", "", "", ""],
            &["4", "Đoàn Văn Chỉnh", "1964", "Chuyên viên", ""],
            // A decision dated after the period's end, with a full stop after the date.
            &["", "Đã có QĐ nghỉ hưu từ 01/6/2024.", "", "", ""],
            &["5", "Lành Thị Nhàn", "1966", "Chuyên viên", ""],
            &["", "Nghỉ hưu từ 01/6/25", "", "", ""],
        ]);
        let people = people(&read);
        for name in ["Nguyễn Văn Tường", "Vy Văn Phúc", "Trần Đức Mạnh", "Đoàn Văn Chỉnh", "Lành Thị Nhàn"]
        {
            assert!(people.contains(&name.to_owned()), "{name} left out: {people:?}");
        }
    }

    #[test]
    fn a_leaving_done_or_dated_is_a_leaving_whatever_else_the_note_says() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Ghi chú", "Trạng thái"],
            &["1", "Nguyễn Văn Tường", "1964", "Đã nghỉ hưu do đủ tuổi từ 01/01/2024", ""],
            &["2", "Vy Văn Phúc", "1963", "Nghỉ hưu (đủ tuổi) từ 01/01/2024", ""],
            &["3", "Trần Đức Mạnh", "1965", "", "Đã chuyển công tác đến UBND huyện"],
            &["4", "Lành Thị Nhàn", "1990", "", "Đang làm việc"],
        ]);
        assert_eq!(people(&read), ["Lành Thị Nhàn"]);
    }

    #[test]
    fn a_note_under_a_person_calling_them_comrade_is_theirs() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ"],
            &["1", "Nguyễn Văn Tường", "1964", "Chuyên viên"],
            &["", "Đ/c đã nghỉ hưu từ 01/01/2024", "", ""],
            &["2", "Vy Văn Phúc", "1963", "Chuyên viên"],
            &["", "Đồng chí Vy Văn Phúc đã nghỉ hưu từ 01/01/2024", "", ""],
            &["3", "Lành Thị Nhàn", "1990", "Chuyên viên"],
            // Another's leaving under a person is not theirs.
            &["", "Đồng chí Lê Văn Tám đã nghỉ hưu từ 01/01/2024", "", ""],
        ]);
        assert_eq!(people(&read), ["Lành Thị Nhàn"]);
    }

    #[test]
    fn a_part_of_the_months_changes_before_the_list_is_not_counted() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Ghi chú"],
            &["I", "BIẾN ĐỘNG TRONG THÁNG", "", "", ""],
            &["1.", "Tăng (01 người)", "", "", ""],
            &["1", "Chu Văn Bằng", "1990", "Công chức Địa chính", "Điều động từ xã Đồng Tân"],
            &["2.", "Giảm (01 người)", "", "", ""],
            &["1", "Nông Văn Khuê", "1964", "Công chức Địa chính", "Nghỉ hưu theo chế độ"],
            &["II", "DANH SÁCH HIỆN CÓ ĐẾN NGÀY 29/02/2024", "", "", ""],
            &["1", "Lăng Văn Hạnh", "1973", "Bí thư Đảng ủy", ""],
            &["2", "Chu Văn Bằng", "1990", "Công chức Địa chính", ""],
        ]);
        assert_eq!(people(&read), ["Lăng Văn Hạnh", "Chu Văn Bằng"]);
        assert!(read.intake.sheets[0].warnings.iter().any(|w| w.starts_with("Mục biến động trong tháng")));
    }

    #[test]
    fn a_name_over_its_birth_date_and_levels_as_labelled_lines_are_read() {
        let read = read_return(&[
            &["TT", "Họ và tên\nNgày, tháng, năm sinh", "Dân tộc", "Trình độ\n(chuyên môn, LLCT, QLNN)"],
            &["(1)", "(2)", "(3)", "(4)"],
            &[
                "1",
                "Nông Văn Quân\n12/3/1978",
                "Nùng",
                "- Chuyên môn: Đại học Quản lý văn hóa\n- LLCT: Cao cấp\n- QLNN: Chuyên viên chính",
            ],
            &[
                "2",
                "Lê Thị Hồng Thắm\nSinh ngày 05/7/1985",
                "Kinh",
                "- Chuyên môn: Thạc sĩ\n- LLCT: Trung cấp; QLNN: Chưa",
            ],
        ]);
        assert_eq!(people(&read), ["Nông Văn Quân", "Lê Thị Hồng Thắm"]);
        assert_eq!(values_of(&read, Field::BirthDate), ["12/3/1978", "Sinh ngày 05/7/1985"]);
        assert_eq!(values_of(&read, Field::PoliticalTheory), ["Cao cấp", "Trung cấp"]);
        assert_eq!(values_of(&read, Field::StateManagement), ["Chuyên viên chính", "Chưa"]);
        assert_eq!(values_of(&read, Field::Professional), ["Đại học Quản lý văn hóa", "Thạc sĩ"]);
    }

    #[test]
    fn a_part_of_changes_ends_at_any_other_heading_and_a_commune_is_no_change() {
        let list = |rows: &[&[&str]]| people(&read_return(rows));
        let header: &[&str] = &["STT", "Họ và tên", "Năm sinh", "Chức vụ"];
        // Numbered with digits, or not at all; "Biến động trong tháng: không".
        assert_eq!(
            list(&[
                header,
                &["1.", "Biến động trong tháng"],
                &["", "Tăng"],
                &["1", "Chu Văn Bằng", "1990", "Công chức Địa chính"],
                &["2.", "Danh sách hiện có"],
                &["1", "Lăng Văn Hạnh", "1973", "Bí thư Đảng ủy"],
            ]),
            ["Lăng Văn Hạnh"]
        );
        assert_eq!(
            list(&[
                header,
                &["", "BIẾN ĐỘNG TRONG THÁNG: không"],
                &["", "DANH SÁCH CÁN BỘ HIỆN CÓ"],
                &["1", "Lăng Văn Hạnh", "1973", "Bí thư Đảng ủy"],
            ]),
            ["Lăng Văn Hạnh"]
        );
        // A person's sparse row is no heading; a commune named Biển Động is no change.
        assert_eq!(
            list(&[
                header,
                &["I", "BIẾN ĐỘNG TRONG THÁNG"],
                &["1", "Vi Văn Hùng"],
                &["2", "Chu Văn Bằng", "1990", "Công chức Địa chính"],
                &["II", "BIỂN ĐỘNG"],
                &["1", "Lăng Văn Hạnh", "1973", "Bí thư Đảng ủy"],
            ]),
            ["Lăng Văn Hạnh"]
        );
    }

    #[test]
    fn labelled_lines_in_another_fields_column_are_its_own_text() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Lý luận chính trị", "Ghi chú"],
            &["1", "Lăng Văn Hạnh", "Trung cấp", "LLCT: Cao cấp (đang học)\nQLNN: Chuyên viên"],
        ]);
        assert_eq!(values_of(&read, Field::PoliticalTheory), ["Trung cấp"]);
        assert_eq!(read.records[0].cells_of(Field::PoliticalTheory).count(), 1);
        assert_eq!(values_of(&read, Field::Note), ["LLCT: Cao cấp (đang học)\nQLNN: Chuyên viên"]);
    }

    #[test]
    fn an_id_under_a_name_is_no_part_of_it() {
        let read = read_return(&[&["STT", "Họ và tên", "Năm sinh"], &["1", "Hoàng Văn Soạn\n012345678912", "1970"]]);
        assert!(read.records.is_empty());
        assert!(read.issues.iter().any(|i| i.problem.contains("họ tên không hợp lệ")));
    }

    #[test]
    fn a_meetings_delegates_are_no_list_of_officials() {
        let read = read_return(&[
            &["DANH SÁCH ĐẠI BIỂU", "", "", ""],
            &["Dự Hội nghị cán bộ, công chức xã Sơn Hà năm 2024", "", "", ""],
            &["STT", "Họ và tên", "Chức vụ", "Ký tên"],
            &["1", "Hoàng Văn Soạn", "Bí thư Đảng ủy, Chủ tịch HĐND xã", ""],
            &["2", "Lục Thị Tươi", "Phó Bí thư Thường trực Đảng ủy", ""],
        ]);
        assert!(read.records.is_empty());
        assert!(read.intake.sheets[0].ignored_because.as_deref().is_some_and(|w| w.contains("đại biểu")));
    }

    #[test]
    fn a_placeholder_name_is_no_one() {
        // A form's test submission, or the template's example row.
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ"],
            &["1", "Nguyễn Văn A", "2000", "Bí thư Đảng ủy"],
            &["2", "Trần Thị B", "2000", "Chủ tịch UBND"],
            &["3", "Giàng A Páo", "1980", "Phó Chủ tịch UBND"],
            &["4", "Lục Thị Thảo", "1979", "Chủ tịch HĐND"],
            &["5", "Lò Văn A", "1985", "Công chức Văn hóa - xã hội"],
        ]);
        assert_eq!(people(&read), ["Giàng A Páo", "Lục Thị Thảo", "Lò Văn A"]);
        assert_eq!(read.issues.iter().filter(|i| i.problem.contains("tên mẫu")).count(), 2);
    }

    #[test]
    fn a_person_over_three_rows_is_read_by_the_headers_three_rows() {
        // A list pasted from Word: each person's three lines under the header's three rows.
        let read = read_return(&[
            &["TT", "Họ và tên", "Chức vụ", "Giới tính", "Trình độ chuyên môn", "Ngày vào Đảng"],
            &["", "Ngày, tháng, năm sinh", "Ngày bổ nhiệm", "Dân tộc", "Lý luận chính trị", "Ngày chính thức"],
            &["", "Quê quán", "Ngạch công chức", "Tôn giáo", "Quản lý nhà nước", "Số thẻ đảng viên"],
            &["1", "Hoàng Văn Khuê", "Chủ nhiệm Ủy ban Kiểm tra", "Nam", "Thạc sĩ Luật", "19/05/1994"],
            &["", "17/09/1970", "01/10/2020", "Nùng", "Cao cấp", "19/05/1995"],
            &["", "Xã Hòa Lạc, huyện Hữu Lũng", "Chuyên viên chính", "Không", "Chuyên viên chính", "78.001203"],
            &["2", "Lục Thị Hạnh", "Phó Chủ nhiệm", "Nữ", "Đại học Luật", "02/09/2001"],
            &["", "03/04/1978", "15/06/2021", "Tày", "Trung cấp", "02/09/2002"],
            &["", "Xã Minh Sơn, huyện Hữu Lũng", "Chuyên viên", "Không", "Chuyên viên", "78.004518"],
        ]);
        assert_eq!(people(&read), ["Hoàng Văn Khuê", "Lục Thị Hạnh"]);
        assert_eq!(values_of(&read, Field::BirthDate), ["17/09/1970", "03/04/1978"]);
        assert_eq!(values_of(&read, Field::Ethnicity), ["Nùng", "Tày"]);
        assert_eq!(values_of(&read, Field::PoliticalTheory), ["Cao cấp", "Trung cấp"]);
        assert_eq!(values_of(&read, Field::StateManagement), ["Chuyên viên chính", "Chuyên viên"]);
        assert_eq!(values_of(&read, Field::Religion), ["Không", "Không"]);
        assert_eq!(read.intake.counts.rejected, 0);
    }

    #[test]
    fn a_post_heading_is_its_unnumbered_holders_only() {
        let read = read_return(&[
            &["TT", "Chức danh / Họ và tên", "Ngày sinh", "Dân tộc"],
            &["1", "Bí thư Đảng ủy", "", ""],
            &["", "Hoàng Minh Tú", "10/04/1972", "Tày"],
            // A post left vacant, then people numbered as people are: no heading's post.
            &["2", "Phó Chủ tịch UBND", "", ""],
            &["3", "Hà Văn Bình", "02/02/1980", "Kinh"],
            &["", "Tổng cộng", "", ""],
            &["", "Lò Văn Páo", "03/03/1983", "Thái"],
        ]);
        assert_eq!(people(&read), ["Hoàng Minh Tú", "Hà Văn Bình", "Lò Văn Páo"]);
        assert_eq!(values_of(&read, Field::Positions), ["Bí thư Đảng ủy", "", ""]);
    }

    #[test]
    fn a_post_heads_holders_whose_names_are_not_plain_and_stops_at_a_total() {
        let read = read_return(&[
            &["TT", "Chức danh / Họ và tên", "Ngày sinh", "Dân tộc"],
            &["1", "Bí thư Đảng ủy", "", ""],
            &["", "Hoàng Minh Tú (kiêm CT HĐND)", "10/04/1972", "Tày"],
            &["2", "Chủ tịch Hội LHPN", "", ""],
            &["", "H'Hen Niê", "12/12/1985", "Ê Đê"],
            &["", "Cộng", "", ""],
            &["", "Lò Văn Páo", "03/03/1983", "Thái"],
        ]);
        assert_eq!(values_of(&read, Field::Positions), ["Bí thư Đảng ủy", "Chủ tịch Hội LHPN", ""]);
    }

    #[test]
    fn a_hometown_of_two_words_is_a_third_row_not_a_person() {
        let read = read_return(&[
            &["Họ và tên", "Chức vụ", "Giới tính", "Trình độ chuyên môn"],
            &["Ngày, tháng, năm sinh", "Ngày bổ nhiệm", "Dân tộc", "Lý luận chính trị"],
            &["Quê quán", "Ngạch công chức", "Tôn giáo", "Quản lý nhà nước"],
            &["Hoàng Văn Khuê", "Chủ nhiệm", "Nam", "Thạc sĩ"],
            &["17/09/1970", "01/10/2020", "Nùng", "Cao cấp"],
            &["Hòa Lạc", "Chuyên viên chính", "Không", "Chuyên viên chính"],
            &["Lục Thị Hạnh", "Phó Chủ nhiệm", "Nữ", "Đại học"],
            &["03/04/1978", "15/06/2021", "Tày", "Trung cấp"],
            &["Yên Sơn", "Chuyên viên", "Không", "Chuyên viên"],
        ]);
        assert_eq!(people(&read), ["Hoàng Văn Khuê", "Lục Thị Hạnh"]);
        assert_eq!(values_of(&read, Field::StateManagement), ["Chuyên viên chính", "Chuyên viên"]);
    }

    #[test]
    fn a_numbered_table_by_unit_or_of_counts_is_no_keyed_table() {
        let by_unit: [&[&str]; 3] = [
            &["TT", "Đơn vị", "Trình độ chuyên môn", "Lý luận chính trị", "Đảng viên"],
            &["1", "Xã Sơn Hà", "Đại học: 12", "Trung cấp: 5", "15"],
            &["2", "Thôn Nà Lùng", "Đại học: 3", "Sơ cấp: 2", "4"],
        ];
        let counts: [&[&str]; 3] = [
            &["TT", "Tổng số", "Trình độ chuyên môn", "Lý luận chính trị"],
            &["1", "12", "Đại học", "Trung cấp"],
            &["2", "3", "Cao đẳng", "Sơ cấp"],
        ];
        for second in [by_unit, counts] {
            let mut rows: Vec<&[&str]> = vec![
                &["TT", "Họ và tên", "Năm sinh", "Chức vụ"],
                &["1", "Dương Văn Phú", "1970", "Bí thư Đảng ủy"],
                &["2", "Lục Thị Thảo", "1979", "Chủ tịch UBND"],
                &[],
            ];
            rows.extend(second);
            let read = read_return(&rows);
            assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo"], "{:?}", second[0]);
            assert_eq!(values_of(&read, Field::Professional), ["", ""]);
            assert_eq!(values_of(&read, Field::PartyMember), ["", ""]);
        }
    }

    #[test]
    fn a_next_person_is_no_third_row_of_the_one_before() {
        let read = read_return(&[
            &["Họ và tên", "Chức vụ", "Giới tính", "Trình độ chuyên môn"],
            &["Ngày, tháng, năm sinh", "Ngày bổ nhiệm", "Dân tộc", "Lý luận chính trị"],
            &["Quê quán", "Ngạch công chức", "Tôn giáo", "Quản lý nhà nước"],
            &["Hoàng Văn Khuê", "Chủ nhiệm", "Nam", "Thạc sĩ"],
            &["17/09/1970", "01/10/2020", "Nùng", "Cao cấp"],
            &["Xã Hòa Lạc, huyện Hữu Lũng", "Chuyên viên chính", "Không", "Chuyên viên chính"],
            &["Lục Thị Hạnh", "Phó Chủ nhiệm", "Nữ", "Đại học"],
            &["03/04/1978", "15/06/2021", "Tày", "Trung cấp"],
            &["Nông Văn Dũng", "Ủy viên", "", "Đại học"],
            &["22/12/1982", "01/03/2022", "Nùng", "Sơ cấp"],
            &["Xã Yên Sơn, huyện Hữu Lũng", "Chuyên viên", "Không", "Chuyên viên"],
        ]);
        assert_eq!(people(&read), ["Hoàng Văn Khuê", "Lục Thị Hạnh", "Nông Văn Dũng"]);
    }

    #[test]
    fn a_leaving_note_on_the_line_under_the_name_leaves_the_person_out() {
        // A Word table pasted in: the note is the name's, or the note cell's, second
        // paragraph, a row of its own.
        let read = read_return(&[
            &["TT", "Họ và tên, chức vụ", "Ngày sinh", "Dân tộc", "Ghi chú"],
            &["1", "Ông Hoàng Văn Tài", "12.03.68", "Tày", ""],
            &["", "Bí thư Đảng ủy", "", "", ""],
            &["2", "Ông Nông Văn Bảo", "1960", "Tày", ""],
            &["", "Đã nghỉ hưu từ 01/01/2024", "", "", ""],
            &["3", "Bà Chu Thị Lụa", "05.11.1977", "Nùng", ""],
            &["", "", "", "", "Thôi việc từ tháng 01/2024"],
            &["4", "Ông Lý Văn Páo", "1964", "Dao", ""],
            // A leaving to come, or a leave, is no leaving: the person stays.
            &["", "Chờ nghỉ hưu", "", "", ""],
            &["5", "Bà Hà Thị Nga", "1988", "Tày", ""],
            &["", "", "", "", "Nghỉ thai sản"],
        ]);
        assert_eq!(people(&read), ["Ông Hoàng Văn Tài", "Ông Lý Văn Páo", "Bà Hà Thị Nga"]);
        let said: Vec<&str> = read
            .issues
            .iter()
            .filter(|i| i.problem.starts_with("Không tính người này"))
            .map(|i| i.raw.as_str())
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(read.issues.iter().any(|i| i.problem.contains("Đã nghỉ hưu từ 01/01/2024")));
        assert!(read.issues.iter().any(|i| i.problem.contains("Thôi việc từ tháng 01/2024")));
        // The notes' rows are no one, and nothing is rejected.
        assert_eq!(read.intake.counts.rejected, 0);
        assert_eq!(read.intake.counts.accepted, 3);
    }

    #[test]
    fn a_level_a_label_or_a_legend_where_the_name_stands_is_no_one() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ"],
            &["1", "Dương Văn Phú", "1970", "Bí thư Đảng ủy"],
            &["2", "Cao Văn Sơn", "1979", "Chủ tịch UBND"],
            &["3", "Trung cấp", "Sơ cấp", "x"],
            &["4", "Lý luận chính trị", "Chuyên môn", ""],
            &["5", "Xã Hòa Lạc, huyện Hữu Lũng", "1970", "x"],
            &["", "Quê quán", "Ngạch công chức", "Quản lý nhà nước"],
            &["", "NS: Ngày tháng năm sinh; CV: Chức vụ", "", "x"],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú", "Cao Văn Sơn"]);
        assert_eq!(read.issues.iter().filter(|i| i.problem.contains("không phải tên người")).count(), 5);
    }

    #[test]
    fn abbreviated_labels_are_read_by_the_legend_under_the_table() {
        let read = read_return(&[
            &["TT", "Họ và tên", "NS", "CV", "LL", "QL"],
            &["1", "Dương Văn Phú", "14/03/1972", "Bí thư Đảng ủy", "CC", "CVC"],
            &["2", "Lục Thị Thảo", "02/11/1979", "Chủ tịch UBND", "TC", "CV"],
            &[],
            &["", "NS: Ngày tháng năm sinh; CV: Chức vụ", "", "LL: Lý luận chính trị", "", ""],
            &["", "QL: Quản lý nhà nước (CS: Cán sự, CV: Chuyên viên)", "", "", "", ""],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo"]);
        assert_eq!(values_of(&read, Field::BirthDate), ["14/03/1972", "02/11/1979"]);
        assert_eq!(values_of(&read, Field::Positions), ["Bí thư Đảng ủy", "Chủ tịch UBND"]);
        assert_eq!(values_of(&read, Field::PoliticalTheory), ["CC", "TC"]);
        assert_eq!(values_of(&read, Field::StateManagement), ["CVC", "CV"]);
        assert!(read.intake.sheets[0].warnings.iter().any(|w| w.contains("đọc theo chú thích dưới bảng")));
    }

    #[test]
    fn a_birth_date_split_under_ngay_sinh_thang_nam() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        ws.merge_range(0, 0, 1, 0, "TT", &f).unwrap();
        ws.merge_range(0, 1, 1, 1, "Họ và tên", &f).unwrap();
        ws.merge_range(0, 2, 0, 4, "Ngày, tháng, năm sinh", &f).unwrap();
        for (col, label) in [(2, "Ngày sinh"), (3, "Tháng"), (4, "Năm")] {
            ws.write_string(1, col, label).unwrap();
        }
        ws.merge_range(0, 5, 1, 5, "Chức danh", &f).unwrap();
        for (row, name, parts) in [(2, "Lành Văn Sơn", [12.0, 5.0, 1966.0]), (3, "Vi Văn Phúc", [7.0, 11.0, 1978.0])]
        {
            ws.write_number(row, 0, f64::from(row - 1)).unwrap();
            ws.write_string(row, 1, name).unwrap();
            for (k, n) in parts.iter().enumerate() {
                ws.write_number(row, 2 + k as u16, *n).unwrap();
            }
            ws.write_string(row, 5, "Công chức").unwrap();
        }
        let read = read_workbook(&mut wb);
        let options: Vec<Option<String>> =
            read.records[0].cells_of(Field::BirthDate).map(|c| c.option.clone()).collect();
        assert_eq!(options, [Some("ngày".to_owned()), Some("tháng".to_owned()), Some("năm".to_owned())]);
    }

    #[test]
    fn the_same_table_twice_side_by_side_is_read_as_two_tables() {
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ SƠN HÀ"],
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "LLCT", "STT", "Họ và tên", "Năm sinh", "Chức vụ", "LLCT"],
            &[
                "1",
                "Dương Văn Phú",
                "1970",
                "Bí thư Đảng ủy",
                "Cao cấp",
                "4",
                "Ma Văn Ước",
                "1985",
                "Công chức Địa chính",
                "Sơ cấp",
            ],
            &[
                "2",
                "Lục Thị Thảo",
                "1979",
                "Chủ tịch UBND",
                "Trung cấp",
                "5",
                "Hoàng Thị Lài",
                "1990",
                "Công chức Tư pháp",
                "",
            ],
            &["3", "Bế Văn Hiếu", "1968", "Chủ tịch HĐND", "Cao cấp", "", "", "", "", ""],
            &["", "Tổng cộng: 05 người"],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo", "Bế Văn Hiếu", "Ma Văn Ước", "Hoàng Thị Lài"]);
        let value = |person: usize, field: Field| {
            read.records[person]
                .cells_of(field)
                .filter(|c| !c.value.is_empty())
                .map(|c| c.value.to_text())
                .collect::<Vec<_>>()
        };
        // Each person has the values of their own table only.
        assert_eq!(value(3, Field::Positions), ["Công chức Địa chính"]);
        assert_eq!(value(4, Field::PoliticalTheory), Vec::<String>::new());
        assert_eq!(value(0, Field::Positions), ["Bí thư Đảng ủy"]);
        assert_eq!(read.records[3].source.row, 2);
        let sheet = &read.intake.sheets[0];
        assert_eq!((sheet.counts.accepted, sheet.counts.rejected), (5, 0));
        assert!(sheet.warnings.iter().any(|w| w.contains("bảng giống nhau đặt cạnh nhau")), "{:?}", sheet.warnings);
        // Another list beside the table, under a group naming other people: not read.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        ws.merge_range(0, 0, 0, 2, "Cán bộ", &f).unwrap();
        ws.merge_range(0, 3, 0, 5, "Vợ hoặc chồng", &f).unwrap();
        let rows: [[&str; 6]; 4] = [
            ["Họ và tên", "Năm sinh", "Chức vụ", "Họ và tên", "Năm sinh", "Chức vụ"],
            ["Dương Văn Phú", "1970", "Bí thư Đảng ủy", "Hoàng Thị Lài", "1972", "Giáo viên"],
            ["Lục Thị Thảo", "1979", "Chủ tịch UBND", "Ma Văn Ước", "1978", "Làm ruộng"],
            ["Bế Văn Hiếu", "1968", "Chủ tịch HĐND", "Vi Thị Slao", "1970", "Y sĩ"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                ws.write_string(1 + r as u32, c as u16, *text).unwrap();
            }
        }
        let read = read_workbook(&mut wb);
        assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo", "Bế Văn Hiếu"]);
        let posts: Vec<String> = read.records[0]
            .cells_of(Field::Positions)
            .filter(|c| !c.value.is_empty())
            .map(|c| c.value.to_text())
            .collect();
        assert_eq!(posts, ["Bí thư Đảng ủy"]);
        assert!(read.intake.sheets[0].warnings.iter().any(|w| w.contains("danh sách khác đặt cạnh bảng")));
        // A table of the month's changes beside the roster, under its own title: not read.
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ XÃ SƠN HÀ", "", "", "", "BIẾN ĐỘNG TRONG THÁNG"],
            &[],
            &["TT", "Họ và tên", "Chức vụ", "", "TT", "Họ và tên", "Chức vụ", "Nội dung"],
            &["1", "Dương Văn Phú", "Bí thư Đảng ủy", "", "1", "Lăng Văn Hợi", "Phó Chủ tịch UBND", "Nghỉ hưu"],
            &["2", "Lục Thị Thảo", "Chủ tịch UBND", "", "", "", "", ""],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú", "Lục Thị Thảo"]);
        let posts: Vec<String> = read.records[0]
            .cells_of(Field::Positions)
            .filter(|c| !c.value.is_empty())
            .map(|c| c.value.to_text())
            .collect();
        assert_eq!(posts, ["Bí thư Đảng ủy"]);
        // A roster whose second name column is someone else's is one table.
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Họ và tên", "Ghi chú"],
            &["1", "Dương Văn Phú", "1970", "Bí thư Đảng ủy", "Dương Văn Phú", ""],
        ]);
        assert_eq!(people(&read), ["Dương Văn Phú"]);
    }

    #[test]
    fn names_under_their_gender_and_levels_packed_in_one_cell_are_read() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        ws.merge_range(0, 0, 1, 0, "STT", &f).unwrap();
        ws.merge_range(0, 1, 0, 2, "Họ và tên", &f).unwrap();
        ws.write_string(1, 1, "Nam").unwrap();
        ws.write_string(1, 2, "Nữ").unwrap();
        ws.merge_range(0, 3, 1, 3, "Chức vụ", &f).unwrap();
        ws.merge_range(0, 4, 1, 4, "Trình độ (CM/LLCT/QLNN)", &f).unwrap();
        let rows = [
            ("Dương Văn Phú", "", "Bí thư Đảng ủy", "ĐH/CC/CVC"),
            ("", "Lục Thị Thảo", "Phó Chủ tịch UBND", "ĐH / TC / CV"),
            ("Bế Văn Hiếu", "", "Chủ tịch UBND", "ĐH//CV"),
            ("Ma Văn Ước", "", "Phó Bí thư Đảng ủy", "ĐH/CC/CV/Anh B"),
            ("Nông Văn Bảo", "", "Chủ tịch HĐND", "ĐH"),
        ];
        for (k, (man, woman, post, levels)) in rows.iter().enumerate() {
            let row = 2 + k as u32;
            ws.write_string(row, 0, (k + 1).to_string()).unwrap();
            for (col, text) in [(1, man), (2, woman), (3, post), (4, levels)] {
                if !text.is_empty() {
                    ws.write_string(row, col, *text).unwrap();
                }
            }
        }
        let read = read_workbook(&mut wb);
        let named = |r: &RawRecord| {
            r.cells_of(Field::FullName)
                .find(|c| !c.value.is_empty())
                .map(|c| (c.value.to_text(), c.option.clone().unwrap_or_default()))
                .unwrap()
        };
        let got: Vec<(String, String)> = read.records.iter().map(named).collect();
        assert_eq!(
            got,
            [
                ("Dương Văn Phú".to_owned(), "Nam".to_owned()),
                ("Lục Thị Thảo".to_owned(), "Nữ".to_owned()),
                ("Bế Văn Hiếu".to_owned(), "Nam".to_owned()),
                ("Ma Văn Ước".to_owned(), "Nam".to_owned()),
                ("Nông Văn Bảo".to_owned(), "Nam".to_owned())
            ]
        );
        let column = |field| values_of(&read, field);
        assert_eq!(column(Field::Professional), ["ĐH", "ĐH", "ĐH", "ĐH", "ĐH"]);
        // A part left empty between its slashes is the empty cell of a column, not the next
        // part moved left.
        assert_eq!(column(Field::PoliticalTheory), ["CC", "TC", "", "CC", ""]);
        // Parts beyond the label's list stay with the last field: no level, and shown.
        assert_eq!(column(Field::StateManagement), ["CVC", "CV", "CV", "CV/Anh B", ""]);
        // Parts not written at all are unknown: no cell, not an empty one.
        assert!(read.records[2].cells_of(Field::PoliticalTheory).next().is_some());
        assert!(read.records[4].cells_of(Field::PoliticalTheory).next().is_none());
    }

    #[test]
    fn a_duty_schedule_and_a_forms_trial_answer_are_no_one() {
        let read = read_return(&[
            &["LỊCH TRỰC TẾT NGUYÊN ĐÁN GIÁP THÌN NĂM 2024"],
            &["STT", "Ngày trực", "Họ và tên", "Chức vụ", "Số điện thoại"],
            &["1", "08/02/2024", "Hoàng Văn Cầu", "Phó Chủ tịch UBND xã", "0987 362 509"],
            &["2", "09/02/2024", "Vi Thị Tuyết", "Công chức Văn phòng - Thống kê", "0349 218 663"],
        ]);
        assert!(read.records.is_empty());
        assert!(
            matches!(read.error.map(|e| e.kind), Some(IngestErrorKind::OthersListed(l)) if l.contains("lịch trực"))
        );
        let read = read_return(&[
            &[
                "Dấu thời gian",
                "Họ và tên (viết đầy đủ, có dấu)",
                "Ngày tháng năm sinh",
                "Đồng chí có phải là đảng viên không?",
            ],
            &["19/02/2024 16:02:11", "test", "01/01/2000", "Có"],
            &["20/02/2024 7:45:36", "Nông Văn Thưởng", "12/04/1970", "Có"],
        ]);
        assert_eq!(people(&read), ["Nông Văn Thưởng"]);
        assert_eq!(
            read.records[0].cells_of(Field::PartyMember).next().map(|c| c.value.to_text()).as_deref(),
            Some("Có")
        );
    }

    #[test]
    fn a_list_of_other_people_known_by_its_sheets_name_is_not_read_unless_titled_a_roster() {
        let learners: &[&[&str]] = &[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Dân tộc"],
            &["1", "Hoàng Văn Nhất", "1988", "Bí thư chi bộ thôn Nà Lầu", "Tày"],
            &["2", "Lăng Thị Mến", "1992", "Chi hội trưởng phụ nữ", "Nùng"],
        ];
        let roster: &[&[&str]] = &[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Dân tộc"],
            &["1", "Vy Văn Đoàn", "1975", "Bí thư Đảng ủy", "Tày"],
        ];
        // Beside the return, a sheet of a class's learners with no title of its own.
        let read = read_sheets(&[("Can bo", roster), ("Hoc vien lop so cap", learners)]);
        assert_eq!(people(&read), ["Vy Văn Đoàn"]);
        let ignored = read.intake.sheets[1].ignored_because.as_deref().unwrap_or_default();
        assert!(ignored.contains("tên trang tính") && ignored.contains("học viên"), "{ignored}");
        // Alone in its file, it makes the file a list of others.
        let read = read_sheets(&[("DS cử tri thôn Nà Lầu", learners)]);
        assert!(read.records.is_empty());
        assert!(matches!(read.error.map(|e| e.kind), Some(IngestErrorKind::OthersListed(l)) if l.contains("cử tri")));
        // A title that names the list decides: a roster on a sheet named for learners is read.
        let titled: Vec<&[&str]> =
            std::iter::once(&["DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ SƠN HÀ"][..]).chain(roster.iter().copied()).collect();
        let read = read_sheets(&[("Hoc vien", &titled)]);
        assert_eq!(people(&read), ["Vy Văn Đoàn"]);
    }

    #[test]
    fn a_list_of_other_people_is_said_as_such_and_a_tally_under_a_list_is_no_one() {
        // Learners of a class and the villages' respected elders look like a roster (names,
        // birth years, posts, levels): their titles say what they are.
        for (title, subtitle, list) in [
            ("DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG CẤP ỦY VIÊN CƠ SỞ", "", "học viên"),
            ("DANH SÁCH NGƯỜI CÓ UY TÍN TRONG ĐỒNG BÀO DÂN TỘC THIỂU SỐ", "", "người có uy tín"),
            // A bare title says whom it lists on its next line.
            ("DANH SÁCH TRÍCH NGANG", "Công dân nhập ngũ năm 2024 (đợt 1)", "nhập ngũ"),
            ("DANH SÁCH CÁN BỘ HƯU TRÍ, NGHỈ VIỆC HƯỞNG TRỢ CẤP HẰNG THÁNG", "được thăm hỏi, tặng quà", "hưu trí"),
            ("BẢNG TỔNG HỢP KẾT QUẢ HỌC TẬP", "Lớp Trung cấp lý luận chính trị - hành chính", "học tập"),
            ("TỔNG HỢP KẾT QUẢ LẤY PHIẾU TÍN NHIỆM", "đối với Trưởng thôn năm 2023", "tín nhiệm"),
            ("DANH SÁCH CÁN BỘ NGHỈ HƯU, CHUYỂN CÔNG TÁC TRONG THÁNG", "", "nghỉ hưu"),
        ] {
            let read = read_return(&[
                &[title],
                &[subtitle],
                &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Dân tộc", "Đảng viên"],
                &["1", "Lò Văn Páo", "1951", "Bí thư chi bộ thôn", "Tày", "x"],
                &["2", "Vi Thị Slao", "1960", "Chủ tịch Hội LHPN xã", "Nùng", ""],
            ]);
            assert!(read.records.is_empty(), "{title}");
            let error = read.error.unwrap_or_else(|| panic!("{title}: read as a return"));
            assert!(
                matches!(&error.kind, IngestErrorKind::OthersListed(l) if l.contains(list)),
                "{title}: {:?}",
                error.kind
            );
            assert!(error.kind.message_vi().contains("không phải danh sách cán bộ"));
        }
        // A list of others stacked under the officials, under its own title and header.
        let read = read_return(&[
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Dân tộc"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy", "Tày"],
            &[],
            &["DANH SÁCH ĐẢNG VIÊN ĐƯỢC TẶNG HUY HIỆU ĐẢNG"],
            &["STT", "Họ và tên", "Năm sinh", "Chi bộ", "Dân tộc"],
            &["1", "Lý Văn Phủ", "1939", "Chi bộ thôn Khuổi Nà", "Dao"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo"]);
        // A note above a roster that mentions a badge names no list of others.
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ"],
            &["(Kèm theo Báo cáo kết quả trao Huy hiệu Đảng đợt 03/02)"],
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Dân tộc"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy", "Tày"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo"]);
        // A roster's title naming its officials is read.
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ ĐÃ QUA LỚP BỒI DƯỠNG"],
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Dân tộc"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy", "Tày"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo"]);
        let read = read_return(&[
            &["DANH SÁCH TRÍCH NGANG"],
            &["Cán bộ, công chức xã Sơn Hà tháng 02 năm 2024"],
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Dân tộc"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy", "Tày"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo"]);
        // A tally under the list: a level, gender or group over its counts is no one.
        let read = read_return(&[
            &["STT", "Họ và tên", "Giới tính", "Dân tộc", "Trình độ chuyên môn", "Lý luận chính trị"],
            &["1", "Lò Văn Páo", "Nam", "Tày", "Đại học", "Trung cấp"],
            &["2", "Vi Thị Slao", "Nữ", "Nùng", "Cao đẳng", "Sơ cấp"],
            &["Tổng số: 02 đồng chí"],
            &["", "Trong đó:"],
            &["", "Nữ", "1"],
            &["", "Dân tộc thiểu số", "", "2"],
            &["", "Đại học", "", "", "1"],
            &["", "Trung cấp", "", "", "", "1"],
            &["", "Chuyên viên chính", "", "", "", "1"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao"]);
    }

    #[test]
    fn posts_as_codes_are_read_by_the_legend_under_the_table() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Mã chức danh (*)", "Dân tộc"],
            &["1", "Lục Văn Huynh", "18/05/1972", "01, 03", "Tày"],
            &["2", "Vi Hồng Nhung", "02/11/1980", "6", "02 - Nùng"],
            &["3", "Chu Minh Khải", "27/06/1978", "02+05", "Tày"],
            &["Cộng: 03 người"],
            &["", "(*) Mã chức danh:"],
            &["", "01 - Bí thư Đảng ủy", "", "04 - Phó Chủ tịch HĐND xã"],
            &["", "02 - Phó Bí thư Đảng ủy", "", "05 - Chủ tịch UBND xã"],
            &["", "03 - Chủ tịch HĐND xã", "", "06 - Phó Chủ tịch UBND xã"],
            &["", "NGƯỜI LẬP BIỂU"],
            &["", "Thẩm Thị Vân"],
        ]);
        assert_eq!(people(&read), ["Lục Văn Huynh", "Vi Hồng Nhung", "Chu Minh Khải"]);
        let posts: Vec<String> =
            read.records.iter().map(|r| r.cells_of(Field::Positions).next().unwrap().value.to_text()).collect();
        assert_eq!(
            posts,
            ["Bí thư Đảng ủy; Chủ tịch HĐND xã", "Phó Chủ tịch UBND xã", "Phó Bí thư Đảng ủy; Chủ tịch UBND xã"]
        );
        // A person's own "02 - Nùng" is no legend.
        assert_eq!(read.records[1].cells_of(Field::Ethnicity).next().unwrap().value.to_text(), "02 - Nùng");
        // Numbered notes without the legend's caption, or a second legend giving the same
        // codes other meanings, leave the codes as written.
        let posts_of = |rows: &[&[&str]]| -> Vec<String> {
            read_return(rows)
                .records
                .iter()
                .map(|r| r.cells_of(Field::Positions).next().unwrap().value.to_text())
                .collect()
        };
        let table: [&[&str]; 2] =
            [&["STT", "Họ và tên", "Ngày sinh", "Mã chức danh"], &["1", "Lục Văn Huynh", "1972", "01"]];
        let mut notes: Vec<&[&str]> = table.to_vec();
        notes.extend::<[&[&str]; 3]>([
            &["", "1. Số liệu tính đến 29/02"],
            &["", "2. Kèm theo báo cáo"],
            &["", "3. Gửi Ban Tổ chức"],
        ]);
        assert_eq!(posts_of(&notes), ["01"]);
        let mut two: Vec<&[&str]> = table.to_vec();
        two.extend::<[&[&str]; 4]>([
            &["", "Mã chức danh:", "", "Mã dân tộc:"],
            &["", "01 - Bí thư Đảng ủy", "", "01 - Kinh"],
            &["", "02 - Phó Bí thư Đảng ủy", "", "02 - Tày"],
            &["", "03 - Chủ tịch HĐND xã", "", "03 - Nùng"],
        ]);
        assert_eq!(posts_of(&two), ["01"]);
    }

    #[test]
    fn a_heading_naming_a_unit_gives_the_rows_under_it_to_that_unit() {
        // A cluster head's list of three communes, each under its heading.
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ CHỦ CHỐT CÁC XÃ TRONG CỤM"],
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["I. ĐẢNG ỦY XÃ SƠN HÀ"],
            &["1", "Lành Văn Thuận", "1969", "Bí thư Đảng ủy"],
            &["2", "Tô Thị Hằng", "1976", "Chủ tịch HĐND xã"],
            &["II. ĐẢNG ỦY XÃ CAI KINH"],
            &["1", "Ninh Văn Đạt", "1981", "Bí thư Đảng ủy"],
            &["III. CÔNG CHỨC"],
            &["2", "Hầu Văn Cử", "1974", "Công chức Tư pháp - Hộ tịch"],
            &["III. ĐẢNG ỦY XÃ HÒA SƠN"],
            &["1", "Vi Thị Slao", "1985", "Bí thư Đảng ủy"],
        ]);
        let registry = Registry::embedded();
        let units: Vec<&str> = read.records.iter().map(|r| registry.unit(r.unit).name.as_str()).collect();
        assert_eq!(units, ["Xã Sơn Hà", "Xã Sơn Hà", "Xã Cai Kinh", "Xã Cai Kinh", "Xã Hòa Sơn"]);
        assert_eq!(read.records[3].section, Some(tonghop_model::codes::Category::CongChuc));
        // A body's own board shares a short name with a district body ("Ban Tổ chức"), not
        // its full name; another numbered heading ends a unit's block.
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ CỤM"],
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["1. Ban Tổ chức - Kiểm tra"],
            &["1", "Lành Văn Thuận", "1969", "Trưởng ban"],
            &["2. ĐẢNG ỦY XÃ CAI KINH"],
            &["1", "Ninh Văn Đạt", "1981", "Bí thư Đảng ủy"],
            &["3. Trung tâm Phát triển quỹ đất"],
            &["1", "Vi Thị Slao", "1985", "Giám đốc"],
        ]);
        let units: Vec<&str> = read.records.iter().map(|r| registry.unit(r.unit).name.as_str()).collect();
        assert_eq!(units, ["Xã Sơn Hà", "Xã Cai Kinh", "Xã Sơn Hà"], "the file's unit outside the commune's block");
        // A heading typed across the number's and the name's cells.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["I", "Xã Cai Kinh"],
            &["1", "Ninh Văn Đạt", "1981", "Bí thư Đảng ủy"],
            &["II", "Xã Hòa Sơn"],
            &["1", "Vi Thị Slao", "1985", "Bí thư Đảng ủy"],
        ]);
        let units: Vec<&str> = read.records.iter().map(|r| registry.unit(r.unit).name.as_str()).collect();
        assert_eq!(units, ["Xã Cai Kinh", "Xã Hòa Sơn"]);
        assert!(read.issues.iter().all(|i| !i.problem.contains("Bỏ dòng")), "{:?}", read.issues);
        // Of two unit columns, the one naming units.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Mã ĐV", "Đơn vị"],
            &["1", "Lành Văn Thuận", "1969", "DV0012", "Xã Cai Kinh"],
        ]);
        assert_eq!(registry.unit(read.records[0].unit).name, "Xã Cai Kinh");
    }

    #[test]
    fn a_unit_column_of_codes_names_each_rows_unit_even_typed_as_a_number() {
        // A software export: program field names, the unit as its code, one code typed as
        // a number that lost its leading zero.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("DSCB").unwrap();
        for (c, label) in ["STT", "HoTen", "NgaySinh", "MaDV"].iter().enumerate() {
            ws.write_string(0, c as u16, *label).unwrap();
        }
        ws.write_row(1, 0, ["1", "Phùng Văn Tĩnh"]).unwrap();
        ws.write_number(1, 2, 19_820_415.0).unwrap();
        ws.write_string(1, 3, "06427").unwrap();
        ws.write_row(2, 0, ["2", "Mã Văn Hoạt"]).unwrap();
        ws.write_number(2, 2, 19_790_000.0).unwrap();
        ws.write_number(2, 3, 6430.0).unwrap();
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_bytes("Phong Noi vu/DSCB.xls", wb.save_to_buffer().unwrap(), &ctx);
        assert_eq!(people(&read), ["Phùng Văn Tĩnh", "Mã Văn Hoạt"]);
        let units: Vec<&str> = read.records.iter().map(|r| registry.unit(r.unit).name.as_str()).collect();
        assert_eq!(units, ["Xã Cai Kinh", "Xã Hòa Lạc"]);
        assert!(read.records.iter().all(|r| r.unit_found_by == tonghop_model::intake::UnitFoundBy::Column));
    }

    #[test]
    fn a_review_of_posts_reads_the_holders_not_the_standards_nor_the_vacancies() {
        // One row per post: what the post requires, then who holds it and what they have.
        let read = read_return(&[
            &["TT", "Chức danh", "Tiêu chuẩn theo quy định", "", "Người đảm nhiệm", "", "Trình độ hiện có", ""],
            &["", "", "Chuyên môn", "Lý luận chính trị", "Họ và tên", "Ngày sinh", "Chuyên môn", "Lý luận chính trị"],
            &["1", "Bí thư Đảng ủy", "Đại học", "Cao cấp", "Hoàng Minh Tuệ", "1970", "Đại học", "Trung cấp"],
            &["2", "Phó Chủ tịch HĐND xã", "Đại học", "Trung cấp", "Khuyết", "", "", ""],
            &["3", "Chủ tịch UBND xã", "Đại học", "Trung cấp", "Nông Đức Thiện", "1982", "Cao đẳng", "Sơ cấp"],
            &["4", "Bí thư Đoàn xã", "Trung cấp", "Sơ cấp", "Chưa bố trí", "", "", ""],
        ]);
        assert_eq!(people(&read), ["Hoàng Minh Tuệ", "Nông Đức Thiện"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(0, Field::PoliticalTheory).as_deref(), Some("Trung cấp"));
        assert_eq!(value(1, Field::Professional).as_deref(), Some("Cao đẳng"));
        assert_eq!(read.records[0].cells_of(Field::PoliticalTheory).count(), 1, "the standard is no level of theirs");
        // The same in a workbook with the number and the post merged down over both header
        // rows (the rule that keeps the group row in the header when merges label every
        // column below it is tested in header.rs).
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Ra soat").unwrap();
        let f = rust_xlsxwriter::Format::new();
        ws.merge_range(0, 0, 1, 0, "TT", &f).unwrap();
        ws.merge_range(0, 1, 1, 1, "Chức danh", &f).unwrap();
        ws.merge_range(0, 2, 0, 3, "Tiêu chuẩn theo quy định", &f).unwrap();
        ws.merge_range(0, 4, 0, 5, "Người đảm nhiệm", &f).unwrap();
        ws.merge_range(0, 6, 0, 7, "Trình độ hiện có", &f).unwrap();
        let rows: [&[&str]; 2] = [
            &["", "", "Chuyên môn", "Lý luận chính trị", "Họ và tên", "Ngày sinh", "Chuyên môn", "Lý luận chính trị"],
            &["1", "Bí thư Đảng ủy", "Đại học", "Cao cấp", "Hoàng Minh Tuệ", "1970", "Đại học", "Trung cấp"],
        ];
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                ws.write_string(1 + r as u32, c as u16, *v).unwrap();
            }
        }
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_bytes("Son Ha/RS.xlsx", wb.save_to_buffer().unwrap(), &ctx);
        assert_eq!(people(&read), ["Hoàng Minh Tuệ"]);
        let levels: Vec<String> = read.records[0].cells_of(Field::PoliticalTheory).map(|c| c.value.to_text()).collect();
        assert_eq!(levels, ["Trung cấp"]);
        // A list of Party badges' awardees is no roster.
        let read = read_return(&[
            &["DANH SÁCH ĐẢNG VIÊN ĐƯỢC TẶNG HUY HIỆU ĐẢNG ĐỢT 03/02/2024"],
            &["STT", "Họ và tên", "Năm sinh", "Dân tộc", "Ngày vào Đảng"],
            &["1", "Lý Văn Phủ", "1939", "Dao", "12/01/1964"],
        ]);
        assert!(read.records.is_empty());
        assert!(matches!(read.error.map(|e| e.kind), Some(IngestErrorKind::OthersListed(_))));
        // A form per person, its labels with their colons: no label is taken for a name.
        let read = read_return(&[
            &["PHIẾU TRÍCH NGANG CÁN BỘ"],
            &["Họ và tên:", "Lương Văn Chiến", "", "Giới tính:", "Nam"],
            &["Ngày sinh:", "14/08/1971", "", "Dân tộc:", "Tày"],
            &["Trình độ chuyên môn:", "Đại học", "", "Lý luận chính trị:", "Cao cấp"],
        ]);
        assert!(read.records.is_empty(), "{:?}", people(&read));
        // Two forms or more: a form per person, each read by its labels.
        let read = read_return(&[
            &["PHIẾU TRÍCH NGANG CÁN BỘ CHỦ CHỐT"],
            &["PHIẾU SỐ 01"],
            &["Họ và tên:", "Lương Văn Chiến", "", "Giới tính:", "Nam"],
            &["Ngày sinh:", "14/08/1971", "", "Dân tộc:", "Tày"],
            &["Chức vụ:", "Bí thư Đảng ủy xã"],
            &["Trình độ chuyên môn:", "Đại học", "", "Lý luận chính trị:", "Cao cấp"],
            &["Quản lý nhà nước:", "", "", "Ngày vào Đảng:", "19/05/1994"],
            &[],
            &["PHIẾU SỐ 02"],
            &["Họ và tên:", "Lăng Thị Huyền", "", "Giới tính:", "Nữ"],
            &["Ngày sinh:", "12/03/1978", "", "Dân tộc:", "Nùng"],
            &["Chức vụ:", "Chủ tịch HĐND xã"],
        ]);
        assert_eq!(people(&read), ["Lương Văn Chiến", "Lăng Thị Huyền"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(0, Field::PoliticalTheory).as_deref(), Some("Cao cấp"));
        assert_eq!(value(0, Field::StateManagement).as_deref(), Some(""), "asked and left blank");
        assert_eq!(value(1, Field::Positions).as_deref(), Some("Chủ tịch HĐND xã"));
        assert_eq!(value(1, Field::Ethnicity).as_deref(), Some("Nùng"));
        assert_eq!(read.records[1].source.row, 9);
        assert!(read.intake.sheets[0].warnings.iter().any(|w| w.contains("2 phiếu")));
        // Forms of no known unit are refused one by one, and said, as a table's rows are.
        let forms: [&[&str]; 4] = [
            &["Họ và tên:", "Lương Văn Chiến", "", "Giới tính:", "Nam"],
            &["Ngày sinh:", "14/08/1971"],
            &["Họ và tên:", "Lăng Thị Huyền", "", "Giới tính:", "Nữ"],
            &["Ngày sinh:", "12/03/1978"],
        ];
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_file(&write_return(dir.path(), "bao cao.xlsx", &forms), &ctx);
        assert!(read.records.is_empty());
        let refused: Vec<&str> =
            read.issues.iter().filter(|i| i.problem.starts_with("Bỏ phiếu")).map(|i| i.raw.as_str()).collect();
        assert_eq!(refused, ["Lương Văn Chiến", "Lăng Thị Huyền"]);
        assert_eq!(read.intake.counts.rejected, 2);
    }

    #[test]
    fn only_a_list_of_party_members_makes_everyone_one() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let body: [&[&str]; 3] = [
            &["STT", "Họ và tên", "Năm sinh", "Chức vụ"],
            &["1", "Lò Văn Páo", "1970", "Bí thư"],
            &["2", "Vi Thị Slao", "1999", "Thủ quỹ"],
        ];
        // A letterhead naming the committee that issues the return says nothing of who is a member.
        let mut rows: Vec<&[&str]> = vec![&["BAN CHẤP HÀNH ĐẢNG BỘ XÃ SƠN HÀ"], &["DANH SÁCH CÁN BỘ, CÔNG CHỨC"]];
        rows.extend(body);
        let read = read_file(&write_return(dir.path(), "a/Son Ha.xlsx", &rows), &ctx);
        assert!(read.records.iter().all(|r| !r.has(Field::PartyMember)));
        // A list of Party members does, and says so on the sheet.
        let mut rows: Vec<&[&str]> = vec![&["ĐẢNG BỘ XÃ SƠN HÀ"], &["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN A"]];
        rows.extend(body);
        let read = read_file(&write_return(dir.path(), "b/Son Ha.xlsx", &rows), &ctx);
        assert!(read.records.iter().all(|r| r.has(Field::PartyMember)));
        assert!(
            read.intake.sheets[0].warnings[0].starts_with("Danh sách đảng viên"),
            "{:?}",
            read.intake.sheets[0].warnings
        );
    }

    #[test]
    fn a_row_continuing_the_person_above_adds_to_that_person() {
        // A Word table pasted in: the second paragraph of a position cell is a row of its
        // own, nothing else on it.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Ghi chú"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy", ""],
            &["", "", "", "Chủ tịch HĐND xã", ""],
            &["2", "Hoàng Văn Nam", "1975", "Chủ tịch UBND", ""],
            &[],
            // After a blank row, or with a value outside such columns, a row is no
            // continuation.
            &["", "", "", "Phó Chủ tịch UBND", ""],
            &["", "", "1980", "Công an", ""],
        ]);
        assert_eq!(people(&read), vec!["Lò Văn Páo", "Hoàng Văn Nam"]);
        let positions: Vec<String> =
            read.records[0].cells.iter().filter(|c| c.field == Field::Positions).map(|c| c.value.to_text()).collect();
        assert_eq!(positions, vec!["Bí thư Đảng ủy", "Chủ tịch HĐND xã"]);
        assert!(read.records[1].cells.iter().filter(|c| c.field == Field::Positions).count() == 1);
        let sheet = &read.intake.sheets[0];
        assert!(
            sheet.skipped_by_kind.iter().any(|(k, n)| k == "dòng tiếp theo của người ở trên" && *n == 1),
            "{sheet:?}"
        );
        assert!(read.issues.iter().any(|i| i.problem.starts_with("Dòng không có họ tên, ngay dưới một người")));
        // A vacant post and a signature block in the right-hand columns, right under the
        // last person, are no more of that person.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Ghi chú"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy", ""],
            &["", "", "", "Phó Chủ tịch UBND", "Khuyết"],
            &["2", "Hoàng Văn Nam", "1975", "Chủ tịch UBND", ""],
            &["", "", "", "T/M ĐẢNG ỦY", ""],
            &["", "", "", "BÍ THƯ", ""],
        ]);
        assert_eq!(people(&read), vec!["Lò Văn Páo", "Hoàng Văn Nam"]);
        for record in &read.records {
            assert_eq!(record.cells.iter().filter(|c| c.field == Field::Positions).count(), 1, "{record:?}");
        }
    }

    #[test]
    fn codes_are_read_by_the_legend_in_their_columns_label() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Giới tính\n(1: Nam; 2: Nữ)", "Đảng viên (1: Có; 0: Không)", "Ghi chú (1)"],
            &["1", "Lò Văn Páo", "1", "1", "1"],
            &["2", "Lò Thị Hoa", "2", "0", ""],
        ]);
        let value = |person: usize, field: Field| {
            read.records[person].cells.iter().find(|c| c.field == field).map(|c| c.value.to_text())
        };
        assert_eq!(value(0, Field::Gender).as_deref(), Some("Nam"));
        assert_eq!(value(1, Field::Gender).as_deref(), Some("Nữ"));
        assert_eq!(value(0, Field::PartyMember).as_deref(), Some("Có"));
        assert_eq!(value(1, Field::PartyMember).as_deref(), Some("Không"));
        // A footnote mark is no legend: the note stays as written.
        assert_eq!(value(0, Field::Note).as_deref(), Some("1"));
        // The intake keeps the legend, for `check` to say.
        let gender = read.intake.sheets[0].columns.iter().find(|c| c.field == Some(Field::Gender)).unwrap();
        assert_eq!(gender.legend, vec![("1".to_owned(), "Nam".to_owned()), ("2".to_owned(), "Nữ".to_owned())]);
    }

    #[test]
    fn a_header_of_two_rows_naming_other_fields_makes_records_of_two_rows() {
        // "Họ và tên" over "Chức vụ", "Ngày sinh" over "Trình độ chuyên môn"...: each person's
        // second row holds the fields the header's second row names.
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ CHỦ CHỐT XÃ"],
            &["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ghi chú"],
            &["", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", ""],
            &["1", "Lò Văn Páo", "12/05/1970", "Nam", "Tày", ""],
            &["", "Bí thư Đảng ủy", "Đại học", "Cao cấp", "Chuyên viên chính", ""],
            &["2", "Vi Thị Slao", "03/04/1985", "Nữ", "Nùng", ""],
            &["", "Chủ tịch Hội LHPN", "Cao đẳng", "", "", ""],
            // A person without a second row: the next person's row is no second row of hers.
            &["3", "Hoàng Văn Mạnh", "1979", "Nam", "Kinh", ""],
            &["4", "Nông Thị Hoa", "1990", "Nữ", "Tày", ""],
            &["", "Văn phòng - thống kê", "Đại học", "Sơ cấp", "Chuyên viên", ""],
            // Nor is a signature under a person who has none.
            &["5", "Lý Văn Đạt", "1985", "Nam", "Dao", ""],
            &["", "", "", "", "T/M ĐẢNG ỦY", ""],
            &["", "", "", "", "BÍ THƯ", ""],
            &["", "", "", "", "Lò Văn Páo", ""],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao", "Hoàng Văn Mạnh", "Nông Thị Hoa", "Lý Văn Đạt"]);
        let value = |person: usize, field: Field| -> Option<String> {
            read.records[person].cells_of(field).next().map(|c| c.value.to_text())
        };
        assert_eq!(value(0, Field::Positions).as_deref(), Some("Bí thư Đảng ủy"));
        assert_eq!(value(0, Field::Professional).as_deref(), Some("Đại học"));
        assert_eq!(value(0, Field::PoliticalTheory).as_deref(), Some("Cao cấp"));
        assert_eq!(value(0, Field::StateManagement).as_deref(), Some("Chuyên viên chính"));
        assert_eq!(value(0, Field::Ethnicity).as_deref(), Some("Tày"));
        // An empty level on a second row is there and empty ("none"), as on a first row.
        assert_eq!(value(1, Field::PoliticalTheory).as_deref(), Some(""));
        assert_eq!(value(2, Field::Positions), None);
        assert_eq!(value(3, Field::Positions).as_deref(), Some("Văn phòng - thống kê"));
        assert_eq!(value(4, Field::StateManagement), None);
        assert_eq!(value(4, Field::Ethnicity).as_deref(), Some("Dao"));
        let sheet = &read.intake.sheets[0];
        assert_eq!(sheet.header_rows, Some((2, 3)));
        let second: Vec<(u32, Option<Field>)> = sheet
            .columns
            .iter()
            .filter(|c| c.rule == tonghop_model::intake::ColumnRule::SecondLine)
            .map(|c| (c.col, c.field))
            .collect();
        assert_eq!(
            second,
            [
                (1, Some(Field::Positions)),
                (2, Some(Field::Professional)),
                (3, Some(Field::PoliticalTheory)),
                (4, Some(Field::StateManagement))
            ]
        );
        assert!(sheet.skipped_by_kind.contains(&("dòng thứ hai của người ở trên".to_owned(), 3)), "{sheet:?}");
        assert!(read.issues.is_empty(), "{:?}", read.issues);
    }

    #[test]
    fn a_second_header_row_may_say_the_row_number_again_and_name_a_column_nobody_reads() {
        // "TT" under "TT" is the label said again; "Quê quán" names no field: the second
        // row may fill it, and it is not read.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Dân tộc"],
            &["TT", "Chức vụ", "Quê quán", "Lý luận chính trị"],
            &["1", "Lò Văn Páo", "12/05/1970", "Tày"],
            &["", "Bí thư Đảng ủy", "Hồ Sơn, Hữu Lũng", "Cao cấp"],
            &["2", "Vi Thị Slao", "03/04/1985", "Nùng"],
            &["", "Chủ tịch Hội LHPN", "Yên Bình, Hữu Lũng", "Trung cấp"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(1, Field::Positions).as_deref(), Some("Chủ tịch Hội LHPN"));
        assert_eq!(value(1, Field::PoliticalTheory).as_deref(), Some("Trung cấp"));
        assert!(read.records.iter().all(|r| r.cells.iter().all(|c| !c.value.to_text().contains("Hữu Lũng"))));
        assert!(read.issues.is_empty(), "{:?}", read.issues);
    }

    #[test]
    fn labels_written_on_two_lines_make_records_of_two_rows() {
        let read = read_return(&[
            &["TT", "Họ và tên\nChức vụ", "Ngày sinh\nQuê quán", "Dân tộc\nTôn giáo", "Trình độ CM\nLý luận CT"],
            &["1", "Lò Văn Páo", "12/05/1970", "Tày", "Đại học"],
            &["", "Bí thư Đảng ủy", "Hồ Sơn, Hữu Lũng", "Không", "Cao cấp"],
            &["2", "Vi Thị Slao", "03/04/1985", "Nùng", "Cao đẳng"],
            &["", "Chủ tịch Hội LHPN", "Yên Bình, Hữu Lũng", "Phật giáo", "Trung cấp"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(0, Field::Positions).as_deref(), Some("Bí thư Đảng ủy"));
        assert_eq!(value(0, Field::Professional).as_deref(), Some("Đại học"));
        assert_eq!(value(0, Field::PoliticalTheory).as_deref(), Some("Cao cấp"));
        assert_eq!(value(1, Field::Religion).as_deref(), Some("Phật giáo"));
        assert_eq!(value(1, Field::Ethnicity).as_deref(), Some("Nùng"));
        // A label with a hint on its second line is one label, and the row under it data.
        let hinted = read_return(&[
            &["TT", "Họ và tên", "Ngày sinh\n(dd/mm/yyyy)", "Chức vụ"],
            &["1", "Lò Văn Páo", "12/05/1970", "Bí thư Đảng ủy"],
            &["2", "Vi Thị Slao", "03/04/1985", "Chủ tịch Hội LHPN"],
        ]);
        assert_eq!(people(&hinted), ["Lò Văn Páo", "Vi Thị Slao"]);
        assert!(
            hinted.intake.sheets[0].columns.iter().all(|c| c.rule != tonghop_model::intake::ColumnRule::SecondLine)
        );
    }

    #[test]
    fn records_of_two_rows_never_take_the_next_person_a_section_or_a_signature() {
        // No row-number column, and a person without a second row: the next person's row
        // names someone, and is read as a person.
        let read = read_return(&[
            &["Họ và tên", "Ngày sinh", "Dân tộc"],
            &["Chức vụ", "Quê quán", "Ghi chú"],
            &["Lò Văn Páo", "12/05/1970", "Tày"],
            &["Bí thư Đảng ủy", "Hồ Sơn", ""],
            &["Hoàng Văn Mạnh", "1979", "Kinh"],
            &["Vi Thị Slao", "03/04/1985", "Nùng"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Hoàng Văn Mạnh", "Vi Thị Slao"]);
        assert_eq!(read.records[1].cells_of(Field::Positions).count(), 0);
        // A name that does not look like one: its birth date says it is a first row.
        let read = read_return(&[
            &["Họ và tên", "Ngày sinh", "Giới tính"],
            &["Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị"],
            &["Lò Văn Páo", "12/05/1970", "Nam"],
            &["Bí thư Đảng ủy", "Đại học", "Cao cấp"],
            &["Hoàng Văn Mạnh", "1979", "Nam"],
            &["H'Hen Niê", "03/04/1985", "Nữ"],
            &["Chủ tịch Hội LHPN", "Cao đẳng", "Trung cấp"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Hoàng Văn Mạnh", "H'Hen Niê"]);
        assert_eq!(read.records[1].cells_of(Field::Positions).count(), 0);
        assert_eq!(
            read.records[2].cells_of(Field::Positions).next().map(|c| c.value.to_text()).as_deref(),
            Some("Chủ tịch Hội LHPN")
        );
        // A section under a person without a second row is a section; a second row
        // beginning "Công chức" is no total; a signature is no second row.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Dân tộc"],
            &["TT", "Chức vụ", "Quê quán", "Lý luận chính trị"],
            &["1", "Lò Văn Páo", "1970", "Tày"],
            &["", "Bí thư Đảng ủy", "Hồ Sơn", "Cao cấp"],
            &["2", "Hoàng Văn Mạnh", "1979", "Kinh"],
            &["", "CÔNG CHỨC", "", ""],
            &["3", "Vi Thị Slao", "1985", "Nùng"],
            &["", "Công chức Văn phòng - thống kê", "Yên Bình", "Sơ cấp"],
            &["4", "Lý Văn Đạt", "1988", "Dao"],
            &["", "NGƯỜI LẬP BIỂU", "", "T/M ĐẢNG ỦY"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Hoàng Văn Mạnh", "Vi Thị Slao", "Lý Văn Đạt"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(1, Field::Positions), None);
        assert_eq!(value(1, Field::PoliticalTheory), None, "no second row: unknown, not none");
        assert_eq!(read.records[2].section, Some(tonghop_model::codes::Category::CongChuc));
        assert_eq!(value(2, Field::Positions).as_deref(), Some("Công chức Văn phòng - thống kê"));
        assert_eq!(value(3, Field::PoliticalTheory), None);
        // Nor are the signers' titles in capitals, without a word that starts a footer.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Ghi chú"],
            &["TT", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị", ""],
            &["1", "Lò Văn Páo", "1970", "Tày", ""],
            &["", "Bí thư Đảng ủy", "Đại học", "Cao cấp", ""],
            &["2", "Hoàng Văn Mạnh", "1979", "Kinh", ""],
            &["", "CHỦ TỊCH UBND XÃ", "", "", "BÍ THƯ ĐẢNG ỦY"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Hoàng Văn Mạnh"]);
        assert_eq!(read.records[1].cells_of(Field::Positions).count(), 0);
        // A block of the political system in plain words ("Khối chính quyền") is a section,
        // not the post of the person above it.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Dân tộc"],
            &["TT", "Chức vụ", "Quê quán", "Lý luận chính trị"],
            &["", "Khối Đảng", "", ""],
            &["1", "Lò Văn Páo", "1970", "Tày"],
            &["", "Bí thư Đảng ủy", "Hồ Sơn", "Cao cấp"],
            &["2", "Hoàng Văn Mạnh", "1979", "Kinh"],
            &["", "Khối chính quyền", "", ""],
            &["3", "Vi Thị Slao", "1985", "Nùng"],
            &["", "Chủ tịch UBND", "Yên Bình", "Trung cấp"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Hoàng Văn Mạnh", "Vi Thị Slao"]);
        assert_eq!(read.records[1].cells_of(Field::Positions).count(), 0, "no post from a section");
        assert_eq!(
            read.records[2].cells_of(Field::Positions).next().map(|c| c.value.to_text()).as_deref(),
            Some("Chủ tịch UBND")
        );
    }

    #[test]
    fn a_section_first_under_the_header_leaves_records_of_two_rows_as_they_are() {
        let read = read_return(&[
            &["TT", "Họ và tên", "Ngày sinh", "Dân tộc"],
            &["", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị"],
            &["", "CÁN BỘ", "", ""],
            &["1", "Lò Văn Páo", "1970", "Tày"],
            &["", "Bí thư Đảng ủy", "Đại học", "Cao cấp"],
            &["", "CÔNG CHỨC", "", ""],
            &["2", "Vi Thị Slao", "1985", "Nùng"],
            &["", "Văn phòng - thống kê", "Đại học", "Sơ cấp"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(1, Field::Positions).as_deref(), Some("Văn phòng - thống kê"));
        assert_eq!(read.records[0].section, Some(tonghop_model::codes::Category::CanBo));
        assert_eq!(read.records[1].section, Some(tonghop_model::codes::Category::CongChuc));
        // A category in plain words right under a person is their second row's post, not a
        // section for everyone below.
        let read = read_return(&[
            &["TT", "Họ và tên", "Ngày sinh", "Dân tộc"],
            &["", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị"],
            &["1", "Lò Văn Páo", "1970", "Tày"],
            &["", "Không chuyên trách", "", ""],
            &["2", "Vi Thị Slao", "1985", "Nùng"],
            &["", "Văn phòng - thống kê", "Đại học", "Sơ cấp"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao"]);
        assert_eq!(
            read.records[0].cells_of(Field::Positions).next().map(|c| c.value.to_text()).as_deref(),
            Some("Không chuyên trách")
        );
        assert_eq!(read.records[1].section, None);
        // A post in capitals alone on a second row is the post.
        let read = read_return(&[
            &["TT", "Họ và tên", "Ngày sinh", "Dân tộc"],
            &["", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị"],
            &["1", "Lò Văn Páo", "1970", "Tày"],
            &["", "BÍ THƯ ĐẢNG ỦY", "Đại học", "Cao cấp"],
            &["2", "Nông Thị Hoa", "1990", "Tày"],
            &["", "VĂN PHÒNG - THỐNG KÊ", "", ""],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Nông Thị Hoa"]);
        assert_eq!(
            read.records[1].cells_of(Field::Positions).next().map(|c| c.value.to_text()).as_deref(),
            Some("VĂN PHÒNG - THỐNG KÊ")
        );
    }

    #[test]
    fn a_row_under_a_second_row_may_go_on_with_its_positions() {
        // A Word table pasted in: the second row's post goes on in a paragraph of its own.
        let read = read_return(&[
            &["TT", "Họ và tên", "Ngày sinh"],
            &["", "Chức vụ", "Trình độ chuyên môn"],
            &["1", "Lò Văn Páo", "1970"],
            &["", "Bí thư Đảng ủy", "Đại học"],
            &["", "Chủ tịch HĐND xã", ""],
            &["2", "Vi Thị Slao", "1985"],
            &["", "Chủ tịch Hội LHPN", "Cao đẳng"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao"]);
        let posts: Vec<String> = read.records[0].cells_of(Field::Positions).map(|c| c.value.to_text()).collect();
        assert_eq!(posts, ["Bí thư Đảng ủy", "Chủ tịch HĐND xã"]);
        assert_eq!(read.issues.len(), 1, "{:?}", read.issues);
        assert!(read.issues[0].problem.contains("ghép vào người ở dòng 3"), "{:?}", read.issues);
    }

    #[test]
    fn one_row_per_person_stays_so_under_labels_that_look_like_two() {
        // A section under the labels reads as a second header row; the data under it is one
        // row per person.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["I", "Cơ quan Đảng", "", ""],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy"],
            &["2", "Hoàng Văn Nam", "1979", "Chánh Văn phòng"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Hoàng Văn Nam"]);
        assert_eq!(read.intake.sheets[0].header_rows, Some((1, 1)));
        // Cells holding a name and a post on two lines, under labels on two lines.
        let read = read_return(&[
            &["Họ và tên\nChức vụ", "Ngày sinh\nQuê quán", "Trình độ CM\nLý luận CT"],
            &["Lò Văn Páo\nBí thư Đảng ủy", "1970\nHồ Sơn", "Đại học\nCao cấp"],
            &["Vi Thị Slao\nChủ tịch Hội LHPN", "1985\nYên Bình", "Cao đẳng\nTrung cấp"],
            &["Hoàng Văn Mạnh\nChủ tịch UBND", "1979\nHòa Sơn", "Đại học\nSơ cấp"],
        ]);
        // One row per person, each line of a cell its label's.
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao", "Hoàng Văn Mạnh"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(0, Field::Positions).as_deref(), Some("Bí thư Đảng ủy"));
        assert_eq!(value(1, Field::BirthDate).as_deref(), Some("1985"));
        assert_eq!(value(2, Field::Professional).as_deref(), Some("Đại học"));
        assert_eq!(value(2, Field::PoliticalTheory).as_deref(), Some("Sơ cấp"));
        // A name wrapped by hand keeps its last word; a post on two lines stays whole.
        let read = read_return(&[
            &["Họ và tên\nChức vụ", "Ngày sinh\nQuê quán"],
            &["Nguyễn Văn\nThành\nBí thư Đảng ủy", "1970\nHồ Sơn"],
            &["Lục Văn Thỏa\nPhó Bí thư Đảng ủy,\nChủ tịch UBND", "1972\nHòa Sơn"],
            &["Vi Thị Slao\nChủ tịch Hội LHPN", "1985\nYên Bình"],
        ]);
        assert_eq!(people(&read), ["Nguyễn Văn Thành", "Lục Văn Thỏa", "Vi Thị Slao"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(0, Field::Positions).as_deref(), Some("Bí thư Đảng ủy"));
        assert_eq!(value(1, Field::Positions).as_deref(), Some("Phó Bí thư Đảng ủy,\nChủ tịch UBND"));
        // The same when the first person's cell holds the name alone: the next cell names
        // someone on its first line.
        let read = read_return(&[
            &["Họ và tên\nChức vụ", "Ngày sinh\nQuê quán", "Trình độ CM\nLý luận CT"],
            &["Lò Văn Páo", "1970", "Đại học"],
            &["Vi Thị Slao\nChủ tịch Hội LHPN", "1985\nYên Bình", "Cao đẳng\nTrung cấp"],
            &["Hoàng Văn Mạnh\nChủ tịch UBND", "1979\nHòa Sơn", "Đại học\nSơ cấp"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo", "Vi Thị Slao", "Hoàng Văn Mạnh"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(0, Field::Positions), None);
        assert_eq!(value(1, Field::Positions).as_deref(), Some("Chủ tịch Hội LHPN"));
        assert_eq!(value(2, Field::PoliticalTheory).as_deref(), Some("Sơ cấp"));
    }

    #[test]
    fn labels_on_the_row_above_the_name_belong_to_the_header() {
        // "TT" and "Ghi chú" stand on the row of the group labels, unmerged, over nothing.
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ"],
            &[],
            &["TT", "Thông tin cá nhân", "", "Trình độ", "", "Ghi chú"],
            &["", "Họ và tên", "Ngày sinh", "CM", "LLCT", ""],
            &["1", "Lò Văn Páo", "1970", "Đại học", "Cao cấp", "Chuyển đến"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo"]);
        let sheet = &read.intake.sheets[0];
        assert_eq!(sheet.header_rows, Some((3, 4)));
        let field_of = |col: u32| sheet.columns.iter().find(|c| c.col == col).and_then(|c| c.field);
        assert_eq!(field_of(0), Some(Field::RowNumber));
        assert_eq!(field_of(5), Some(Field::Note));
        assert_eq!(field_of(4), Some(Field::PoliticalTheory));
        // A title right above the labels is no label.
        let read = read_return(&[
            &["DANH SÁCH CÁN BỘ XÃ", "", "", ""],
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy"],
        ]);
        assert_eq!(read.intake.sheets[0].header_rows, Some((2, 2)));
    }

    #[test]
    fn a_row_of_hints_under_the_labels_is_part_of_the_header() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ"],
            &["", "(ghi chữ thường, có dấu)", "(dd/mm/yyyy)", "(Nam/Nữ)", "(ghi đầy đủ chức vụ)"],
            &["1", "Lò Văn Páo", "12/05/1970", "Nam", "Bí thư Đảng ủy"],
        ]);
        assert_eq!(people(&read), ["Lò Văn Páo"]);
        assert_eq!(read.intake.sheets[0].header_rows, Some((1, 2)));
        assert!(read.issues.is_empty(), "{:?}", read.issues);
    }

    #[test]
    fn a_value_merged_down_over_people_is_each_ones() {
        // Equal values of neighbours merged down: gender over two, a level over three, a
        // post two people share; a name, a birth date and a note are never merged into
        // someone else's.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("DS CBCC").unwrap();
        let f = rust_xlsxwriter::Format::new();
        let labels = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Lý luận chính trị", "Ghi chú"];
        for (col, label) in labels.iter().enumerate() {
            ws.write_string(0, col as u16, *label).unwrap();
        }
        let officials = [
            ("Hà Đức Thuận", "08/09/1971"),
            ("Nông Văn Bảo", "12/01/1980"),
            ("Lý Thị Mến", "27/04/1985"),
            ("Triệu Văn Pao", "03/03/1990"),
        ];
        for (k, (name, born)) in officials.iter().enumerate() {
            let row = 1 + k as u32;
            ws.write_string(row, 0, (k + 1).to_string()).unwrap();
            ws.write_string(row, 1, *name).unwrap();
            ws.write_string(row, 2, *born).unwrap();
        }
        ws.merge_range(1, 3, 2, 3, "Nam", &f).unwrap();
        ws.write_string(3, 3, "Nữ").unwrap();
        ws.write_string(4, 3, "Nam").unwrap();
        ws.merge_range(1, 5, 3, 5, "Trung cấp", &f).unwrap();
        ws.write_string(1, 4, "Bí thư Đảng ủy").unwrap();
        ws.merge_range(2, 4, 3, 4, "Phó Chủ tịch UBND", &f).unwrap();
        ws.write_string(4, 4, "Công chức Tư pháp - Hộ tịch").unwrap();
        ws.merge_range(1, 6, 2, 6, "Chuyển đến từ tháng 01", &f).unwrap();
        let read = read_workbook(&mut wb);
        assert_eq!(people(&read), ["Hà Đức Thuận", "Nông Văn Bảo", "Lý Thị Mến", "Triệu Văn Pao"]);
        let column = |field| values_of(&read, field);
        assert_eq!(column(Field::Gender), ["Nam", "Nam", "Nữ", "Nam"]);
        assert_eq!(column(Field::PoliticalTheory), ["Trung cấp", "Trung cấp", "Trung cấp", ""]);
        assert_eq!(
            column(Field::Positions),
            ["Bí thư Đảng ủy", "Phó Chủ tịch UBND", "Phó Chủ tịch UBND", "Công chức Tư pháp - Hộ tịch"]
        );
        assert_eq!(column(Field::Note), ["Chuyển đến từ tháng 01", "", "", ""]);
        // The value is the person's own row's: traced to row 3, where the merge shows it.
        assert_eq!(read.records[1].source.row, 2);
        // Said to the clerk once for the sheet: gender 1, the level 2, the post 1.
        let said: Vec<&str> =
            read.issues.iter().filter(|i| i.problem.contains("ô gộp dọc")).map(|i| i.problem.as_str()).collect();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].starts_with("4 ô trống"), "{said:?}");
    }

    #[test]
    fn records_of_two_rows_read_the_same_with_their_cells_merged_over_both() {
        // The row number, the join date and the note merged over both rows of the header
        // and of each person, as a return typed in Excel has them.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("DS BCH").unwrap();
        let f = rust_xlsxwriter::Format::new();
        ws.merge_range(0, 0, 0, 5, "DANH SÁCH CÁN BỘ CHỦ CHỐT XÃ", &f).unwrap();
        for (col, label) in [(0, "TT"), (4, "Ngày vào Đảng"), (5, "Ghi chú")] {
            ws.merge_range(2, col, 3, col, label, &f).unwrap();
        }
        for (col, first, second) in [
            (1, "Họ và tên", "Chức vụ"),
            (2, "Ngày sinh", "Trình độ chuyên môn"),
            (3, "Giới tính", "Lý luận chính trị"),
        ] {
            ws.write_string(2, col, first).unwrap();
            ws.write_string(3, col, second).unwrap();
        }
        let rows = [
            ("Hà Đức Thuận", "08/09/1971", "Nam", "03/06/1995", "Bí thư Đảng ủy", "Đại học", "Cao cấp"),
            ("Nguyễn Thị Hương", "27/04/1980", "Nữ", "", "Chủ tịch HĐND xã", "Thạc sĩ", "Trung cấp"),
        ];
        for (k, p) in rows.iter().enumerate() {
            let row = 4 + 2 * k as u32;
            ws.merge_range(row, 0, row + 1, 0, &(k + 1).to_string(), &f).unwrap();
            ws.merge_range(row, 4, row + 1, 4, p.3, &f).unwrap();
            ws.merge_range(row, 5, row + 1, 5, "", &f).unwrap();
            for (col, value) in [(1, p.0), (2, p.1), (3, p.2)] {
                ws.write_string(row, col, value).unwrap();
            }
            for (col, value) in [(1, p.4), (2, p.5), (3, p.6)] {
                ws.write_string(row + 1, col, value).unwrap();
            }
        }
        let read = read_workbook(&mut wb);
        assert_eq!(people(&read), ["Hà Đức Thuận", "Nguyễn Thị Hương"]);
        let value =
            |person: usize, field: Field| read.records[person].cells_of(field).next().map(|c| c.value.to_text());
        assert_eq!(value(0, Field::Positions).as_deref(), Some("Bí thư Đảng ủy"));
        assert_eq!(value(1, Field::Professional).as_deref(), Some("Thạc sĩ"));
        assert_eq!(value(1, Field::PoliticalTheory).as_deref(), Some("Trung cấp"));
        assert_eq!(value(1, Field::Gender).as_deref(), Some("Nữ"));
        assert_eq!(read.intake.sheets[0].header_rows, Some((3, 4)));
        assert!(read.issues.is_empty(), "{:?}", read.issues);
    }

    #[test]
    fn people_below_the_signatures_are_said_not_read() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy"],
            &["", "Sơn Hà, ngày 25 tháng 02 năm 2024", "", ""],
            &["", "NGƯỜI LẬP BIỂU", "", "T/M ĐẢNG ỦY"],
            &["", "Hoàng Thị Hoa", "", "Lò Văn Páo"],
            &["", "DANH SÁCH BỔ SUNG", "", ""],
            &["1", "Lý Văn Đạt", "1985", "Phó Chủ tịch UBND"],
        ]);
        assert_eq!(people(&read), vec!["Lò Văn Páo"]);
        let said: Vec<&str> =
            read.issues.iter().filter(|i| i.problem.contains("dưới phần chữ ký")).map(|i| i.problem.as_str()).collect();
        // The addendum's person, not the signers (a name and nothing else).
        assert_eq!(said.len(), 1, "{:?}", read.issues);
        assert!(said[0].starts_with("1 dòng có họ tên và số liệu nằm dưới phần chữ ký (từ dòng 7)"), "{said:?}");
    }

    #[test]
    fn a_second_table_of_staff_is_read_and_a_table_of_pay_is_not() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy"],
            &[],
            &["STT", "Họ và tên", "Chức vụ", "Ghi chú"],
            &["1", "Hoàng Văn Nam", "Chủ tịch Hội Nông dân", ""],
            &[],
            &["TT", "Họ và tên", "Bậc", "Hệ số lương"],
            &["1", "Lò Văn Páo", "5", "3.66"],
        ]);
        assert_eq!(people(&read), vec!["Lò Văn Páo", "Hoàng Văn Nam"]);
        let sheet = &read.intake.sheets[0];
        assert!(sheet.warnings.iter().any(|w| w.contains("1 dòng có họ tên không được tính")), "{:?}", sheet.warnings);
        // The intake lists the first header's columns: that the second table has no birth
        // date is said.
        assert!(
            sheet
                .warnings
                .iter()
                .any(|w| w.starts_with("Bảng thứ hai từ dòng 4") && w.ends_with("không có cột: Ngày sinh")),
            "{:?}",
            sheet.warnings
        );
        let c = sheet.counts;
        assert_eq!(c.read, c.accepted + c.rejected + c.skipped);
        assert_eq!(c.read, 7);
    }

    #[test]
    fn a_name_of_hundreds_of_letters_is_no_person() {
        let long = "Trần ".repeat(6_000);
        let read =
            read_return(&[&["STT", "Họ và tên", "Ngày sinh"], &["1", "Lò Văn Páo", "1970"], &["2", &long, "1971"]]);
        assert_eq!(people(&read), vec!["Lò Văn Páo"]);
        assert!(read.issues.iter().any(|i| i.problem.contains("dài quá")), "{:?}", read.issues.len());
        assert_eq!(read.intake.counts.rejected, 1);
    }

    #[test]
    fn posts_in_the_name_column_and_a_table_of_leavers_are_not_people() {
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["1", "Lò Văn Páo", "1970", "Bí thư Đảng ủy"],
            &[],
            &["", "Trưởng thôn", "12"],
            &[],
            &["DANH SÁCH CÁN BỘ NGHỈ VIỆC TRONG THÁNG"],
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["1", "Đặng Văn Thành", "1960", "Phó Chủ tịch UBND"],
        ]);
        assert_eq!(people(&read), vec!["Lò Văn Páo"]);
        assert!(read.issues.iter().any(|i| i.problem.contains("là một chức danh")), "{:?}", read.issues);
        let c = read.intake.sheets[0].counts;
        assert_eq!(c.read, c.accepted + c.rejected + c.skipped);
    }

    #[test]
    fn a_person_whose_family_name_folds_to_a_post_word_is_a_person() {
        // "Đặng" folds to "dang" like "Đảng", and "Công An" is also a post: a person all the
        // same, with or without diacritics; "Đảng ủy viên" in the name column is a post.
        let read = read_return(&[
            &["STT", "Họ và tên", "Ngày sinh", "Chức vụ"],
            &["1", "Đặng Công An", "10/02/1993", "Chủ tịch Ủy ban MTTQ"],
            &["2", "Dang Cong An", "04/07/1992", "Phó Chủ tịch Hội Nông dân"],
            &["3", "Chu Văn Công", "1970", "Văn thư"],
            &["4", "Trương Công An", "1971", "Văn thư"],
            &["", "Đảng ủy viên", "12"],
            &["", "Trưởng Công an", "1"],
        ]);
        assert_eq!(people(&read), vec!["Đặng Công An", "Dang Cong An", "Chu Văn Công", "Trương Công An"]);
        assert_eq!(read.intake.counts.rejected, 2);
    }

    #[test]
    fn a_layout_column_left_of_the_sheets_first_column_is_no_overflow() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in [["Họ và tên", "Ngày sinh"], ["Lò Văn Páo", "1970"]].iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16 + 2, *text).unwrap();
            }
        }
        wb.save(dir.path().join("Son Ha.xlsx")).unwrap();
        let file = discover(dir.path()).unwrap().remove(0);
        let registry = Registry::embedded();
        let config = Config::from_toml_str(
            "[[layout]]\npattern = '*'\nheader_rows = [1, 1]\n[layout.columns]\nA = 'row_number'\nC = 'full_name'\n",
            "c.toml",
        )
        .unwrap();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap()).with_config(config);
        let read = read_file(&file, &ctx);
        assert_eq!(people(&read), vec!["Lò Văn Páo"]);
    }

    #[test]
    fn merged_ranges_are_kept_for_the_header_zone_only_and_bounded() {
        let many: Vec<calamine::Dimensions> = (0..100_000)
            .map(|i| calamine::Dimensions { start: (i / 100, i % 100 * 2), end: (i / 100, i % 100 * 2 + 1) })
            .collect();
        let kept = workbook::header_zone_merges(many, 0);
        assert!(kept.len() <= workbook::MAX_MERGES);
        assert!(kept.iter().all(|m| m.start.0 < workbook::MERGE_ZONE_ROWS));
        let reversed = vec![calamine::Dimensions { start: (5, 5), end: (1, 1) }];
        assert!(workbook::header_zone_merges(reversed, 0).is_empty());
    }

    /// `bytes` (an xlsx) with one part's text changed by `edit`.
    fn with_part(bytes: &[u8], part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
        use std::io::{Read as _, Write as _};
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            if name == part {
                content = edit(&String::from_utf8(content).unwrap()).into_bytes();
            }
            out.start_file(name, stored).unwrap();
            out.write_all(&content).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_part_that_unpacks_to_far_more_than_it_packs_is_refused_as_such() {
        let mut wb = Workbook::new();
        wb.add_worksheet().write_string(0, 0, "Họ và tên").unwrap();
        let mut bytes = wb.save_to_buffer().unwrap();
        // The central directory's record of the sheet claims 300 MB unpacked.
        let name = b"xl/worksheets/sheet1.xml";
        let record = (0..bytes.len() - 4)
            .find(|&i| bytes[i..i + 4] == *b"PK\x01\x02" && bytes[i + 46..].starts_with(name))
            .unwrap();
        bytes[record + 24..record + 28].copy_from_slice(&300_000_000u32.to_le_bytes());
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let kind = read_bytes("Son Ha.xlsx", bytes, &ctx).error.unwrap().kind;
        assert!(
            matches!(&kind, IngestErrorKind::ZipRatio { part, .. } if part == "xl/worksheets/sheet1.xml"),
            "{kind:?}"
        );
        assert!(kind.message_vi().contains("lần"), "{}", kind.message_vi());
    }

    #[test]
    fn the_package_says_what_it_is_not_its_name_nor_its_cells() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, text) in ["Họ và tên", "Ngày sinh", "Ghi chú"].iter().enumerate() {
            ws.write_string(0, c as u16, *text).unwrap();
        }
        for (c, text) in ["Lò Văn Páo", "1970", "xem word/document.xml"].iter().enumerate() {
            ws.write_string(1, c as u16, *text).unwrap();
        }
        // Stored without compression, so that the cell's text stands in the bytes.
        let stored = with_part(&wb.save_to_buffer().unwrap(), "", str::to_owned);
        assert!(stored.windows(17).any(|w| w == b"word/document.xml"), "the test's premise");
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        for name in ["Son Ha.xlsx", "Son Ha.ods"] {
            let read = read_bytes(name, stored.clone(), &ctx);
            assert_eq!(people(&read), vec!["Lò Văn Páo"], "{name}: {:?}", read.error);
        }
        // An OpenDocument text saved under a spreadsheet's name: said as such, not damaged.
        let text = stored_zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ]);
        let kind = read_bytes("Son Ha.ods", text, &ctx).error.unwrap().kind;
        assert_eq!(kind, IngestErrorKind::OtherOpenDocument);
    }

    #[test]
    fn a_shared_string_count_the_file_cannot_hold_is_refused_before_any_reservation() {
        let bytes = workbook_bytes(&[&["STT", "Họ và tên", "Ngày sinh"]]);
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let hostile = with_part(&bytes, "xl/sharedStrings.xml", |xml| {
            xml.replacen("uniqueCount=\"3\"", "uniqueCount=\"100000000000\"", 1)
        });
        assert_ne!(hostile, bytes);
        let read = read_bytes("Son Ha.xlsx", hostile, &ctx);
        assert_eq!(read.intake.status, FileStatus::Unreadable);
        let kind = read.error.unwrap().kind;
        assert!(matches!(kind, IngestErrorKind::DeclaredTooMany { declared: 100_000_000_000, .. }), "{kind:?}");
        assert!(kind.message_vi().contains("100000000000"));
        // No count at all, and more strings than a workbook may hold cells (each `<si/>`
        // a String calamine keeps), with a prefix and closing tags that must not count.
        let limits = Limits { max_cells: 1000, ..Limits::default() };
        let small = IngestContext { limits, ..IngestContext::new(&registry, "2024-02".parse().unwrap()) };
        for (strings, refused) in [(990, false), (1001, true)] {
            let table = with_part(&bytes, "xl/sharedStrings.xml", |xml| {
                let start = xml.find("<sst").unwrap();
                let body: String = "<x:si><x:t>a</x:t></x:si>".repeat(strings);
                format!(
                    r#"{}<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{body}</x:sst>"#,
                    &xml[..start]
                )
            });
            let kind = read_bytes("Son Ha.xlsx", table, &small).error.map(|e| e.kind);
            assert_eq!(
                matches!(kind, Some(IngestErrorKind::DeclaredTooMany { declared: 1001, .. })),
                refused,
                "{strings}: {kind:?}"
            );
        }
        // Other spellings calamine reads as well: single quotes, a comment before, a prefix.
        for edit in [
            |xml: &str| xml.replacen("uniqueCount=\"3\"", "uniqueCount='100000000000'", 1),
            |xml: &str| {
                xml.replacen("uniqueCount=\"3\"", "uniqueCount = \"100000000000\"", 1).replacen(
                    "<sst",
                    &format!("<!--{}--><sst", "x".repeat(3000)),
                    1,
                )
            },
        ] {
            let read = read_bytes("Son Ha.xlsx", with_part(&bytes, "xl/sharedStrings.xml", edit), &ctx);
            assert!(matches!(read.error.map(|e| e.kind), Some(IngestErrorKind::DeclaredTooMany { .. })));
        }
        // The same file with its true count reads.
        let honest = with_part(&bytes, "xl/sharedStrings.xml", str::to_owned);
        assert_ne!(read_bytes("Son Ha.xlsx", honest, &ctx).intake.status, FileStatus::Unreadable);
    }

    /// An OpenDocument spreadsheet whose one sheet, "DS", holds `rows` (XML of table rows);
    /// content.xml is stored, not deflated, as a zip-ratio rule would otherwise see it.
    fn ods_with_rows(rows: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="DS">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        stored_zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("META-INF/manifest.xml", br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#),
            ("content.xml", content.as_bytes()),
        ])
    }

    /// A zip of `parts`, stored without compression (so no zip-ratio rule sees them).
    fn stored_zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write as _;
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in parts {
            out.start_file(*name, stored).unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    /// The bytes of a one-sheet workbook holding `rows`.
    fn workbook_bytes(rows: &[&[&str]]) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    fn ods_row(cells: &[&str]) -> String {
        let cells: String = cells.iter().fold(String::new(), |mut out, c| {
            use std::fmt::Write as _;
            let _ =
                write!(out, r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#);
            out
        });
        format!("<table:table-row>{cells}</table:table-row>")
    }

    #[test]
    fn an_ods_declaring_repeats_it_cannot_afford_is_refused_before_calamine_expands_them() {
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let header = ods_row(&["STT", "Họ và tên", "Ngày sinh"]);
        let value = r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
        let hostile = [
            // One row repeated a million times, twenty values wide.
            format!(
                r#"{header}<table:table-row table:number-rows-repeated="1048000"><table:table-cell office:value-type="string" table:number-columns-repeated="20"><text:p>x</text:p></table:table-cell></table:table-row>"#
            ),
            // A value repeated a billion columns (calamine caps at 16,384), on 600 rows.
            format!(
                "{header}{}",
                r#"<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="1000000000"><text:p>x</text:p></table:table-cell></table:table-row>"#
                .repeat(600)
            ),
            // Both: the grid calamine would reserve before its own cap is 3.2 GB.
            format!(
                r#"{header}<table:table-row table:number-rows-repeated="1048000"><table:table-cell office:value-type="string" table:number-columns-repeated="1000000000"><text:p>x</text:p></table:table-cell></table:table-row>"#
            ),
            // A self-closed row repeated between two valued rows (calamine expands it).
            format!(
                r#"{header}<table:table-row table:number-rows-repeated="1048000"/><table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="90"><text:p>x</text:p></table:table-cell></table:table-row>"#
            ),
            // A value given as office:value alone, on a self-closed cell.
            format!(
                r#"{header}<table:table-row table:number-rows-repeated="1048000"><table:table-cell office:value="1" table:number-columns-repeated="90"/></table:table-row>"#
            ),
            // The count escaped as a character reference, and an end tag that does not match.
            r#"<table:table-row><table:table-cell><text:p>Họ và tên</text:q></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="&#49;048000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="90"/></table:table-row>"#.to_owned(),
            // A value far right after a billion empty columns, then rows repeated.
            format!(
                r#"{header}<table:table-row table:number-rows-repeated="5000"><table:table-cell table:number-columns-repeated="16000"/>{value}</table:table-row>"#
            ),
        ];
        for rows in hostile {
            let bytes = ods_with_rows(&rows);
            assert!(bytes.len() < 128 * 1024, "a small file: {}", bytes.len());
            let read = read_bytes("Son Ha.ods", bytes, &ctx);
            assert_eq!(read.intake.status, FileStatus::Unreadable);
            let error = read.error.unwrap();
            assert!(matches!(error.kind, IngestErrorKind::TooManyCells { cells, limit } if cells > limit), "{error:?}");
            assert_eq!(error.sheet.as_deref(), Some("DS"));
        }
    }

    #[test]
    fn an_ods_with_the_trailing_empty_rows_office_writes_reads_its_people() {
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        // LibreOffice closes a sheet with its empty rows and columns repeated to the grid's end.
        let rows = format!(
            r#"{}{}{}<table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
            ods_row(&["STT", "Họ và tên", "Ngày sinh"]),
            ods_row(&["1", "Lò Văn Páo", "12/05/1978"]).replace(
                "</table:table-row>",
                r#"<table:table-cell table:number-columns-repeated="1021"/></table:table-row>"#
            ),
            ods_row(&["2", "Hoàng Thị Mai", "1980"]),
        );
        let read = read_bytes("Son Ha.ods", ods_with_rows(&rows), &ctx);
        assert_eq!(people(&read), vec!["Lò Văn Páo", "Hoàng Thị Mai"], "{:?}", read.error);
    }

    #[test]
    fn the_month_budget_is_charged_smallest_first_before_any_reading() {
        let dir = tempfile::tempdir().unwrap();
        let rows: &[&[&str]] = &[&["STT", "Họ và tên", "Ngày sinh"], &["1", "Lò Văn Páo", "1970"]];
        for name in ["Cai Kinh.xlsx", "Son Ha.xlsx", "Yen Binh.xlsx"] {
            write_return(dir.path(), name, rows);
        }
        // A larger return whose name sorts first.
        let many: Vec<Vec<String>> =
            (0..20_000).map(|i| vec![format!("{i}"), format!("Người Số {i}"), "1970".to_owned()]).collect();
        let mut big: Vec<&[&str]> = vec![rows[0]];
        let many_refs: Vec<Vec<&str>> = many.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        big.extend(many_refs.iter().map(Vec::as_slice));
        write_return(dir.path(), "A tong hop.xlsx", &big);
        // A 2 KB file whose zip directory declares 300 MB for a part: its own limit refuses
        // it, so it takes nothing from the month.
        let mut liar = std::fs::read(dir.path().join("Son Ha.xlsx")).unwrap();
        let name = b"xl/worksheets/sheet1.xml";
        let record = (0..liar.len() - 4)
            .find(|&i| liar[i..i + 4] == *b"PK\x01\x02" && liar[i + 46..].starts_with(name))
            .unwrap();
        liar[record + 24..record + 28].copy_from_slice(&300_000_000u32.to_le_bytes());
        std::fs::write(dir.path().join("0 gia mao.xlsx"), liar).unwrap();
        let mut files = discover(dir.path()).unwrap();
        let small = |rel: &str| {
            let f = files.iter().find(|f| f.rel_path == rel).unwrap();
            workbook::declared_unpacked_bytes(f, &Limits::default())
        };
        assert_eq!(small("0 gia mao.xlsx"), None);
        let one = small("Son Ha.xlsx").unwrap();
        assert!(one > files[2].size, "a package declares more than it packs: {one}");
        assert!(small("A tong hop.xlsx").unwrap() > one);
        // Room for the three small returns (and what each file adds), not for the large one.
        let limits = Limits { max_month_unpacked_bytes: one * 3 + one / 2, ..Limits::default() };
        within_month_budget(&mut files, &limits);
        let refused: Vec<&str> = files.iter().filter(|f| f.problem.is_some()).map(|f| f.rel_path.as_str()).collect();
        assert_eq!(refused, ["A tong hop.xlsx"]);
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let big = files.iter().find(|f| f.rel_path == "A tong hop.xlsx").unwrap();
        let read = read_file(big, &ctx);
        assert_eq!(read.intake.status, FileStatus::Unreadable);
        assert!(matches!(read.error.unwrap().kind, IngestErrorKind::MonthBudget { .. }));
        let son_ha = files.iter().find(|f| f.rel_path == "Son Ha.xlsx").unwrap();
        assert_eq!(people(&read_file(son_ha, &ctx)), vec!["Lò Văn Páo"]);
    }

    #[test]
    fn a_file_listing_more_people_than_a_file_may_is_refused_whole_with_its_unit() {
        let dir = tempfile::tempdir().unwrap();
        let many: Vec<Vec<String>> =
            (0..30).map(|i| vec![format!("{i}"), "Lò Văn Páo".to_owned(), "1970".to_owned()]).collect();
        let refs: Vec<Vec<&str>> = many.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        let mut rows: Vec<&[&str]> = vec![&["STT", "Họ và tên", "Ngày sinh"]];
        rows.extend(refs.iter().map(Vec::as_slice));
        let file = write_return(dir.path(), "Son Ha.xlsx", &rows);
        let registry = Registry::embedded();
        let mut ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        assert_eq!(read_file(&file, &ctx).records.len(), 30);
        ctx.limits.max_rows = 20;
        let read = read_file(&file, &ctx);
        assert!(read.records.is_empty());
        assert_eq!(read.intake.status, FileStatus::Unreadable);
        assert_eq!(read.error.unwrap().kind, IngestErrorKind::TooManyRows { rows: 30, limit: 20 });
        assert_eq!(registry.unit(read.intake.units[0]).name, "Xã Sơn Hà");
    }

    #[test]
    fn a_biff8_workbook_naming_an_ansi_code_page_reads_as_unicode() {
        // The sample month's .xls (BIFF8, TCVN3 text) with its CODEPAGE record saying 1258
        // (Vietnamese ANSI), as some writers put it, or a number no encoding has.
        // Found from the package's folder, where tests run: a path fixed when the test was
        // compiled names the checkout that compiled it, not the one that runs it.
        let path = "../../fixtures/returns/2024-02/Yen Vuong/BC thang 02.xls";
        let original = std::fs::read(path).unwrap();
        let record = [0x42, 0x00, 0x02, 0x00, 0xB0, 0x04];
        let at = original.windows(6).position(|w| w == record).expect("the CODEPAGE record (1200)");
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let expected = people(&read_bytes("Yen Vuong/BC thang 02.xls", original.clone(), &ctx));
        assert!(expected.len() > 10, "{expected:?}");
        assert!(expected.iter().any(|n| n.contains('ễ') || n.contains('ị') || n.contains('ồ')), "{expected:?}");
        for codepage in [1258_u16, 1252, 65_000, 4242] {
            let mut patched = original.clone();
            patched[at + 4..at + 6].copy_from_slice(&codepage.to_le_bytes());
            let read = read_bytes("Yen Vuong/BC thang 02.xls", patched, &ctx);
            assert_eq!(people(&read), expected, "CODEPAGE {codepage}: {:?}", read.error);
        }
    }

    #[test]
    fn cell_styles_copying_a_huge_font_name_are_refused_however_they_are_spelled() {
        let bytes = workbook_bytes(&[&["STT", "Họ và tên", "Ngày sinh"], &["1", "Lò Văn Páo", "1970"]]);
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let honest = with_part(&bytes, "xl/styles.xml", str::to_owned);
        assert_eq!(people(&read_bytes("Son Ha.xlsx", honest, &ctx)), vec!["Lò Văn Páo"]);
        // A font named with 200 KB, then 1,000 formats using it, spelled as calamine reads
        // them: a prefix, a line break after the name, single quotes.
        let name = "A".repeat(200_000);
        let formats: String = (0..1000).map(|_| "<s:xf\nfontId='0' numFmtId='0'/>").collect();
        let hostile = with_part(&bytes, "xl/styles.xml", |xml| {
            let xml = xml.replacen("<name val=\"Calibri\"/>", &format!("<name val='{name}'/>"), 1);
            xml.replacen("</cellXfs>", &format!("{formats}</cellXfs>"), 1)
        });
        let kind = read_bytes("Son Ha.xlsx", hostile, &ctx).error.map(|e| e.kind);
        assert!(matches!(kind, Some(IngestErrorKind::DeclaredTooMany { declared, .. }) if declared > 1000), "{kind:?}");
    }

    #[test]
    fn a_sheet_claiming_the_whole_grid_is_refused_before_allocation() {
        // calamine issue #693: cells at A1 and XFD1048576 make a dense range of 17e9 cells.
        let dir = tempfile::tempdir().unwrap();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Họ và tên").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        wb.save(dir.path().join("Son Ha.xlsx")).unwrap();
        let file = discover(dir.path()).unwrap().remove(0);
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_file(&file, &ctx);
        assert_eq!(read.intake.status, FileStatus::Unreadable);
        let kind = read.error.unwrap().kind;
        assert!(matches!(kind, IngestErrorKind::TooManyCells { cells, .. } if cells == 1_048_576 * 16_384), "{kind:?}");
    }

    #[test]
    fn legacy_text_is_decoded_by_font_or_by_characters() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let vntime = rust_xlsxwriter::Format::new().set_font_name(".VnTime");
        let rows: [[&str; 3]; 3] =
            [["STT", "Hä vµ tªn", "Ngµy sinh"], ["1", "NguyÔn V¨n Hïng", "12/05/1978"], ["2", "TrÇn ThÞ Thuû", "1980"]];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                ws.write_string_with_format(r as u32, c as u16, *text, &vntime).unwrap();
            }
        }
        ws.write_string(4, 5, "Nguyễn Văn Đã Unicode").unwrap();
        wb.save(dir.path().join("Son Ha.xlsx")).unwrap();
        let file = discover(dir.path()).unwrap().remove(0);
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_file(&file, &ctx);
        assert_eq!(read.intake.encoding, "tcvn3");
        let names: Vec<String> =
            read.records.iter().map(|r| r.cells_of(Field::FullName).next().unwrap().value.to_text()).collect();
        assert_eq!(names, vec!["Nguyễn Văn Hùng", "Trần Thị Thuỷ"]);
    }

    #[test]
    fn an_unreadable_file_keeps_the_unit_its_folder_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("Cai Kinh")).unwrap();
        std::fs::write(dir.path().join("Cai Kinh/bc.xlsx"), b"").unwrap();
        let file = discover(dir.path()).unwrap().remove(0);
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_file(&file, &ctx);
        assert_eq!(read.intake.status, FileStatus::Unreadable);
        assert_eq!(registry.unit(read.intake.units[0]).name, "Xã Cai Kinh");
        assert_eq!(read.error.unwrap().kind, IngestErrorKind::Empty);
        assert_eq!(read.intake.error.unwrap(), IngestErrorKind::Empty.message_vi());
    }

    #[test]
    fn a_hidden_sheet_is_listed_but_never_read_as_a_roster() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = Workbook::new();
        for (name, person) in [("DS", "Nguyễn Văn Hùng"), ("Bản cũ", "Lò Thị Hoa")] {
            let ws = wb.add_worksheet().set_name(name).unwrap();
            for (c, text) in ["STT", "Họ và tên", "Ngày sinh", "LLCT"].iter().enumerate() {
                ws.write_string(0, c as u16, *text).unwrap();
            }
            for (c, text) in ["1", person, "12/05/1978", "TC"].iter().enumerate() {
                ws.write_string(1, c as u16, *text).unwrap();
            }
        }
        wb.worksheet_from_name("Bản cũ").unwrap().set_hidden(true);
        wb.save(dir.path().join("Son Ha.xlsx")).unwrap();
        let file = discover(dir.path()).unwrap().remove(0);
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_file(&file, &ctx);
        let names: Vec<String> =
            read.records.iter().map(|r| r.cells_of(Field::FullName).next().unwrap().value.to_text()).collect();
        assert_eq!(names, vec!["Nguyễn Văn Hùng"]);
        let hidden = read.intake.sheets.iter().find(|s| s.name == "Bản cũ").unwrap();
        assert_eq!(hidden.ignored_because.as_deref(), Some("trang tính ẩn"));
        assert_eq!(read.intake.counts.read, 1);
    }

    #[test]
    fn a_sheet_without_a_roster_makes_the_file_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let file = write_return(dir.path(), "Son Ha.xlsx", &[&["Ghi chú"], &["không có danh sách"]]);
        let registry = Registry::embedded();
        let ctx = IngestContext::new(&registry, "2024-02".parse().unwrap());
        let read = read_file(&file, &ctx);
        assert_eq!(read.intake.status, FileStatus::Unreadable);
        assert_eq!(read.error.unwrap().kind, IngestErrorKind::NoRoster);
        assert_eq!(registry.unit(read.intake.units[0]).name, "Xã Sơn Hà");
    }
}
