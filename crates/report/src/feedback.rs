//! Feedback to each unit (`run --feedback DIR`): one small workbook per unit of the month
//! saying what was received and read of its return, every problem with its cell in the
//! unit's own file and what to do, and the doubts about its figures, so that the clerk
//! forwards it instead of phoning. A unit that sent nothing gets a reminder.

use std::path::{Path, PathBuf};

use crate::xlsx::{Format, FormatAlign, Workbook, XlsxError};
use tonghop_model::Registry;
use tonghop_model::intake::UnitStatus;
use tonghop_model::issue::DataIssue;
use tonghop_model::month::Consolidation;

use crate::workbook::{page_setup, properties, wrapped_lines};
use crate::{ReportError, ReportMeta};

/// The columns of the problems' table.
const PROBLEM_COLUMNS: [(&str, f64); 8] = [
    ("STT", 5.0),
    ("Tệp", 30.0),
    ("Trang tính", 14.0),
    ("Ô", 7.0),
    ("Cột", 16.0),
    ("Giá trị đã ghi", 22.0),
    ("Vấn đề, cách sửa", 60.0),
    ("Mức độ", 10.0),
];

/// The file name of a unit's feedback: its code and name, without characters a file
/// system refuses.
fn file_name(code: &str, name: &str) -> String {
    let clean: String = format!("Phan hoi {code} {name}")
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '-' } else { c })
        .collect();
    format!("{clean}.xlsx")
}

/// Writes one workbook per unit of the month into `dir` and returns their paths.
pub fn write_all(
    c: &Consolidation,
    registry: &Registry,
    meta: &ReportMeta,
    dir: &Path,
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io { path: dir.display().to_string(), source })?;
    let mut written = Vec::new();
    for u in &c.units {
        let unit = registry.unit(u.unit);
        let path = dir.join(file_name(&unit.code, &unit.name));
        let bytes = unit_workbook(c, registry, meta, u)?;
        crate::write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// The problems of `u`'s files, in file and cell order.
fn problems_of<'a>(c: &'a Consolidation, u: &tonghop_model::intake::UnitIntake) -> Vec<&'a DataIssue> {
    let mut problems: Vec<&DataIssue> =
        c.issues.iter().filter(|i| i.unit == Some(u.unit) || u.files.contains(&i.file_index)).collect();
    problems.sort();
    problems.dedup();
    problems
}

/// The feedback workbook of one unit.
// Long on purpose: one sheet written top to bottom as the unit's clerk reads it.
fn unit_workbook(
    c: &Consolidation,
    registry: &Registry,
    meta: &ReportMeta,
    u: &tonghop_model::intake::UnitIntake,
) -> Result<Vec<u8>, XlsxError> {
    let font = |f: Format| f.set_font_name("Times New Roman");
    let title = font(Format::new().set_bold().set_font_size(14));
    let bold = font(Format::new().set_bold().set_font_size(12));
    let text = font(Format::new().set_font_size(12).set_text_wrap().set_align(FormatAlign::Top));
    let header = font(Format::new().set_bold().set_border().set_background_color("DDEBF7"))
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let cell = font(Format::new().set_border().set_text_wrap().set_align(FormatAlign::Top));
    let unit = registry.unit(u.unit);
    let period = c.period;
    let body = registry.district.reporting_body(meta.report_date);
    let mut wb = Workbook::new();
    let date = meta.report_date;
    wb.set_properties(&properties(format!("Phản hồi báo cáo kỳ {period}: {}", unit.name), date)?);
    let ws = wb.add_worksheet();
    ws.set_name("Phản hồi")?;
    // The report's page: A4 landscape, the norms' margins, page numbers.
    page_setup(ws);
    ws.set_print_fit_to_pages(1, 0);
    for (col, (_, width)) in PROBLEM_COLUMNS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    let last = PROBLEM_COLUMNS.len() as u16 - 1;
    let mut row = 0;
    let line = |ws: &mut crate::xlsx::Worksheet, row: &mut u32, s: &str, f: &Format| -> Result<(), XlsxError> {
        ws.merge_range(*row, 0, *row, last, s, f)?;
        // A long line wraps over the width of the table (about 160 characters, for 11 pt;
        // the title and headings are larger); a line is as high as its capitals' stacked
        // marks need ("HỒI", "VỀ"), the title's most.
        let lines = wrapped_lines(s, 120);
        let height = if *f == title { 24.0 } else { 18.0 };
        ws.set_row_height(*row, height * lines as f64)?;
        *row += 1;
        Ok(())
    };
    line(ws, &mut row, &format!("BAN TỔ CHỨC {}", body.committee.to_uppercase()), &bold)?;
    line(
        ws,
        &mut row,
        &format!("PHẢN HỒI VỀ BÁO CÁO THÁNG {:02}/{}: {}", period.month(), period.year(), unit.name.to_uppercase()),
        &title,
    )?;
    line(ws, &mut row, &format!("Mã đơn vị: {}. Ngày lập: {}.", unit.code, date.format("%d/%m/%Y")), &text)?;
    row += 1;
    line(ws, &mut row, "1. Tình hình nhận báo cáo", &bold)?;
    let said = match u.status {
        UnitStatus::Missing => format!(
            "Ban Tổ chức chưa nhận được báo cáo tháng {:02}/{} của đơn vị. Đề nghị đơn vị gửi sớm (dùng mẫu báo cáo của Ban).",
            period.month(),
            period.year()
        ),
        UnitStatus::Invalid => {
            "Đã nhận nhưng không đọc được tệp của đơn vị (lý do ở mục 2). Đề nghị đơn vị sửa và gửi lại.".to_owned()
        }
        UnitStatus::NoRows => {
            "Đã nhận tệp nhưng không có dòng nào dùng được (xem mục 2). Đề nghị đơn vị kiểm tra và gửi lại.".to_owned()
        }
        _ => format!(
            "Đã nhận và đọc báo cáo: {} người được tính; {} dòng đã đọc ({} nhận, {} loại, {} bỏ qua).",
            u.people, u.counts.read, u.counts.accepted, u.counts.rejected, u.counts.skipped
        ),
    };
    line(ws, &mut row, &said, &text)?;
    for &fi in &u.files {
        if let Some(f) = c.files.get(fi) {
            let what = format!(
                "- Tệp {}: {}; {} dòng đọc, {} nhận.",
                tonghop_model::files::shown(Path::new(&f.path)),
                f.status.label(),
                f.counts.read,
                f.counts.accepted
            );
            line(ws, &mut row, &what, &text)?;
        }
    }
    row += 1;
    line(ws, &mut row, "2. Các vấn đề cần đơn vị kiểm tra, sửa trong tệp của mình", &bold)?;
    let problems = problems_of(c, u);
    if problems.is_empty() {
        line(ws, &mut row, "Không có vấn đề nào.", &text)?;
    } else {
        for (col, (label, _)) in PROBLEM_COLUMNS.iter().enumerate() {
            ws.write_string_with_format(row, col as u16, *label, &header)?;
        }
        ws.set_repeat_rows(row, row)?;
        row += 1;
        for (k, p) in problems.iter().enumerate() {
            let cells = [
                (k + 1).to_string(),
                tonghop_model::files::shown(Path::new(&p.file)),
                p.sheet.clone().unwrap_or_default(),
                p.cell.clone().unwrap_or_default(),
                p.field.map(|f| f.label().to_owned()).unwrap_or_default(),
                crate::workbook::shown_raw(p.field == Some(tonghop_model::Field::NationalId), &p.raw, meta.show_ids),
                p.problem.clone(),
                p.severity.label().to_owned(),
            ];
            let mut lines = 1;
            for (col, value) in cells.iter().enumerate() {
                // write_string never makes a formula of a value a return held.
                ws.write_string_with_format(row, col as u16, value, &cell)?;
                let width = PROBLEM_COLUMNS[col].1 as usize;
                lines = lines.max(wrapped_lines(value, width));
            }
            ws.set_row_height(row, 15.0 * lines.min(10) as f64)?;
            row += 1;
        }
    }
    row += 1;
    line(ws, &mut row, "3. Lưu ý về số liệu của đơn vị", &bold)?;
    if u.warnings.is_empty() && u.notes.is_empty() {
        line(ws, &mut row, "Không có.", &text)?;
    }
    for note in u.warnings.iter().chain(&u.notes) {
        line(ws, &mut row, &format!("- {note}"), &text)?;
    }
    row += 1;
    line(
        ws,
        &mut row,
        "Đơn vị sửa trực tiếp trong tệp báo cáo của mình theo ô đã chỉ ra, rồi gửi lại cho Ban Tổ chức.",
        &text,
    )?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_keeps_the_unit_and_drops_what_a_file_system_refuses() {
        assert_eq!(file_name("06454", "Xã Sơn Hà"), "Phan hoi 06454 Xã Sơn Hà.xlsx");
        assert_eq!(file_name("HL-PNV", "Phòng Nội vụ/Tổ chức"), "Phan hoi HL-PNV Phòng Nội vụ-Tổ chức.xlsx");
    }
}
