//! Raw rows → canonical officials. Every coded value goes through the code lists of the
//! model; a value that is not recognised stays raw in the issue list, the field is left
//! unknown, and the cell address says where to look.

use std::borrow::Cow;

use chrono::NaiveDate;
use tonghop_model::codes::{
    self, Category, CommitteeLevel, Field, Gender, GeneralEducation, PoliticalTheory, Position, Professional,
    parse_committee, parse_ethnicity, parse_gender, parse_general_education, parse_party_member,
    parse_political_theory, parse_positions, parse_professional, parse_state_management, parse_studying,
};
use tonghop_model::record::{BirthDate, CellValue, NationalId, Official, RawCell, RawRecord};
use tonghop_model::text::{clean, title_case_name};
use tonghop_model::{Config, DataIssue, Registry, Severity};

/// The result of normalising one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalised {
    /// The official built from the row.
    pub official: Official,
    /// The problems found in its cells.
    pub issues: Vec<DataIssue>,
}

struct Ctx<'r> {
    record: &'r RawRecord,
    issues: Vec<DataIssue>,
    /// Where each field's cells lie in the row (see [`Spans`]).
    spans: Spans,
}

/// Fields a row's [`Spans`] has room for; a field past them (none today) is searched for.
const SPANNED: usize = 32;

/// For each field, the first and last of the row's cells mapped to it: the row is asked
/// for some twenty fields, several times each, and a search of every cell each time was
/// a tenth of the normalising.
struct Spans {
    first: [u16; SPANNED],
    last: [u16; SPANNED],
}

impl Spans {
    const NONE: u16 = u16::MAX;

    fn of(record: &RawRecord) -> Self {
        let mut spans = Self { first: [Self::NONE; SPANNED], last: [0; SPANNED] };
        for (i, cell) in record.cells.iter().enumerate() {
            let (Some(first), Ok(i)) = (spans.first.get_mut(cell.field as usize), u16::try_from(i)) else { continue };
            if *first == Self::NONE {
                *first = i;
            }
            spans.last[cell.field as usize] = i;
        }
        spans
    }
}

impl<'r> Ctx<'r> {
    fn new(record: &'r RawRecord) -> Self {
        Self { record, issues: Vec::new(), spans: Spans::of(record) }
    }

    /// The cells mapped to `field`, in column order.
    fn of(&self, field: Field) -> impl Iterator<Item = &'r RawCell> + use<'r> {
        let cells = &self.record.cells;
        // A row of more cells than a span can count, or a field past the table, is searched.
        let within = cells.len() < usize::from(Spans::NONE) && (field as usize) < SPANNED;
        let range = if within {
            let first = self.spans.first[field as usize];
            if first == Spans::NONE {
                0..0
            } else {
                usize::from(first)..usize::from(self.spans.last[field as usize]) + 1
            }
        } else {
            0..cells.len()
        };
        cells[range].iter().filter(move |c| c.field == field)
    }

    /// Whether the return has a column for `field`.
    fn has(&self, field: Field) -> bool {
        self.of(field).next().is_some()
    }

    fn issue(&mut self, cell: &RawCell, problem: String, severity: Severity) {
        self.issues.push(DataIssue {
            file_index: self.record.source.file_index,
            unit: Some(self.record.unit),
            file: self.record.source.file.to_string(),
            sheet: Some(self.record.source.sheet.to_string()),
            cell: Some(self.record.address(cell.col)),
            field: Some(cell.field),
            raw: cell.value.to_text(),
            problem,
            severity,
        });
    }

    fn unrecognised(&mut self, cell: &RawCell) {
        let problem = format!("Không nhận ra giá trị của cột {}; để trống (không rõ)", cell.field.label());
        self.issue(cell, problem, Severity::Warning);
    }

    /// The non-empty cells of a field.
    fn cells(&self, field: Field) -> impl Iterator<Item = &'r RawCell> + use<'r> {
        self.of(field).filter(|c| !c.value.is_empty())
    }

    /// The cell that holds `field`'s value: the first non-empty one, or for one-hot
    /// columns ("SC | TC | CC | CN") the marked one, as a cell whose text is the option.
    /// `Err(())` when several one-hot columns are marked (an issue is recorded).
    fn value_cell(&mut self, field: Field) -> Result<Option<Cow<'r, RawCell>>, ()> {
        if !self.of(field).any(|c| c.option.is_some()) {
            // Nearly every column: no list of cells to make.
            return Ok(self.of(field).find(|c| !c.value.is_empty()).map(Cow::Borrowed));
        }
        let cells: Vec<&RawCell> = self.cells(field).collect();
        let marks: Vec<&RawCell> = cells.iter().copied().filter(|c| c.option.is_some() && is_mark(&c.value)).collect();
        match marks.as_slice() {
            [] => Ok(cells.into_iter().find(|c| c.option.is_none()).map(Cow::Borrowed)),
            [one] => Ok(Some(Cow::Owned(RawCell {
                value: CellValue::Text(one.option.clone().unwrap_or_default()),
                ..(*one).clone()
            }))),
            several => {
                let options: Vec<String> = several.iter().filter_map(|c| c.option.clone()).collect();
                let first = several[0];
                let problem =
                    format!("Đánh dấu nhiều ô ({}) ở cột {}; để trống (không rõ)", options.join(", "), field.label());
                self.issue(first, problem, Severity::Warning);
                Err(())
            }
        }
    }

    /// Parses `field`'s value; an empty column gives `on_empty`, an absent column `None`.
    fn coded<T>(&mut self, field: Field, on_empty: Option<T>, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        if !self.has(field) {
            return None;
        }
        let Ok(cell) = self.value_cell(field) else { return None };
        let Some(cell) = cell else { return on_empty };
        let text = cell.value.text();
        // A drop-down of an import template writes a code before the label ("02 - Tày",
        // "DH - Đại học"): the label is read when the whole is not.
        let parsed = parse(&text).or_else(|| without_code(&text).and_then(&parse));
        if parsed.is_none() {
            self.unrecognised(&cell);
        }
        parsed
    }

    /// The field's non-empty cells, cleaned, joined by "; ".
    fn text(&self, field: Field) -> Option<String> {
        let mut cells = self.of(field).filter(|c| !c.value.is_empty());
        let mut joined = clean(&cells.next()?.value.text());
        for c in cells {
            joined.push_str("; ");
            joined.push_str(&clean(&c.value.text()));
        }
        Some(joined)
    }
}

/// The label of a coded drop-down value ("02 - Tày" → "Tày"): a code of one to four
/// letters or digits, a dash, the label.
fn without_code(text: &str) -> Option<&str> {
    let (code, label) = text.split_once(" - ").or_else(|| text.split_once('-'))?;
    let code = code.trim();
    (!code.is_empty() && code.len() <= 4 && code.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| label.trim())
        .filter(|l| !l.is_empty())
}

/// Whether a one-hot cell is marked ("x", "X", "1", "✓"...): anything but empty, "0",
/// "-" or "Không".
fn is_mark(value: &CellValue) -> bool {
    !value.is_empty() && !codes::means_none(&value.text())
}

/// Parses a date cell: a date-formatted cell, a year, an Excel serial stored as a number or
/// as text, or text in the forms clerks type ("12/05/1978", "12-5-78", "12.05.1978", "05/1978",
/// "1978").
pub fn parse_birth_date(value: &CellValue, reference_year: i32) -> Option<BirthDate> {
    match value {
        CellValue::Date(d) => Some(BirthDate::full(*d)),
        CellValue::Number(n) if n.fract() == 0.0 && (1900.0..=2100.0).contains(n) => {
            Some(BirthDate { year: *n as i32, month: None, day: None })
        }
        // A year and a month typed "1969.07", kept as the number 1969.07: the month when
        // its two digits show (1969.1 may have been "1969.10" or "1969.1": the year only);
        // any other fraction (1975.5) is no date, said.
        CellValue::Number(n) if (1900.0..2101.0).contains(n) => {
            let hundredths = (n.fract() * 100.0).round() as u32;
            let two_digits = (n.fract() * 100.0 - f64::from(hundredths)).abs() < 1e-6;
            match hundredths {
                1..=9 | 11 | 12 if two_digits => {
                    Some(BirthDate { year: n.trunc() as i32, month: Some(hundredths), day: None })
                }
                10 if two_digits => Some(BirthDate { year: n.trunc() as i32, month: None, day: None }),
                _ => None,
            }
        }
        // A year of two digits ("75", "02" as a number): this century up to the reference
        // year's, the last before, as text years are read.
        // (0 is a clerk's "none", not 2000.)
        CellValue::Number(n) if n.fract() == 0.0 && (1.0..100.0).contains(n) => {
            let y = *n as i32;
            Some(BirthDate { year: if y > reference_year % 100 { 1900 + y } else { 2000 + y }, month: None, day: None })
        }
        CellValue::Number(n) if (3000.0..80_000.0).contains(n) => {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid");
            epoch.checked_add_signed(chrono::Duration::days(*n as i64)).map(BirthDate::full)
        }
        // A date as software exports write it, year, month and day run together
        // ("19820415"; "19790000" when only the year is known).
        CellValue::Number(n) if n.fract() == 0.0 && (19_000_000.0..21_000_000.0).contains(n) => {
            parse_compact_date(&format!("{n:.0}"))
        }
        CellValue::Text(s) if s.trim().len() == 8 && s.trim().chars().all(|c| c.is_ascii_digit()) => {
            parse_compact_date(s.trim())
        }
        // An Excel serial stored as text (a date column pasted as text: "25742"), of a date
        // from 1940 to 2030: five digits outside it are a slip ("10579" for 10/5/79), said.
        CellValue::Text(s) if s.trim().len() == 5 && s.trim().chars().all(|c| c.is_ascii_digit()) => {
            let serial: f64 = s.trim().parse().ok()?;
            if !(14_611.0..=47_483.0).contains(&serial) {
                return None;
            }
            parse_birth_date(&CellValue::Number(serial), reference_year)
        }
        CellValue::Text(s) => BirthDate::from_text(s, reference_year),
        _ => None,
    }
}

/// A date written "yyyymmdd", its month and day "00" when unknown.
fn parse_compact_date(digits: &str) -> Option<BirthDate> {
    let (year, month, day) =
        (digits[..4].parse::<i32>().ok()?, digits[4..6].parse::<u32>().ok()?, digits[6..].parse::<u32>().ok()?);
    if !(1900..=2100).contains(&year) {
        return None;
    }
    match (month, day) {
        (0, 0) => Some(BirthDate { year, month: None, day: None }),
        (1..=12, 0) => Some(BirthDate { year, month: Some(month), day: None }),
        _ => NaiveDate::from_ymd_opt(year, month, day).map(BirthDate::full),
    }
}

/// Parses the date of an event (a class's opening or closing) as [`parse_birth_date`] does,
/// but for a bare number or text of one or two digits: a birth year may be written "75", a
/// class's date column holding "15" holds a day or a slip, not 2015.
pub fn parse_event_date(value: &CellValue, reference_year: i32) -> Option<BirthDate> {
    let two_digits = match value {
        CellValue::Number(n) => n.fract() == 0.0 && (0.0..100.0).contains(n),
        CellValue::Text(s) => {
            let s = s.trim();
            s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    if two_digits { None } else { parse_birth_date(value, reference_year) }
}

/// Normalises a national ID (see [`NationalId::from_cell`]).
pub fn parse_national_id(value: &CellValue) -> Option<NationalId> {
    NationalId::from_cell(value)
}

/// A parser that tries the configuration's extra spellings first.
fn with_config<'c, T>(
    config: &'c Config,
    field: Field,
    from_key: impl Fn(&str) -> Option<T> + 'c,
    parse: impl Fn(&str) -> Option<T> + 'c,
) -> impl Fn(&str) -> Option<T> + 'c {
    move |raw| config.value_key(field, raw).and_then(&from_key).or_else(|| parse(raw))
}

/// What is wrong with a 12-digit CCCD given the person's birth year and gender: digits 1–3
/// are a province code (001–096), digit 4 the century and gender (0/1: 1900s male/female,
/// 2/3: 2000s...), digits 5–6 the last two digits of the birth year.
pub fn cccd_inconsistency(id: &NationalId, birth_year: Option<i32>, gender: Option<Gender>) -> Option<String> {
    if !id.is_cccd() {
        return None;
    }
    let digits: Vec<u32> = id.0.chars().filter_map(|c| c.to_digit(10)).collect();
    let province = digits[0] * 100 + digits[1] * 10 + digits[2];
    if !(1..=96).contains(&province) {
        return Some(format!("Số CCCD có mã tỉnh {province:03} không tồn tại"));
    }
    let century = digits[3];
    let year = 1900 + i32::try_from(century / 2 * 100 + digits[4] * 10 + digits[5]).unwrap_or(0);
    let id_gender = if century.is_multiple_of(2) { Gender::Nam } else { Gender::Nu };
    let mut problems = Vec::new();
    if let Some(born) = birth_year
        && born != year
    {
        problems.push(format!("năm sinh theo số CCCD là {year}, theo báo cáo là {born}"));
    }
    if let Some(g) = gender
        && g != id_gender
    {
        problems.push(format!("giới tính theo số CCCD là {}, theo báo cáo là {}", id_gender.label(), g.label()));
    }
    (!problems.is_empty()).then(|| format!("Số CCCD không khớp: {}", problems.join("; ")))
}

/// Builds the official of one raw row; `config` adds value spellings.
pub fn normalise(record: &RawRecord, registry: &Registry, reference_year: i32, config: &Config) -> Normalised {
    let kind = registry.unit(record.unit).kind;
    let mut ctx = Ctx::new(record);
    let mut official =
        Official { unit: Some(record.unit), sources: vec![record.source.clone()], ..Official::default() };
    let (name, suffix_gender) = without_marks(&full_name(&mut ctx));
    let (name, titled_gender) = without_title(&name);
    let titled_gender = titled_gender.or(suffix_gender);
    official.full_name = name;
    birth_date_and_gender(&mut ctx, &mut official, reference_year, config);
    // "Ông" or "Bà" before the name says the gender where nothing else does.
    if official.gender.is_none() {
        official.gender = titled_gender;
    }
    // "Tày/Không" under "Dân tộc/Tôn giáo": an ethnicity has no slash, its part comes first.
    official.ethnicity = ctx.coded(Field::Ethnicity, None, |raw: &str| {
        parse_ethnicity(raw).or_else(|| raw.split_once('/').and_then(|(first, _)| parse_ethnicity(first)))
    });
    official.religion = ctx.text(Field::Religion).filter(|r| !codes::means_none(r));
    national_id(&mut ctx, &mut official);
    party_membership(&mut ctx, &mut official, reference_year);
    positions_and_committee(&mut ctx, &mut official, kind, config);
    category(&mut ctx, &mut official, record, config);
    levels(&mut ctx, &mut official, config);
    id_against_birth_and_gender(&mut ctx, &official);
    texts_and_planning(&mut ctx, &mut official);
    Normalised { official, issues: ctx.issues }
}

/// The full name, or the split name's parts joined, in title case.
fn full_name(ctx: &mut Ctx<'_>) -> String {
    ctx.cells(Field::FullName).map(|c| c.value.text()).find(|t| !t.trim().is_empty()).map_or_else(
        || {
            // A split name: family and middle names (one column or two, "Họ" and "Chữ
            // đệm", in their order), then the given name.
            let mut parts: Vec<String> = ctx
                .cells(Field::FamilyName)
                .map(|c| c.value.text().trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
            parts.extend(
                ctx.cells(Field::GivenName)
                    .map(|c| c.value.text())
                    .find(|t| !t.trim().is_empty())
                    .map(|t| t.trim().to_owned()),
            );
            title_case_name(&parts.join(" "))
        },
        |t| title_case_name(&t),
    )
}

/// A name without the marks written after it in brackets ("Mã Thị Lệ (nữ)(DTTS)", "Hoàng
/// Thị Yến (nữ, DTTS)"), and the gender "(nữ)" says. Only brackets of such marks go: "(nữ)",
/// "(DTTS)", "(dân tộc)", "(Nam)".
fn without_marks(name: &str) -> (String, Option<Gender>) {
    let mut rest = name.trim_end();
    let mut gender = None;
    while rest.ends_with(')')
        && let Some(open) = rest.rfind('(')
    {
        let words = tonghop_model::text::fold_words(&rest[open + 1..rest.len() - 1]);
        let marks: Vec<&str> = words.split(' ').filter(|w| !w.is_empty()).collect();
        if marks.is_empty()
            || !marks.iter().all(|w| matches!(*w, "nu" | "nam" | "dtts" | "dan" | "toc" | "thieu" | "so"))
        {
            break;
        }
        if marks.contains(&"nu") {
            gender = Some(Gender::Nu);
        } else if marks.contains(&"nam") {
            gender = Some(Gender::Nam);
        }
        rest = rest[..open].trim_end();
    }
    if rest.len() == name.trim_end().len() || rest.is_empty() {
        return (name.to_owned(), None);
    }
    (title_case_name(rest), gender)
}

/// A name without the title written before it ("Đ/c Lục Văn Toản", "Đồng chí …", "Ông
/// Hoàng Văn Tài", "Bà Chu Thị Lụa"; see [`tonghop_model::text::split_name_title`]), and the
/// gender "Ông" or "Bà" says.
fn without_title(name: &str) -> (String, Option<Gender>) {
    use tonghop_model::text::{NameTitle, split_name_title};
    match split_name_title(name) {
        Some((title, rest)) => {
            let gender = match title {
                NameTitle::Mr => Some(Gender::Nam),
                NameTitle::Mrs => Some(Gender::Nu),
                NameTitle::Comrade => None,
            };
            (title_case_name(rest), gender)
        }
        None => (name.to_owned(), None),
    }
}

/// The birth date (one column, "Ngày | Tháng | Năm", or split "Nam | Nữ" columns) and the
/// gender (its column, a lone one-hot column, or the birth date's Nam/Nữ column).
fn birth_date_and_gender(ctx: &mut Ctx<'_>, official: &mut Official, reference_year: i32, config: &Config) {
    // Birth date, and gender from a split "Nam | Nữ" birth-date column.
    let mut gender_from_column = None;
    // "Ngày | Tháng | Năm" in three columns: the date from its parts.
    if ctx.of(Field::BirthDate).any(|c| c.option.is_some()) {
        official.birth_date = date_from_parts(ctx, reference_year);
    }
    for (field, gender) in [
        (Field::BirthDate, None),
        (Field::BirthDateMale, Some(Gender::Nam)),
        (Field::BirthDateFemale, Some(Gender::Nu)),
    ] {
        for cell in ctx.cells(field).filter(|c| c.option.is_none()) {
            match parse_birth_date(&cell.value, reference_year) {
                Some(date) if !plausible_birth_year(date.year, reference_year) => ctx.issue(
                    cell,
                    format!("Năm sinh {} không hợp lý; để trống (không rõ)", date.year),
                    Severity::Warning,
                ),
                Some(date) if official.birth_date.is_none() => {
                    official.birth_date = Some(date);
                    gender_from_column = gender;
                }
                Some(_) => ctx.issue(cell, "Có hai ngày sinh; dùng ngày ở cột trước".to_owned(), Severity::Warning),
                None => ctx.issue(cell, "Ngày sinh không đọc được; để trống (không rõ)".to_owned(), Severity::Warning),
            }
        }
    }
    // A name written under its gender ("Họ và tên › Nam │ Nữ").
    if gender_from_column.is_none() {
        gender_from_column = ctx
            .of(Field::FullName)
            .filter(|c| c.option.is_some())
            .find(|c| !c.value.is_empty() && c.value.text().trim() != "")
            .and_then(|c| c.option.as_deref())
            .and_then(parse_gender);
    }
    let mut gender_cell =
        ctx.coded(Field::Gender, None, with_config(config, Field::Gender, Gender::from_key, parse_gender));
    // One one-hot column for a gender ("Trong đó › Nữ"): unmarked is the other.
    let lone = {
        let mut options = ctx.of(Field::Gender).filter_map(|c| c.option.as_deref());
        match (options.next(), options.next()) {
            (Some(only), None) => parse_gender(only),
            _ => None,
        }
    };
    if gender_cell.is_none()
        && let Some(only) = lone
        && !ctx.of(Field::Gender).any(|c| is_mark(&c.value))
    {
        gender_cell = Some(if only == Gender::Nu { Gender::Nam } else { Gender::Nu });
    }
    official.gender = match (gender_cell, gender_from_column) {
        (Some(a), Some(b)) if a != b => {
            if let Some(cell) = ctx.cells(Field::Gender).next() {
                ctx.issue(
                    cell,
                    "Giới tính khác với cột ngày sinh Nam/Nữ; dùng cột Giới tính".to_owned(),
                    Severity::Warning,
                );
            }
            Some(a)
        }
        (a, b) => a.or(b),
    };
}

/// The national ID; one that is not 12 or 9 digits is said and left out.
fn national_id(ctx: &mut Ctx<'_>, official: &mut Official) {
    for cell in ctx.cells(Field::NationalId) {
        match parse_national_id(&cell.value) {
            Some(id) => official.national_id = Some(id),
            None => ctx.issue(
                cell,
                "Số CCCD/CMND không hợp lệ (cần 12 hoặc 9 chữ số); bỏ qua".to_owned(),
                Severity::Warning,
            ),
        }
    }
}

/// Party membership: a mark, or a join date.
fn party_membership(ctx: &mut Ctx<'_>, official: &mut Official, reference_year: i32) {
    if ctx.has(Field::PartyMember) || ctx.has(Field::PartyJoinDate) {
        official.party_member = Some(false);
    }
    // A value not understood (a formula's error "#N/A", a word no list has) leaves the
    // membership unknown, not "no", unless another cell says yes.
    let mut unread = false;
    for field in [Field::PartyMember, Field::PartyJoinDate] {
        for cell in ctx.cells(field) {
            if let Some(date) = parse_birth_date(&cell.value, reference_year) {
                official.party_member = Some(true);
                if let (Some(m), Some(d)) = (date.month, date.day) {
                    official.party_join_date = NaiveDate::from_ymd_opt(date.year, m, d);
                }
            } else if let Some(member) = parse_party_member(&cell.value.text()).filter(|_| !is_error(&cell.value)) {
                official.party_member = Some(member || official.party_member == Some(true));
            } else {
                unread = true;
                ctx.unrecognised(cell);
            }
        }
    }
    if unread && official.party_member == Some(false) {
        official.party_member = None;
    }
}

/// Whether a cell holds a formula's error ("#N/A", "#REF!"): no value of any field.
fn is_error(value: &CellValue) -> bool {
    matches!(value, CellValue::Error(_))
}

/// Positions over every column that holds them, the committee level (its column or the
/// party positions, whichever is higher), and what each implies of the other.
fn positions_and_committee(ctx: &mut Ctx<'_>, official: &mut Official, kind: tonghop_model::UnitKind, config: &Config) {
    // Positions, possibly over several columns ("Chức vụ Đảng", "Chức vụ chính quyền").
    let mut texts = Vec::new();
    for cell in ctx.cells(Field::Positions) {
        if is_error(&cell.value) {
            ctx.unrecognised(cell);
            continue;
        }
        // A column of one post ("Chức vụ Đảng › Bí thư"): a mark there is that post.
        let text = match &cell.option {
            Some(post) if is_mark(&cell.value) && cell.value.text().trim().chars().count() <= 3 => post.clone().into(),
            _ => cell.value.text(),
        };
        let parsed = parse_positions(&text, kind);
        for p in parsed.positions {
            if !official.positions.contains(&p) {
                official.positions.push(p);
            }
        }
        for piece in parsed.unrecognised {
            match config.value_key(Field::Positions, &piece).and_then(Position::from_key) {
                Some(p) if !official.positions.contains(&p) => official.positions.push(p),
                Some(_) => {}
                None => ctx.issue(cell, format!("Không nhận ra chức vụ \"{piece}\""), Severity::Info),
            }
        }
        // Posts on lines of their own in one cell are posts apart, as they are parsed.
        texts.extend(text.lines().map(clean).filter(|line| !line.is_empty()));
    }
    official.positions_text = texts.join("; ");

    // Committee level: the committee column and the party positions, whichever is higher.
    // Under "Tham gia cấp ủy › Bí thư │ Phó Bí thư │ Ủy viên BTV │ Ủy viên BCH" a secretary
    // is ticked in each body he sits on: the highest ticked.
    let from_column = if ctx.of(Field::Committee).any(|c| c.option.is_some()) {
        // A column of levels beside the ticks ("Cấp ủy": "ĐUV") counts too.
        let levels = ctx.cells(Field::Committee).filter_map(|c| match &c.option {
            Some(option) => is_mark(&c.value).then(|| parse_committee(option)).flatten(),
            None => parse_committee(&c.value.to_text()),
        });
        Some(levels.max().unwrap_or(CommitteeLevel::Khong))
    } else {
        ctx.coded(
            Field::Committee,
            Some(CommitteeLevel::Khong),
            with_config(config, Field::Committee, CommitteeLevel::from_key, parse_committee),
        )
    };
    let from_positions = official.positions.iter().map(|p| p.committee_level()).max();
    official.committee = match (from_column, from_positions) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) if ctx.has(Field::Positions) => Some(a.or(b).unwrap_or(CommitteeLevel::Khong)),
        (a, b) => a.or(b),
    };

    // A committee column ("BT", "PBT", "BTV", "ĐUV") names a party position too.
    let implied = match official.committee {
        Some(CommitteeLevel::BiThu) => Some(Position::BiThu),
        Some(CommitteeLevel::PhoBiThu) => Some(Position::PhoBiThu),
        Some(CommitteeLevel::BanThuongVu) => Some(Position::UvBtv),
        Some(CommitteeLevel::CapUyVien) => Some(Position::DangUyVien),
        _ => None,
    };
    if let Some(p) = implied
        && !official
            .positions
            .iter()
            .any(|x| x.committee_level() >= p.committee_level() && x.committee_level() != CommitteeLevel::Khong)
    {
        official.positions.insert(0, p);
    }

    // A member of a Party committee is a Party member when no column says otherwise: a
    // blank in a column of marks ("x" for members) is no "no". A written "no" stands (a
    // youth union's "Bí thư" is read as a secretary too), shown to the clerk as a conflict.
    if official.is_committee_member() && official.party_member != Some(true) {
        let written_no: Vec<&RawCell> =
            ctx.cells(Field::PartyMember).filter(|c| parse_party_member(&c.value.text()) == Some(false)).collect();
        if written_no.is_empty() {
            official.party_member = Some(true);
        }
        for cell in written_no {
            let problem = format!(
                "Là cấp ủy viên theo chức vụ hoặc cột cấp ủy, nhưng cột {} ghi là không; kiểm tra lại",
                cell.field.label()
            );
            ctx.issue(cell, problem, Severity::Warning);
        }
    }
}

/// Category: the column, then the section row above, then the positions.
fn category(ctx: &mut Ctx<'_>, official: &mut Official, record: &RawRecord, config: &Config) {
    let from_column = ctx.coded(
        Field::Category,
        None,
        with_config(config, Field::Category, Category::from_key, codes::parse_category),
    );
    let from_positions = official.positions.iter().filter_map(|p| p.category()).min();
    official.category = from_column
        .or(record.section)
        .or(from_positions)
        .or_else(|| (!official.positions.is_empty() || official.holds(Position::NhanVien)).then_some(Category::Other));
}

/// General education, professional level (the higher of two columns), political theory
/// (and what is being studied), state management.
fn levels(ctx: &mut Ctx<'_>, official: &mut Official, config: &Config) {
    official.general_education = ctx.coded(
        Field::GeneralEducation,
        None,
        with_config(config, Field::GeneralEducation, GeneralEducation::from_key, parse_general_education),
    );
    // Two columns for the level ("Chuyên môn" and "Học hàm, học vị"): the higher one.
    let mut professional = |ctx: &mut Ctx<'_>, cell: &RawCell| {
        let text = cell.value.text();
        let configured = config
            .value_key(Field::Professional, &text)
            .and_then(Professional::from_key)
            .map(|level| codes::ProfessionalValue { level, field: None });
        match configured.or_else(|| parse_professional(&text)) {
            Some(p) if official.professional.is_none_or(|level| p.level > level) => {
                official.professional = Some(p.level);
                official.professional_field = p.field.or(official.professional_field.take());
            }
            Some(_) => {}
            None => ctx.unrecognised(cell),
        }
    };
    if ctx.of(Field::Professional).any(|c| c.option.is_some()) {
        if let Ok(Some(cell)) = ctx.value_cell(Field::Professional) {
            professional(ctx, &cell);
        }
    } else {
        for cell in ctx.cells(Field::Professional) {
            professional(ctx, cell);
        }
    }
    let political_theory = with_config(
        config,
        Field::PoliticalTheory,
        |k| PoliticalTheory::from_key(k).map(|level| codes::PoliticalTheoryValue { level, studying: None }),
        parse_political_theory,
    );
    if let Some(value) = ctx.coded(Field::PoliticalTheory, parse_political_theory(""), political_theory) {
        official.political_theory = Some(value.level);
        official.political_theory_studying = value.studying;
    }
    let studying = with_config(
        config,
        Field::PoliticalTheoryStudying,
        |k| PoliticalTheory::from_key(k).map(|l| (l != PoliticalTheory::Khong).then_some(l)),
        parse_studying,
    );
    if let Some(studying) = ctx.coded(Field::PoliticalTheoryStudying, Some(None), studying) {
        official.political_theory_studying = official.political_theory_studying.max(studying);
    }
    official.state_management =
        ctx.coded(Field::StateManagement, Some(codes::StateManagement::Khong), parse_state_management);
}

/// A CCCD whose digits disagree with the birth year or the gender is said (the ID is kept:
/// the slip may be in the date).
fn id_against_birth_and_gender(ctx: &mut Ctx<'_>, official: &Official) {
    if let Some(id) = &official.national_id
        && let Some(problem) = cccd_inconsistency(id, official.birth_date.map(|b| b.year), official.gender)
        && let Some(cell) = ctx.cells(Field::NationalId).next()
    {
        ctx.issue(cell, problem, Severity::Warning);
    }
}

/// The free-text fields and the planning entries.
fn texts_and_planning(ctx: &mut Ctx<'_>, official: &mut Official) {
    if official.professional_field.is_none() {
        official.professional_field = ctx.text(Field::ProfessionalField);
    }
    official.it = ctx.text(Field::It);
    official.foreign_language = ctx.text(Field::ForeignLanguage);
    official.ethnic_language = ctx.text(Field::EthnicLanguage);
    // A planning group of one-hot columns ("Quy hoạch › Bí thư | CT UBND" marked "x")
    // names the post by its column.
    let planned = if ctx.of(Field::Planning).any(|c| c.option.is_some()) {
        let marked: Vec<String> = ctx
            .cells(Field::Planning)
            .map(|c| match &c.option {
                Some(option) if is_mark(&c.value) => option.clone(),
                _ => clean(&c.value.text()),
            })
            .collect();
        (!marked.is_empty()).then(|| marked.join("; "))
    } else {
        ctx.text(Field::Planning)
    };
    official.planning = split_entries(planned).iter().map(|e| tonghop_model::planning::parse_planning(e)).collect();
    official.trainings = split_entries(ctx.text(Field::Trainings));
}

/// Whether an official of the period `reference_year` can have been born in `year`: from
/// 1900 (Excel's first date; "31/12/1899" is an empty date cell) to fifteen years before
/// the period. "31/12/9999" and the year 2100 are placeholders, not birth dates.
fn plausible_birth_year(year: i32, reference_year: i32) -> bool {
    (1900..=reference_year - 15).contains(&year)
}

/// A birth date written in a day, a month and a year column; `None` without a valid
/// year (the cells that cannot be read are reported).
fn date_from_parts(ctx: &mut Ctx<'_>, reference_year: i32) -> Option<BirthDate> {
    let number = |v: &CellValue| -> Option<u32> {
        match v {
            CellValue::Number(n) if n.fract() == 0.0 && *n >= 0.0 => Some(*n as u32),
            CellValue::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    };
    let cells: Vec<RawCell> = ctx.cells(Field::BirthDate).filter(|c| c.option.is_some()).cloned().collect();
    let part = |name: &str| cells.iter().find(|c| c.option.as_deref() == Some(name));
    let year = part("năm").and_then(|c| number(&c.value)).map(|y| if y < 100 { 1900 + y } else { y });
    let month = part("tháng").and_then(|c| number(&c.value)).filter(|m| (1..=12).contains(m));
    let day = part("ngày").and_then(|c| number(&c.value)).filter(|d| (1..=31).contains(d));
    let Some(year) = year.and_then(|y| i32::try_from(y).ok()).filter(|y| plausible_birth_year(*y, reference_year))
    else {
        if let Some(cell) = part("năm") {
            ctx.issue(cell, "Năm sinh không đọc được; để trống (không rõ)".to_owned(), Severity::Warning);
        }
        return None;
    };
    let day = day.filter(|d| month.is_some_and(|m| NaiveDate::from_ymd_opt(year, m, *d).is_some()));
    Some(BirthDate { year, month, day })
}

fn split_entries(text: Option<String>) -> Vec<String> {
    text.map(|t| {
        t.split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty() && !codes::means_none(s))
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonghop_model::codes::PoliticalTheory;
    use tonghop_model::intake::UnitFoundBy;
    use tonghop_model::record::SourceRow;
    use tonghop_model::units::UnitId;

    fn record(registry: &Registry, unit_name: &str, cells: &[(Field, CellValue)]) -> RawRecord {
        let unit = registry.units().iter().position(|u| u.name == unit_name).map(UnitId).unwrap();
        RawRecord {
            source: SourceRow { file_index: 0, file: "f.xlsx".into(), sheet: "S".into(), row: 5 },
            unit,
            unit_found_by: UnitFoundBy::Title,
            section: None,
            cells: cells
                .iter()
                .enumerate()
                .map(|(i, (f, v))| RawCell { field: *f, col: i as u32, value: v.clone(), option: None })
                .collect(),
        }
    }

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.to_owned())
    }

    #[test]
    fn codes_before_labels_and_one_hot_planning_and_a_lone_gender_column() {
        let r = Registry::embedded();
        let mut rec = record(
            &r,
            "Xã Sơn Hà",
            &[
                (Field::FullName, t("Lò Văn A")),
                (Field::Ethnicity, t("02 - Tày")),
                (Field::Professional, t("DH - Đại học")),
            ],
        );
        let hot = |field, option: &str, value: &str, col| RawCell {
            field,
            col,
            value: if value.is_empty() { CellValue::Empty } else { t(value) },
            option: Some(option.to_owned()),
        };
        rec.cells.push(hot(Field::Planning, "Bí thư", "", 10));
        rec.cells.push(hot(Field::Planning, "Chủ tịch UBND", "x", 11));
        rec.cells.push(hot(Field::Gender, "Nữ", "", 12));
        let o = normalise(&rec, &r, 2024, &Config::default()).official;
        assert_eq!(o.ethnicity.map(tonghop_model::codes::Ethnicity::label), Some("Tày"));
        assert_eq!(o.professional, Some(Professional::DaiHoc));
        assert_eq!(o.planning.len(), 1, "{:?}", o.planning);
        assert_eq!(o.gender, Some(Gender::Nam), "an unmarked 'Nữ' column");
        rec.cells.last_mut().unwrap().value = t("x");
        assert_eq!(normalise(&rec, &r, 2024, &Config::default()).official.gender, Some(Gender::Nu));
        assert_eq!(without_code("Đồng Tân"), None);
        // Posts as columns of marks ("Chức vụ Đảng › Bí thư"), beside a column of other posts.
        let mut rec = record(
            &r,
            "Xã Sơn Hà",
            &[(Field::FullName, t("Lò Văn A")), (Field::Positions, t("Chỉ huy trưởng Ban CHQS xã"))],
        );
        rec.cells.push(hot(Field::Positions, "Bí thư", "x", 20));
        rec.cells.push(hot(Field::Positions, "Phó Bí thư", "", 21));
        rec.cells.push(hot(Field::Positions, "Chủ tịch HĐND", "✓", 22));
        let o = normalise(&rec, &r, 2024, &Config::default()).official;
        assert_eq!(o.positions, [Position::ChtQuanSu, Position::BiThu, Position::CtHdnd], "{:?}", o.positions);
    }

    #[test]
    fn a_name_in_three_columns_is_joined_in_their_order() {
        let r = Registry::embedded();
        let cells =
            [(Field::FamilyName, t("nguyễn")), (Field::FamilyName, t("Thị Thanh")), (Field::GivenName, t("Huệ"))];
        let o = normalise(&record(&r, "Xã Sơn Hà", &cells), &r, 2024, &Config::default()).official;
        assert_eq!(o.full_name, "Nguyễn Thị Thanh Huệ");
        // No middle name: two words.
        let cells =
            [(Field::FamilyName, t("Lý")), (Field::FamilyName, CellValue::Empty), (Field::GivenName, t("Phong"))];
        let o = normalise(&record(&r, "Xã Sơn Hà", &cells), &r, 2024, &Config::default()).official;
        assert_eq!(o.full_name, "Lý Phong");
    }

    #[test]
    fn marks_after_the_name_are_no_part_of_it() {
        assert_eq!(without_marks("Mã Thị Lệ (nữ)(DTTS)"), ("Mã Thị Lệ".to_owned(), Some(Gender::Nu)));
        assert_eq!(without_marks("Hoàng Thị Yến (nữ, DTTS)"), ("Hoàng Thị Yến".to_owned(), Some(Gender::Nu)));
        assert_eq!(without_marks("Lăng Văn Hiếu (DTTS)"), ("Lăng Văn Hiếu".to_owned(), None));
        // Other brackets stay: a second name, a nickname.
        assert_eq!(without_marks("Lò Văn A (Lò Văn Ă)"), ("Lò Văn A (Lò Văn Ă)".to_owned(), None));
    }

    #[test]
    fn a_title_before_the_name_is_no_part_of_it() {
        let cases = [
            ("Đ/c Lục Văn Toản", "Lục Văn Toản", None),
            ("Đồng chí Vi Thị Ngọc Bích", "Vi Thị Ngọc Bích", None),
            ("Ông Hoàng Văn Tài", "Hoàng Văn Tài", Some(Gender::Nam)),
            ("Bà Chu Thị Lụa", "Chu Thị Lụa", Some(Gender::Nu)),
            // "Ông" is a family name too, and "Đồng" one.
            ("Ông Văn Tùng", "Ông Văn Tùng", None),
            ("Đồng Văn Chí", "Đồng Văn Chí", None),
            ("Ông Thị Thu Hà", "Ông Thị Thu Hà", None),
            ("Đồng Chí Văn Thành", "Đồng Chí Văn Thành", None),
        ];
        for (written, name, gender) in cases {
            assert_eq!(without_title(written), (name.to_owned(), gender), "{written}");
        }
        let r = Registry::embedded();
        let rec = record(&r, "Xã Sơn Hà", &[(Field::FullName, t("BÀ CHU THỊ LỤA"))]);
        let o = normalise(&rec, &r, 2024, &Config::default()).official;
        assert_eq!((o.full_name.as_str(), o.gender), ("Chu Thị Lụa", Some(Gender::Nu)));
    }

    #[test]
    fn a_formulas_error_is_no_value() {
        let r = Registry::embedded();
        let error = |e: &str| CellValue::Error(e.to_owned());
        let rec = record(
            &r,
            "Xã Sơn Hà",
            &[
                (Field::FullName, t("Lò Văn A")),
                (Field::Positions, error("#REF!")),
                (Field::PartyMember, error("#N/A")),
            ],
        );
        let n = normalise(&rec, &r, 2024, &Config::default());
        assert_eq!((n.official.positions_text.as_str(), n.official.party_member), ("", None));
        assert_eq!(n.issues.len(), 2, "{:?}", n.issues);
        // A party column's word no list has is unknown too, not "no".
        let rec = record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A")), (Field::PartyMember, t("Đoàn viên"))]);
        assert_eq!(normalise(&rec, &r, 2024, &Config::default()).official.party_member, None);
    }

    #[test]
    fn posts_on_lines_of_their_own_are_written_apart() {
        let r = Registry::embedded();
        let rec = record(
            &r,
            "Xã Sơn Hà",
            &[(Field::FullName, t("Lò Văn A")), (Field::Positions, t("Bí thư Đảng ủy\n  Chủ tịch HĐND xã\n"))],
        );
        let o = normalise(&rec, &r, 2024, &Config::default()).official;
        assert_eq!(o.positions_text, "Bí thư Đảng ủy; Chủ tịch HĐND xã");
        assert_eq!(o.positions.len(), 2, "{:?}", o.positions);
    }

    #[test]
    fn a_name_under_its_gender_gives_the_gender() {
        let r = Registry::embedded();
        let named = |option: &str, col| RawCell {
            field: Field::FullName,
            col,
            value: t("Hoàng Thị Lài"),
            option: Some(option.to_owned()),
        };
        let mut rec = record(&r, "Xã Sơn Hà", &[]);
        rec.cells.push(RawCell {
            field: Field::FullName,
            col: 1,
            value: CellValue::Empty,
            option: Some("Nam".to_owned()),
        });
        rec.cells.push(named("Nữ", 2));
        let o = normalise(&rec, &r, 2024, &Config::default()).official;
        assert_eq!((o.full_name.as_str(), o.gender), ("Hoàng Thị Lài", Some(Gender::Nu)));
    }

    #[test]
    fn placeholder_birth_dates_are_not_birth_dates() {
        let r = Registry::embedded();
        let date = |y, m, d| CellValue::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        for raw in [date(9999, 12, 31), date(1899, 12, 31), CellValue::Number(2100.0), t("01/01/2020")] {
            let rec = record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A")), (Field::BirthDate, raw.clone())]);
            let n = normalise(&rec, &r, 2024, &Config::default());
            assert_eq!(n.official.birth_date, None, "{raw:?}");
            assert!(n.issues.iter().any(|i| i.problem.contains("không hợp lý")), "{raw:?}: {:?}", n.issues);
        }
        let rec = record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A")), (Field::BirthDate, t("12/05/1978"))]);
        assert!(normalise(&rec, &r, 2024, &Config::default()).official.birth_date.is_some());
    }

    #[test]
    fn iso_text_dates_from_software_exports() {
        assert_eq!(
            BirthDate::from_text("1975-03-09", 2024),
            Some(BirthDate { year: 1975, month: Some(3), day: Some(9) })
        );
        assert_eq!(
            BirthDate::from_text("09-03-1975", 2024),
            Some(BirthDate { year: 1975, month: Some(3), day: Some(9) })
        );
        assert_eq!(BirthDate::from_text("1975-13-09", 2024), None);
    }

    #[test]
    fn an_unknown_day_or_month_written_as_zeros_keeps_what_is_known() {
        let year = BirthDate { year: 1971, month: None, day: None };
        assert_eq!(BirthDate::from_text("00/00/1971", 2024), Some(year));
        assert_eq!(BirthDate::from_text("00-00-1971", 2024), Some(year));
        assert_eq!(BirthDate::from_text("00/1971", 2024), Some(year));
        assert_eq!(BirthDate::from_text("00/05/1971", 2024), Some(BirthDate { month: Some(5), ..year }));
        assert_eq!(BirthDate::from_text("00/13/1971", 2024), None);
        assert_eq!(BirthDate::from_text("05/00/1971", 2024), None, "a day without its month is no date");
        assert_eq!(BirthDate::from_text("00/00/71", 2024), None, "two digits of zeros may be a slip");
    }

    #[test]
    fn an_ethnicity_shared_with_the_religion_is_its_first_part() {
        let r = Registry::embedded();
        let rec = record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A")), (Field::Ethnicity, t("Tày/Không"))]);
        let n = normalise(&rec, &r, 2024, &Config::default());
        assert_eq!(n.official.ethnicity, tonghop_model::codes::parse_ethnicity("Tày"));
        assert!(n.official.ethnicity.is_some() && n.issues.is_empty(), "{:?}", n.issues);
    }

    #[test]
    fn a_year_and_month_typed_with_a_dot_as_a_number() {
        let date = |n: f64| parse_birth_date(&CellValue::Number(n), 2024);
        assert_eq!(date(1969.07), Some(BirthDate { year: 1969, month: Some(7), day: None }));
        assert_eq!(date(1969.12), Some(BirthDate { year: 1969, month: Some(12), day: None }));
        // "1969.10" and "1969.1" are the same number: the year only.
        assert_eq!(date(1969.1), Some(BirthDate { year: 1969, month: None, day: None }));
        // Fractions no month is written as are no date (said as unread).
        assert_eq!(date(1969.5), None);
        assert_eq!(date(1980.99), None);
        assert_eq!(date(2000.25), None);
    }

    #[test]
    fn two_digit_years_as_numbers() {
        let year = |n: f64| parse_birth_date(&CellValue::Number(n), 2024).map(|b| b.year);
        assert_eq!(year(75.0), Some(1975));
        assert_eq!(year(2.0), Some(2002));
        assert_eq!(year(24.0), Some(2024));
        assert_eq!(year(25.0), Some(1925));
        assert_eq!(year(7.5), None);
        assert_eq!(year(0.0), None);
        let text = |s: &str| parse_birth_date(&CellValue::Text(s.to_owned()), 2024).map(|b| b.year);
        assert_eq!(text("88"), Some(1988));
        assert_eq!(text("02"), Some(2002));
        assert_eq!(text("00"), None);
        assert_eq!(text("7"), None);
        assert_eq!(year(150.0), None);
    }

    #[test]
    fn dates_in_words() {
        let date = |s: &str| parse_birth_date(&CellValue::Text(s.to_owned()), 2024);
        let full = |y, m, d| Some(BirthDate::full(NaiveDate::from_ymd_opt(y, m, d).unwrap()));
        assert_eq!(date("ngày 05 tháng 3 năm 1980"), full(1980, 3, 5));
        assert_eq!(date("Ngày 5/3/1980"), full(1980, 3, 5));
        assert_eq!(date("tháng 11/1983"), Some(BirthDate { year: 1983, month: Some(11), day: None }));
        assert_eq!(date("tháng 11 năm 1983"), Some(BirthDate { year: 1983, month: Some(11), day: None }));
        assert_eq!(date("năm 1975"), Some(BirthDate { year: 1975, month: None, day: None }));
        assert_eq!(date("sinh năm 1975"), Some(BirthDate { year: 1975, month: None, day: None }));
        // Other words are no date.
        for text in ["chưa rõ 1975", "khoảng năm 1975", "Nam 1975", "ngày 5 năm 1980"] {
            assert_eq!(date(text), None, "{text}");
        }
    }

    #[test]
    fn dates_in_every_form() {
        let d = |v: CellValue| parse_birth_date(&v, 2024).map(|b| b.to_string());
        assert_eq!(d(t("12/05/1978")).as_deref(), Some("12/05/1978"));
        assert_eq!(d(t("12-5-78")).as_deref(), Some("12/05/1978"));
        assert_eq!(d(t("12.05.1978")).as_deref(), Some("12/05/1978"));
        assert_eq!(d(t("05/1978")).as_deref(), Some("05/1978"));
        assert_eq!(d(t("1978")).as_deref(), Some("1978"));
        assert_eq!(d(CellValue::Number(1978.0)).as_deref(), Some("1978"));
        assert_eq!(d(CellValue::Number(28622.0)).as_deref(), Some("12/05/1978"));
        // A serial stored as text: a date column pasted as text.
        assert_eq!(d(t("28622")).as_deref(), Some("12/05/1978"));
        assert_eq!(d(t(" 25742 ")).as_deref(), Some("23/06/1970"));
        assert_eq!(d(t("123456")), None);
        assert_eq!(d(t("10579")), None, "1928 from a slip");
        // Year, month and day run together, as software exports write them.
        assert_eq!(d(CellValue::Number(19_820_415.0)).as_deref(), Some("15/04/1982"));
        assert_eq!(d(t("19790000")).as_deref(), Some("1979"));
        assert_eq!(d(t("19790300")).as_deref(), Some("03/1979"));
        assert_eq!(d(t("19791331")), None);
        assert_eq!(d(t("31/02/1978")), None);
        assert_eq!(d(t("không rõ")), None);
    }

    #[test]
    fn national_ids_get_their_zero_back() {
        assert_eq!(parse_national_id(&CellValue::Number(20_078_001_234.0)), Some(NationalId("020078001234".into())));
        assert_eq!(parse_national_id(&t("020 078 001 234")), Some(NationalId("020078001234".into())));
        assert_eq!(parse_national_id(&t("081234567")), Some(NationalId("081234567".into())));
        assert_eq!(parse_national_id(&t("12345")), None);
        assert_eq!(parse_national_id(&t("abc123456789")), None);
    }

    #[test]
    fn cccd_structure_is_checked_against_birth_year_and_gender() {
        let id = |s: &str| NationalId(s.into());
        assert_eq!(cccd_inconsistency(&id("020078001234"), Some(1978), Some(Gender::Nam)), None);
        assert_eq!(cccd_inconsistency(&id("020185001234"), Some(1985), Some(Gender::Nu)), None);
        assert_eq!(cccd_inconsistency(&id("020201001234"), Some(2001), Some(Gender::Nam)), None);
        let wrong_year = cccd_inconsistency(&id("020078001234"), Some(1980), Some(Gender::Nam)).unwrap();
        assert!(wrong_year.contains("1978") && wrong_year.contains("1980"), "{wrong_year}");
        assert!(cccd_inconsistency(&id("020078001234"), Some(1978), Some(Gender::Nu)).unwrap().contains("giới tính"));
        assert!(cccd_inconsistency(&id("099078001234"), None, None).unwrap().contains("099"));
        assert_eq!(cccd_inconsistency(&id("081234567"), Some(1950), None), None, "CMND has no structure to check");
    }

    #[test]
    fn a_full_row() {
        let r = Registry::embedded();
        let rec = record(
            &r,
            "Xã Sơn Hà",
            &[
                (Field::FullName, t("NGUYỄN văn hùng")),
                (Field::BirthDateFemale, CellValue::Empty),
                (Field::BirthDateMale, t("12/05/1978")),
                (Field::Ethnicity, t("Nùng")),
                (Field::Positions, t("Bí thư Đảng ủy, Chủ tịch HĐND")),
                (Field::PoliticalTheory, t("TC")),
                (Field::Professional, t("ĐH Luật")),
                (Field::StateManagement, t("Sao Hỏa")),
            ],
        );
        let n = normalise(&rec, &r, 2024, &Config::default());
        let o = &n.official;
        assert_eq!(o.full_name, "Nguyễn Văn Hùng");
        assert_eq!(o.gender, Some(Gender::Nam));
        assert_eq!(o.birth_date.unwrap().to_string(), "12/05/1978");
        assert_eq!(o.positions, vec![Position::BiThu, Position::CtHdnd]);
        assert_eq!(o.committee, Some(CommitteeLevel::BiThu));
        assert_eq!(o.category, Some(Category::CanBo));
        assert_eq!(o.political_theory, Some(PoliticalTheory::TrungCap));
        assert_eq!(o.professional, Some(Professional::DaiHoc));
        assert_eq!(o.professional_field.as_deref(), Some("Luật"));
        assert_eq!(o.state_management, None);
        assert_eq!(n.issues.len(), 1);
        assert_eq!(n.issues[0].cell.as_deref(), Some("H6"));
        assert_eq!(n.issues[0].raw, "Sao Hỏa");
    }

    #[test]
    fn absent_columns_are_unknown_and_empty_llct_is_none() {
        let r = Registry::embedded();
        let rec =
            record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A")), (Field::PoliticalTheory, CellValue::Empty)]);
        let o = normalise(&rec, &r, 2024, &Config::default()).official;
        assert_eq!(o.political_theory, Some(PoliticalTheory::Khong));
        assert_eq!(o.professional, None);
        assert_eq!(o.committee, None);
        assert_eq!(o.gender, None);
    }

    #[test]
    fn a_committee_member_is_a_party_member_unless_a_column_says_no() {
        let r = Registry::embedded();
        let read = |committee: &str, party: CellValue| {
            let rec = record(
                &r,
                "Xã Sơn Hà",
                &[(Field::FullName, t("Lò Văn A")), (Field::Committee, t(committee)), (Field::PartyMember, party)],
            );
            normalise(&rec, &r, 2024, &Config::default())
        };
        // A blank in a column of marks: no "no", no issue.
        let blank = read("x", CellValue::Empty);
        assert_eq!(blank.official.party_member, Some(true));
        assert!(blank.issues.is_empty(), "{:?}", blank.issues);
        // A written "no" for a committee member stands, and is shown.
        let no = read("x", t("Không"));
        assert_eq!(no.official.party_member, Some(false));
        assert_eq!(no.issues.len(), 1, "{:?}", no.issues);
        assert!(no.issues[0].problem.starts_with("Là cấp ủy viên theo chức vụ"), "{:?}", no.issues);
        // A cell that cannot be read is no "no": the committee member is a member.
        let unread = read("x", t("Đoàn viên"));
        assert_eq!(unread.official.party_member, Some(true));
        assert!(!unread.issues.iter().any(|i| i.problem.starts_with("Là cấp ủy viên")), "{:?}", unread.issues);
        // Outside the committee a blank is "not a member", as the marks mean.
        assert_eq!(read("", CellValue::Empty).official.party_member, Some(false));
    }

    #[test]
    fn one_hot_columns_become_one_value() {
        let r = Registry::embedded();
        let hot = |field: Field, option: &str, value: &str, col: u32| RawCell {
            field,
            col,
            value: if value.is_empty() { CellValue::Empty } else { t(value) },
            option: Some(option.to_owned()),
        };
        let mut rec = record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A"))]);
        rec.cells.extend([
            hot(Field::PoliticalTheory, "SC", "", 1),
            hot(Field::PoliticalTheory, "TC", "x", 2),
            hot(Field::PoliticalTheory, "CC", "", 3),
            hot(Field::Gender, "Nam", "", 4),
            hot(Field::Gender, "Nữ", "1", 5),
        ]);
        let n = normalise(&rec, &r, 2024, &Config::default());
        assert_eq!(n.official.political_theory, Some(PoliticalTheory::TrungCap));
        assert_eq!(n.official.gender, Some(Gender::Nu));
        assert!(n.issues.is_empty(), "{:?}", n.issues);

        rec.cells[1].value = t("X");
        let n = normalise(&rec, &r, 2024, &Config::default());
        assert_eq!(n.official.political_theory, None);
        assert_eq!(n.issues.len(), 1);
        assert!(n.issues[0].problem.contains("SC, TC"), "{}", n.issues[0].problem);

        for c in &mut rec.cells[1..4] {
            c.value = CellValue::Empty;
        }
        assert_eq!(
            normalise(&rec, &r, 2024, &Config::default()).official.political_theory,
            Some(PoliticalTheory::Khong)
        );
    }

    #[test]
    fn committee_marks_in_each_body_give_the_highest() {
        let r = Registry::embedded();
        let hot = |option: &str, value: &str, col: u32| RawCell {
            field: Field::Committee,
            col,
            value: if value.is_empty() { CellValue::Empty } else { t(value) },
            option: Some(option.to_owned()),
        };
        let with = |marks: [&str; 4]| {
            let mut rec = record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A"))]);
            let levels = ["Bí thư", "Phó Bí thư", "Ủy viên BTV", "Ủy viên BCH"];
            rec.cells.extend(levels.iter().zip(marks).enumerate().map(|(k, (l, m))| hot(l, m, k as u32 + 1)));
            let n = normalise(&rec, &r, 2024, &Config::default());
            assert!(n.issues.is_empty(), "{:?}", n.issues);
            n.official.committee
        };
        // Wingdings' tick is "ü", Wingdings 2's "P".
        assert_eq!(with(["ü", "", "ü", "P"]), Some(CommitteeLevel::BiThu));
        assert_eq!(with(["", "", "", "x"]), Some(CommitteeLevel::CapUyVien));
        assert_eq!(with(["", "", "", ""]), Some(CommitteeLevel::Khong));
        // A column of levels beside the ticks.
        let mut rec = record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A")), (Field::Committee, t("ĐUV"))]);
        rec.cells.push(hot("Bí thư", "", 5));
        assert_eq!(normalise(&rec, &r, 2024, &Config::default()).official.committee, Some(CommitteeLevel::CapUyVien));
    }

    #[test]
    fn configured_spellings_are_understood() {
        let r = Registry::embedded();
        let rec = record(
            &r,
            "Xã Sơn Hà",
            &[
                (Field::FullName, t("Lò Văn A")),
                (Field::PoliticalTheory, t("TC-LLCT hệ tại chức")),
                (Field::Positions, t("Thường trực Đảng ủy")),
            ],
        );
        let plain = normalise(&rec, &r, 2024, &Config::default());
        assert_eq!(plain.official.political_theory, None);
        assert_eq!(plain.issues.len(), 2);
        let config = Config::from_toml_str(
            "[values.political_theory]\ntrung_cap = ['TC-LLCT hệ tại chức']\n[values.positions]\npho_bi_thu = ['Thường trực Đảng ủy']",
            "c.toml",
        )
        .unwrap();
        let n = normalise(&rec, &r, 2024, &config);
        assert_eq!(n.official.political_theory, Some(PoliticalTheory::TrungCap));
        assert_eq!(n.official.positions, vec![Position::PhoBiThu]);
        assert!(n.issues.is_empty(), "{:?}", n.issues);
    }

    #[test]
    fn section_row_gives_category() {
        let r = Registry::embedded();
        let mut rec =
            record(&r, "Xã Sơn Hà", &[(Field::FullName, t("Lò Văn A")), (Field::Positions, t("Giám sát viên"))]);
        rec.section = Some(Category::KhongChuyenTrach);
        let n = normalise(&rec, &r, 2024, &Config::default());
        assert_eq!(n.official.category, Some(Category::KhongChuyenTrach));
        assert_eq!(n.issues[0].severity, Severity::Info);
    }
}
