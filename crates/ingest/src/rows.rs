//! Sorts the rows under a header into people, rejects and skipped rows.
//!
//! Every row below the header ends in exactly one bucket, so that
//! `read = accepted + rejected + skipped` holds for each sheet and file. Skipped rows are
//! blank rows, section rows ("I. CÁN BỘ", which also set the category of the rows below),
//! total rows ("Tổng cộng") and the footer (from "Người lập biểu", "T/M ĐẢNG ỦY" or the
//! date line down to the end of the sheet, signatures included).

use std::collections::BTreeSet;

use tonghop_model::codes::{Category, parse_category};
use tonghop_model::intake::{FileIntake, FileStatus, RowCounts, SheetIntake, UnitFoundBy};
use tonghop_model::record::{CellValue, RawCell, RawRecord, SourceRow, cell_address};
use tonghop_model::text::fold_words;
use tonghop_model::units::{UnitId, UnitMatch};
use tonghop_model::{DataIssue, Field, Severity};

use crate::discover::FoundFile;
use crate::header::{Header, find_header};
use crate::unit::{self, Decision};
use crate::workbook::{Book, IngestError, IngestErrorKind, SheetGrid};
use crate::{FileRead, IngestContext};

/// What a row under the header is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKind {
    /// Nothing in it.
    Blank,
    /// A section row, with the category it announces.
    Group(Option<Category>),
    /// A total row.
    Total,
    /// Footer: preparer, signatures, date line, and everything below them.
    Footer,
    /// A person.
    Person,
    /// Looks like data but cannot be a person; the reason, in Vietnamese.
    Reject(String),
}

const FOOTER_STARTS: &[&str] = &[
    "nguoi lap bieu",
    "nguoi lap",
    "nguoi tong hop",
    "t m",
    "tm",
    "xac nhan",
    "thu truong don vi",
    "thu truong co quan",
    "ky ten",
    "ky ghi ro ho ten",
    "noi nhan",
];
const SIGNATURE_TITLES: &[&str] =
    &["bi thu", "pho bi thu", "chu tich", "pho chu tich", "truong ban", "truong phong", "giam doc", "thu truong"];
const TOTAL_WORDS: &[&str] = &["tong cong", "cong", "tong so", "tong", "cong so"];

fn is_date_line(folded: &str) -> bool {
    if !folded.contains("ngay") {
        return false;
    }
    let words: Vec<&str> = folded.split(' ').collect();
    let has_digit_after = |word: &str| {
        words.windows(2).any(|w| w[0] == word && !w[1].is_empty() && w[1].chars().all(|c| c.is_ascii_digit()))
    };
    has_digit_after("ngay") && has_digit_after("thang") && has_digit_after("nam")
}

/// Whether a cell may hold a footer or total word, from its first characters only (a
/// cheap test before folding the whole cell, as this runs on every cell of every row).
fn may_be_marker(text: &str) -> bool {
    const PREFIXES: &[&str] = &["nguoi", "t m", "tm", "xac", "thu", "ky", "noi", "tong", "cong"];
    // The first folded characters, punctuation as single spaces, without allocating.
    let mut head = ['\0'; 8];
    let mut n = 0;
    for c in text.chars() {
        let Some(f) = tonghop_model::text::fold_char(c) else { continue };
        let f = if f.is_alphanumeric() { f } else { ' ' };
        if f == ' ' && (n == 0 || head[n - 1] == ' ') {
            continue;
        }
        head[n] = f;
        n += 1;
        if n == head.len() {
            break;
        }
    }
    let head = &head[..n];
    // A date line ("Sơn Hà, ngày 25 tháng 02 năm 2024") has digits; names do not.
    PREFIXES.iter().any(|p| p.len() <= head.len() && p.chars().zip(head).all(|(a, b)| a == *b))
        || (text.bytes().any(|b| b.is_ascii_digit())
            && (text.contains("gày") || text.contains("GÀY") || text.contains("gay") || text.contains("GAY")))
}

/// Whether `folded` begins with the word(s) `w`.
fn starts_with_word(folded: &str, w: &str) -> bool {
    folded.strip_prefix(w).is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

fn is_roman_section(text: &str) -> bool {
    let t = text.trim();
    let head: String = t.chars().take_while(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'i' | 'v' | 'x')).collect();
    !head.is_empty() && t[head.len()..].starts_with(['.', ')', ' ', '-'])
}

/// Classifies one row. `texts` are the non-empty text cells of the whole row and
/// `others` how many other non-empty cells (numbers, dates) it has, `name` the full-name
/// cell, `mapped_values` how many mapped cells other than name and row number hold
/// something.
pub fn classify(
    texts: &[&str],
    others: usize,
    name: Option<&CellValue>,
    mapped_values: usize,
    footer_started: bool,
) -> RowKind {
    if texts.is_empty() && others == 0 {
        return RowKind::Blank;
    }
    if footer_started {
        return RowKind::Footer;
    }
    // A row with a name that is no footer word and two or more other values is a person:
    // the footer and total tests below are skipped for it, as they run on every row.
    let likely_person = mapped_values >= 2 && matches!(name, Some(CellValue::Text(n)) if !may_be_marker(n));
    if !likely_person {
        // Footer and total words sit in short cells and begin with one of a few letters
        // ("Người lập biểu", "T/M", "Xác nhận", "Ký tên", "Tổng cộng", "Cộng") or hold a
        // date line ("..., ngày 25 tháng 02 năm 2024"): only those cells are folded.
        let folded: Vec<String> =
            texts.iter().filter(|t| t.len() <= 400 && may_be_marker(t)).map(|t| fold_words(t)).collect();
        if folded.iter().any(|f| FOOTER_STARTS.iter().any(|s| starts_with_word(f, s)) || is_date_line(f)) {
            return RowKind::Footer;
        }
        // A total row begins (in its first cell with letters) with "Tổng cộng", "Cộng"...
        let first_text = texts.iter().find(|t| t.chars().any(char::is_alphabetic));
        if let Some(first) = first_text
            && may_be_marker(first)
            && TOTAL_WORDS.iter().any(|w| starts_with_word(&fold_words(first), w))
        {
            return RowKind::Total;
        }
    }
    // A section or signature row holds one text (maybe repeated over merged cells).
    if others == 0 && mapped_values <= 1 && !texts.is_empty() && texts.iter().all(|t| *t == texts[0]) {
        let only = &texts[0];
        let category = parse_category(only);
        if category.is_some() || is_roman_section(only) {
            return RowKind::Group(category);
        }
        let is_upper = only.chars().any(char::is_alphabetic) && !only.chars().any(char::is_lowercase);
        if is_upper && SIGNATURE_TITLES.contains(&fold_words(only).as_str()) {
            return RowKind::Footer;
        }
        if is_upper && name.is_none_or(CellValue::is_empty) {
            return RowKind::Group(None);
        }
    }
    let name_text = match name {
        Some(CellValue::Text(s)) => s.as_str(),
        Some(CellValue::Empty) | None => return RowKind::Reject("thiếu họ tên".to_owned()),
        Some(other) => return RowKind::Reject(format!("họ tên không phải chữ ({})", other.to_text())),
    };
    if name_text.chars().any(|c| c.is_ascii_digit()) || !name_text.chars().any(char::is_alphabetic) {
        return RowKind::Reject("họ tên không hợp lệ".to_owned());
    }
    if mapped_values == 0 {
        return RowKind::Reject("chỉ có họ tên, không có thông tin nào khác".to_owned());
    }
    RowKind::Person
}

/// The unit a unit-column value names, matched once per distinct value: only a value not
/// seen before is matched (and copied, as the cache's key).
fn cached_match(
    cache: &mut std::collections::HashMap<String, UnitMatch>,
    ctx: &IngestContext<'_>,
    text: &str,
) -> UnitMatch {
    if let Some(found) = cache.get(text) {
        return found.clone();
    }
    let found = ctx.matcher().match_text(text);
    cache.insert(text.to_owned(), found.clone());
    found
}

/// Reads every sheet of a parsed workbook.
pub fn read_book(file: &FoundFile, mut book: Book, ctx: &IngestContext<'_>) -> FileRead {
    let mut intake = FileIntake {
        path: file.rel_path.clone(),
        size: file.size,
        sha256: book.sha256.clone(),
        status: FileStatus::Read,
        units: Vec::new(),
        unit_found_by: None,
        unit_evidence: String::new(),
        encoding: "unicode".to_owned(),
        sheets: Vec::new(),
        counts: RowCounts::default(),
        error: None,
    };
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let mut units = BTreeSet::new();
    for grid in &mut book.sheets {
        let mut sheet = SheetIntake { name: grid.name.clone(), ..SheetIntake::default() };
        if grid.hidden {
            sheet.ignored_because = Some("trang tính ẩn".to_owned());
            intake.sheets.push(sheet);
            continue;
        }
        let Some(header) = find_header(grid, &ctx.config) else {
            sheet.ignored_because = Some("không có dòng tiêu đề có cột Họ và tên".to_owned());
            intake.sheets.push(sheet);
            continue;
        };
        sheet.header_rows = Some((header.first_row + 1, header.last_row + 1));
        sheet.mapped = header.columns.iter().map(|c| (c.header.clone(), c.field)).collect();
        sheet.unmapped.clone_from(&header.unmapped);
        let title = title_text(grid, &header);
        let decision = unit::for_sheet(&title, &grid.name, file, ctx);
        match &decision {
            Decision::Found(_, by) if intake.unit_found_by.is_none() => intake.unit_found_by = Some(*by),
            Decision::Unclear(seen) if intake.unit_evidence.is_empty() => intake.unit_evidence.clone_from(seen),
            _ => {}
        }
        let mut sheet_read = SheetRead { file, grid, header: &header, decision: &decision, ctx };
        let counts = sheet_read.read_rows(&mut records, &mut issues, &mut units, &mut intake);
        sheet.counts = counts;
        intake.counts.add(counts);
        intake.sheets.push(sheet);
    }
    intake.units = units.into_iter().collect();
    let legacy: BTreeSet<&str> =
        book.sheets.iter().filter_map(|g| g.encoding.map(super::encoding::Legacy::key)).collect();
    if !legacy.is_empty() {
        intake.encoding = legacy.into_iter().collect::<Vec<_>>().join("+");
    }
    let mut error = None;
    if intake.sheets.iter().all(|s| s.ignored_because.is_some()) {
        let e = IngestError {
            sha256: Some(book.sha256.clone()),
            ..IngestError::new(file.rel_path.clone(), IngestErrorKind::NoRoster)
        };
        intake.status = FileStatus::Unreadable;
        intake.error = Some(e.to_string());
        if let Decision::Found(id, by) = unit::from_path(file, ctx) {
            intake.units = vec![id];
            intake.unit_found_by = Some(by);
        }
        issues.push(DataIssue {
            file_index: file.index,
            unit: intake.units.first().copied(),
            file: file.rel_path.clone(),
            sheet: None,
            cell: None,
            field: None,
            raw: String::new(),
            problem: format!("Không đọc được tệp: {}", e.kind.message_vi()),
            severity: Severity::Error,
        });
        error = Some(e);
    } else if intake.units.is_empty() {
        intake.status = FileStatus::Unidentified;
    }
    FileRead { intake, records, issues, error, modified: file.modified, workbook_modified: book.modified.clone() }
}

/// The text of the title block above the header.
fn title_text(grid: &SheetGrid, header: &Header) -> String {
    let mut parts = Vec::new();
    for row in grid.origin.0..header.first_row {
        for col in grid.origin.1..grid.end_col() {
            if let CellValue::Text(t) = grid.get(row, col) {
                parts.push(t.clone());
            }
        }
    }
    parts.join(" | ")
}

struct SheetRead<'a> {
    file: &'a FoundFile,
    grid: &'a mut SheetGrid,
    header: &'a Header,
    decision: &'a Decision,
    ctx: &'a IngestContext<'a>,
}

impl SheetRead<'_> {
    fn issue(
        &self,
        row: u32,
        col: u32,
        field: Option<Field>,
        raw: String,
        problem: String,
        unit: Option<UnitId>,
    ) -> DataIssue {
        DataIssue {
            file_index: self.file.index,
            unit,
            file: self.file.rel_path.clone(),
            sheet: Some(self.grid.name.clone()),
            cell: Some(cell_address(row, col)),
            field,
            raw,
            problem,
            severity: Severity::Error,
        }
    }

    fn read_rows(
        &mut self,
        records: &mut Vec<RawRecord>,
        issues: &mut Vec<DataIssue>,
        units: &mut BTreeSet<UnitId>,
        intake: &mut FileIntake,
    ) -> RowCounts {
        let mut counts = RowCounts::default();
        let mut section: Option<Category> = None;
        let mut footer_started = false;
        // find_header only returns headers with a name column; a header without one reads
        // no rows rather than guessing.
        let Some(name_col) = self.header.column_of(Field::FullName) else { return counts };
        let unit_col = self.header.column_of(Field::Unit);
        // Every row's provenance shares the file's and the sheet's names.
        let file_name: std::sync::Arc<str> = self.file.rel_path.as_str().into();
        let sheet_name: std::sync::Arc<str> = self.grid.name.as_str().into();
        // A unit column repeats the same names down the rows: each is matched once.
        let mut matched: std::collections::HashMap<String, UnitMatch> = std::collections::HashMap::new();
        let sheet_unit = match self.decision {
            Decision::Found(id, by) => Some((*id, *by)),
            Decision::Unclear(_) => None,
        };
        // Sized once: grown cell by cell, these lists were reallocated several times a row.
        let width = (self.grid.end_col() - self.grid.origin.1) as usize;
        let record_cells = self.header.columns.iter().filter(|c| !matches!(c.field, Field::RowNumber)).count();
        for row in self.header.last_row + 1..self.grid.end_row() {
            counts.read += 1;
            let mut texts: Vec<&str> = Vec::with_capacity(width);
            let mut others = 0;
            for c in self.grid.origin.1..self.grid.end_col() {
                match self.grid.get(row, c) {
                    CellValue::Text(t) => texts.push(t),
                    CellValue::Empty => {}
                    _ => others += 1,
                }
            }
            let name = self.grid.get(row, name_col);
            let mapped_values = self
                .header
                .columns
                .iter()
                .filter(|c| {
                    !matches!(c.field, Field::FullName | Field::RowNumber | Field::Unit)
                        && !self.grid.get(row, c.col).is_empty()
                })
                .count();
            let kind = classify(&texts, others, Some(name), mapped_values, footer_started);
            match kind {
                RowKind::Blank | RowKind::Total => counts.skipped += 1,
                RowKind::Footer => {
                    footer_started = true;
                    counts.skipped += 1;
                }
                RowKind::Group(category) => {
                    if category.is_some() {
                        section = category;
                    }
                    counts.skipped += 1;
                }
                RowKind::Reject(reason) => {
                    counts.rejected += 1;
                    let raw = (self.grid.origin.1..self.grid.end_col())
                        .map(|c| self.grid.get(row, c))
                        .filter(|v| !v.is_empty())
                        .map(CellValue::to_text)
                        .collect::<Vec<_>>()
                        .join(" | ");
                    issues.push(self.issue(
                        row,
                        name_col,
                        Some(Field::FullName),
                        raw,
                        format!("Bỏ dòng: {reason}"),
                        sheet_unit.map(|u| u.0),
                    ));
                }
                RowKind::Person => {
                    let row_unit = match unit_col.map(|c| (c, self.grid.get(row, c))) {
                        Some((col, CellValue::Text(text))) => match cached_match(&mut matched, self.ctx, text) {
                            UnitMatch::Found(id) => Ok((id, UnitFoundBy::Column)),
                            UnitMatch::Ambiguous(_) => Err((col, text.clone(), "tên đơn vị khớp nhiều đơn vị")),
                            UnitMatch::NotFound => Err((col, text.clone(), "tên đơn vị không có trong danh mục")),
                        },
                        _ => sheet_unit.ok_or((name_col, String::new(), "không xác định được đơn vị của tệp")),
                    };
                    match row_unit {
                        Ok((unit, unit_found_by)) => {
                            if unit_found_by == UnitFoundBy::Column
                                && intake.unit_found_by.is_none_or(|b| b != UnitFoundBy::Column)
                            {
                                intake.unit_found_by = Some(UnitFoundBy::Column);
                            }
                            units.insert(unit);
                            counts.accepted += 1;
                            records.push(RawRecord {
                                source: SourceRow {
                                    file_index: self.file.index,
                                    file: std::sync::Arc::clone(&file_name),
                                    sheet: std::sync::Arc::clone(&sheet_name),
                                    row,
                                },
                                unit,
                                unit_found_by,
                                section,
                                cells: {
                                    let mut cells = Vec::with_capacity(record_cells);
                                    // The grid is not read again: values move into the record.
                                    cells.extend(
                                        self.header
                                            .columns
                                            .iter()
                                            .filter(|c| !matches!(c.field, Field::RowNumber))
                                            .map(|c| RawCell {
                                                field: c.field,
                                                col: c.col,
                                                value: self.grid.take(row, c.col),
                                                option: c.option.clone(),
                                            }),
                                    );
                                    cells
                                },
                            });
                        }
                        Err((col, raw, reason)) => {
                            counts.rejected += 1;
                            let field = (col != name_col).then_some(Field::Unit);
                            let raw = if raw.is_empty() { name.to_text() } else { raw };
                            issues.push(self.issue(row, col, field, raw, format!("Bỏ dòng: {reason}"), None));
                        }
                    }
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(texts: &[&str], name: &str, mapped: usize) -> RowKind {
        let name = if name.is_empty() { CellValue::Empty } else { CellValue::Text(name.to_owned()) };
        classify(texts, 0, Some(&name), mapped, false)
    }

    #[test]
    fn rows_that_are_not_people() {
        assert_eq!(kind(&[], "", 0), RowKind::Blank);
        assert_eq!(kind(&["I. CÁN BỘ"], "", 0), RowKind::Group(Some(Category::CanBo)));
        assert_eq!(kind(&["II. CÔNG CHỨC"], "II. CÔNG CHỨC", 0), RowKind::Group(Some(Category::CongChuc)));
        assert_eq!(kind(&["Tổng cộng", "21"], "", 1), RowKind::Total);
        assert_eq!(kind(&["Cộng:", "21"], "", 1), RowKind::Total);
        assert_eq!(kind(&["Người lập biểu"], "", 0), RowKind::Footer);
        assert_eq!(kind(&["T/M ĐẢNG ỦY"], "", 0), RowKind::Footer);
        assert_eq!(kind(&["Sơn Hà, ngày 25 tháng 02 năm 2024"], "", 0), RowKind::Footer);
        assert_eq!(kind(&["BÍ THƯ"], "", 0), RowKind::Footer);
    }

    #[test]
    fn people_and_rejects() {
        assert_eq!(kind(&["1", "Nguyễn Văn Hùng", "1978"], "Nguyễn Văn Hùng", 1), RowKind::Person);
        assert_eq!(kind(&["1", "", "1978"], "", 1), RowKind::Reject("thiếu họ tên".into()));
        assert_eq!(kind(&["1", "12345", "1978"], "12345", 1), RowKind::Reject("họ tên không hợp lệ".into()));
        assert!(matches!(kind(&["Nguyễn Văn Hùng"], "Nguyễn Văn Hùng", 0), RowKind::Reject(_)));
    }

    #[test]
    fn a_row_is_a_total_only_when_its_first_words_say_so() {
        assert_eq!(kind(&["12/03/1985", "Kinh", "Công chức"], "", 2), RowKind::Reject("thiếu họ tên".into()));
        assert_eq!(kind(&["", "Cộng", "21"], "", 1), RowKind::Total);
    }

    #[test]
    fn a_footer_row_spread_over_mapped_columns_is_still_a_footer() {
        assert_eq!(kind(&["NGƯỜI LẬP BIỂU", "Kế toán", "T/M ĐẢNG ỦY"], "NGƯỜI LẬP BIỂU", 2), RowKind::Footer);
        assert_eq!(kind(&["Tổng cộng", "21", "15"], "Tổng cộng", 2), RowKind::Total);
    }

    #[test]
    fn a_person_named_like_a_title_is_still_a_person() {
        assert_eq!(kind(&["3", "Hoàng Văn Tổng", "Bí thư"], "Hoàng Văn Tổng", 1), RowKind::Person);
    }
}
