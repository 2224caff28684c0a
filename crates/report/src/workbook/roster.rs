//! The roster ("Danh sách"): a row per person. For a country that is a quarter of a million
//! rows and some 200 MB of sheet XML, nearly all of the workbook, so its rows do not go
//! through the workbook writer cell by cell: they are made into XML and compressed in blocks
//! of fixed size on every worker at once, and [`crate::package`] puts them, with the column
//! widths they call for, into the sheet rust_xlsxwriter wrote with the header, frozen panes,
//! filter and print settings. Blocks of fixed size make the same bytes whatever the number
//! of workers.

use std::borrow::Cow;
use std::fmt::Write as _;

use rayon::prelude::*;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use rustc_hash::FxHashMap;
use tonghop_model::record::{Official, column_name};
use tonghop_model::{Field, Registry};

use super::{SheetWriter, Styles, widest_line, within_cell_limit};
use crate::ReportError;
use crate::package::{Segment, SheetRows};

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
    Field::Committee.label(),
    Field::Category.label(),
    Field::Professional.label(),
    Field::PoliticalTheory.label(),
    Field::StateManagement.label(),
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

/// The columns printed (see [`LABELS`]).
const PRINTED: usize = 13;

const COLUMNS: usize = 26;

/// People per compressed block: about 2.5 MB of XML, small enough to spread over workers,
/// large enough that starting each block's compression afresh costs under 1 % in size.
pub(super) const BLOCK_PEOPLE: usize = 2048;

/// Excel's last row (1,048,576), as the 0-based number the workbook writer takes.
const LAST_ROW: u32 = 1_048_575;

/// Columns whose text is looked up among the [`SharedTexts`]: all but the name, the birth
/// date and the ID, which are nearly one of a kind.
const LOOKED_UP: [bool; COLUMNS] = {
    let mut looked_up = [true; COLUMNS];
    looked_up[2] = false;
    looked_up[3] = false;
    looked_up[14] = false;
    looked_up
};

/// The texts the roster repeats person after person (unit names, code labels, file and
/// sheet names), which go into the workbook's shared strings ahead of the other sheets'
/// own: a roster cell with one of them holds its number instead of the text. For a country
/// that makes the roster's XML some 40 % smaller, less to write, to compress and to read.
pub(super) struct SharedTexts<'a> {
    texts: Vec<&'a str>,
    numbers: FxHashMap<&'a str, u32>,
    widths: Vec<usize>,
}

impl<'a> SharedTexts<'a> {
    /// The registry's unit names, the labels of every code, and `sources` (the returns'
    /// file and sheet names), each once, in that order.
    pub(super) fn new(registry: &'a Registry, sources: impl IntoIterator<Item = &'a str>) -> Self {
        use tonghop_model::codes::{
            Category, CommitteeLevel, Gender, GeneralEducation, PoliticalTheory, Position, Professional,
            StateManagement, ethnicity_names,
        };
        fn labels<T: Copy>(all: &'static [T], label: fn(T) -> &'static str) -> impl Iterator<Item = &'static str> {
            all.iter().map(move |v| label(*v))
        }
        let codes = labels(Gender::ALL, Gender::label)
            .chain(ethnicity_names())
            .chain(labels(Position::ALL, Position::label))
            .chain(labels(CommitteeLevel::ALL, CommitteeLevel::label))
            .chain(labels(Category::ALL, Category::label))
            .chain(labels(GeneralEducation::ALL, GeneralEducation::label))
            .chain(labels(Professional::ALL, Professional::label))
            .chain(labels(PoliticalTheory::ALL, PoliticalTheory::label))
            .chain(labels(StateManagement::ALL, StateManagement::label))
            .chain([PARTY_MEMBER, NOT_PARTY_MEMBER]);
        let mut shared = Self { texts: Vec::new(), numbers: FxHashMap::default(), widths: Vec::new() };
        for unit in registry.units() {
            shared.add(&unit.name);
        }
        for label in codes {
            shared.add(label);
        }
        for source in sources {
            shared.add(source);
        }
        shared
    }

    fn add(&mut self, text: &'a str) {
        // Only text a cell holds as it is: longer text is cut in the cell.
        if text.is_empty() || matches!(within_cell_limit(text), Cow::Owned(_)) {
            return;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = self.numbers.entry(text) {
            slot.insert(self.texts.len() as u32);
            self.texts.push(text);
            self.widths.push(widest_line(text));
        }
    }

    /// Puts the texts first in the workbook's shared strings, numbered as the roster's
    /// cells refer to them; the other sheets' strings follow (and reuse these).
    pub(super) fn put_first(&self, wb: &mut Workbook) {
        // rust_xlsxwriter numbers a sheet's strings when the workbook is saved, after
        // whatever the table already holds; `populate_string_table` fills it ahead.
        for (n, text) in self.texts.iter().enumerate() {
            wb.populate_string_table(text, n as u32);
        }
    }
}

/// How many people the sheet shows (header on row 1, people on rows 2 on, the last row
/// kept for the note of the rest) and how many it leaves out.
fn shown_people(people: usize) -> (usize, usize) {
    let room = LAST_ROW as usize - 1;
    if people <= room + 1 { (people, 0) } else { (room, people - room) }
}

/// The roster's rows, compressed, and the widest text of each column.
pub(super) struct Rows {
    segments: Vec<Segment>,
    widths: [usize; COLUMNS],
    people: u32,
    shared_references: u64,
}

/// Makes and compresses the roster's rows, `block` people at a time.
pub(super) fn rows(
    people: &[Official],
    registry: &Registry,
    shared: &SharedTexts<'_>,
    block: usize,
) -> Result<Rows, ReportError> {
    // Excel opens no sheet past its last row: the people who do not fit are counted on the
    // last row instead (every figure still counts them).
    let (shown, left) = shown_people(people.len());
    let count = shown as u32;
    let names: Vec<String> = (0..COLUMNS as u32).map(column_name).collect();
    let block = block.max(1);
    let last_block = shown.div_ceil(block).saturating_sub(1);
    let blocks = people[..shown]
        .par_chunks(block)
        .enumerate()
        // One block at a time to steal, so that the last ones are shared out too.
        .with_max_len(1)
        .map(|(b, chunk)| {
            let mut xml = String::with_capacity(chunk.len() * 800);
            let mut widths = [0; COLUMNS];
            let mut references = 0;
            for (k, p) in chunk.iter().enumerate() {
                let i = b * block + k;
                // Row 1 is the header: person i is on row i + 2.
                let cells = person_cells(i, p, registry);
                references += write_row(&mut xml, &names, i as u32 + 2, &cells, shared, &mut widths);
            }
            if b == last_block && left > 0 {
                let row = (LAST_ROW + 1).to_string();
                xml.push_str("<row r=\"");
                xml.push_str(&row);
                xml.push_str("\"><c r=\"A");
                xml.push_str(&row);
                inline_string(&mut xml, &super::overflow_note(left));
                xml.push_str("</row>");
            }
            Ok((Segment::compress(xml.as_bytes(), false)?, widths, references))
        })
        .collect::<Result<Vec<_>, ReportError>>()?;
    let mut widths = [0; COLUMNS];
    let mut segments = Vec::with_capacity(blocks.len());
    let mut shared_references = 0;
    for (segment, block_widths, references) in blocks {
        for (w, b) in widths.iter_mut().zip(block_widths) {
            *w = (*w).max(b);
        }
        segments.push(segment);
        shared_references += references;
    }
    Ok(Rows { segments, widths, people: count, shared_references })
}

/// Writes the sheet around the rows: header, frozen header, filter over `people` rows,
/// print settings. Returns the header's share of the column widths, which are written with
/// the rows' (see [`Rows::into_sheet_rows`]).
pub(super) fn sheet(ws: &mut Worksheet, styles: &Styles, people: usize) -> Result<Vec<usize>, XlsxError> {
    let people = shown_people(people).0 as u32;
    let mut w = SheetWriter::new(ws, styles);
    w.header(0, &LABELS)?;
    w.settle(0, people, (COLUMNS - 1) as u16, true)?;
    // On paper, the key columns of every person, the header on every page.
    w.ws.set_print_area(0, 0, people, PRINTED as u16 - 1)?;
    Ok((0..COLUMNS).map(|col| w.widths.get(&(col as u16)).copied().unwrap_or(0)).collect())
}

impl Rows {
    /// The rows for the package, in `part`, with the columns fitted to them and to the
    /// header (`header_widths`).
    pub(super) fn into_sheet_rows(self, part: String, header_widths: &[usize]) -> SheetRows {
        let mut columns = String::from("<cols>");
        for (col, width) in self.widths.iter().enumerate() {
            let chars = (*width).max(header_widths.get(col).copied().unwrap_or(0));
            let n = col + 1;
            let _ = write!(columns, r#"<col min="{n}" max="{n}" width="{}" customWidth="1"/>"#, xml_width(chars));
        }
        columns.push_str("</cols>");
        SheetRows {
            part,
            // Row 1 is the header.
            blocks: vec![(2, self.segments)],
            dimension: Some(format!("A1:{}{}", column_name(COLUMNS as u32 - 1), self.people + 1)),
            columns: Some(columns),
            shared_references: self.shared_references,
        }
    }
}

/// A column's width as the sheet XML states it, the way rust_xlsxwriter states the widths
/// of the other sheets: a whole number of pixels for the default 64-pixel column (7 pixels
/// a digit, 5 of padding), back in characters to 1/256.
fn xml_width(chars: usize) -> f64 {
    const DIGIT: u32 = 7;
    const PADDING: u32 = 5;
    let pixels = (super::column_width(chars) * f64::from(DIGIT)).round() as u32 + PADDING;
    f64::from(pixels * 256 / DIGIT) / 256.0
}

/// A roster cell, borrowed from the person where it can be: a quarter of a million rows of
/// 26 cells are not copied into strings of their own.
#[derive(Debug, Clone, PartialEq)]
enum Value<'a> {
    Text(Cow<'a, str>),
    Count(u64),
    Empty,
}

fn text<'a>(v: impl Into<Cow<'a, str>>) -> Value<'a> {
    Value::Text(v.into())
}

fn opt<'a, T: Into<Cow<'a, str>>>(v: Option<T>) -> Value<'a> {
    v.map_or(Value::Empty, text)
}

fn person_cells<'a>(i: usize, p: &'a Official, registry: &'a Registry) -> [Value<'a>; COLUMNS] {
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
        opt(p.birth_date.map(|b| b.to_string())),
        opt(p.gender.map(Gender::label)),
        opt(p.ethnicity.map(Ethnicity::label)),
        opt(p.party_member.map(|m| if m { PARTY_MEMBER } else { NOT_PARTY_MEMBER })),
        joined(&mut p.positions.iter().map(|x| x.label()), ", "),
        opt(p.committee.map(CommitteeLevel::label)),
        opt(p.category.map(Category::label)),
        opt(p.professional.map(Professional::label)),
        opt(p.political_theory.map(PoliticalTheory::label)),
        opt(p.state_management.map(StateManagement::label)),
        opt(p.religion.as_deref()),
        opt(p.national_id.as_ref().map(|id| id.0.as_str())),
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

const PARTY_MEMBER: &str = "Đảng viên";
const NOT_PARTY_MEMBER: &str = "Không";

/// One `<row>`: text as a shared string where it is one, otherwise inline, counts as
/// numbers, nothing for empty cells; returns the number of shared string cells. The cells
/// carry no style: the workbook's default format is the list's (Times New Roman 11).
/// Written with plain appends rather than `write!`: formatting was a third of making the
/// roster's XML.
fn write_row(
    xml: &mut String,
    names: &[String],
    row: u32,
    cells: &[Value<'_>; COLUMNS],
    shared: &SharedTexts<'_>,
    widths: &mut [usize; COLUMNS],
) -> u64 {
    let mut references = 0;
    let mut row_digits = itoa::Buffer::new();
    let row = row_digits.format(row);
    let mut digits = itoa::Buffer::new();
    xml.push_str("<row r=\"");
    xml.push_str(row);
    xml.push_str("\">");
    for (col, cell) in cells.iter().enumerate() {
        let cell_start = |xml: &mut String| {
            xml.push_str("<c r=\"");
            xml.push_str(&names[col]);
            xml.push_str(row);
        };
        match cell {
            Value::Text(v)
                if LOOKED_UP[col]
                    && let Some(&n) = shared.numbers.get(v.as_ref()) =>
            {
                widths[col] = widths[col].max(shared.widths[n as usize]);
                cell_start(xml);
                xml.push_str("\" t=\"s\"><v>");
                xml.push_str(digits.format(n));
                xml.push_str("</v></c>");
                references += 1;
            }
            Value::Text(v) if !v.is_empty() => {
                let v = within_cell_limit(v);
                widths[col] = widths[col].max(widest_line(&v));
                cell_start(xml);
                inline_string(xml, &v);
            }
            Value::Count(v) => {
                let v = digits.format(*v);
                widths[col] = widths[col].max(v.len());
                cell_start(xml);
                xml.push_str("\"><v>");
                xml.push_str(v);
                xml.push_str("</v></c>");
            }
            // An empty cell needs no element.
            Value::Text(_) | Value::Empty => {}
        }
    }
    xml.push_str("</row>");
    references
}

/// The rest of a cell element, from the closing quote of its last attribute, holding
/// `text` as an inline string.
pub(super) fn inline_string(xml: &mut String, text: &str) {
    let preserve = [' ', '\t', '\n'];
    let space = if text.starts_with(preserve) || text.ends_with(preserve) { " xml:space=\"preserve\"" } else { "" };
    xml.push_str("\" t=\"inlineStr\"><is><t");
    xml.push_str(space);
    xml.push('>');
    escape_text(xml, text);
    xml.push_str("</t></is></c>");
}

/// Bytes that go into sheet XML as they are: not markup, not the underscore of a possible
/// `_xHHHH_`, not the first byte of U+FFFE/U+FFFF, not a control character but tab and
/// line feed. A table, because this test runs on every byte of the roster.
static PLAIN: [bool; 256] = {
    let mut table = [true; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b == 0x09 || b == 0x0A;
        b += 1;
    }
    table[b'&' as usize] = false;
    table[b'<' as usize] = false;
    table[b'>' as usize] = false;
    table[b'_' as usize] = false;
    table[0xEF] = false;
    table
};

/// Text as sheet XML escapes it, the way Excel does: markup characters as entities,
/// control characters (which XML cannot hold) as `_xHHHH_`, and a literal `_xHHHH_` with
/// its underscore escaped so that it reads back as written.
fn escape_text(xml: &mut String, text: &str) {
    if text.bytes().all(|b| PLAIN[usize::from(b)]) {
        xml.push_str(text);
        return;
    }
    for (at, ch) in text.char_indices() {
        match ch {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '_' if looks_escaped(&text[at..]) => xml.push_str("_x005F_"),
            '\t' | '\n' => xml.push(ch),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(xml, "_x{:04X}_", u32::from(ch));
            }
            _ => xml.push(ch),
        }
    }
}

/// Whether `s` starts with `_xHHHH_`.
fn looks_escaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

#[cfg(test)]
mod tests {
    use calamine::{Reader as _, Xlsx};
    use rust_xlsxwriter::Workbook;
    use tonghop_model::record::SourceRow;

    use super::*;
    use crate::package::{inflate, write_with_rows};

    #[test]
    fn a_roster_past_excels_last_row_keeps_that_row_for_the_rest() {
        assert_eq!(shown_people(10), (10, 0));
        // Header on row 1 and people on rows 2 to 1,048,576: exactly full.
        assert_eq!(shown_people(1_048_575), (1_048_575, 0));
        assert_eq!(shown_people(1_048_576), (1_048_574, 2));
        assert_eq!(shown_people(2_000_000), (1_048_574, 2_000_000 - 1_048_574));
    }

    #[test]
    fn plain_bytes_are_those_xml_takes_as_they_are() {
        for b in 0..=255u8 {
            let plain = !matches!(b, b'&' | b'<' | b'>' | b'_' | 0xEF) && (b >= 0x20 || b == b'\t' || b == b'\n');
            assert_eq!(PLAIN[usize::from(b)], plain, "byte {b:#04x}");
        }
    }

    #[test]
    fn widths_count_characters_of_the_longest_line() {
        assert_eq!(widest_line("Nguyễn Văn An"), 13);
        assert_eq!(widest_line("Bí thư\nPhó Chủ tịch UBND"), 17);
        assert_eq!(widest_line("a\n"), 1);
    }

    /// Names a return may hold that XML must escape or keep with care.
    const AWKWARD: [&str; 8] = [
        "Nguyễn Văn An",
        "  Lò Thị Bình ",
        "Hà <Văn> & \"Cường\"",
        "=1+1",
        "Tab\there\nand a new line",
        "Bell\u{7} and CR\r",
        "Literal _x0041_ stays",
        "Lý _xZZ_ and _x12",
    ];

    fn people(count: u32) -> Vec<Official> {
        let registry = Registry::embedded();
        let unit = (!registry.units().is_empty()).then_some(tonghop_model::units::UnitId(0));
        (0..count)
            .map(|k| Official {
                unit: if k % 3 == 0 { unit } else { None },
                full_name: AWKWARD[k as usize % AWKWARD.len()].to_string(),
                positions_text: "Bí thư".into(),
                religion: (k % 4 == 0).then(|| "Phật giáo".to_string()),
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

    /// Each column's width as the first sheet's XML states it.
    fn column_widths(package: &[u8]) -> std::collections::BTreeMap<u32, String> {
        use std::io::Read as _;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
        let mut xml = String::new();
        archive.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
        let attr = |element: &str, name: &str| -> String {
            let from = element.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            element[from..].split('"').next().unwrap().to_owned()
        };
        let mut widths = std::collections::BTreeMap::new();
        for element in xml.split("<col ").skip(1) {
            let element = format!(" {}", element.split("/>").next().unwrap());
            let (min, max): (u32, u32) =
                (attr(&element, "min").parse().unwrap(), attr(&element, "max").parse().unwrap());
            for col in min..=max {
                widths.insert(col, attr(&element, "width"));
            }
        }
        widths
    }

    #[test]
    fn rows_made_in_blocks_of_any_size_are_the_same_rows() {
        let registry = Registry::embedded();
        let people = people(50);
        let shared = SharedTexts::new(&registry, ["xa-a.xlsx", "Sheet1"]);
        let whole = rows(&people, &registry, &shared, 1_000).unwrap();
        let xml = inflate(&whole.segments);
        assert!(xml.starts_with("<row r=\"2\">"), "{}", &xml[..40]);
        assert!(xml.contains("<row r=\"51\">") && !xml.contains("<row r=\"52\">"));
        assert_eq!(xml.matches("<row ").count(), 50);
        for block in [1, 7, 49, 50] {
            let cut = rows(&people, &registry, &shared, block).unwrap();
            assert_eq!(cut.segments.len(), people.len().div_ceil(block), "block {block}");
            assert_eq!(inflate(&cut.segments), xml, "block {block}");
            assert_eq!(cut.widths, whole.widths, "block {block}");
            assert_eq!(cut.shared_references, whole.shared_references, "block {block}");
        }
        // STT up to 50 is two digits; the widest name is the longest of the awkward ones.
        assert_eq!(whole.widths[0], 2);
        let widest = AWKWARD.iter().flat_map(|n| n.lines()).map(|l| l.chars().count()).max().unwrap();
        assert_eq!(whole.widths[2], widest);
    }

    #[test]
    fn the_roster_reads_back_as_the_workbook_writer_would_have_written_it() {
        let registry = Registry::embedded();
        let people = people(40);
        let mut wb = Workbook::new();
        wb.add_worksheet().set_name("Danh sách").unwrap();
        let shared = SharedTexts::new(&registry, ["xa-a.xlsx", "Sheet1"]);
        shared.put_first(&mut wb);
        // Another sheet's strings: one the roster shares, one of its own.
        let other = wb.add_worksheet().set_name("Khác").unwrap();
        other.write_string(0, 0, "Phật giáo").unwrap();
        other.write_string(0, 1, "Sheet1").unwrap();
        other.write_string(1, 0, "Chỉ ở trang này").unwrap();
        let made = rows(&people, &registry, &shared, 7).unwrap();
        let shared_references = made.shared_references;
        let styles = Styles::new();
        let ws = wb.worksheet_from_index(0).unwrap();
        let header_widths = sheet(ws, &styles, people.len()).unwrap();
        let widths: Vec<usize> = made.widths.iter().zip(&header_widths).map(|(d, h)| *d.max(h)).collect();
        let rows = made.into_sheet_rows("xl/worksheets/sheet1.xml".into(), &header_widths);
        let mut ours = Vec::new();
        write_with_rows(&wb.save_to_buffer().unwrap(), vec![rows], &mut ours).unwrap();

        // The unit, file and sheet are shared strings, the names inline; the shared strings
        // count every reference, the roster's included.
        let part = |name: &str| {
            use std::io::Read as _;
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&ours)).unwrap();
            let mut xml = String::new();
            archive.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
            xml
        };
        let (roster_xml, other_xml, sst) =
            (part("xl/worksheets/sheet1.xml"), part("xl/worksheets/sheet2.xml"), part("xl/sharedStrings.xml"));
        assert!(roster_xml.contains(r#"<c r="W2" t="s">"#) && roster_xml.contains(r#"<c r="B2" t="s">"#));
        assert!(roster_xml.contains(r#"<c r="C2" t="inlineStr">"#));
        let references = roster_xml.matches(r#" t="s""#).count() + other_xml.matches(r#" t="s""#).count();
        assert_eq!(shared_references as usize, roster_xml.matches(r#" t="s""#).count() - LABELS.len());
        assert!(
            sst.contains(&format!(r#" count="{references}" uniqueCount="{}""#, sst.matches("<si>").count())),
            "{}",
            &sst[..200]
        );

        // The same cells, written one by one by the workbook writer.
        let mut oracle = Workbook::new();
        let ws = oracle.add_worksheet().set_name("Danh sách").unwrap();
        for (col, label) in LABELS.iter().enumerate() {
            ws.write_string(0, col as u16, *label).unwrap();
            ws.set_column_width(col as u16, super::super::column_width(widths[col])).unwrap();
        }
        for (i, p) in people.iter().enumerate() {
            for (col, cell) in person_cells(i, p, &registry).into_iter().enumerate() {
                match cell {
                    Value::Text(v) => ws.write_string(i as u32 + 1, col as u16, v).map(|_| ()).unwrap(),
                    Value::Count(v) => ws.write_number(i as u32 + 1, col as u16, v as f64).map(|_| ()).unwrap(),
                    Value::Empty => {}
                }
            }
        }
        let theirs = oracle.save_to_buffer().unwrap();
        // The columns are as wide as the workbook writer makes them for the same widths.
        assert_eq!(column_widths(&ours), column_widths(&theirs));
        assert_eq!(column_widths(&ours).len(), COLUMNS);

        let read = |bytes: Vec<u8>| {
            let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let cells = book.worksheet_range("Danh sách").unwrap();
            let formulas = book.worksheet_formula("Danh sách").unwrap();
            (cells, formulas.cells().filter(|(_, _, f)| !f.is_empty()).count())
        };
        let package = ours.clone();
        let (ours, our_formulas) = read(ours);
        let (theirs, _) = read(theirs);
        assert_eq!(ours.get_size(), (41, COLUMNS));
        assert_eq!(ours.rows().collect::<Vec<_>>(), theirs.rows().collect::<Vec<_>>());
        assert_eq!(our_formulas, 0, "text from a return is never a formula");
        assert_eq!(ours.get_value((4, 2)), Some(&calamine::Data::String("=1+1".into())));
        assert_eq!(ours.get_value((2, 2)), Some(&calamine::Data::String("  Lò Thị Bình ".into())));
        assert_eq!(ours.get_value((40, 24)), Some(&calamine::Data::Float(43.0)));
        assert_eq!(ours.get_value((1, 22)), Some(&calamine::Data::String("xa-a.xlsx".into())));
        assert_eq!(ours.get_value((1, 1)), Some(&calamine::Data::String(registry.units()[0].name.clone())));
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(package)).unwrap();
        let other: Vec<Vec<String>> =
            book.worksheet_range("Khác").unwrap().rows().map(|r| r.iter().map(ToString::to_string).collect()).collect();
        assert_eq!(other, [["Phật giáo", "Sheet1"], ["Chỉ ở trang này", ""]]);
    }

    fn escaped(text: &str) -> String {
        let mut xml = String::new();
        escape_text(&mut xml, text);
        xml
    }

    #[test]
    fn text_is_escaped_as_excel_escapes_it() {
        assert_eq!(escaped("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(escaped("a<b & c>d"), "a&lt;b &amp; c&gt;d");
        assert_eq!(escaped("tab\there\nline"), "tab\there\nline");
        assert_eq!(escaped("bell\u{7}cr\r"), "bell_x0007_cr_x000D_");
        assert_eq!(escaped("lit _x0041_ and _xZZ_ and _x12"), "lit _x005F_x0041_ and _xZZ_ and _x12");
        assert_eq!(escaped("x\u{fffe}"), "x_xFFFE_");
        assert_eq!(escaped("bão ư ơ"), "bão ư ơ");
    }
}
