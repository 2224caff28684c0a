//! Tổng hợp as a report of the Board (Hướng dẫn 36-HD/VPTW): the Party document's header
//! (the superior committee, the issuing body and its star line; the Party's name and the place
//! and date; the number line), the title, the text the clerk would otherwise write, and after
//! the indicator table the signature block and the recipients. Every number in the text is
//! the figure of its cell, written the Vietnamese way (thousands dot, decimal comma).

use std::fmt::Write as _;

use crate::xlsx::{Format, FormatAlign, Worksheet, XlsxError};
use chrono::Datelike as _;
use tonghop_model::Registry;
use tonghop_model::intake::UnitStatus;
use tonghop_model::month::{Consolidation, IndicatorValue};

use crate::ReportMeta;

/// A whole number the Vietnamese way: 1.234.567.
pub(crate) fn vn_int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A percent with one decimal the Vietnamese way: 55,8%.
pub(crate) fn vn_percent(percent: f64) -> String {
    let tenths = (percent * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    format!("{sign}{},{}%", vn_int(tenths / 10), tenths % 10)
}

/// One paragraph of the report's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Paragraph {
    /// A section's heading ("I. …").
    Heading(String),
    /// Body text.
    Text(String),
}

/// The report's text, section by section, from the consolidation alone.
// Long on purpose: the report's text in its order, section by section, as the Board writes it.
pub(crate) fn paragraphs(c: &Consolidation, registry: &Registry) -> Vec<Paragraph> {
    use Paragraph::{Heading, Text};
    let mut out = Vec::new();
    let names = |status: UnitStatus| -> Vec<String> {
        c.unit_lines.iter().filter(|u| u.status == status).map(|u| registry.unit(u.unit).name.clone()).collect()
    };
    let expected = c.unit_lines.len() as u64;
    let received = names(UnitStatus::Received).len() as u64;
    out.push(Heading("I. TÌNH HÌNH NHẬN BÁO CÁO".to_owned()));
    let sent = expected - names(UnitStatus::Missing).len() as u64;
    let mut intake = format!(
        "Đến ngày lập báo cáo, {}/{} đơn vị đã gửi báo cáo tháng {:02}/{}, trong đó {} đơn vị đọc được đủ.",
        vn_int(sent),
        vn_int(expected),
        c.period.month(),
        c.period.year(),
        vn_int(received)
    );
    for (status, said) in [
        (UnitStatus::Missing, "Chưa gửi"),
        (UnitStatus::Invalid, "Gửi nhưng không đọc được"),
        (UnitStatus::NoRows, "Gửi nhưng không có dòng dùng được"),
    ] {
        let list = names(status);
        if !list.is_empty() {
            let _ = write!(intake, " {said} ({}): {}.", vn_int(list.len() as u64), list.join(", "));
        }
    }
    out.push(Text(intake));
    let doubtful: Vec<String> =
        c.units.iter().filter(|u| !u.warnings.is_empty()).map(|u| registry.unit(u.unit).name.clone()).collect();
    if !doubtful.is_empty() {
        out.push(Text(format!(
            "Số liệu của {} đơn vị có thể đọc sai, cần đối chiếu với báo cáo gốc trước khi sử dụng: {}.",
            vn_int(doubtful.len() as u64),
            doubtful.join(", ")
        )));
    }
    for notice in &c.notices {
        out.push(Text(format!("Lưu ý: {notice}.")));
    }
    let t = &c.total;
    out.push(Heading("II. SỐ LƯỢNG, CHẤT LƯỢNG ĐỘI NGŨ".to_owned()));
    out.push(Text(format!(
        "Tổng số {} đồng chí (nữ {}, người dân tộc thiểu số {}, {}); cán bộ {}, công chức {}, người hoạt động không chuyên trách {}.",
        vn_int(t.headcount),
        vn_int(t.female),
        vn_int(t.minority),
        match t.headcount - t.party_known.min(t.headcount) {
            0 => format!("đảng viên {}", vn_int(t.party)),
            unknown if unknown == t.headcount => "chưa rõ số đảng viên".to_owned(),
            unknown => format!("đảng viên {}, {} đồng chí chưa rõ", vn_int(t.party), vn_int(unknown)),
        },
        vn_int(t.can_bo),
        vn_int(t.cong_chuc),
        vn_int(t.kct)
    )));
    let before = |key: &str| c.previous.as_ref().and_then(|(_, values)| values.get(key).copied());
    let mut training = Vec::new();
    let mut unavailable: Option<&str> = None;
    for ind in &c.headline {
        match ind.value {
            IndicatorValue::Ratio(r) => {
                let Some(percent) = r.percent() else {
                    // No one to count: a month without data is said as such.
                    let why = if t.headcount == 0 {
                        "chưa có số liệu"
                    } else {
                        "không có người thuộc diện tính"
                    };
                    out.push(Text(format!("- {}: {why}.", ind.label)));
                    continue;
                };
                let mut line = format!(
                    "- {}: {}/{} đồng chí, đạt {}",
                    ind.label,
                    vn_int(r.numerator),
                    vn_int(r.denominator),
                    vn_percent(percent)
                );
                if r.unknown > 0 {
                    let _ = write!(line, " ({} đồng chí chưa rõ trình độ)", vn_int(r.unknown));
                }
                if let Some(previous) = before(ind.key) {
                    let change = ((percent - previous) * 10.0).round() / 10.0;
                    let _ = match change {
                        x if x > 0.0 => {
                            write!(
                                line,
                                "; tăng {} điểm phần trăm so với kỳ trước",
                                vn_percent(x).trim_end_matches('%')
                            )
                        }
                        x if x < 0.0 => {
                            write!(
                                line,
                                "; giảm {} điểm phần trăm so với kỳ trước",
                                vn_percent(-x).trim_end_matches('%')
                            )
                        }
                        _ => write!(line, "; không đổi so với kỳ trước"),
                    };
                }
                line.push('.');
                out.push(Text(line));
            }
            IndicatorValue::Count(v) if ind.key.starts_with("tc_llct") || ind.key.starts_with("refresher") => {
                training.push(format!("- {}: {}.", ind.label, vn_int(v)));
            }
            IndicatorValue::NotAvailable(why) if ind.key.starts_with("tc_llct") || ind.key.starts_with("refresher") => {
                unavailable.get_or_insert(why);
            }
            IndicatorValue::Count(_) | IndicatorValue::NotAvailable(_) => {}
        }
    }
    out.push(Heading("III. ĐÀO TẠO, BỒI DƯỠNG".to_owned()));
    out.extend(training.into_iter().map(Text));
    if let Some(why) = unavailable {
        // Said once, in the Board's words: the hint for the clerk (which option, which note)
        // stays in the table's notes.
        let why = why.split(" (").next().unwrap_or(why);
        out.push(Text(format!("{why} đào tạo, bồi dưỡng nên chưa tổng hợp được số lớp và số học viên.")));
    }
    if let Some(changes) = &c.changes {
        out.push(Heading("IV. BIẾN ĐỘNG SO VỚI KỲ TRƯỚC".to_owned()));
        if changes.is_empty() {
            out.push(Text("Không có biến động.".to_owned()));
        }
        let mut kinds: Vec<(&'static str, u64)> = Vec::new();
        for change in changes {
            match kinds.iter_mut().find(|(k, _)| *k == change.kind.label()) {
                Some((_, n)) => *n += 1,
                None => kinds.push((change.kind.label(), 1)),
            }
        }
        out.extend(
            kinds.into_iter().map(|(kind, n)| Text(format!("- {kind}: {} đồng chí (xem trang Biến động).", vn_int(n)))),
        );
    }
    out
}

/// The characters a line of merged columns holds, roughly, at 13 pt.
fn chars_per_line(widths: &[f64]) -> usize {
    // The widths are in digits of 11 pt; the text is 13 pt.
    (widths.iter().sum::<f64>() * 11.0 / 13.0) as usize
}

/// Writes the document's header and text from row 0; returns the next free row.
pub(crate) fn head(
    ws: &mut Worksheet,
    c: &Consolidation,
    registry: &Registry,
    meta: &ReportMeta,
    paragraphs: &[Paragraph],
    widths: &[f64],
) -> Result<u32, XlsxError> {
    let last = widths.len() as u16 - 1;
    let font = |f: Format| f.set_font_name("Times New Roman").set_font_size(13).set_align(FormatAlign::Center);
    let plain = font(Format::new());
    let bold = font(Format::new().set_bold());
    let italic = font(Format::new().set_italic());
    let underlined = font(Format::new().set_bold().set_underline());
    // The left half for the issuing body, the right half for the Party's name and the date.
    let split = last / 2;
    let left =
        |ws: &mut Worksheet, row: u32, text: &str, f: &Format| ws.merge_range(row, 0, row, split, text, f).map(|_| ());
    let right = |ws: &mut Worksheet, row: u32, text: &str, f: &Format| {
        ws.merge_range(row, split + 1, row, last, text, f).map(|_| ())
    };
    let body = registry.district.reporting_body(c.period.last_day());
    // The superior committee's line, then the committee and its Board with the star line
    // (a province's committee has no superior line: its lines move up).
    let mut lines: Vec<(String, &Format)> = Vec::new();
    if let Some(superior) = &body.superior {
        lines.push((superior.to_uppercase(), &plain));
    }
    lines.push((body.committee.to_uppercase(), &plain));
    lines.push(("BAN TỔ CHỨC".to_owned(), &bold));
    lines.push(("*".to_owned(), &plain));
    for (row, (text, format)) in lines.iter().enumerate() {
        left(ws, row as u32, text, format)?;
    }
    right(ws, 0, "ĐẢNG CỘNG SẢN VIỆT NAM", &underlined)?;
    let date = meta.report_date;
    right(
        ws,
        2,
        &format!("{}, ngày {:02} tháng {:02} năm {}", body.place, date.day(), date.month(), date.year()),
        &italic,
    )?;
    left(ws, 4, &format!("Số        -BC/{}", body.symbol), &plain)?;
    ws.merge_range(6, 0, 6, last, "BÁO CÁO", &font(Format::new().set_bold().set_font_size(15)))?;
    ws.merge_range(
        7,
        0,
        7,
        last,
        &format!(
            "Tình hình đội ngũ cán bộ, công chức cấp xã và lãnh đạo cơ quan cấp huyện tháng {:02} năm {}",
            c.period.month(),
            c.period.year()
        ),
        &bold,
    )?;
    let body =
        Format::new().set_font_name("Times New Roman").set_font_size(13).set_text_wrap().set_align(FormatAlign::Top);
    let heading = body.clone().set_bold();
    let per_line = chars_per_line(widths).max(40);
    let mut row = 9;
    for p in paragraphs {
        let (text, format) = match &p {
            Paragraph::Heading(t) => (t, &heading),
            Paragraph::Text(t) => (t, &body),
        };
        ws.merge_range(row, 0, row, last, text, format)?;
        // A heading is bold: a little wider.
        let per_line = if matches!(p, Paragraph::Heading(_)) { per_line * 19 / 20 } else { per_line };
        let lines = super::wrapped_lines(text, per_line);
        ws.set_row_height(row, 18.0 * lines as f64)?;
        row += 1;
    }
    Ok(row + 1)
}

/// Writes the signature block and the recipients from `row`; returns the next free row.
pub(crate) fn foot(
    ws: &mut Worksheet,
    c: &Consolidation,
    registry: &Registry,
    meta: &ReportMeta,
    row: u32,
    widths: &[f64],
) -> Result<u32, XlsxError> {
    let last = widths.len() as u16 - 1;
    let split = last / 2;
    let font = |f: Format| f.set_font_name("Times New Roman").set_font_size(13);
    let bold = font(Format::new().set_bold().set_align(FormatAlign::Center));
    let doc = &meta.document;
    ws.merge_range(row, split + 1, row, last, &doc.signer_on_behalf, &bold)?;
    ws.merge_range(row + 1, split + 1, row + 1, last, &doc.signer_title, &bold)?;
    if !doc.signer_name.is_empty() {
        ws.merge_range(row + 5, split + 1, row + 5, last, &doc.signer_name, &bold)?;
    }
    let recipients = font(Format::new().set_italic().set_bold().set_font_size(12));
    let item = font(Format::new().set_font_size(12));
    ws.write_string_with_format(row, 0, "Nơi nhận:", &recipients)?;
    let committee = registry.district.reporting_body(c.period.last_day()).committee;
    let listed = if doc.recipients.is_empty() {
        vec![format!("Thường trực {committee}"), "Lưu Ban Tổ chức".to_owned()]
    } else {
        doc.recipients.clone()
    };
    for (k, recipient) in listed.iter().enumerate() {
        let end = if k + 1 == listed.len() { "." } else { "," };
        ws.write_string_with_format(row + 1 + k as u32, 0, format!("- {recipient}{end}"), &item)?;
    }
    Ok(row + 7.max(2 + listed.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(vn_int(0), "0");
        assert_eq!(vn_int(999), "999");
        assert_eq!(vn_int(1234), "1.234");
        assert_eq!(vn_int(250_000), "250.000");
        assert_eq!(vn_int(1_234_567), "1.234.567");
        assert_eq!(vn_percent(55.8), "55,8%");
        assert_eq!(vn_percent(100.0), "100,0%");
        assert_eq!(vn_percent(0.04), "0,0%");
        assert_eq!(vn_percent(-2.5), "-2,5%");
    }
}
