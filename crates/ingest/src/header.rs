//! Finds the header of a roster table and maps its columns to fields.
//!
//! The header may sit below a title block, span two rows with merged group cells
//! ("Trình độ" over "LLCT | Chuyên môn"; "Ngày sinh" over "Nam | Nữ"), and be followed
//! by a row of column numbers. Header text is matched after folding (accents, case,
//! punctuation, line breaks), against a synonym table.

use tonghop_model::record::CellValue;
use tonghop_model::text::fold_words;
use tonghop_model::{Config, Field};

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

/// The field a header text names, if any. Remembered per thread and text: the header
/// search asks it for every cell of the first rows of every sheet, and a country's ten
/// thousand returns repeat the same few hundred header and title texts.
pub fn field_of(header: &str) -> Option<Field> {
    if header.len() > MAX_HEADER_CHARS * 4 {
        return None;
    }
    tonghop_model::memo::remembered!(Option<Field>, header, field_of_uncached)
}

fn field_of_uncached(header: &str) -> Option<Field> {
    let folded = fold_words(header);
    if folded.is_empty() {
        return None;
    }
    let candidates = [folded.as_str(), folded.strip_prefix("trinh do ").unwrap_or(&folded)];
    candidates.into_iter().find_map(|candidate| synonym_index().get(candidate).copied())
}

/// Every spelling of [`SYNONYMS`] → its field (the first field listing it), built once: the
/// header search asks it for every cell of the first rows of every sheet.
fn synonym_index() -> &'static std::collections::HashMap<&'static str, Field> {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<&'static str, Field>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = std::collections::HashMap::new();
        for (field, synonyms) in SYNONYMS {
            for synonym in *synonyms {
                index.entry(*synonym).or_insert(*field);
            }
        }
        index
    })
}

/// The field a header names: the configuration's extra synonyms first, then the built-in
/// table.
fn mapped(header: &str, config: &Config) -> Option<Field> {
    config.header_field(header).or_else(|| field_of(header))
}

/// Whether `label` is one value of `field`'s code list, so that a column headed by it
/// under a group headed by the field is a one-hot column ("SC | TC | CC | CN" under
/// "Lý luận chính trị", "Nam | Nữ" under "Giới tính").
fn is_option(field: Field, label: &str) -> bool {
    use tonghop_model::codes;
    if codes::means_none(label) && !matches!(fold_words(label).as_str(), "khong" | "chua") {
        return false;
    }
    match field {
        Field::PoliticalTheory => codes::parse_political_theory(label).is_some(),
        Field::Professional => codes::parse_professional(label).is_some(),
        Field::StateManagement => codes::parse_state_management(label).is_some(),
        Field::GeneralEducation => codes::parse_general_education(label).is_some(),
        Field::Gender => codes::parse_gender(label).is_some(),
        _ => false,
    }
}

/// What a column holds: a field, and for a one-hot column the value it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Absolute column.
    pub col: u32,
    /// The header as written (levels joined with " / ").
    pub header: String,
    /// The field.
    pub field: Field,
    /// For a one-hot column, the value a mark in it means.
    pub option: Option<String>,
}

/// The field of a column from its header levels, top to bottom: the lowest level decides
/// when it names a field or a value of its group's field; "Nam"/"Nữ" under a birth-date
/// group gives the gendered birth date.
fn column_role(levels: &[String], config: &Config) -> Option<(Field, Option<String>)> {
    let n = levels.len();
    let leaf = levels.last()?;
    if n >= 2 {
        let parent = &levels[n - 2];
        if let Some(parent_field) = mapped(parent, config) {
            if parent_field == Field::BirthDate {
                match fold_words(leaf).as_str() {
                    "nam" => return Some((Field::BirthDateMale, None)),
                    "nu" => return Some((Field::BirthDateFemale, None)),
                    _ => {}
                }
            }
            if mapped(leaf, config).is_none() && is_option(parent_field, leaf) {
                return Some((parent_field, Some(tonghop_model::text::clean(leaf))));
            }
        }
        if let Some(f) = mapped(leaf, config) {
            return Some((f, None));
        }
        return mapped(&format!("{parent} {leaf}"), config).map(|f| (f, None));
    }
    mapped(leaf, config).map(|f| (f, None))
}

/// A located header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// First header row (absolute, 0-based).
    pub first_row: u32,
    /// Last header row, including a column-number row under it.
    pub last_row: u32,
    /// The mapped columns, in order.
    pub columns: Vec<Column>,
    /// Header texts that map to nothing.
    pub unmapped: Vec<String>,
}

impl Header {
    /// The column of the first occurrence of `field`.
    pub fn column_of(&self, field: Field) -> Option<u32> {
        self.columns.iter().find(|c| c.field == field).map(|c| c.col)
    }
}

/// The text of a cell, with merged regions filled from their top-left cell.
fn header_text(grid: &SheetGrid, row: u32, col: u32) -> Option<String> {
    header_str(grid, row, col).map(str::to_owned)
}

/// [`header_text`] without a copy.
fn header_str(grid: &SheetGrid, row: u32, col: u32) -> Option<&str> {
    let value = match grid.get(row, col) {
        CellValue::Empty => grid
            .merges
            .iter()
            .find(|m| m.start.0 <= row && row <= m.end.0 && m.start.1 <= col && col <= m.end.1)
            .map_or(&CellValue::Empty, |m| grid.get(m.start.0, m.start.1)),
        v => v,
    };
    match value {
        CellValue::Text(s) => Some(s),
        _ => None,
    }
}

/// Whether a row holds column numbers (1, 2, 3... or "(1)", "(2)"...).
pub(crate) fn is_column_number_row(grid: &SheetGrid, row: u32) -> bool {
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

/// The header levels of every column for header rows `first..=last`: merged cells filled
/// from their top-left cell, a group label without merge information carried right over
/// the columns that have a label below it, repeated labels of a vertical merge kept once.
fn levels(grid: &SheetGrid, first: u32, last: u32) -> Vec<Vec<String>> {
    let (c0, end_col) = (grid.origin.1, grid.end_col());
    let mut out: Vec<Vec<String>> = vec![Vec::new(); (end_col - c0) as usize];
    for row in first..=last {
        let mut carried: Option<String> = None;
        for col in c0..end_col {
            let i = (col - c0) as usize;
            let text = header_text(grid, row, col);
            let below = (row + 1..=last).any(|r| header_text(grid, r, col).is_some());
            let text = match text {
                Some(t) => {
                    carried = Some(t.clone());
                    Some(t)
                }
                None if below && row < last => carried.clone(),
                None => {
                    carried = None;
                    None
                }
            };
            if let Some(t) = text
                && out[i].last() != Some(&t)
            {
                out[i].push(t);
            }
        }
    }
    out
}

/// Whether `row` continues the header whose levels so far are `above`: it names fields or
/// values of their groups, and holds nothing under the name column.
fn continues_header(grid: &SheetGrid, row: u32, above: &[Vec<String>], name_col: u32, config: &Config) -> bool {
    if row >= grid.end_row() || !grid.get(row, name_col).is_empty() {
        return false;
    }
    let c0 = grid.origin.1;
    let mut named = 0;
    for col in c0..grid.end_col() {
        let Some(text) = grid_text(grid, row, col) else { continue };
        let mut levels = above[(col - c0) as usize].clone();
        levels.push(text.clone());
        let deeper = column_role(&levels, config);
        let shallow = column_role(&above[(col - c0) as usize], config);
        if deeper.is_some() && deeper != shallow {
            named += 1;
        } else if fold_words(&text).split(' ').count() >= 3 {
            // A long text that names nothing is data, not a header.
            return false;
        }
    }
    named > 0
}

/// Finds the header: the first row, within [`HEADER_SEARCH_ROWS`], whose cells name a
/// full-name column and at least one other field; up to two rows under it join it when
/// they hold sub-headers, and a column-number row under it is part of it.
pub fn find_header(grid: &SheetGrid, config: &Config) -> Option<Header> {
    let (r0, c0) = grid.origin;
    let end_col = grid.end_col();
    let last_search = (r0 + HEADER_SEARCH_ROWS).min(grid.end_row());
    for row in r0..last_search {
        let single: Vec<Option<Field>> =
            (c0..end_col).map(|col| header_str(grid, row, col).and_then(|t| mapped(t, config))).collect();
        let distinct: std::collections::BTreeSet<Field> = single.iter().flatten().copied().collect();
        if !distinct.contains(&Field::FullName) || distinct.len() < 2 {
            continue;
        }
        let name_col = c0 + single.iter().position(|f| *f == Some(Field::FullName)).expect("has a name column") as u32;
        let mut last = row;
        while last < row + 2 && continues_header(grid, last + 1, &levels(grid, row, last), name_col, config) {
            last += 1;
        }
        let (mut columns, mut unmapped) = map_columns(grid, row, last, config);
        if !columns.iter().any(|c| c.field == Field::FullName) {
            // The rows below changed what the name column means: they are not header rows.
            last = row;
            (columns, unmapped) = map_columns(grid, row, last, config);
            if !columns.iter().any(|c| c.field == Field::FullName) {
                continue;
            }
        }
        if last + 1 < grid.end_row() && is_column_number_row(grid, last + 1) {
            last += 1;
        }
        return Some(Header { first_row: row, last_row: last, columns, unmapped });
    }
    None
}

/// The columns of header rows `first..=last`: mapped ones and the headers of the others.
fn map_columns(grid: &SheetGrid, first: u32, last: u32, config: &Config) -> (Vec<Column>, Vec<String>) {
    let mut columns = Vec::new();
    let mut unmapped = Vec::new();
    for (i, labels) in levels(grid, first, last).into_iter().enumerate() {
        if labels.is_empty() {
            continue;
        }
        let header = tonghop_model::text::clean(&labels.join(" / "));
        match column_role(&labels, config) {
            Some((field, option)) => columns.push(Column { col: grid.origin.1 + i as u32, header, field, option }),
            None => unmapped.push(header),
        }
    }
    (columns, unmapped)
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
        SheetGrid::new("S", rows.iter().map(|r| r.iter().map(|s| text(s)).collect()).collect())
    }

    #[test]
    fn remembered_header_fields_equal_fresh_ones_across_the_memo_restart() {
        let texts: Vec<String> = (0..tonghop_model::memo::REMEMBERED + 10)
            .map(|i| match i % 4 {
                0 => "Họ và tên".to_owned(),
                1 => format!("Trình độ lý luận chính trị {i}"),
                2 => "Ngày, tháng, năm sinh".to_owned(),
                _ => format!("Cột {i}"),
            })
            .collect();
        for text in texts.iter().chain(&texts) {
            assert_eq!(field_of(text), field_of_uncached(text), "{text}");
        }
        assert_eq!(field_of("Họ và tên"), Some(Field::FullName));
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
        let h = find_header(&g, &Config::default()).unwrap();
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
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 2));
        let fields: Vec<Field> = h.columns.iter().map(|c| c.field).collect();
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
        let h = find_header(&g, &Config::default()).unwrap();
        let fields: Vec<Field> = h.columns.iter().map(|c| c.field).collect();
        assert_eq!(fields, vec![Field::FullName, Field::BirthDateMale, Field::BirthDateFemale, Field::Ethnicity]);
    }

    #[test]
    fn one_hot_groups_and_three_header_rows() {
        let mut g = grid(&[
            &["STT", "Họ và tên", "Giới tính", "", "Trình độ", "", "", "", ""],
            &["", "", "Nam", "Nữ", "Chuyên môn", "Lý luận chính trị", "", "", ""],
            &["", "", "", "", "", "SC", "TC", "CC", "CN"],
            &["1", "Lò Văn A", "x", "", "ĐH", "", "x", "", ""],
        ]);
        g.merges = vec![Dimensions { start: (0, 4), end: (0, 8) }, Dimensions { start: (1, 5), end: (1, 8) }];
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 2));
        let roles: Vec<(Field, Option<&str>)> = h.columns.iter().map(|c| (c.field, c.option.as_deref())).collect();
        assert_eq!(
            roles,
            vec![
                (Field::RowNumber, None),
                (Field::FullName, None),
                (Field::Gender, Some("Nam")),
                (Field::Gender, Some("Nữ")),
                (Field::Professional, None),
                (Field::PoliticalTheory, Some("SC")),
                (Field::PoliticalTheory, Some("TC")),
                (Field::PoliticalTheory, Some("CC")),
                (Field::PoliticalTheory, Some("CN")),
            ]
        );
    }

    #[test]
    fn a_data_row_is_not_a_second_header_row() {
        let g = grid(&[&["Họ và tên", "LLCT"], &["Lò Văn A", "TC"]]);
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 0));
        assert_eq!(h.columns[1].option, None);
    }

    #[test]
    fn configured_synonyms_map_headers() {
        let g = grid(&[&["Tên cán bộ", "Trình độ chính trị hiện nay"], &["Lò Văn A", "TC"]]);
        assert!(find_header(&g, &Config::default()).is_none());
        let config = Config::from_toml_str(
            "[headers]\nfull_name = ['Tên cán bộ']\npolitical_theory = ['Trình độ chính trị hiện nay']",
            "c.toml",
        )
        .unwrap();
        let h = find_header(&g, &config).unwrap();
        assert_eq!(
            h.columns.iter().map(|c| c.field).collect::<Vec<_>>(),
            vec![Field::FullName, Field::PoliticalTheory]
        );
    }

    #[test]
    fn no_header_no_roster() {
        assert!(find_header(&grid(&[&["a", "b"], &["1", "2"]]), &Config::default()).is_none());
        assert!(find_header(&SheetGrid::default(), &Config::default()).is_none());
    }
}
