//! The roster ("Danh sách"): a row per person, the full list for the screen, its key
//! columns for paper. For a country that is a quarter of a million rows, nearly all of the
//! workbook: filled on one worker while the other sheets are filled, its cells kept
//! compactly (about 20 bytes each) until the workbook is saved.

use std::borrow::Cow;

use crate::xlsx::{ExcelDateTime, Format, FormatAlign, Worksheet, XlsxError};
use tonghop_model::record::{BirthDate, Official};
use tonghop_model::{Field, Registry};

use super::{MOST_ROW_LINES, SheetWriter, Styles, widest_line, within_cell_limit, wrapped_lines};

/// The roster's columns: the fields' own labels (the field table), the positions twice (as
/// the return wrote them and as understood), and where each person was read. The first
/// [`PRINTED`] are the ones a page of A4 can show readably: they are printed, the others are
/// for the screen.
const LABELS: [&str; COLUMNS] = [
    Field::RowNumber.label(),
    Field::Unit.label(),
    Field::FullName.label(),
    Field::BirthDate.label(),
    Field::Gender.label(),
    Field::Ethnicity.label(),
    Field::PartyMember.label(),
    "Chức vụ (chuẩn hóa)",
    Field::Professional.label(),
    Field::PoliticalTheory.label(),
    Field::StateManagement.label(),
    Field::Committee.label(),
    Field::Category.label(),
    Field::Religion.label(),
    Field::NationalId.label(),
    "Chức vụ (theo báo cáo)",
    Field::GeneralEducation.label(),
    Field::ProfessionalField.label(),
    Field::PoliticalTheoryStudying.label(),
    Field::It.label(),
    Field::ForeignLanguage.label(),
    Field::Planning.label(),
    "Tệp nguồn",
    "Trang tính",
    "Dòng",
    "Số dòng nguồn",
];

/// The columns printed (see [`LABELS`]): those of a "danh sách trích ngang", whose
/// committee post and category its positions say. Eleven columns at their wrapping widths
/// ([`WRAP_AT`]) fill A4 landscape at full size, so the list prints at its own 11 pt;
/// thirteen printed at four fifths of it.
const PRINTED: usize = 11;

const COLUMNS: usize = 26;

/// The most people a roster laid out for paper has ([`WRAP_AT`]): a province's list; a
/// country's would be thousands of pages.
const PRINTED_UP_TO: usize = 20_000;

/// The widest, in characters, a printed column with long text is made: longer text wraps
/// in its cell instead, so that the [`PRINTED`] columns fit A4 landscape at full size
/// (`tests/report.rs` measures it). The unit, the name, a birth date the return gave in
/// words, the ethnicity ("Sán Chay"), the positions and the levels' longer labels
/// ("Chưa qua đào tạo", "Chuyên viên chính"). Gender and membership are a word.
const WRAP_AT: [Option<usize>; COLUMNS] = {
    let mut at = [None; COLUMNS];
    at[1] = Some(11);
    at[2] = Some(15);
    at[3] = Some(10);
    at[5] = Some(6);
    at[7] = Some(15);
    at[8] = Some(9);
    at[9] = Some(9);
    at[10] = Some(9);
    at
};

/// Excel's last row (1,048,576), as the 0-based number the workbook writer takes.
const LAST_ROW: u32 = 1_048_575;

/// How many people the sheet shows (header on row 1, people on rows 2 on, the last row
/// kept for the note of the rest) and how many it leaves out.
fn shown_people(people: usize) -> (usize, usize) {
    let room = LAST_ROW as usize - 1;
    if people <= room + 1 { (people, 0) } else { (room, people - room) }
}

/// The number formats of a birth date by what is known of it: a date cell sorts with the
/// others and shows no more than the return said ("1975", "03/1975", "14/03/1975").
struct DateFormats {
    day: Format,
    month: Format,
    year: Format,
}

impl DateFormats {
    fn new() -> Self {
        Self {
            day: super::plain().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Top),
            month: super::plain().set_num_format("mm/yyyy").set_align(FormatAlign::Top),
            year: super::plain().set_num_format("yyyy").set_align(FormatAlign::Top),
        }
    }

    /// The cell of `b`, its first day where only the month or year is known, and its
    /// format; `None` before March 1900, which date cells do not hold as the calendar
    /// does (none before 1900, and Excel's 29 February 1900 shifts the first two months).
    fn of(&self, b: BirthDate) -> Option<(ExcelDateTime, &Format)> {
        if b.year < 1900 || (b.year == 1900 && b.month.is_none_or(|m| m < 3)) {
            return None;
        }
        let month = u8::try_from(b.month.unwrap_or(1)).ok()?;
        let day = u8::try_from(b.day.unwrap_or(1)).ok()?;
        let date = ExcelDateTime::from_ymd(u16::try_from(b.year).ok()?, month, day).ok()?;
        let format = match (b.month, b.day) {
            (Some(_), Some(_)) => &self.day,
            (Some(_), None) => &self.month,
            _ => &self.year,
        };
        Some((date, format))
    }
}

/// Fills the sheet: header, a row per person (date cells for birth dates, numbers for
/// counts, text as text, never a formula), columns as wide as their text, frozen header,
/// filter, and for paper the [`PRINTED`] columns with the header on every page.
pub(super) fn fill(
    ws: &mut Worksheet,
    styles: &Styles,
    people: &[Official],
    registry: &Registry,
    show_ids: bool,
) -> Result<(), XlsxError> {
    fill_for_paper_up_to(ws, styles, people, registry, PRINTED_UP_TO, show_ids)
}

/// [`fill`], laying the printed columns out for paper when the list has at most
/// `printed_up_to` people.
fn fill_for_paper_up_to(
    ws: &mut Worksheet,
    styles: &Styles,
    people: &[Official],
    registry: &Registry,
    printed_up_to: usize,
    show_ids: bool,
) -> Result<(), XlsxError> {
    // Excel opens no sheet past its last row: the people who do not fit are counted on the
    // last row instead (every figure still counts them).
    let (shown, left) = shown_people(people.len());
    let mut w = SheetWriter::new(ws, styles);
    w.header(0, &LABELS)?;
    let dates = DateFormats::new();
    let wrap = super::plain().set_text_wrap().set_align(FormatAlign::Top);
    // Wrapping costs a format and a row height a cell and row (a third more time and 120 MiB
    // for a country's quarter of a million people), for paper that such a list never goes to.
    let wrap_at = if shown <= printed_up_to { WRAP_AT } else { [None; COLUMNS] };
    let mut widths = [0; COLUMNS];
    for (i, p) in people[..shown].iter().enumerate() {
        // Row 1 is the header: person i is on row i + 2.
        let row = i as u32 + 1;
        // The lines of the row's tallest wrapped cell: a reader sizes no row to its text.
        let mut lines = 1;
        for (col, cell) in person_cells(i, p, registry, show_ids).into_iter().enumerate() {
            let at = col as u16;
            // A birth date no date cell holds (before 1900) is written as the return's text.
            let cell = match cell {
                Value::Date(b) if dates.of(b).is_none() => Value::Text(b.to_string().into()),
                cell => cell,
            };
            match cell {
                Value::Text(v) if !v.is_empty() => {
                    let v = within_cell_limit(&v);
                    let width = widest_line(&v);
                    // write_string never makes a formula: "=1+1" from a return stays text.
                    // Only the cells that wrap carry a format: a format is looked up cell
                    // by cell, and most texts fit.
                    if let Some(limit) = wrap_at[col]
                        && width > limit
                    {
                        widths[col] = widths[col].max(limit);
                        // The column is two characters wider than the limit (see
                        // `column_width`), and Times New Roman's letters are narrower than the
                        // digits columns are measured in: a line holds at least `limit + 2`.
                        lines = lines.max(wrapped_lines(&v, limit + 2));
                        w.ws.write_string_with_format(row, at, v, &wrap)?;
                    } else {
                        widths[col] = widths[col].max(width);
                        w.ws.write_string(row, at, v)?;
                    }
                }
                Value::Count(v) => {
                    widths[col] = widths[col].max(super::number_width(v as f64));
                    w.ws.write_number(row, at, v as f64)?;
                }
                Value::Date(b) => {
                    if let Some((date, format)) = dates.of(b) {
                        widths[col] = widths[col].max("00/00/0000".len());
                        w.ws.write_datetime_with_format(row, at, date, format)?;
                    }
                }
                // An empty cell is not written.
                Value::Text(_) | Value::Empty => {}
            }
        }
        if lines > 1 {
            // The row is still the sheet's current one: its height goes out with it.
            w.ws.set_row_height(row, 15.0 * lines.min(MOST_ROW_LINES) as f64)?;
        }
    }
    if left > 0 {
        w.ws.write_string(LAST_ROW, 0, super::overflow_note(left))?;
    }
    for (col, width) in widths.into_iter().enumerate() {
        w.widen(col as u16, width);
    }
    w.fit_widths()?;
    w.settle(0, shown as u32, (COLUMNS - 1) as u16, true)?;
    // On paper, the key columns of every person, the header on every page.
    w.ws.set_print_area(0, 0, shown as u32, PRINTED as u16 - 1)?;
    Ok(())
}

/// A roster cell, borrowed from the person where it can be: a quarter of a million rows of
/// 26 cells are not copied into strings of their own.
#[derive(Debug, Clone, PartialEq)]
enum Value<'a> {
    Text(Cow<'a, str>),
    Count(u64),
    Date(BirthDate),
    Empty,
}

fn text<'a>(v: impl Into<Cow<'a, str>>) -> Value<'a> {
    Value::Text(v.into())
}

fn opt<'a, T: Into<Cow<'a, str>>>(v: Option<T>) -> Value<'a> {
    v.map_or(Value::Empty, text)
}

fn person_cells<'a>(i: usize, p: &'a Official, registry: &'a Registry, show_ids: bool) -> [Value<'a>; COLUMNS] {
    use tonghop_model::codes::{
        Category, CommitteeLevel, Ethnicity, Gender, GeneralEducation, PoliticalTheory, Professional, StateManagement,
    };
    let first = &p.sources[0];
    let joined = |labels: &mut dyn Iterator<Item = &'a str>, by: &str| -> Value<'a> {
        let (Some(one), rest) = (labels.next(), labels) else { return Value::Empty };
        let mut all = String::from(one);
        for l in rest {
            all.push_str(by);
            all.push_str(l);
        }
        text(all)
    };
    [
        Value::Count(i as u64 + 1),
        opt(p.unit.map(|u| registry.unit(u).name.as_str())),
        text(p.full_name.as_str()),
        p.birth_date.map_or(Value::Empty, Value::Date),
        opt(p.gender.map(Gender::label)),
        opt(p.ethnicity.map(Ethnicity::label)),
        opt(p.party_member.map(|m| if m { PARTY_MEMBER } else { NOT_PARTY_MEMBER })),
        joined(&mut p.positions.iter().map(|x| x.label()), ", "),
        opt(p.professional.map(Professional::label)),
        opt(p.political_theory.map(PoliticalTheory::label)),
        opt(p.state_management.map(StateManagement::label)),
        opt(p.committee.map(CommitteeLevel::label)),
        opt(p.category.map(Category::label)),
        opt(p.religion.as_deref()),
        opt(p.national_id.as_ref().map(|id| -> Cow<'a, str> {
            if show_ids { Cow::Borrowed(id.0.as_str()) } else { Cow::Owned(id.masked()) }
        })),
        text(p.positions_text.as_str()),
        opt(p.general_education.map(GeneralEducation::label)),
        opt(p.professional_field.as_deref()),
        opt(p.political_theory_studying.map(PoliticalTheory::label)),
        opt(p.it.as_deref()),
        opt(p.foreign_language.as_deref()),
        joined(&mut p.planning.iter().map(|e| e.raw.as_str()), "; "),
        text(&*first.file),
        text(&*first.sheet),
        Value::Count(u64::from(first.row) + 1),
        Value::Count(p.sources.len() as u64),
    ]
}

/// Membership in a word, so that the printed column stays narrow: "Có" reads back as a
/// member, as a return's "có" does.
const PARTY_MEMBER: &str = "Có";
const NOT_PARTY_MEMBER: &str = "Không";

#[cfg(test)]
mod tests {
    use crate::xlsx::Workbook;
    use calamine::{Data, Reader as _, Xlsx};
    use tonghop_model::record::SourceRow;

    use super::*;

    #[test]
    fn a_roster_past_excels_last_row_keeps_that_row_for_the_rest() {
        assert_eq!(shown_people(10), (10, 0));
        // Header on row 1 and people on rows 2 to 1,048,576: exactly full.
        assert_eq!(shown_people(1_048_575), (1_048_575, 0));
        assert_eq!(shown_people(1_048_576), (1_048_574, 2));
        assert_eq!(shown_people(2_000_000), (1_048_574, 2_000_000 - 1_048_574));
    }

    /// Names a return may hold that XML must escape or keep with care.
    const AWKWARD: [&str; 9] = [
        "Nguyễn Văn An",
        "  Lò Thị Bình ",
        "Hà <Văn> & \"Cường\"",
        "=1+1",
        "Tab\there\nand a new line",
        "Bell\u{7} and CR\r",
        "Literal _x0041_ stays",
        "Lý _xZZ_ and _x12",
        // Characters XML cannot hold, which a return's `_xFFFF_` reads as.
        "Non\u{FFFE}char\u{FFFF}",
    ];

    /// Birth dates of every precision, and two before March 1900 that no date cell holds.
    const BIRTHS: [BirthDate; 5] = [
        BirthDate { year: 1975, month: Some(3), day: Some(14) },
        BirthDate { year: 1982, month: Some(11), day: None },
        BirthDate { year: 1990, month: None, day: None },
        BirthDate { year: 1899, month: Some(12), day: Some(31) },
        BirthDate { year: 1900, month: Some(2), day: Some(10) },
    ];

    fn people(count: u32) -> Vec<Official> {
        let registry = Registry::embedded();
        let unit = (!registry.units().is_empty()).then_some(tonghop_model::units::UnitId(0));
        (0..count)
            .map(|k| Official {
                unit: if k % 3 == 0 { unit } else { None },
                full_name: AWKWARD[k as usize % AWKWARD.len()].to_string(),
                birth_date: (k % 6 != 5).then(|| BIRTHS[k as usize % 6]),
                positions_text: "Bí thư".into(),
                religion: (k % 4 == 0).then(|| "Phật giáo".to_string()),
                national_id: (k % 2 == 0).then(|| tonghop_model::record::NationalId(format!("0201750{k:05}"))),
                sources: vec![SourceRow {
                    file_index: 0,
                    file: "xa-a.xlsx".into(),
                    sheet: "Sheet1".into(),
                    row: k + 3,
                }],
                ..Official::default()
            })
            .collect()
    }

    /// A workbook of the roster alone, filled as the report fills it, saved.
    fn roster_workbook(people: &[Official]) -> Vec<u8> {
        roster_workbook_for_paper_up_to(people, PRINTED_UP_TO)
    }

    fn roster_workbook_for_paper_up_to(people: &[Official], printed_up_to: usize) -> Vec<u8> {
        let registry = Registry::embedded();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Danh sách").unwrap();
        fill_for_paper_up_to(ws, &Styles::new(), people, &registry, printed_up_to, false).unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn long_texts_of_a_list_for_paper_wrap_and_their_rows_grow() {
        let mut people = people(6);
        // The first person's texts are all short (the unit's name would wrap).
        people[0].unit = None;
        // Positions longer than the column, which wraps at 16 characters (18 a line).
        people[1].positions_text = String::new();
        people[1].positions = vec![
            tonghop_model::codes::Position::UvBtv,
            tonghop_model::codes::Position::PctHdnd,
            tonghop_model::codes::Position::CtMttq,
        ];
        let row_of = |xml: &str, r: u32| -> String {
            let start = xml.find(&format!("<row r=\"{r}\"")).unwrap();
            xml[start..start + xml[start..].find('>').unwrap()].to_owned()
        };
        let cell_style = |xml: &str, at: &str| -> Option<String> {
            let start = xml.find(&format!("<c r=\"{at}\""))?;
            let head = &xml[start..start + xml[start..].find('>').unwrap()];
            head.split(" s=\"").nth(1).map(|v| v.split('"').next().unwrap().to_owned())
        };
        let registry = Registry::embedded();
        let Value::Text(positions) = &person_cells(1, &people[1], &registry, false)[7] else { panic!("positions") };
        let lines = wrapped_lines(positions, WRAP_AT[7].unwrap() + 2);
        assert!(lines > 1, "{positions}");
        let paper = part(&roster_workbook(&people), "xl/worksheets/sheet1.xml");
        assert!(row_of(&paper, 3).contains(&format!(r#"ht="{}""#, 15 * lines)), "{}", row_of(&paper, 3));
        assert!(cell_style(&paper, "H3").is_some(), "the long positions cell wraps");
        assert!(!row_of(&paper, 2).contains("ht="), "a row of short texts keeps its height");
        assert!(cell_style(&paper, "H2").is_none());
        // Past the list that goes to paper, a row is a line.
        let screen = part(&roster_workbook_for_paper_up_to(&people, 5), "xl/worksheets/sheet1.xml");
        assert!(!row_of(&screen, 3).contains("ht="), "{}", row_of(&screen, 3));
        assert!(cell_style(&screen, "H3").is_none());
    }

    /// A part of a package, as text.
    fn part(package: &[u8], name: &str) -> String {
        use std::io::Read as _;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
        let mut xml = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        xml
    }

    #[test]
    fn the_roster_reads_back_cell_for_cell() {
        let registry = Registry::embedded();
        let people = people(40);
        let package = roster_workbook(&people);
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(package.clone())).unwrap();
        let cells = book.worksheet_range("Danh sách").unwrap();
        let formulas = book.worksheet_formula("Danh sách").unwrap();
        assert_eq!(formulas.cells().filter(|(_, _, f)| !f.is_empty()).count(), 0, "text is never a formula");
        assert_eq!(cells.get_size(), (41, COLUMNS));
        for (col, label) in LABELS.iter().enumerate() {
            assert_eq!(cells.get_value((0, col as u32)), Some(&Data::String((*label).to_owned())));
        }
        for (i, p) in people.iter().enumerate() {
            let row = i as u32 + 1;
            for (col, expected) in person_cells(i, p, &registry, false).into_iter().enumerate() {
                let got = cells.get_value((row, col as u32)).unwrap_or(&Data::Empty);
                match (expected, got) {
                    (Value::Text(v), Data::String(s)) => assert_eq!(s, &*v, "row {row} col {col}"),
                    (Value::Count(v), Data::Float(f)) => assert_eq!(*f as u64, v, "row {row} col {col}"),
                    (Value::Date(b), Data::DateTime(d)) => {
                        // Excel's serial: days since 30 December 1899.
                        let first = chrono::NaiveDate::from_ymd_opt(b.year, b.month.unwrap_or(1), b.day.unwrap_or(1));
                        let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                        assert_eq!(d.as_f64() as i64, (first.unwrap() - epoch).num_days(), "row {row}");
                    }
                    (Value::Date(b), Data::String(s)) => {
                        assert!(b.year <= 1900, "row {row}: {b} as text");
                        assert_eq!(s, &b.to_string());
                    }
                    (Value::Empty, Data::Empty) => {}
                    (Value::Text(v), Data::Empty) if v.is_empty() => {}
                    (expected, got) => panic!("row {row} col {col}: {expected:?} read as {got:?}"),
                }
            }
        }
        // The awkward names as written, spaces, markup, control characters and a literal
        // escape included.
        for (k, name) in AWKWARD.iter().enumerate() {
            assert_eq!(cells.get_value((k as u32 + 1, 2)), Some(&Data::String((*name).to_owned())), "{name:?}");
        }
        // IDs masked by default, whole when asked.
        assert_eq!(cells.get_value((1, 14)), Some(&Data::String("••••••••0000".into())));
        let whole = {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            fill(ws, &Styles::new(), &people, &registry, true).unwrap();
            let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(wb.save_to_buffer().unwrap())).unwrap();
            book.worksheet_range_at(0).unwrap().unwrap()
        };
        assert_eq!(whole.get_value((1, 14)), Some(&Data::String("020175000000".into())));
        assert_eq!(whole.get_value((2, 14)), Some(&Data::Empty), "no ID, no text");
        // Each birth date shows what the return said of it, no more.
        let styles = part(&package, "xl/styles.xml");
        for code in ["dd/mm/yyyy", "mm/yyyy", "yyyy"] {
            assert!(styles.contains(&format!("formatCode=\"{code}\"")), "{code} in {styles}");
        }
    }

    #[test]
    fn the_columns_fit_their_text_and_paper_gets_the_key_columns() {
        let people = people(12);
        let package = roster_workbook(&people);
        let sheet = part(&package, "xl/worksheets/sheet1.xml");
        let workbook = part(&package, "xl/workbook.xml");
        // The name column as wide as the longest line of a name (the CR counts, the line
        // feed breaks), in the workbook writer's own units, up to where names wrap.
        let widest = AWKWARD.iter().flat_map(|n| n.lines()).map(|l| l.chars().count()).max().unwrap();
        let widest = widest.min(WRAP_AT[2].unwrap());
        let mut expected = Workbook::new();
        expected.add_worksheet().set_column_width(2, super::super::column_width(widest)).unwrap();
        let expected = part(&expected.save_to_buffer().unwrap(), "xl/worksheets/sheet1.xml");
        let col = |xml: &str| {
            xml.split("<col ").find(|c| c.starts_with("min=\"3\"")).map(|c| c.split("/>").next().unwrap().to_owned())
        };
        assert_eq!(col(&sheet), col(&expected));
        assert!(col(&sheet).is_some());
        // Eleven columns printed, the header on every page, the filter over every person.
        assert!(workbook.contains("'Danh sách'!$A$1:$K$13"), "{workbook}");
        assert!(workbook.contains("'Danh sách'!$1:$1"), "{workbook}");
        assert!(sheet.contains(r#"<autoFilter ref="A1:Z13"/>"#), "{sheet}");
    }
}
