//! The sample month's report, sheet by sheet, as a reviewer reads it: every cell's type and
//! value, the merged ranges, and each sheet's print settings (page, margins, fit, print
//! area and titles). A change to the workbook shows as a diff of this text to review and
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
        out.push(format!("sheet{i}: {}", elements(&xml, &["pageMargins", "pageSetup", "printOptions", "pane"])));
    }
    out
}

#[test]
fn the_sample_months_report_sheet_by_sheet() {
    let run = run_month(&["--training", root().join("fixtures/training/2024-02.xlsx").to_str().unwrap()]);
    let mut book: Xlsx<_> = open_workbook(&run.report).unwrap();
    let mut text = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let (rows, cols) = range.get_size();
        let _ = writeln!(text, "== {name} ({rows} × {cols})");
        let start = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            let mut cells: Vec<String> = row.iter().map(cell).collect();
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
