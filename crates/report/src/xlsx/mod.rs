//! The workbook writer: every sheet of tonghop's workbooks, from its cells to the zip.
//!
//! Sheets are filled independently (the report's on several workers at once), their
//! cells kept compactly in memory; on saving, the formats of all sheets are numbered in
//! sheet order, and every sheet's rows are made into XML and deflated in blocks on every
//! worker, so that a country's quarter of a million people are not written and compressed
//! on one core while the other waits (`docs/scaling.md`). Text is always written as text,
//! never as a formula. The same workbook gives the same bytes.
//!
//! It writes what the workbooks use and no more: text, numbers and dates with formats,
//! merged ranges, row heights and column widths, frozen panes, filters, lists of choices,
//! sheet protection, the page set-up (paper, margins, fitting, print areas and titles,
//! page breaks, footers) and bar and column charts. Its output is read back by the tests
//! with calamine and compared with the golden report.

mod chart;
mod format;
mod sheet;
mod zip;

use std::fmt::Write as _;
use std::io::Write;

use chrono::Datelike as _;
use rayon::prelude::*;

pub use chart::{Chart, ChartType};
pub use format::{Format, FormatAlign};
pub use sheet::{DataValidation, MAX_PAGE_BREAKS, ProtectionOptions, Worksheet};

/// Office's default theme, as Excel 2007 writes it (and rust_xlsxwriter after it): the
/// colours and fonts a chart's parts take when they name none (without it a reader may
/// draw a chart's bars in no colour at all).
const THEME: &str = include_str!("theme1.xml");

/// The most cell formats Excel holds in a workbook.
const FORMAT_LIMIT: usize = 64_000;

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A workbook that cannot be written as asked.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// A cell past Excel's last row (1,048,576) or column (XFD).
    #[error("row {row} or column {col} (0-based) is past Excel's last")]
    RowColumnLimit {
        /// The row, 0-based.
        row: u32,
        /// The column, 0-based.
        col: u16,
    },
    /// Text longer than a cell holds (32,767 UTF-16 units).
    #[error("text too long for the cell at row {row}, column {col} (0-based)")]
    TextTooLong {
        /// The row, 0-based.
        row: u32,
        /// The column, 0-based.
        col: u16,
    },
    /// Something Excel would refuse or repair: a sheet name, a merged range, a list.
    #[error("{0}")]
    Invalid(String),
    /// Writing the file failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A date as Excel counts it: days since 30 December 1899 (for dates from March 1900 on,
/// where Excel's serials are the calendar's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExcelDateTime(chrono::NaiveDate);

impl ExcelDateTime {
    /// A date Excel shows as one: from 1 March 1900 to 31 December 9999.
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Result<Self, XlsxError> {
        chrono::NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))
            .filter(|d| (1900..=9999).contains(&d.year()) && (d.year(), d.month()) >= (1900, 3))
            .map(Self)
            .ok_or_else(|| XlsxError::Invalid(format!("no such date: {year}-{month:02}-{day:02}")))
    }

    fn serial(self) -> f64 {
        let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");
        (self.0 - epoch).num_days() as f64
    }
}

/// The document's properties: title, author, company, creation date.
#[derive(Debug, Clone, Default)]
pub struct DocProperties {
    title: String,
    author: String,
    company: String,
    created: Option<ExcelDateTime>,
}

impl DocProperties {
    pub fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn set_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    #[must_use]
    pub fn set_author(mut self, author: impl Into<String>) -> Self {
        self.author = author.into();
        self
    }

    #[must_use]
    pub fn set_company(mut self, company: impl Into<String>) -> Self {
        self.company = company.into();
        self
    }

    #[must_use]
    pub fn set_creation_datetime(mut self, date: ExcelDateTime) -> Self {
        self.created = Some(date);
        self
    }
}

/// A workbook.
pub struct Workbook {
    sheets: Vec<Worksheet>,
    default: Format,
    properties: DocProperties,
}

impl Default for Workbook {
    fn default() -> Self {
        Self::new()
    }
}

/// Rows of a sheet made into XML and deflated together: about a megabyte of kept cells,
/// enough pieces for every worker and few enough that the flushes between them cost little.
const BLOCK_BYTES: usize = 1 << 20;

/// What a piece of a part is made from.
enum Piece {
    Text(String),
    /// Rows of a sheet.
    Rows(usize, std::ops::Range<usize>),
}

impl Workbook {
    pub fn new() -> Self {
        Self { sheets: Vec::new(), default: Format::new(), properties: DocProperties::default() }
    }

    /// The format of cells without one of their own, and the font formats start from.
    pub fn set_default_format(&mut self, format: &Format) -> &mut Self {
        self.default = format.clone();
        self
    }

    pub fn set_properties(&mut self, properties: &DocProperties) -> &mut Self {
        self.properties = properties.clone();
        self
    }

    /// A new sheet, named "Sheet1", "Sheet2"… until named.
    pub fn add_worksheet(&mut self) -> &mut Worksheet {
        let name = format!("Sheet{}", self.sheets.len() + 1);
        self.sheets.push(Worksheet::new(name));
        self.sheets.last_mut().expect("just added")
    }

    pub fn worksheets_mut(&mut self) -> &mut [Worksheet] {
        &mut self.sheets
    }

    pub fn save_to_buffer(&self) -> Result<Vec<u8>, XlsxError> {
        let mut bytes = Vec::new();
        self.save_to_writer(&mut bytes)?;
        Ok(bytes)
    }

    /// Writes the workbook to `out`.
    pub fn save_to_writer(&self, mut out: impl Write) -> Result<(), XlsxError> {
        if self.sheets.iter().all(|s| s.hidden) {
            return Err(XlsxError::Invalid("a workbook needs a sheet to show".into()));
        }
        let mut names = std::collections::HashSet::new();
        for s in &self.sheets {
            if !names.insert(s.name().to_lowercase()) {
                return Err(XlsxError::Invalid(format!("two sheets named {}", s.name())));
            }
        }
        // The formats, numbered in sheet order as each sheet first used them.
        let mut styles = format::StyleSheet::new(self.default.clone());
        let maps: Vec<Vec<u16>> = self
            .sheets
            .iter()
            .map(|s| std::iter::once(0).chain(s.formats.iter().map(|f| styles.add(f))).collect())
            .collect();
        if styles.len() > FORMAT_LIMIT {
            return Err(XlsxError::Invalid(format!("more than {FORMAT_LIMIT} cell formats")));
        }
        let mut parts: Vec<(String, Vec<Piece>)> = Vec::new();
        let text = |s: String| vec![Piece::Text(s)];
        parts.push(("[Content_Types].xml".into(), text(self.content_types())));
        parts.push((
            "_rels/.rels".into(),
            text(relationships(&[
                ("officeDocument/2006/relationships/officeDocument", "xl/workbook.xml".into()),
                ("package/2006/relationships/metadata/core-properties", "docProps/core.xml".into()),
                ("officeDocument/2006/relationships/extended-properties", "docProps/app.xml".into()),
            ])),
        ));
        parts.push(("docProps/app.xml".into(), text(self.app())));
        parts.push(("docProps/core.xml".into(), text(self.core())));
        let mut workbook_rels: Vec<(&str, String)> = (1..=self.sheets.len())
            .map(|k| ("officeDocument/2006/relationships/worksheet", format!("worksheets/sheet{k}.xml")))
            .collect();
        workbook_rels.push(("officeDocument/2006/relationships/theme", "theme/theme1.xml".into()));
        workbook_rels.push(("officeDocument/2006/relationships/styles", "styles.xml".into()));
        parts.push(("xl/_rels/workbook.xml.rels".into(), text(relationships(&workbook_rels))));
        parts.push(("xl/theme/theme1.xml".into(), text(THEME.to_owned())));
        parts.push(("xl/styles.xml".into(), text(styles.xml())));
        parts.push(("xl/workbook.xml".into(), text(self.workbook_xml())));
        let (mut drawing, mut charts) = (0, 0);
        let mut drawings = Vec::new();
        for (k, s) in self.sheets.iter().enumerate() {
            let mut pieces = vec![Piece::Text(s.head_xml(k == self.first_shown(), &maps[k]))];
            let mut start = 0;
            let mut bytes = 0;
            for (r, row) in s.rows.iter().enumerate() {
                bytes += row.encoded_len();
                if bytes >= BLOCK_BYTES {
                    pieces.push(Piece::Rows(k, start..r + 1));
                    (start, bytes) = (r + 1, 0);
                }
            }
            if start < s.rows.len() {
                pieces.push(Piece::Rows(k, start..s.rows.len()));
            }
            pieces.push(Piece::Text(s.tail_xml()));
            parts.push((format!("xl/worksheets/sheet{}.xml", k + 1), pieces));
            if !s.charts.is_empty() {
                drawing += 1;
                parts.push((
                    format!("xl/worksheets/_rels/sheet{}.xml.rels", k + 1),
                    text(relationships(&[(
                        "officeDocument/2006/relationships/drawing",
                        format!("../drawings/drawing{drawing}.xml"),
                    )])),
                ));
                drawings.push(chart::drawing_xml(s));
                let targets: Vec<(&str, String)> = s
                    .charts
                    .iter()
                    .map(|_| {
                        charts += 1;
                        ("officeDocument/2006/relationships/chart", format!("../charts/chart{charts}.xml"))
                    })
                    .collect();
                parts.push((format!("xl/drawings/_rels/drawing{drawing}.xml.rels"), text(relationships(&targets))));
            }
        }
        for (k, xml) in drawings.into_iter().enumerate() {
            parts.push((format!("xl/drawings/drawing{}.xml", k + 1), text(xml)));
        }
        for (k, (_, _, c)) in self.sheets.iter().flat_map(|s| &s.charts).enumerate() {
            parts.push((format!("xl/charts/chart{}.xml", k + 1), text(c.xml(k + 1))));
        }
        // Every piece of every part at once, on every worker.
        let jobs: Vec<(&Piece, bool)> = parts
            .iter()
            .flat_map(|(_, pieces)| pieces.iter().enumerate().map(|(k, p)| (p, k + 1 == pieces.len())))
            .collect();
        let mut segments = jobs
            .into_par_iter()
            .map(|(piece, last)| match piece {
                Piece::Text(xml) => zip::Segment::compress(xml.as_bytes(), last),
                Piece::Rows(k, rows) => {
                    zip::Segment::compress(self.sheets[*k].rows_xml(rows.clone(), &maps[*k]).as_bytes(), last)
                }
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter();
        let parts: Vec<(String, Vec<zip::Segment>)> = parts
            .into_iter()
            .map(|(name, pieces)| {
                let n = pieces.len();
                (name, segments.by_ref().take(n).collect())
            })
            .collect();
        zip::write(&parts, &mut out)
    }

    /// The sheet the workbook opens on: the first not hidden.
    fn first_shown(&self) -> usize {
        self.sheets.iter().position(|s| !s.hidden).unwrap_or(0)
    }

    fn content_types(&self) -> String {
        let mut x = String::from(XML_DECLARATION);
        x.push_str(concat!(
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#,
            r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
            r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
            r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
            r#"<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>"#,
            r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        ));
        for k in 1..=self.sheets.len() {
            let _ = write!(
                x,
                r#"<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
            );
        }
        let drawings = self.sheets.iter().filter(|s| !s.charts.is_empty()).count();
        for k in 1..=drawings {
            let _ = write!(
                x,
                r#"<Override PartName="/xl/drawings/drawing{k}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>"#
            );
        }
        let charts = self.sheets.iter().map(|s| s.charts.len()).sum::<usize>();
        for k in 1..=charts {
            let _ = write!(
                x,
                r#"<Override PartName="/xl/charts/chart{k}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>"#
            );
        }
        x.push_str("</Types>");
        x
    }

    /// The workbook's names: each sheet's filter, print area and print titles, sorted as
    /// Excel sorts them (by name, then by sheet), as (name, sheet's position, reference).
    fn defined_names(&self) -> Vec<(&'static str, usize, String)> {
        let mut names = Vec::new();
        for (k, s) in self.sheets.iter().enumerate() {
            let sheet = quoted_sheet(s.name());
            if let Some(range) = s.autofilter {
                names.push(("_xlnm._FilterDatabase", k, format!("{sheet}!{}", absolute(range))));
            }
            if let Some(range) = s.print_area {
                names.push(("_xlnm.Print_Area", k, format!("{sheet}!{}", absolute(range))));
            }
            if let Some((first, last)) = s.repeat_rows {
                names.push(("_xlnm.Print_Titles", k, format!("{sheet}!${}:${}", first + 1, last + 1)));
            }
        }
        // Excel's order: the name without its "_xlnm." and the sheet, case aside.
        let key = |(name, sheet, _): &(&str, usize, String)| {
            (name.trim_start_matches("_xlnm.").to_lowercase(), self.sheets[*sheet].name().to_lowercase())
        };
        names.sort_by_cached_key(key);
        names
    }

    fn workbook_xml(&self) -> String {
        let mut x = String::from(XML_DECLARATION);
        x.push_str(concat!(
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
            r#"<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/>"#,
            r#"<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660""#
        ));
        let shown = self.first_shown();
        if shown > 0 {
            let _ = write!(x, r#" firstSheet="{shown}" activeTab="{shown}""#);
        }
        x.push_str("/></bookViews><sheets>");
        for (k, s) in self.sheets.iter().enumerate() {
            let _ = write!(x, r#"<sheet name="{}" sheetId="{}""#, escape_attribute(s.name()), k + 1);
            if s.hidden {
                x.push_str(r#" state="hidden""#);
            }
            let _ = write!(x, r#" r:id="rId{}"/>"#, k + 1);
        }
        x.push_str("</sheets>");
        let names = self.defined_names();
        if !names.is_empty() {
            x.push_str("<definedNames>");
            for (name, sheet, reference) in names {
                let hidden = if name == "_xlnm._FilterDatabase" { r#" hidden="1""# } else { "" };
                let _ = write!(
                    x,
                    r#"<definedName name="{name}" localSheetId="{sheet}"{hidden}>{}</definedName>"#,
                    escape_attribute(&reference)
                );
            }
            x.push_str("</definedNames>");
        }
        x.push_str(r#"<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#);
        x
    }

    fn app(&self) -> String {
        let names: Vec<String> = self
            .defined_names()
            .into_iter()
            .filter_map(|(name, sheet, _)| {
                let short = name.strip_prefix("_xlnm.").filter(|n| *n != "_FilterDatabase")?;
                Some(format!("{}!{short}", quoted_sheet(self.sheets[sheet].name())))
            })
            .collect();
        let mut x = String::from(XML_DECLARATION);
        x.push_str(concat!(
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
            r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
            "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        ));
        let pairs = if names.is_empty() { 2 } else { 4 };
        let _ = write!(
            x,
            r#"<HeadingPairs><vt:vector size="{pairs}" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{}</vt:i4></vt:variant>"#,
            self.sheets.len()
        );
        if !names.is_empty() {
            let _ = write!(
                x,
                "<vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>{}</vt:i4></vt:variant>",
                names.len()
            );
        }
        let _ = write!(
            x,
            r#"</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{}" baseType="lpstr">"#,
            self.sheets.len() + names.len()
        );
        for title in self.sheets.iter().map(|s| s.name().to_owned()).chain(names) {
            let _ = write!(x, "<vt:lpstr>{}</vt:lpstr>", escape_attribute(&title));
        }
        x.push_str("</vt:vector></TitlesOfParts>");
        if !self.properties.company.is_empty() {
            let _ = write!(x, "<Company>{}</Company>", escape_attribute(&self.properties.company));
        }
        x.push_str(concat!(
            "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>",
            "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>"
        ));
        x
    }

    fn core(&self) -> String {
        let p = &self.properties;
        let mut x = String::from(XML_DECLARATION);
        x.push_str(concat!(
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
        ));
        if !p.title.is_empty() {
            let _ = write!(x, "<dc:title>{}</dc:title>", escape_attribute(&p.title));
        }
        let author = escape_attribute(&p.author);
        let _ = write!(x, "<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>");
        // Without a date of its own, the zip's: the same workbook gives the same bytes.
        let date = p.created.map_or(chrono::NaiveDate::from_ymd_opt(1980, 1, 1).expect("a date"), |d| d.0);
        let stamp = format!("{:04}-{:02}-{:02}T00:00:00Z", date.year(), date.month(), date.day());
        let _ = write!(
            x,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>"#
        );
        x
    }
}

/// A relationships part: `rId1`, `rId2`… for `targets` (type after the schemas' host, target).
fn relationships(targets: &[(&str, String)]) -> String {
    let mut x = String::from(XML_DECLARATION);
    x.push_str(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#);
    for (k, (kind, target)) in targets.iter().enumerate() {
        let _ = write!(
            x,
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/{kind}" Target="{target}"/>"#,
            k + 1
        );
    }
    x.push_str("</Relationships>");
    x
}

/// A sheet's name in a reference, always quoted: a bare "A1" or "R1C1" would be read as
/// a cell.
fn quoted_sheet(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// `$A$1:$K$56`.
fn absolute((r1, c1, r2, c2): (u32, u16, u32, u16)) -> String {
    let mut x = String::new();
    for (k, (row, col)) in [(r1, c1), (r2, c2)].into_iter().enumerate() {
        if k == 1 {
            x.push(':');
        }
        x.push('$');
        column_name(&mut x, col);
        let _ = write!(x, "${}", row + 1);
    }
    x
}

/// Appends the letters of column `col` (0-based): A, …, Z, AA, ….
fn column_name(out: &mut String, col: u16) {
    let mut letters = [0u8; 3];
    let mut n = u32::from(col) + 1;
    let mut k = letters.len();
    while n > 0 {
        k -= 1;
        letters[k] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.push_str(std::str::from_utf8(&letters[k..]).expect("letters"));
}

/// The letters of column `col` (0-based): A, …, Z, AA, ….
pub fn column_letters(col: u16) -> String {
    let mut x = String::new();
    column_name(&mut x, col);
    x
}

/// "C7" for row 6, column 2 (0-based).
fn cell_name(row: u32, col: u16) -> String {
    let mut x = String::new();
    column_name(&mut x, col);
    let _ = write!(x, "{}", row + 1);
    x
}

/// Appends `s` as the text of a cell: `& < >` escaped, and the characters XML cannot
/// hold (the control characters but tab and line feed, U+FFFE and U+FFFF) written as
/// Excel's `_xHHHH_`, as is a literal `_xHHHH_`, which a reader would take for one.
fn push_escaped(out: &mut String, s: &str) {
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF: the byte BF after EF BF.
    let plain =
        s.bytes().all(|b| !matches!(b, b'&' | b'<' | b'>' | b'_' | 0xEF) && (b >= 0x20 || b == b'\t' || b == b'\n'));
    if plain {
        out.push_str(s);
        return;
    }
    for (i, c) in s.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '_' if looks_escaped(&s[i..]) => out.push_str("_x005F_"),
            c if !is_xml_char(c) => {
                let _ = write!(out, "_x{:04X}_", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Appends `s` as the text of an element other than a cell's (a chart's title or
/// reference, a footer): `& < >` escaped, the characters XML cannot hold dropped.
fn push_plain(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
}

/// Whether XML 1.0 holds `c` as it is (it holds no other control characters, and not
/// U+FFFE or U+FFFF; a Rust string has no lone surrogates).
fn is_xml_char(c: char) -> bool {
    !((c < ' ' && !matches!(c, '\t' | '\n')) || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// Whether `s` starts with `_xHHHH_`.
fn looks_escaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// `s` as an attribute's value: `& < > "` escaped, a line break and a tab kept as
/// character references, the characters XML cannot hold dropped.
fn escape_attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use calamine::{Data, Reader as _, Xlsx};

    use super::*;

    #[test]
    fn columns_are_named_as_excel_names_them() {
        let name = |c| {
            let mut s = String::new();
            column_name(&mut s, c);
            s
        };
        assert_eq!(
            [name(0), name(25), name(26), name(701), name(702), name(16_383)],
            ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
        );
        assert_eq!(absolute((0, 0, 55, 10)), "$A$1:$K$56");
        assert_eq!(quoted_sheet("Biểu 10"), "'Biểu 10'");
        assert_eq!(quoted_sheet("R1C1"), "'R1C1'");
        assert_eq!(quoted_sheet("O'Neil"), "'O''Neil'");
    }

    #[test]
    fn text_that_xml_cannot_hold_is_escaped_as_excel_reads_it() {
        let mut out = String::new();
        push_escaped(&mut out, "a\u{1}b & _x0041_ <c>\n\u{FFFF}\u{FFFE}\u{FFFD}");
        assert_eq!(out, "a_x0001_b &amp; _x005F_x0041_ &lt;c&gt;\n_xFFFF__xFFFE_\u{FFFD}");
        assert_eq!(escape_attribute("\"x\"\u{2}\n\u{FFFF}"), "&quot;x&quot;&#10;");
        let mut plain = String::new();
        push_plain(&mut plain, "Tỷ lệ _x0041_ & \u{1}\u{FFFE}");
        assert_eq!(plain, "Tỷ lệ _x0041_ &amp; ");
    }

    #[test]
    fn dates_are_excels_serials() {
        assert_eq!(ExcelDateTime::from_ymd(1900, 3, 1).unwrap().serial().to_string(), "61");
        assert_eq!(ExcelDateTime::from_ymd(1975, 3, 14).unwrap().serial().to_string(), "27467");
        assert!(ExcelDateTime::from_ymd(2023, 2, 29).is_err());
        assert!(ExcelDateTime::from_ymd(1900, 2, 28).is_err(), "Excel's 1900 is not the calendar's");
        assert!(ExcelDateTime::from_ymd(10_000, 1, 1).is_err());
    }

    /// A workbook of two sheets, one with enough rows to be made in several blocks.
    fn two_sheets() -> Workbook {
        let mut wb = Workbook::new();
        wb.set_default_format(&Format::new().set_font_name("Times New Roman").set_font_size(11));
        wb.set_properties(&DocProperties::new().set_author("tonghop").set_title("Thử"));
        let bold = Format::new().set_bold();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        {
            let ws = wb.add_worksheet().set_name("Danh sách").unwrap();
            ws.write_string_with_format(0, 0, "Họ và tên", &bold).unwrap();
            for r in 1..=60_000u32 {
                ws.write_string(r, 0, format!("Người {r}")).unwrap();
                ws.write_number(r, 1, f64::from(r)).unwrap();
                ws.write_datetime_with_format(r, 2, ExcelDateTime::from_ymd(1975, 3, 14).unwrap(), &date).unwrap();
            }
            ws.autofilter(0, 0, 60_000, 2).unwrap();
            ws.set_repeat_rows(0, 0).unwrap();
        }
        {
            let ws = wb.add_worksheet().set_name("DM").unwrap();
            ws.write_string_with_format(0, 0, "=1+1", &bold).unwrap();
            ws.set_hidden(true);
        }
        wb
    }

    #[test]
    fn a_saved_workbook_reads_back_cell_by_cell() {
        let wb = two_sheets();
        let bytes = wb.save_to_buffer().unwrap();
        assert_eq!(bytes, wb.save_to_buffer().unwrap(), "the same workbook gives the same bytes");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(book.sheet_names(), ["Danh sách", "DM"]);
        let range = book.worksheet_range("Danh sách").unwrap();
        assert_eq!(range.get_size(), (60_001, 3));
        assert_eq!(range.get((0, 0)), Some(&Data::String("Họ và tên".into())));
        assert_eq!(range.get((59_999, 0)), Some(&Data::String("Người 59999".into())));
        assert_eq!(range.get((60_000, 1)), Some(&Data::Float(60_000.0)));
        assert!(matches!(range.get((1, 2)), Some(Data::DateTime(d)) if d.as_f64().to_string() == "27467"));
        let dm = book.worksheet_range("DM").unwrap();
        assert_eq!(dm.get((0, 0)), Some(&Data::String("=1+1".into())), "text, never a formula");
        // The sheet's rows were made in several blocks, and each row is there once.
        let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
        assert_eq!(xml.matches("<row ").count(), 60_001);
        let mut workbook = String::new();
        zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut workbook).unwrap();
        assert!(workbook.contains(r#"<sheet name="DM" sheetId="2" state="hidden" r:id="rId2"/>"#), "{workbook}");
        assert!(workbook.contains(
            r#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Danh sách'!$A$1:$C$60001</definedName><definedName name="_xlnm.Print_Titles" localSheetId="0">'Danh sách'!$1:$1</definedName>"#
        ), "{workbook}");
    }

    #[test]
    fn a_workbook_opens_on_its_first_shown_sheet_and_needs_one() {
        let mut wb = Workbook::new();
        wb.add_worksheet().set_hidden(true);
        assert!(matches!(wb.save_to_buffer(), Err(XlsxError::Invalid(_))), "no sheet to show");
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut xml = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
            xml
        };
        assert!(read("xl/workbook.xml").contains(r#" firstSheet="1" activeTab="1"/>"#));
        assert!(!read("xl/worksheets/sheet1.xml").contains("tabSelected"));
        assert!(read("xl/worksheets/sheet2.xml").contains(r#"tabSelected="1""#));
    }

    #[test]
    fn two_sheets_of_one_name_are_refused() {
        let mut wb = Workbook::new();
        wb.add_worksheet().set_name("A").unwrap();
        wb.add_worksheet().set_name("a").unwrap();
        assert!(matches!(wb.save_to_buffer(), Err(XlsxError::Invalid(_))));
    }
}
