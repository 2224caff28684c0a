//! The sample month's report, sheet by sheet, as a reviewer reads it: every cell's type,
//! value and format (number format, font, fill, border, alignment, protection; each format
//! once in a legend, the cells by its number), the merged ranges, and each sheet's print
//! settings (page, margins, fit, column widths, print area and titles). A change to the workbook shows as a diff of this text to review and
//! accept on purpose (`cargo insta review`), not as a `contains` that still passes.

use std::fmt::Write as _;
use std::io::Read as _;

use calamine::{Data, Reader as _, Xlsx, open_workbook};

use crate::e2e::{root, run_month};

/// One cell as the snapshot writes it: its type and its value.
fn cell(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => format!("s:{}", s.replace('\n', "⏎")),
        Data::Float(f) => format!("n:{f}"),
        Data::Int(i) => format!("n:{i}"),
        Data::Bool(b) => format!("b:{b}"),
        Data::DateTime(d) => format!("d:{}", d.as_f64()),
        Data::DateTimeIso(d) | Data::DurationIso(d) => format!("d:{d}"),
        Data::Error(e) => format!("e:{e:?}"),
    }
}

/// The page set-up elements of a sheet's XML, and the workbook's print names.
fn print_settings(report: &std::path::Path) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(report).unwrap()).unwrap();
    let mut text = |name: &str| {
        let mut xml = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        xml
    };
    let elements = |xml: &str, tags: &[&str]| -> String {
        tags.iter()
            .filter_map(|tag| {
                let start = xml.find(&format!("<{tag} "))?;
                let end = xml[start..].find("/>")? + start + 2;
                Some(xml[start..end].to_owned())
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let workbook = text("xl/workbook.xml");
    let mut out = Vec::new();
    if let Some(start) = workbook.find("<definedNames>") {
        let end = workbook.find("</definedNames>").unwrap();
        out.push(workbook[start..end].replace("<definedName ", "\n  <definedName "));
    }
    for i in 1..=11 {
        let xml = text(&format!("xl/worksheets/sheet{i}.xml"));
        // Each row once, in order: Excel repairs a sheet whose row comes twice (the roster's
        // last row did, its height written after its cells).
        let rows: Vec<u32> =
            xml.split("<row r=\"").skip(1).map(|r| r.split('"').next().unwrap().parse().unwrap()).collect();
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "sheet{i}: rows out of order or twice");
        out.push(format!("sheet{i}: {}", elements(&xml, &["pageMargins", "pageSetup", "printOptions", "pane"])));
        // The columns' widths: with the page, what decides the size a sheet prints at.
        let widths: Vec<String> = xml
            .split("<col ")
            .skip(1)
            .map(|col| {
                let value = |name: &str| col.split(&format!("{name}=\"")).nth(1).unwrap().split('"').next().unwrap();
                let (min, max) = (value("min"), value("max"));
                let span = if min == max { min.to_owned() } else { format!("{min}-{max}") };
                format!("{span}:{}", value("width"))
            })
            .collect();
        out.push(format!("  widths {}", widths.join(" ")));
        // The rows printed pages start at (counted from 0).
        let breaks: Vec<&str> = xml.split("<brk id=\"").skip(1).map(|b| b.split('"').next().unwrap()).collect();
        if !breaks.is_empty() {
            out.push(format!("  page breaks {}", breaks.join(" ")));
        }
    }
    out
}

/// The part `name` of the package at `path`, as text.
pub(crate) fn part(path: &std::path::Path, name: &str) -> String {
    part_if_any(path, name).unwrap_or_else(|| panic!("{name} is not in {}", path.display()))
}

/// The part `name` of the package at `path`, as text, if the package has it.
pub(crate) fn part_if_any(path: &std::path::Path, name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut xml).unwrap();
    Some(xml)
}

/// The elements `<tag …>…</tag>` or `<tag …/>` of `xml`, in order, each whole.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        // `<font` must not match `<fonts`.
        if !after.starts_with([' ', '>', '/']) {
            rest = after;
            continue;
        }
        let head_end = after.find('>').unwrap();
        let end = if after[..head_end].ends_with('/') {
            start + open.len() + head_end + 1
        } else {
            start + open.len() + after.find(&close).unwrap() + close.len()
        };
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

/// The value of attribute `name` of the first element of `xml`.
pub(crate) fn attribute<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let head = &xml[..xml.find('>').unwrap_or(xml.len())];
    let from = head.find(&format!(" {name}=\""))? + name.len() + 3;
    head[from..].split('"').next()
}

/// Each of the workbook's cell formats (its `cellXfs`, by number) as a reviewer reads it.
fn cell_formats(report: &std::path::Path) -> Vec<String> {
    let styles = part(report, "xl/styles.xml");
    let number_formats: std::collections::HashMap<&str, &str> = elements(&styles, "numFmt")
        .into_iter()
        .map(|f| (attribute(f, "numFmtId").unwrap(), attribute(f, "formatCode").unwrap()))
        .collect();
    let fonts: Vec<String> = elements(&styles, "font")
        .into_iter()
        .map(|f| {
            let mut font = format!(
                "{} {}",
                elements(f, "name").first().and_then(|n| attribute(n, "val")).unwrap_or("?"),
                elements(f, "sz").first().and_then(|n| attribute(n, "val")).unwrap_or("?")
            );
            for (tag, word) in [("b", " bold"), ("i", " italic"), ("u", " underlined")] {
                if !elements(f, tag).is_empty() {
                    font.push_str(word);
                }
            }
            if let Some(rgb) = elements(f, "color").first().and_then(|c| attribute(c, "rgb")) {
                let _ = write!(font, " colour {rgb}");
            }
            font
        })
        .collect();
    let fills: Vec<Option<&str>> = elements(&styles, "fill")
        .into_iter()
        .map(|f| elements(f, "fgColor").first().and_then(|c| attribute(c, "rgb")))
        .collect();
    let borders: Vec<bool> = elements(&styles, "border").into_iter().map(|b| b.contains(" style=\"")).collect();
    let cell_xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    elements(cell_xfs, "xf")
        .into_iter()
        .map(|xf| {
            let index = |name: &str| attribute(xf, name).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
            let mut parts = Vec::new();
            let number = attribute(xf, "numFmtId").unwrap_or("0");
            if number != "0" {
                parts.push(format!("number \"{}\"", number_formats.get(number).copied().unwrap_or(number)));
            }
            parts.push(format!("font {}", fonts[index("fontId")]));
            if let Some(rgb) = fills[index("fillId")] {
                parts.push(format!("fill {rgb}"));
            }
            if borders[index("borderId")] {
                parts.push("border".to_owned());
            }
            if let Some(alignment) = elements(xf, "alignment").first() {
                let head = &alignment[..alignment.find("/>").unwrap_or(alignment.len())];
                parts.push(format!("align{}", &head["<alignment".len()..]));
            }
            if let Some(protection) = elements(xf, "protection").first() {
                let head = &protection[..protection.find("/>").unwrap_or(protection.len())];
                parts.push(format!("protection{}", &head["<protection".len()..]));
            }
            parts.join(", ")
        })
        .collect()
}

/// The format number of every cell of sheet `name` that has one.
fn format_numbers(
    book: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    name: &str,
) -> std::collections::HashMap<(u32, u32), usize> {
    let mut numbers = std::collections::HashMap::new();
    let mut reader = book.worksheet_cells_reader(name).unwrap();
    while let Some((cell, style)) = reader.next_cell_with_style_id().unwrap() {
        if style != 0 {
            numbers.insert(cell.get_position(), style);
        }
    }
    numbers
}

#[test]
fn the_sample_months_report_sheet_by_sheet() {
    let run = run_month(&["--training", root().join("fixtures/training/2024-02.xlsx").to_str().unwrap()]);
    let mut book: Xlsx<_> = open_workbook(&run.report).unwrap();
    let mut text = String::from("== cell formats\n");
    for (number, format) in cell_formats(&run.report).iter().enumerate() {
        let _ = writeln!(text, "‹{number}›: {format}");
    }
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let formats = format_numbers(&mut book, &name);
        let (rows, cols) = range.get_size();
        let _ = writeln!(text, "== {name} ({rows} × {cols})");
        let start = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            let at = r as u32 + start.0;
            let mut cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(c, data)| match formats.get(&(at, c as u32 + start.1)) {
                    Some(number) => format!("{} ‹{number}›", cell(data)).trim_start().to_owned(),
                    None => cell(data),
                })
                .collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            if !cells.is_empty() {
                let _ = writeln!(text, "{}: {}", r as u32 + start.0 + 1, cells.join(" | "));
            }
        }
        let merges: Vec<String> = book
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .iter()
            .map(|d| format!("{:?}-{:?}", d.start, d.end))
            .collect();
        if !merges.is_empty() {
            let _ = writeln!(text, "merged: {}", merges.join(" "));
        }
    }
    text.push_str("== print settings\n");
    for line in print_settings(&run.report) {
        let _ = writeln!(text, "{line}");
    }
    insta::assert_snapshot!("report_2024_02", text);
}
