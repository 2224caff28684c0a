//! Measures an OpenDocument spreadsheet's sheets from the counts its XML declares, before
//! calamine reads them: calamine parses every sheet when it opens the file and expands
//! `table:number-rows-repeated` and `table:number-columns-repeated` into cells, so a 3 KB
//! `content.xml` (stored, not deflated, so no zip-ratio rule sees it) declaring a row
//! repeated a million times would be a grid of gigabytes. The scan streams the part once,
//! follows calamine's own expansion (rows capped at 1,048,576, columns at 16,384, empty
//! cells after the last value dropped) and refuses the file when a sheet would exceed the
//! grid limit, alone or with the sheets before it.

use std::io::{BufRead, BufReader, Read};
use std::time::{Duration, Instant};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::workbook::{IngestErrorKind, Limits};

/// calamine's caps on an ods sheet.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// One sheet's expansion so far.
#[derive(Default)]
struct Table {
    name: String,
    /// Rows declared so far, repeats included.
    rows: u64,
    /// First and last row (repeats included) holding a value.
    first: Option<u64>,
    last: u64,
    /// Widest row up to its last value.
    width: u64,
    /// Cells calamine keeps while reading (each row up to its last value, once).
    read_cells: u64,
}

impl Table {
    /// The grid calamine builds: rows from the first to the last with a value, each as wide
    /// as the widest.
    fn grid_cells(&self) -> u64 {
        self.first.map_or(0, |first| (self.last - first + 1).saturating_mul(self.width))
    }
}

/// Checks `content.xml` against the grid limit, for each sheet and for all of them
/// together; the error names the sheet that passes it.
pub(crate) fn check_content(content: impl Read, limits: &Limits) -> Result<(), (Option<String>, IngestErrorKind)> {
    let mut reader = Reader::from_reader(BufReader::new(content));
    // Read as calamine reads it: an element written `<x/>` is an opening and a closing
    // tag (a self-closed row is expanded too), and end tags are not matched to their start.
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;
    let deadline = Instant::now() + Duration::from_secs(limits.max_seconds);
    scan(&mut reader, limits.max_sheet_cells, limits.max_seconds, deadline)
}

// Long on purpose: a streaming scanner over content.xml, its state in one loop (as calamine reads
// it).
fn scan<R: BufRead>(
    reader: &mut Reader<R>,
    limit: u64,
    seconds: u64,
    deadline: Instant,
) -> Result<(), (Option<String>, IngestErrorKind)> {
    let mut buf = Vec::with_capacity(4096);
    let mut table = Table::default();
    // Inside a row: its repeats, the columns so far and the end of its last value.
    let mut row: Option<(u64, u64, u64)> = None;
    // Inside a cell element: its repeats and whether it holds anything.
    let mut cell: Option<(u64, bool)> = None;
    let mut events: u64 = 0;
    // The cells of the sheets already scanned.
    let mut earlier: u64 = 0;
    loop {
        events += 1;
        if events.is_multiple_of(65_536) && Instant::now() > deadline {
            return Err((Some(table.name), IngestErrorKind::TooSlow { seconds }));
        }
        // XML this scan cannot follow is not left for calamine to expand unmeasured.
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| (Some(table.name.clone()), IngestErrorKind::Corrupt(format!("content.xml: {e}"))))?;
        match event {
            Event::Eof => return Ok(()),
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                // calamine builds every sheet when it opens the file: the sheets before
                // count against the same limit.
                earlier = earlier.saturating_add(table.read_cells.max(table.grid_cells()));
                table = Table { name: attribute(&e, "table:name").unwrap_or_default(), ..Table::default() };
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                let repeats = number(&e, "table:number-rows-repeated").min(MAX_ROWS.saturating_sub(table.rows));
                row = Some((repeats, 0, 0));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some((repeats, _, end)) = row.take() {
                    table.read_cells = table.read_cells.saturating_add(end);
                    if end > 0 && repeats > 0 {
                        table.first.get_or_insert(table.rows);
                        table.last = table.rows + repeats - 1;
                        table.width = table.width.max(end);
                    }
                    table.rows += repeats;
                    let cells = earlier.saturating_add(table.read_cells.max(table.grid_cells()));
                    if cells > limit {
                        return Err((Some(table.name), IngestErrorKind::TooManyCells { cells, limit }));
                    }
                }
            }
            Event::Start(ref e) if row.is_some() && cell.is_none() && is_cell(e.name().as_ref()) => {
                let repeats = number(e, "table:number-columns-repeated");
                // Any value attribute calamine reads (office:value, office:string-value,
                // office:date-value, ...), a value type, or a formula.
                let valued = e.attributes().flatten().any(|a| {
                    let key = a.key.as_ref();
                    (key.starts_with("office:") && key.contains("value"))
                        || key == "calcext:value-type"
                        || key == "table:formula"
                });
                cell = Some((repeats, valued));
            }
            Event::Start(_) | Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) if cell.is_some() => {
                // Anything inside a cell (a paragraph, its text) may be a value.
                if let (Some((_, valued)), Event::Text(text)) = (cell.as_mut(), &event) {
                    *valued |= !text.trim().is_empty();
                } else if let Some((_, valued)) = cell.as_mut() {
                    *valued = true;
                }
            }
            Event::End(e) if is_cell(e.name().as_ref()) => {
                if let Some((repeats, valued)) = cell.take() {
                    end_cell(&mut row, repeats, valued);
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

fn is_cell(name: &str) -> bool {
    matches!(name, "table:table-cell" | "table:covered-table-cell")
}

fn end_cell(row: &mut Option<(u64, u64, u64)>, repeats: u64, valued: bool) {
    let Some((_, columns, end)) = row else { return };
    let repeats = repeats.min(MAX_COLUMNS.saturating_sub(*columns));
    *columns += repeats;
    if valued {
        *end = *columns;
    }
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    // Unescaped, as calamine reads it ("&#49;048576" is 1,048,576).
    let attribute = e.attributes().flatten().find(|a| a.key.as_ref() == name)?;
    Some(
        quick_xml::escape::unescape(&attribute.value)
            .map_or_else(|_| attribute.value.to_string(), std::borrow::Cow::into_owned),
    )
}

/// A repeat count; absent or unreadable is 1, as a reader that refuses it reads nothing.
fn number(e: &BytesStart<'_>, name: &str) -> u64 {
    attribute(e, name).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1)
}
