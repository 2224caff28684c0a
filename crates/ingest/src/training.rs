//! Reads the training centre's class register (`inputs.md` §5) with the machinery of the
//! returns: the same loading (format sniffing, limits, legacy encodings), a header found by
//! its spellings within the first rows (one or two rows, a column-number row under it),
//! group, total and footer rows skipped. A sheet whose header names a class type or class
//! name is the class sheet; one that names a person and a class is the learners sheet.

use tonghop_model::record::{CellValue, SourceRow, cell_address};
use tonghop_model::text::fold_words;
use tonghop_model::training::{RawClass, RawLearner};
use tonghop_model::{DataIssue, Field, Severity};

use crate::discover::FoundFile;
use crate::header::{HEADER_SEARCH_ROWS, field_of, is_column_number_row};
use crate::rows::{RowKind, RowView, classify};
use crate::workbook::{IngestError, Limits, SheetGrid, load};

/// A column of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    RowNumber,
    ClassName,
    ClassType,
    Mode,
    Opened,
    Closed,
    Learners,
    Funding,
    // Learners sheet.
    FullName,
    BirthDate,
    Unit,
    Class,
}

/// Header spellings of the register, folded into words.
const SYNONYMS: &[(Col, &[&str])] = &[
    (Col::ClassName, &["ten lop", "ten lop hoc", "lop hoc", "ten khoa hoc", "noi dung", "ten lop boi duong"]),
    (Col::ClassType, &["loai lop", "loai hinh", "loai hinh dao tao", "chuong trinh", "he dao tao", "loai"]),
    (Col::Mode, &["hinh thuc", "hinh thuc dao tao", "hinh thuc hoc", "he"]),
    (Col::Opened, &["khai giang", "ngay khai giang", "thoi gian khai giang", "tu ngay", "bat dau"]),
    (Col::Closed, &["be giang", "ngay be giang", "thoi gian be giang", "den ngay", "ket thuc"]),
    (Col::Learners, &["so hoc vien", "so luong hoc vien", "hoc vien", "so hv", "tong so hoc vien", "so luong"]),
    (Col::Funding, &["kinh phi", "nguon kinh phi"]),
    (Col::Class, &["lop", "khoa", "lop theo hoc", "lop hoc vien"]),
];

fn col_of(text: &str) -> Option<Col> {
    let folded = fold_words(text);
    if let Some((col, _)) = SYNONYMS.iter().find(|(_, s)| s.contains(&folded.as_str())) {
        return Some(*col);
    }
    match field_of(text)? {
        Field::RowNumber => Some(Col::RowNumber),
        Field::FullName => Some(Col::FullName),
        Field::BirthDate => Some(Col::BirthDate),
        Field::Unit => Some(Col::Unit),
        _ => None,
    }
}

/// What the register holds.
#[derive(Debug, Clone, Default)]
pub struct TrainingRead {
    /// The register's path, as given.
    pub path: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// Class rows.
    pub classes: Vec<RawClass>,
    /// Learner rows (empty when the register has no learners sheet).
    pub learners: Vec<RawLearner>,
    /// Rows rejected and other problems, with their cells.
    pub issues: Vec<DataIssue>,
    /// Rows read under the class header, and of them skipped (blank, group, total, footer).
    pub rows_read: usize,
    /// Skipped rows.
    pub rows_skipped: usize,
}

struct Table {
    header_last: u32,
    columns: Vec<(u32, Col)>,
}

impl Table {
    fn col(&self, c: Col) -> Option<u32> {
        self.columns.iter().find(|(_, x)| *x == c).map(|(i, _)| *i)
    }
}

fn cell_text(grid: &SheetGrid, row: u32, col: u32) -> Option<&str> {
    match grid.get(row, col) {
        CellValue::Text(t) => Some(t),
        _ => None,
    }
}

/// The header of a register sheet: the first row naming two or more register columns;
/// a row under it that names more (the "Thời gian" group split into "Khai giảng | Bế
/// giảng") joins it, and a column-number row under that is skipped.
fn find_table(grid: &SheetGrid) -> Option<Table> {
    let (r0, c0) = grid.origin;
    let last_search = (r0 + HEADER_SEARCH_ROWS).min(grid.end_row());
    let map_row = |row: u32| -> Vec<(u32, Col)> {
        (c0..grid.end_col()).filter_map(|c| cell_text(grid, row, c).and_then(col_of).map(|k| (c, k))).collect()
    };
    for row in r0..last_search {
        let mut columns = map_row(row);
        if columns.len() < 2 {
            continue;
        }
        let mut last = row;
        let below = map_row(row + 1);
        if !below.is_empty() && grid.get(row + 1, columns[0].0).is_empty() {
            for (c, k) in below {
                columns.retain(|(x, _)| *x != c);
                columns.push((c, k));
            }
            columns.sort_by_key(|(c, _)| *c);
            last = row + 1;
        }
        if last + 1 < grid.end_row() && is_column_number_row(grid, last + 1) {
            last += 1;
        }
        return Some(Table { header_last: last, columns });
    }
    None
}

/// Reads the register. An unreadable file is an error: the run reports it and goes on
/// without training figures.
pub fn read_training(path: &std::path::Path, limits: &Limits) -> Result<TrainingRead, IngestError> {
    let size = std::fs::metadata(path).map_err(|e| IngestError::io(path, &e))?.len();
    let file = FoundFile {
        index: 0,
        rel_path: tonghop_model::files::shown(path),
        abs_path: path.to_path_buf(),
        size,
        modified: None,
        is_spreadsheet: true,
        problem: None,
        archive_entry: None,
    };
    let book = load(&file, limits)?;
    let mut out = TrainingRead { path: file.rel_path.clone(), sha256: book.sha256.clone(), size, ..Default::default() };
    for grid in book.sheets.iter().filter(|g| !g.hidden) {
        let Some(table) = find_table(grid) else { continue };
        let is_learners = table.col(Col::FullName).is_some() && table.col(Col::Class).is_some();
        let is_classes = table.col(Col::ClassType).is_some() || table.col(Col::ClassName).is_some();
        if is_learners {
            read_learners(grid, &table, &file, &mut out);
        } else if is_classes {
            read_classes(grid, &table, &file, &mut out);
        }
    }
    Ok(out)
}

/// The texts and other values of a row, for [`classify`].
fn row_values(grid: &SheetGrid, row: u32) -> (Vec<&str>, usize) {
    let mut texts = Vec::new();
    let mut others = 0;
    for c in grid.origin.1..grid.end_col() {
        match grid.get(row, c) {
            CellValue::Text(t) => texts.push(t.as_str()),
            CellValue::Empty => {}
            _ => others += 1,
        }
    }
    (texts, others)
}

fn source(file: &FoundFile, grid: &SheetGrid, row: u32) -> SourceRow {
    SourceRow { file_index: file.index, file: file.rel_path.as_str().into(), sheet: grid.name.as_str().into(), row }
}

fn read_classes(grid: &SheetGrid, table: &Table, file: &FoundFile, out: &mut TrainingRead) {
    let text = |row: u32, c: Option<u32>| c.map(|c| grid.get(row, c).to_text()).unwrap_or_default();
    let value = |row: u32, c: Option<u32>| c.map(|c| grid.get(row, c).clone()).unwrap_or_default();
    let data_cols: Vec<u32> =
        table.columns.iter().filter(|(_, k)| !matches!(k, Col::RowNumber | Col::ClassName)).map(|(c, _)| *c).collect();
    let mut section = String::new();
    let mut footer_started = false;
    for row in table.header_last + 1..grid.end_row() {
        out.rows_read += 1;
        let (texts, others) = row_values(grid, row);
        let mapped_values = data_cols.iter().filter(|c| !grid.get(row, **c).is_empty()).count();
        // Class names hold digits ("khóa 2022-2024"), so the person test does not apply:
        // only the blank, group, total and footer tests of the returns are used.
        let view = RowView {
            other_values: texts.len() + others,
            texts,
            others,
            name: None,
            mapped_values,
            repeats_header: false,
        };
        let texts = &view.texts;
        match classify(&view, footer_started) {
            RowKind::Blank | RowKind::Total => out.rows_skipped += 1,
            RowKind::Footer => {
                footer_started = true;
                out.rows_skipped += 1;
            }
            RowKind::Group(_) => {
                section = texts.first().map(|t| (*t).to_owned()).unwrap_or_default();
                out.rows_skipped += 1;
            }
            RowKind::Person | RowKind::Reject(_) | RowKind::Skip(_)
                if mapped_values == 0 && texts.len() <= 1 && others == 0 =>
            {
                // One lone text (a note, a group label in lower case): not a class.
                section = texts.first().map(|t| (*t).to_owned()).unwrap_or_default();
                out.rows_skipped += 1;
            }
            RowKind::Person | RowKind::Reject(_) | RowKind::Skip(_) => out.classes.push(RawClass {
                source: source(file, grid, row),
                name: text(row, table.col(Col::ClassName)),
                class_type: text(row, table.col(Col::ClassType)),
                section: section.clone(),
                mode: text(row, table.col(Col::Mode)),
                opened: value(row, table.col(Col::Opened)),
                closed: value(row, table.col(Col::Closed)),
                learners: value(row, table.col(Col::Learners)),
                funding: text(row, table.col(Col::Funding)),
            }),
        }
    }
}

fn read_learners(grid: &SheetGrid, table: &Table, file: &FoundFile, out: &mut TrainingRead) {
    let name_col = table.col(Col::FullName).expect("a learners sheet has a name column");
    let text = |row: u32, c: Option<u32>| c.map(|c| grid.get(row, c).to_text()).unwrap_or_default();
    let mapped: Vec<u32> =
        table.columns.iter().filter(|(_, k)| !matches!(k, Col::RowNumber | Col::FullName)).map(|(c, _)| *c).collect();
    let mut footer_started = false;
    for row in table.header_last + 1..grid.end_row() {
        let (texts, others) = row_values(grid, row);
        let mapped_values = mapped.iter().filter(|c| !grid.get(row, **c).is_empty()).count();
        let name = grid.get(row, name_col);
        let other_values = (texts.len() + others).saturating_sub(usize::from(!name.is_empty()));
        let view = RowView {
            texts,
            others,
            name: Some(std::borrow::Cow::Borrowed(name)),
            mapped_values,
            other_values,
            repeats_header: false,
        };
        match classify(&view, footer_started) {
            RowKind::Footer => footer_started = true,
            RowKind::Person => out.learners.push(RawLearner {
                source: source(file, grid, row),
                full_name: name.to_text(),
                birth: table.col(Col::BirthDate).map(|c| grid.get(row, c).clone()).unwrap_or_default(),
                unit: text(row, table.col(Col::Unit)),
                class: text(row, table.col(Col::Class)),
            }),
            RowKind::Reject(reason) => out.issues.push(DataIssue {
                file_index: file.index,
                unit: None,
                file: file.rel_path.clone(),
                sheet: Some(grid.name.clone()),
                cell: Some(cell_address(row, name_col)),
                field: None,
                raw: name.to_text(),
                problem: format!("Bỏ dòng học viên: {reason}"),
                severity: Severity::Warning,
            }),
            RowKind::Blank | RowKind::Total | RowKind::Group(_) | RowKind::Skip(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_xlsxwriter::Workbook;

    use super::*;

    #[test]
    fn a_register_with_a_two_row_header_groups_totals_and_a_learners_sheet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("So theo doi lop.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Lớp").unwrap();
        let rows: &[&[&str]] = &[
            &["TRUNG TÂM BỒI DƯỠNG CHÍNH TRỊ HUYỆN HỮU LŨNG"],
            &["SỔ THEO DÕI CÁC LỚP"],
            &["TT", "Tên lớp", "Loại lớp", "Hình thức", "Thời gian", "", "Số học viên", "Kinh phí"],
            &["", "", "", "", "Khai giảng", "Bế giảng", "", ""],
            &["1", "2", "3", "4", "5", "6", "7", "8"],
            &["I. ĐÀO TẠO"],
            &[
                "1",
                "Lớp Trung cấp LLCT - HC khóa 2022-2024",
                "TC LLCT",
                "Không tập trung",
                "15/03/2022",
                "20/01/2024",
                "86",
                "ngân sách",
            ],
            &["2", "Lớp cập nhật kiến thức cấp ủy viên", "", "tập trung", "05/2023", "", "120", ""],
            &["", "Tổng cộng", "", "", "", "", "206", ""],
            &["", "", "", "", "Hữu Lũng, ngày 25 tháng 02 năm 2024"],
            &["", "NGƯỜI LẬP BIỂU"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    ws.write_string(r as u32, c as u16, *text).unwrap();
                }
            }
        }
        let ws = wb.add_worksheet().set_name("Học viên").unwrap();
        let rows: &[&[&str]] = &[
            &["STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Lớp"],
            &["1", "Nguyễn Văn Hùng", "12/05/1978", "Xã Sơn Hà", "Lớp Trung cấp LLCT - HC khóa 2022-2024"],
            &["2", "", "1980", "Xã Sơn Hà", "x"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    ws.write_string(r as u32, c as u16, *text).unwrap();
                }
            }
        }
        wb.save(&path).unwrap();
        let read = read_training(&path, &Limits::default()).unwrap();
        assert_eq!(read.classes.len(), 2, "{:?}", read.classes);
        let first = &read.classes[0];
        assert_eq!(first.name, "Lớp Trung cấp LLCT - HC khóa 2022-2024");
        assert_eq!(first.class_type, "TC LLCT");
        assert_eq!(first.mode, "Không tập trung");
        assert_eq!(first.opened, CellValue::Text("15/03/2022".into()));
        assert_eq!(first.closed, CellValue::Text("20/01/2024".into()));
        assert_eq!(first.learners, CellValue::Text("86".into()));
        assert_eq!(first.section, "I. ĐÀO TẠO");
        assert_eq!(first.source.row, 6);
        assert_eq!(read.classes[1].class_type, "");
        // Group, total, date line and signature: skipped and counted.
        assert_eq!((read.rows_read, read.rows_skipped), (6, 4));
        assert_eq!(read.learners.len(), 1);
        assert_eq!(read.learners[0].full_name, "Nguyễn Văn Hùng");
        assert_eq!(read.learners[0].unit, "Xã Sơn Hà");
        assert_eq!(read.issues.len(), 1);
        assert_eq!(read.issues[0].cell.as_deref(), Some("B3"));
    }

    #[test]
    fn an_unreadable_register_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lop.xlsx");
        std::fs::write(&path, b"<html>not a workbook</html>").unwrap();
        let err = read_training(&path, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("lop.xlsx"), "{err}");
    }
}
