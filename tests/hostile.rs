//! What a careless or hostile folder can hold costs at most that file or that run: never
//! the month, never another unit's status, never a file tonghop did not write.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::e2e::copy_fixture_month;

fn tonghop() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tonghop"))
}

/// Writes a one-sheet return: a title, then `rows` (the first is the header).
fn write_return(path: &Path, title: &str, rows: &[&[&str]]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, title).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32 + 2, c as u16, *text).unwrap();
        }
    }
    wb.save(path).unwrap();
}

struct Month {
    out: Output,
    summary: Value,
}

fn run(month: &Path, dir: &Path, extra: &[&str]) -> Month {
    let summary = dir.join("summary.json");
    let out = tonghop()
        .arg("run")
        .arg(month)
        .arg("--out")
        .arg(dir.join("BaoCao.xlsx"))
        .arg("--summary-json")
        .arg(&summary)
        .args(["--report-date", "2024-03-05"])
        .args(extra)
        .output()
        .unwrap();
    let Ok(summary) = std::fs::read_to_string(&summary) else {
        panic!("no summary; stderr: {}", String::from_utf8_lossy(&out.stderr))
    };
    let summary = serde_json::from_str(&summary).unwrap();
    Month { out, summary }
}

fn unit<'a>(summary: &'a Value, code: &str) -> &'a Value {
    summary["units"].as_array().unwrap().iter().find(|u| u["code"] == code).unwrap()
}

fn code_of(summary: &Value, name: &str) -> String {
    let units = summary["units"].as_array().unwrap();
    let found = units.iter().find(|u| u["name"] == name).unwrap_or_else(|| panic!("{name}"));
    found["code"].as_str().unwrap().to_owned()
}

#[test]
fn a_units_status_comes_from_its_own_return_only() {
    let dir = tempfile::tempdir().unwrap();
    let month = copy_fixture_month(dir.path());
    // Cai Kinh sends nothing; Đồng Tân's return is unreadable; Sơn Hà's return has a unit
    // column naming both of them on two rows; Hòa Lạc sends the template with no row.
    std::fs::remove_dir_all(month.join("Cai Kinh")).unwrap();
    std::fs::write(month.join("Dong Tan/Danh sach.xlsx"), b"").unwrap();
    write_return(
        &month.join("Son Ha/Bo sung.xlsx"),
        "ĐẢNG BỘ XÃ SƠN HÀ",
        &[
            &["STT", "Họ và tên", "Ngày sinh", "Đơn vị"],
            &["1", "Lý Văn Khánh", "02/03/1979", "Xã Cai Kinh"],
            &["2", "Hà Thị Nhung", "1983", "Xã Đồng Tân"],
        ],
    );
    std::fs::remove_file(month.join("BC thang 02 - Hoa Lac.xlsx")).unwrap();
    write_return(
        &month.join("BC thang 02 - Hoa Lac.xlsx"),
        "ĐẢNG BỘ XÃ HÒA LẠC",
        &[&["STT", "Họ và tên", "Ngày sinh", "Chức vụ"]],
    );
    let m = run(&month, dir.path(), &[]);
    let s = &m.summary;
    let (cai_kinh, dong_tan, hoa_lac, son_ha) =
        (code_of(s, "Xã Cai Kinh"), code_of(s, "Xã Đồng Tân"), code_of(s, "Xã Hòa Lạc"), code_of(s, "Xã Sơn Hà"));
    assert_eq!(unit(s, &cai_kinh)["status"], "missing", "{}", unit(s, &cai_kinh));
    assert_eq!(unit(s, &dong_tan)["status"], "invalid", "{}", unit(s, &dong_tan));
    assert_eq!(unit(s, &hoa_lac)["status"], "no_rows", "{}", unit(s, &hoa_lac));
    assert_eq!(unit(s, &son_ha)["status"], "received");
    // The two rows are reported on the units they name, and as data issues.
    for code in [&cai_kinh, &dong_tan] {
        let warnings = unit(s, code)["warnings"].to_string();
        assert!(warnings.contains("Son Ha/Bo sung.xlsx"), "{warnings}");
    }
    let missing: Vec<&str> = s["missing_units"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(missing.contains(&cai_kinh.as_str()), "{missing:?}");
    assert_eq!(s["indicators"]["units_no_rows"]["value"], 1);
    assert_eq!(m.out.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&m.out.stdout);
    assert!(stdout.contains("Xã Hòa Lạc"), "{stdout}");
    assert!(!stdout.contains("49/49"), "{stdout}");
}
