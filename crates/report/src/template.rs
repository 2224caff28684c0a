//! The recommended return (`tonghop template`): fixed headers that map to fields without
//! guessing, a drop-down list for every coded field, and instructions in Vietnamese. A
//! return filled in it is read by `tonghop check` with no problems.

use crate::xlsx::{DataValidation, Format, FormatAlign, Workbook, XlsxError};
use tonghop_model::codes::{Category, Gender, PoliticalTheory, Professional, StateManagement};

/// The columns of the template: header, width, and the list a cell must come from.
/// The template's columns: the fields the field table gives a template column, in its
/// order, each headed by the field's own label (which the reader takes back as the field).
fn columns() -> impl Iterator<Item = (&'static str, f64, Option<&'static str>)> {
    tonghop_model::fields::FIELDS.iter().filter_map(|f| f.template.map(|t| (f.label, t.width, t.list)))
}

/// Rows above the header: the unit's title and the period, to be filled in.
pub const HEADER_ROW: u32 = 4;

fn lists() -> Vec<(&'static str, Vec<String>)> {
    let labels = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        ("gioi_tinh", Gender::ALL.iter().map(|g| g.label().to_owned()).collect()),
        ("dan_toc", tonghop_model::codes::ethnicity_names().into_iter().map(str::to_owned).collect()),
        ("dang_vien", labels(&["Đảng viên", "Không"])),
        ("cap_uy", labels(&["Bí thư", "Phó Bí thư", "Ủy viên BTV", "Đảng ủy viên", "Không"])),
        (
            "phan_loai",
            [Category::CanBo, Category::CongChuc, Category::KhongChuyenTrach]
                .iter()
                .map(|c| c.label().to_owned())
                .collect(),
        ),
        ("gdpt", labels(&["12/12", "10/10", "9/12", "9/10", "5/12"])),
        ("chuyen_mon", Professional::ALL.iter().map(|p| p.label().to_owned()).collect()),
        ("llct", PoliticalTheory::ALL.iter().map(|p| p.label().to_owned()).collect()),
        ("dang_hoc", labels(&["Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"])),
        ("qlnn", StateManagement::ALL.iter().map(|s| s.label().to_owned()).collect()),
    ]
}

const INSTRUCTIONS: &[&str] = &[
    "HƯỚNG DẪN LẬP DANH SÁCH TRÍCH NGANG",
    "",
    "1. Ghi tên đơn vị vào ô A1 (ví dụ: ĐẢNG BỘ XÃ SƠN HÀ) và tháng báo cáo vào ô A2.",
    "2. Mỗi cán bộ, công chức, người hoạt động không chuyên trách ghi một dòng, bắt đầu từ dòng 6; không chèn dòng tổng cộng giữa danh sách.",
    "3. Họ và tên ghi đầy đủ, có dấu. Ngày sinh ghi dạng ngày/tháng/năm (12/05/1978); chỉ biết năm thì ghi năm (1978).",
    "4. Số CCCD ghi đủ 12 chữ số (kể cả số 0 ở đầu).",
    "5. Các cột Giới tính, Dân tộc, Đảng viên, Cấp ủy, Phân loại, GDPT, Chuyên môn, Lý luận chính trị, Đang học LLCT, QLNN: chọn trong danh sách thả xuống. Ngày vào Đảng ghi dạng ngày/tháng/năm; không phải đảng viên thì để trống.",
    "6. Chức vụ ghi đầy đủ, nhiều chức vụ cách nhau bằng dấu phẩy (ví dụ: Bí thư Đảng ủy, Chủ tịch HĐND).",
    "7. Quy hoạch ghi chức danh và nhiệm kỳ (ví dụ: QH Chủ tịch UBND 2025-2030); không thuộc diện quy hoạch thì để trống.",
    "8. Không đặt mật khẩu cho tệp; lưu dạng .xlsx.",
    "",
    "Gửi tệp cho Ban Tổ chức; Ban sẽ báo lại những dòng cần sửa (nếu có).",
];

/// One row to fill the template with (for tests and examples), in column order.
pub type TemplateRow = Vec<String>;

/// Builds the template; `unit_title` fills A1 and `rows` fill the table (both empty for
/// the blank template).
pub fn build(unit_title: &str, period_line: &str, rows: &[TemplateRow]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_font_name("Times New Roman").set_font_size(13);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border()
        .set_background_color("DDEBF7")
        .set_font_name("Times New Roman");
    // Every data cell is text (an ID keeps its leading zero, a date stays as written) and
    // open to the commune; the header is protected.
    let cell = Format::new().set_border().set_font_name("Times New Roman").set_num_format("@").set_unlocked();
    let blank = Format::new().set_font_name("Times New Roman").set_num_format("@").set_unlocked();
    let title = bold.clone().set_unlocked();
    let lists = lists();
    {
        let ws = wb.add_worksheet().set_name("Danh sách")?;
        ws.write_string_with_format(
            0,
            0,
            if unit_title.is_empty() { "ĐẢNG BỘ XÃ ..........." } else { unit_title },
            &title,
        )?;
        ws.write_string_with_format(
            1,
            0,
            if period_line.is_empty() {
                "DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC THÁNG ..../......"
            } else {
                period_line
            },
            &title,
        )?;
        for (c, (label, width, _)) in columns().enumerate() {
            ws.write_string_with_format(HEADER_ROW, c as u16, label, &header)?;
            ws.set_column_width(c as u16, width)?;
            ws.set_column_format(c as u16, &blank)?;
        }
        ws.protect_with_options(crate::xlsx::ProtectionOptions {
            insert_rows: true,
            delete_rows: true,
            format_cells: true,
            format_columns: true,
            sort: true,
            use_autofilter: true,
        });
        ws.set_row_height(HEADER_ROW, 32)?;
        ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
        let last = HEADER_ROW + 500;
        for (c, (label, _, list)) in columns().enumerate() {
            let Some(list) = list else { continue };
            let index = lists.iter().position(|(k, _)| *k == list).expect("a known list");
            let col = crate::xlsx::column_letters(index as u16);
            let n = lists[index].1.len();
            // A value outside the list is stopped, and the list is offered when the cell is chosen.
            let validation = DataValidation::new()
                .allow_list_formula(&format!("=DM!${col}$1:${col}${n}"))
                .set_input_title(label)?
                .set_input_message("Chọn trong danh sách thả xuống")?
                .set_error_message(format!("Chọn {label} trong danh sách"))?;
            ws.add_data_validation(HEADER_ROW + 1, c as u16, last, c as u16, &validation)?;
        }
        for (r, values) in rows.iter().enumerate() {
            for (c, value) in values.iter().enumerate() {
                if !value.is_empty() {
                    ws.write_string_with_format(HEADER_ROW + 1 + r as u32, c as u16, value, &cell)?;
                }
            }
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Hướng dẫn")?;
        ws.set_column_width(0, 120)?;
        for (r, line) in INSTRUCTIONS.iter().enumerate() {
            let format = if r == 0 { &bold } else { &Format::new().set_font_name("Times New Roman") };
            ws.write_string_with_format(r as u32, 0, *line, format)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("DM")?;
        for (c, (_, values)) in lists.iter().enumerate() {
            for (r, v) in values.iter().enumerate() {
                ws.write_string(r as u32, c as u16, v)?;
            }
        }
        ws.set_hidden(true);
    }
    wb.save_to_buffer()
}
