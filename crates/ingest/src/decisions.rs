//! Reads the clerk's decisions back from a report tonghop wrote: the Trùng lặp sheet's
//! review pairs whose "Quyết định" cell says "cùng một người" or "khác người", each person
//! named by the keys the report wrote beside it. The labels are the writer's own
//! (`tonghop_model::decisions`), so what the report offers is what is read.

use std::collections::BTreeMap;
use std::path::Path;

use tonghop_model::decisions::{
    self, CONCLUSION_COLUMN, DECISION_COLUMN, Decision, DecisionsError, GROUP_COLUMN, KEY_COLUMNS, PersonKey,
    REVIEW_CONCLUSION,
};
use tonghop_model::record::{CellValue, cell_address};

use crate::discover::FoundFile;
use crate::workbook::{Limits, SheetGrid, load_report_sheet};

/// The decisions marked in a report's Trùng lặp sheet. A report without the decision
/// column (written before it existed) has none. A file that is not a tonghop report, a
/// verdict that is neither label, or a pair decided both ways is refused, with its cell.
pub fn read_report(path: &Path, limits: &Limits) -> Result<Vec<Decision>, DecisionsError> {
    let origin = path.display().to_string();
    let parse_error = |message: String| DecisionsError::Parse { origin: origin.clone(), message };
    let size = std::fs::metadata(path).map_err(|e| parse_error(format!("không mở được tệp ({})", e.kind())))?.len();
    let file = FoundFile {
        index: 0,
        rel_path: origin.clone(),
        abs_path: path.to_path_buf(),
        size,
        modified: None,
        is_spreadsheet: true,
        problem: None,
    };
    let book = load_report_sheet(&file, limits, decisions::SHEET).map_err(|e| parse_error(e.message_vi()))?;
    if !book.written_by_tonghop {
        return Err(parse_error(
            "đây không phải báo cáo do tonghop lập; quyết định chỉ đọc từ trang Trùng lặp của báo cáo tonghop hoặc từ tệp .toml"
                .to_owned(),
        ));
    }
    let Some(grid) = book.sheets.iter().find(|g| g.name == decisions::SHEET) else { return Ok(Vec::new()) };
    pairs(grid, &origin)
}

/// The text of a cell as the report wrote it. A cell the clerk's spreadsheet turned into
/// a number or a date is written back the report's way (a unit code keeps its five digits).
fn text(grid: &SheetGrid, row: u32, col: Option<u32>, digits: usize) -> String {
    let Some(col) = col else { return String::new() };
    match grid.get(row, col) {
        CellValue::Text(t) => t.trim().to_owned(),
        CellValue::Number(n) if n.fract() == 0.0 && *n >= 0.0 => format!("{:0digits$}", *n as u64),
        CellValue::Number(n) => n.to_string(),
        CellValue::Date(d) => d.format("%d/%m/%Y").to_string(),
        CellValue::Bool(_) | CellValue::Error(_) | CellValue::Empty => String::new(),
    }
}

fn pairs(grid: &SheetGrid, origin: &str) -> Result<Vec<Decision>, DecisionsError> {
    let header = grid.origin.0;
    let column = |label: &str| {
        (grid.origin.1..grid.end_col()).find(|&c| matches!(grid.get(header, c), CellValue::Text(t) if t == label))
    };
    let (Some(group), Some(conclusion), Some(decision)) =
        (column(GROUP_COLUMN), column(CONCLUSION_COLUMN), column(DECISION_COLUMN))
    else {
        return Ok(Vec::new());
    };
    let keys = KEY_COLUMNS.map(column);
    let invalid = |row: u32, col: u32, message: String| DecisionsError::Parse {
        origin: origin.to_owned(),
        message: format!("trang {}, ô {}: {message}", decisions::SHEET, cell_address(row, col)),
    };
    // A review pair's two rows share their number, wherever sorting or filtering put them.
    let mut groups: BTreeMap<String, Vec<(u32, PersonKey, Option<bool>)>> = BTreeMap::new();
    for row in header + 1..grid.end_row() {
        if !matches!(grid.get(row, conclusion), CellValue::Text(t) if t == REVIEW_CONCLUSION) {
            continue;
        }
        let verdict = match decisions::parse_verdict(&text(grid, row, Some(decision), 0)) {
            None => None,
            Some(Ok(same)) => Some(same),
            Some(Err(())) => {
                return Err(invalid(
                    row,
                    decision,
                    format!(
                        "\"{}\" không phải \"{}\" hay \"{}\"",
                        text(grid, row, Some(decision), 0),
                        decisions::SAME_LABEL,
                        decisions::APART_LABEL
                    ),
                ));
            }
        };
        let id = text(grid, row, keys[3], 12);
        let person = PersonKey {
            name: text(grid, row, keys[0], 0),
            birth: text(grid, row, keys[1], 4),
            unit: text(grid, row, keys[2], 5),
            id: (!id.is_empty()).then_some(id),
        };
        groups.entry(text(grid, row, Some(group), 0)).or_default().push((row, person, verdict));
    }
    let mut out = Vec::new();
    for rows in groups.into_values() {
        let verdicts: Vec<(u32, bool)> = rows.iter().filter_map(|(r, _, v)| v.map(|v| (*r, v))).collect();
        let Some(&(row, same)) = verdicts.first() else { continue };
        if verdicts.iter().any(|(_, v)| *v != same) {
            return Err(invalid(row, decision, "hai dòng của một cặp được quyết định khác nhau".to_owned()));
        }
        let [(_, a, _), (_, b, _)] = <[_; 2]>::try_from(rows).map_err(|rows: Vec<_>| {
            invalid(row, decision, format!("cặp này có {} dòng \"{REVIEW_CONCLUSION}\", không phải 2", rows.len()))
        })?;
        if a.name.is_empty() || b.name.is_empty() {
            return Err(invalid(row, decision, "thiếu họ và tên của một người trong cặp".to_owned()));
        }
        out.push(Decision { same, a, b });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Trùng lặp sheet as the report writes it, with `verdicts` in the review rows.
    fn report(dir: &Path, verdicts: [&str; 2], author: &str) -> std::path::PathBuf {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_author(author));
        let ws = wb.add_worksheet().set_name(decisions::SHEET).unwrap();
        let header = [
            GROUP_COLUMN,
            CONCLUSION_COLUMN,
            DECISION_COLUMN,
            KEY_COLUMNS[0],
            KEY_COLUMNS[1],
            KEY_COLUMNS[2],
            KEY_COLUMNS[3],
        ];
        let rows: [[&str; 7]; 4] = [
            ["1", "đã gộp", "", "Lục Thị Mai", "01/02/1980", "06454", ""],
            ["2", REVIEW_CONCLUSION, verdicts[0], "Hoàng Văn Khải", "09/10/1981", "06454", ""],
            ["2", REVIEW_CONCLUSION, verdicts[1], "Hoàng Văn Khảm", "09/10/1981", "06454", "020081000123"],
            ["3", REVIEW_CONCLUSION, "", "Vi Văn A", "1970", "06455", ""],
        ];
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
        let path = dir.join("r.xlsx");
        wb.save(&path).unwrap();
        path
    }

    #[test]
    fn a_marked_pair_is_read_with_both_peoples_keys_and_unmarked_pairs_are_not_decisions() {
        let dir = tempfile::tempdir().unwrap();
        let got = read_report(&report(dir.path(), ["", "khác người"], "tonghop"), &Limits::default()).unwrap();
        assert_eq!(got.len(), 1);
        assert!(!got[0].same);
        assert_eq!(got[0].a.name, "Hoàng Văn Khải");
        assert_eq!((got[0].b.birth.as_str(), got[0].b.unit.as_str()), ("09/10/1981", "06454"));
        assert_eq!(got[0].b.id.as_deref(), Some("020081000123"));
        assert_eq!(got[0].a.id, None);
    }

    #[test]
    fn a_pair_marked_both_ways_an_unknown_verdict_and_a_foreign_file_are_refused_with_the_cell() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_report(&report(dir.path(), ["cùng một người", "khác người"], "tonghop"), &Limits::default());
        assert!(e.unwrap_err().to_string().contains("ô C3"));
        let e = read_report(&report(dir.path(), ["x", ""], "tonghop"), &Limits::default());
        assert!(e.unwrap_err().to_string().contains("ô C3: \"x\""));
        let e = read_report(&report(dir.path(), ["khác người", ""], "Nguyễn"), &Limits::default());
        assert!(e.unwrap_err().to_string().contains("không phải báo cáo do tonghop lập"));
    }
}
