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

/// What a report's Trùng lặp sheet says: the decisions marked, and the marks that cannot be
/// kept, each with its cell (for Lỗi dữ liệu).
#[derive(Debug, Default)]
pub struct Marked {
    /// The decisions, each with its origin (the report and the cell).
    pub decisions: Vec<Decision>,
    /// Marks that cannot be applied: (cell, what to do).
    pub problems: Vec<(String, String)>,
}

/// The decisions marked in a report's Trùng lặp sheet. A report without a review pair or
/// without the decision column (written before it existed) has none. A file that is not a
/// tonghop report, a verdict that is neither label, a pair marked both ways, or marks in a
/// sheet whose columns were renamed are refused, with the cell.
pub fn read_report(path: &Path, limits: &Limits) -> Result<Marked, DecisionsError> {
    let origin = tonghop_model::files::shown(path);
    let parse_error = |message: String| DecisionsError::Parse { origin: origin.clone(), message };
    let size =
        std::fs::metadata(path).map_err(|e| parse_error(tonghop_model::files::ReadError::Io(e).message_vi()))?.len();
    let file = FoundFile {
        index: 0,
        rel_path: origin.clone(),
        abs_path: path.to_path_buf(),
        size,
        modified: None,
        is_spreadsheet: true,
        problem: None,
        archive_entry: None,
    };
    let book = load_report_sheet(&file, limits, decisions::SHEET).map_err(|e| parse_error(e.message_vi()))?;
    if !book.written_by_tonghop {
        return Err(parse_error(
            "đây không phải báo cáo do tonghop lập; quyết định chỉ đọc từ trang Trùng lặp của báo cáo tonghop hoặc từ tệp .toml"
                .to_owned(),
        ));
    }
    let Some(grid) = book.sheets.iter().find(|g| g.name == decisions::SHEET) else { return Ok(Marked::default()) };
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

/// A merged row as read: its sheet row, its keys, whether it is the kept row, its verdict.
type MergedRow = (u32, PersonKey, bool, Option<bool>);

/// How many rows from the top the header may have moved down (a title inserted above it).
const HEADER_SEARCH_ROWS: u32 = 10;

// Long on purpose: the sheet's header, its rows and their pairs in one pass; each refusal names its
// cell.
fn pairs(grid: &SheetGrid, origin: &str) -> Result<Marked, DecisionsError> {
    let is = |row: u32, col: u32, label: &str| matches!(grid.get(row, col), CellValue::Text(t) if t == label);
    let cols = grid.origin.1..grid.end_col();
    let reviewed = (grid.origin.0..grid.end_row()).any(|r| cols.clone().any(|c| is(r, c, REVIEW_CONCLUSION)));
    let last = grid.origin.0.saturating_add(HEADER_SEARCH_ROWS).min(grid.end_row());
    let header = (grid.origin.0..last).find(|&r| cols.clone().any(|c| is(r, c, CONCLUSION_COLUMN)));
    let column = |label: &str| header.and_then(|h| cols.clone().find(|&c| is(h, c, label)));
    let (Some(header), Some(group), Some(conclusion), Some(decision)) =
        (header, column(GROUP_COLUMN), column(CONCLUSION_COLUMN), column(DECISION_COLUMN))
    else {
        // Written before the column existed, or nothing to decide: no decision. Pairs to
        // decide under columns renamed or removed would be marks silently lost: refused.
        let has_column = (grid.origin.0..last).any(|r| cols.clone().any(|c| is(r, c, DECISION_COLUMN)));
        return if reviewed && has_column {
            Err(DecisionsError::Parse {
                origin: origin.to_owned(),
                message: format!(
                    "trang {} không còn đủ các cột \"{GROUP_COLUMN}\", \"{CONCLUSION_COLUMN}\", \"{DECISION_COLUMN}\" ở dòng tiêu đề: không đọc được quyết định; sửa lại tên cột như báo cáo đã ghi",
                    decisions::SHEET
                ),
            })
        } else {
            Ok(Marked::default())
        };
    };
    let keys = KEY_COLUMNS.map(column);
    let kept_column = column(decisions::KEPT_COLUMN);
    let at = |row: u32, col: u32| format!("trang {}, ô {}", decisions::SHEET, cell_address(row, col));
    let invalid = |row: u32, col: u32, message: String| DecisionsError::Parse {
        origin: origin.to_owned(),
        message: format!("{}: {message}", at(row, col)),
    };
    let mut marked = Marked::default();
    // A review pair's two rows share their number, wherever sorting or filtering put them.
    let mut groups: BTreeMap<String, Vec<(u32, PersonKey, Option<bool>)>> = BTreeMap::new();
    // Merged groups: each row's keys, whether it is the kept row, and its verdict.
    let mut merged: BTreeMap<String, Vec<MergedRow>> = BTreeMap::new();
    let key_of = |row: u32| {
        let id = match grid.get(row, keys[3].unwrap_or(u32::MAX)) {
            CellValue::Empty => None,
            CellValue::Text(t) if tonghop_model::record::NationalId::is_masked(t) => Some(t.trim().to_owned()),
            cell => tonghop_model::record::NationalId::from_cell(cell).map(|id| id.0),
        };
        PersonKey {
            name: text(grid, row, keys[0], 0),
            birth: text(grid, row, keys[1], 4),
            unit: text(grid, row, keys[2], 5),
            id,
        }
    };
    for row in header + 1..grid.end_row() {
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
        if matches!(grid.get(row, conclusion), CellValue::Text(t) if t == decisions::MERGED_CONCLUSION) {
            let kept = kept_column.is_some_and(|c| text(grid, row, Some(c), 0) == decisions::KEPT_MARK);
            merged.entry(text(grid, row, Some(group), 0)).or_default().push((row, key_of(row), kept, verdict));
            continue;
        }
        if !matches!(grid.get(row, conclusion), CellValue::Text(t) if t == REVIEW_CONCLUSION) {
            continue;
        }
        groups.entry(text(grid, row, Some(group), 0)).or_default().push((row, key_of(row), verdict));
    }
    // A merged row marked "khác người" is taken out of its group: it and the kept row are
    // two people. The kept row itself cannot be: which of the others would it leave?
    for rows in merged.into_values() {
        let Some((_, kept, _, _)) = rows.iter().find(|r| r.2) else { continue };
        for (row, keys, is_kept, verdict) in &rows {
            if *verdict != Some(false) {
                continue;
            }
            if *is_kept {
                marked.problems.push((
                    at(*row, decision),
                    "đây là dòng được giữ của nhóm: chọn \"khác người\" ở dòng cần tách ra".to_owned(),
                ));
            } else if keys == kept {
                marked.problems.push((
                    at(*row, decision),
                    format!(
                        "dòng này và dòng được giữ cùng họ tên, ngày sinh và đơn vị, không có số định danh ({}): không ghi nhớ được việc tách; bổ sung số định danh vào báo cáo của đơn vị",
                        keys.describe()
                    ),
                ));
            } else {
                marked.decisions.push(Decision {
                    same: false,
                    a: keys.clone(),
                    b: kept.clone(),
                    origin: format!("{origin} ({})", at(*row, decision)),
                });
            }
        }
    }
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
        if a == b {
            // Two people the keys cannot tell apart: a decision about them could never be
            // applied to one and not the other.
            marked.problems.push((
                at(row, decision),
                format!(
                    "hai người cùng họ tên, ngày sinh và đơn vị, không có số định danh ({}): không ghi nhớ được quyết định; bổ sung số định danh vào báo cáo của đơn vị",
                    a.describe()
                ),
            ));
            continue;
        }
        marked.decisions.push(Decision { same, a, b, origin: format!("{origin} ({})", at(row, decision)) });
    }
    Ok(marked)
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
        let got =
            read_report(&report(dir.path(), ["", "khác người"], "tonghop"), &Limits::default()).unwrap().decisions;
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

    /// A Trùng lặp sheet of the given rows (the header among them), written by tonghop.
    fn sheet(dir: &Path, rows: &[&[&str]]) -> std::path::PathBuf {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_author("tonghop"));
        let ws = wb.add_worksheet().set_name(decisions::SHEET).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if let Ok(n) = v.parse::<f64>()
                    && c == 6
                {
                    ws.write_number(r as u32, c as u16, n).unwrap();
                } else {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
        let path = dir.join("s.xlsx");
        wb.save(&path).unwrap();
        path
    }

    const HEADER: [&str; 8] =
        ["Nhóm", "Kết luận", "Quyết định", "Họ và tên", "Ngày sinh", "Mã đơn vị", "Số định danh", "Dòng được giữ"];

    #[test]
    fn a_title_above_the_header_a_number_for_an_id_namesakes_and_a_merged_row_are_read_or_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = sheet(
            dir.path(),
            &[
                &["DANH SÁCH TRÙNG LẶP (cán bộ thêm dòng này)"],
                &HEADER,
                &["1", "đã gộp", "khác người", "Lục Thị Mai", "01/02/1980", "06454", "", "giữ"],
                &["1", "đã gộp", "khác người", "Lục Thị Mại", "01/02/1980", "06454", ""],
                // A CMND turned into a number lost its leading zero.
                &["2", REVIEW_CONCLUSION, "khác người", "Hoàng Văn Khải", "09/10/1981", "06454", "81234567"],
                &["2", REVIEW_CONCLUSION, "", "Hoàng Văn Khảm", "09/10/1981", "06454", ""],
                &["3", REVIEW_CONCLUSION, "khác người", "Bế Văn Sáng", "1970", "06455", ""],
                &["3", REVIEW_CONCLUSION, "", "Bế Văn Sáng", "1970", "06455", ""],
            ],
        );
        let m = read_report(&path, &Limits::default()).unwrap();
        assert_eq!(m.decisions.len(), 2, "{:?}", m.decisions);
        // The merged row marked "khác người" is taken out of its group: it and the kept row.
        assert!(!m.decisions[0].same);
        assert_eq!((m.decisions[0].a.name.as_str(), m.decisions[0].b.name.as_str()), ("Lục Thị Mại", "Lục Thị Mai"));
        assert_eq!(m.decisions[1].a.id.as_deref(), Some("081234567"));
        assert!(m.decisions[1].origin.contains("ô C5"), "{}", m.decisions[1].origin);
        assert_eq!(m.problems.len(), 2, "{:?}", m.problems);
        assert!(m.problems[0].0.contains("C3") && m.problems[0].1.contains("dòng được giữ"), "{:?}", m.problems[0]);
        assert!(m.problems[1].1.contains("số định danh"), "{:?}", m.problems[1]);
    }

    #[test]
    fn marks_under_a_renamed_column_are_refused_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let renamed = ["STT nhóm", "Kết luận", "Quyết định", "Họ và tên", "Ngày sinh", "Mã đơn vị", "Số định danh"];
        let path = sheet(
            dir.path(),
            &[
                &renamed,
                &["2", REVIEW_CONCLUSION, "khác người", "Hoàng Văn Khải", "09/10/1981", "06454", ""],
                &["2", REVIEW_CONCLUSION, "", "Hoàng Văn Khảm", "09/10/1981", "06454", ""],
            ],
        );
        let e = read_report(&path, &Limits::default()).unwrap_err().to_string();
        assert!(e.contains("Nhóm") && e.contains("không đọc được quyết định"), "{e}");
    }
}
