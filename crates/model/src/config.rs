//! Mapping overrides (`--config FILE`, TOML): extra header synonyms, extra value
//! spellings, and file-name patterns pinned to units. Every key is checked, so a typo is
//! an error that names it, never a silently ignored line.
//!
//! ```toml
//! [headers]
//! full_name = ["Tên cán bộ"]
//! political_theory = ["Trình độ chính trị hiện nay"]
//!
//! [values.political_theory]
//! trung_cap = ["TC-LLCT hệ tại chức"]
//!
//! [values.positions]
//! bi_thu = ["BTĐU"]
//!
//! [[pin]]
//! pattern = "Son Ha/*.xlsx"
//! unit = "06454"
//!
//! # A commune's layout, corrected once and kept month after month
//! # (`tonghop check FILE --emit-config` prints what was understood, ready to edit).
//! [[layout]]
//! pattern = "Son Ha/*.xlsx"
//! sheet = "DS"              # optional: this sheet only
//! header_rows = [5, 7]      # 1-based first and last header rows
//! skip_rows = [30]          # rows that are not people
//! [layout.columns]
//! B = "full_name"           # by letter...
//! "Chức vụ Đảng" = "positions"  # ...or by header text; "ignore" drops a column
//!
//! [[layout]]
//! pattern = "Son Ha/*.xlsx"
//! sheet = "Hướng dẫn"
//! ignore = true             # not a return
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::codes::{
    Category, CommitteeLevel, Field, Gender, GeneralEducation, PoliticalTheory, Position, Professional, StateManagement,
};
use crate::text::fold;

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tệp cấu hình {origin}: {message}")]
pub struct ConfigError {
    /// Where it came from.
    pub origin: String,
    /// What is wrong, naming the key.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    headers: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pin: Vec<RawPin>,
    #[serde(default)]
    layout: Vec<RawLayout>,
    #[serde(default)]
    document: Option<Document>,
}

/// How the report signs and whom it goes to (`[document]`): the signer's lines as the
/// Board's rules say ("T/M BAN TỔ CHỨC" / "TRƯỞNG BAN", or "KT. TRƯỞNG BAN" / "PHÓ TRƯỞNG
/// BAN"), the signer's name, and the recipients.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// On whose behalf: "T/M BAN TỔ CHỨC".
    #[serde(default = "Document::default_on_behalf")]
    pub signer_on_behalf: String,
    /// The signer's post: "TRƯỞNG BAN".
    #[serde(default = "Document::default_title")]
    pub signer_title: String,
    /// The signer's name, printed under the space for the signature.
    #[serde(default)]
    pub signer_name: String,
    /// "Nơi nhận", one line each; empty: the committee's standing members and the Board's
    /// archive.
    #[serde(default)]
    pub recipients: Vec<String>,
}

impl Document {
    fn default_on_behalf() -> String {
        "T/M BAN TỔ CHỨC".to_owned()
    }

    fn default_title() -> String {
        "TRƯỞNG BAN".to_owned()
    }
}

impl Default for Document {
    fn default() -> Self {
        Self {
            signer_on_behalf: Self::default_on_behalf(),
            signer_title: Self::default_title(),
            signer_name: String::new(),
            recipients: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    pattern: String,
    sheet: Option<String>,
    #[serde(default)]
    ignore: bool,
    header_rows: Option<[u32; 2]>,
    #[serde(default)]
    skip_rows: Vec<u32>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPin {
    pattern: String,
    unit: String,
}

/// A file-name pattern pinned to a unit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// Shell-style pattern over the path relative to the returns folder (`*`, `?`, `[ ]`).
    pub pattern: String,
    /// The unit code.
    pub unit: String,
}

/// Where a layout correction's column is: a letter, or a header text (the column's own
/// label or its whole path, folded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    /// 0-based column.
    Letter(u32),
    /// A header text, folded into words.
    Header(String),
}

/// A clerk's correction of how the files matching a pattern are read: a commune keeps its
/// layout month after month, so one correction serves every month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Shell-style pattern over the path relative to the returns folder.
    pub pattern: String,
    /// The sheet it applies to; every sheet when `None`.
    pub sheet: Option<String>,
    /// The sheet (or the file's sheets) is not a return.
    pub ignore: bool,
    /// 1-based first and last header rows.
    pub header_rows: Option<(u32, u32)>,
    /// 1-based rows that are not people.
    pub skip_rows: Vec<u32>,
    /// Columns, their fields (`None`: not used) and, for a one-hot or date-part column,
    /// its option ("TC", "ngày"), written `"political_theory:TC"`.
    pub columns: Vec<(ColumnRef, Option<Field>, Option<String>)>,
}

/// The 0-based column of a spreadsheet column name ("A", "AB"); `None` when it is not one.
pub fn column_index(name: &str) -> Option<u32> {
    if name.is_empty() || name.len() > 3 || !name.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let n = name.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    (n <= 16_384).then(|| n - 1)
}

/// Validated overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Extra header spellings, folded, per field.
    pub headers: Vec<(String, Field)>,
    /// Extra value spellings, folded, per field: (field, folded spelling, value key).
    pub values: Vec<(Field, String, String)>,
    /// Pins, in file order.
    pub pins: Vec<Pin>,
    /// Layout corrections, in file order.
    pub layouts: Vec<Layout>,
    /// How the report signs and whom it goes to.
    pub document: Document,
}

/// The fields a header synonym may name.
const HEADER_FIELDS: &[Field] = &[
    Field::RowNumber,
    Field::Unit,
    Field::FullName,
    Field::FamilyName,
    Field::GivenName,
    Field::BirthDate,
    Field::BirthDateMale,
    Field::BirthDateFemale,
    Field::Gender,
    Field::Ethnicity,
    Field::Religion,
    Field::NationalId,
    Field::PartyMember,
    Field::PartyJoinDate,
    Field::Positions,
    Field::Committee,
    Field::Category,
    Field::GeneralEducation,
    Field::Professional,
    Field::ProfessionalField,
    Field::PoliticalTheory,
    Field::PoliticalTheoryStudying,
    Field::StateManagement,
    Field::It,
    Field::ForeignLanguage,
    Field::EthnicLanguage,
    Field::Planning,
    Field::Trainings,
    Field::Note,
];

/// The value keys of a coded field.
fn value_keys(field: Field) -> Option<Vec<&'static str>> {
    Some(match field {
        Field::PoliticalTheory | Field::PoliticalTheoryStudying => {
            PoliticalTheory::ALL.iter().map(|v| v.key()).collect()
        }
        Field::Professional => Professional::ALL.iter().map(|v| v.key()).collect(),
        Field::GeneralEducation => GeneralEducation::ALL.iter().map(|v| v.key()).collect(),
        Field::StateManagement => StateManagement::ALL.iter().map(|v| v.key()).collect(),
        Field::Gender => Gender::ALL.iter().map(|v| v.key()).collect(),
        Field::Committee => CommitteeLevel::ALL.iter().map(|v| v.key()).collect(),
        Field::Category => Category::ALL.iter().map(|v| v.key()).collect(),
        Field::Positions => Position::ALL.iter().map(|v| v.key()).collect(),
        _ => return None,
    })
}

/// Names as a list the clerk reads as names: each between quotes.
fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
}

/// The fields a header or a column may name.
fn field_keys() -> String {
    quoted(HEADER_FIELDS.iter().map(|f| f.key()))
}

/// The line and column (from 1, in characters) of a TOML error, if it has a place.
pub(crate) fn toml_position(text: &str, e: &toml::de::Error) -> Option<(usize, usize)> {
    let span = e.span()?;
    // The error's byte offset, moved back to the start of its character.
    let start = (0..=span.start.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let before = &text[..start];
    Some((before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1))
}

/// A TOML or schema error said in Vietnamese, with its line and column; the parser's own
/// English words go to the engineers' log.
pub(crate) fn toml_error(text: &str, e: &toml::de::Error) -> String {
    tracing::debug!("config: {}", e.message());
    let at = toml_position(text, e).map(|(line, column)| format!(" ở dòng {line}, cột {column}")).unwrap_or_default();
    let message = e.message();
    // serde's words: "unknown field `x`, expected one of `a`, `b`", "missing field `x`".
    let named = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?;
        let name = rest.split('`').nth(1)?;
        let expected: Vec<&str> =
            rest.split("expected").nth(1).map_or_else(Vec::new, |list| list.split('`').skip(1).step_by(2).collect());
        Some((name.to_owned(), expected))
    };
    // What may be written instead, when serde says.
    let known = |expected: Vec<&str>| {
        if expected.is_empty() { String::new() } else { format!("; dùng được: {}", quoted(expected.into_iter())) }
    };
    if let Some((name, expected)) = named("unknown field") {
        format!("khóa '{name}'{at} không dùng được ở đây{}", known(expected))
    } else if let Some((name, expected)) = named("unknown variant") {
        format!("giá trị '{name}'{at} không dùng được{}", known(expected))
    } else if let Some((name, _)) = named("missing field") {
        format!("thiếu khóa '{name}'{at}")
    } else if message.starts_with("invalid length") {
        let wanted = message.rsplit("length ").next().filter(|n| n.chars().all(|c| c.is_ascii_digit()));
        match wanted {
            Some(n) => format!("giá trị{at} cần đúng {n} phần tử"),
            None => format!("giá trị{at} có số phần tử không đúng"),
        }
    } else if message.starts_with("invalid value") {
        format!("giá trị{at} nằm ngoài khoảng cho phép (ví dụ số âm hay quá lớn)")
    } else if message.starts_with("invalid type") {
        format!("giá trị{at} sai kiểu (ví dụ cần danh sách [\"…\"] hay số mà ghi chữ)")
    } else {
        format!("sai cú pháp TOML{at}")
    }
}

fn field_by_key(key: &str) -> Option<Field> {
    HEADER_FIELDS.iter().copied().find(|f| f.key() == key)
}

impl Config {
    /// Parses and checks a configuration; `origin` names it in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, ConfigError> {
        let err = |message: String| ConfigError { origin: origin.to_owned(), message };
        let raw: RawConfig = toml::from_str(text).map_err(|e| err(toml_error(text, &e)))?;
        let mut config = Self::default();
        for (key, spellings) in raw.headers {
            let field = field_by_key(&key).ok_or_else(|| {
                err(format!("[headers]: '{key}' không phải tên trường; các trường: {}", field_keys()))
            })?;
            for s in spellings {
                config.headers.push((crate::text::fold_words(&s), field));
            }
        }
        for (key, values) in raw.values {
            let field = field_by_key(&key).ok_or_else(|| {
                err(format!("[values.{key}]: '{key}' không phải tên trường; các trường: {}", field_keys()))
            })?;
            let keys =
                value_keys(field).ok_or_else(|| err(format!("[values.{key}]: trường '{key}' không có danh mục mã")))?;
            for (value, spellings) in values {
                if !keys.contains(&value.as_str()) {
                    return Err(err(format!(
                        "[values.{key}]: '{value}' không phải mã của trường này; các mã: {}",
                        quoted(keys.iter().copied())
                    )));
                }
                for s in spellings {
                    config.values.push((field, fold(&s), value.clone()));
                }
            }
        }
        for pin in raw.pin {
            glob::Pattern::new(&pin.pattern).map_err(|e| {
                err(format!("[[pin]]: mẫu đường dẫn '{}' không hợp lệ (ở ký tự {})", pin.pattern, e.pos + 1))
            })?;
            config.pins.push(Pin { pattern: pin.pattern, unit: pin.unit });
        }
        for (i, raw) in raw.layout.into_iter().enumerate() {
            config.layouts.push(layout(raw, i + 1).map_err(err)?);
        }
        config.document = raw.document.unwrap_or_default();
        Ok(config)
    }

    /// The layout correction for a sheet of the file at `rel_path`: the first whose pattern
    /// matches and whose sheet is this one (or any).
    pub fn layout_for(&self, rel_path: &str, sheet: &str) -> Option<&Layout> {
        if self.layouts.is_empty() {
            return None;
        }
        self.layouts
            .iter()
            .find(|l| matches_layout(&l.pattern, rel_path) && l.sheet.as_deref().is_none_or(|s| s == sheet))
    }

    /// The field an extra header synonym names.
    pub fn header_field(&self, header: &str) -> Option<Field> {
        if self.headers.is_empty() {
            return None;
        }
        let folded = crate::text::fold_words(header);
        self.headers.iter().find(|(s, _)| *s == folded).map(|(_, f)| *f)
    }

    /// The value key an extra spelling gives for `field`.
    pub fn value_key(&self, field: Field, raw: &str) -> Option<&str> {
        // Asked for every coded cell of every row: no folding when there is nothing to find.
        if self.values.is_empty() {
            return None;
        }
        let folded = fold(raw);
        self.values.iter().find(|(f, s, _)| *f == field && *s == folded).map(|(_, _, k)| k.as_str())
    }

    /// The unit code pinned for a path relative to the returns folder, if any.
    pub fn pinned_unit(&self, rel_path: &str) -> Option<&str> {
        self.pins.iter().find(|p| matches_path(&p.pattern, rel_path, false)).map(|p| p.unit.as_str())
    }
}

/// Whether a layout's pattern matches a relative path: `*` within one folder, `**` across
/// folders ("Son Ha/*" is the files of that folder, not of its subfolders, whose layouts
/// may differ).
pub fn matches_layout(pattern: &str, rel_path: &str) -> bool {
    matches_path(pattern, rel_path, true)
}

/// Whether a shell-style pattern matches a relative path, case-insensitively; `*` crosses
/// folders unless `within_folder`.
fn matches_path(pattern: &str, rel_path: &str, within_folder: bool) -> bool {
    let options = glob::MatchOptions {
        case_sensitive: false,
        require_literal_separator: within_folder,
        require_literal_leading_dot: false,
    };
    glob::Pattern::new(pattern).is_ok_and(|g| g.matches_with(rel_path, options))
}

/// Checks one `[[layout]]` (the `n`th): a valid pattern, rows in order, known fields.
fn layout(raw: RawLayout, n: usize) -> Result<Layout, String> {
    let here = format!("[[layout]] thứ {n} ('{}')", raw.pattern);
    glob::Pattern::new(&raw.pattern)
        .map_err(|e| format!("{here}: mẫu đường dẫn không hợp lệ (ở ký tự {})", e.pos + 1))?;
    // A sheet has at most 1,048,576 rows.
    const MAX_ROW: u32 = 1_048_576;
    let header_rows = match raw.header_rows {
        Some([first, last]) if first >= 1 && first <= last && last <= MAX_ROW => Some((first, last)),
        Some([first, last]) => {
            return Err(format!(
                "{here}: header_rows = [{first}, {last}] phải là hai số dòng từ 1 đến {MAX_ROW}, số đầu không lớn hơn số sau"
            ));
        }
        None => None,
    };
    if let Some(row) = raw.skip_rows.iter().find(|r| **r == 0 || **r > MAX_ROW) {
        return Err(format!("{here}: skip_rows có dòng {row}; các dòng đánh số từ 1 đến {MAX_ROW}"));
    }
    let mut columns = Vec::new();
    for (key, field) in raw.columns {
        let at = match column_index(&key) {
            Some(col) => ColumnRef::Letter(col),
            None if key.chars().all(|c| c.is_ascii_alphabetic()) && key.len() <= 3 => {
                return Err(format!("{here}: cột '{key}' không phải chữ cột (từ A đến XFD, viết hoa)"));
            }
            None => ColumnRef::Header(crate::text::fold_words(&key)),
        };
        let (field, option) = match field.split_once(':') {
            Some((f, o)) if !o.trim().is_empty() => (f.to_owned(), Some(o.trim().to_owned())),
            _ => (field, None),
        };
        let field = match field.as_str() {
            "ignore" => None,
            key_name => Some(field_by_key(key_name).ok_or_else(|| {
                format!("{here}: cột '{key}' ghi trường '{key_name}' không có; các trường: 'ignore', {}", field_keys())
            })?),
        };
        columns.push((at, field, option));
    }
    Ok(Layout {
        pattern: raw.pattern,
        sheet: raw.sheet,
        ignore: raw.ignore,
        header_rows,
        skip_rows: raw.skip_rows,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[headers]
full_name = ["Tên cán bộ"]

[values.political_theory]
trung_cap = ["TC-LLCT hệ tại chức"]

[values.positions]
bi_thu = ["BTĐU"]

[[pin]]
pattern = "Son Ha/*.xlsx"
unit = "06454"
"#;

    #[test]
    fn parses_and_answers() {
        let c = Config::from_toml_str(EXAMPLE, "c.toml").unwrap();
        assert_eq!(c.header_field("TÊN CÁN BỘ"), Some(Field::FullName));
        assert_eq!(c.value_key(Field::PoliticalTheory, "tc-llct hệ tại chức"), Some("trung_cap"));
        assert_eq!(c.value_key(Field::Positions, "BTĐU"), Some("bi_thu"));
        assert_eq!(c.pinned_unit("son ha/BC thang 2.xlsx"), Some("06454"));
        assert_eq!(c.pinned_unit("Cai Kinh/BC.xlsx"), None);
    }

    #[test]
    fn layout_corrections_are_read_and_found_by_path_and_sheet() {
        let c = Config::from_toml_str(
            "[[layout]]\npattern = 'Son Ha/*'\nsheet = 'DS'\nheader_rows = [5, 6]\nskip_rows = [9]\n\
             [layout.columns]\nB = 'full_name'\nAB = 'ignore'\n'Chức vụ Đảng' = 'positions'\nI = 'political_theory:TC'\n\
             [[layout]]\npattern = 'Son Ha/*'\nignore = true\n",
            "c.toml",
        )
        .unwrap();
        let ds = c.layout_for("Son Ha/thang 2.xlsx", "DS").unwrap();
        assert_eq!(ds.header_rows, Some((5, 6)));
        assert_eq!(ds.skip_rows, vec![9]);
        assert!(ds.columns.contains(&(ColumnRef::Letter(1), Some(Field::FullName), None)));
        assert!(ds.columns.contains(&(ColumnRef::Letter(27), None, None)));
        assert!(ds.columns.contains(&(ColumnRef::Header("chuc vu dang".to_owned()), Some(Field::Positions), None)));
        assert!(ds.columns.contains(&(ColumnRef::Letter(8), Some(Field::PoliticalTheory), Some("TC".to_owned()))));
        assert!(c.layout_for("Son Ha/sub/x.xlsx", "DS").is_none(), "* stays within its folder");
        assert!(c.layout_for("son ha/x.xls", "Sheet2").unwrap().ignore);
        assert!(c.layout_for("Cai Kinh/x.xlsx", "DS").is_none());
        assert_eq!(column_index("A"), Some(0));
        assert_eq!(column_index("XFD"), Some(16_383));
        assert_eq!(column_index("XFE"), None);
    }

    #[test]
    fn unknown_keys_are_errors_that_name_them() {
        for (text, needle) in [
            ("[headres]\nx = []", "headres"),
            ("[headers]\nfull_nam = ['x']", "full_nam"),
            ("[values.political_theory]\ntrung = ['x']", "trung"),
            ("[values.full_name]\nx = ['y']", "không có danh mục mã"),
            ("[[pin]]\npattern = '[x'\nunit = '1'", "không hợp lệ"),
            ("[[pin]]\npatern = 'x'\nunit = '1'", "patern"),
            ("[[layout]]\npattern = 'x'\nheader_row = [1, 2]", "header_row"),
            ("[[layout]]\npattern = 'x'\nheader_rows = [3, 2]", "header_rows"),
            ("[[layout]]\npattern = 'x'\n[layout.columns]\nB = 'full_nam'", "full_nam"),
            ("[[layout]]\npattern = 'x'\n[layout.columns]\nb = 'full_name'", "'b' không phải chữ cột"),
            ("[headers]\nfull_name = 'x'", "dòng 2"),
            ("[headers\n", "sai cú pháp TOML ở dòng 1"),
            ("[[layout]]\npattern = 'x'\nheader_rows = [1]", "cần đúng 2 phần tử"),
            ("[[layout]]\npattern = 'x'\nheader_rows = [-1, 2]", "ngoài khoảng"),
            ("# Hữu Lũng\n[headers]\nx = 'ừ'", "dòng 3"),
            ("[[layout]]\npattern = 'x'\nskip_rows = [0]", "skip_rows"),
            ("[[layout]]\npattern = 'x'\nheader_rows = [4000000000, 4000000000]", "header_rows"),
        ] {
            let err = Config::from_toml_str(text, "c.toml").unwrap_err().to_string();
            assert!(err.contains(needle) && err.contains("c.toml"), "{err}");
        }
    }
}
