//! Code lists sent beside a return: a sheet "Danh mục" of a personnel program's export,
//! each list under its caption ("DANH MỤC DÂN TỘC", "TRÌNH ĐỘ CHUYÊN MÔN") as a "Mã | Tên"
//! table. A roster column of codes ("07", 5) is read by the list its field names.

use std::collections::HashMap;

use tonghop_model::record::CellValue;
use tonghop_model::text::fold_words;
use tonghop_model::{Config, Field};

use crate::rows::same_code;
use crate::workbook::SheetGrid;

/// A sheet larger than this is a roster or a data sheet, not a code list: not searched.
const MAX_LIST_ROWS: u32 = 2_000;

/// Each field's codes and their meanings, from the workbook's code lists. A field given two
/// lists that disagree on a code is given none: which one a column follows is not known.
pub fn code_lists(sheets: &[SheetGrid], config: &Config) -> HashMap<Field, Vec<(String, String)>> {
    let mut lists: HashMap<Field, Vec<(String, String)>> = HashMap::new();
    let mut ambiguous: Vec<Field> = Vec::new();
    for grid in sheets.iter().filter(|g| !g.hidden && g.end_row() - g.origin.0 <= MAX_LIST_ROWS) {
        for (field, list) in lists_of(grid, config) {
            match lists.get(&field) {
                Some(known) if list.iter().any(|(k, v)| known.iter().any(|(k2, v2)| same_code(k, k2) && v != v2)) => {
                    ambiguous.push(field);
                }
                Some(_) => {}
                None => {
                    lists.insert(field, list);
                }
            }
        }
    }
    for field in ambiguous {
        lists.remove(&field);
    }
    lists
}

/// The code lists of one sheet: each "Mã" cell with a label to its right, a caption above
/// that names a field, and two codes at least under it.
fn lists_of(grid: &SheetGrid, config: &Config) -> Vec<(Field, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let text = |r: u32, c: u32| match grid.get(r, c) {
        CellValue::Text(t) => Some(t.as_str()),
        _ => None,
    };
    for (r, cells) in grid.rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            // Asked of every cell of a small sheet: a first letter decides most.
            let CellValue::Text(t) = cell else { continue };
            if t.len() > 12 || !t.starts_with(['M', 'm', 'C', 'c']) {
                continue;
            }
            let (row, col) = (grid.origin.0 + r as u32, grid.origin.1 + c as u32);
            if !matches!(fold_words(t).as_str(), "ma" | "ma so" | "code" | "ma dm") || text(row, col + 1).is_none() {
                continue;
            }
            let Some(field) = caption_field(grid, row, col, config) else { continue };
            let mut list = Vec::new();
            for r in row + 1..grid.end_row() {
                let code = match grid.get(r, col) {
                    CellValue::Number(n) if n.fract() == 0.0 && (0.0..1e6).contains(n) => format!("{n:.0}"),
                    CellValue::Text(t)
                        if (1..=6).contains(&t.trim().len()) && t.trim().chars().all(char::is_alphanumeric) =>
                    {
                        t.trim().to_lowercase()
                    }
                    _ => break,
                };
                let Some(meaning) = text(r, col + 1) else { break };
                list.push((code, tonghop_model::text::clean(meaning)));
            }
            if list.len() >= 2 {
                found.push((field, list));
            }
        }
    }
    found
}

/// The field a list's caption names, in the three rows above its "Mã" cell, over it or
/// over its label: "DANH MỤC DÂN TỘC", "TRÌNH ĐỘ CHUYÊN MÔN", "Bảng mã tôn giáo".
fn caption_field(grid: &SheetGrid, row: u32, col: u32, config: &Config) -> Option<Field> {
    (row.saturating_sub(3).max(grid.origin.0)..row).rev().find_map(|r| {
        [col, col + 1].into_iter().find_map(|c| {
            let (r, c) = grid.merge_at(r, c).map_or((r, c), |m| (m.start.0, m.start.1));
            let CellValue::Text(caption) = grid.get(r, c) else { return None };
            let folded = fold_words(caption);
            let named =
                ["danh muc ", "dm ", "bang ma ", "ma "].iter().find_map(|p| folded.strip_prefix(p)).unwrap_or(&folded);
            crate::header::mapped(named, config).map(|(f, _)| f)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> CellValue {
        if s.is_empty() { CellValue::Empty } else { CellValue::Text(s.to_owned()) }
    }

    #[test]
    fn lists_side_by_side_each_under_its_caption() {
        let rows: Vec<Vec<CellValue>> = [
            ["DANH MỤC DÂN TỘC", "", "", "TRÌNH ĐỘ LÝ LUẬN CHÍNH TRỊ", ""],
            ["Mã", "Tên dân tộc", "", "Mã", "Trình độ"],
            ["01", "Kinh", "", "0", "Chưa qua đào tạo"],
            ["02", "Tày", "", "1", "Sơ cấp"],
            ["07", "Nùng", "", "2", "Trung cấp"],
        ]
        .iter()
        .map(|r| r.iter().map(|s| text(s)).collect())
        .collect();
        let lists = code_lists(&[SheetGrid::new("DanhMuc", rows)], &Config::default());
        assert_eq!(lists[&Field::Ethnicity][2], ("07".to_owned(), "Nùng".to_owned()));
        assert_eq!(lists[&Field::PoliticalTheory].len(), 3);
        // A roster's "Mã cán bộ" column names no list.
        let roster = vec![vec![text("Mã cán bộ"), text("Họ và tên")], vec![text("CB01"), text("Lò Văn A")]];
        assert!(code_lists(&[SheetGrid::new("DS", roster)], &Config::default()).is_empty());
    }
}
