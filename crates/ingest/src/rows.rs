//! Sorts the rows under a header into people, rejects and skipped rows.
//!
//! Every row below the header ends in exactly one bucket, so that
//! `read = accepted + rejected + skipped` holds for each sheet and file. Skipped rows are
//! blank rows, section rows ("I. CÁN BỘ", which also set the category of the rows below),
//! total rows ("Tổng cộng") and the footer (from "Người lập biểu", "T/M ĐẢNG ỦY" or the
//! date line down to the end of the sheet, signatures included).

use std::collections::BTreeSet;

use tonghop_model::codes::{Category, parse_category};
use tonghop_model::intake::{ColumnRule, FileIntake, FileStatus, RowCounts, SheetIntake, UnitFoundBy};
use tonghop_model::record::{BirthDate, CellValue, RawCell, RawRecord, SourceRow, cell_address};
use tonghop_model::text::fold_words;
use tonghop_model::units::{UnitId, UnitMatch};
use tonghop_model::{Config, DataIssue, Field, Severity};

use crate::discover::FoundFile;
use crate::header::{Column, Header, find_header, find_header_from, is_column_number_row};
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
    /// Not data: a numbered empty row, a template placeholder, a stray cell, a repeated
    /// sub-header; the kind, in Vietnamese.
    Skip(&'static str),
    /// A person.
    Person,
    /// Looks like data but cannot be a person; the reason, in Vietnamese.
    Reject(String),
}

impl RowKind {
    /// The kind of a skipped row, as the intake counts it; `None` for people and rejects.
    pub fn skipped_kind(&self) -> Option<&'static str> {
        Some(match self {
            Self::Blank => "dòng trống",
            Self::Group(_) => "dòng tiêu đề mục",
            Self::Total => "dòng tổng",
            Self::Footer => "chân trang, chữ ký",
            Self::Skip(kind) => kind,
            Self::Person | Self::Reject(_) => return None,
        })
    }
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

/// Whether a cell's folded text starts a total row: "Tổng cộng", "Cộng:", "Tổng số", or
/// "Tổng" followed by nothing or numbers.
/// Whether a row's first text begins a total ("Tổng cộng", "Cộng:", "Cộng A", "Tổng số",
/// "Tong cong", "Tổng 3"). Words are read with their marks where they have them: "Công
/// chức", "Công an", "Cộng tác viên" fold as "Cộng" does and "Tống Văn A" as "Tổng", and none
/// is a total. A category's or a level's label alone over counts ("Công chức | 8 | 4",
/// "Đại học | 7") is a subtotal ([`is_tally_label`]).
fn is_total_start(text: &str, with_counts: bool) -> bool {
    let lower = text.trim().to_lowercase();
    // Cells are composed when read (`workbook::text_value`).
    let mut words = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    let (Some(first), second) = (words.next(), words.next()) else { return false };
    // What follows a total's word: nothing, a count, a section's letter or number ("A",
    // "ii"), or "cộng" / "số".
    let follows_total = |w: Option<&str>| {
        w.is_none_or(|w| {
            w.chars().all(|c| c.is_ascii_digit())
                || w.chars().count() == 1
                || (w.len() <= 4 && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
                || matches!(fold_words(w).as_str(), "cong" | "so")
        })
    };
    match first {
        "tổng" => true,
        "cộng" => !second.is_some_and(|s| matches!(s, "tác" | "đồng" | "hòa" | "hoà" | "sản")),
        // Typed without marks.
        "tong" | "cong" => follows_total(second),
        // A slip in the marks of "tổng" ("Tỗng cộng"); a name ("Tống Văn A") is no total.
        f if fold_words(f) == "tong" => second.is_some_and(|s| matches!(fold_words(s).as_str(), "cong" | "so")),
        _ => with_counts && lower.split_whitespace().count() <= 4 && is_tally_label(text),
    }
}

/// A label that heads a count, not a person: a category ("Công chức"), a gender, a level
/// ("Đại học", "Trung cấp", "Chuyên viên chính") or a group ("Dân tộc thiểu số", "Đảng
/// viên"), as the tally under a list writes them beside their counts.
fn is_tally_label(text: &str) -> bool {
    use tonghop_model::codes;
    const GROUPS: &[&str] = &["dan toc thieu so", "dtts", "dang vien", "nu", "nam", "nam nu"];
    let folded = fold_words(text.trim_end_matches(':'));
    codes::parse_category(text).is_some()
        || GROUPS.contains(&folded.as_str())
        || codes::parse_gender(text).is_some()
        || codes::parse_professional(text).is_some()
        || codes::parse_political_theory(text).is_some()
        || codes::parse_state_management(text).is_some()
}

fn is_roman_section(text: &str) -> bool {
    let t = text.trim();
    let head: String = t.chars().take_while(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'i' | 'v' | 'x')).collect();
    !head.is_empty() && t[head.len()..].starts_with(['.', ')', ' ', '-'])
}

/// A block of the political system heading its people ("Khối Đảng", "Khối chính quyền",
/// "Khối Mặt trận, đoàn thể"): a section whatever its case, never a post.
fn is_block_section(text: &str) -> bool {
    let folded = fold_words(text);
    folded.split_whitespace().next() == Some("khoi") && folded.split_whitespace().count() >= 2
}

/// A section's number alone in its cell: "I", "II.", "A", "1.", "a)".
fn is_section_number(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', ')']);
    !t.is_empty()
        && t.len() <= 4
        && (t.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
            || (t.len() == 1 && t.chars().all(|c| c.is_ascii_uppercase())))
}

/// A cell holding a code its column's legend explains ("Giới tính (1: Nam; 2: Nữ)"), as
/// the value the code stands for; any other cell as it is.
fn by_legend(value: CellValue, legend: &[(String, String)]) -> CellValue {
    // An empty cell is no code, even where "0" is one ("0: Chưa qua đào tạo").
    if legend.is_empty() || value.is_empty() {
        return value;
    }
    let code = value.to_text().trim().to_lowercase();
    if let Some((_, meaning)) = legend.iter().find(|(k, _)| same_code(k, &code)) {
        return CellValue::Text(meaning.clone());
    }
    // Several codes in one cell ("01, 03", "02+05"): each one's meaning.
    let codes: Vec<&str> = code.split([',', '+', ';', '/', ' ']).map(str::trim).filter(|c| !c.is_empty()).collect();
    let meanings: Option<Vec<&str>> =
        codes.iter().map(|c| legend.iter().find(|(k, _)| same_code(k, c)).map(|(_, m)| m.as_str())).collect();
    match meanings {
        Some(meanings) if codes.len() > 1 => CellValue::Text(meanings.join("; ")),
        _ => value,
    }
}

/// Whether two codes of a legend are one: a number typed as a number lost its zeros ("6" is
/// "06").
pub(crate) fn same_code(a: &str, b: &str) -> bool {
    a == b || (!a.is_empty() && a.trim_start_matches('0') == b.trim_start_matches('0'))
}

/// A legend of codes written under a table ("(*) Mã chức danh:" then "01 - Bí thư Đảng ủy",
/// "02 - Phó Bí thư Đảng ủy", … in one or more columns): each code with its meaning, when
/// there are at least three, from the rows under its caption whose `name_col` names no one
/// (a person's own cells, "02 - Tày", are no legend).
fn legend_below(grid: &SheetGrid, first_data: u32, name_col: u32) -> Vec<(String, String)> {
    // The legend starts under its caption ("(*) Mã chức danh:"): numbered notes or sections
    // elsewhere under the table ("1. Số liệu tính đến…") are no codes of posts.
    let caption = (first_data..grid.end_row()).find(|&r| {
        (grid.origin.1..grid.end_col()).any(|c| {
            matches!(grid.get(r, c), CellValue::Text(t) if t.len() < 120 && {
                let folded = fold_words(t);
                ["ma chuc danh", "ma chuc vu"].iter().any(|w| tonghop_model::text::find_words(&folded, w).is_some())
            })
        })
    });
    let Some(caption) = caption else { return Vec::new() };
    let mut legend: Vec<(String, String)> = Vec::new();
    for row in caption + 1..grid.end_row() {
        if matches!(grid.get(row, name_col), CellValue::Text(t) if is_name_like(t)) {
            continue;
        }
        for col in grid.origin.1..grid.end_col() {
            let CellValue::Text(t) = grid.get(row, col) else { continue };
            let t = t.trim();
            let digits = t.chars().take_while(char::is_ascii_digit).count();
            if !(1..=3).contains(&digits) {
                continue;
            }
            let rest = t[digits..].trim_start();
            let Some(meaning) = rest.strip_prefix(['-', '–', ':', '.', ')']).map(str::trim) else { continue };
            if !meaning.is_empty() && meaning.chars().any(char::is_alphabetic) {
                legend.push((t[..digits].to_owned(), meaning.to_owned()));
            }
        }
    }
    // A code said twice with two meanings (another legend beside it, "01 - Kinh"): none is
    // believed, and the codes stay as written (said as posts not recognised).
    let ambiguous =
        legend.iter().enumerate().any(|(i, x)| legend[i + 1..].iter().any(|y| same_code(&x.0, &y.0) && x.1 != y.1));
    if legend.len() >= 3 && !ambiguous { legend } else { Vec::new() }
}

/// The fields whose text may run on over rows under a person: positions, notes, pool
/// entries, trainings, fields of study.
const RUN_ON: [Field; 5] = [Field::Positions, Field::Note, Field::Planning, Field::Trainings, Field::ProfessionalField];

/// Whether a text reads as a person's name: two to seven words of letters, each
/// capitalised (or the whole name in capitals).
pub fn is_name_like(text: &str) -> bool {
    let mut words = 0;
    for w in text.split_whitespace() {
        words += 1;
        if words > 7 || !w.chars().next().is_some_and(char::is_uppercase) || !w.chars().all(char::is_alphabetic) {
            return false;
        }
    }
    words >= 2
}

/// A template placeholder: "{S}", "{PhieuNhanLuong.HO_TEN}".
fn is_placeholder(text: &str) -> bool {
    // Asked of every text cell: the first visible character decides nearly always.
    if text.bytes().find(|b| !b.is_ascii_whitespace()) != Some(b'{') {
        return false;
    }
    let t = text.trim();
    t.ends_with('}') && t.len() >= 3
}

/// The mark a template puts before its example row, where the number would be: "VD",
/// "Ví dụ:", "(VD)".
fn is_example_mark(text: &str) -> bool {
    // Asked of every row's first text: long cells are no mark.
    text.len() <= 16
        && text.trim_start_matches(|c: char| !c.is_alphanumeric()).starts_with(['V', 'v'])
        && matches!(fold_words(text).as_str(), "vd" | "vi du")
}

/// What a row holds, as the classifier sees it.
#[derive(Debug, Clone, Default)]
pub struct RowView<'a> {
    /// The non-empty text cells of the whole row.
    pub texts: Vec<&'a str>,
    /// How many other non-empty cells (numbers, dates) it has.
    pub others: usize,
    /// The name: the full-name cell, or the split name's parts joined.
    pub name: Option<std::borrow::Cow<'a, CellValue>>,
    /// Mapped cells other than name, row number and unit that hold something.
    pub mapped_values: usize,
    /// Non-empty cells other than the name's and the row number's.
    pub other_values: usize,
    /// Whether every text repeats a label of the header (a repeated sub-header row).
    pub repeats_header: bool,
}

/// Classifies one row.
// Long on purpose: the row rules in their order of precedence, read top to bottom.
pub fn classify(row: &RowView<'_>, footer_started: bool) -> RowKind {
    let texts = &row.texts;
    let others = row.others;
    let name = row.name.as_deref();
    let mapped_values = row.mapped_values;
    if texts.is_empty() && others == 0 {
        return RowKind::Blank;
    }
    if footer_started {
        return RowKind::Footer;
    }
    if texts.iter().any(|t| is_placeholder(t)) && texts.iter().filter(|t| is_placeholder(t)).count() * 2 >= texts.len()
    {
        return RowKind::Skip("dòng mẫu (ô {…})");
    }
    if texts.first().is_some_and(|t| is_example_mark(t)) {
        return RowKind::Skip("dòng ví dụ của mẫu");
    }
    // A label alone over counts, in a tally under the list ("Đại học | 7", "Nữ | 4"): the
    // row of a person has more text than a name.
    let is_count = |t: &str| t.trim().chars().all(|c| c.is_ascii_digit());
    let mut worded = texts.iter().filter(|t| !is_count(t));
    if let (Some(label), None) = (worded.next(), worded.next())
        && matches!(name, Some(CellValue::Text(n)) if n == label)
        && others + texts.iter().filter(|t| is_count(t)).count() > 0
        && label.chars().count() <= 40
        && is_tally_label(label)
    {
        return RowKind::Skip(TALLY);
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
            && is_total_start(first, others > 0)
        {
            return RowKind::Total;
        }
    }
    if row.repeats_header && texts.len() >= 2 && others == 0 {
        return RowKind::Skip("dòng tiêu đề lặp lại");
    }
    let name_text = match name {
        Some(CellValue::Text(s)) if !s.trim().is_empty() => Some(s.as_str()),
        _ => None,
    };
    // A section or signature row holds one text (maybe repeated over merged cells), or a
    // section number and one text ("I | Nghiệp vụ").
    if others == 0 && mapped_values <= 1 && !texts.is_empty() {
        let numbered = texts.len() == 2 && is_section_number(texts[0]);
        if texts.iter().all(|t| *t == texts[0]) || numbered {
            let only = texts[texts.len() - 1];
            let category = parse_category(only);
            if category.is_some() || is_roman_section(only) || (numbered && !is_name_like(only)) {
                return RowKind::Group(category);
            }
            let is_upper = only.chars().any(char::is_alphabetic) && !only.chars().any(char::is_lowercase);
            if is_upper && SIGNATURE_TITLES.contains(&fold_words(only).as_str()) {
                return RowKind::Footer;
            }
            if is_upper && name_text.is_none() {
                return RowKind::Group(None);
            }
            // One text in the name column that is no name: a section ("Lãnh đạo Chi cục").
            if name_text == Some(only) && texts.len() == 1 && !is_name_like(only) {
                return RowKind::Group(None);
            }
        }
    }
    let Some(name_text) = name_text else {
        return match name {
            Some(CellValue::Empty) | None => {
                if row.other_values == 0 {
                    RowKind::Skip("dòng chỉ có số thứ tự")
                } else if row.other_values == 1 && texts.len() + others <= 1 {
                    // A page's number, left in the sheet by a PDF made back into one.
                    let number = texts.first().is_some_and(|t| {
                        let t = t.trim();
                        (1..=3).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit())
                    });
                    RowKind::Skip(if number || (texts.is_empty() && others == 1) {
                        PAGE_NUMBER
                    } else {
                        "ô lẻ ngoài danh sách"
                    })
                } else {
                    RowKind::Reject("thiếu họ tên".to_owned())
                }
            }
            Some(CellValue::Text(_)) => RowKind::Reject("thiếu họ tên".to_owned()),
            Some(other) => RowKind::Reject(format!("họ tên không phải chữ ({})", other.to_text())),
        };
    };
    if name_text.chars().any(|c| c.is_ascii_digit()) || !name_text.chars().any(char::is_alphabetic) {
        return RowKind::Reject("họ tên không hợp lệ".to_owned());
    }
    // A post nobody holds ("Khuyết", "Chưa bố trí"), in a list by post.
    if is_vacancy(name_text) {
        return RowKind::Skip("chức danh còn khuyết");
    }
    // A form's trial answer, or a template's ("test", "Thử nghiệm").
    if is_trial_entry(name_text) {
        return RowKind::Skip("dòng nhập thử");
    }
    // A label with its colon ("Ngày sinh:", "Trình độ chuyên môn:"): a form's, not a name.
    if name_text.trim_end().ends_with(':') {
        return RowKind::Reject(format!("\"{}\" là nhãn của một phiếu, không phải họ tên", name_text.trim()));
    }
    // The longest Vietnamese names are some forty letters; a cell of hundreds is not one.
    if name_text.chars().count() > MAX_NAME_CHARS {
        return RowKind::Reject(format!("họ tên dài quá {MAX_NAME_CHARS} ký tự"));
    }
    if mapped_values == 0 && row.other_values == 0 {
        return RowKind::Reject("chỉ có họ tên, không có thông tin nào khác".to_owned());
    }
    RowKind::Person
}

/// Whether a name cell holds a trial entry, not a person: "test", "Thử", "Thử nghiệm",
/// "Kiểm tra", "demo" (an online form's first answer, sent by the office to try it).
fn is_trial_entry(text: &str) -> bool {
    const TRIAL: &[&str] = &["test", "testing", "thu", "nhap thu", "thu nghiem", "kiem tra", "demo", "abc", "xxx"];
    // Asked of every person's name: only a short one is folded.
    text.len() <= 16 && TRIAL.contains(&fold_words(text.trim()).as_str())
}

/// Whether a name cell says the post is vacant: "Khuyết", "Còn khuyết", "Chưa bố trí",
/// "Chưa có", "Trống".
fn is_vacancy(text: &str) -> bool {
    // Words that begin a longer note too ("Khuyết (chờ bầu bổ sung)"), and words that are
    // the whole cell ("Trống" folds as the name "Trọng" does).
    const BEGIN: &[&str] = &["khuyet", "con khuyet", "dang khuyet", "chua bo tri", "chua kien toan", "chua bau"];
    const WHOLE: &[&str] = &["chua co", "trong"];
    // Asked of every person's name: only a first word that begins one of them is folded.
    let first: String = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .filter_map(tonghop_model::text::fold_char)
        .filter(|c| c.is_alphanumeric())
        .collect();
    if text.len() > 80 || !matches!(first.as_str(), "khuyet" | "con" | "dang" | "chua" | "trong") {
        return false;
    }
    let folded = fold_words(text.trim_matches(|c: char| !c.is_alphanumeric()));
    WHOLE.contains(&folded.as_str()) || BEGIN.iter().any(|v| starts_with_word(&folded, v))
}

/// Why a row with a level's, a gender's or a group's label in the name's column beside counts
/// is skipped: a tally under the list ("Đại học | 7", "Nữ | 4").
const TALLY: &str = "dòng thống kê dưới danh sách";

/// Why a row holding one number alone is skipped: a page's number.
const PAGE_NUMBER: &str = "một số đứng riêng (như số trang)";

/// Longest text read as a person's name.
const MAX_NAME_CHARS: usize = 80;

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
    // A unit's code ("06430", "HL-PNV"), as software exports write it; a commune's code
    // typed as a number has lost its leading zero (6430).
    let t = text.trim();
    let code = if (4..=5).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit()) {
        format!("{t:0>5}")
    } else {
        t.to_owned()
    };
    // A code is one word (a name has several): only those are looked up among the codes.
    let looks_like_code = !code.is_empty() && code.len() <= 12 && !code.contains(char::is_whitespace);
    let found = match looks_like_code.then(|| ctx.registry.find_code(&code, ctx.period)).flatten() {
        Some(id) => UnitMatch::Found(id),
        None => ctx.matcher().match_text(text),
    };
    cache.insert(text.to_owned(), found.clone());
    found
}

/// Reads every sheet of a parsed workbook.
pub fn read_book(file: &FoundFile, mut book: Book, ctx: &IngestContext<'_>) -> FileRead {
    let mut intake = FileIntake::being_read(file.rel_path.clone(), file.size, book.sha256.clone());
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let mut units = BTreeSet::new();
    // The units the sheets themselves belong to (title, sheet name, file or folder name).
    let mut own_units = BTreeSet::new();
    // What the file's name and folders say, worked out once when a sheet needs it.
    let mut path_decision: Option<Decision> = None;
    let merged_ranges = book.merged_ranges.take();
    // What the first sheet titled as a list of other people lists.
    let mut others_listed: Option<&'static str> = None;
    // The code lists beside the return ("Danh mục"), for columns of codes.
    let code_lists = crate::codelists::code_lists(&book.sheets, &ctx.config);
    for grid in &mut book.sheets {
        // Past the people a file may list it is refused whole (see `finish`): the rest of
        // its sheets are not read.
        if records.len() > ctx.limits.max_rows {
            break;
        }
        let mut sheet = SheetIntake { name: grid.name.clone(), ..SheetIntake::default() };
        // How many of the sheet's warnings were made issues (a turned table's, above a table).
        let mut warned = 0;
        if grid.hidden {
            sheet.ignored_because = Some("trang tính ẩn".to_owned());
            intake.sheets.push(sheet);
            continue;
        }
        // A sheet of forms, a form per person, unless the configuration or the sheet's name
        // says how (or whether) to read it.
        let layout = ctx.config.layout_for(&file.rel_path, &grid.name);
        let forms = (layout.is_none() && instruction_sheet(&grid.name).is_none())
            .then(|| {
                forms_per_person(grid, &ctx.config).map(|forms| (forms, FormsLaid::OnePerBlock)).or_else(|| {
                    people_across(grid, &ctx.config).map(|(forms, col, block)| (forms, FormsLaid::Across(col, block)))
                })
            })
            .flatten();
        if let Some((forms, laid)) = forms {
            let title = texts_of_rows(grid, grid.origin.0..forms[0].first_row);
            if let Some(reason) = others_on_sheet(&grid.name, &title) {
                ignore_as_others(&mut sheet, reason, &mut others_listed);
                intake.sheets.push(sheet);
                continue;
            }
            let decision = sheet_unit(&title, grid, file, ctx, &mut path_decision, &mut intake, &mut sheet);
            let mut counts = RowCounts { read: forms.len(), ..RowCounts::default() };
            match decision {
                Decision::Found(unit, unit_found_by) => {
                    records.extend(form_records(&forms, file, grid, unit, unit_found_by));
                    counts.accepted = forms.len();
                    units.insert(unit);
                    intake.own_unit.get_or_insert(unit);
                    own_units.insert(unit);
                    sheet.warnings.push(match laid {
                        FormsLaid::OnePerBlock => format!(
                            "Trang gồm {} phiếu, mỗi phiếu một người: đọc theo nhãn của từng phiếu (\"Họ và tên:\", \"Ngày sinh:\"…); kiểm tra lại",
                            forms.len()
                        ),
                        FormsLaid::Across(col, _) => format!(
                            "Bảng xoay ngang, mỗi cột một người ({} người): đọc theo nhãn ở cột {}; kiểm tra lại",
                            forms.len(),
                            tonghop_model::record::column_name(col)
                        ),
                    });
                }
                Decision::Unclear(_) => {
                    // As a table's rows without a unit are: each form refused, and said.
                    counts.rejected = forms.len();
                    for form in &forms {
                        let name = form.cells.iter().find(|c| c.field == Field::FullName);
                        issues.push(DataIssue {
                            file_index: file.index,
                            unit: None,
                            file: file.rel_path.clone(),
                            sheet: Some(grid.name.clone()),
                            cell: Some(cell_address(form.first_row, name.map_or(grid.origin.1, |c| c.col))),
                            field: Some(Field::FullName),
                            raw: name.map(|c| c.value.to_text()).unwrap_or_default(),
                            problem: "Bỏ phiếu: không xác định được đơn vị của tệp".to_owned(),
                            severity: Severity::Error,
                        });
                    }
                }
            }
            issues.extend(warnings_as_issues(&sheet, file, &decision));
            sheet.counts = counts;
            intake.counts.add(counts);
            // A table of one person a row under the turned one (the leaders turned, then the
            // civil servants listed): read too, as if the turned rows were not there.
            // Not a list of others under its own title; the turned rows are taken out, the
            // title above them stays (it names the unit of both).
            let table_below = match &laid {
                FormsLaid::Across(_, block) => {
                    let below = block.end() + 1;
                    crate::header::find_header_from(grid, below, &ctx.config).is_some_and(|h| {
                        let title = texts_of_rows(grid, below..h.first_row);
                        list_of_others(&title).is_none() && !titled_as_changes(grid, h.first_row)
                    }) && {
                        for r in block.clone() {
                            for c in grid.origin.1..grid.end_col() {
                                grid.take(r, c);
                            }
                        }
                        true
                    }
                }
                FormsLaid::OnePerBlock => false,
            };
            if !table_below {
                intake.sheets.push(sheet);
                continue;
            }
            // The sheet's record goes on with the table's columns and counts; its warnings
            // so far are issues already.
            warned = sheet.warnings.len();
        }
        let Some((header, as_found)) = sheet_header(grid, file, ctx, merged_ranges.as_ref(), &mut sheet) else {
            intake.sheets.push(sheet);
            continue;
        };
        let title = title_text(grid, &header);
        if let Some(reason) = others_on_sheet(&grid.name, &title) {
            ignore_as_others(&mut sheet, reason, &mut others_listed);
            intake.sheets.push(sheet);
            continue;
        }
        let merged_down = fill_merged_down(grid, &header, merged_ranges.as_ref());
        // Posts written as codes, explained under the table.
        let mut header = header;
        // Only a column of codes is looked up: one of its first rows begins with a digit (a
        // quarter of a million rows in one sheet are not searched for a legend they do not need).
        let first_data = header.last_row + 1;
        if let Some(name_col) = header.column_of(Field::FullName)
            && let Some(posts) =
                header.columns.iter_mut().find(|c| c.field == Some(Field::Positions) && c.legend.is_empty())
            && (first_data..grid.end_row().min(first_data + 50)).any(|r| match grid.get(r, posts.col) {
                CellValue::Number(_) => true,
                CellValue::Text(t) => t.trim_start().starts_with(|c: char| c.is_ascii_digit()),
                _ => false,
            })
        {
            posts.legend = legend_below(grid, first_data, name_col);
        }
        // Labels abbreviated to a few letters ("NS", "CV", "LL") that no spelling reads, and a
        // legend under the table saying them ("NS: Ngày tháng năm sinh; CV: Chức vụ").
        if let Some(said) = labels_by_legend(grid, &mut header, &ctx.config) {
            sheet.warnings.push(said);
        }
        // Columns read by their contents: codes a code list explains, training in words.
        sheet.warnings.extend(columns_by_code_lists(grid, &mut header, &code_lists));
        sheet.warnings.extend(qualifications_column(grid, &mut header));
        sheet.header_rows = Some((header.first_row + 1, header.last_row + 1));
        sheet.columns.clone_from(&header.columns);
        sheet.columns.extend(header.second_line.iter().chain(&header.third_line).cloned());
        let decision = sheet_unit(&title, grid, file, ctx, &mut path_decision, &mut intake, &mut sheet);
        let register = party_register(grid, &title, &header);
        if let Some(why) = register {
            sheet.warnings.push(format!("Danh sách đảng viên ({why}): mọi người được tính là đảng viên"));
        }
        let party_register = register.is_some();
        let skip_rows: Vec<u32> = layout.map(|l| l.skip_rows.iter().map(|r| r - 1).collect()).unwrap_or_default();
        // The same table printed twice or more side by side: each copy is read as a table
        // of its own, under the one title and unit.
        let crate::header::SideBySide { copies, other_list } = header.side_by_side(grid);
        if let Some((from, group)) = other_list {
            // Another list beside the table (the month's leavers, relatives): not read.
            header.columns.retain(|c| c.col < from);
            header.second_line.retain(|c| c.col < from);
            header.third_line.retain(|c| c.col < from);
            for c in sheet.columns.iter_mut().filter(|c| c.col >= from) {
                c.field = None;
                c.option = None;
                c.rule = tonghop_model::intake::ColumnRule::Unused;
            }
            sheet.warnings.push(format!(
                "Từ cột {} là danh sách khác đặt cạnh bảng (\"{group}\"): không đọc; kiểm tra lại",
                tonghop_model::record::column_name(from)
            ));
        }
        let mut right_parts: Vec<SheetGrid> = copies.iter().rev().map(|&at| grid.split_off_columns(at)).collect();
        right_parts.reverse();
        if !copies.is_empty() {
            let starts: Vec<String> = copies.iter().map(|&c| tonghop_model::record::column_name(c)).collect();
            sheet.warnings.push(format!(
                "Trang có {} bảng giống nhau đặt cạnh nhau (bảng sau bắt đầu ở cột {}): đọc lần lượt từng bảng; kiểm tra lại",
                copies.len() + 1,
                starts.join(", ")
            ));
        }
        let mut counts = RowCounts::default();
        let mut listing = false;
        let parts = std::iter::once(grid).chain(right_parts.iter_mut());
        for (i, part) in parts.enumerate() {
            let from = if i == 0 { 0 } else { copies[i - 1] };
            let to = copies.get(i).copied().unwrap_or(u32::MAX);
            let mut part_header = header.clone();
            part_header.columns.retain(|c| (from..to).contains(&c.col));
            part_header.second_line.retain(|c| (from..to).contains(&c.col));
            part_header.third_line.retain(|c| (from..to).contains(&c.col));
            let mut sheet_read = SheetRead {
                listing: false,
                file,
                grid: part,
                header: part_header,
                as_found: as_found.iter().copied().filter(|(c, _)| (from..to).contains(c)).collect(),
                name_or_number: Vec::new(),
                status_columns: Vec::new(),
                number_col: None,
                party_register,
                skip_rows: skip_rows.clone(),
                decision: &decision,
                ctx,
            };
            sheet_read.roles_of_columns();
            counts.add(sheet_read.read_rows(&mut records, &mut issues, &mut units, &mut intake, &mut sheet));
            listing |= sheet_read.listing;
        }
        // A sheet whose unit column names other units on most rows, in a file known only by
        // its name or folder, is a list of several units, not that unit's return.
        if let Decision::Found(id, _) = &decision
            && !listing
        {
            intake.own_unit.get_or_insert(*id);
            own_units.insert(*id);
        }
        issues.extend(warnings_as_issues(&sheet, file, &decision).into_iter().skip(warned));
        if merged_down > 0 {
            // Said, not doubted: the clerk sees where a value stands for several people.
            let problem = format!(
                "{merged_down} ô trống nằm trong ô gộp dọc qua nhiều người: mỗi người được tính giá trị của ô gộp"
            );
            issues.push(sheet_issue(&sheet, file, &decision, problem, Severity::Info));
        }
        sheet.counts.add(counts);
        intake.counts.add(counts);
        intake.sheets.push(sheet);
    }
    // A return whose every row was rejected, an empty template, or one whose rows all name
    // other units, is still its unit's: the unit sent something, and is told what became
    // of it.
    units.extend(own_units);
    let error = finish_intake(&mut intake, units, &book, others_listed, file, ctx, &mut issues);
    // A hostile file can raise a problem per cell: they are bounded while the file's
    // worker still holds them, not after a month of them is gathered.
    tonghop_model::issue::bound_per_file(&mut issues);
    FileRead { intake, records, issues, error, modified: file.modified, workbook_modified: book.modified.clone() }
}

/// The header of a sheet to read as a roster, or `None` with why the sheet is not read
/// (hidden sheets aside): ignored by the configuration, no header, an instructions sheet, no
/// name column. A column that looks like a field but was not read is a warning.
fn sheet_header(
    grid: &mut SheetGrid,
    file: &FoundFile,
    ctx: &IngestContext<'_>,
    merged_ranges: Option<&crate::workbook::MergedRanges>,
    sheet: &mut SheetIntake,
) -> Option<(crate::header::Header, Vec<(u32, Field)>)> {
    let layout = ctx.config.layout_for(&file.rel_path, &grid.name);
    if layout.is_some_and(|l| l.ignore) {
        sheet.ignored_because = Some("bỏ qua theo cấu hình".to_owned());
        return None;
    }
    let found = match layout.and_then(|l| l.header_rows) {
        Some((first, last)) => {
            if let Some(ranges) = merged_ranges {
                grid.merges = ranges.of(grid);
            }
            Some(crate::header::header_at(grid, first - 1, last - 1, &ctx.config))
        }
        None => header_of(grid, merged_ranges, &ctx.config),
    };
    let Some(mut header) = found else {
        sheet.ignored_because = Some(not_a_roster_reason(&grid.name).to_owned());
        return None;
    };
    if layout.is_none_or(|l| l.header_rows.is_none())
        && let Some(reason) = instruction_sheet(&grid.name)
    {
        sheet.ignored_because = Some(reason.to_owned());
        return None;
    }
    let as_found = mapping(&header);
    match layout {
        Some(l) => crate::header::apply_layout(&mut header, l),
        None => {
            if let Some(warning) = realign(grid, &mut header) {
                sheet.warnings.push(warning);
            }
        }
    }
    if header.column_of(Field::FullName).is_none()
        && header.column_of(Field::FamilyName).is_none()
        && header.column_of(Field::GivenName).is_none()
    {
        sheet.ignored_because = Some("cấu hình không chỉ ra cột Họ và tên".to_owned());
        return None;
    }
    // A column whose label holds a field's words but that no rule used may be a field
    // misread: said where the clerk looks, not only in `check`.
    for c in header.columns.iter().filter(|c| c.rule == tonghop_model::intake::ColumnRule::LooksLikeField) {
        sheet.warnings.push(format!(
            "Cột {} (\"{}\") giống một trường nhưng không được đọc; kiểm tra hoặc chỉ rõ trong cấu hình",
            tonghop_model::record::column_name(c.col),
            c.header
        ));
    }
    Some((header, as_found))
}

/// The sheet's unit, from its title or name, else the file's name or folder; a title that
/// names another unit than the file's name or folder is a warning.
fn sheet_unit(
    title: &str,
    grid: &SheetGrid,
    file: &FoundFile,
    ctx: &IngestContext<'_>,
    path_decision: &mut Option<Decision>,
    intake: &mut FileIntake,
    sheet: &mut SheetIntake,
) -> Decision {
    let decision = unit::for_sheet(title, &grid.name, file, ctx);
    // The title (or sheet name) against the file's name and folder: when both name a
    // unit and they differ, the title wins, as the spec orders, but not silently.
    if let Decision::Found(id, UnitFoundBy::Title | UnitFoundBy::SheetName) = &decision
        && let Decision::Found(by_path, _) = path_decision.get_or_insert_with(|| unit::from_path(file, ctx))
        && by_path != id
        // A folder still named after a commune merged since (into the title's unit, or
        // gone in the period) is no conflict.
        && ctx.registry.unit(*by_path).is_valid_on(ctx.period.last_day())
    {
        intake.path_unit = Some(*by_path);
        sheet.warnings.push(format!(
            "Tiêu đề ghi {} nhưng tên tệp hoặc thư mục là của {}: đã tính vào {}; kiểm tra (đơn vị dùng nhầm mẫu của đơn vị khác?) hoặc ghim tệp trong cấu hình",
            ctx.registry.unit(*id).name,
            ctx.registry.unit(*by_path).name,
            ctx.registry.unit(*id).name
        ));
    }
    match &decision {
        Decision::Found(_, by) if intake.unit_found_by.is_none() => intake.unit_found_by = Some(*by),
        Decision::Unclear(seen) if intake.unit_evidence.is_empty() => intake.unit_evidence.clone_from(seen),
        _ => {}
    }
    decision
}

/// A sheet's warnings, as data issues of its unit.
fn warnings_as_issues(sheet: &SheetIntake, file: &FoundFile, decision: &Decision) -> Vec<DataIssue> {
    sheet.warnings.iter().map(|w| sheet_issue(sheet, file, decision, w.clone(), Severity::Warning)).collect()
}

/// A problem said of a whole sheet (no cell), as a data issue of its unit.
fn sheet_issue(
    sheet: &SheetIntake,
    file: &FoundFile,
    decision: &Decision,
    problem: String,
    severity: Severity,
) -> DataIssue {
    DataIssue {
        file_index: file.index,
        unit: match decision {
            Decision::Found(id, _) => Some(*id),
            Decision::Unclear(_) => None,
        },
        file: file.rel_path.clone(),
        sheet: Some(sheet.name.clone()),
        cell: None,
        field: None,
        raw: String::new(),
        problem,
        severity,
    }
}

/// The file's units, encoding and status once its sheets are read: a file without one
/// roster is unreadable (its unit, from its name or folder, told so), a file without a unit
/// unidentified.
fn finish_intake(
    intake: &mut FileIntake,
    units: BTreeSet<UnitId>,
    book: &Book,
    others_listed: Option<&str>,
    file: &FoundFile,
    ctx: &IngestContext<'_>,
    issues: &mut Vec<DataIssue>,
) -> Option<IngestError> {
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
            ..IngestError::new(
                file.rel_path.clone(),
                others_listed.map_or(IngestErrorKind::NoRoster, |list| IngestErrorKind::OthersListed(list.to_owned())),
            )
        };
        intake.status = FileStatus::Unreadable;
        intake.error = Some(e.message_vi());
        if let Decision::Found(id, by) = unit::from_path(file, ctx) {
            intake.units = vec![id];
            intake.own_unit = Some(id);
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
    error
}

/// A sheet's header, its merged ranges read first when the header without them leaves a
/// gap they may fill (xlsx; an .xls sheet has its ranges already).
fn header_of(grid: &mut SheetGrid, ranges: Option<&crate::workbook::MergedRanges>, config: &Config) -> Option<Header> {
    let Some(ranges) = ranges.filter(|_| grid.merges.is_empty()) else { return find_header(grid, config) };
    if let Some(header) = crate::header::header_without_merges(grid, config) {
        return header;
    }
    grid.merges = ranges.of(grid);
    find_header(grid, config)
}

/// The text of the title block above the header.
fn title_text(grid: &SheetGrid, header: &Header) -> String {
    texts_of_rows(grid, grid.origin.0..header.first_row)
}

/// The text cells of `rows`, row by row, joined by " | ": a title, a heading block.
fn texts_of_rows(grid: &SheetGrid, rows: std::ops::Range<u32>) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for row in rows.start..rows.end.min(grid.end_row()) {
        for col in grid.origin.1..grid.end_col() {
            if let CellValue::Text(t) = grid.get(row, col) {
                parts.push(t);
            }
        }
    }
    parts.join(" | ")
}

/// Marks a sheet whose title or name names a list of other people as not read, and keeps
/// the first such list for the file's error when nothing else in it is read.
fn ignore_as_others(sheet: &mut SheetIntake, (list, by): OthersBy, others_listed: &mut Option<&'static str>) {
    sheet.ignored_because = Some(format!("{by} cho biết đây là {list}, không phải danh sách cán bộ"));
    others_listed.get_or_insert(list);
}

/// A list of other people, and what says so: the sheet's title or its name.
type OthersBy = (&'static str, &'static str);

/// Whether a sheet lists other people than the unit's officials, by its title or, when it
/// has no list's title, by its name.
fn others_on_sheet(sheet_name: &str, title: &str) -> Option<OthersBy> {
    list_of_others(title)
        .map(|list| (list, "tiêu đề"))
        .or_else(|| others_by_sheet_name(sheet_name, title).map(|list| (list, "tên trang tính")))
}

/// The people of a sheet of forms, each traced to its "Họ và tên:" row.
fn form_records(
    forms: &[PersonForm],
    file: &FoundFile,
    grid: &SheetGrid,
    unit: UnitId,
    unit_found_by: UnitFoundBy,
) -> Vec<RawRecord> {
    let (file_name, sheet_name): (std::sync::Arc<str>, std::sync::Arc<str>) =
        (file.rel_path.as_str().into(), grid.name.as_str().into());
    forms
        .iter()
        .map(|form| RawRecord {
            source: SourceRow {
                file_index: file.index,
                file: std::sync::Arc::clone(&file_name),
                sheet: std::sync::Arc::clone(&sheet_name),
                row: form.first_row,
            },
            unit,
            unit_found_by,
            section: None,
            cells: form.cells.clone(),
        })
        .collect()
}

struct SheetRead<'a> {
    /// Set by `read_rows`: the sheet lists several units (see there).
    listing: bool,
    file: &'a FoundFile,
    grid: &'a mut SheetGrid,
    header: Header,
    /// The header's fields by column as found, before any realignment: a header repeated
    /// on a printed page is found the same.
    as_found: Vec<(u32, Field)>,
    /// For each column from the grid's first, whether it holds the name or the row number.
    name_or_number: Vec<bool>,
    /// The columns no field reads that say where each person stands ("Trạng thái").
    status_columns: Vec<u32>,
    /// The row number's column (asked of every row).
    number_col: Option<u32>,
    /// The sheet lists Party members only (a register or rating of Party members).
    party_register: bool,
    /// 0-based rows the configuration says are not people.
    skip_rows: Vec<u32>,
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

    // Long on purpose: the row loop: each row's kind is decided, counted and kept in one place, so
    // that read = accepted + rejected + skipped cannot drift between helpers.
    fn read_rows(
        &mut self,
        records: &mut Vec<RawRecord>,
        issues: &mut Vec<DataIssue>,
        units: &mut BTreeSet<UnitId>,
        intake: &mut FileIntake,
        sheet: &mut SheetIntake,
    ) -> RowCounts {
        let mut counts = RowCounts::default();
        let mut section: Option<Category> = None;
        // The post a numbered heading row names, under a name column that names posts too
        // ("Chức danh / Họ và tên": "1 | Bí thư Đảng ủy", its holders on the rows below).
        let mut heading_post: Option<String> = None;
        let posts_in_name_column =
            self.header.columns.iter().any(|c| c.field == Some(Field::FullName) && names_posts_too(&c.header));
        let mut footer_started = false;
        // Every row's provenance shares the file's and the sheet's names.
        let file_name: std::sync::Arc<str> = self.file.rel_path.as_str().into();
        let sheet_name: std::sync::Arc<str> = self.grid.name.as_str().into();
        // A unit column repeats the same names down the rows: each is matched once.
        let mut matched: std::collections::HashMap<String, UnitMatch> = std::collections::HashMap::new();
        // The unit a heading row above names, for the rows under it.
        let mut heading_unit: Option<UnitId> = None;
        let sheet_unit = match self.decision {
            Decision::Found(id, by) => Some((*id, *by)),
            Decision::Unclear(_) => None,
        };
        // A file pinned to a unit in the configuration is that unit's, whatever a unit
        // column says (it names departments there).
        let pinned = matches!(sheet_unit, Some((_, UnitFoundBy::Config)));
        // Rows naming another unit than the sheet's, kept aside until the sheet is read.
        let mut foreign_rows: Vec<(UnitId, usize)> = Vec::new();
        let mut foreign_issues: Vec<DataIssue> = Vec::new();
        // Rows of a stacked table that is not a roster (salaries under the people): where it
        // starts and how many of its rows hold a name, said on the sheet.
        let mut in_other_table = false;
        let mut other_table: Option<(u32, usize)> = None;
        // Rows below the signatures that look like people (a name and two values or more:
        // an addendum, "Danh sách bổ sung"): not read, as a footer's rows are not, but said.
        let mut after_footer: Option<(u32, usize)> = None;
        // The row and the record of the person just read, for a row continuing it.
        let mut last_person: Option<(u32, usize)> = None;
        // Whether that person's second row was read (records of two rows).
        let mut second_row_read = false;
        // And its third (records of three rows).
        let mut third_row_read = false;
        let mut noted_under: Option<u32> = None;
        // The row of the heading of a part listing the month's changes, while in it.
        let mut changes: Option<u32> = None;
        // The records this read adds from here: a second table without names may give their
        // persons' levels by the numbers on their rows (`keyed_table`).
        let first_record = records.len();
        let mut row = self.header.last_row + 1;
        while row < self.grid.end_row() {
            counts.read += 1;
            if self.skip_rows.contains(&row) {
                counts.skipped += 1;
                sheet.count_skipped("bỏ qua theo cấu hình");
                row += 1;
                continue;
            }
            // A second table without names, its rows keyed by the persons' numbers above
            // ("Số TT | Trình độ chuyên môn | Lý luận chính trị"): each row's values are the
            // person's of that number.
            if !footer_started
                && records.len() > first_record
                // (Asked of every row: a person's has a number there, a header its label.)
                && self.number_col.is_some_and(|c| matches!(self.grid.get(row, c), CellValue::Text(_)))
                && let Some(KeyedTable { header: keyed, joined, end }) = self.keyed_table(row, records, first_record)
            {
                let header_rows = keyed.last_row - row + 1;
                for _ in 0..header_rows {
                    sheet.count_skipped("tiêu đề bảng thứ hai");
                }
                sheet.warnings.push(format!(
                    "Bảng thứ hai từ dòng {} không có họ tên: {} dòng được đọc theo số thứ tự và ghép vào người cùng số thứ tự ở bảng trên",
                    row + 1,
                    joined.len()
                ));
                sheet.columns.extend(keyed.columns.iter().filter(|c| c.field.is_some()).cloned());
                let first_header = std::mem::replace(&mut self.header, keyed);
                for &(person_row, index) in &joined {
                    let cells = self.take_cells(person_row, None);
                    records[index].cells.extend(cells);
                    sheet.count_skipped("dòng bảng thứ hai, ghép theo số thứ tự");
                }
                self.header = first_header;
                // This row is counted; the table's other rows are read and skipped here.
                counts.read += (end - row - 1) as usize;
                counts.skipped += (end - row) as usize;
                row = end;
                continue;
            }
            if !footer_started && let Some(next) = self.stacked_header(row) {
                // A second table with its own header: a roster is read with its header,
                // anything else is skipped down to its end.
                let header_rows = next.last_row - row + 1;
                // A stacked table that says nothing of a person beyond name and post, and
                // holds pay or the month's changes ("Bậc | Hệ số lương", "Nội dung | Lý do"),
                // is no roster; any other is read with its own header.
                // Nor is a list of others stacked under the officials ("DANH SÁCH ĐẢNG VIÊN ĐƯỢC
                // TẶNG HUY HIỆU ĐẢNG" over its own header).
                let title_above = texts_of_rows(self.grid, row.saturating_sub(2)..row);
                let roster = !is_other_table(&next)
                    && !titled_as_changes(self.grid, row)
                    && list_of_others(&title_above).is_none();
                // The header repeated at the top of a printed page: the rows below are read
                // as above (by the header as realigned onto its data, if it was).
                let repeated = roster && mapping(&next) == self.as_found;
                counts.read += (header_rows - 1) as usize;
                counts.skipped += header_rows as usize;
                for _ in 0..header_rows {
                    sheet.count_skipped("tiêu đề bảng thứ hai");
                }
                in_other_table = !roster;
                if !roster {
                    other_table = Some((row, 0));
                }
                if roster && !repeated {
                    // The rows below are read by the new header: what the first header had
                    // and it lacks is said, as the intake lists the first header's columns.
                    let lacking: BTreeSet<Field> =
                        self.header.mapped().filter_map(|c| c.field).filter(|f| next.column_of(*f).is_none()).collect();
                    if !lacking.is_empty() {
                        let labels: Vec<&str> = lacking.iter().map(|f| f.label()).collect();
                        sheet.warnings.push(format!(
                            "Bảng thứ hai từ dòng {} có tiêu đề riêng và được đọc theo tiêu đề đó; tiêu đề này không có cột: {}",
                            row + 1,
                            labels.join(", ")
                        ));
                    }
                    self.as_found = mapping(&next);
                    heading_post = None;
                    self.header = next;
                    self.roles_of_columns();
                }
                row += header_rows;
                continue;
            }
            // The row of a leaving note under a person left out for it (`leaving_note_under`).
            if noted_under == Some(row) {
                counts.skipped += 1;
                sheet.count_skipped("ghi chú của người ở trên");
                row += 1;
                continue;
            }
            let view = self.view(row);
            // A part of the month's changes ("I. BIẾN ĐỘNG TRONG THÁNG", "2. Giảm (01 người)"):
            // its people are the changes, listed again in the list as it stands (or gone from
            // it), until a part of another name ("II. DANH SÁCH HIỆN CÓ").
            if !footer_started && view.texts.len() <= 2 && view.others <= 1 {
                if names_changes(&view.texts) {
                    if changes.is_none() {
                        sheet.warnings.push(format!(
                            "Mục biến động trong tháng (tăng, giảm) từ dòng {}: những người trong mục này không được tính, danh sách hiện có được tính",
                            row + 1
                        ));
                    }
                    changes = Some(row);
                    counts.skipped += 1;
                    sheet.count_skipped("tiêu đề mục biến động trong tháng");
                    row += 1;
                    continue;
                }
                // Any other heading ends the part ("2. Danh sách hiện có", "DANH SÁCH CÁN BỘ"):
                // a text that is no name (a person's sparse row, "Vi Văn Hùng", is none).
                let heading = match view.name.as_deref() {
                    // (A heading is no name, "Danh sách hiện có", or in capitals.)
                    Some(CellValue::Text(t)) => !is_name_like(t.trim()) || !t.chars().any(char::is_lowercase),
                    _ => view.texts.iter().any(|t| !is_part_number(t)),
                };
                if changes.is_some() && heading {
                    changes = None;
                }
            }
            // A post heading its holders: a number and a post where names stand, nothing
            // else. (A post on an unnumbered line under a person is that person's: below.)
            if posts_in_name_column
                && !footer_started
                && view.texts.len() + view.others <= 2
                && view.name.as_deref().is_some_and(names_a_post)
                && self.number_col.is_some_and(|c| !self.grid.get(row, c).is_empty())
                && self.holder_follows(row)
                && let Some(CellValue::Text(post)) = view.name.as_deref()
            {
                heading_post = Some(tonghop_model::text::clean(post));
                counts.skipped += 1;
                sheet.count_skipped("dòng chức danh (của những người dưới)");
                row += 1;
                continue;
            }
            if in_other_table {
                if view.texts.is_empty() && view.others == 0 {
                    in_other_table = false;
                    counts.skipped += 1;
                    sheet.count_skipped("dòng trống");
                } else {
                    counts.skipped += 1;
                    sheet.count_skipped("dòng của bảng khác (không phải danh sách)");
                    if view.name.as_deref().is_some_and(|n| matches!(n, CellValue::Text(t) if is_name_like(t)))
                        && let Some((_, named)) = &mut other_table
                    {
                        *named += 1;
                    }
                }
                row += 1;
                continue;
            }
            if footer_started
                && view.mapped_values >= 2
                && (view.others > 0 || view.texts.iter().any(|t| t.chars().any(|c| c.is_ascii_digit())))
                && matches!(view.name.as_deref(), Some(CellValue::Text(n)) if is_name_like(n))
            {
                after_footer.get_or_insert((row, 0)).1 += 1;
            }
            let kind = match classify(&view, footer_started) {
                // Only a row that is no person can be a column-number row (asked of few rows).
                RowKind::Reject(_) | RowKind::Skip(_) | RowKind::Group(_) if is_column_number_row(self.grid, row) => {
                    RowKind::Skip("dòng đánh số cột")
                }
                // A "name" that is a post ("Phó Chỉ huy trưởng Quân sự", "Trưởng thôn") on a
                // row saying little else: a table of posts or counts, not a person.
                RowKind::Person if view.name.as_deref().is_some_and(names_a_post) => {
                    RowKind::Reject("họ tên là một chức danh, không phải tên người".to_owned())
                }
                // A level or a label where the name stands ("Trung cấp", "Lý luận chính trị":
                // a second table's rows under the name's column), or a legend's line ("NS:
                // Ngày tháng năm sinh; GT: Giới tính").
                // The example of a template or a form's test ("Nguyễn Văn A", "Trần Thị B").
                RowKind::Person if view.name.as_deref().is_some_and(is_placeholder_name) => {
                    RowKind::Reject("họ tên là tên mẫu (ví dụ), không phải người".to_owned())
                }
                RowKind::Person if view.name.as_deref().is_some_and(names_no_person) => RowKind::Reject(
                    "ô họ tên ghi một trình độ, một tên cột, một địa danh hoặc lời chú thích, không phải tên người"
                        .to_owned(),
                ),
                kind => kind,
            };
            // A person's second row, under a header whose second row labels it ("Họ và tên"
            // over "Chức vụ"): read by those labels, joined to the person. A signature is no
            // second row, unless it holds the values of one.
            // A section, a total or a signature is no second row, nor a row whose name
            // column names someone (the next person, when one has no second row).
            // A section is numbered, a category in capitals or a block ("II. Công chức",
            // "CÔNG CHỨC", "Khối chính quyền"): a category in plain words right under a person ("Không chuyên trách")
            // is the post their second row holds, and so is a post in capitals ("VĂN PHÒNG -
            // THỐNG KÊ").
            let numbered = view.texts.first().is_some_and(|t| is_roman_section(t) || is_section_number(t));
            let block = view.texts.len() == 1 && is_block_section(view.texts[0]);
            let capitals = view.texts.iter().all(|t| !t.chars().any(char::is_lowercase));
            // Titles in capitals over the signatures ("CHỦ TỊCH UBND XÃ | BÍ THƯ ĐẢNG ỦY").
            let signers = capitals
                && view.texts.len() >= 2
                && view.texts.iter().all(|t| {
                    let folded = fold_words(t);
                    SIGNATURE_TITLES.iter().any(|s| starts_with_word(&folded, s))
                });
            let section_or_end = matches!(kind, RowKind::Total | RowKind::Footer)
                || signers
                || (matches!(kind, RowKind::Group(Some(_))) && (capitals || numbered))
                || (matches!(kind, RowKind::Group(None)) && (numbered || block));
            // A person's third row, under a header whose third row labels it ("Quê quán |
            // Ngạch | Tôn giáo | Quản lý nhà nước"): read by those labels. Its name column
            // holds what the third label says (a place), not a name.
            if !self.header.third_line.is_empty()
                && !footer_started
                && !section_or_end
                && second_row_read
                && !third_row_read
                && let Some((person_row, index)) = last_person
                && person_row + 1 == row
                && self.number_col.is_none_or(|c| self.grid.get(row, c).is_empty())
                && !self.looks_like_a_first_row(row)
                && let Some(more) = self.line_cells(row, &self.header.third_line)
            {
                counts.skipped += 1;
                sheet.count_skipped("dòng thứ ba của người ở trên");
                records[index].cells.extend(more);
                last_person = Some((row, index));
                third_row_read = true;
                row += 1;
                continue;
            }
            if !self.header.second_line.is_empty()
                && !footer_started
                && !section_or_end
                && let Some((person_row, index)) = last_person
                && person_row + 1 == row
                && names_no_one(self.grid.get(row, self.name_col()))
                && let Some(more) =
                    if second_row_read { self.continuation_cells(row, true) } else { self.second_line_cells(row) }
            {
                counts.skipped += 1;
                if second_row_read {
                    sheet.count_skipped("dòng tiếp theo của người ở trên");
                    // Said as a row continuing a person is said below.
                    let joined = more.iter().map(|c| c.value.to_text()).collect::<Vec<_>>().join(" | ");
                    let mut issue = self.issue(
                        row,
                        more[0].col,
                        Some(more[0].field),
                        joined,
                        format!("Dòng không có họ tên, ngay dưới một người: ghép vào người ở dòng {person_row}"),
                        Some(records[index].unit),
                    );
                    issue.severity = Severity::Info;
                    issues.push(issue);
                } else {
                    sheet.count_skipped("dòng thứ hai của người ở trên");
                }
                records[index].cells.extend(more);
                // A row under it may still continue the person (a Word table's paragraph).
                last_person = Some((row, index));
                second_row_read = true;
                row += 1;
                continue;
            }
            // A row continuing the person above: a Word table pasted in makes a cell's
            // second paragraph a row of its own ("Chủ tịch HĐND xã" under "Bí thư Đảng ủy",
            // the person's other cells merged over both). Its values join that person's.
            // Under "Họ và tên, chức vụ" a line of its own in the name's column, not a
            // numbered or capital section, is the posts of the person above.
            // The line must read as posts, and not a category alone ("Công chức", a section
            // in plain words).
            let posts_line = matches!(kind, RowKind::Group(_))
                && !section_or_end
                && view.texts.len() == 1
                && posts_in_name_column
                && reads_as_posts(view.texts[0]);
            if !footer_started
                && (matches!(kind, RowKind::Skip(_) | RowKind::Reject(_)) || posts_line)
                && kind != RowKind::Skip(PAGE_NUMBER)
                && let Some((person_row, index)) = last_person
                && person_row + 1 == row
                && let Some(more) = self.continuation_cells(row, false)
            {
                counts.skipped += 1;
                sheet.count_skipped("dòng tiếp theo của người ở trên");
                let joined = more.iter().map(|c| c.value.to_text()).collect::<Vec<_>>().join(" | ");
                let mut issue = self.issue(
                    row,
                    more.first().map_or(self.name_col(), |c| c.col),
                    more.first().map(|c| c.field),
                    joined,
                    format!("Dòng không có họ tên, ngay dưới một người: ghép vào người ở dòng {}", person_row + 1),
                    Some(records[index].unit),
                );
                issue.severity = Severity::Info;
                issues.push(issue);
                records[index].cells.extend(more);
                last_person = Some((row, index));
                row += 1;
                continue;
            }
            // A unit's heading typed across the number's and the name's cells ("III | Xã Hòa
            // Sơn"): a unit's full name with a section's number, read as a name alone.
            let kind = match kind {
                RowKind::Reject(_)
                    if view.texts.len() == 2
                        && (is_roman_section(view.texts[0]) || is_section_number(view.texts[0]))
                        && self.heading_unit(&view.texts, None, &mut matched).is_some() =>
                {
                    RowKind::Group(None)
                }
                kind => kind,
            };
            // A person the row says has left: a note that they retired, left or moved before
            // the period's end ("Đã nghỉ hưu từ 01/01/2024"), or their name struck through.
            // Not counted, and said with the name.
            let kind = match kind {
                RowKind::Person if changes.is_some() => RowKind::Skip(MONTHS_CHANGE),
                RowKind::Person if !footer_started => match self.left_because(row) {
                    Some(why) => {
                        if self.leaving_note_under(row).is_some() {
                            noted_under = Some(row + 1);
                        }
                        let mut issue = self.issue(
                            row,
                            self.name_col(),
                            Some(Field::FullName),
                            view_name_text(&view),
                            format!("Không tính người này: {why}; nếu vẫn đang công tác, sửa lại báo cáo"),
                            sheet_unit.map(|u| u.0),
                        );
                        issue.severity = Severity::Warning;
                        issues.push(issue);
                        RowKind::Skip(LEFT_THE_UNIT)
                    }
                    None => RowKind::Person,
                },
                kind => kind,
            };
            if let Some(skipped) = kind.skipped_kind() {
                counts.skipped += 1;
                sheet.count_skipped(skipped);
            }
            let name_col = self.name_col();
            match kind {
                RowKind::Footer => footer_started = true,
                RowKind::Group(category) => {
                    heading_post = None;
                    if category.is_some() {
                        section = category;
                    } else {
                        heading_unit = self.heading_unit(&view.texts, heading_unit, &mut matched);
                    }
                }
                // A numbered heading outside the name's column ("3. Trung tâm Phát triển quỹ
                // đất" in the number's) is skipped as a stray cell, and heads a block too.
                RowKind::Skip(_) if view.texts.len() == 1 && view.texts[0].chars().any(char::is_alphabetic) => {
                    heading_unit = self.heading_unit(&view.texts, heading_unit, &mut matched);
                }
                RowKind::Total => heading_post = None,
                RowKind::Blank | RowKind::Skip(_) => {}
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
                    let unit_col = self.header.unit_column().filter(|_| !pinned);
                    // A unit's code typed as a number (6430) is read as its text.
                    let unit_text = unit_col.and_then(|c| match self.grid.get(row, c) {
                        CellValue::Text(text) => Some((c, std::borrow::Cow::Borrowed(text.as_str()))),
                        CellValue::Number(n) if n.fract() == 0.0 && *n > 0.0 && *n < 1e6 => {
                            Some((c, std::borrow::Cow::Owned(format!("{n:.0}"))))
                        }
                        _ => None,
                    });
                    let row_unit = match unit_text {
                        Some((col, text)) => match cached_match(&mut matched, self.ctx, &text) {
                            UnitMatch::Found(id) => Ok((id, UnitFoundBy::Column)),
                            // A unit column naming no registry unit names a department of
                            // the file's own unit, when the file has one.
                            UnitMatch::NotFound if sheet_unit.is_some() => Ok(sheet_unit.expect("checked")),
                            UnitMatch::Ambiguous(_) => Err((col, text.into_owned(), "tên đơn vị khớp nhiều đơn vị")),
                            UnitMatch::NotFound => Err((col, text.into_owned(), "tên đơn vị không có trong danh mục")),
                        },
                        _ => heading_unit.map(|id| (id, UnitFoundBy::Heading)).or(sheet_unit).ok_or((
                            name_col,
                            String::new(),
                            "không xác định được đơn vị của tệp",
                        )),
                    };
                    match row_unit {
                        Ok((unit, unit_found_by)) => {
                            // A commune reports for itself: a row of its return naming another
                            // unit is counted where it says, but that unit's return it is not.
                            // A district body (the Organization Board compiling the agencies)
                            // may list several units, each then received through its list.
                            if let Some((own, _)) = sheet_unit
                                .filter(|(own, _)| *own != unit && self.ctx.registry.unit(*own).kind.is_commune_level())
                            {
                                match foreign_rows.iter_mut().find(|(u, _)| *u == unit) {
                                    Some((_, n)) => *n += 1,
                                    None => foreign_rows.push((unit, 1)),
                                }
                                let col = unit_col.unwrap_or(name_col);
                                let mut issue = self.issue(
                                    row,
                                    col,
                                    Some(Field::Unit),
                                    self.grid.get(row, col).to_text(),
                                    format!(
                                        "Dòng ghi đơn vị \"{}\" trong báo cáo của {}: tính vào {} nhưng không coi là báo cáo của {}",
                                        self.ctx.registry.unit(unit).name,
                                        self.ctx.registry.unit(own).name,
                                        self.ctx.registry.unit(unit).name,
                                        self.ctx.registry.unit(unit).name
                                    ),
                                    Some(unit),
                                );
                                issue.severity = Severity::Warning;
                                foreign_issues.push(issue);
                            }
                            if matches!(unit_found_by, UnitFoundBy::Column | UnitFoundBy::Heading)
                                && intake.unit_found_by.is_none_or(|b| b != UnitFoundBy::Column)
                            {
                                intake.unit_found_by = Some(unit_found_by);
                            }
                            units.insert(unit);
                            counts.accepted += 1;
                            let source = SourceRow {
                                file_index: self.file.index,
                                file: std::sync::Arc::clone(&file_name),
                                sheet: std::sync::Arc::clone(&sheet_name),
                                row,
                            };
                            // A person numbered as people are is under no post's heading.
                            if self.number_col.is_some_and(|c| !self.grid.get(row, c).is_empty()) {
                                heading_post = None;
                            }
                            let mut cells = self.take_cells(row, records.last().map(|r| r.cells.as_slice()));
                            if let Some(post) = &heading_post
                                && !cells.iter().any(|c| c.field == Field::Positions && !c.value.is_empty())
                            {
                                let value = CellValue::Text(post.clone());
                                cells.push(RawCell { field: Field::Positions, col: name_col, value, option: None });
                            }
                            records.push(RawRecord { source, unit, unit_found_by, section, cells });
                            last_person = Some((row, records.len() - 1));
                            second_row_read = false;
                            third_row_read = false;
                        }
                        Err((col, raw, reason)) => {
                            counts.rejected += 1;
                            let field = (col != name_col).then_some(Field::Unit);
                            let raw = if raw.is_empty() { view_name_text(&view) } else { raw };
                            issues.push(self.issue(row, col, field, raw, format!("Bỏ dòng: {reason}"), None));
                        }
                    }
                }
            }
            row += 1;
        }
        // Rows naming other units: a commune's stray rows when the sheet's unit comes from
        // its title or name, or when they are few; when the unit comes only from the file's
        // name or folder and most rows name other units, the sheet lists several units
        // (a district's list saved in a commune's folder) and each is received through it.
        let foreign: usize = foreign_rows.iter().map(|(_, n)| n).sum();
        let by_path = matches!(sheet_unit, Some((_, UnitFoundBy::FileName | UnitFoundBy::FolderName)));
        self.listing = by_path && foreign * 2 > counts.accepted;
        if !self.listing {
            for (unit, n) in foreign_rows {
                match intake.rows_of_other_units.iter_mut().find(|(u, _)| *u == unit) {
                    Some((_, total)) => *total += n,
                    None => intake.rows_of_other_units.push((unit, n)),
                }
            }
            issues.extend(foreign_issues);
        }
        if let Some((start, people)) = after_footer {
            let problem = format!(
                "{people} dòng có họ tên và số liệu nằm dưới phần chữ ký (từ dòng {}) không được đọc; nếu là người của danh sách (danh sách bổ sung), chuyển lên trên phần chữ ký",
                start + 1
            );
            let name_col = self.name_col();
            let raw = self.grid.get(start, name_col).to_text();
            issues.push(self.issue(start, name_col, Some(Field::FullName), raw, problem, sheet_unit.map(|u| u.0)));
        }
        if let Some((start, named)) = other_table
            && named > 0
        {
            sheet.warnings.push(format!(
                "Bảng thứ hai từ dòng {} không phải danh sách cán bộ (lương hoặc biến động): {named} dòng có họ tên không được tính",
                start + 1
            ));
        }
        counts
    }

    /// Notes which columns hold the name or the row number, for [`Self::view`].
    fn roles_of_columns(&mut self) {
        let c0 = self.grid.origin.1;
        self.name_or_number = vec![false; (self.grid.end_col() - c0) as usize];
        for c in &self.header.columns {
            if matches!(c.field, Some(Field::FullName | Field::FamilyName | Field::GivenName | Field::RowNumber))
                && let Some(i) = c.col.checked_sub(c0)
                && let Some(slot) = self.name_or_number.get_mut(i as usize)
            {
                *slot = true;
            }
        }
        self.status_columns = self
            .header
            .columns
            .iter()
            .filter(|c| c.field.is_none() && is_status_label(&c.header))
            .map(|c| c.col)
            .collect();
        self.number_col = self.header.column_of(Field::RowNumber);
    }

    /// The column the name is in: the full name's, else the family name's.
    /// Why the person of a row is no longer the unit's, when the row says so: a note of
    /// leaving (see [`left_by_note`]), or the name struck through.
    fn left_because(&self, row: u32) -> Option<String> {
        let said =
            |note: &str| format!("ghi chú \"{}\" cho biết đã nghỉ hoặc chuyển đi", tonghop_model::text::clean(note));
        let notes = self.header.columns.iter().filter(|c| c.field == Some(Field::Note));
        for c in notes {
            if let CellValue::Text(note) = self.grid.get(row, c.col)
                && left_by_note(note, self.ctx.period)
            {
                return Some(said(note));
            }
        }
        if let Some(note) = self.leaving_note_under(row) {
            return Some(said(note));
        }
        // A column of where each person stands now, as a personnel program exports it
        // ("Trạng thái": "Đang làm việc", "Nghỉ hưu"): a leaving there is done.
        for &col in &self.status_columns {
            if let CellValue::Text(status) = self.grid.get(row, col)
                && left_by_status(status, self.ctx.period)
            {
                return Some(format!(
                    "tình trạng \"{}\" cho biết đã nghỉ hoặc chuyển đi",
                    tonghop_model::text::clean(status)
                ));
            }
        }
        self.grid.is_struck(row, self.name_col()).then(|| "họ tên bị gạch ngang".to_owned())
    }

    /// A note of leaving on a row of its own under the person's ("Đã nghỉ hưu từ
    /// 01/01/2024" under the name, or under the note's cell): a Word table pasted in makes
    /// a cell's second paragraph a row. The row has that note and nothing else.
    fn leaving_note_under(&self, row: u32) -> Option<&str> {
        let next = row + 1;
        if next >= self.grid.end_row() || self.number_col.is_some_and(|c| !self.grid.get(next, c).is_empty()) {
            return None;
        }
        // The next person's row is the usual one: it has more than one cell, and no note
        // is read (every person's row asks).
        let mut cells = (self.grid.origin.1..self.grid.end_col())
            .map(|c| (c, self.grid.get(next, c)))
            .filter(|(_, v)| !v.is_empty());
        let (Some((col, CellValue::Text(note))), None) = (cells.next(), cells.next()) else { return None };
        // Under the name or in the note's column; not a heading ("II. Cán bộ đã nghỉ hưu"),
        // a title in capitals, a note of the table ("Ghi chú: …") nor a note naming another
        // ("đồng chí Lê Văn Tám đã nghỉ hưu").
        let in_place =
            col == self.name_col() || self.header.columns.iter().any(|c| c.col == col && c.field == Some(Field::Note));
        let first_word = note.split_whitespace().next().unwrap_or_default();
        let folded = fold_words(note);
        let other = is_roman_section(first_word)
            || is_section_number(first_word)
            || !note.chars().any(char::is_lowercase)
            || folded.starts_with("ghi chu")
            || self.names_another(note, row);
        (in_place && !other && left_by_note(note, self.ctx.period)).then_some(note.as_str())
    }

    /// Whether a note names someone other than the person of `row` ("Đồng chí Lê Văn Tám đã
    /// nghỉ hưu" under Nguyễn Văn Tường): a name after "đồng chí" or "đ/c"
    /// ([`tonghop_model::text::split_name_title`]), not theirs. ("Đ/c đã nghỉ hưu" is the
    /// person's own.)
    fn names_another(&self, note: &str, row: u32) -> bool {
        let own = match self.grid.get(row, self.name_col()) {
            CellValue::Text(name) => fold_words(name),
            _ => String::new(),
        };
        note.char_indices().filter(|&(i, _)| i == 0 || note[..i].ends_with(char::is_whitespace)).any(|(i, _)| {
            matches!(tonghop_model::text::split_name_title(&note[i..]),
                Some((tonghop_model::text::NameTitle::Comrade, named))
                    if named.starts_with(char::is_uppercase) && !fold_words(named).starts_with(&own))
        })
    }

    /// Whether `row` is a person's first row rather than the third of the one above: what a
    /// first row holds where the first row's labels are (a gender, a birth date), or a
    /// second row under it (a date where the name stands).
    fn looks_like_a_first_row(&self, row: u32) -> bool {
        let grid = &*self.grid;
        let date_under = match grid.get(row + 1, self.name_col()) {
            CellValue::Date(_) | CellValue::Number(_) => true,
            CellValue::Text(t) => t.trim().starts_with(|c: char| c.is_ascii_digit()),
            _ => false,
        };
        date_under || (grid.origin.1..grid.end_col()).any(|c| self.first_line_value_here(row, c))
    }

    fn name_col(&self) -> u32 {
        self.header
            .column_of(Field::FullName)
            .or_else(|| self.header.column_of(Field::FamilyName))
            .unwrap_or(self.grid.origin.1)
    }

    /// Whether the first row after `row` with anything in it is a post's holder: a name, and
    /// no row number (the rows a post heads are not numbered as the posts are).
    fn holder_follows(&self, row: u32) -> bool {
        let grid = &*self.grid;
        let Some(next) = (row + 1..grid.end_row().min(row + 4))
            .find(|&r| (grid.origin.1..grid.end_col()).any(|c| !grid.get(r, c).is_empty()))
        else {
            return false;
        };
        // A name, as written (with a note, "H'Hen Niê"): a text with small letters that names
        // no post and starts no section.
        matches!(grid.get(next, self.name_col()), CellValue::Text(t)
            if t.chars().any(char::is_lowercase)
                && !names_a_post(grid.get(next, self.name_col()))
                && !t.split_whitespace().next().is_some_and(|w| is_roman_section(w) || is_section_number(w)))
            && self.number_col.is_none_or(|c| grid.get(next, c).is_empty())
    }

    /// A table starting at `row` whose header has the row number and what a person has
    /// ("Số TT | Trình độ chuyên môn | Lý luận chính trị | Đảng viên") but no name, each of
    /// whose rows numbers exactly one person of `records` from `first_record` on, no two the
    /// same: its header, its rows with their persons' records, and the row after it.
    fn keyed_table(&self, row: u32, records: &[RawRecord], first_record: usize) -> Option<KeyedTable> {
        let grid = &*self.grid;
        // Cheap test first: the row starts with the number's label ("STT", "TT", "Số TT").
        let first = (grid.origin.1..grid.end_col()).map(|c| grid.get(row, c)).find(|v| !v.is_empty());
        // (Asked of every row: a name there is not looked up, nor remembered.)
        let number_label = |t: &str| {
            let t = t.trim();
            t.len() <= 16
                && t.starts_with(['S', 's', 'T', 't'])
                && matches!(t.to_lowercase().trim_end_matches('.'), "stt" | "tt" | "số tt" | "số thứ tự" | "thứ tự")
        };
        if !matches!(first, Some(CellValue::Text(t)) if number_label(t)) {
            return None;
        }
        let header = crate::header::header_at(grid, row, row, &self.ctx.config);
        let number_col = header.column_of(Field::RowNumber)?;
        // Whose rows are someone's or something's (a unit's, with counts: "TT | Đơn vị | Đại
        // học | Trung cấp") are no person's values.
        let named = [Field::FullName, Field::FamilyName, Field::GivenName, Field::Unit]
            .iter()
            .any(|f| header.column_of(*f).is_some());
        let counts = header.columns.iter().any(|c| {
            let folded = fold_words(&c.header);
            folded == "cong" || ["tong so", "so luong", "tong cong"].iter().any(|w| folded.starts_with(w))
        });
        let attributes =
            header.mapped().filter(|c| c.field.is_some_and(|f| !matches!(f, Field::RowNumber | Field::Note))).count();
        if named || counts || attributes < 2 {
            return None;
        }
        // The persons' numbers, read from the table above (its header is still the reader's):
        // each number with its person, and how many have it.
        let above_col = self.header.column_of(Field::RowNumber)?;
        let mut persons: std::collections::HashMap<String, (usize, usize)> = std::collections::HashMap::new();
        for (index, record) in records.iter().enumerate().skip(first_record) {
            if let Some(number) = row_number_text(grid.get(record.source.row, above_col)) {
                persons.entry(number).or_insert((index, 0)).1 += 1;
            }
        }
        let mut joined: Vec<(u32, usize)> = Vec::new();
        let mut taken = std::collections::HashSet::new();
        let mut next = header.last_row + 1;
        while next < grid.end_row() {
            let Some(number) = row_number_text(grid.get(next, number_col)) else { break };
            // One person of that number, not joined before.
            let Some(&(index, 1)) = persons.get(&number) else { return None };
            if !taken.insert(index) {
                return None;
            }
            joined.push((next, index));
            next += 1;
        }
        (joined.len() >= 2).then_some(KeyedTable { header, joined, end: next })
    }

    /// The header of a second table starting at `row`, if one does.
    fn stacked_header(&self, row: u32) -> Option<Header> {
        // Cheap tests first: a row with a name under the name label is a person's; a
        // header's name label begins like one ("Họ và tên", "Họ", "HỌ TÊN").
        let grid = &*self.grid;
        // (A capital after the first space: "Nguyễn Văn A", not "Nội dung" nor "Họ và tên".)
        let capital_after_space = |t: &str| t.split_once(' ').is_some_and(|(_, r)| r.starts_with(char::is_uppercase));
        let name_label = |t: &str| {
            may_be_name_label(t) && matches!(crate::header::field_of(t), Some(Field::FullName | Field::FamilyName))
        };
        if matches!(grid.get(row, self.name_col()), CellValue::Text(t) if capital_after_space(t) && !name_label(t)) {
            return None;
        }
        let label = (grid.origin.1..grid.end_col()).any(|c| {
            matches!(grid.get(row, c), CellValue::Text(t) if may_be_name_label(t)
                && matches!(crate::header::field_of(t), Some(Field::FullName | Field::FamilyName)))
        });
        if !label {
            return None;
        }
        find_header_from(grid, row, &self.ctx.config).filter(|h| h.first_row == row)
    }

    /// What the classifier needs to know of a row.
    fn view(&self, row: u32) -> RowView<'_> {
        let grid = &*self.grid;
        let width = (grid.end_col() - grid.origin.1) as usize;
        let mut view = RowView { texts: Vec::with_capacity(width), ..RowView::default() };
        for c in grid.origin.1..grid.end_col() {
            let value = grid.get(row, c);
            match value {
                CellValue::Text(t) => view.texts.push(t),
                CellValue::Empty => continue,
                _ => view.others += 1,
            }
            if !self.name_or_number.get((c - grid.origin.1) as usize).copied().unwrap_or(false) {
                view.other_values += 1;
            }
        }
        view.name = Some(self.name_value(row));
        view.mapped_values = self
            .header
            .columns
            .iter()
            .filter(|c| {
                c.field.is_some_and(|f| {
                    !matches!(
                        f,
                        Field::FullName | Field::FamilyName | Field::GivenName | Field::RowNumber | Field::Unit
                    )
                }) && !grid.get(row, c.col).is_empty()
            })
            .count();
        // Only a row without a name, or with the name's label in its place, can repeat the
        // header (a page break, or a header one row lower than a configuration says).
        let nameless = match view.name.as_deref() {
            None => true,
            Some(CellValue::Text(t)) => {
                t.trim().is_empty()
                    || (may_be_name_label(t)
                        && matches!(crate::header::field_of(t), Some(Field::FullName | Field::FamilyName)))
            }
            Some(v) => v.is_empty(),
        };
        view.repeats_header = nameless
            && !view.texts.is_empty()
            && view.texts.iter().all(|t| {
                let t = tonghop_model::text::clean(t);
                self.header.columns.iter().any(|c| c.path.contains(&t))
            });
        view
    }

    /// The name a row gives: the full-name cell, or the split name's parts joined.
    fn name_value(&self, row: u32) -> std::borrow::Cow<'_, CellValue> {
        use std::borrow::Cow;
        if let Some(col) = self.header.column_of(Field::FullName) {
            let v = self.grid.get(row, col);
            // Names under their gender ("Nam │ Nữ"): the one filled.
            if v.is_empty()
                && let Some(other) = self
                    .header
                    .columns
                    .iter()
                    .filter(|c| c.rule == tonghop_model::intake::ColumnRule::GenderedName && c.col != col)
                    .map(|c| self.grid.get(row, c.col))
                    .find(|v| !v.is_empty())
            {
                return Cow::Borrowed(other);
            }
            // A cell of the name over another field's line ("Họ và tên⏎Ngày sinh"): its name's
            // line.
            if let CellValue::Text(text) = v
                && text.contains('\n')
                && self.header.second_line.iter().any(|s| s.col == col)
                && let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty())
            {
                return Cow::Owned(CellValue::Text(first.to_owned()));
            }
            if !v.is_empty() || self.header.column_of(Field::GivenName).is_none() {
                return Cow::Borrowed(v);
            }
        }
        // The family name's columns ("Họ", "Chữ đệm") in their order, then the given name's.
        let parts: Vec<String> = [Field::FamilyName, Field::GivenName]
            .into_iter()
            .flat_map(|field| self.header.columns.iter().filter(move |c| c.field == Some(field)))
            .map(|c| self.grid.get(row, c.col))
            .filter(|v| !v.is_empty())
            .map(|v| v.text().trim().to_owned())
            .collect();
        if parts.is_empty() { Cow::Owned(CellValue::Empty) } else { Cow::Owned(CellValue::Text(parts.join(" "))) }
    }

    /// The cells of a row that continues the person above it: no name, no row number,
    /// nothing in any column but those that hold several values or lines of text
    /// ([`RUN_ON`]: positions, notes, pool entries, trainings, fields of study), and
    /// something in one of them. Under a person's second row (`by_second_line`), a column the
    /// header's second row labels counts by that label ("Chủ tịch HĐND xã" under "Bí thư
    /// Đảng ủy" in the name's column). `None` for any other row.
    fn continuation_cells(&self, row: u32, by_second_line: bool) -> Option<Vec<RawCell>> {
        let grid = &*self.grid;
        let mut cells = Vec::new();
        for c in grid.origin.1..grid.end_col() {
            let value = grid.get(row, c);
            if value.is_empty() {
                continue;
            }
            let second = self.header.second_line.iter().find(|s| s.col == c).filter(|_| by_second_line);
            let field = match second {
                Some(column) => column.field.filter(|f| RUN_ON.contains(f)),
                None => self.run_on_field(c),
            }?;
            cells.push(RawCell { field, col: c, value: value.clone(), option: None });
        }
        // A post said vacant ("Phó Chủ tịch UBND | Khuyết") is a line of its own.
        let vacant = cells.iter().any(|c| {
            let words = fold_words(&c.value.to_text());
            ["khuyet", "trong", "chua bo tri", "chua co nguoi"]
                .iter()
                .any(|w| tonghop_model::text::find_words(&words, w).is_some())
        });
        (!cells.is_empty() && !vacant).then_some(cells)
    }

    /// The cells of a person's second row, read by the header's second row (see
    /// [`Header::second_line`]): something in a column it labels, nothing in any other
    /// (the row number's, a note merged over both rows); the columns it labels with no
    /// field give no cell. Every column it labels gives a
    /// cell, an empty one too: a level's column there and empty is "none", as on a first
    /// row. `None` for any other row.
    fn second_line_cells(&self, row: u32) -> Option<Vec<RawCell>> {
        self.line_cells(row, &self.header.second_line)
    }

    /// The cells of a person's second or third row, read by the header's row for it
    /// (`line`), as [`Self::second_line_cells`] says.
    fn line_cells(&self, row: u32, line: &[Column]) -> Option<Vec<RawCell>> {
        let grid = &*self.grid;
        let (mut labelled, mut run_on) = (false, Vec::new());
        for c in grid.origin.1..grid.end_col() {
            let value = grid.get(row, c);
            if value.is_empty() {
                continue;
            }
            // A birth date or a gender where the first row has them is a first row: the next
            // person's, whose name may not look like one ("H'Hen Niê").
            if self.first_line_value_here(row, c) {
                return None;
            }
            // A column the second header row labels, read or not ("Quê quán"), or one whose
            // text runs on over lines (a note merged over both rows, typed in the second).
            if line.iter().any(|s| s.col == c) {
                labelled = true;
            } else {
                let field = self.run_on_field(c)?;
                run_on.push(RawCell { field, col: c, value: value.clone(), option: None });
            }
        }
        if !labelled && run_on.is_empty() {
            return None;
        }
        let mut cells: Vec<RawCell> = line
            .iter()
            .filter_map(|column| {
                let field = column.field?;
                let value = by_legend(grid.get(row, column.col).clone(), &column.legend);
                Some(RawCell { field, col: column.col, value, option: None })
            })
            .collect();
        cells.append(&mut run_on);
        Some(cells)
    }

    /// Whether the cell at (`row`, `col`) holds what a person's first row holds there and a
    /// second row would not: a date or a year under a birth date, "Nam" or "Nữ" under a
    /// gender, where the second row's label names another field.
    fn first_line_value_here(&self, row: u32, col: u32) -> bool {
        let first = self.header.columns.iter().find(|h| h.col == col).and_then(|h| h.field);
        let second = self.header.second_line.iter().find(|s| s.col == col).and_then(|s| s.field);
        let value = self.grid.get(row, col);
        match first {
            Some(Field::BirthDate | Field::BirthDateMale | Field::BirthDateFemale)
                if !matches!(second, Some(Field::BirthDate | Field::PartyJoinDate)) =>
            {
                match value {
                    CellValue::Date(_) => true,
                    CellValue::Number(n) => (1900.0..=2100.0).contains(n) || (3000.0..80_000.0).contains(n),
                    CellValue::Text(t) => {
                        let digits: Vec<&str> = t.split(['/', '-', '.', ' ']).filter(|p| !p.is_empty()).collect();
                        !digits.is_empty()
                            && digits.len() <= 3
                            && digits.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
                            && digits.last().is_some_and(|y| y.len() == 4)
                    }
                    _ => false,
                }
            }
            Some(Field::Gender) if second != Some(Field::Gender) => {
                matches!(fold_words(&value.to_text()).as_str(), "nam" | "nu")
            }
            _ => false,
        }
    }

    /// The unit of the rows under a heading `texts`, given the one above: a heading naming a
    /// unit by its full name ("I. ĐẢNG ỦY XÃ MINH SƠN") starts its block, as a cluster's or a
    /// district's compiled list has them; a body's own board ("Ban Tổ chức – Kiểm tra" of the
    /// Youth Union) shares only a short name with a district body. Another numbered heading
    /// ("3. Trung tâm Phát triển quỹ đất") ends the block; a block's own sections ("Khối chính
    /// quyền") do not.
    fn heading_unit(
        &self,
        texts: &[&str],
        above: Option<UnitId>,
        matched: &mut std::collections::HashMap<String, UnitMatch>,
    ) -> Option<UnitId> {
        let heading = texts.join(" ");
        let numbered = texts.first().is_some_and(|t| {
            is_roman_section(t)
                || is_section_number(t)
                || t.trim_start()
                    .split(['.', ')'])
                    .next()
                    .is_some_and(|n| !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()))
        });
        match cached_match(matched, self.ctx, &heading) {
            UnitMatch::Found(id)
                if tonghop_model::text::find_words(
                    &fold_words(&heading),
                    &fold_words(&self.ctx.registry.unit(id).name),
                )
                .is_some() =>
            {
                Some(id)
            }
            _ if numbered => None,
            _ => above,
        }
    }

    /// The field of column `col` when its text may run on over rows (positions, notes, pool
    /// entries, trainings, fields of study): what a row continuing a person may hold there.
    fn run_on_field(&self, col: u32) -> Option<Field> {
        let column = self.header.columns.iter().find(|h| h.col == col)?;
        match column.field {
            // Under "Họ và tên, chức vụ" the name's line runs on with the posts (a Word
            // table's second paragraph).
            Some(Field::FullName) if names_posts_too(&column.header) => Some(Field::Positions),
            field => field.filter(|f| RUN_ON.contains(f)),
        }
    }

    /// The mapped cells of a person's row; the grid is not read again, so values move out.
    fn take_cells(&mut self, row: u32, above: Option<&[RawCell]>) -> Vec<RawCell> {
        let mut cells = Vec::with_capacity(self.header.columns.len());
        for c in &self.header.columns {
            let Some(field) = c.field else { continue };
            if field == Field::RowNumber {
                continue;
            }
            let mut value = by_legend(self.grid.take(row, c.col), &c.legend);
            // "Như trên" ("nt", "〃"): the value of the person above (`above`, their cells), as
            // resolved for them.
            if field != Field::FullName
                && is_ditto(&value)
                && let Some(cell) = above.and_then(|cells| cells.iter().find(|a| a.col == c.col && a.field == field))
            {
                value = cell.value.clone();
            }
            // Labels on two lines over one cell ("Họ và tên⏎Chức vụ") and the person's values
            // on two lines in it ("Lục Văn Thỏa⏎Bí thư Đảng ủy"): each line is its label's.
            // A second line under a label nobody reads ("Quê quán") is left out. Only labels
            // written on two lines in one row say so of a cell: under a second header row, a
            // cell's lines are its own (two posts).
            if let Some(second) = self.header.second_line.iter().find(|s| s.col == c.col)
                && let CellValue::Text(text) = &value
                && let Some((first, rest)) = split_two_labels(text, field)
                && self.header.labels_on_one_row(self.grid)
            {
                if let Some(second_field) = second.field {
                    let rest = by_legend(CellValue::Text(rest.trim().to_owned()), &second.legend);
                    cells.push(RawCell { field: second_field, col: c.col, value: rest, option: None });
                }
                value = CellValue::Text(first);
            }
            // Labelled lines in one cell ("- Chuyên môn: Đại học Luật⏎- LLCT: Cao cấp⏎- QLNN:
            // Chuyên viên"): each value its label's field.
            if let CellValue::Text(text) = &value
                && let Some(labelled) = labelled_lines(text)
                && labelled.iter().any(|(f, _)| *f == field)
                && labelled.iter().all(|(f, _)| *f == field || self.header.column_of(*f).is_none())
            {
                cells.extend(labelled.into_iter().map(|(field, value)| RawCell {
                    field,
                    col: c.col,
                    value,
                    option: None,
                }));
                continue;
            }
            if c.rule == ColumnRule::Qualifications {
                let text = value.to_text();
                let parts = qualification_parts(&text);
                let joined = |kind: Qualification| {
                    let words: Vec<&str> = parts.iter().filter(|(k, _)| *k == kind).map(|(_, p)| *p).collect();
                    if words.is_empty() { CellValue::Empty } else { CellValue::Text(words.join(", ")) }
                };
                for (field, kind) in [
                    (Field::Professional, Qualification::Professional),
                    (Field::PoliticalTheory, Qualification::PoliticalTheory),
                    (Field::StateManagement, Qualification::StateManagement),
                    (Field::GeneralEducation, Qualification::GeneralEducation),
                ] {
                    let value = joined(kind);
                    if field != Field::GeneralEducation || !value.is_empty() {
                        cells.push(RawCell { field, col: c.col, value, option: None });
                    }
                }
                continue;
            }
            // "ĐH/CC/CVC": each part its field's, in the label's order. Parts beyond the
            // label's list stay with the last field ("ĐH/Luật/CC/CVC": QLNN "CC/CVC"), where
            // a value that reads as no level is shown to the clerk rather than dropped.
            if !c.packed.is_empty()
                && let CellValue::Text(text) = &value
            {
                // A part not written at all ("ĐH" under CM/LLCT/QLNN) gives no cell: unknown; a
                // part left empty between its slashes ("ĐH//CV") is the empty cell of a column.
                for (&field, part) in c.packed.iter().zip(text.splitn(c.packed.len(), '/')) {
                    let part = part.trim();
                    let value = if part.is_empty() { CellValue::Empty } else { CellValue::Text(part.to_owned()) };
                    cells.push(RawCell { field, col: c.col, value, option: None });
                }
                continue;
            }
            cells.push(RawCell { field, col: c.col, value, option: c.option.clone() });
        }
        if self.party_register {
            // Everyone on a list of Party members is one: said once for the sheet, given to
            // each row as a mark in its name's cell.
            cells.push(RawCell {
                field: Field::PartyMember,
                col: self.name_col(),
                value: CellValue::Text("x".to_owned()),
                option: None,
            });
        }
        cells
    }
}

/// Whether a cell is a ditto mark, "the same as above": "nt", "-nt-", "Như trên", or
/// quotation marks alone ("\"", "-\"-", "〃").
fn is_ditto(value: &CellValue) -> bool {
    let CellValue::Text(text) = value else { return false };
    let t = text.trim();
    // Asked of every cell of every person: most are no mark by their first letter.
    if t.len() > 12 || !t.starts_with(['n', 'N', '-', '"', '\'', '〃', '”', '“', '„', '″']) {
        return false;
    }
    // Quotation marks, between dashes or not ("-\"-", "''").
    let marks = t.trim_matches(|c: char| c == '-' || c == ' ');
    !marks.is_empty() && marks.chars().all(|c| matches!(c, '"' | '\'' | '〃' | '”' | '“' | '„' | '″'))
        || matches!(fold_words(t).as_str(), "nt" | "n t" | "nhu tren" | "nhu tren nt")
}

/// A cell's text under labels on two lines, cut into its first label's value and its
/// second's: at the first line break, but a name wrapped by hand keeps its last word
/// ("Nguyễn Văn⏎Thành⏎Bí thư Đảng ủy": the name is "Nguyễn Văn Thành"). A word alone on a
/// line, capitalised, that leaves a line for the second label and a name of five words at
/// most, is the name's.
fn split_two_labels(text: &str, field: Field) -> Option<(String, &str)> {
    let (first, mut rest) = text.split_once('\n')?;
    let mut first = first.trim().to_owned();
    if field == Field::FullName {
        while let Some((line, after)) = rest.split_once('\n') {
            let word = line.trim();
            let name_word = !word.is_empty()
                && !word.contains(char::is_whitespace)
                && word.starts_with(char::is_uppercase)
                && word.chars().all(char::is_alphabetic);
            if !name_word || after.trim().is_empty() || first.split_whitespace().count() >= 5 {
                break;
            }
            first.push(' ');
            first.push_str(word);
            rest = after;
        }
    }
    let rest = rest.trim();
    (!first.is_empty() && !rest.is_empty()).then_some((first, rest))
}

/// Whether a cell may be a name column's label ("Họ và tên", "Họ", "HỌ TÊN"), from its
/// first word only: asked of every name in the name column.
fn may_be_name_label(text: &str) -> bool {
    if text.len() > 120 {
        return false;
    }
    let mut first = String::with_capacity(6);
    for c in text.chars() {
        match tonghop_model::text::fold_char(c) {
            Some(f) if f.is_alphanumeric() => first.push(f),
            Some(_) if !first.is_empty() => break,
            _ => {}
        }
        if first.len() > 5 {
            return false;
        }
    }
    matches!(first.as_str(), "ho" | "hoten")
}

fn view_name_text(view: &RowView<'_>) -> String {
    view.name.as_deref().map(CellValue::to_text).unwrap_or_default()
}

/// Whether a sheet lists Party members only, and how it says so: its title names a list of
/// Party members or of a Party committee ("DANH SÁCH ĐẢNG VIÊN", "DANH SÁCH BAN CHẤP HÀNH",
/// "KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN"; a letterhead naming the committee that issues the return
/// does not), or a Party-member rating group marks every person of the sheet; and no
/// column says who is a member.
fn party_register(grid: &SheetGrid, title: &str, header: &Header) -> Option<&'static str> {
    if header.column_of(Field::PartyMember).is_some() || header.column_of(Field::PartyJoinDate).is_some() {
        return None;
    }
    const LISTS: &[&str] = &[
        "danh sach dang vien",
        "danh sach cap uy",
        "danh sach cap uy vien",
        "danh sach bch",
        "danh sach ban chap hanh",
        "phan loai dang vien",
        "xep loai dang vien",
    ];
    let says = |text: &str| {
        let folded = fold_words(text);
        LISTS.iter().any(|s| tonghop_model::text::find_words(&folded, s).is_some())
    };
    if says(title) {
        return Some("tiêu đề là danh sách đảng viên hoặc cấp ủy");
    }
    let rating: Vec<u32> =
        header.columns.iter().filter(|c| c.path.len() > 1 && says(&c.path[0])).map(|c| c.col).collect();
    if rating.is_empty() {
        return None;
    }
    let name_col = header.column_of(Field::FullName).or_else(|| header.column_of(Field::FamilyName))?;
    let people: Vec<u32> = (header.last_row + 1..grid.end_row())
        .filter(|&r| matches!(grid.get(r, name_col), CellValue::Text(t) if is_name_like(t)))
        .collect();
    let all_rated = !people.is_empty() && people.iter().all(|&r| rating.iter().any(|&c| !grid.get(r, c).is_empty()));
    all_rated.then_some("mọi người đều được xếp loại đảng viên")
}

/// Whether a name column's cell names no one: empty, no name's shape ("Văn phòng - thống
/// kê"), or a post ("Bí thư Đảng ủy"): what a person's second row holds there.
pub(crate) fn names_no_one(value: &CellValue) -> bool {
    match value {
        CellValue::Empty => true,
        // A name with the post on a line under it ("Vi Thị Slao⏎Chủ tịch Hội LHPN") names
        // someone: its first line does.
        CellValue::Text(t) => {
            let first_line = t.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
            !is_name_like(first_line) || names_a_post(&CellValue::Text(first_line.to_owned()))
        }
        _ => false,
    }
}

/// Whether a text names a place ("Xã Hòa Lạc, huyện Hữu Lũng", "Thị trấn Hữu Lũng", "Thôn
/// Bến"): a hometown or a unit where a name stands. No family name is one of these words.
fn is_place(t: &str) -> bool {
    // (Asked of every person's row: the word as written, in its three cases.)
    const PLACES: &[&str] = &[
        "Xã",
        "xã",
        "XÃ",
        "Phường",
        "phường",
        "PHƯỜNG",
        "Huyện",
        "huyện",
        "HUYỆN",
        "Tỉnh",
        "tỉnh",
        "TỈNH",
        "Thôn",
        "thôn",
        "THÔN",
        "Bản",
        "bản",
        "BẢN",
        "Khu",
        "khu",
        "KHU",
        "Tổ",
        "tổ",
        "TỔ",
    ];
    let mut words = t.split_whitespace();
    words.next().is_some_and(|first| {
        PLACES.contains(&first)
            || (matches!(first, "Thị" | "thị" | "THỊ")
                && words.next().is_some_and(|w| matches!(w, "trấn" | "Trấn" | "TRẤN")))
    })
}

/// Whether a post's name, a field's label, a level or a place stands where a person's name
/// should.
fn names_no_person(name: &CellValue) -> bool {
    let CellValue::Text(t) = name else { return false };
    let t = t.trim();
    // A legend's line: an abbreviation, a colon, its meaning.
    if t.split_once(':').is_some_and(|(key, meaning)| {
        key.trim().chars().count() <= 6 && !key.trim().is_empty() && meaning.trim().chars().any(char::is_alphabetic)
    }) {
        return true;
    }
    if is_place(t) {
        return true;
    }
    use tonghop_model::codes::{parse_political_theory, parse_professional};
    // Asked of every person's row: a name that looks like one is one (and is not looked up:
    // names are all different, none remembered).
    if is_name_like(t) {
        return false;
    }
    // Only texts that fold to a level's words: a name ("Cao Văn Sơn") reads as none.
    let level = parse_political_theory(t).is_some_and(|v| v.level != tonghop_model::codes::PoliticalTheory::Khong)
        || parse_professional(t)
            .is_some_and(|v| v.field.is_none() && v.level != tonghop_model::codes::Professional::ChuaQuaDaoTao);
    // Labels of what no field reads, as a header's row under the name's says them ("Quê
    // quán" under "Ngày sinh" under "Họ và tên").
    const LABELS: &[&str] = &[
        "que quan",
        "noi sinh",
        "dia chi",
        "cho o hien nay",
        "noi o hien nay",
        "ngach",
        "ngach cong chuc",
        "ma ngach",
        // A count's label ("Tổng số" heading a table of counts).
        "tong so",
        "tong cong",
        "so luong",
    ];
    level || crate::header::field_of(t).is_some() || (t.len() <= 32 && LABELS.contains(&fold_words(t).as_str()))
}

fn names_a_post(name: &CellValue) -> bool {
    let CellValue::Text(t) = name else { return false };
    // Asked of every person's row: only a name beginning with a word that begins posts is
    // parsed ("Chu" and "Chủ" plain are told apart by the parse).
    const POST_WORDS: &[&str] = &[
        "pho", "truong", "bi", "chu", "chuc", "chi", "uy", "dang", "thu", "ke", "can", "cong", "nhan", "giam", "xa",
        "doi", "ct", "pct", "bt", "pbt", "cb", "cc", "van", "tu", "tai", "dia",
    ];
    let first: String = t
        .chars()
        .take_while(|c| !c.is_whitespace())
        .filter_map(tonghop_model::text::fold_char)
        .filter(|c| c.is_alphanumeric())
        .collect();
    if !POST_WORDS.contains(&first.as_str()) {
        return false;
    }
    // Family names fold as post words do ("Đặng" and "Đảng", "Trương" and "Trưởng", "Cấn"
    // and "Cán"): a word written with its marks begins a post only as the post's word is
    // written. Typed plain, "dang" is taken for the name (one person in fifty is a Đặng).
    const MARKED: &[&str] = &[
        "phó",
        "trưởng",
        "bí",
        "chủ",
        "chức",
        "chỉ",
        "ủy",
        "uỷ",
        "đảng",
        "thủ",
        "kế",
        "cán",
        "công",
        "nhân",
        "giám",
        "xã",
        "đội",
        // A commune's civil servants' posts ("Văn phòng - thống kê", "Tư pháp - hộ tịch",
        // "Tài chính - kế toán", "Địa chính - xây dựng").
        "văn",
        "tư",
        "tài",
        "địa",
    ];
    let word: String = t.split_whitespace().next().unwrap_or_default().to_lowercase();
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if if word.is_ascii() { first == "dang" } else { !MARKED.contains(&word) } {
        return false;
    }
    if crate::header::field_of(t).is_some() {
        return true;
    }
    let parsed = tonghop_model::codes::parse_positions(t, tonghop_model::UnitKind::Xa);
    !parsed.positions.is_empty() && parsed.unrecognised.is_empty()
}

/// Fills the values merged down over several people ("Nam" over two rows, a level over
/// three, a post two people share): the top cell's value is each one's, as a spreadsheet
/// shows it. Only a row that names someone takes it, so a record of two rows keeps its
/// second row as it was, and a person's name, birth date, ID or note is never taken from
/// another. An xlsx sheet's merged ranges cost a second pass over its part: they are read
/// when a column filled for most people is empty for some (a return with every cell filled
/// costs nothing more). Returns how many cells took
/// a merged value.
fn fill_merged_down(
    grid: &mut SheetGrid,
    header: &crate::header::Header,
    ranges: Option<&crate::workbook::MergedRanges>,
) -> usize {
    let Some(name_col) = header.column_of(Field::FullName).or_else(|| header.column_of(Field::FamilyName)) else {
        return 0;
    };
    let fills_down = |f: Field| {
        !matches!(
            f,
            Field::RowNumber
                | Field::FullName
                | Field::FamilyName
                | Field::GivenName
                | Field::BirthDate
                | Field::BirthDateMale
                | Field::BirthDateFemale
                | Field::NationalId
                | Field::Note
        )
    };
    let fillable: Vec<u32> = header.columns.iter().filter(|c| c.field.is_some_and(fills_down)).map(|c| c.col).collect();
    let first_data = header.last_row + 1;
    // A row that names someone and holds something besides: a section ("CÔNG CHỨC", "Khối
    // Chính Quyền") inside a merged block holds its name alone, and stays a section.
    let number_col = header.column_of(Field::RowNumber);
    let names = |grid: &SheetGrid, row: u32| {
        matches!(grid.get(row, name_col), CellValue::Text(t) if is_name_like(t))
            && header.columns.iter().any(|c| {
                c.col != name_col && Some(c.col) != number_col && c.field.is_some() && !grid.get(row, c.col).is_empty()
            })
    };
    if fillable.is_empty() {
        return 0;
    }
    if grid.vertical_merges.is_empty() {
        let Some(ranges) = ranges else { return 0 };
        // Rows with anything in the name's column (the exact test of a name is for the rows
        // a value fills, below): asked of every sheet. A column filled for most of them but
        // not all may have a value merged down; a column mostly empty ("Đang học", notes) is
        // sparse, not merged.
        // One pass, row by row (every return's sheet is asked).
        let (r0, c0) = grid.origin;
        let mut filled = vec![0_usize; fillable.len()];
        let mut people = 0;
        for cells in grid.rows.iter().skip(first_data.saturating_sub(r0) as usize) {
            let at = |c: u32| cells.get(c.saturating_sub(c0) as usize).is_some_and(|v| !v.is_empty());
            if !at(name_col) {
                continue;
            }
            people += 1;
            for (n, &c) in filled.iter_mut().zip(&fillable) {
                *n += usize::from(at(c));
            }
        }
        let gap = filled.iter().any(|&n| n < people && n * 2 >= people);
        if !gap {
            return 0;
        }
        grid.vertical_merges = ranges.vertical_of(grid);
    }
    let merges = std::mem::take(&mut grid.vertical_merges);
    let mut filled = 0;
    // Overlapping ranges of a hostile file visit no more cells than the sheet has.
    let mut budget = u64::from(grid.end_row().saturating_sub(first_data)) * fillable.len() as u64;
    for m in merges.iter().filter(|m| m.start.0 >= first_data) {
        let value = grid.get(m.start.0, m.start.1).clone();
        if value.is_empty() {
            continue;
        }
        for col in (m.start.1..=m.end.1).filter(|c| fillable.contains(c)) {
            for row in m.start.0 + 1..=m.end.0.min(grid.end_row().saturating_sub(1)) {
                budget = budget.saturating_sub(1);
                if budget == 0 {
                    grid.vertical_merges = merges;
                    return filled;
                }
                if grid.get(row, col).is_empty() && names(grid, row) {
                    grid.set(row, col, value.clone());
                    filled += 1;
                }
            }
        }
    }
    grid.vertical_merges = merges;
    filled
}

/// One person's form on a sheet of forms ("PHIẾU TRÍCH NGANG", a block per official).
struct PersonForm {
    /// The row of its "Họ và tên:" label.
    first_row: u32,
    /// Its values, each under the field its label names, in the column it is written in.
    cells: Vec<RawCell>,
}

/// The forms of a sheet that holds a form per person instead of a table: labels with their
/// colon ("Họ và tên:", "Ngày sinh:", "Chức vụ:"), each value in a cell to the right, a block
/// from each "Họ và tên:" to the next. Two forms at least, each naming someone: one form
/// alone is a personal record, not a return.
fn forms_per_person(grid: &SheetGrid, config: &Config) -> Option<Vec<PersonForm>> {
    // Asked of every sheet: only one whose first rows hold a name's label with its colon is
    // read through ("Họ và tên:").
    let top = grid.end_row().min(grid.origin.0 + crate::header::HEADER_SEARCH_ROWS);
    let name_label = (grid.origin.0..top).any(|r| {
        (grid.origin.1..grid.end_col()).any(|c| {
            matches!(grid.get(r, c), CellValue::Text(t) if t.len() <= 60 && t.trim_end().ends_with(':')
                && crate::header::mapped(t.trim_end().trim_end_matches(':'), config)
                    .is_some_and(|(f, _)| f == Field::FullName))
        })
    });
    if !name_label {
        return None;
    }
    // Every labelled value: (row, value column, field, value).
    let mut pairs: Vec<(u32, u32, Field, CellValue)> = Vec::new();
    for row in grid.origin.0..grid.end_row() {
        let mut col = grid.origin.1;
        while col < grid.end_col() {
            let label = match grid.get(row, col) {
                CellValue::Text(t) if t.trim_end().ends_with(':') && t.len() <= 60 => {
                    t.trim_end().trim_end_matches(':')
                }
                _ => {
                    col += 1;
                    continue;
                }
            };
            let Some((field, _)) = crate::header::mapped(label, config) else {
                col += 1;
                continue;
            };
            // The value: the next cell to the right that holds something, before another label.
            let value = (col + 1..grid.end_col().min(col + 4))
                .map(|c| (c, grid.get(row, c)))
                .find(|(_, v)| !v.is_empty())
                .filter(|(_, v)| !matches!(v, CellValue::Text(t) if t.trim_end().ends_with(':')));
            if let Some((c, v)) = value {
                pairs.push((row, c, field, v.clone()));
                col = c + 1;
            } else {
                // A label left blank: the form asks, and nothing is written (a level's none).
                pairs.push((row, col + 1, field, CellValue::Empty));
                col += 1;
            }
        }
    }
    let names: Vec<u32> = pairs
        .iter()
        .filter(|(_, _, f, v)| *f == Field::FullName && matches!(v, CellValue::Text(t) if is_name_like(t)))
        .map(|(r, ..)| *r)
        .collect();
    if names.len() < 2 {
        return None;
    }
    let forms = names
        .iter()
        .enumerate()
        .map(|(i, &first_row)| {
            let end = names.get(i + 1).copied().unwrap_or(u32::MAX);
            let cells = pairs
                .iter()
                .filter(|(r, ..)| (first_row..end).contains(r))
                .map(|(_, c, f, v)| RawCell { field: *f, col: *c, value: v.clone(), option: None })
                .collect();
            PersonForm { first_row, cells }
        })
        .collect();
    Some(forms)
}

/// What a part of a cell of training in words is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualification {
    Professional,
    PoliticalTheory,
    StateManagement,
    GeneralEducation,
}

/// The parts of a cell of training in words, split at ",", ";", "+" and " - ", each with
/// what its own words say it is: "TC LLCT", "Cao cấp CT", "TCCT", "đang học TC LLCT" the
/// political theory; "QLNN CV", "CVC" the state management; "12/12" the schooling; the
/// rest the profession ("ĐH Luật", "chưa qua ĐT chuyên môn").
fn qualification_parts(text: &str) -> Vec<(Qualification, &str)> {
    use tonghop_model::codes::{parse_political_theory, parse_state_management};
    let mut seen_profession = false;
    text.split([',', ';', '+'])
        .flat_map(|p| p.split(" - "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| {
            let folded = fold_words(part);
            let has = |w: &str| tonghop_model::text::find_words(&folded, w).is_some();
            let compact = folded.replace(' ', "");
            // A part is a level of political theory or state management only when it reads
            // as one ("ĐH Kinh tế chính trị" is a degree, its words notwithstanding): with
            // its marker ("TC LLCT", "Cao cấp CT", "TCCT", "QLNN CV"), or bare after the
            // degree ("Đại học, CC, CV").
            let political = parse_political_theory(part).is_some()
                && (["llct", "ly luan", "chinh tri", "ct", "dang hoc"].iter().any(|w| has(w))
                    || ["tcct", "ccct", "scct", "cnct"].contains(&compact.as_str())
                    || seen_profession);
            let state = !political
                && parse_state_management(part).is_some()
                && (has("qlnn")
                    || has("quan ly nha nuoc")
                    || ["cv", "cvc", "cvcc", "cs", "chuyenvien", "chuyenvienchinh", "chuyenviencaocap", "cansu"]
                        .contains(&compact.as_str()));
            let kind = if political {
                Qualification::PoliticalTheory
            } else if state {
                Qualification::StateManagement
            } else if part
                .split_once('/')
                .is_some_and(|(a, b)| a.trim().parse::<u8>().is_ok_and(|a| a <= 12) && matches!(b.trim(), "10" | "12"))
            {
                Qualification::GeneralEducation
            } else {
                seen_profession = true;
                Qualification::Professional
            };
            (kind, part)
        })
        .collect()
}

/// Whether a text names someone, a title before the name allowed ("Đ/c Lục Văn Toản",
/// "Ông Hoàng Văn Tài").
fn names_someone(text: &str) -> bool {
    is_name_like(tonghop_model::text::split_name_title(text).map_or(text, |(_, name)| name))
}

/// The first rows under a header, where a column's contents are sampled.
fn sample_rows(grid: &SheetGrid, header: &Header) -> std::ops::Range<u32> {
    let first = header.last_row + 1;
    first..grid.end_row().min(first + 50)
}

/// Gives each column of codes the code list of its field sent beside the return ("07" under
/// "Dân tộc", read by "DANH MỤC DÂN TỘC"): not a one-hot column ("Nam │ Nữ" marked 0/1) nor a
/// packed one ("ĐH/TC"). The warning names the columns.
fn columns_by_code_lists(
    grid: &SheetGrid,
    header: &mut Header,
    code_lists: &std::collections::HashMap<Field, Vec<(String, String)>>,
) -> Option<String> {
    let rows = sample_rows(grid, header);
    let mut coded: Vec<String> = Vec::new();
    for column in header.columns.iter_mut().filter(|c| c.legend.is_empty() && c.option.is_none() && c.packed.is_empty())
    {
        let Some(list) = column.field.and_then(|f| code_lists.get(&f)) else { continue };
        let is_code = |r: u32| {
            let value = grid.get(r, column.col);
            let code = value.to_text().trim().to_lowercase();
            !value.is_empty() && list.iter().any(|(k, _)| same_code(k, &code))
        };
        if rows.clone().any(is_code) {
            column.legend.clone_from(list);
            coded.push(format!("{} (\"{}\")", tonghop_model::record::column_name(column.col), column.header));
        }
    }
    (!coded.is_empty())
        .then(|| format!("Các cột ghi mã, đọc theo danh mục kèm theo trong tệp: {}; kiểm tra lại", coded.join(", ")))
}

/// Makes a professional column whose cells say the LLCT and QLNN too ("ĐH Luật, TC LLCT,
/// CV") a column of training in words, where no column of LLCT is; the warning says so.
fn qualifications_column(grid: &SheetGrid, header: &mut Header) -> Option<String> {
    if header.column_of(Field::PoliticalTheory).is_some() {
        return None;
    }
    let rows = sample_rows(grid, header);
    let column = header
        .columns
        .iter_mut()
        .find(|c| c.field == Some(Field::Professional) && c.packed.is_empty() && c.rule != ColumnRule::Config)?;
    let cells: Vec<&str> = rows
        .filter_map(|r| match grid.get(r, column.col) {
            CellValue::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let combined = cells
        .iter()
        .filter(|t| qualification_parts(t).iter().any(|(k, _)| *k == Qualification::PoliticalTheory))
        .count();
    if combined < 2 || combined * 10 < cells.len() * 3 {
        return None;
    }
    column.rule = ColumnRule::Qualifications;
    Some(format!(
        "Cột {} (\"{}\") ghi chung chuyên môn, lý luận chính trị và QLNN: đọc từng phần theo chữ của nó; trình độ không ghi là chưa có; kiểm tra lại",
        tonghop_model::record::column_name(column.col),
        column.header
    ))
}

/// Reads the header's short unread labels by a legend written under the table ("NS: Ngày
/// tháng năm sinh; GT: Giới tính", one or several to a cell): each label whose legend entry
/// names a field takes it. The clerk is told which.
fn labels_by_legend(grid: &SheetGrid, header: &mut Header, config: &Config) -> Option<String> {
    let short = |label: &str| (1..=5).contains(&label.chars().count()) && !label.contains(' ');
    if !header.columns.iter().any(|c| c.field.is_none() && c.path.last().is_some_and(|l| short(l))) {
        return None;
    }
    // The legend: "KEY: meaning" pieces in text cells below the header.
    let mut legend: Vec<(String, String)> = Vec::new();
    let rows = header.last_row + 1..grid.end_row().min(header.last_row + 1 + 400);
    for row in rows {
        for col in grid.origin.1..grid.end_col() {
            let CellValue::Text(t) = grid.get(row, col) else { continue };
            if !t.contains(':') || t.len() > 400 {
                continue;
            }
            for piece in t.split([';', '\n']) {
                if let Some((key, meaning)) = piece.split_once(':')
                    && short(key.trim())
                {
                    // The meaning without its own bracketed codes ("(TC: Trung cấp, …)").
                    let meaning = meaning.split('(').next().unwrap_or("").trim();
                    legend.push((fold_words(key.trim()), meaning.to_owned()));
                }
            }
        }
    }
    let mut said = Vec::new();
    for column in header.columns.iter_mut().filter(|c| c.field.is_none()) {
        let Some(label) = column.path.last().filter(|l| short(l)) else { continue };
        let key = fold_words(label);
        let Some((_, meaning)) = legend.iter().find(|(k, _)| *k == key) else { continue };
        if let Some((field, _)) = crate::header::mapped(meaning, config) {
            column.field = Some(field);
            column.rule = ColumnRule::Label;
            said.push(format!("{label} = {meaning}"));
        }
    }
    (!said.is_empty())
        .then(|| format!("Tên cột viết tắt, đọc theo chú thích dưới bảng: {}; kiểm tra lại", said.join(", ")))
}

/// Whether a line reads as posts: every piece a known post, and more than a category's
/// name ("Công chức", "Cán bộ").
fn reads_as_posts(text: &str) -> bool {
    let folded = fold_words(text);
    let category =
        ["can bo", "cong chuc", "khong chuyen trach", "nguoi hoat dong khong chuyen trach", "can bo chuyen trach"]
            .contains(&folded.as_str());
    let parsed = tonghop_model::codes::parse_positions(text, tonghop_model::UnitKind::Xa);
    !category && !parsed.positions.is_empty() && parsed.unrecognised.is_empty()
}

/// Whether a name's label names the posts too ("Họ và tên, chức vụ", "Họ tên - Chức danh").
fn names_posts_too(label: &str) -> bool {
    let folded = fold_words(label);
    ["chuc vu", "chuc danh"].iter().any(|w| tonghop_model::text::find_words(&folded, w).is_some())
}

/// The fields and values of a cell written as labelled lines ("- Chuyên môn: Đại học⏎- LLCT:
/// Cao cấp⏎- Ngoại ngữ: Anh B; Tin học: Chứng chỉ B"): two parts at least, each "label:
/// value" with a label naming a field, no field twice; `None` for any other text (asked of
/// every text cell: the cheap test first).
fn labelled_lines(text: &str) -> Option<Vec<(Field, CellValue)>> {
    if !text.contains(':') || !text.contains(['\n', ';']) {
        return None;
    }
    let mut parts = Vec::new();
    for part in text.split(['\n', ';']).map(|p| p.trim().trim_start_matches(['-', '•', '+', '*']).trim()) {
        if part.is_empty() {
            continue;
        }
        let (label, value) = part.split_once(':')?;
        let field = crate::header::field_of(label.trim())?;
        if parts.iter().any(|(f, _)| *f == field) {
            return None;
        }
        let value = value.trim();
        parts.push((field, if value.is_empty() { CellValue::Empty } else { CellValue::Text(value.to_owned()) }));
    }
    (parts.len() >= 2).then_some(parts)
}

/// A part's number in a cell of its own: "II", "2.", "3)".
fn is_part_number(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', ')']);
    !t.is_empty() && (t.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')) || t.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a heading's texts name a part of the month's changes ("I │ BIẾN ĐỘNG TRONG
/// THÁNG", "2. │ Giảm (01 người)", "Tăng"; not "Tăng cường …").
fn names_changes(texts: &[&str]) -> bool {
    // The words after the part's number, in a cell of its own or not ("I │ BIẾN ĐỘNG", "2.
    // Giảm").
    let text = match texts {
        [number, words] if is_part_number(number) => *words,
        [words] => words,
        _ => return false,
    };
    let folded = fold_words(text);
    let words = folded.trim_start_matches(|c: char| !c.is_alphabetic()).trim();
    // ("Biến động trong tháng", "Biến động (03 người)", "Tăng, giảm": not a commune named
    // Biển Động.)
    let after_changes = |rest: &str| {
        let rest = rest.trim_start();
        rest.is_empty()
            || ["trong", "tang", "giam", "nhan su", "can bo"].iter().any(|w| rest.starts_with(w))
            || rest.starts_with(|c: char| c.is_ascii_digit())
    };
    // (With its marks: "biến động", not "biển động".)
    let marked = text.trim_start_matches(|c: char| !c.is_alphabetic()).to_lowercase();
    (words.strip_prefix("bien dong").is_some_and(after_changes) && marked.starts_with("biến động"))
        || words.strip_prefix("tang giam").is_some_and(after_changes)
        || ["giam", "tang"].iter().any(|w| {
            words
                .strip_prefix(w)
                .is_some_and(|rest| rest.is_empty() || rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        })
}

/// The skipped kind of a row in a part listing the month's changes.
const MONTHS_CHANGE: &str = "người trong mục biến động trong tháng";

/// The skipped kind of a row whose person has left.
const LEFT_THE_UNIT: &str = "người đã nghỉ hoặc chuyển đi";

/// Whether a note says the person left the unit by the period's end: retired, resigned,
/// moved out or died ("Đã nghỉ hưu từ 01/01/2024", "Thôi việc từ 01/02/2024", "Chuyển đi
/// tháng 01/2024", "Từ trần"), on a date on or before the period's last day, or in words that
/// say it is done ("đã"). A leaving to come ("Chờ nghỉ hưu", "Nghỉ hưu từ 01/6/2024"), a leave
/// ("nghỉ phép", "nghỉ việc riêng", "nghỉ thai sản"), a coming in ("Chuyển đến", "Tiếp nhận",
/// "chuyển công tác … về") and a transfer whose way is not said are no leaving.
fn left_by_note(note: &str, period: tonghop_model::Period) -> bool {
    let folded = fold_words(note);
    let has = |words: &str| tonghop_model::text::find_words(&folded, words).is_some();
    let date = left_by_date(note, period);
    says_leaving(note)
        && date.unwrap_or_else(|| has("da") || has("tu tran") || has("qua doi"))
        && (!maybe_staying(note) || done(note, date))
}

/// Words that leave a leaving in doubt unless it is done ("đã", or a past date): of age for
/// it ("đủ tuổi"), going on ("tiếp tục"), a transfer that may be a coming in ("chuyển công
/// tác đến", "… về").
fn maybe_staying(note: &str) -> bool {
    let folded = fold_words(note);
    ["du tuoi", "tiep tuc", "chuyen cong tac den", "chuyen cong tac ve"]
        .iter()
        .any(|w| tonghop_model::text::find_words(&folded, w).is_some())
}

/// Whether a note says its leaving is done: "đã", or a date on or before the period's end.
fn done(note: &str, date: Option<bool>) -> bool {
    date == Some(true) || tonghop_model::text::find_words(&fold_words(note), "da").is_some()
}

/// Whether a name is a template's example or a form's test ("Nguyễn Văn A", "Trần Thị B"):
/// one of the family names examples are written with, "Văn" or "Thị", and one letter.
/// ("Giàng A Páo": the letter is no given name; "Lò Văn A" may be someone's.)
fn is_placeholder_name(name: &CellValue) -> bool {
    let CellValue::Text(t) = name else { return false };
    let mut words = t.split_whitespace();
    let (Some(family), Some(middle), Some(given), None) = (words.next(), words.next(), words.next(), words.next())
    else {
        return false;
    };
    given.len() == 1
        && given.bytes().all(|b| b.is_ascii_uppercase())
        && matches!(fold_words(middle).as_str(), "van" | "thi")
        && matches!(family.to_lowercase().as_str(), "nguyễn" | "trần" | "lê" | "phạm")
}

/// Whether a status (a column of where each person stands now: "Nghỉ hưu", "Chuyển công
/// tác", "Thôi việc") says the person has left: the words of a leaving, or a transfer, and
/// nothing that says otherwise ([`says_staying`]); a date there must be past, but none is
/// needed (a status is what is, not what was written down).
fn left_by_status(status: &str, period: tonghop_model::Period) -> bool {
    let folded = fold_words(status);
    let transfer = tonghop_model::text::find_words(&folded, "chuyen cong tac").is_some() && !says_staying(status);
    let date = left_by_date(status, period);
    (says_leaving(status) || transfer) && date.unwrap_or(true) && (!maybe_staying(status) || done(status, date))
}

/// Whether the date a note gives is on or before the period's last day (a year alone, before
/// the period's year); `None` when it gives none.
fn left_by_date(note: &str, period: tonghop_model::Period) -> Option<bool> {
    let end = period.last_day();
    use chrono::Datelike;
    let BirthDate { year, month, day } = date_in_note(note, end.year())?;
    let date = (year, month.unwrap_or(1), day.unwrap_or(1));
    Some(if month.is_none() { year < end.year() } else { date <= (end.year(), end.month(), end.day()) })
}

/// Whether a column's label is a status ("Trạng thái", "Tình trạng công tác").
fn is_status_label(label: &str) -> bool {
    matches!(
        fold_words(label).as_str(),
        "trang thai" | "tinh trang" | "trang thai cong tac" | "tinh trang cong tac" | "tinh trang lam viec"
    )
}

/// Whether a note says a leaving (retired, resigned, moved out, died) and nothing that
/// says otherwise (a leave, a leaving to come, a coming in), whenever it was.
fn says_leaving(note: &str) -> bool {
    let folded = fold_words(note);
    let has = |words: &str| tonghop_model::text::find_words(&folded, words).is_some();
    const LEFT: [&str; 8] =
        ["nghi huu", "nghi viec", "thoi viec", "chuyen di", "tu tran", "qua doi", "da mat", "nghi che do"];
    LEFT.iter().any(|w| has(w)) && !says_staying(note)
}

/// Whether a note says a leave, a leaving to come or a coming in ("Nghỉ thai sản", "Chờ
/// nghỉ hưu", "Chuyển đến").
fn says_staying(note: &str) -> bool {
    let folded = fold_words(note);
    let lower = note.to_lowercase();
    let has = |words: &str| tonghop_model::text::find_words(&folded, words).is_some();
    // Folded words that say otherwise, and words kept with their marks where folding would
    // join two ("chờ" waiting, "cho" letting: "Đã có QĐ cho nghỉ hưu").
    const NOT_LEFT: [&str; 13] = [
        "sap",
        "du kien",
        "ke hoach",
        "phep",
        "thai san",
        "chuyen den",
        "de nghi",
        "rieng",
        "khong huong luong",
        "tiep nhan",
        "bo sung",
        "om",
        "dieu tri",
    ];
    const NOT_YET: [&str; 2] = ["chờ", "sẽ"];
    NOT_LEFT.iter().any(|w| has(w))
        || NOT_YET.iter().any(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|word| word == *w))
}

/// The first date written in a note: "01/01/2024", "1-1-24", "01/2024", "ngày 01 tháng 02
/// năm 2024", "tháng 01 năm 2024", "năm 2023". A year of two digits is this century's up to
/// the reference year.
fn date_in_note(note: &str, reference_year: i32) -> Option<BirthDate> {
    // In words: the number after "ngày", "tháng", "năm", wherever they stand in the note.
    let lower = note.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let after = |label: &str| {
        words
            .windows(2)
            .find(|w| w[0] == label)
            .and_then(|w| w[1].trim_matches(|c: char| !c.is_ascii_digit()).parse::<u32>().ok())
    };
    if let (Some(m), Some(year)) = (after("tháng"), after("năm").and_then(|y| i32::try_from(y).ok()))
        && (1..=12).contains(&m)
        && (1900..=2100).contains(&year)
    {
        let day = after("ngày").filter(|d| (1..=31).contains(d));
        return Some(BirthDate { year, month: Some(m), day });
    }
    // A date among other words, as a cell holds one: a day, month and year, or a year of
    // four digits after a month or alone ("nghỉ 15 ngày" is no 2015, "3/4 lương" no April).
    // A year of two digits is an event's: up to ten years after the reference ("nghỉ hưu từ
    // 01/6/25" is 2025), not a birth's.
    note.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')' || c == ';')
        .map(|token| token.trim_end_matches(['.', ':', ';']))
        .filter(|token| {
            let parts: Vec<&str> = token.split(['/', '-', '.']).collect();
            parts.len() == 3 || parts.last().is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        })
        .find_map(|token| BirthDate::from_text(token, reference_year + 10))
}

/// A second table without names, keyed by the persons' numbers (see `keyed_table`).
struct KeyedTable {
    header: Header,
    /// Each of its rows, with the record of the person of its number.
    joined: Vec<(u32, usize)>,
    /// The row after it.
    end: u32,
}

/// A row number as written ("1", "01", 1.0 as "1"), or `None` for an empty cell or a text
/// that is no number.
fn row_number_text(value: &CellValue) -> Option<String> {
    match value {
        CellValue::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 1e6 => Some(format!("{n:.0}")),
        CellValue::Text(t) => {
            let t = t.trim().trim_end_matches('.');
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.trim_start_matches('0').to_owned())
        }
        _ => None,
    }
}

/// How a sheet's people are laid out when not as a table's rows.
#[derive(Debug, Clone)]
enum FormsLaid {
    /// A block per person, labels with their colon ("Họ và tên:").
    OnePerBlock,
    /// A table turned on its side: the labels down this column, a person per column, over
    /// these rows.
    Across(u32, std::ops::RangeInclusive<u32>),
}

/// The people of a table turned on its side: the fields' labels down one of the first
/// columns ("Họ và tên", "Năm sinh", "Chức vụ", one per row) and each person's values in a
/// column of their own to the right. The name's row names two people at least, and the
/// labels name three fields at least; a table's header row (labels to the right of the
/// name's label) is no such row.
fn people_across(grid: &SheetGrid, config: &Config) -> Option<(Vec<PersonForm>, u32, std::ops::RangeInclusive<u32>)> {
    let label = |row: u32, col: u32| match grid.get(row, col) {
        CellValue::Text(t) if t.len() <= 60 => {
            crate::header::mapped(t.trim_end().trim_end_matches(':'), config).map(|(f, _)| f)
        }
        _ => None,
    };
    let top = grid.end_row().min(grid.origin.0 + crate::header::HEADER_SEARCH_ROWS);
    let label_cols = grid.origin.1..grid.end_col().min(grid.origin.1 + 3);
    // Asked of every sheet: the cheap test first (two names on the row right of the
    // cell), then whether the cell is the name's label (asking it of a person's name costs:
    // names are all different, none remembered).
    let (name_row, label_col) = (grid.origin.0..top).find_map(|r| {
        label_cols
            .clone()
            .find(|&c| {
                // The first value right of a name's label names someone (right of a roster's
                // name label stand labels, right of a person's name their birth or post).
                let says_name = matches!(grid.get(r, c), CellValue::Text(t) if (3..=60).contains(&t.len())
                        && !t.starts_with(|ch: char| ch.is_ascii_digit()))
                    && matches!(
                        (c + 1..grid.end_col()).map(|p| grid.get(r, p)).find(|v| !v.is_empty()),
                        Some(CellValue::Text(first)) if names_someone(first)
                    );
                let named = || {
                    (c + 1..grid.end_col())
                        .filter(|&p| matches!(grid.get(r, p), CellValue::Text(t) if names_someone(t)))
                        .count()
                };
                says_name
                    && named() >= 2
                    && label(r, c) == Some(Field::FullName)
                    && (c + 1..grid.end_col()).all(|p| label(r, p).is_none())
            })
            .map(|c| (r, c))
    })?;
    // The people's columns, and the label columns before them ("Trình độ" merged down
    // column A over "Chuyên môn │ LLCT │ QLNN" in column B).
    let persons: Vec<u32> = (label_col + 1..grid.end_col())
        .filter(|&p| matches!(grid.get(name_row, p), CellValue::Text(t) if names_someone(t)))
        .collect();
    let label_cols = label_col..*persons.first()?;
    let text_at = |r: u32, c: u32| match grid.get(r, c) {
        CellValue::Text(t) => Some(t.as_str()),
        _ => None,
    };
    // A row's field: its rightmost label that names one, alone or under the group to its left.
    let field_of_row = |r: u32| {
        label_cols.clone().rev().find_map(|c| {
            let leaf = text_at(r, c)?;
            label(r, c).or_else(|| {
                let group = (label_col..c)
                    .find_map(|g| (r.saturating_sub(6)..=r).rev().find_map(|gr| text_at(gr, g)).map(|t| (g, t)))?;
                crate::header::mapped(&format!("{} {leaf}", group.1), config).map(|(f, _)| f)
            })
        })
    };
    // The labels' rows: up and down from the name's while a label column holds text.
    let labelled = |r: u32| {
        label_cols.clone().any(|c| matches!(text_at(r, c), Some(t) if !is_name_like(t) || label(r, c).is_some()))
    };
    let first = (grid.origin.0..name_row).rev().take_while(|&r| labelled(r)).last().unwrap_or(name_row);
    let last = (name_row + 1..grid.end_row()).take_while(|&r| labelled(r)).last().unwrap_or(name_row);
    let mut fields: Vec<(u32, Field)> = (first..=last).filter_map(|r| field_of_row(r).map(|f| (r, f))).collect();
    if fields.len() < 3 {
        return None;
    }
    // A row of posts heading the people's columns, under a label over them ("Chức danh" ›
    // "Bí thư Đảng ủy │ Chủ tịch UBND xã"), right above the names: each one's post.
    if first == name_row
        && let Some(above) = name_row.checked_sub(1).filter(|&r| r >= grid.origin.0)
        && persons.iter().filter(|&&p| names_a_post(grid.get(above, p))).count() * 2 > persons.len()
    {
        fields.insert(0, (above, Field::Positions));
    }
    let forms: Vec<PersonForm> = persons
        .into_iter()
        .map(|p| PersonForm {
            first_row: name_row,
            cells: fields
                .iter()
                .map(|&(r, field)| RawCell { field, col: p, value: grid.get(r, p).clone(), option: None })
                .collect(),
        })
        .collect();
    let block = fields.first().map_or(name_row, |f| f.0)..=last;
    (forms.len() >= 2).then_some((forms, label_col, block))
}

/// Lists of people who are not the unit's officials, by the words that name them, and
/// what each is in the clerk's words.
const OTHERS: &[(&str, &str)] = &[
    ("danh sach hoc vien", "danh sách học viên của một lớp"),
    ("huy hieu dang", "danh sách đảng viên được tặng Huy hiệu Đảng"),
    ("de nghi ket nap", "danh sách đề nghị kết nạp Đảng"),
    ("quan chung uu tu", "danh sách quần chúng ưu tú"),
    ("danh sach nguoi co uy tin", "danh sách người có uy tín"),
    ("danh sach nguoi uy tin", "danh sách người có uy tín"),
    ("trich ngang hoc vien", "danh sách học viên của một lớp"),
    ("danh sach cu tri", "danh sách cử tri"),
    ("danh sach ho ngheo", "danh sách hộ nghèo"),
    ("danh sach ho can ngheo", "danh sách hộ cận nghèo"),
    ("danh sach hoi vien", "danh sách hội viên"),
    ("danh sach doan vien", "danh sách đoàn viên"),
    ("danh sach thi sinh", "danh sách thí sinh"),
    ("danh sach nhan khau", "danh sách nhân khẩu"),
    ("doi tuong bao tro xa hoi", "danh sách đối tượng bảo trợ xã hội"),
    ("danh sach nguoi cao tuoi", "danh sách người cao tuổi"),
    // Schedules name officials by the day, not the unit's officials with their records.
    ("lich truc", "lịch trực"),
    ("phan cong truc", "lịch trực"),
    ("lich cong tac", "lịch công tác"),
    ("lich lam viec", "lịch công tác"),
    ("lich tiep cong dan", "lịch tiếp công dân"),
    // Former officials: retirees, those who left on a benefit ("CÁN BỘ HƯU TRÍ, NGHỈ VIỆC
    // HƯỞNG TRỢ CẤP"), the gifts and visits they receive.
    ("huu tri", "danh sách cán bộ hưu trí"),
    ("tro cap hang thang", "danh sách người hưởng trợ cấp hằng tháng"),
    ("tang qua", "danh sách tặng quà"),
    ("tham hoi", "danh sách thăm hỏi, tặng quà"),
    ("mung tho", "danh sách mừng thọ"),
    ("chuc tho", "danh sách mừng thọ"),
    // A class's results and a vote's tally name people by what they scored.
    ("ket qua hoc tap", "bảng kết quả học tập của một lớp"),
    ("bang diem", "bảng kết quả học tập của một lớp"),
    ("diem thi", "bảng kết quả học tập của một lớp"),
    ("phieu tin nhiem", "kết quả lấy phiếu tín nhiệm"),
    // A meeting's delegates or attendance name officials by who came, not the unit's list.
    ("dai bieu du hoi nghi", "danh sách đại biểu dự họp"),
    ("dai bieu du hop", "danh sách đại biểu dự họp"),
    ("du hoi nghi", "danh sách đại biểu dự họp"),
    ("diem danh", "danh sách điểm danh"),
    ("bo phieu tin nhiem", "kết quả lấy phiếu tín nhiệm"),
    ("ket qua bau cu", "kết quả bầu cử"),
    ("ket qua kiem phieu", "kết quả kiểm phiếu"),
    // The month's leavers, as a list of their own ("DANH SÁCH CÁN BỘ NGHỈ HƯU, CHUYỂN CÔNG
    // TÁC TRONG THÁNG"): no longer the unit's.
    ("nghi huu", "danh sách cán bộ nghỉ hưu, chuyển đi"),
    ("chuyen cong tac", "danh sách cán bộ nghỉ hưu, chuyển đi"),
    ("thoi viec", "danh sách cán bộ nghỉ hưu, chuyển đi"),
    ("nghi viec", "danh sách cán bộ nghỉ hưu, chuyển đi"),
    ("nhap ngu", "danh sách công dân nhập ngũ"),
    ("tuyen quan", "danh sách công dân nhập ngũ"),
    ("kham tuyen", "danh sách công dân khám tuyển"),
    ("nghia vu quan su", "danh sách công dân thực hiện nghĩa vụ quân sự"),
];

/// Words that begin a list's own title ("DANH SÁCH …", "DS …", "TRÍCH NGANG …", "LỊCH
/// TRỰC …", "PHÂN CÔNG TRỰC …", "BẢNG TỔNG HỢP KẾT QUẢ …").
const LIST_TITLE: [&str; 8] = ["danh sach", "ds", "trich ngang", "lich", "phan cong", "tong hop", "bang", "ket qua"];

/// What a list of people who are not the unit's officials is, as its title names it ("DANH
/// SÁCH HỌC VIÊN LỚP…", "DANH SÁCH NGƯỜI CÓ UY TÍN…", "DANH SÁCH CỬ TRI"): sent beside a
/// return, it looks like one (names, birth dates, posts, levels) and is not read as one. A
/// class's learners come in the training register (`--training`).
fn list_of_others(title: &str) -> Option<&'static str> {
    // A list's own title names it: a note or a reference above a roster that mentions a
    // badge or a class ("Kèm theo … Huy hiệu Đảng") does not.
    // A bare title ("DANH SÁCH TRÍCH NGANG") says whom it lists on the next line ("Công dân
    // nhập ngũ năm 2024").
    let parts: Vec<String> = title.split(" | ").map(fold_words).collect();
    parts.iter().enumerate().find_map(|(i, folded)| {
        let titled = LIST_TITLE.iter().any(|w| starts_with_word(folded, w));
        if !titled {
            return None;
        }
        let said = |text: &str| OTHERS.iter().find(|(words, _)| tonghop_model::text::find_words(text, words).is_some());
        said(folded)
            .or_else(|| parts.get(i + 1).filter(|_| is_bare_list_title(folded)).and_then(|next| said(next)))
            .map(|(_, list)| *list)
    })
}

/// Whether a list's title says whom it lists only on its next line ("danh sach", "danh sach
/// trich ngang", "ds", "danh sach dai bieu" over "Dự Hội nghị…" or "HĐND xã…").
fn is_bare_list_title(folded: &str) -> bool {
    folded.split(' ').all(|w| ["danh", "sach", "ds", "trich", "ngang", "dai", "bieu"].contains(&w))
}

/// What a sheet with no list's title of its own lists, as its name says: "Học viên", "Huy
/// hiệu Đảng", "DS cử tri" beside the return's own sheet. A title that names a list decides
/// instead: a roster titled "DANH SÁCH CÁN BỘ" on a sheet named "Học viên" is a roster.
fn others_by_sheet_name(sheet_name: &str, title: &str) -> Option<&'static str> {
    let titled = title.split(" | ").any(|part| {
        let folded = fold_words(part);
        LIST_TITLE.iter().chain(&["bao cao", "bieu", "tong hop"]).any(|w| starts_with_word(&folded, w))
    });
    if titled {
        return None;
    }
    let folded = fold_words(sheet_name);
    OTHERS
        .iter()
        .find(|(words, _)| {
            let words = words.strip_prefix("danh sach ").unwrap_or(words);
            tonghop_model::text::find_words(&folded, words).is_some()
        })
        .map(|(_, list)| *list)
}

/// Whether the title just above a stacked table (two rows at most) names the month's
/// changes: those who left, retired, moved ("DANH SÁCH CÁN BỘ NGHỈ VIỆC TRONG THÁNG").
fn titled_as_changes(grid: &SheetGrid, header_row: u32) -> bool {
    const CHANGES: &[&str] =
        &["nghi viec", "nghi huu", "thoi viec", "chuyen di", "chuyen cong tac", "giam", "bien dong", "nghi che do"];
    (header_row.saturating_sub(2)..header_row).any(|r| {
        (grid.origin.1..grid.end_col()).any(|c| match grid.get(r, c) {
            CellValue::Text(t) => {
                let folded = fold_words(t);
                CHANGES.iter().any(|w| tonghop_model::text::find_words(&folded, w).is_some())
            }
            _ => false,
        })
    })
}

/// Whether a stacked table is no roster: it maps no field of a person beyond name, row
/// number, unit, note and post, and it holds pay ("Bậc", "Hệ số lương", "Phụ cấp…") or the
/// month's changes ("Nội dung", "Lý do", "Tăng", "Giảm").
fn is_other_table(header: &Header) -> bool {
    let personal = header.mapped().filter_map(|c| c.field).any(|f| {
        !matches!(
            f,
            Field::FullName
                | Field::FamilyName
                | Field::GivenName
                | Field::RowNumber
                | Field::Unit
                | Field::Note
                | Field::Positions
        )
    });
    if personal {
        return false;
    }
    header.columns.iter().flat_map(|c| c.path.iter()).any(|label| {
        let folded = fold_words(label);
        crate::header::is_pay_label(label)
            || matches!(folded.as_str(), "bac" | "bac luong" | "noi dung" | "ly do" | "tang" | "giam" | "bien dong")
            || folded.starts_with("tang ")
            || folded.starts_with("giam ")
    })
}

/// Why a sheet without a roster header was not read.
fn not_a_roster_reason(_name: &str) -> &'static str {
    "không có dòng tiêu đề có cột Họ và tên"
}

/// A sheet that shows how to fill the return rather than being one: "Hướng dẫn", "Ví dụ",
/// "Mẫu" (but not "Mẫu 2a", the name of an official form).
fn instruction_sheet(name: &str) -> Option<&'static str> {
    let folded = fold_words(name);
    let first = folded.split(' ').next().unwrap_or("");
    match first {
        "huong" if starts_with_word(&folded, "huong dan") => Some("trang hướng dẫn, không phải báo cáo"),
        "vi" if starts_with_word(&folded, "vi du") => Some("trang ví dụ, không phải báo cáo"),
        "mau" if folded == "mau" || folded == "mau dien" || folded == "mau nhap" => {
            Some("trang mẫu, không phải báo cáo")
        }
        "hdsd" | "example" | "sample" | "instructions" | "readme" => Some("trang hướng dẫn, không phải báo cáo"),
        _ => None,
    }
}

/// Detects labels that do not stand over their data and moves each onto it, returning the
/// warning the clerk reads. Two families: a header one column right of its data (names under
/// "STT" or an empty label, job titles under "Họ và tên"), and values merged over other
/// columns than their labels (a report's export: "Họ và tên" merged over C:F, each name
/// merged over B:E and stored in B). A label whose own column is empty in the data moves to
/// the neighbouring column that holds data and has no label of its own, left first.
fn realign(grid: &SheetGrid, header: &mut Header) -> Option<String> {
    let name_col = header.column_of(Field::FullName)?;
    // Rows of data: three values or more, and not the header repeated on a printed page.
    let labels: Vec<&str> = header.columns.iter().map(|c| c.header.as_str()).collect();
    let sample: Vec<u32> = (header.last_row + 1..grid.end_row())
        .take(40)
        .filter(|&r| {
            let mut count = 0;
            for c in grid.origin.1..grid.end_col() {
                match grid.get(r, c) {
                    CellValue::Empty => {}
                    CellValue::Text(t) if labels.contains(&t.as_str()) => return false,
                    _ => count += 1,
                }
            }
            count >= 3
        })
        .collect();
    let filled = |col: u32| sample.iter().filter(|&&r| !grid.get(r, col).is_empty()).count();
    let rows = sample.len();
    if rows < 3 {
        return None;
    }
    // The tail of a label merged over columns its data leaves empty is no column of its
    // own ("Họ và tên" over C:F with the names in B: D, E, F). A tail holding a value for
    // some is theirs ("Chức vụ" over D:E, a second post in E).
    let mut kept_path: Option<Vec<String>> = None;
    header.columns.retain(|c| {
        let tail = c.field.is_some() && kept_path.as_ref() == Some(&c.path) && filled(c.col) == 0;
        if !tail {
            kept_path = Some(c.path.clone());
        }
        !tail
    });
    let name_col = header.column_of(Field::FullName).unwrap_or(name_col);
    let mut moved: Vec<(u32, u32)> = Vec::new();
    if names_left_of_label(grid, header, name_col, &sample) {
        let left = name_col - 1;
        // A row-number label on the left column is dropped (its data is the names), and so
        // are the parts a label merged over several columns was cut into: the names are whole.
        let path = header.columns.iter().find(|c| c.col == name_col).map(|c| c.path.clone());
        header.columns.retain(|c| {
            c.col != left && !(c.rule == tonghop_model::intake::ColumnRule::NameParts && Some(&c.path) == path.as_ref())
        });
        if filled(name_col) * 5 >= rows {
            // Something else under the name's label (job titles): the whole header stands
            // one column right of its data, and every label from the name's on moves left.
            for c in header.columns.iter_mut().filter(|c| c.col >= name_col) {
                moved.push((c.col, c.col - 1));
                c.col -= 1;
            }
        } else {
            // Nothing under it: the names' cells are merged from the left of their label's.
            if let Some(c) = header.columns.iter_mut().find(|c| c.col == name_col) {
                c.col = left;
            }
            moved.push((name_col, left));
        }
    }
    let whole = moved.len() > 1;
    // Then each label over an empty column, left to right; a moved label's column is free.
    let mut labelled: Vec<u32> = header.columns.iter().filter(|c| c.field.is_some()).map(|c| c.col).collect();
    labelled.sort_unstable();
    let header_text = |col: u32| (header.first_row..=header.last_row).any(|r| !grid.get(r, col).is_empty());
    for col in labelled.clone() {
        if whole || moved.iter().any(|&(_, to)| to == col) || filled(col) * 5 >= rows {
            continue;
        }
        let free = |to: u32, labelled: &[u32]| {
            to >= grid.origin.1
                && to < grid.end_col()
                && !labelled.contains(&to)
                && !header_text(to)
                && filled(to) * 2 >= rows
        };
        let to = [col.checked_sub(1), Some(col + 1)].into_iter().flatten().find(|&to| free(to, &labelled));
        if let Some(to) = to {
            for c in header.columns.iter_mut().filter(|c| c.col == col) {
                c.col = to;
            }
            labelled.retain(|&c| c != col);
            labelled.push(to);
            moved.push((col, to));
        }
    }
    if moved.is_empty() {
        return None;
    }
    header.columns.sort_by_key(|c| c.col);
    if whole {
        let (from, to) = moved[0];
        return Some(format!(
            "Tiêu đề lệch một cột so với dữ liệu: các cột từ {} đọc dữ liệu cột bên trái, cột {} đọc là Họ và tên; kiểm tra lại các cột",
            tonghop_model::record::column_name(from),
            tonghop_model::record::column_name(to)
        ));
    }
    let said: Vec<String> = moved
        .iter()
        .map(|&(from, to)| {
            let label = header.columns.iter().find(|c| c.col == to).map_or("", |c| c.header.as_str());
            format!(
                "\"{label}\" ở cột {} đọc dữ liệu cột {}",
                tonghop_model::record::column_name(from),
                tonghop_model::record::column_name(to)
            )
        })
        .collect();
    Some(format!("Tiêu đề không đứng trên dữ liệu: {}; kiểm tra lại các cột", said.join(", ")))
}

/// A header's fields by column, in order: two headers that map the same fields to the
/// same columns read rows alike (a page's repeated header does; a second table that drops
/// a column does not).
fn mapping(header: &Header) -> Vec<(u32, Field)> {
    header.columns.iter().filter_map(|c| c.field.map(|f| (c.col, f))).collect()
}

/// Whether the names stand one column left of the name's label (under "STT" or an empty
/// label), with something else, or nothing, under the label.
fn names_left_of_label(grid: &SheetGrid, header: &Header, name_col: u32, sample: &[u32]) -> bool {
    if name_col == grid.origin.1 {
        return false;
    }
    let left = name_col - 1;
    // The column left of the name must carry no field of its own (an empty label or STT).
    if header.columns.iter().any(|c| c.col == left && c.field.is_some_and(|f| f != Field::RowNumber)) {
        return false;
    }
    let name_like = |col: u32| {
        sample.iter().filter(|&&r| matches!(grid.get(r, col), CellValue::Text(t) if is_name_like(t))).count()
    };
    let filled = |col: u32| sample.iter().filter(|&&r| !grid.get(r, col).is_empty()).count();
    let (here, there) = (name_like(name_col), name_like(left));
    // Names under the name label: the common case, decided on one column.
    if here * 10 > filled(name_col).max(1) * 3 {
        return false;
    }
    filled(left) >= 3 && there * 10 >= filled(left) * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_gives_its_first_date_and_no_number_that_is_no_date() {
        let date = |note| date_in_note(note, 2024);
        let full = |y, m, d| Some(BirthDate { year: y, month: Some(m), day: Some(d) });
        assert_eq!(date("Đã nghỉ hưu từ 01/01/2024"), full(2024, 1, 1));
        assert_eq!(date("Nghỉ hưu từ 1-1-24 (QĐ số 15/QĐ-UBND)"), full(2024, 1, 1));
        assert_eq!(date("Thôi việc từ tháng 02/2024"), Some(BirthDate { year: 2024, month: Some(2), day: None }));
        assert_eq!(date("Đã nghỉ hưu từ ngày 01 tháng 02 năm 2024"), full(2024, 2, 1));
        assert_eq!(date("Chuyển đi năm 2023"), Some(BirthDate { year: 2023, month: None, day: None }));
        // A count of days, a share of pay, a decision's number, a date that is none.
        assert_eq!(date("Nghỉ 15 ngày"), None);
        assert_eq!(date("Hưởng 3/4 lương"), None);
        assert_eq!(date("QĐ số 15/QĐ-UBND"), None);
        assert_eq!(date("Nghỉ từ 31/02/2024, đã nghỉ hưu 01/03/2024"), full(2024, 3, 1));
        // A full stop after the date; a year of two digits is an event's, not a birth's.
        assert_eq!(date("Đã có QĐ nghỉ hưu từ 01/6/2024."), full(2024, 6, 1));
        assert_eq!(date("Nghỉ hưu từ 01/6/25"), full(2025, 6, 1));
    }

    fn kind(texts: &[&str], name: &str, mapped: usize) -> RowKind {
        let name = if name.is_empty() { CellValue::Empty } else { CellValue::Text(name.to_owned()) };
        let filled: Vec<&&str> = texts.iter().filter(|t| !t.is_empty()).collect();
        let numbered = filled.first().is_some_and(|t| t.len() <= 3 && t.parse::<u32>().is_ok());
        let other_values = filled.len() - usize::from(!name.is_empty()) - usize::from(numbered);
        let view = RowView {
            texts: texts.to_vec(),
            name: Some(std::borrow::Cow::Owned(name)),
            mapped_values: mapped,
            other_values,
            ..RowView::default()
        };
        classify(&view, false)
    }

    #[test]
    fn rows_that_are_not_people() {
        assert_eq!(kind(&[], "", 0), RowKind::Blank);
        assert_eq!(kind(&["I. CÁN BỘ"], "", 0), RowKind::Group(Some(Category::CanBo)));
        assert_eq!(kind(&["II. CÔNG CHỨC"], "II. CÔNG CHỨC", 0), RowKind::Group(Some(Category::CongChuc)));
        assert_eq!(kind(&["Tổng cộng", "21"], "", 1), RowKind::Total);
        assert_eq!(kind(&["Cộng:", "21"], "", 1), RowKind::Total);
        assert_eq!(kind(&["Người lập biểu"], "", 0), RowKind::Footer);
        // Totals, read with their marks where they have them.
        for total in ["Tổng cộng", "TỔNG CỘNG", "Cộng:", "Cộng 25", "Tổng số", "Tổng 3", "Tong cong", "Cong", "TONG SO"]
        {
            assert!(is_total_start(total, false), "{total}");
        }
        assert!(is_total_start("Tỗng cộng", false), "a typo in the marks of tổng");
        assert!(is_total_start("Tong\u{a0}cong", false));
        for section_total in ["Cộng (i)", "Cộng A", "Cộng I", "Cong B", "Tổng cộng khối"] {
            assert!(is_total_start(section_total, false), "{section_total}");
        }
        assert!(!is_total_start("Tống Văn An", false), "a name");
        for not_total in ["Công chức", "CÔNG CHỨC", "Công an viên", "Cộng tác viên", "Cong chuc Tu phap - ho tich"]
        {
            assert!(!is_total_start(not_total, false), "{not_total}");
        }
        // A category's label alone over counts is a subtotal.
        assert!(is_total_start("Công chức", true));
        assert!(!is_total_start("Công chức Văn phòng - thống kê", true));
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
    fn a_family_name_that_folds_to_a_total_word_is_a_person() {
        // "Tống" folds to "tong" like "Tổng cộng"; accent-free matching is for headers.
        assert_eq!(kind(&["3", "Tống Văn Hải", "Bí thư"], "Tống Văn Hải", 1), RowKind::Person);
        assert_eq!(kind(&["4", "TỐNG THỊ LAN", "12/03/1985"], "TỐNG THỊ LAN", 1), RowKind::Person);
        assert_eq!(kind(&["Tổng: 21", "21"], "", 1), RowKind::Total);
        assert_eq!(kind(&["Tổng", "21"], "", 1), RowKind::Total);
    }

    #[test]
    fn rows_that_are_not_data_are_skipped_by_kind() {
        assert_eq!(kind(&["5"], "", 0), RowKind::Skip("dòng chỉ có số thứ tự"));
        assert_eq!(kind(&["{S}"], "", 0), RowKind::Skip("dòng mẫu (ô {…})"));
        // A template's example row, marked where the number would be, is no person.
        let example = ["VD", "Nguyễn Văn A", "01/01/1990", "Chuyên viên"];
        assert_eq!(kind(&example, "Nguyễn Văn A", 2), RowKind::Skip("dòng ví dụ của mẫu"));
        assert_eq!(kind(&["(Ví dụ:)", "Nguyễn Văn A", "Nam"], "Nguyễn Văn A", 2), RowKind::Skip("dòng ví dụ của mẫu"));
        // "Vũ Đình" starts like the mark but is a name.
        assert_eq!(kind(&["1", "Vũ Đình Dũng", "Nam"], "Vũ Đình Dũng", 2), RowKind::Person);
        assert_eq!(kind(&["face"], "", 0), RowKind::Skip("ô lẻ ngoài danh sách"));
        // A number alone outside the row number's column: a page's number, which joins no
        // one's posts.
        let page = RowView { texts: vec!["12"], name: None, other_values: 1, ..RowView::default() };
        assert_eq!(classify(&page, false), RowKind::Skip(PAGE_NUMBER));
        assert_eq!(kind(&["I", "Nghiệp vụ"], "Nghiệp vụ", 0), RowKind::Group(None));
        assert_eq!(kind(&["Lãnh đạo Chi cục"], "Lãnh đạo Chi cục", 0), RowKind::Group(None));
        // A name with only a value of a column tonghop does not use is a person.
        assert_eq!(kind(&["Giáp Văn Hưng", "0912345678"], "Giáp Văn Hưng", 0), RowKind::Person);
    }

    #[test]
    fn a_person_named_like_a_title_is_still_a_person() {
        assert_eq!(kind(&["3", "Hoàng Văn Tổng", "Bí thư"], "Hoàng Văn Tổng", 1), RowKind::Person);
    }
}
