//! A worksheet: its cells kept compactly as they are written, in any order, and its XML
//! made in blocks of rows when the workbook is saved.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rustc_hash::FxHashMap;

use super::chart::Chart;
use super::format::Format;
use super::{ExcelDateTime, XlsxError, cell_name, column_name, escape_attribute, push_escaped, push_plain};

/// Excel's last row and column, 0-based.
const LAST_ROW: u32 = 1_048_575;
const LAST_COL: u16 = 16_383;

/// Excel's tallest row, in points, and the most page breaks it keeps in a sheet.
const MAX_ROW_HEIGHT: f64 = 409.5;
/// The most manual page breaks a sheet keeps (Excel's limit).
pub const MAX_PAGE_BREAKS: usize = 1023;

/// The most UTF-16 units a cell holds.
const CELL_TEXT_LIMIT: usize = 32_767;

// A cell as kept: column (2 bytes), format (2), kind (1), then a number's 8 bytes or a
// text's length (4) and bytes. A quarter of a million people's 6.5 million cells take
// about 20 bytes each, not the hundred a map of values would.
const BLANK: u8 = 0;
const NUMBER: u8 = 1;
const TEXT: u8 = 2;

/// A row: its height if set, and its cells, in the order written.
#[derive(Default)]
pub(super) struct Row {
    height: Option<f64>,
    /// A height was set, if only Excel's own: the row is written, empty or not.
    sized: bool,
    cells: Vec<u8>,
    /// The last column written, to know whether the cells are in order.
    last_col: Option<u16>,
    ordered: bool,
}

/// A cell read back from a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Value<'a> {
    Blank,
    Number(f64),
    Text(&'a str),
}

impl Row {
    fn push(&mut self, col: u16, format: u16, value: Value<'_>) {
        self.ordered = self.cells.is_empty() || (self.ordered && self.last_col.is_some_and(|last| col > last));
        self.last_col = Some(col);
        self.cells.extend_from_slice(&col.to_le_bytes());
        self.cells.extend_from_slice(&format.to_le_bytes());
        match value {
            Value::Blank => self.cells.push(BLANK),
            Value::Number(v) => {
                self.cells.push(NUMBER);
                self.cells.extend_from_slice(&v.to_le_bytes());
            }
            Value::Text(s) => {
                self.cells.push(TEXT);
                self.cells.extend_from_slice(&(s.len() as u32).to_le_bytes());
                self.cells.extend_from_slice(s.as_bytes());
            }
        }
    }

    /// The cells as (column, format, value), by column, the last written of a column kept.
    pub(super) fn cells(&self) -> Vec<(u16, u16, Value<'_>)> {
        let mut cells = Vec::new();
        let bytes = &self.cells;
        let mut at = 0;
        let u16_at = |k: usize| u16::from_le_bytes([bytes[k], bytes[k + 1]]);
        while at < bytes.len() {
            let (col, format, kind) = (u16_at(at), u16_at(at + 2), bytes[at + 4]);
            at += 5;
            let value = match kind {
                NUMBER => {
                    let v = f64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
                    at += 8;
                    Value::Number(v)
                }
                TEXT => {
                    let len = u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes")) as usize;
                    at += 4;
                    // Written from a `&str` by `push`.
                    let s = std::str::from_utf8(&bytes[at..at + len]).unwrap_or_default();
                    at += len;
                    Value::Text(s)
                }
                _ => Value::Blank,
            };
            cells.push((col, format, value));
        }
        if !self.ordered {
            // Stable: of two writes to one cell, the later comes last and is kept.
            cells.sort_by_key(|c| c.0);
            let mut kept: Vec<(u16, u16, Value<'_>)> = Vec::with_capacity(cells.len());
            for cell in cells {
                match kept.last_mut() {
                    Some(last) if last.0 == cell.0 => *last = cell,
                    _ => kept.push(cell),
                }
            }
            cells = kept;
        }
        cells
    }

    pub(super) fn encoded_len(&self) -> usize {
        self.cells.len() + 16
    }
}

/// A list of choices offered in a cell, and what it says; a value not in the list is
/// stopped, with the error message.
#[derive(Debug, Clone, Default)]
pub struct DataValidation {
    /// The `<formula1>` of a list: `"a,b"` for choices, a range for a list in cells.
    list: String,
    input_title: Option<String>,
    input_message: Option<String>,
    error_title: Option<String>,
    error_message: Option<String>,
}

impl DataValidation {
    pub fn new() -> Self {
        Self::default()
    }

    /// Choices given as text, one at least, no comma in any (it parts them); together at
    /// most 255 characters, as Excel allows, a quotation mark doubled as a formula's string
    /// has it.
    pub fn allow_list_strings(mut self, choices: &[&str]) -> Result<Self, XlsxError> {
        let joined = choices.join(",").replace('"', "\"\"");
        if choices.is_empty() || joined.chars().count() > 255 || choices.iter().any(|c| c.contains(',')) {
            return Err(XlsxError::Invalid(format!("a list of choices Excel cannot hold: {joined}")));
        }
        self.list = format!("\"{joined}\"");
        Ok(self)
    }

    /// Choices in cells, as a formula ("=DM!$A$1:$A$5").
    #[must_use]
    pub fn allow_list_formula(mut self, formula: &str) -> Self {
        formula.trim_start_matches('=').clone_into(&mut self.list);
        self
    }

    pub fn set_input_title(mut self, title: impl Into<String>) -> Result<Self, XlsxError> {
        self.input_title = Some(limited(title.into(), 32)?);
        Ok(self)
    }

    pub fn set_input_message(mut self, message: impl Into<String>) -> Result<Self, XlsxError> {
        self.input_message = Some(limited(message.into(), 255)?);
        Ok(self)
    }

    pub fn set_error_title(mut self, title: impl Into<String>) -> Result<Self, XlsxError> {
        self.error_title = Some(limited(title.into(), 32)?);
        Ok(self)
    }

    pub fn set_error_message(mut self, message: impl Into<String>) -> Result<Self, XlsxError> {
        self.error_message = Some(limited(message.into(), 255)?);
        Ok(self)
    }
}

/// `text`, when Excel holds it in a place of `limit` characters.
fn limited(text: String, limit: usize) -> Result<String, XlsxError> {
    if text.chars().count() > limit {
        return Err(XlsxError::Invalid(format!("more than {limit} characters: {text}")));
    }
    Ok(text)
}

/// What a protected sheet still lets its user do.
#[derive(Debug, Clone, Copy, Default)]
#[allow(clippy::struct_excessive_bools)] // Excel's own switches
pub struct ProtectionOptions {
    pub insert_rows: bool,
    pub delete_rows: bool,
    pub format_cells: bool,
    pub format_columns: bool,
    pub sort: bool,
    pub use_autofilter: bool,
}

/// A range, 0-based and inclusive: first row, first column, last row, last column.
type Range = (u32, u16, u32, u16);

/// A worksheet being written.
pub struct Worksheet {
    pub(super) name: String,
    pub(super) rows: Vec<Row>,
    /// The formats the sheet's cells use, numbered from 1 in the order first used (0: none).
    pub(super) formats: Vec<Format>,
    format_numbers: FxHashMap<Format, u16>,
    /// Width (in characters) and format of columns.
    columns: BTreeMap<u16, (Option<f64>, u16)>,
    merges: Vec<Range>,
    freeze: Option<(u32, u16)>,
    pub(super) autofilter: Option<Range>,
    validations: Vec<(Range, DataValidation)>,
    pub(super) print_area: Option<Range>,
    pub(super) repeat_rows: Option<(u32, u32)>,
    landscape: bool,
    paper: Option<u8>,
    margins: Option<[f64; 6]>,
    footer: Option<String>,
    fit: Option<(u16, u16)>,
    breaks: Vec<u32>,
    pub(super) charts: Vec<(u32, u16, Chart)>,
    protection: Option<ProtectionOptions>,
    pub(super) hidden: bool,
    /// The rows used (by a cell or a height) and the columns used by cells, first and last.
    used_rows: Option<(u32, u32)>,
    used_cols: Option<(u16, u16)>,
}

impl Worksheet {
    pub(super) fn new(name: String) -> Self {
        Self {
            name,
            rows: Vec::new(),
            formats: Vec::new(),
            format_numbers: FxHashMap::default(),
            columns: BTreeMap::new(),
            merges: Vec::new(),
            freeze: None,
            autofilter: None,
            validations: Vec::new(),
            print_area: None,
            repeat_rows: None,
            landscape: false,
            paper: None,
            margins: None,
            footer: None,
            fit: None,
            breaks: Vec::new(),
            charts: Vec::new(),
            protection: None,
            hidden: false,
            used_rows: None,
            used_cols: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Names the sheet; Excel takes up to 31 UTF-16 units, none of `[]:*?/\` nor a
    /// control character, no apostrophe at either end, and keeps "History" for itself.
    pub fn set_name(&mut self, name: impl Into<String>) -> Result<&mut Self, XlsxError> {
        let name = name.into();
        let bad = name.is_empty()
            || name.encode_utf16().count() > 31
            || name.contains(['[', ']', ':', '*', '?', '/', '\\'])
            || name.chars().any(|c| c.is_control() || !super::is_xml_char(c))
            || name.starts_with('\'')
            || name.ends_with('\'')
            || name.eq_ignore_ascii_case("history");
        if bad {
            return Err(XlsxError::Invalid(format!("a sheet name Excel refuses: {name}")));
        }
        self.name = name;
        Ok(self)
    }

    /// The number of `format` among the sheet's formats, added if new; Excel holds at
    /// most [`super::FORMAT_LIMIT`] in a workbook.
    fn format_number(&mut self, format: &Format) -> Result<u16, XlsxError> {
        if let Some(&n) = self.format_numbers.get(format) {
            return Ok(n);
        }
        if self.formats.len() >= super::FORMAT_LIMIT {
            return Err(XlsxError::Invalid(format!("more than {} cell formats", super::FORMAT_LIMIT)));
        }
        self.formats.push(format.clone());
        let n = self.formats.len() as u16;
        self.format_numbers.insert(format.clone(), n);
        Ok(n)
    }

    fn row_mut(&mut self, row: u32) -> &mut Row {
        let at = row as usize;
        if self.rows.len() <= at {
            self.rows.resize_with(at + 1, Row::default);
        }
        &mut self.rows[at]
    }

    fn check(row: u32, col: u16) -> Result<(), XlsxError> {
        if row > LAST_ROW || col > LAST_COL {
            return Err(XlsxError::RowColumnLimit { row, col });
        }
        Ok(())
    }

    /// A range from its corners, within Excel's limits and not reversed.
    fn range(first_row: u32, first_col: u16, last_row: u32, last_col: u16) -> Result<Range, XlsxError> {
        Self::check(last_row, last_col)?;
        if first_row > last_row || first_col > last_col {
            return Err(XlsxError::Invalid(format!(
                "a range must run down and right: rows {first_row}–{last_row}, columns {first_col}–{last_col}"
            )));
        }
        Ok((first_row, first_col, last_row, last_col))
    }

    fn note_row(&mut self, row: u32) {
        self.used_rows = Some(self.used_rows.map_or((row, row), |(a, b)| (a.min(row), b.max(row))));
    }

    fn note_used(&mut self, row: u32, col: u16) {
        self.note_row(row);
        self.used_cols = Some(self.used_cols.map_or((col, col), |(a, b)| (a.min(col), b.max(col))));
    }

    fn put(&mut self, row: u32, col: u16, format: Option<&Format>, value: Value<'_>) -> Result<&mut Self, XlsxError> {
        Self::check(row, col)?;
        let format = match format {
            Some(f) => self.format_number(f)?,
            None => 0,
        };
        self.note_used(row, col);
        self.row_mut(row).push(col, format, value);
        Ok(self)
    }

    fn put_text(&mut self, row: u32, col: u16, text: &str, format: Option<&Format>) -> Result<&mut Self, XlsxError> {
        if text.len() > CELL_TEXT_LIMIT && text.encode_utf16().count() > CELL_TEXT_LIMIT {
            return Err(XlsxError::TextTooLong { row, col });
        }
        // An empty text is a blank cell: a reader finds no value there, not "".
        let value = if text.is_empty() { Value::Blank } else { Value::Text(text) };
        self.put(row, col, format, value)
    }

    /// Text, as text: never a formula.
    pub fn write_string(&mut self, row: u32, col: u16, text: impl AsRef<str>) -> Result<&mut Self, XlsxError> {
        self.put_text(row, col, text.as_ref(), None)
    }

    pub fn write_string_with_format(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &Format,
    ) -> Result<&mut Self, XlsxError> {
        self.put_text(row, col, text.as_ref(), Some(format))
    }

    pub fn write_number(&mut self, row: u32, col: u16, value: impl Into<f64>) -> Result<&mut Self, XlsxError> {
        self.put(row, col, None, Value::Number(value.into()))
    }

    pub fn write_number_with_format(
        &mut self,
        row: u32,
        col: u16,
        value: impl Into<f64>,
        format: &Format,
    ) -> Result<&mut Self, XlsxError> {
        self.put(row, col, Some(format), Value::Number(value.into()))
    }

    pub fn write_datetime_with_format(
        &mut self,
        row: u32,
        col: u16,
        date: ExcelDateTime,
        format: &Format,
    ) -> Result<&mut Self, XlsxError> {
        self.put(row, col, Some(format), Value::Number(date.serial()))
    }

    /// A cell with a format and no value.
    pub fn write_blank(&mut self, row: u32, col: u16, format: &Format) -> Result<&mut Self, XlsxError> {
        self.put(row, col, Some(format), Value::Blank)
    }

    /// Merges a range of two cells or more, writing `text` in its first cell and the
    /// format on all of them (so that a border goes round the whole).
    pub fn merge_range(
        &mut self,
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
        text: &str,
        format: &Format,
    ) -> Result<&mut Self, XlsxError> {
        let range = Self::range(first_row, first_col, last_row, last_col)?;
        if first_row == last_row && first_col == last_col {
            return Err(XlsxError::Invalid(format!(
                "a merged range must span two cells or more: {}",
                range_name(range)
            )));
        }
        let overlaps =
            |&(r1, c1, r2, c2): &Range| first_row <= r2 && r1 <= last_row && first_col <= c2 && c1 <= last_col;
        if let Some(other) = self.merges.iter().find(|m| overlaps(m)) {
            return Err(XlsxError::Invalid(format!(
                "merged ranges overlap: {} and {}",
                range_name((first_row, first_col, last_row, last_col)),
                range_name(*other)
            )));
        }
        self.merges.push((first_row, first_col, last_row, last_col));
        self.write_string_with_format(first_row, first_col, text, format)?;
        for row in first_row..=last_row {
            for col in first_col..=last_col {
                if (row, col) != (first_row, first_col) {
                    self.write_blank(row, col, format)?;
                }
            }
        }
        Ok(self)
    }

    /// A row's height, in points, as Excel keeps it: whole pixels (16 points are 21
    /// pixels, 15.75 points), at most Excel's 409.5 points.
    pub fn set_row_height(&mut self, row: u32, points: impl Into<f64>) -> Result<&mut Self, XlsxError> {
        Self::check(row, 0)?;
        let points = points.into();
        let points = if points.is_finite() { points.clamp(0.0, MAX_ROW_HEIGHT) } else { 15.0 };
        let pixels = (points * 4.0 / 3.0).round();
        // Excel's own height (15 points) goes without saying.
        let r = self.row_mut(row);
        r.height = Some(pixels * 0.75).filter(|&h| (h - 15.0).abs() > f64::EPSILON);
        r.sized = true;
        self.note_row(row);
        Ok(self)
    }

    /// A column's width, in characters (digits of the workbook's font).
    pub fn set_column_width(&mut self, col: u16, width: impl Into<f64>) -> Result<&mut Self, XlsxError> {
        Self::check(0, col)?;
        self.columns.entry(col).or_insert((None, 0)).0 = Some(width.into());
        Ok(self)
    }

    /// The format of a column's cells that have none of their own.
    pub fn set_column_format(&mut self, col: u16, format: &Format) -> Result<&mut Self, XlsxError> {
        Self::check(0, col)?;
        let n = self.format_number(format)?;
        self.columns.entry(col).or_insert((None, 0)).1 = n;
        Ok(self)
    }

    /// Rows above `row` and columns left of `col` stay in view; (0, 0) freezes nothing.
    pub fn set_freeze_panes(&mut self, row: u32, col: u16) -> Result<&mut Self, XlsxError> {
        Self::check(row, col)?;
        self.freeze = (row > 0 || col > 0).then_some((row, col));
        Ok(self)
    }

    pub fn autofilter(
        &mut self,
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
    ) -> Result<&mut Self, XlsxError> {
        self.autofilter = Some(Self::range(first_row, first_col, last_row, last_col)?);
        Ok(self)
    }

    /// Rows printed at the top of every page.
    pub fn set_repeat_rows(&mut self, first_row: u32, last_row: u32) -> Result<&mut Self, XlsxError> {
        Self::range(first_row, 0, last_row, 0)?;
        self.repeat_rows = Some((first_row, last_row));
        Ok(self)
    }

    pub fn set_print_area(
        &mut self,
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
    ) -> Result<&mut Self, XlsxError> {
        self.print_area = Some(Self::range(first_row, first_col, last_row, last_col)?);
        Ok(self)
    }

    /// Printed `wide` pages across and `tall` down (0: as many as it takes).
    pub fn set_print_fit_to_pages(&mut self, wide: u16, tall: u16) -> &mut Self {
        self.fit = Some((wide, tall));
        self
    }

    /// A page starts at each of `rows` (0-based: the break is written as Excel's "after
    /// row N" counted from 1, the row above); a break before the first row is none, and
    /// Excel keeps 1,023 at most (the first are kept).
    pub fn set_page_breaks(&mut self, rows: &[u32]) -> &mut Self {
        let mut breaks: Vec<u32> = rows.iter().copied().filter(|&r| r > 0 && r <= LAST_ROW).collect();
        breaks.sort_unstable();
        breaks.dedup();
        breaks.truncate(MAX_PAGE_BREAKS);
        self.breaks = breaks;
        self
    }

    pub fn set_landscape(&mut self) -> &mut Self {
        self.landscape = true;
        self
    }

    /// Excel's paper number (9: A4).
    pub fn set_paper_size(&mut self, paper: u8) -> &mut Self {
        self.paper = Some(paper);
        self
    }

    /// Margins in inches: left, right, top, bottom, header, footer.
    pub fn set_margins(&mut self, left: f64, right: f64, top: f64, bottom: f64, header: f64, footer: f64) -> &mut Self {
        self.margins = Some([left, right, top, bottom, header, footer]);
        self
    }

    /// The page footer, in Excel's codes ("&C" centre, "&P" the page's number).
    pub fn set_footer(&mut self, footer: &str) -> &mut Self {
        self.footer = Some(footer.to_owned());
        self
    }

    /// A chart with its top left corner in the cell (`row`, `col`).
    pub fn insert_chart(&mut self, row: u32, col: u16, chart: &Chart) -> Result<&mut Self, XlsxError> {
        Self::check(row, col)?;
        self.charts.push((row, col, chart.clone()));
        Ok(self)
    }

    pub fn add_data_validation(
        &mut self,
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
        validation: &DataValidation,
    ) -> Result<&mut Self, XlsxError> {
        self.validations.push((Self::range(first_row, first_col, last_row, last_col)?, validation.clone()));
        Ok(self)
    }

    pub fn protect_with_options(&mut self, options: ProtectionOptions) -> &mut Self {
        self.protection = Some(options);
        self
    }

    /// A sheet kept for the workbook's formulas and lists, not shown.
    pub fn set_hidden(&mut self, hidden: bool) -> &mut Self {
        self.hidden = hidden;
        self
    }

    /// The cell at (`row`, `col`) as written last, for charts' caches and tests.
    #[cfg(test)]
    pub(super) fn cell(&self, row: u32, col: u16) -> Option<(u16, Value<'_>)> {
        let r = self.rows.get(row as usize)?;
        r.cells().into_iter().rev().find(|c| c.0 == col).map(|(_, f, v)| (f, v))
    }

    /// The width of column `col` in pixels, as Excel draws it.
    pub(super) fn column_pixels(&self, col: u16) -> u32 {
        self.columns.get(&col).and_then(|c| c.0).map_or(64, width_pixels)
    }

    /// The height of row `row` in pixels.
    pub(super) fn row_pixels(&self, row: u32) -> u32 {
        let points = self.rows.get(row as usize).and_then(|r| r.height).unwrap_or(15.0);
        (points * 4.0 / 3.0).round() as u32
    }

    /// The XML before the rows (through `<sheetData>`), `selected` for the sheet the
    /// workbook opens on, formats mapped through `styles` as in [`Self::rows_xml`].
    pub(super) fn head_xml(&self, selected: bool, styles: &[u16]) -> String {
        let mut x = String::from(super::XML_DECLARATION);
        x.push_str(concat!(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        ));
        if self.fit.is_some() {
            x.push_str(r#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#);
        }
        let dimension = match (self.used_rows, self.used_cols.unwrap_or((0, 0))) {
            (Some((r1, r2)), (c1, c2)) if (r1, c1) != (r2, c2) => range_name((r1, c1, r2, c2)),
            (Some((r, _)), (c, _)) => cell_name(r, c),
            (None, _) => "A1".to_owned(),
        };
        let _ = write!(x, r#"<dimension ref="{dimension}"/><sheetViews><sheetView"#);
        if selected {
            x.push_str(r#" tabSelected="1""#);
        }
        x.push_str(r#" workbookViewId="0""#);
        match self.freeze {
            None => x.push_str("/>"),
            Some((row, col)) => {
                x.push('>');
                let top_left = cell_name(row, col);
                match (row, col) {
                    (_, 0) => {
                        let _ = write!(
                            x,
                            r#"<pane ySplit="{row}" topLeftCell="{top_left}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>"#
                        );
                    }
                    (0, _) => {
                        let _ = write!(
                            x,
                            r#"<pane xSplit="{col}" topLeftCell="{top_left}" activePane="topRight" state="frozen"/><selection pane="topRight"/>"#
                        );
                    }
                    _ => {
                        let (right, below) = (cell_name(0, col), cell_name(row, 0));
                        let _ = write!(
                            x,
                            concat!(
                                r#"<pane xSplit="{col}" ySplit="{row}" topLeftCell="{top_left}" activePane="bottomRight" state="frozen"/>"#,
                                r#"<selection pane="topRight" activeCell="{right}" sqref="{right}"/>"#,
                                r#"<selection pane="bottomLeft" activeCell="{below}" sqref="{below}"/><selection pane="bottomRight"/>"#
                            ),
                            col = col,
                            row = row,
                            top_left = top_left,
                            right = right,
                            below = below
                        );
                    }
                }
                x.push_str("</sheetView>");
            }
        }
        x.push_str(r#"</sheetViews><sheetFormatPr defaultRowHeight="15"/>"#);
        if !self.columns.is_empty() {
            x.push_str("<cols>");
            // Neighbouring columns alike are one element.
            let mut runs: Vec<(u16, u16, Option<f64>, u16)> = Vec::new();
            for (&col, &(width, format)) in &self.columns {
                match runs.last_mut() {
                    Some(run) if run.1 + 1 == col && run.2 == width && run.3 == format => run.1 = col,
                    _ => runs.push((col, col, width, format)),
                }
            }
            for (first, last, width, format) in runs {
                let stored = stored_width(width.unwrap_or(8.43));
                let _ = write!(x, r#"<col min="{}" max="{}" width="{stored}""#, first + 1, last + 1);
                if format != 0 {
                    let _ = write!(x, r#" style="{}""#, styles[format as usize]);
                }
                if width.is_some() {
                    x.push_str(r#" customWidth="1""#);
                }
                x.push_str("/>");
            }
            x.push_str("</cols>");
        }
        x.push_str("<sheetData>");
        x
    }

    /// The XML of rows `rows`, each format number mapped through `styles` (the sheet's
    /// format `k` is the workbook's `styles[k]`).
    pub(super) fn rows_xml(&self, rows: std::ops::Range<usize>, styles: &[u16]) -> String {
        let mut x = String::with_capacity(rows.clone().map(|r| self.rows[r].encoded_len()).sum::<usize>() * 2);
        let mut number = itoa::Buffer::new();
        for r in rows {
            let row = &self.rows[r];
            if row.cells.is_empty() && !row.sized {
                continue;
            }
            x.push_str("<row r=\"");
            x.push_str(number.format(r + 1));
            x.push('"');
            if let Some(height) = row.height {
                let _ = write!(x, r#" ht="{height}" customHeight="1""#);
            }
            if row.cells.is_empty() {
                x.push_str("/>");
                continue;
            }
            x.push('>');
            for (col, format, value) in row.cells() {
                let style = styles[format as usize];
                if value == Value::Blank && style == 0 {
                    continue;
                }
                x.push_str("<c r=\"");
                column_name(&mut x, col);
                x.push_str(number.format(r + 1));
                x.push('"');
                if style != 0 {
                    x.push_str(" s=\"");
                    x.push_str(number.format(style));
                    x.push('"');
                }
                match value {
                    Value::Blank => x.push_str("/>"),
                    Value::Number(v) => push_number(&mut x, v),
                    Value::Text(s) => {
                        x.push_str(" t=\"inlineStr\"><is><t");
                        if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
                            x.push_str(" xml:space=\"preserve\"");
                        }
                        x.push('>');
                        push_escaped(&mut x, s);
                        x.push_str("</t></is></c>");
                    }
                }
            }
            x.push_str("</row>");
        }
        x
    }

    /// The XML after the rows (from `</sheetData>`).
    pub(super) fn tail_xml(&self) -> String {
        let mut x = String::from("</sheetData>");
        if let Some(p) = self.protection {
            x.push_str(r#"<sheetProtection sheet="1" objects="1" scenarios="1""#);
            for (allowed, name) in [
                (p.format_cells, "formatCells"),
                (p.format_columns, "formatColumns"),
                (p.insert_rows, "insertRows"),
                (p.delete_rows, "deleteRows"),
                (p.sort, "sort"),
                (p.use_autofilter, "autoFilter"),
            ] {
                if allowed {
                    let _ = write!(x, r#" {name}="0""#);
                }
            }
            x.push_str("/>");
        }
        if let Some(range) = self.autofilter {
            let _ = write!(x, r#"<autoFilter ref="{}"/>"#, range_name(range));
        }
        if !self.merges.is_empty() {
            let _ = write!(x, r#"<mergeCells count="{}">"#, self.merges.len());
            for &m in &self.merges {
                let _ = write!(x, r#"<mergeCell ref="{}"/>"#, range_name(m));
            }
            x.push_str("</mergeCells>");
        }
        if !self.validations.is_empty() {
            let _ = write!(x, r#"<dataValidations count="{}">"#, self.validations.len());
            for (range, v) in &self.validations {
                x.push_str(r#"<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1""#);
                for (value, name) in [
                    (&v.error_title, "errorTitle"),
                    (&v.error_message, "error"),
                    (&v.input_title, "promptTitle"),
                    (&v.input_message, "prompt"),
                ] {
                    if let Some(value) = value {
                        let _ = write!(x, r#" {name}="{}""#, escape_attribute(value));
                    }
                }
                let _ = write!(x, r#" sqref="{}"><formula1>"#, range_name(*range));
                push_plain(&mut x, &v.list);
                x.push_str("</formula1></dataValidation>");
            }
            x.push_str("</dataValidations>");
        }
        let [left, right, top, bottom, header, footer] = self.margins.unwrap_or([0.7, 0.7, 0.75, 0.75, 0.3, 0.3]);
        let _ = write!(
            x,
            r#"<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" header="{header}" footer="{footer}"/>"#
        );
        if self.paper.is_some() || self.landscape || self.fit.is_some() {
            x.push_str("<pageSetup");
            if let Some(paper) = self.paper {
                let _ = write!(x, r#" paperSize="{paper}""#);
            }
            if let Some((wide, tall)) = self.fit {
                if wide != 1 {
                    let _ = write!(x, r#" fitToWidth="{wide}""#);
                }
                if tall != 1 {
                    let _ = write!(x, r#" fitToHeight="{tall}""#);
                }
            }
            let orientation = if self.landscape { "landscape" } else { "portrait" };
            let _ = write!(x, r#" orientation="{orientation}" horizontalDpi="200" verticalDpi="200"/>"#);
        }
        if let Some(footer) = &self.footer {
            x.push_str("<headerFooter><oddFooter>");
            push_plain(&mut x, footer);
            x.push_str("</oddFooter></headerFooter>");
        }
        if !self.breaks.is_empty() {
            let _ = write!(x, r#"<rowBreaks count="{0}" manualBreakCount="{0}">"#, self.breaks.len());
            for b in &self.breaks {
                let _ = write!(x, r#"<brk id="{b}" max="16383" man="1"/>"#);
            }
            x.push_str("</rowBreaks>");
        }
        if !self.charts.is_empty() {
            x.push_str(r#"<drawing r:id="rId1"/>"#);
        }
        x.push_str("</worksheet>");
        x
    }
}

/// A number as a cell's value: an integer without `fmt` (a country's sheets hold millions),
/// other numbers as Rust writes them (the shortest that reads back the same), and what
/// Excel has no number for as an error.
fn push_number(x: &mut String, v: f64) {
    if !v.is_finite() {
        x.push_str(" t=\"e\"><v>#NUM!</v></c>");
        return;
    }
    x.push_str("><v>");
    if v.fract() == 0.0 && v.abs() < 1e15 && !(v == 0.0 && v.is_sign_negative()) {
        x.push_str(itoa::Buffer::new().format(v as i64));
    } else {
        let _ = write!(x, "{v}");
    }
    x.push_str("</v></c>");
}

/// "A1:C3" for a range, 0-based.
pub(super) fn range_name((r1, c1, r2, c2): Range) -> String {
    format!("{}:{}", cell_name(r1, c1), cell_name(r2, c2))
}

/// A column's pixels for a width in characters, as Excel rounds them (a digit of 7 pixels
/// and 5 of padding); Excel's widest column is 255 characters.
fn width_pixels(width: f64) -> u32 {
    let width = if width.is_finite() { width.min(255.0) } else { 8.43 };
    if width <= 0.0 {
        0
    } else if width < 1.0 {
        (width * 12.0 + 0.5) as u32
    } else {
        (width * 7.0 + 0.5) as u32 + 5
    }
}

/// A width in characters as the file stores it: its pixels in 256ths of a digit.
fn stored_width(width: f64) -> f64 {
    let pixels = width_pixels(width);
    if pixels <= 12 {
        return f64::from(pixels) / 12.0;
    }
    ((f64::from(pixels) / 7.0 * 256.0).trunc()) / 256.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_kept_by_column_and_a_cell_written_twice_keeps_its_last_value() {
        let mut ws = Worksheet::new("A".into());
        let bold = Format::new().set_bold();
        ws.write_string(0, 2, "c").unwrap();
        ws.write_number(0, 0, 1.5).unwrap();
        ws.write_string_with_format(0, 2, "C", &bold).unwrap();
        ws.write_blank(0, 1, &bold).unwrap();
        let cells = ws.rows[0].cells();
        assert_eq!(cells, vec![(0, 0, Value::Number(1.5)), (1, 1, Value::Blank), (2, 1, Value::Text("C"))]);
        assert_eq!(ws.cell(0, 2), Some((1, Value::Text("C"))));
    }

    #[test]
    fn rows_are_written_once_each_with_their_height() {
        let mut ws = Worksheet::new("A".into());
        // The height set after the row's cells, as the roster does: one <row> still.
        ws.write_string(1, 0, "Nguyễn Văn A & B <x>").unwrap();
        ws.set_row_height(1, 30).unwrap();
        ws.set_row_height(3, 7.5).unwrap();
        ws.set_row_height(4, 16).unwrap();
        ws.write_number(1, 1, 3.0).unwrap();
        ws.write_number(1, 2, 0.125).unwrap();
        ws.write_string(1, 27, " lề ").unwrap();
        let xml = ws.rows_xml(0..ws.rows.len(), &[0]);
        assert_eq!(
            xml,
            concat!(
                r#"<row r="2" ht="30" customHeight="1"><c r="A2" t="inlineStr"><is><t>Nguyễn Văn A &amp; B &lt;x&gt;</t></is></c>"#,
                r#"<c r="B2"><v>3</v></c><c r="C2"><v>0.125</v></c><c r="AB2" t="inlineStr"><is><t xml:space="preserve"> lề </t></is></c></row>"#,
                r#"<row r="4" ht="7.5" customHeight="1"/><row r="5" ht="15.75" customHeight="1"/>"#
            )
        );
    }

    #[test]
    fn limits_are_errors_not_files_excel_repairs() {
        let mut ws = Worksheet::new("A".into());
        assert!(matches!(ws.write_string(LAST_ROW + 1, 0, "x"), Err(XlsxError::RowColumnLimit { .. })));
        assert!(matches!(ws.write_string(0, 0, "x".repeat(40_000)), Err(XlsxError::TextTooLong { .. })));
        let f = Format::new();
        ws.merge_range(0, 0, 0, 3, "a", &f).unwrap();
        assert!(ws.merge_range(0, 2, 1, 4, "b", &f).is_err(), "overlapping merges");
        assert!(ws.merge_range(5, 0, 5, 0, "c", &f).is_err(), "a merge of one cell");
        assert!(ws.autofilter(3, 0, 2, 4).is_err(), "a range upside down");
        assert!(ws.set_print_area(0, 5, 9, 4).is_err(), "a range right to left");
        assert!(ws.set_name("a/b").is_err());
        assert!(ws.set_name("x".repeat(32)).is_err());
        assert!(ws.set_name("a\u{1}").is_err(), "a control character");
        assert!(ws.set_name("History").is_err(), "Excel's own");
        assert!(ws.set_name("Lỗi dữ liệu").is_ok());
        assert!(DataValidation::new().allow_list_strings(&[]).is_err());
        let quoted = DataValidation::new().allow_list_strings(&["a\"b", "c"]).unwrap();
        assert_eq!(quoted.list, "\"a\"\"b,c\"");
        assert!(DataValidation::new().set_input_title("x".repeat(33)).is_err());
        // Excel's 64,000 formats, then an error, not a number that wraps.
        let mut many = Worksheet::new("B".into());
        for k in 0..super::super::FORMAT_LIMIT {
            many.write_blank(0, 0, &Format::new().set_background_color(&format!("{k:06X}"))).unwrap();
        }
        assert!(many.write_blank(0, 0, &Format::new().set_background_color("FFFFFF")).is_err());
    }

    #[test]
    fn widths_are_stored_as_excel_rounds_them() {
        assert_eq!(stored_width(5.0).to_string(), "5.7109375");
        assert_eq!(stored_width(37.0).to_string(), "37.7109375");
        assert_eq!(width_pixels(8.43), 64);
        assert_eq!(width_pixels(1e12), width_pixels(255.0), "Excel's widest");
        assert_eq!(width_pixels(f64::NAN), 64);
    }

    #[test]
    fn frozen_panes_and_page_set_up_are_written_as_excel_reads_them() {
        let mut ws = Worksheet::new("A".into());
        ws.set_freeze_panes(7, 3).unwrap();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_landscape().set_paper_size(9);
        ws.set_page_breaks(&[40, 12, 0, 12]);
        ws.set_row_height(9, 900).unwrap();
        ws.write_string(0, 0, "x").unwrap();
        let head = ws.head_xml(false, &[0]);
        assert!(
            head.contains(r#"<pane xSplit="3" ySplit="7" topLeftCell="D8" activePane="bottomRight" state="frozen"/>"#),
            "{head}"
        );
        assert!(head.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
        let tail = ws.tail_xml();
        assert!(tail.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#), "{tail}");
        assert!(
            tail.contains(
                r#"<rowBreaks count="2" manualBreakCount="2"><brk id="12" max="16383" man="1"/><brk id="40""#
            ),
            "{tail}"
        );
        let rows = ws.rows_xml(0..ws.rows.len(), &[0]);
        assert!(rows.contains(r#"<row r="10" ht="409.5" customHeight="1"/>"#), "{rows}");
    }
}
