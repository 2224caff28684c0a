//! Finds the header of a roster table and maps its columns to fields.
//!
//! The header may sit below a title block, span two rows with merged group cells
//! ("Trình độ" over "LLCT | Chuyên môn"; "Ngày sinh" over "Nam | Nữ"), and be followed
//! by a row of column numbers. Header text is matched after folding (accents, case,
//! punctuation, line breaks), against a synonym table.

use tonghop_model::Field;
use tonghop_model::record::CellValue;
use tonghop_model::text::fold_words;

use crate::workbook::SheetGrid;

/// How many rows from the top a header is looked for in.
pub const HEADER_SEARCH_ROWS: u32 = 40;

/// Header spellings, folded into words (see [`fold_words`]).
const SYNONYMS: &[(Field, &[&str])] = &[
    (Field::RowNumber, &["stt", "tt", "so tt", "so thu tu", "thu tu"]),
    (Field::Unit, &["don vi", "ten don vi", "xa", "xa thi tran", "don vi cong tac", "co quan", "co quan don vi"]),
    (Field::FullName, &["ho va ten", "ho ten", "ho va ten khai sinh", "ho ten khai sinh", "ten", "ho va ten can bo"]),
    (
        Field::BirthDate,
        &[
            "ngay sinh",
            "ngay thang nam sinh",
            "nam sinh",
            "sinh ngay",
            "ngay thang nam",
            "ngay sinh thang sinh nam sinh",
        ],
    ),
    (Field::Gender, &["gioi tinh", "gt", "nam nu", "gioi"]),
    (Field::Ethnicity, &["dan toc", "dt"]),
    (Field::Religion, &["ton giao", "tg"]),
    (
        Field::NationalId,
        &[
            "so cccd",
            "cccd",
            "cmnd",
            "so cmnd",
            "so dinh danh",
            "so dinh danh ca nhan",
            "so cccd cmnd",
            "cccd cmnd",
            "so can cuoc",
        ],
    ),
    (Field::PartyMember, &["dang vien", "dv", "la dang vien"]),
    (Field::PartyJoinDate, &["ngay vao dang", "ngay ket nap dang", "ngay ket nap", "vao dang"]),
    (
        Field::Positions,
        &[
            "chuc vu",
            "chuc danh",
            "chuc vu dang",
            "chuc vu chinh quyen",
            "chuc vu hien nay",
            "chuc vu chuc danh",
            "chuc danh chuc vu",
            "chuc vu hien tai",
        ],
    ),
    (Field::Committee, &["cap uy", "tham gia cap uy", "duv", "cap uy vien", "la cap uy vien"]),
    (Field::Category, &["phan loai", "loai", "doi tuong", "phan loai can bo"]),
    (
        Field::GeneralEducation,
        &["gdpt", "van hoa", "giao duc pho thong", "trinh do van hoa", "trinh do gdpt", "pho thong"],
    ),
    (
        Field::Professional,
        &["chuyen mon", "cm", "cmnv", "chuyen mon nghiep vu", "trinh do chuyen mon", "trinh do cmnv"],
    ),
    (
        Field::PoliticalTheory,
        &[
            "llct",
            "ly luan chinh tri",
            "chinh tri",
            "trinh do llct",
            "trinh do ly luan chinh tri",
            "ly luan",
            "trinh do chinh tri",
        ],
    ),
    (Field::PoliticalTheoryStudying, &["dang hoc", "dang theo hoc", "dang hoc llct", "dang theo hoc llct"]),
    (Field::StateManagement, &["qlnn", "quan ly nha nuoc", "trinh do qlnn", "trinh do quan ly nha nuoc"]),
    (Field::It, &["tin hoc", "trinh do tin hoc"]),
    (Field::ForeignLanguage, &["ngoai ngu", "trinh do ngoai ngu"]),
    (Field::EthnicLanguage, &["tieng dan toc", "tieng dtts", "tieng dan toc thieu so"]),
    (Field::Planning, &["quy hoach", "dien quy hoach", "qh", "chuc danh quy hoach"]),
    (Field::Trainings, &["boi duong trong ky", "dao tao", "boi duong", "dao tao boi duong"]),
    (Field::Note, &["ghi chu", "gc"]),
];

/// Longest text taken for a header cell; longer cells are data, not headers.
const MAX_HEADER_CHARS: usize = 200;

/// The field a header text names, if any.
pub fn field_of(header: &str) -> Option<Field> {
    if header.len() > MAX_HEADER_CHARS * 4 {
        return None;
    }
    let folded = fold_words(header);
    if folded.is_empty() {
        return None;
    }
    let candidates = [folded.as_str(), folded.strip_prefix("trinh do ").unwrap_or(&folded)];
    for candidate in candidates {
        for (field, synonyms) in SYNONYMS {
            if synonyms.contains(&candidate) {
                return Some(*field);
            }
        }
    }
    None
}

/// The field of a column under a two-row header: the lower cell decides when it names a
/// field on its own; "Nam"/"Nữ" under a birth-date group gives the gendered birth date.
fn field_of_pair(top: Option<&str>, sub: Option<&str>) -> Option<Field> {
    match (top, sub) {
        (Some(top), Some(sub)) => {
            let top_field = field_of(top);
            if top_field == Some(Field::BirthDate) {
                match fold_words(sub).as_str() {
                    "nam" => return Some(Field::BirthDateMale),
                    "nu" => return Some(Field::BirthDateFemale),
                    _ => {}
                }
            }
            field_of(sub).or_else(|| field_of(&format!("{top} {sub}")))
        }
        (Some(only), None) | (None, Some(only)) => field_of(only),
        (None, None) => None,
    }
}

/// A located header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// First header row (absolute, 0-based).
    pub first_row: u32,
    /// Last header row, including a column-number row under it.
    pub last_row: u32,
    /// For each mapped column: (column, source header text, field).
    pub columns: Vec<(u32, String, Field)>,
    /// Header texts that map to nothing.
    pub unmapped: Vec<String>,
}

impl Header {
    /// The column of the first occurrence of `field`.
    pub fn column_of(&self, field: Field) -> Option<u32> {
        self.columns.iter().find(|(_, _, f)| *f == field).map(|(c, _, _)| *c)
    }
}

/// The text of a cell, with merged regions filled from their top-left cell.
fn header_text(grid: &SheetGrid, row: u32, col: u32) -> Option<String> {
    let value = match grid.get(row, col) {
        CellValue::Empty => grid
            .merges
            .iter()
            .find(|m| m.start.0 <= row && row <= m.end.0 && m.start.1 <= col && col <= m.end.1)
            .map_or(&CellValue::Empty, |m| grid.get(m.start.0, m.start.1)),
        v => v,
    };
    match value {
        CellValue::Text(s) => Some(s.clone()),
        _ => None,
    }
}

/// Whether a row holds column numbers (1, 2, 3... or "(1)", "(2)"...).
fn is_column_number_row(grid: &SheetGrid, row: u32) -> bool {
    let mut expected = 1.0;
    let mut seen = 0;
    for col in grid.origin.1..grid.end_col() {
        let n = match grid.get(row, col) {
            CellValue::Empty => continue,
            CellValue::Number(n) => *n,
            CellValue::Text(s) => match s.trim_matches(|c| c == '(' || c == ')').parse::<f64>() {
                Ok(n) => n,
                Err(_) => return false,
            },
            _ => return false,
        };
        if (n - expected).abs() > f64::EPSILON && n <= expected {
            return false;
        }
        expected = n + 1.0;
        seen += 1;
    }
    seen >= 3
}

/// Finds the header: the first row, within [`HEADER_SEARCH_ROWS`], whose cells name a
/// full-name column and at least one other field; the next row joins it when it holds
/// sub-headers, and a column-number row under it is part of it.
pub fn find_header(grid: &SheetGrid) -> Option<Header> {
    let (r0, c0) = grid.origin;
    let end_col = grid.end_col();
    let last_search = (r0 + HEADER_SEARCH_ROWS).min(grid.end_row());
    for row in r0..last_search {
        let single: Vec<Option<Field>> =
            (c0..end_col).map(|col| header_text(grid, row, col).and_then(|t| field_of(&t))).collect();
        let distinct: std::collections::BTreeSet<Field> = single.iter().flatten().copied().collect();
        if !distinct.contains(&Field::FullName) || distinct.len() < 2 {
            continue;
        }
        // A second header row: some of its cells are header words and none is a name.
        let sub = row + 1;
        let sub_texts: Vec<Option<String>> = (c0..end_col).map(|col| grid_text(grid, sub, col)).collect();
        let sub_is_header = sub < grid.end_row()
            && sub_texts
                .iter()
                .flatten()
                .any(|t| field_of(t).is_some() || matches!(fold_words(t).as_str(), "nam" | "nu"))
            && !sub_texts.iter().flatten().any(|t| fold_words(t).split(' ').count() >= 3 && field_of(t).is_none());
        let mut columns = Vec::new();
        let mut unmapped = Vec::new();
        let mut carried_top: Option<String> = None;
        for (i, col) in (c0..end_col).enumerate() {
            let top = header_text(grid, row, col);
            let sub_text = if sub_is_header { sub_texts[i].clone() } else { None };
            // Without merge information a group label sits in its first column only.
            let top = match (&top, &sub_text) {
                (Some(t), _) => {
                    carried_top = Some(t.clone());
                    top
                }
                (None, Some(_)) => carried_top.clone(),
                (None, None) => {
                    carried_top = None;
                    None
                }
            };
            let label = match (&top, &sub_text) {
                (Some(t), Some(s)) if t != s => format!("{t} / {s}"),
                (Some(t), _) => t.clone(),
                (None, Some(s)) => s.clone(),
                (None, None) => continue,
            };
            match field_of_pair(top.as_deref(), sub_text.as_deref()) {
                Some(field) => columns.push((col, tonghop_model::text::clean(&label), field)),
                None => unmapped.push(tonghop_model::text::clean(&label)),
            }
        }
        let mut last_row = if sub_is_header { sub } else { row };
        if last_row + 1 < grid.end_row() && is_column_number_row(grid, last_row + 1) {
            last_row += 1;
        }
        return Some(Header { first_row: row, last_row, columns, unmapped });
    }
    None
}

fn grid_text(grid: &SheetGrid, row: u32, col: u32) -> Option<String> {
    match grid.get(row, col) {
        CellValue::Text(s) => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Dimensions;

    fn text(s: &str) -> CellValue {
        if s.is_empty() { CellValue::Empty } else { CellValue::Text(s.to_owned()) }
    }

    fn grid(rows: &[&[&str]]) -> SheetGrid {
        SheetGrid {
            name: "S".into(),
            rows: rows.iter().map(|r| r.iter().map(|s| text(s)).collect()).collect(),
            ..SheetGrid::default()
        }
    }

    #[test]
    fn header_spellings() {
        for s in ["Họ và tên", "Họ tên", "HỌ VÀ TÊN", "Ho va ten", "Họ, tên", "Họ và\ntên "] {
            assert_eq!(field_of(s), Some(Field::FullName), "{s}");
        }
        for s in ["Trình độ LLCT", "Lý luận chính trị", "LLCT", "Chính trị"] {
            assert_eq!(field_of(s), Some(Field::PoliticalTheory), "{s}");
        }
        assert_eq!(field_of("Ngày, tháng, năm sinh"), Some(Field::BirthDate));
        assert_eq!(field_of("Số CCCD/CMND"), Some(Field::NationalId));
        assert_eq!(field_of("Sở thích"), None);
    }

    #[test]
    fn header_below_a_title_block() {
        let g = grid(&[
            &["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", ""],
            &["ĐẢNG BỘ XÃ SƠN HÀ", "", ""],
            &["", "", ""],
            &["STT", "Họ và tên", "Ngày sinh", "Sở thích"],
            &["1", "Nguyễn Văn A", "12/05/1978", "x"],
        ]);
        let h = find_header(&g).unwrap();
        assert_eq!((h.first_row, h.last_row), (3, 3));
        assert_eq!(h.column_of(Field::FullName), Some(1));
        assert_eq!(h.column_of(Field::BirthDate), Some(2));
        assert_eq!(h.unmapped, vec!["Sở thích".to_owned()]);
    }

    #[test]
    fn two_row_header_with_merged_groups_and_column_numbers() {
        let mut g = grid(&[
            &["STT", "Họ và tên", "Ngày, tháng, năm sinh", "", "Trình độ", ""],
            &["", "", "Nam", "Nữ", "LLCT", "Chuyên môn"],
            &["1", "2", "3", "4", "5", "6"],
            &["1", "Lò Thị B", "", "1980", "TC", "ĐH"],
        ]);
        g.merges = vec![
            Dimensions { start: (0, 2), end: (0, 3) },
            Dimensions { start: (0, 4), end: (0, 5) },
            Dimensions { start: (0, 0), end: (1, 0) },
            Dimensions { start: (0, 1), end: (1, 1) },
        ];
        let h = find_header(&g).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 2));
        let fields: Vec<Field> = h.columns.iter().map(|c| c.2).collect();
        assert_eq!(
            fields,
            vec![
                Field::RowNumber,
                Field::FullName,
                Field::BirthDateMale,
                Field::BirthDateFemale,
                Field::PoliticalTheory,
                Field::Professional
            ]
        );
    }

    #[test]
    fn group_label_carries_right_without_merge_information() {
        let g = grid(&[&["Họ và tên", "Ngày sinh", "", "Dân tộc"], &["", "Nam", "Nữ", ""]]);
        let h = find_header(&g).unwrap();
        let fields: Vec<Field> = h.columns.iter().map(|c| c.2).collect();
        assert_eq!(fields, vec![Field::FullName, Field::BirthDateMale, Field::BirthDateFemale, Field::Ethnicity]);
    }

    #[test]
    fn no_header_no_roster() {
        assert!(find_header(&grid(&[&["a", "b"], &["1", "2"]])).is_none());
        assert!(find_header(&SheetGrid::default()).is_none());
    }
}
