//! The report workbook, sheet by sheet.

mod document;
mod roster;

use std::collections::BTreeMap;

use crate::xlsx::{
    Chart, ChartType, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};
use chrono::Datelike as _;
use tonghop_model::Registry;
use tonghop_model::decisions;
use tonghop_model::intake::UnitStatus;
use tonghop_model::month::{Consolidation, IndicatorValue, Secretary, UnitStats};

use crate::{ReportError, ReportMeta};

/// Sheet names, in order.
pub const SHEETS: [&str; 11] = [
    "Tổng hợp",
    "Theo đơn vị",
    "Biểu 9C",
    "Biểu 10",
    "Biểu 12C",
    "Danh sách",
    decisions::SHEET,
    "Biến động",
    "Lỗi dữ liệu",
    "Tiếp nhận",
    "Thông tin",
];

/// The position of the roster ("Danh sách") in [`SHEETS`].
const ROSTER: usize = 5;
struct Styles {
    title: Format,
    bold: Format,
    header: Format,
    text: Format,
    number: Format,
    percent: Format,
    /// A change in percentage points, signed.
    change: Format,
    decimal: Format,
    total_text: Format,
    total_number: Format,
    total_percent: Format,
    note: Format,
    /// Body text that wraps in its column, aligned to the top.
    text_wrap: Format,
    /// Stable keys beside Vietnamese labels: small print, for scripts rather than readers.
    key: Format,
}

impl Styles {
    fn new() -> Self {
        // Top-aligned, so that a row's figures stand beside the first line of its wrapped text.
        let cell =
            Format::new().set_border().set_font_name("Times New Roman").set_font_size(11).set_align(FormatAlign::Top);
        let total = cell.clone().set_bold().set_background_color("F2F2F2");
        Self {
            title: Format::new().set_bold().set_font_name("Times New Roman").set_font_size(14),
            bold: Format::new().set_bold().set_font_name("Times New Roman").set_font_size(12),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("DDEBF7"),
            text: cell.clone(),
            text_wrap: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            number: cell.clone().set_align(FormatAlign::Right).set_num_format("#,##0"),
            percent: cell.clone().set_align(FormatAlign::Right).set_num_format("0.0%"),
            change: cell.clone().set_align(FormatAlign::Right).set_num_format("+0.0%;-0.0%;0.0%"),
            decimal: cell.set_align(FormatAlign::Right).set_num_format("0.0"),
            total_text: total.clone(),
            total_number: total.clone().set_align(FormatAlign::Right).set_num_format("#,##0"),
            total_percent: total.set_align(FormatAlign::Right).set_num_format("0.0%"),
            note: Format::new().set_italic().set_font_name("Times New Roman").set_font_size(10),
            key: Format::new().set_border().set_font_name("Arial").set_font_size(7).set_font_color("808080"),
        }
    }
}

/// A cell to write.
#[derive(Clone)]
enum Cell {
    Text(String),
    /// A stable key, in small print.
    Key(&'static str),
    Number(f64),
    Percent(Option<f64>),
    /// A change of a percentage, in percentage points, with its sign.
    Change(Option<f64>),
    Decimal(Option<f64>),
    Empty,
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn n(v: impl Into<f64>) -> Cell {
    Cell::Number(v.into())
}

fn opt_text(v: Option<impl Into<String>>) -> Cell {
    v.map_or(Cell::Empty, |s| Cell::Text(s.into()))
}

/// Excel refuses cells over 32,767 UTF-16 units (a consolidated file of ten thousand units
/// lists them all; an emoji is two units): longer text is cut, and says so.
fn within_cell_limit(text: &str) -> std::borrow::Cow<'_, str> {
    const LIMIT: usize = 32_767;
    const KEPT: usize = 32_000;
    // UTF-8 takes at least as many bytes as UTF-16 takes units.
    if text.len() <= LIMIT || text.encode_utf16().count() <= LIMIT {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut units = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > KEPT
        })
        .map_or(text.len(), |(i, _)| i);
    let marker = format!(" … (còn {} ký tự)", text[end..].chars().count());
    std::borrow::Cow::Owned(text[..end].to_owned() + &marker)
}

/// A national ID as the report shows it: masked unless `--show-ids` (Nghị định
/// 13/2023/NĐ-CP: the workbook goes round an office; `docs/privacy.md`).
fn shown_id(id: &tonghop_model::record::NationalId, show_ids: bool) -> String {
    if show_ids { id.0.clone() } else { id.masked() }
}

/// A value as a return wrote it, shown as [`shown_id`] shows IDs when it is one (a
/// problem's raw value in the ID column, a merge's differing ID).
pub(crate) fn shown_raw(field_is_id: bool, raw: &str, show_ids: bool) -> String {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    if field_is_id && digits >= 6 && !show_ids {
        shown_id(&tonghop_model::record::NationalId(raw.trim().to_owned()), false)
    } else {
        raw.to_owned()
    }
}

/// A workbook's properties: its title, tonghop as the author (which marks a file tonghop
/// may replace), and the report date as its creation date, so that the same inputs give the
/// same bytes.
pub(crate) fn properties(title: String, date: chrono::NaiveDate) -> Result<DocProperties, XlsxError> {
    let created = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    Ok(DocProperties::new().set_title(title).set_author("tonghop").set_creation_datetime(created))
}

/// The workbook's own font, Times New Roman 11, which formats of the roster's cells start
/// from: a format states its font, not the workbook's.
fn plain() -> Format {
    Format::new().set_font_name("Times New Roman").set_font_size(11)
}

/// The page every sheet prints on, as the norms for Party and administrative documents say
/// (HD 36-HD/VPTW, NĐ 30/2020/NĐ-CP): A4 landscape, margins left 30 mm, right 20 mm, top and
/// bottom 20 mm, page numbers at the foot.
pub(crate) fn page_setup(ws: &mut Worksheet) {
    const MM: f64 = 1.0 / 25.4;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_margins(30.0 * MM, 20.0 * MM, 20.0 * MM, 20.0 * MM, 8.0 * MM, 8.0 * MM);
    ws.set_footer("&C&\"Times New Roman\"Trang &P/&N");
}

/// Excel's last row, 0-based: a sheet's rows past it could not be opened.
const LAST_ROW: u32 = 1_048_575;

/// Writes `total` rows under a header on row 0 and returns the last row written. Rows past
/// the `last` (Excel's last row) are not written: that row counts them instead.
fn write_body(
    w: &mut SheetWriter<'_>,
    rows: impl Iterator<Item = Vec<Cell>>,
    total: usize,
    last: u32,
) -> Result<u32, XlsxError> {
    let mut row = 0;
    for (k, cells) in rows.enumerate() {
        row += 1;
        if row == last && total > k + 1 {
            w.row(row, vec![Cell::Empty, t(overflow_note(total - k))], false)?;
            break;
        }
        w.row(row, cells, false)?;
    }
    Ok(row)
}

/// The last row of a sheet that cannot hold all its rows: how many are left out, and where
/// they are still counted.
fn overflow_note(left: usize) -> String {
    format!(
        "… còn {left} dòng không ghi được vì bảng tính Excel chỉ có 1.048.576 dòng; các số liệu tổng hợp và summary.json vẫn tính đủ"
    )
}

/// The lines `text` takes in a cell of Times New Roman 11 in a column `width` characters
/// wide (the unit of a column's width, a digit), words kept whole but for one longer than a
/// line, which is cut at its edge: a spreadsheet does not grow a row for wrapped text it did
/// not type, so every row that wraps is sized with this. Words are measured as the font
/// draws them ([`advance`]), not counted: "Thị trấn" is narrower than eight digits, "MTTQ"
/// wider than four.
pub(crate) fn wrapped_lines(text: &str, width: usize) -> usize {
    // A digit of Times New Roman 11 is 7.33 pixels; Excel's unit is 7 and keeps a little of
    // it for the cell's margins: text has 95 % of the width.
    let room = (width as f64 * 0.95).max(1.0);
    let space = advance(' ');
    let lines: usize = text
        .lines()
        .map(|line| {
            let (mut lines, mut used) = (1, 0.0);
            for word in line.split_whitespace() {
                // A word may break after its hyphens ("HL-⏎VPHDNDUBND"): its pieces are
                // laid as words that follow without a space.
                for (k, piece) in word.split_inclusive('-').enumerate() {
                    let gap = if k == 0 { space } else { 0.0 };
                    let w: f64 = piece.chars().map(advance).sum();
                    if used > 0.0 && used + gap + w <= room {
                        used += gap + w;
                        continue;
                    }
                    if used > 0.0 {
                        lines += 1;
                        used = 0.0;
                    }
                    if w <= room {
                        used = w;
                        continue;
                    }
                    // A piece longer than a line is cut where the line ends.
                    for c in piece.chars() {
                        let a = advance(c);
                        if used > 0.0 && used + a > room {
                            lines += 1;
                            used = 0.0;
                        }
                        used += a;
                    }
                }
            }
            lines
        })
        .sum();
    lines.max(1)
}

/// How wide `c` is drawn in Times New Roman, in digits (half an em, the unit of a column's
/// width), from the font's advance widths: a letter with diacritics as its base letter,
/// capitals wider, a mark combining with the letter before it nothing.
fn advance(c: char) -> f64 {
    if u32::from(c) >= 0x2E80 {
        // Ideographs and the like: an em.
        return 2.0;
    }
    let upper = c.is_uppercase();
    let Some(base) = tonghop_model::text::fold_char(c) else { return 0.0 };
    // Capitals not named take 722, as most do; so the arms for capitals come first.
    let thousandths: u16 = match (upper, base) {
        (_, ' ' | '.' | ',') => 250,
        (_, ':' | ';' | '/' | '\'' | '!' | '|') | (false, 'i' | 'j' | 'l' | 't') => 278,
        (_, '-' | '(' | ')' | '[' | ']' | '•') | (false, 'f' | 'r') | (true, 'i') => 333,
        (false, 's') | (true, 'j') => 389,
        (_, '"') => 408,
        (false, 'a' | 'c' | 'e' | 'z') => 444,
        (true, 'f' | 'p' | 's') => 556,
        (true, 'e' | 'l' | 't' | 'z') => 611,
        (true, 'b' | 'c' | 'r') => 667,
        (_, '&') | (false, 'm') => 778,
        (_, '%') => 833,
        (true, 'm') => 889,
        (_, '@') => 921,
        (true, 'w') => 944,
        (false, 'w') | (true, _) => 722,
        // Digits, other lower-case letters, and signs such as + = < > ~: a digit or about.
        _ => 500,
    };
    f64::from(thousandths) / 500.0
}

/// Writes rows and remembers the widest text of each column, so widths fit the content.
/// The characters of a text's longest line: how wide its column must be.
fn widest_line(text: &str) -> usize {
    if text.contains('\n') { text.lines().map(|l| l.chars().count()).max().unwrap_or(0) } else { text.chars().count() }
}

struct SheetWriter<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    widths: BTreeMap<u16, usize>,
    /// Columns whose text wraps at a width (in characters) rather than widening the sheet
    /// past what a page can print; their rows are made as high as their lines.
    wrapped: Vec<(u16, usize)>,
    /// Columns no wider than a width (in characters) whatever their header says: the header
    /// wraps instead, its row made as high as its lines.
    caps: BTreeMap<u16, usize>,
    /// The most lines a row is made high for ([`MOST_ROW_LINES`], or fewer where a row must
    /// fit a page under a repeated header).
    most_lines: usize,
}

/// The most lines a wrapped row is made high for, as high as Excel makes a row (409.5
/// points); the rest of its text is in the cell, shown on screen.
const MOST_ROW_LINES: usize = 27;

/// The format of a body cell, named so that a column's run of one format is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Text,
    Key,
    Number,
    Percent,
    Change,
    Decimal,
}

impl Look {
    fn of(cell: &Cell) -> Self {
        match cell {
            Cell::Key(_) => Self::Key,
            Cell::Number(_) => Self::Number,
            Cell::Percent(Some(_)) => Self::Percent,
            Cell::Change(Some(_)) => Self::Change,
            Cell::Decimal(Some(_)) => Self::Decimal,
            // An empty cell keeps the text's borders.
            Cell::Text(_) | Cell::Percent(None) | Cell::Change(None) | Cell::Decimal(None) | Cell::Empty => Self::Text,
        }
    }

    fn format(self, s: &Styles) -> &Format {
        match self {
            Self::Text => &s.text,
            Self::Key => &s.key,
            Self::Number => &s.number,
            Self::Percent => &s.percent,
            Self::Change => &s.change,
            Self::Decimal => &s.decimal,
        }
    }

    /// The format in a total row: bold and shaded, but for keys and decimals.
    fn total_format(self, s: &Styles) -> &Format {
        match self {
            Self::Text => &s.total_text,
            Self::Number => &s.total_number,
            Self::Percent => &s.total_percent,
            Self::Key | Self::Change | Self::Decimal => self.format(s),
        }
    }
}

impl<'a> SheetWriter<'a> {
    fn new(ws: &'a mut Worksheet, styles: &'a Styles) -> Self {
        page_setup(ws);
        ws.set_print_fit_to_pages(1, 0);
        Self {
            ws,
            styles,
            widths: BTreeMap::new(),
            wrapped: Vec::new(),
            caps: BTreeMap::new(),
            most_lines: MOST_ROW_LINES,
        }
    }

    fn measure(&mut self, col: u16, text: &str) {
        self.widen(col, widest_line(text));
    }

    /// Makes room in `col` for text of `chars` characters.
    fn widen(&mut self, col: u16, chars: usize) {
        let w = self.widths.entry(col).or_insert(0);
        *w = (*w).max(chars);
    }

    /// Writes a header row and returns its height in points.
    fn header(&mut self, row: u32, labels: &[&str]) -> Result<f64, XlsxError> {
        for (c, label) in labels.iter().enumerate() {
            let col = c as u16;
            self.ws.write_string_with_format(row, col, *label, &self.styles.header)?;
            // Headers wrap: they count for less than data when fitting widths.
            let longest_word = label.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
            self.widen(col, longest_word.max(label.chars().count() / 2));
        }
        let height = self.header_height(labels);
        self.ws.set_row_height(row, height)?;
        Ok(height)
    }

    /// The height, in points, of a header row of `labels`: three lines, or as many as its
    /// labels wrap to in their capped columns.
    fn header_height(&self, labels: &[&str]) -> f64 {
        let wrapped = labels.iter().enumerate().filter_map(|(c, label)| {
            // A column's header is bold: a line holds a little less than its text's.
            self.caps.get(&(c as u16)).map(|&cap| wrapped_lines(label, cap + 1))
        });
        15.0 * wrapped.fold(3, usize::max) as f64
    }

    /// `col` is no wider than `chars` characters of text.
    fn cap(&mut self, col: u16, chars: usize) {
        self.caps.insert(col, chars);
    }

    /// How many lines row `cells` takes: its wrapped text's (a total row does not wrap).
    fn lines(&self, cells: &[Cell], total: bool) -> usize {
        if total {
            return 1;
        }
        let wrapped = cells.iter().enumerate().filter_map(|(c, cell)| match cell {
            Cell::Text(text) => self.wrapped.iter().find(|(w, _)| usize::from(*w) == c).map(|&(_, width)| {
                // The column is two characters wider than the width (`column_width`), and
                // Times New Roman's letters are narrower than the digits it is measured in.
                wrapped_lines(&within_cell_limit(text), width + 2)
            }),
            _ => None,
        });
        wrapped.max().unwrap_or(1).clamp(1, self.most_lines)
    }

    fn row(&mut self, row: u32, cells: Vec<Cell>, total: bool) -> Result<(), XlsxError> {
        let lines = self.lines(&cells, total);
        self.row_of_lines(row, cells, total, lines)
    }

    /// [`Self::row`], its lines counted already ([`Self::lines`]).
    fn row_of_lines(&mut self, row: u32, cells: Vec<Cell>, total: bool, lines: usize) -> Result<(), XlsxError> {
        for (c, cell) in cells.into_iter().enumerate() {
            let col = c as u16;
            if let (Some(&(_, width)), Cell::Text(text)) = (self.wrapped.iter().find(|(w, _)| *w == col), &cell)
                && !total
            {
                let text = within_cell_limit(text).into_owned();
                self.widen(col, text.chars().count().min(width));
                self.ws.write_string_with_format(row, col, text, &self.styles.text_wrap)?;
                continue;
            }
            self.write_formatted(row, col, cell, total)?;
        }
        if lines > 1 {
            self.ws.set_row_height(row, 15.0 * lines as f64)?;
        }
        Ok(())
    }

    /// Text in `col` wraps at `width` characters, and the column is no wider (its header
    /// wraps too).
    fn wrap(&mut self, col: u16, width: usize) {
        self.wrapped.push((col, width));
        self.cap(col, width);
    }

    fn write_formatted(&mut self, row: u32, col: u16, cell: Cell, total: bool) -> Result<(), XlsxError> {
        let look = Look::of(&cell);
        let cell = match cell {
            Cell::Text(v) => {
                let v = match within_cell_limit(&v) {
                    std::borrow::Cow::Borrowed(_) => v,
                    std::borrow::Cow::Owned(cut) => cut,
                };
                self.measure(col, &v);
                Cell::Text(v)
            }
            Cell::Key(v) => {
                // Small print takes about half the width of body text.
                self.measure(col, &v[..v.len() / 2]);
                cell
            }
            Cell::Number(v) => {
                self.widen(col, number_width(v));
                cell
            }
            Cell::Percent(Some(_)) | Cell::Change(Some(_)) => {
                self.measure(col, "100,0%");
                cell
            }
            Cell::Decimal(Some(_)) => {
                self.measure(col, "00,0");
                cell
            }
            Cell::Percent(None) | Cell::Change(None) | Cell::Decimal(None) | Cell::Empty => cell,
        };
        let format = if total { look.total_format(self.styles) } else { look.format(self.styles) };
        match cell {
            // write_string never makes a formula: "=1+1" from a return stays text.
            Cell::Text(v) => self.ws.write_string_with_format(row, col, v, format)?,
            Cell::Key(v) => self.ws.write_string_with_format(row, col, v, format)?,
            Cell::Number(v) | Cell::Percent(Some(v)) | Cell::Change(Some(v)) | Cell::Decimal(Some(v)) => {
                self.ws.write_number_with_format(row, col, v, format)?
            }
            Cell::Percent(None) | Cell::Change(None) | Cell::Decimal(None) | Cell::Empty => {
                self.ws.write_blank(row, col, format)?
            }
        };
        Ok(())
    }

    fn fit_widths(&mut self) -> Result<(), XlsxError> {
        for (col, width) in &self.widths {
            let width = self.caps.get(col).map_or(*width, |cap| (*width).min(*cap));
            self.ws.set_column_width(*col, column_width(width))?;
        }
        Ok(())
    }

    fn finish(mut self, header_row: u32, last_row: u32, last_col: u16, filter: bool) -> Result<(), XlsxError> {
        self.fit_widths()?;
        self.settle(header_row, last_row, last_col, filter)
    }

    /// Frozen header, header repeated on printed pages, filter: what `finish` does but
    /// the widths.
    fn settle(&mut self, header_row: u32, last_row: u32, last_col: u16, filter: bool) -> Result<(), XlsxError> {
        self.ws.set_freeze_panes(header_row + 1, 0)?;
        self.ws.set_repeat_rows(header_row, header_row)?;
        if filter && last_row > header_row {
            self.ws.autofilter(header_row, 0, last_row, last_col)?;
        }
        Ok(())
    }
}

/// The characters of a number as `{}` writes it, without writing it: a country's sheets
/// have hundreds of thousands of counts.
fn number_width(v: f64) -> usize {
    match as_whole(v) {
        Some(whole) => itoa::Buffer::new().format(whole).len(),
        None => format!("{v}").chars().count(),
    }
}

/// `v` as an integer when `{}` writes it as one (3.0 as "3"; not −0.0, which is "-0", nor
/// numbers past 1e15), so that it can be written without `fmt`.
fn as_whole(v: f64) -> Option<i64> {
    (v.fract() == 0.0 && v.abs() < 1e15 && !(v == 0.0 && v.is_sign_negative())).then_some(v as i64)
}

/// The width, in characters, of a column whose widest text has `chars` characters.
fn column_width(chars: usize) -> f64 {
    (chars as f64 + 2.0).clamp(5.0, 60.0)
}

/// Writes the report workbook to `path`, atomically.
pub fn write(
    c: &Consolidation,
    registry: &Registry,
    meta: &ReportMeta,
    path: &std::path::Path,
) -> Result<(), ReportError> {
    let mut steps = tonghop_model::steps::Steps::start("report");
    let io = |source| ReportError::Io { path: path.display().to_string(), source };
    let wb = workbook(c, registry, meta)?;
    steps.lap("sheets");
    crate::write_atomic_with(path, |file| saved(&wb, std::io::BufWriter::new(file), &io))?;
    steps.lap("save");
    Ok(())
}

/// The report workbook's bytes, for standard output (`--out -`).
pub fn to_bytes(c: &Consolidation, registry: &Registry, meta: &ReportMeta) -> Result<Vec<u8>, ReportError> {
    let io = |source| ReportError::Io { path: "-".to_owned(), source };
    let wb = workbook(c, registry, meta)?;
    let mut bytes = Vec::new();
    saved(&wb, &mut bytes, &io)?;
    Ok(bytes)
}

/// Saves `wb` into `writer`; a full disk or a removed folder is said as the operating
/// system's cause.
fn saved(
    wb: &Workbook,
    writer: impl std::io::Write,
    io: &dyn Fn(std::io::Error) -> ReportError,
) -> Result<(), ReportError> {
    wb.save_to_writer(writer).map_err(|e| match e {
        XlsxError::Io(source) => io(source),
        other => ReportError::Xlsx(other),
    })
}

/// The workbook with every sheet filled, ready to save.
// Long on purpose: the workbook's sheets in their order, each filled on its worker; the
// order is the report's.
fn workbook(c: &Consolidation, registry: &Registry, meta: &ReportMeta) -> Result<Workbook, ReportError> {
    let styles = Styles::new();
    let mut wb = Workbook::new();
    // Times New Roman, the font of the Party's documents, for every cell without a format
    // of its own: the roster's cells are written without one. At the top of the cell, as
    // the roster's wrapped cells are, so that a row's values line up on its first line.
    wb.set_default_format(&plain().set_align(FormatAlign::Top));
    wb.set_properties(
        &properties(format!("Tổng hợp đội ngũ cán bộ kỳ {}", meta.period), meta.report_date)?
            .set_company(registry.district.party_committee.clone()),
    );
    for name in SHEETS {
        wb.add_worksheet().set_name(name)?;
    }
    let (before, rest) = wb.worksheets_mut().split_at_mut(ROSTER);
    let (roster, after) = rest.split_first_mut().expect("the roster is one of the sheets");
    let [summary, units, form_9c, form_10, form_12c] = before else { unreachable!("five sheets before the roster") };
    let [duplicates, changes, issues, intake, info] = after else { unreachable!("five sheets after the roster") };
    // The roster is filled on one worker while the other sheets are filled on the others
    // (one after the other with `--jobs 1`): for a country the roster is most of the work.
    let (roster_done, (units_done, (intake_done, rest_done))) = rayon::join(
        || {
            let mut steps = tonghop_model::steps::Steps::start("sheets");
            let done = roster::fill(roster, &styles, &c.people, registry, meta.show_ids);
            steps.lap(SHEETS[ROSTER]);
            done
        },
        || {
            let mut steps = tonghop_model::steps::Steps::start("sheets");
            // The two sheets with a line per unit (ten thousand for a country) apart from
            // each other and from the rest.
            let done = rayon::join(
                || units_sheet(units, &styles, c, registry),
                || {
                    rayon::join(
                        || intake_sheet(intake, &styles, c, registry),
                        || -> Result<(), XlsxError> {
                            summary_sheet(summary, &styles, c, registry, meta)?;
                            form_sheet(form_9c, &styles, &c.form_9c, c, registry)?;
                            form_sheet(form_10, &styles, &c.form_10, c, registry)?;
                            form_sheet(form_12c, &styles, &c.form_12c, c, registry)?;
                            duplicates_sheet(duplicates, &styles, c, registry, meta.show_ids)?;
                            changes_sheet(changes, &styles, c, registry)?;
                            issues_sheet(issues, &styles, c, registry, meta.show_ids)?;
                            info_sheet(info, &styles, c, registry, meta)
                        },
                    )
                },
            );
            steps.lap("all but the roster");
            done
        },
    );
    roster_done?;
    units_done?;
    intake_done?;
    rest_done?;
    Ok(wb)
}

fn title_block(
    ws: &mut Worksheet,
    styles: &Styles,
    c: &Consolidation,
    registry: &Registry,
    title: &str,
    meta_line: &str,
) -> Result<u32, XlsxError> {
    let committee = registry.district.reporting_body(c.period.last_day()).committee;
    ws.write_string_with_format(0, 0, committee.to_uppercase(), &styles.bold)?;
    ws.write_string_with_format(1, 0, "BAN TỔ CHỨC", &styles.bold)?;
    ws.write_string_with_format(3, 0, title, &styles.title)?;
    ws.write_string_with_format(4, 0, meta_line, &styles.note)?;
    Ok(6)
}

fn period_line(c: &Consolidation, meta: &ReportMeta) -> String {
    format!(
        "Kỳ báo cáo: tháng {:02}/{} (số liệu tính đến ngày {}); ngày lập báo cáo: {}",
        c.period.month(),
        c.period.year(),
        c.period.last_day().format("%d/%m/%Y"),
        meta.report_date.format("%d/%m/%Y")
    )
}

/// The widths of Tổng hợp's printed columns (STT, Chỉ tiêu, the figures, Ghi chú): together
/// no wider than A4 landscape within its margins, so that the Board's text prints at its
/// 13 pt and the table at 11 pt, not shrunk to fit (`tests/report.rs` measures it).
const SUMMARY_WIDTHS: [f64; 9] = [5.0, 37.0, 10.0, 10.0, 9.0, 9.0, 10.0, 8.0, 21.0];

/// Where the unit registry came from, in the clerk's words and without the machine's folders.
fn registry_origin(registry: &Registry) -> String {
    match registry.origin.strip_prefix("embedded") {
        Some(rest) => format!("danh mục có sẵn trong tonghop{rest}"),
        None => tonghop_model::files::shown(std::path::Path::new(&registry.origin)),
    }
}

// Long on purpose: a sheet written top to bottom, row after row, as the clerk reads it.
fn summary_sheet(
    ws: &mut Worksheet,
    styles: &Styles,
    c: &Consolidation,
    registry: &Registry,
    meta: &ReportMeta,
) -> Result<(), XlsxError> {
    // The Board's report: its header and text above, the table of indicators under them,
    // the signature block and the recipients under the table.
    let paragraphs = document::paragraphs(c, registry);
    let text_rows = paragraphs.len() as u32;
    let header_row = 9 + text_rows + 3;
    ws.write_string_with_format(header_row - 2, 0, "BẢNG CÁC CHỈ TIÊU", &styles.bold)?;
    ws.write_string_with_format(header_row - 1, 0, period_line(c, meta), &styles.note)?;
    let mut w = SheetWriter::new(ws, styles);
    let previous_label = c
        .previous
        .as_ref()
        .map_or_else(|| "Kỳ trước".to_owned(), |(p, _)| format!("Kỳ trước ({:02}/{})", p.month(), p.year()));
    let labels = [
        "STT",
        "Chỉ tiêu",
        "Số đạt / Số lượng",
        "Tổng số (mẫu số)",
        "Tỷ lệ",
        "Chưa rõ trình độ",
        previous_label.as_str(),
        "Thay đổi",
        "Ghi chú",
        "Mã chỉ tiêu",
    ];
    w.header(header_row, &labels)?;
    // The previous value and the change: percentage points for a ratio (shown as a
    // percentage), units for a count; empty when history holds no previous period.
    let before = |key: &str| c.previous.as_ref().and_then(|(_, values)| values.get(key).copied());
    // Units whose roster may be misread: said beside every figure drawn from rosters.
    let doubtful = c.units.iter().filter(|u| !u.warnings.is_empty()).count();
    let doubt = (doubtful > 0).then(|| format!("{doubtful} đơn vị có {} (xem Tiếp nhận)", tonghop_model::month::DOUBT));
    let mut row = header_row;
    for (i, ind) in c.headline.iter().enumerate() {
        row += 1;
        let mut cells = vec![n(i as f64 + 1.0), t(ind.label.clone())];
        match ind.value {
            IndicatorValue::Ratio(r) => {
                let note = if r.denominator == 0 {
                    "Không có người thuộc mẫu số"
                } else if r.unknown > 0 {
                    "Có người chưa rõ trình độ (tính vào mẫu số)"
                } else {
                    ""
                };
                let note = match (&doubt, note) {
                    (Some(d), "") => d.clone(),
                    (Some(d), note) => format!("{note}; {d}"),
                    (None, note) => note.to_owned(),
                };
                let previous = before(ind.key);
                let change = previous.zip(r.percent()).map(|(p, now)| ((now - p) * 10.0).round() / 1000.0);
                cells.extend([
                    n(r.numerator as f64),
                    n(r.denominator as f64),
                    Cell::Percent(r.fraction()),
                    n(r.unknown as f64),
                    Cell::Percent(previous.map(|p| p / 100.0)),
                    Cell::Change(change),
                    t(note),
                ]);
            }
            IndicatorValue::Count(v) => {
                let previous = before(ind.key);
                cells.extend([
                    n(v as f64),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    previous.map_or(Cell::Empty, n),
                    previous.map_or(Cell::Empty, |p| n(v as f64 - p)),
                    t(""),
                ]);
            }
            IndicatorValue::NotAvailable(why) => {
                cells.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, t(why)]);
            }
        }
        cells.push(Cell::Key(ind.key));
        let note = match &cells[8] {
            Cell::Text(t) => t.clone(),
            _ => String::new(),
        };
        w.row(row, cells, false)?;
        // The indicator and its note wrap in their printed columns rather than being cut.
        w.ws.write_string_with_format(row, 1, &ind.label, &styles.text_wrap)?;
        // A spreadsheet does not grow a row for wrapped text it did not type: the lines are
        // counted here, at the columns' fixed widths.
        let lines = |text: &str, width: f64| wrapped_lines(text, width as usize);
        let lines = lines(&ind.label, SUMMARY_WIDTHS[1]).max(lines(&note, SUMMARY_WIDTHS[8]));
        if lines > 1 {
            w.ws.set_row_height(row, 15.0 * lines as f64)?;
        }
        if !note.is_empty() {
            w.ws.write_string_with_format(row, 8, note, &styles.text_wrap)?;
        }
    }
    let ratios = c.headline.iter().take_while(|i| matches!(i.value, IndicatorValue::Ratio(_))).count() as u32;
    w.finish(header_row, row, (labels.len() - 1) as u16, false)?;
    // The document's columns have fixed widths: its text is laid out on them. The key column
    // is for scripts, not printed.
    for (col, width) in SUMMARY_WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    ws.set_column_width(SUMMARY_WIDTHS.len() as u16, 14)?;
    document::head(ws, c, registry, meta, &paragraphs, &SUMMARY_WIDTHS)?;
    // A document scrolls as a whole: nothing frozen above its table.
    ws.set_freeze_panes(0, 0)?;
    // What the month went without, under the table, before the chart.
    for notice in &c.notices {
        row += 1;
        let text = format!("Lưu ý: {notice}");
        let width: f64 = SUMMARY_WIDTHS[1..].iter().sum();
        ws.merge_range(row, 1, row, SUMMARY_WIDTHS.len() as u16 - 1, &text, &styles.bold.clone().set_text_wrap())?;
        // Bold 12 pt: the 11 pt widths hold about 0.85 of its line.
        ws.set_row_height(row, 17.0 * wrapped_lines(&text, (width * 0.85) as usize) as f64)?;
    }
    row = document::foot(ws, c, registry, meta, row + 2, &SUMMARY_WIDTHS)?;
    ws.set_print_area(0, 0, row, SUMMARY_WIDTHS.len() as u16 - 1)?;
    // The chart is for the screen, below the printed document.
    row += 2;
    if ratios > 0 {
        let mut chart = ratio_chart(
            ChartType::Column,
            "Tổng hợp",
            &[(header_row + 1, header_row + ratios)],
            (1, 4),
            "Tỷ lệ cán bộ đạt chuẩn",
        );
        // Within the document's columns (SUMMARY_WIDTHS), as wide as the table above it.
        ws.insert_chart(row, 1, chart.set_width(800).set_height(380))?;
    }
    Ok(())
}

/// The width, in characters, of an official form's figures' columns, and the narrowest and
/// widest its column of row labels is made: the label column takes what A4 landscape leaves
/// ([`PRINTED_WIDTH`]), so that the widest form (Biểu 12C, twelve figures) prints at 11 pt
/// and a narrower one wraps fewer labels. Labels wrap.
const FORM_FIGURE_WIDTH: usize = 8;
const FORM_LABEL_WIDTH: std::ops::RangeInclusive<usize> = 30..=40;

/// How many characters (the unit of a column's width) A4 landscape holds within the margins
/// of [`page_setup`]: 700 points at LibreOffice's 5.5 points a character (Excel's is a little
/// narrower). A column takes its width and [`COLUMN_PADDING`].
const PRINTED_WIDTH: f64 = 127.0;

/// What a column takes besides its width: a workbook stores a width with the cell's margins
/// (5 pixels of a 7-pixel character), and both renderers draw that.
const COLUMN_PADDING: f64 = 0.72;

/// How high, in points, A4 landscape prints within the top and bottom margins of
/// [`page_setup`] (210 mm less 2 × 20 mm is 482 points), less a little for a renderer that
/// draws a row taller than its height says.
const PRINTED_HEIGHT: f64 = 476.0;

/// The room left under a signature block's titles to sign and write the name in: three
/// lines, printed with the form.
const SIGNING_ROOM: [f64; 3] = [15.0; 3];

/// The most a form is shrunk to keep it on one page: a tenth (its 11 pt text to 10 pt).
const MOST_SHRUNK: f64 = 0.9;

/// How an official form goes on paper.
#[derive(Debug, PartialEq)]
enum FormPages {
    /// On one page, at its own size.
    One,
    /// On one page, shrunk by at most [`MOST_SHRUNK`]: a form a few rows longer than the
    /// page prints whole rather than with its last rows and the signature on a second page.
    OneShrunk,
    /// Over pages that start at these rows.
    Breaks(Vec<u32>),
}

/// How a form of rows `heights` high (points, every row to the signing room) goes on
/// paper ([`FormPages`]). Over pages, rows are laid on pages of [`PRINTED_HEIGHT`] (the rows
/// `repeated` again at the top of every page after the first), and the rows from `closing`
/// on (notes, signature block, signing room) stay together on the last page, with the
/// table's last three rows (the body starts at `body`) when they do not fit under the rest:
/// a signature is never on a page of its own, nor cut from the table.
fn form_pages(heights: &[f64], repeated: std::ops::Range<usize>, body: usize, closing: usize) -> FormPages {
    let total: f64 = heights.iter().sum();
    if total <= PRINTED_HEIGHT {
        return FormPages::One;
    }
    if total * MOST_SHRUNK <= PRINTED_HEIGHT {
        return FormPages::OneShrunk;
    }
    let repeated: f64 = heights[repeated].iter().sum();
    let closing_height: f64 = heights[closing..].iter().sum();
    let mut breaks: Vec<usize> = Vec::new();
    let mut used = 0.0;
    for (row, h) in heights.iter().enumerate().take(closing) {
        if used + h > PRINTED_HEIGHT && row > body {
            breaks.push(row);
            used = repeated;
        }
        used += h;
    }
    if used + closing_height > PRINTED_HEIGHT {
        // The table's last rows go over with the closing, unless the page holds no more
        // than them: then the closing alone starts the next page.
        let page_start = breaks.last().copied().unwrap_or(body);
        let with = closing.saturating_sub(3).max(body);
        breaks.push(if with > page_start { with } else { closing });
    }
    FormPages::Breaks(breaks.into_iter().map(|row| row as u32).collect())
}

/// An official form, laid out as `forms.md` says: frame, title with the period, grouped
/// header, column numbers, rows, signature block.
// Long on purpose: a form laid out top to bottom as the official form is.
fn form_sheet(
    ws: &mut Worksheet,
    styles: &Styles,
    form: &tonghop_model::month::Form,
    c: &Consolidation,
    registry: &Registry,
) -> Result<(), XlsxError> {
    let width = form.width() as u16;
    let last_col = width + form.label_headers.len() as u16 - 1;
    let committee = registry.district.reporting_body(c.period.last_day()).committee;
    let center =
        Format::new().set_bold().set_align(FormatAlign::Center).set_font_name("Times New Roman").set_font_size(12);
    let right = Format::new().set_align(FormatAlign::Right).set_font_name("Times New Roman").set_font_size(11);
    let right_bold = right.clone().set_bold();
    // Every row's height in points, as set or as the renderers give a row of its font, for
    // the form's pages (`form_page_breaks`).
    let mut heights: Vec<f64> = Vec::new();
    let mut high = |ws: &mut Worksheet, row: u32, points: f64| -> Result<(), XlsxError> {
        let row_at = row as usize;
        if heights.len() <= row_at {
            heights.resize(row_at + 1, 15.0);
        }
        heights[row_at] = points;
        ws.set_row_height(row, points).map(|_| ())
    };
    // The frame (bold 12 pt), thin gaps around the title (14 pt) and period (12 pt).
    for (row, points) in [(0, 16.0), (1, 16.0), (2, 5.0), (3, 20.0), (4, 17.0), (5, 5.0)] {
        high(ws, row, points)?;
    }
    ws.write_string_with_format(0, 0, committee.to_uppercase(), &styles.bold)?;
    ws.write_string_with_format(1, 0, "BAN TỔ CHỨC", &styles.bold)?;
    ws.write_string_with_format(0, last_col, form.code, &right_bold)?;
    ws.write_string_with_format(1, last_col, form.unit_of_count, &right)?;
    ws.merge_range(3, 0, 3, last_col, form.title, &center.clone().set_font_size(14))?;
    ws.merge_range(
        4,
        0,
        4,
        last_col,
        &if form.period_note.is_empty() {
            format!("Tháng {:02} năm {}", c.period.month(), c.period.year())
        } else {
            form.period_note.clone()
        },
        &center.clone().set_bold().set_italic(),
    )?;
    let (top, sub, numbers) = (6, 7, 8);
    let labels = form.label_headers.len() as u16;
    for (i, label) in form.label_headers.iter().enumerate() {
        ws.merge_range(top, i as u16, sub, i as u16, label, &styles.header)?;
    }
    let mut col = labels;
    for (group, subs) in &form.columns {
        if subs.is_empty() {
            ws.merge_range(top, col, sub, col, group, &styles.header)?;
            col += 1;
        } else {
            ws.merge_range(top, col, top, col + subs.len() as u16 - 1, group, &styles.header)?;
            for s in subs {
                ws.write_string_with_format(sub, col, *s, &styles.header)?;
                col += 1;
            }
        }
    }
    for n in 0..=last_col {
        match form.numbers.get(usize::from(n)) {
            Some(label) => ws.write_string_with_format(numbers, n, label, &styles.header)?,
            None => ws.write_number_with_format(numbers, n, f64::from(n + 1), &styles.header)?,
        };
    }
    // The header's rows as high as their wrapped labels: a group over its columns, a
    // sub-header in its column (bold: a line holds a little less than the column's text).
    // Bold letters are a little wider: a column of labels holds one character less.
    let header_lines = |text: &str, columns: usize| wrapped_lines(text, FORM_FIGURE_WIDTH * columns - 1);
    let top_lines =
        form.columns.iter().filter(|(_, subs)| !subs.is_empty()).map(|(g, subs)| header_lines(g, subs.len()));
    let sub_lines = form.columns.iter().flat_map(|(_, subs)| subs).map(|s| header_lines(s, 1));
    // A label over both rows shares their height.
    let both_lines = form.columns.iter().filter(|(_, subs)| subs.is_empty()).map(|(g, _)| header_lines(g, 1));
    let (top_lines, sub_lines) = (top_lines.max().unwrap_or(1).max(2), sub_lines.max().unwrap_or(1).max(2));
    let sub_lines = sub_lines.max(both_lines.max().unwrap_or(0).saturating_sub(top_lines));
    high(ws, top, 15.0 * top_lines as f64)?;
    high(ws, sub, 15.0 * sub_lines as f64)?;
    high(ws, numbers, 15.0)?;
    let row_number_width = if labels == 2 { 5 } else { 0 };
    if labels == 2 {
        ws.set_column_width(0, row_number_width as f64)?;
    }
    let columns = usize::from(last_col) + 1;
    let taken = (FORM_FIGURE_WIDTH * usize::from(width) + row_number_width) as f64 + COLUMN_PADDING * columns as f64;
    let label_width =
        ((PRINTED_WIDTH - taken).floor().max(0.0) as usize).clamp(*FORM_LABEL_WIDTH.start(), *FORM_LABEL_WIDTH.end());
    ws.set_column_width(labels - 1, label_width as f64)?;
    for n in labels..=last_col {
        ws.set_column_width(n, FORM_FIGURE_WIDTH as f64)?;
    }
    let mut row = numbers;
    for (i, (label, counts)) in form.rows.iter().enumerate() {
        row += 1;
        if labels == 2 {
            ws.write_string_with_format(row, 0, form.row_numbers.get(i).copied().unwrap_or_default(), &styles.text)?;
        }
        // A label wraps in its column, its row as high as its lines.
        high(ws, row, 15.0 * wrapped_lines(label, label_width) as f64)?;
        ws.write_string_with_format(row, labels - 1, *label, &styles.text_wrap)?;
        for n in 0..form.width() {
            let col = n as u16 + labels;
            match counts.as_ref().and_then(|v| v[n]) {
                Some(v) => ws.write_number_with_format(row, col, v as f64, &styles.number)?,
                None => ws.write_blank(row, col, &styles.text)?,
            };
        }
    }
    // A note wraps over the table's width (in characters; italic 10 pt fits about five for
    // four) and its row is as high as its lines.
    let width = label_width + FORM_FIGURE_WIDTH * usize::from(width) + row_number_width;
    let closing = row as usize + 1;
    for note in &form.notes {
        row += 1;
        ws.merge_range(row, 0, row, last_col, note, &styles.note.clone().set_text_wrap().set_align(FormatAlign::Top))?;
        // Italic 10 pt: a tenth more than the 11 pt the widths are measured in.
        let lines = wrapped_lines(note, width * 11 / 10);
        high(ws, row, 14.0 * lines as f64)?;
    }
    row += 1;
    high(ws, row, 5.0)?;
    row += 1;
    let half = last_col / 2 + 1;
    ws.merge_range(row, half, row, last_col, "……, ngày … tháng … năm …", &center.clone().set_bold().set_italic())?;
    high(ws, row, 17.0)?;
    row += 1;
    ws.merge_range(row, 0, row, half - 1, "NGƯỜI LẬP BIỂU", &center)?;
    ws.merge_range(row, half, row, last_col, "TRƯỞNG BAN", &center)?;
    high(ws, row, 17.0)?;
    row += 1;
    let note = Format::new()
        .set_italic()
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_font_name("Times New Roman")
        .set_font_size(10);
    ws.merge_range(row, 0, row, half - 1, "(Ký, ghi rõ họ và tên; số điện thoại di động và cố định liên hệ)", &note)?;
    ws.merge_range(row, half, row, last_col, "(Ký, đóng dấu, ghi rõ họ và tên)", &note)?;
    high(ws, row, 15.0)?;
    // The room to sign in, printed with the form so that it stays on the signature's page.
    for points in SIGNING_ROOM {
        row += 1;
        high(ws, row, points)?;
    }
    page_setup(ws);
    ws.set_print_area(0, 0, row, last_col)?;
    ws.set_repeat_rows(top, numbers)?;
    let body = numbers as usize + 1;
    match form_pages(&heights, top as usize..body, body, closing) {
        FormPages::One => ws.set_print_fit_to_pages(1, 0),
        FormPages::OneShrunk => ws.set_print_fit_to_pages(1, 1),
        FormPages::Breaks(breaks) => ws.set_print_fit_to_pages(1, 0).set_page_breaks(&breaks),
    };
    Ok(())
}

fn political_theory_label(level: Option<tonghop_model::codes::PoliticalTheory>) -> String {
    level.map_or_else(|| "không rõ".to_owned(), |l| l.label().to_owned())
}

/// Most units drawn in the per-unit bar chart.
const MAX_CHART_UNITS: u32 = 120;

/// The tables of the per-unit sheet. Forty columns do not print on one A4 page, nor do
/// seventeen at a size a person reads: the table is cut into six stacked tables of at most
/// [`UNIT_TABLE_COLUMNS`] figures, which share their first four columns (STT, code, unit,
/// status), each on its own printed page with its own header.
fn unit_tables() -> [(&'static str, Vec<&'static str>); 6] {
    use tonghop_model::month::{POLITICAL_THEORY_COLUMNS, PROFESSIONAL_COLUMNS, STATE_MANAGEMENT_COLUMNS};
    [
        (
            "1. Số lượng, cơ cấu",
            vec!["Tổng số", "Nữ", "DTTS", "Đảng viên", "Cán bộ", "Công chức", "Không chuyên trách", UNIT_KIND],
        ),
        (
            "2. Cấp ủy, Bí thư",
            vec!["Cấp ủy viên", "Cấp ủy viên TC LLCT+", "Tỷ lệ cấp ủy viên TC LLCT+", "Bí thư", "LLCT của Bí thư"],
        ),
        ("3. Trình độ lý luận chính trị", POLITICAL_THEORY_COLUMNS.labels.to_vec()),
        ("4. Trình độ chuyên môn", PROFESSIONAL_COLUMNS.labels.to_vec()),
        ("5. Quản lý nhà nước", STATE_MANAGEMENT_COLUMNS.labels.to_vec()),
        (
            "6. Độ tuổi",
            vec!["Từ 30 trở xuống", "31–40", "41–50", "51–60", "Trên 60", "Tuổi: chưa rõ", "Tuổi bình quân"],
        ),
    ]
}

/// The per-unit table's column of the unit's kind, kept for a unit without data.
const UNIT_KIND: &str = "Loại đơn vị";

/// The most figures a per-unit table has: with the four columns naming the unit, as many
/// as fill A4 landscape at 11 pt.
const UNIT_TABLE_COLUMNS: usize = 8;

/// The widths, in characters, the per-unit tables' columns wrap at: code, unit, status,
/// then every figure's column (a label wraps over up to four lines).
const UNIT_WRAP: [usize; 3] = [8, 22, 9];
const UNIT_FIGURE_WRAP: usize = 6;

/// The cells of one unit (or the total) for each of the tables.
fn stats_cells(s: &UnitStats, kind: Cell, secretary: [Cell; 2]) -> [Vec<Cell>; 6] {
    let count = |v: u64| n(v as f64);
    let mut first = vec![
        count(s.headcount),
        count(s.female),
        count(s.minority),
        // Unknown is said, never counted as none: a return without the column.
        match s.headcount.saturating_sub(s.party_known) {
            0 => count(s.party),
            _ if s.party_known == 0 => t("chưa rõ"),
            unknown => t(format!("{} ({unknown} chưa rõ)", s.party)),
        },
    ];
    first.extend([s.can_bo, s.cong_chuc, s.kct].map(count));
    first.push(kind);
    let mut second =
        vec![count(s.committee.denominator), count(s.committee.numerator), Cell::Percent(s.committee.fraction())];
    second.extend(secretary);
    let mut ages: Vec<Cell> = s.ages.map(count).to_vec();
    ages.push(Cell::Decimal(s.average_age()));
    [
        first,
        second,
        s.political_theory.map(count).to_vec(),
        s.professional.map(count).to_vec(),
        s.state_management.map(count).to_vec(),
        ages,
    ]
}

// Long on purpose: a sheet written top to bottom, row after row, as the clerk reads it.
fn units_sheet(ws: &mut Worksheet, styles: &Styles, c: &Consolidation, registry: &Registry) -> Result<(), XlsxError> {
    let mut header_row = title_block(
        ws,
        styles,
        c,
        registry,
        "SỐ LIỆU THEO ĐƠN VỊ",
        &format!("Kỳ báo cáo: tháng {:02}/{}", c.period.month(), c.period.year()),
    )?;
    let tables = unit_tables();
    let mut lines: Vec<([Cell; 4], [Vec<Cell>; 6])> = Vec::new();
    let doubtful: std::collections::HashSet<tonghop_model::units::UnitId> =
        c.units.iter().filter(|u| !u.warnings.is_empty()).map(|u| u.unit).collect();
    for (i, line) in c.unit_lines.iter().enumerate() {
        let unit = registry.unit(line.unit);
        let secretary = match &line.secretary {
            // A district agency has no Đảng ủy secretary of its own in this table.
            _ if !unit.kind.is_commune_level() => [Cell::Empty, Cell::Empty],
            Secretary::Vacant => [t("chưa có"), Cell::Empty],
            Secretary::One(name, level) => [t(name.clone()), t(political_theory_label(*level))],
            Secretary::Several(names) => [t(format!("nhiều ({})", names.join(", "))), Cell::Empty],
        };
        let status = if doubtful.contains(&line.unit) {
            t(format!("{}; {}", line.status.label(), tonghop_model::month::DOUBT))
        } else {
            t(line.status.label())
        };
        let lead = [n(i as f64 + 1.0), t(unit.code.clone()), t(unit.name.clone()), status];
        let cells = if matches!(line.status, UnitStatus::Missing | UnitStatus::Invalid | UnitStatus::NoRows) {
            // A unit without data keeps its row, empty, so that the gap shows.
            tables.each_ref().map(|(_, headers)| {
                headers.iter().map(|h| if *h == UNIT_KIND { t(unit.kind.label()) } else { Cell::Empty }).collect()
            })
        } else {
            stats_cells(&line.stats, t(unit.kind.label()), secretary)
        };
        lines.push((lead, cells));
    }
    let total_lead = [
        Cell::Empty,
        Cell::Empty,
        t(if registry.district.reporting_body(c.period.last_day()).symbol == "BTCHU" {
            "Toàn huyện"
        } else {
            "Tổng cộng"
        }),
        t(format!("{} đơn vị", c.unit_lines.len())),
    ];
    let total = stats_cells(&c.total, Cell::Empty, [Cell::Empty, Cell::Empty]);

    // The committee ratio concerns commune-level units, which the registry lists first.
    let units = c.unit_lines.iter().take_while(|l| registry.unit(l.unit).kind.is_commune_level()).count() as u32;
    // A bar per unit reads for a district or a province; for thousands of units it would
    // be a chart nobody can read, so it is left out.
    let chart = units > 0 && units <= MAX_CHART_UNITS;
    let mut w = SheetWriter::new(ws, styles);
    // Text wraps and labels wrap, so that the widest table fits A4 landscape at 11 pt.
    let figures = tables.iter().map(|(_, headers)| headers.len()).max().unwrap_or(0);
    debug_assert!(figures <= UNIT_TABLE_COLUMNS);
    for (col, width) in UNIT_WRAP.iter().enumerate() {
        w.wrap(col as u16 + 1, *width);
    }
    for col in 4..4 + figures as u16 {
        w.wrap(col, UNIT_FIGURE_WRAP);
    }
    // Each table's rows (the units', then the total), their heights, and the pages they go
    // on: a sheet repeats one header on its printed pages, so each table repeats its own,
    // with its caption, at the top of every page it goes on to.
    let table_rows: Vec<Vec<(Vec<Cell>, bool)>> = (0..tables.len())
        .map(|table| {
            let units = lines.iter().map(|(lead, cells)| (lead.iter().chain(&cells[table]).cloned().collect(), false));
            let total_row = total_lead.iter().chain(&total[table]).take(4 + tables[table].1.len()).cloned().collect();
            units.chain(std::iter::once((total_row, true))).collect()
        })
        .collect();
    let labels_of = |headers: &[&'static str]| -> Vec<&'static str> {
        ["STT", "Mã", "Đơn vị", "Tình trạng"].into_iter().chain(headers.iter().copied()).collect()
    };
    let heads: Vec<f64> = tables.iter().map(|(_, headers)| 15.0 + w.header_height(&labels_of(headers))).collect();
    // A row is never taller than a page under the tallest header (its text then shows on
    // screen): the renderer would break between the header and the row.
    let tallest_head = heads.iter().copied().fold(0.0, f64::max);
    w.most_lines = (((PRINTED_HEIGHT - tallest_head) / 15.0).floor() as usize).clamp(1, MOST_ROW_LINES);
    // Rows above the first table: the title block, its 14 pt title a little taller.
    let title_height = 15.0 * f64::from(header_row - 1) + 6.0;
    let lines: Vec<Vec<usize>> =
        table_rows.iter().map(|rows| rows.iter().map(|(cells, total)| w.lines(cells, *total)).collect()).collect();
    let heights: Vec<Vec<f64>> = lines.iter().map(|t| t.iter().map(|&l| 15.0 * l as f64).collect()).collect();
    let continued = stacked_pages(&heights, &heads, title_height);
    let mut breaks = Vec::new();
    // The rows of the committee table's commune-level units, which the chart draws.
    let mut charted: Vec<u32> = Vec::new();
    for (table, ((caption, headers), rows)) in tables.iter().zip(table_rows).enumerate() {
        if table > 0 {
            // Each table on its own page.
            breaks.push(header_row - 1);
        }
        let labels = labels_of(headers);
        let head = |w: &mut SheetWriter, caption_row: u32, caption: &str| -> Result<(), XlsxError> {
            w.ws.write_string_with_format(caption_row, 0, caption, &styles.bold)?;
            w.header(caption_row + 1, &labels).map(drop)
        };
        head(&mut w, header_row - 1, caption)?;
        let continuation = format!("{caption} (tiếp theo)");
        let mut row = header_row;
        for (k, (cells, is_total)) in rows.into_iter().enumerate() {
            if continued[table].contains(&k) {
                breaks.push(row + 1);
                head(&mut w, row + 1, &continuation)?;
                row += 2;
            }
            row += 1;
            if table == 1 && (k as u32) < units {
                charted.push(row);
            }
            w.row_of_lines(row, cells, is_total, lines[table][k])?;
        }
        header_row = row + 3;
    }
    w.fit_widths()?;
    // The unit's columns stay in view; the header rows are each table's own, so none is frozen.
    w.ws.set_freeze_panes(0, 3)?;
    if chart {
        let title = "Tỷ lệ cấp ủy viên có trình độ trung cấp LLCT trở lên, theo đơn vị";
        // The ratio is the committee table's third figure.
        let ratio = 4 + 2;
        let mut chart = ratio_chart(ChartType::Bar, "Theo đơn vị", &runs(&charted), (2, ratio), title);
        breaks.push(header_row - 1);
        // As wide as the tables' columns from the unit's on, so that it prints on their page.
        w.ws.insert_chart(header_row, 2, chart.set_width(700).set_height(20 * units + 120))?;
    }
    w.ws.set_page_breaks(&breaks);
    Ok(())
}

/// Where a table of rows `heights` high (points; the last, its total, followed by a blank
/// row) goes on to a new page under its repeated caption and header (`head` high), the
/// first page already holding `above`: the indices of the rows that start a page. A page
/// holds at least one row, so a row too tall for what is left starts the next page, and a
/// header is never alone at a page's foot.
fn continued_pages(heights: &[f64], head: f64, above: f64) -> Vec<usize> {
    let mut starts = Vec::new();
    let (mut used, mut on_page) = (above + head, 0);
    for (k, &height) in heights.iter().enumerate() {
        let blank_after = if k + 1 == heights.len() { 15.0 } else { 0.0 };
        if on_page > 0 && used + height + blank_after > PRINTED_HEIGHT {
            starts.push(k);
            (used, on_page) = (head, 0);
        }
        used += height;
        on_page += 1;
    }
    // The total goes over with the table's last rows, not alone or nearly (a widow): the
    // last page takes the three rows before it when they fit and leave the page before
    // them a row.
    const KEPT_WITH_TOTAL: usize = 3;
    let n = heights.len();
    if let Some(last) = starts.last_mut()
        && n - *last <= KEPT_WITH_TOTAL
        && n > KEPT_WITH_TOTAL
    {
        let earlier = n - 1 - KEPT_WITH_TOTAL;
        let page_before = starts.len().checked_sub(2).map_or(0, |k| starts[k]);
        let last_page: f64 = head + heights[earlier..].iter().sum::<f64>() + 15.0;
        if earlier > page_before && last_page <= PRINTED_HEIGHT {
            *starts.last_mut().expect("checked") = earlier;
        }
    }
    starts
}

/// Where stacked tables of rows `heights`, under headers `heads` high, each starting a page
/// (the first under a title `title` high), go on to new pages ([`continued_pages`]). Excel
/// keeps 1,023 breaks a sheet: past them (a country's units) the tables only start their
/// pages, without repeated headers, rather than lose the last tables' breaks. One more
/// break follows the tables (the chart's page).
fn stacked_pages(heights: &[Vec<f64>], heads: &[f64], title: f64) -> Vec<Vec<usize>> {
    let mut continued: Vec<Vec<usize>> = heights
        .iter()
        .zip(heads)
        .enumerate()
        .map(|(table, (rows, &head))| continued_pages(rows, head, if table == 0 { title } else { 0.0 }))
        .collect();
    if continued.iter().map(Vec::len).sum::<usize>() + heights.len() >= crate::xlsx::MAX_PAGE_BREAKS {
        continued.iter_mut().for_each(Vec::clear);
    }
    continued
}

/// `rows` (ascending) as runs of consecutive rows, first and last.
fn runs(rows: &[u32]) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &row in rows {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == row => *last = row,
            _ => runs.push((row, row)),
        }
    }
    runs
}

/// A chart of ratios (0–100 %) over the rows `runs` (first and last of each) of `sheet`,
/// labelled by column `columns.0`, valued by column `columns.1`.
fn ratio_chart(kind: ChartType, sheet: &str, runs: &[(u32, u32)], columns: (u16, u16), title: &str) -> Chart {
    let mut chart = Chart::new(kind);
    let series = chart.add_series();
    for &(first, last) in runs {
        series.add_categories((sheet, first, columns.0, last, columns.0));
        series.add_values((sheet, first, columns.1, last, columns.1));
    }
    chart.title().set_name(title);
    let value_axis = if kind == ChartType::Bar { chart.x_axis() } else { chart.y_axis() };
    value_axis.set_num_format("0%").set_min(0.0).set_max(1.0);
    if kind == ChartType::Bar {
        // Bars read top-down in the order of the table.
        chart.y_axis().set_reverse();
    }
    chart.legend().set_hidden();
    chart
}

/// The columns of Trùng lặp. The clerk decides a review pair in "Quyết định" (a drop-down);
/// the person's name, birth date, unit code and ID name them for the next run, which reads
/// the decisions back (`tonghop_ingest::decisions`).
const DUPLICATES_COLUMNS: [&str; 14] = [
    decisions::GROUP_COLUMN,
    decisions::CONCLUSION_COLUMN,
    decisions::DECISION_COLUMN,
    decisions::KEY_COLUMNS[0],
    decisions::KEY_COLUMNS[1],
    decisions::KEY_COLUMNS[2],
    decisions::KEY_COLUMNS[3],
    "Lý do",
    "Điểm",
    "Tệp",
    "Trang tính",
    "Dòng",
    decisions::KEPT_COLUMN,
    "Giá trị khác nhau",
];

// Long on purpose: a sheet written top to bottom: merged groups, then review pairs with their drop-
// down.
fn duplicates_sheet(
    ws: &mut Worksheet,
    styles: &Styles,
    c: &Consolidation,
    registry: &Registry,
    show_ids: bool,
) -> Result<(), XlsxError> {
    use decisions::{APART_LABEL, SAME_LABEL};
    let labels = DUPLICATES_COLUMNS;
    let mut w = SheetWriter::new(ws, styles);
    // The reasons wrap, so that the columns up to them print on A4 landscape at 11 pt.
    w.wrap(DUPLICATES_REASON, 30);
    w.header(0, &labels)?;
    let keys = |p: usize| {
        let person = &c.people[p];
        [
            t(person.full_name.clone()),
            opt_text(person.birth_date.map(|b| b.to_string())),
            opt_text(person.unit.map(|u| registry.unit(u).code.clone())),
            opt_text(person.national_id.as_ref().map(|id| shown_id(id, show_ids))),
        ]
    };
    let reasons = |e: &[tonghop_model::month::Evidence]| e.iter().map(|r| r.label()).collect::<Vec<_>>().join("; ");
    let merged = c.merges.iter().enumerate().flat_map(|(g, m)| {
        let conflicts = m
            .conflicts
            .iter()
            .map(|k| {
                let is_id = k.field == tonghop_model::Field::NationalId.label();
                let shown = |v: &str| shown_raw(is_id, v, show_ids);
                format!(
                    "{}: giữ \"{}\", khác: {}",
                    k.field,
                    shown(&k.kept),
                    k.others.iter().map(|(v, s)| format!("\"{}\" ({s})", shown(v))).collect::<Vec<_>>().join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let reasons = reasons(&m.reasons);
        let person_keys = keys(m.person);
        m.rows.iter().enumerate().map(move |(j, src)| {
            let mut row = vec![n(g as f64 + 1.0), t(decisions::MERGED_CONCLUSION), Cell::Empty];
            // Each row by its own keys: a row marked "khác người" is taken out of the group
            // by them in the next run.
            match m.row_keys.get(j) {
                Some(k) => row.extend([
                    t(k.name.clone()),
                    opt_text(k.birth.map(|b| b.to_string())),
                    opt_text(k.unit.map(|u| registry.unit(u).code.clone())),
                    opt_text(k.id.as_ref().map(|id| shown_id(id, show_ids))),
                ]),
                None => row.extend(person_keys.clone()),
            }
            row.extend([
                t(reasons.clone()),
                if m.weight.is_finite() { Cell::Decimal(Some(m.weight)) } else { Cell::Empty },
                t(src.file.to_string()),
                t(src.sheet.to_string()),
                n(f64::from(src.row + 1)),
                t(if j == 0 { decisions::KEPT_MARK } else { "" }),
                t(if j == 0 { conflicts.clone() } else { String::new() }),
            ]);
            row
        })
    });
    let first_review = c.merges.len();
    let review = c.review.iter().enumerate().flat_map(|(k, r)| {
        [(r.people.0, &r.rows.0), (r.people.1, &r.rows.1)].map(|(p, src)| {
            let mut row = vec![n((first_review + k) as f64 + 1.0), t(decisions::REVIEW_CONCLUSION), Cell::Empty];
            row.extend(keys(p));
            row.extend([
                t(waterfall(r)),
                Cell::Decimal(Some(r.weight)),
                t(src.file.to_string()),
                t(src.sheet.to_string()),
                n(f64::from(src.row + 1)),
                Cell::Empty,
                Cell::Empty,
            ]);
            row
        })
    });
    let merged_rows = c.merges.iter().map(|m| m.rows.len()).sum::<usize>();
    let total = merged_rows + 2 * c.review.len();
    let row = write_body(&mut w, merged.chain(review), total, LAST_ROW)?;
    // The review rows' decision cells offer the two verdicts, and nothing else.
    // Every row offers the two verdicts: a review pair's rows, and a merged row to take out.
    let first_review_row = 1;
    if (!c.review.is_empty() || merged_rows > 0) && first_review_row <= row {
        let choice = crate::xlsx::DataValidation::new()
            .allow_list_strings(&[SAME_LABEL, APART_LABEL])?
            .set_input_title("Quyết định")?
            .set_input_message(
                "Cặp cần xem xét: hai dòng có phải cùng một người? Dòng đã gộp: chọn khác người để tách dòng ra. Lần chạy sau đọc lại.",
            )?
            .set_error_title("Quyết định")?
            .set_error_message("Chọn \"cùng một người\" hoặc \"khác người\".")?;
        w.ws.add_data_validation(first_review_row, 2, row, 2, &choice)?;
        w.widen(2, SAME_LABEL.chars().count() + 2);
    }
    // On paper, the groups, the people and why: the sources and the differing values are
    // for the screen.
    w.ws.set_print_area(0, 0, row, DUPLICATES_REASON)?;
    w.finish(0, row, (labels.len() - 1) as u16, true)
}

/// The column of Trùng lặp's reasons, the last printed.
const DUPLICATES_REASON: u16 = 7;

/// A review pair's evidence with each weight, then the total against the threshold: what
/// added up, and what held it back, so the clerk sees why the pair is not merged.
fn waterfall(r: &tonghop_model::month::ReviewPair) -> String {
    let parts: Vec<String> = r.contributions.iter().map(|(e, w)| format!("{} {w:+.1}", e.label())).collect();
    format!(
        "{} = {:.1} (gộp từ {:.0}, xem xét từ {:.0})",
        parts.join("; "),
        r.weight,
        tonghop_model::month::MERGE_THRESHOLD,
        tonghop_model::month::REVIEW_THRESHOLD
    )
}

/// Biến động: who joined, left, moved, changed position or qualification since the
/// previous period (`--history`).
fn changes_sheet(ws: &mut Worksheet, styles: &Styles, c: &Consolidation, registry: &Registry) -> Result<(), XlsxError> {
    let mut w = SheetWriter::new(ws, styles);
    let labels = ["STT", "Biến động", "Họ và tên", "Ngày sinh", "Đơn vị", "Chức vụ", "Chi tiết"];
    w.header(0, &labels)?;
    let Some(changes) = &c.changes else {
        w.row(1, vec![Cell::Empty, t("Chưa có số liệu kỳ trước (chạy với --history để so sánh giữa các kỳ)")], false)?;
        return w.finish(0, 1, (labels.len() - 1) as u16, false);
    };
    let rows = changes.iter().enumerate().map(|(i, change)| {
        let p = &change.person;
        vec![
            n(i as f64 + 1.0),
            t(change.kind.label()),
            t(p.full_name.clone()),
            opt_text(p.birth_date.map(|b| b.to_string())),
            opt_text(p.unit.map(|u| registry.unit(u).name.clone())),
            t(p.positions.iter().map(|x| x.label()).collect::<Vec<_>>().join(", ")),
            t(change.detail.clone()),
        ]
    });
    let row = write_body(&mut w, rows, changes.len(), LAST_ROW)?;
    w.finish(0, row, (labels.len() - 1) as u16, true)
}

fn issues_sheet(
    ws: &mut Worksheet,
    styles: &Styles,
    c: &Consolidation,
    registry: &Registry,
    show_ids: bool,
) -> Result<(), XlsxError> {
    let labels = ["STT", "Đơn vị", "Tệp", "Trang tính", "Ô", "Trường", "Giá trị gốc", "Vấn đề", "Mức độ"];
    let mut w = SheetWriter::new(ws, styles);
    // The texts wrap, so that the sheet prints on A4 landscape at 11 pt.
    for (col, width) in [(1, 14), (2, 14), (3, 9), (5, 12), (6, 14), (7, 24)] {
        w.wrap(col, width);
    }
    w.header(0, &labels)?;
    let rows = c.issues.iter().enumerate().map(|(i, issue)| {
        vec![
            n(i as f64 + 1.0),
            opt_text(issue.unit.map(|u| registry.unit(u).name.clone())),
            t(issue.file.clone()),
            opt_text(issue.sheet.clone()),
            opt_text(issue.cell.clone()),
            opt_text(issue.field.map(tonghop_model::Field::label)),
            t(shown_raw(issue.field == Some(tonghop_model::Field::NationalId), &issue.raw, show_ids)),
            t(issue.problem.clone()),
            t(issue.severity.label()),
        ]
    });
    let row = write_body(&mut w, rows, c.issues.len(), LAST_ROW)?;
    w.finish(0, row, (labels.len() - 1) as u16, true)
}

// Long on purpose: a sheet written top to bottom, row after row, as the clerk reads it.
fn intake_sheet(ws: &mut Worksheet, styles: &Styles, c: &Consolidation, registry: &Registry) -> Result<(), XlsxError> {
    let labels = [
        "STT",
        "Mã",
        "Đơn vị / Tệp",
        "Tình trạng",
        "Số tệp / Đơn vị",
        "Số người",
        "Dòng đã đọc",
        "Nhận",
        "Loại",
        "Bỏ qua",
        "Xác định đơn vị bằng",
        "Trang tính đã đọc",
        "Dòng tiêu đề",
        "Cột đã nhận",
        "Cột không nhận",
        "Mã hóa chữ",
        "Ghi chú",
    ];
    let mut w = SheetWriter::new(ws, styles);
    // The printed columns' texts wrap and their counts' labels too, so that they print on
    // A4 landscape at 11 pt.
    for (col, width) in [(1, 8), (2, 20), (3, 10), (4, 18), (10, 12)] {
        w.wrap(col, width);
    }
    for col in 5..10 {
        w.cap(col, 5);
    }
    w.header(0, &labels)?;
    let mut row = 0;
    for (i, u) in c.units.iter().enumerate() {
        row += 1;
        let unit = registry.unit(u.unit);
        let mut note =
            u.files.iter().filter_map(|&fi| c.files.get(fi)).map(|f| f.path.as_str()).collect::<Vec<_>>().join("; ");
        if !u.notes.is_empty() {
            note = format!("Cần kiểm tra: {}. {note}", u.notes.join("; "));
        }
        if !u.warnings.is_empty() {
            note = format!("{}: {}. {note}", tonghop_model::month::DOUBT, u.warnings.join("; "));
        }
        let status = if u.status == UnitStatus::Missing { "chưa nộp" } else { u.status.label() };
        w.row(
            row,
            vec![
                n(i as f64 + 1.0),
                t(unit.code.clone()),
                t(unit.name.clone()),
                t(status),
                n(u.files.len() as f64),
                n(u.people as f64),
                n(u.counts.read as f64),
                n(u.counts.accepted as f64),
                n(u.counts.rejected as f64),
                n(u.counts.skipped as f64),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t(note),
            ],
            false,
        )?;
    }
    let unit_rows_end = row;
    row += 2;
    // The files' table starts a page under the header the sheet repeats on every page (its
    // labels name both tables' columns), with a caption rather than a header of its own:
    // a header again would print twice at the top of the page, or alone at a page's foot.
    w.ws.write_string_with_format(row, 0, "Các tệp đã nhận", &styles.bold)?;
    w.ws.set_page_breaks(&[row]);
    for (i, f) in c.files.iter().enumerate() {
        row += 1;
        let units = f.units.iter().map(|u| registry.unit(*u).name.clone()).collect::<Vec<_>>().join(", ");
        let headers = f
            .sheets
            .iter()
            .filter_map(|s| {
                s.header_rows
                    .map(|(a, b)| if a == b { format!("{}: {a}", s.name) } else { format!("{}: {a}–{b}", s.name) })
            })
            .collect::<Vec<_>>()
            .join("; ");
        let mapped = f
            .sheets
            .iter()
            .flat_map(|s| s.mapped().map(|(h, fld)| format!("{h} → {}", fld.label())))
            .collect::<Vec<_>>()
            .join("; ");
        let unmapped = f.sheets.iter().flat_map(|s| s.unmapped().map(str::to_owned)).collect::<Vec<_>>().join("; ");
        let ignored = f
            .sheets
            .iter()
            .filter_map(|s| s.ignored_because.as_ref().map(|why| format!("bỏ qua trang \"{}\": {why}", s.name)))
            .collect::<Vec<_>>();
        let mut notes = Vec::new();
        if let Some(e) = &f.error {
            notes.push(e.clone());
        }
        if !f.unit_evidence.is_empty() && f.units.is_empty() {
            notes.push(format!("đã thấy: {}", f.unit_evidence));
        }
        notes.extend(ignored);
        w.row(
            row,
            vec![
                n(i as f64 + 1.0),
                Cell::Empty,
                t(f.path.clone()),
                t(f.status.label()),
                t(units),
                Cell::Empty,
                n(f.counts.read as f64),
                n(f.counts.accepted as f64),
                n(f.counts.rejected as f64),
                n(f.counts.skipped as f64),
                opt_text(f.unit_found_by.map(tonghop_model::intake::UnitFoundBy::label)),
                t(f.sheets_read().join("; ")),
                t(headers),
                t(mapped),
                t(unmapped),
                t(tonghop_model::intake::encoding_label(&f.encoding)),
                t(notes.join("; ")),
            ],
            false,
        )?;
    }
    let totals = c.totals();
    row += 1;
    w.row(
        row,
        vec![
            Cell::Empty,
            Cell::Empty,
            t("Tổng cộng"),
            t(format!("{} tệp", c.files.len())),
            Cell::Empty,
            n(c.people.len() as f64),
            n(totals.read as f64),
            n(totals.accepted as f64),
            n(totals.rejected as f64),
            n(totals.skipped as f64),
        ],
        true,
    )?;
    w.fit_widths()?;
    w.settle(0, unit_rows_end, (labels.len() - 1) as u16, true)?;
    // On paper, each unit's and file's status and counts (through "Xác định đơn vị bằng"):
    // the columns and mappings are for the screen, where they are read one file at a time.
    w.ws.set_print_area(0, 0, row, 10)?;
    Ok(())
}

fn info_sheet(
    ws: &mut Worksheet,
    styles: &Styles,
    c: &Consolidation,
    registry: &Registry,
    meta: &ReportMeta,
) -> Result<(), XlsxError> {
    let mut w = SheetWriter::new(ws, styles);
    // The values and the digests wrap, so that the sheet prints on A4 landscape at 11 pt.
    for (col, width) in [(0, 22), (1, 44), (3, 32)] {
        w.wrap(col, width);
    }
    w.header(0, &["Mục", "Giá trị", "Kích thước (byte)", "SHA-256"])?;
    let mut rows: Vec<(String, String)> = vec![
        ("Chương trình".into(), meta.program.clone()),
        ("Kỳ báo cáo".into(), c.period.to_string()),
        ("Ngày báo cáo".into(), meta.report_date.format("%d/%m/%Y").to_string()),
        ("Thư mục báo cáo".into(), meta.returns_dir.clone()),
        ("Danh mục đơn vị".into(), registry_origin(registry)),
    ];
    rows.extend(meta.options.iter().map(|(k, v)| (format!("Tùy chọn {k}"), v.clone())));
    let mut row = 0;
    for (k, v) in rows {
        row += 1;
        w.row(row, vec![t(k), t(v)], false)?;
    }
    for f in &c.files {
        row += 1;
        w.row(row, vec![t("Tệp đầu vào"), t(f.path.clone()), n(f.size as f64), t(f.sha256.clone())], false)?;
    }
    for input in &meta.other_inputs {
        row += 1;
        w.row(
            row,
            vec![t(input.role.clone()), t(input.path.clone()), n(input.size as f64), t(input.sha256.clone())],
            false,
        )?;
    }
    w.fit_widths()?;
    w.settle(0, row, 3, false)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_goes_on_to_pages_that_each_hold_its_header_and_rows() {
        // 476 points a page; a header of 60 (caption and three lines).
        let rows = vec![30.0; 30];
        let starts = continued_pages(&rows, 60.0, 0.0);
        // 60 + 13 × 30 = 450: the 14th row (index 13) would pass 476.
        assert_eq!(starts, [13, 26]);
        // Under a title of 81 points, fewer rows on the first page.
        assert_eq!(continued_pages(&rows, 60.0, 81.0)[0], 11);
        // A row too tall for what is left starts a page, but a page never holds a header
        // alone: the first row goes under the header whatever its height.
        assert_eq!(continued_pages(&[405.0, 30.0], 60.0, 81.0), [1]);
        // A total alone on the last page takes the table's last three rows with it.
        let mut widowed = vec![30.0; 13];
        widowed.push(15.0);
        widowed.push(15.0);
        assert_eq!(continued_pages(&widowed, 60.0, 0.0), [11]);
        // The total (last) row keeps room for the blank row under it: 60 + 13 × 30 + 15 is
        // 465, on the page, but the blank row under it would end at 480.
        let mut with_total = vec![30.0; 13];
        with_total.push(15.0);
        assert_eq!(continued_pages(&with_total, 60.0, 0.0), [10], "the total with three rows");
        with_total.remove(0);
        assert_eq!(continued_pages(&with_total, 60.0, 0.0), Vec::<usize>::new());
    }

    #[test]
    fn stacked_tables_past_excels_breaks_only_start_their_pages() {
        let heads = [60.0; 6];
        // A district: six tables of 50 rows, each over a few pages.
        let district = stacked_pages(&vec![vec![30.0; 50]; 6], &heads, 81.0);
        assert!(district.iter().all(|starts| starts.len() >= 3));
        // A country: 10,000 units in each table would need more breaks than Excel keeps.
        let country = stacked_pages(&vec![vec![15.0; 10_001]; 6], &heads, 81.0);
        assert!(country.iter().all(Vec::is_empty));
    }

    #[test]
    fn a_form_keeps_its_signature_with_its_table() {
        // Rows: 0–1 the header (repeated), 2.. the body, then the closing (note, date,
        // titles, hints, signing room) from `closing` on.
        let form = |body_rows: usize| {
            let mut heights = vec![30.0, 15.0];
            heights.extend(std::iter::repeat_n(15.0, body_rows));
            let closing = heights.len();
            heights.extend([28.0, 17.0, 17.0, 15.0, 15.0, 15.0, 15.0]);
            (heights, closing)
        };
        let pages = |body_rows| {
            let (heights, closing) = form(body_rows);
            form_pages(&heights, 0..2, 2, closing)
        };
        // 45 + 15 × 20 + 122 = 467 points: one page as it is.
        assert_eq!(pages(20), FormPages::One);
        // 512 points: a tenth smaller fits, so the form is shrunk rather than cut.
        assert_eq!(pages(23), FormPages::OneShrunk);
        // 45 + 15 × 25 = 420 points of table, and the closing's 122 do not fit under it,
        // nor in a page a tenth larger: the table's last three rows go over with the closing.
        let closing = 2 + 25;
        assert_eq!(pages(25), FormPages::Breaks(vec![closing as u32 - 3]));
        // A long form breaks where its pages are full (row 30: 45 + 28 × 15 and one more is
        // past 476 points); its closing fits under the last page's rows and goes with them.
        assert_eq!(pages(40), FormPages::Breaks(vec![30]));
        // Over three pages: the third starts with the table's last three rows.
        let (heights, closing) = form(51);
        assert_eq!(form_pages(&heights, 0..2, 2, closing), FormPages::Breaks(vec![30, closing as u32 - 3]));
        // Rows so tall that the last page holds no more than the last three and the closing
        // does not fit under them: the closing starts a page of its own, after them.
        let heights = [30.0, 15.0, 200.0, 200.0, 200.0, 200.0, 28.0, 17.0, 17.0, 15.0, 15.0, 15.0, 15.0];
        assert_eq!(form_pages(&heights, 0..2, 2, 6), FormPages::Breaks(vec![4, 6]));
    }

    #[test]
    fn rows_past_the_last_row_are_counted_on_it() {
        let styles = Styles::new();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let mut w = SheetWriter::new(ws, &styles);
        w.header(0, &["STT", "Vấn đề"]).unwrap();
        let rows = (0..9).map(|i| vec![n(f64::from(i) + 1.0), t(format!("vấn đề {i}"))]);
        assert_eq!(write_body(&mut w, rows, 9, 5).unwrap(), 5);
        let bytes = wb.save_to_buffer().unwrap();
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = calamine::Reader::worksheet_range_at(&mut book, 0).unwrap().unwrap();
        assert_eq!(range.get_size(), (6, 2));
        assert_eq!(range.get((4, 1)).unwrap().to_string(), "vấn đề 3");
        let note = range.get((5, 1)).unwrap().to_string();
        assert!(note.starts_with("… còn 5 dòng"), "{note}");
        // Exactly as many rows as fit: no note.
        let mut wb = Workbook::new();
        let mut w = SheetWriter::new(wb.add_worksheet(), &styles);
        let rows = (0..5).map(|i| vec![n(f64::from(i) + 1.0)]);
        assert_eq!(write_body(&mut w, rows, 5, 5).unwrap(), 5);
    }

    #[test]
    fn a_cell_is_cut_by_utf16_units_not_characters() {
        // 20,000 emoji are 20,000 characters but 40,000 UTF-16 units: over Excel's limit.
        let emoji = "😀".repeat(20_000);
        let cut = within_cell_limit(&emoji);
        assert!(cut.encode_utf16().count() <= 32_767, "{}", cut.encode_utf16().count());
        assert!(cut.ends_with(&format!("(còn {} ký tự)", 20_000 - 16_000)), "{}", &cut[cut.len() - 40..]);
    }

    #[test]
    fn text_over_excels_cell_limit_is_cut_and_says_so() {
        let short = "Xã Sơn Hà";
        assert_eq!(within_cell_limit(short), short);
        let long = "Xã Sơn Hà, ".repeat(5_000);
        let cut = within_cell_limit(&long);
        assert!(cut.chars().count() <= 32_767);
        assert!(cut.ends_with(&format!("(còn {} ký tự)", long.chars().count() - 32_000)));
    }

    #[test]
    fn a_sheets_cells_read_back_as_written_and_text_is_never_a_formula() {
        let styles = Styles::new();
        let mut wb = Workbook::new();
        let mut w = SheetWriter::new(wb.add_worksheet(), &styles);
        w.header(0, &["STT", "Tên", "Tỷ lệ", "Số"]).unwrap();
        let body = [
            vec![t("a"), Cell::Key("k"), Cell::Percent(Some(0.5)), Cell::Empty],
            vec![n(2), t("  Lò <b> & _x0041_ "), Cell::Percent(None), n(1_234_567)],
            vec![n(4), t("=1+1"), Cell::Decimal(Some(1.5)), Cell::Number(0.1 + 0.2)],
        ];
        for (k, cells) in body.iter().enumerate() {
            w.row(k as u32 + 1, cells.clone(), false).unwrap();
        }
        w.row(4, vec![Cell::Empty, t("Tổng"), Cell::Percent(Some(0.5)), n(7)], true).unwrap();
        w.finish(0, 4, 3, true).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = calamine::Reader::worksheet_range_at(&mut book, 0).unwrap().unwrap();
        let formulas = calamine::Reader::worksheet_formula(&mut book, "Sheet1").unwrap();
        assert_eq!(formulas.used_cells().count(), 0, "text is never a formula");
        let shown: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect();
        assert_eq!(
            shown,
            [
                ["STT", "Tên", "Tỷ lệ", "Số"],
                ["a", "k", "0.5", ""],
                ["2", "  Lò <b> & _x0041_ ", "", "1234567"],
                ["4", "=1+1", "1.5", &(0.1 + 0.2).to_string()],
                ["", "Tổng", "0.5", "7"],
            ]
        );
    }

    #[test]
    fn wrapped_text_counts_its_lines_as_a_cell_wraps_it() {
        assert_eq!(wrapped_lines("Bí thư", 12), 1);
        assert_eq!(wrapped_lines("Ủy viên Ban Thường vụ", 12), 2);
        assert_eq!(wrapped_lines("Chuyên viên chính", 11), 2);
        assert_eq!(wrapped_lines("Chuyên viên", 11), 1);
        // Letters are measured as drawn: seventeen narrow letters fit sixteen digits, four
        // capitals do not fit five.
        assert_eq!(wrapped_lines("Thị trấn Hữu Lũng", 16), 1);
        assert_eq!(wrapped_lines("Thị trấn Hữu Lũng", 15), 2);
        assert_eq!(wrapped_lines("MTTQ", 5), 2);
        assert_eq!(wrapped_lines("MTTQ", 7), 1);
        // A word longer than a line is cut; a line feed starts a line.
        assert_eq!(wrapped_lines("abcdefghijklmnopqrstuvwxy", 10), 3);
        // A word breaks after a hyphen before it is cut: "HL-" on a line, then the rest.
        assert_eq!(wrapped_lines("HL-VPHDNDUBND", 10), 3);
        assert_eq!(wrapped_lines("HL-PNV", 10), 1);
        assert_eq!(wrapped_lines("Tài chính - Kế hoạch", 30), 1);
        assert_eq!(wrapped_lines("a\nb", 10), 2);
        assert_eq!(wrapped_lines("", 10), 1);
    }

    #[test]
    fn widths_count_characters_of_the_longest_line() {
        assert_eq!(widest_line("Nguyễn Văn An"), 13);
        assert_eq!(widest_line("Bí thư\nPhó Chủ tịch UBND"), 17);
        assert_eq!(widest_line("a\n"), 1);
    }

    #[test]
    fn a_number_is_as_wide_as_it_is_written() {
        for v in [0.0, -0.0, 3.0, -3.0, 12.5, 1_234_567.0, 1e15, 1e20, 0.1 + 0.2, -1e-7, f64::NAN] {
            assert_eq!(number_width(v), format!("{v}").chars().count(), "{v}");
        }
    }
}
