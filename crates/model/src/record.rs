//! Rows as read from returns, and the canonical official record built from them.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::codes::{
    Category, CommitteeLevel, Ethnicity, Field, Gender, GeneralEducation, PoliticalTheory, Position, Professional,
    StateManagement,
};
use crate::units::UnitId;

/// The spreadsheet name of a 0-based column ("A", "Z", "AA").
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// The A1 address of a 0-based (row, column).
pub fn cell_address(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// A cell value as the reader saw it, before any interpretation.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CellValue {
    /// Empty cell.
    #[default]
    Empty,
    /// Text (already NFC and trimmed).
    Text(String),
    /// A number (integers are numbers too).
    Number(f64),
    /// A cell formatted as a date.
    Date(NaiveDate),
    /// A boolean.
    Bool(bool),
    /// An error cell such as `#REF!`.
    Error(String),
}

impl CellValue {
    /// Whether the cell holds nothing (or only whitespace).
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Empty => true,
            // Asked of every cell again and again: text that starts with a visible ASCII
            // character (nearly all) is not empty, without decoding it.
            Self::Text(s) => match s.as_bytes().first() {
                None => true,
                Some(&b) if b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ') => false,
                Some(_) => s.trim().is_empty(),
            },
            _ => false,
        }
    }

    /// [`CellValue::to_text`], borrowed when the cell holds text (nearly always).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Text(s) => std::borrow::Cow::Borrowed(s),
            other => std::borrow::Cow::Owned(other.to_text()),
        }
    }

    /// The value as text, as a clerk would read it on screen. Whole numbers print without
    /// a decimal point, dates as dd/mm/yyyy.
    pub fn to_text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(s) => s.clone(),
            Self::Number(n) => format_number(*n),
            Self::Date(d) => d.format("%d/%m/%Y").to_string(),
            Self::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Self::Error(e) => e.clone(),
        }
    }
}

/// A number as text: whole numbers without ".0".
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// Where a row came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceRow {
    /// Index of the file in the run's file list (sorted by path).
    pub file_index: usize,
    /// Path relative to the returns folder (shared by every row of the file).
    pub file: std::sync::Arc<str>,
    /// Sheet name (shared by every row of the sheet).
    pub sheet: std::sync::Arc<str>,
    /// 0-based row in the sheet.
    pub row: u32,
}

impl fmt::Display for SourceRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} › {} › dòng {}", self.file, self.sheet, self.row + 1)
    }
}

/// One cell of a raw row, with its column.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    /// The field the column was mapped to.
    pub field: Field,
    /// 0-based column.
    pub col: u32,
    /// The value read.
    pub value: CellValue,
    /// For a one-hot column ("TC" under "Lý luận chính trị"), the value a mark means.
    pub option: Option<String>,
}

/// A row of a return that looks like a person, before normalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRecord {
    /// Where it came from.
    pub source: SourceRow,
    /// The unit it belongs to (from a unit column, or the file's unit).
    pub unit: UnitId,
    /// How the unit was decided.
    pub unit_found_by: crate::intake::UnitFoundBy,
    /// The category of the section it sits in ("I. CÁN BỘ" above it), if any.
    pub section: Option<Category>,
    /// The mapped cells, in column order; empty cells are kept so a column's presence is
    /// known.
    pub cells: Vec<RawCell>,
}

impl RawRecord {
    /// The cells mapped to `field`, in column order.
    pub fn cells_of(&self, field: Field) -> impl Iterator<Item = &RawCell> {
        self.cells.iter().filter(move |c| c.field == field)
    }

    /// Whether the return has a column for `field`.
    pub fn has(&self, field: Field) -> bool {
        self.cells.iter().any(|c| c.field == field)
    }

    /// The A1 address of a cell of this row.
    pub fn address(&self, col: u32) -> String {
        cell_address(self.source.row, col)
    }
}

/// A birth date with the precision it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BirthDate {
    /// Year.
    pub year: i32,
    /// Month, when known.
    pub month: Option<u32>,
    /// Day, when known (only with a month).
    pub day: Option<u32>,
}

impl BirthDate {
    /// A full date.
    pub fn full(date: NaiveDate) -> Self {
        Self { year: date.year(), month: Some(date.month()), day: Some(date.day()) }
    }

    /// Age in whole years on `on`. With only a year (or year and month), the missing parts
    /// are taken as the earliest possible, as the forms count by year of birth.
    pub fn age_on(self, on: NaiveDate) -> i32 {
        let mut age = on.year() - self.year;
        let (m, d) = (self.month.unwrap_or(1), self.day.unwrap_or(1));
        if (on.month(), on.day()) < (m, d) {
            age -= 1;
        }
        age
    }

    /// A date as clerks type it in a cell: "12/05/1978", "12-5-78", "12.05.1978",
    /// "1978-05-12", "05/1978", "1978" or "78" (a year of two digits is this century's up to
    /// `reference_year`'s, the last before), what is not known as zeros ("00/00/1971"), or in
    /// words ("ngày 05 tháng 3 năm 1980", "tháng 11/1983", "sinh năm 1975").
    pub fn from_text(s: &str, reference_year: i32) -> Option<Self> {
        // A date in words ("ngày 05 tháng 3 năm 1980", "tháng 11/1983", "năm 1975", "sinh năm
        // 1975"): the words go, the numbers stay in their order.
        let worded;
        let s = if s.chars().any(char::is_alphabetic) {
            // Lower case, not folded: "Nam" (a man) is no "năm" (year).
            let lower = s.to_lowercase();
            let mut numbers = Vec::new();
            for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                match word {
                    "ngày" | "tháng" | "năm" | "sinh" => {}
                    w if w.chars().all(|c| c.is_ascii_digit()) => numbers.push(w),
                    _ => return None,
                }
            }
            // A day needs its month: "ngày 5 năm 1980" is no May.
            if lower.contains("ngày") && numbers.len() < 3 {
                return None;
            }
            worded = numbers.join("/");
            worded.as_str()
        } else {
            s
        };
        let parts: Vec<&str> = s.trim().split(['/', '-', '.', ' ']).filter(|p| !p.is_empty()).collect();
        let num = |p: &str| p.parse::<u32>().ok();
        let year = |p: &str| -> Option<i32> {
            let y = p.parse::<i32>().ok()?;
            match p.len() {
                4 if (1900..=2100).contains(&y) => Some(y),
                2 => Some(if y > reference_year % 100 { 1900 + y } else { 2000 + y }),
                _ => None,
            }
        };
        match parts.as_slice() {
            // A year alone: four digits, or two ("88", "02"; not "00", a clerk's "none").
            [y] => Some(Self { year: year(y).filter(|_| y.len() == 4 || *y != "00")?, month: None, day: None }),
            // What is not known written as zeros ("00/00/1971", "00/05/1971", "00/1971"), as a
            // software export writes it: the year, or the month and year, of four digits.
            [d, m, y] if y.len() == 4 && num(d) == Some(0) => match num(m)? {
                0 => Some(Self { year: year(y)?, month: None, day: None }),
                month @ 1..=12 => Some(Self { year: year(y)?, month: Some(month), day: None }),
                _ => None,
            },
            [m, y] if y.len() == 4 && num(m) == Some(0) => Some(Self { year: year(y)?, month: None, day: None }),
            [m, y] => {
                let month = num(m).filter(|m| (1..=12).contains(m))?;
                Some(Self { year: year(y)?, month: Some(month), day: None })
            }
            // ISO order, as software exports write dates as text ("1975-03-09").
            [y, m, d] if y.len() == 4 && d.len() <= 2 => {
                let date = NaiveDate::from_ymd_opt(year(y)?, num(m)?, num(d)?)?;
                Some(Self::full(date))
            }
            [d, m, y] => {
                let date = NaiveDate::from_ymd_opt(year(y)?, num(m)?, num(d)?)?;
                Some(Self::full(date))
            }
            _ => None,
        }
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.day, self.month) {
            (Some(d), Some(m)) => write!(f, "{d:02}/{m:02}/{:04}", self.year),
            (None, Some(m)) => write!(f, "{m:02}/{:04}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

/// A national ID number: the 12-digit CCCD or the old 9-digit CMND.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NationalId(pub String);

impl NationalId {
    /// The number as the report shows it by default: its last four digits ("••••••••1275";
    /// three of an old 9-digit number), enough with the name to tell two people apart and
    /// find one in a return, not enough to use the number. (A CCCD's first six digits are
    /// the province, the gender and the birth year, which the same row shows: they would
    /// leave only two digits unknown.)
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let keep = if chars.len() >= 12 { 4 } else { 3 };
        if chars.len() <= keep {
            return "•".repeat(chars.len());
        }
        std::iter::repeat_n('•', chars.len() - keep).chain(chars[chars.len() - keep..].iter().copied()).collect()
    }

    /// Whether `text` is a number as [`NationalId::masked`] shows it.
    pub fn is_masked(text: &str) -> bool {
        text.contains('•')
    }

    /// An ID from a cell: digits only (spaces, dots and a leading apostrophe dropped); a
    /// number that lost its leading zero gets it back (11 → 12 digits, 8 → 9).
    pub fn from_cell(value: &CellValue) -> Option<Self> {
        let digits: String = match value {
            CellValue::Number(n) if n.fract() == 0.0 && *n >= 0.0 => format!("{}", *n as u64),
            CellValue::Text(s) => {
                let compact: String = s.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '\'').collect();
                if !compact.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                compact
            }
            _ => return None,
        };
        match digits.len() {
            12 | 9 => Some(Self(digits)),
            11 | 8 => Some(Self(format!("0{digits}"))),
            _ => None,
        }
    }

    /// Whether this is a 12-digit citizen ID (CCCD).
    pub fn is_cccd(&self) -> bool {
        self.0.len() == 12
    }
}

/// The canonical official: one person in one unit after deduplication.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Official {
    /// The unit the person is counted in.
    pub unit: Option<UnitId>,
    /// Name in NFC, each word capitalised.
    pub full_name: String,
    /// Birth date with its precision.
    pub birth_date: Option<BirthDate>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Ethnicity.
    pub ethnicity: Option<Ethnicity>,
    /// Religion, as text ("Không" is none).
    pub religion: Option<String>,
    /// National ID.
    pub national_id: Option<NationalId>,
    /// Party member.
    pub party_member: Option<bool>,
    /// Date of joining the party.
    pub party_join_date: Option<NaiveDate>,
    /// Canonical positions.
    pub positions: Vec<Position>,
    /// The positions as written.
    pub positions_text: String,
    /// Committee level.
    pub committee: Option<CommitteeLevel>,
    /// Category.
    pub category: Option<Category>,
    /// General education.
    pub general_education: Option<GeneralEducation>,
    /// Professional level.
    pub professional: Option<Professional>,
    /// Professional field, as written.
    pub professional_field: Option<String>,
    /// Political theory level.
    pub political_theory: Option<PoliticalTheory>,
    /// Political theory level being studied (`Some(None)`: known to study nothing).
    pub political_theory_studying: Option<PoliticalTheory>,
    /// State management level.
    pub state_management: Option<StateManagement>,
    /// IT skills, as written.
    pub it: Option<String>,
    /// Foreign language, as written.
    pub foreign_language: Option<String>,
    /// Ethnic language, as written.
    pub ethnic_language: Option<String>,
    /// Succession-planning entries: position and term, and the text as written.
    pub planning: Vec<crate::planning::PlanningEntry>,
    /// Training attended in the period, as written.
    pub trainings: Vec<String>,
    /// Every row the person was read from; the first is the one whose values won.
    pub sources: Vec<SourceRow>,
}

impl Official {
    /// Whether the person sits on the party committee (bí thư, phó bí thư, BTV, ĐUV).
    pub fn is_committee_member(&self) -> bool {
        self.committee.is_some_and(|c| c != CommitteeLevel::Khong)
    }

    /// Whether the person holds `position`.
    pub fn holds(&self, position: Position) -> bool {
        self.positions.contains(&position)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_masked_id_shows_its_first_and_last_digits_only() {
        assert_eq!(NationalId("020175000123".into()).masked(), "••••••••0123");
        assert_eq!(NationalId("012345678".into()).masked(), "••••••678");
        assert!(NationalId::is_masked("••••••••0123"));
        assert!(!NationalId::is_masked("020175000123"));
    }

    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16383), "XFD");
        assert_eq!(cell_address(11, 3), "D12");
    }

    #[test]
    fn ages_respect_birthdays_and_precision() {
        let on = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let full = BirthDate::full(NaiveDate::from_ymd_opt(1978, 5, 12).unwrap());
        assert_eq!(full.age_on(on), 45);
        let year_only = BirthDate { year: 1978, month: None, day: None };
        assert_eq!(year_only.age_on(on), 46);
        assert_eq!(full.to_string(), "12/05/1978");
        assert_eq!(BirthDate { year: 1978, month: Some(5), day: None }.to_string(), "05/1978");
    }

    #[test]
    fn numbers_print_like_a_clerk_reads_them() {
        assert_eq!(CellValue::Number(1978.0).to_text(), "1978");
        assert_eq!(CellValue::Number(1.5).to_text(), "1.5");
        assert!(CellValue::Text("  ".into()).is_empty());
    }

    #[test]
    fn a_text_is_empty_when_it_is_all_whitespace() {
        // Every ASCII character and some others, alone, doubled and around a letter.
        for c in (0..0x80_u8).map(char::from).chain(['\u{a0}', '\u{85}', '\u{2003}', '\u{3000}', 'Đ', 'ễ']) {
            for text in [format!("{c}"), format!("{c}{c}"), format!("{c}a"), format!("a{c}")] {
                let empty = CellValue::Text(text.clone()).is_empty();
                assert_eq!(empty, text.chars().all(char::is_whitespace), "{text:?}");
            }
        }
        assert!(CellValue::Text(String::new()).is_empty());
        assert!(CellValue::Empty.is_empty());
        assert!(!CellValue::Number(0.0).is_empty());
    }
}
