//! What a careless or hostile folder can hold costs at most that file or that run: never
//! the month, never another unit's status, never a file tonghop did not write.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::e2e::copy_fixture_month;
use crate::language::Said as _;

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
        .said();
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
        let warnings = unit(s, code)["notes"].to_string();
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

/// Every file below `dir` with its bytes, to show that nothing was changed.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn tonghop_replaces_or_removes_only_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let month = copy_fixture_month(dir.path());
    let returns = dir.path().join("returns");
    let before = contents(&returns);
    let out = dir.path().join("out/BaoCao.xlsx");
    let usage = |extra: &[&std::ffi::OsStr]| {
        let o = tonghop().arg("run").arg(&month).args(["--quiet", "--period", "2024-02"]).args(extra).said();
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    // The returns folder, or the folder of periods above it, given as the history.
    for history in [&month, &returns] {
        let (code, stderr) = usage(&["--out".as_ref(), out.as_os_str(), "--history".as_ref(), history.as_os_str()]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("không phải thư mục lưu trữ của tonghop"), "{stderr}");
    }
    assert!(contents(&returns) == before, "the returns are untouched");
    assert!(!out.exists());
    // An existing file tonghop did not write, at --out or --summary-json.
    let letter = dir.path().join("Cong van.xlsx");
    std::fs::copy(month.join("Son Ha/Danh sach trich ngang.xlsx"), &letter).unwrap();
    let notes = dir.path().join("ghi chu.json");
    std::fs::write(&notes, b"{\"mine\": true}").unwrap();
    let (code, stderr) = usage(&["--out".as_ref(), letter.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("không do tonghop lập"), "{stderr}");
    let (code, stderr) = usage(&["--out".as_ref(), out.as_os_str(), "--summary-json".as_ref(), notes.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(std::fs::read(&notes).unwrap(), b"{\"mine\": true}");
    assert_eq!(
        std::fs::read(&letter).unwrap(),
        std::fs::read(month.join("Son Ha/Danh sach trich ngang.xlsx")).unwrap()
    );
    // The report and the summary on one path (however spelled), or inside the history.
    let both = dir.path().join("out/Moi.xlsx");
    let spelled = dir.path().join("out/../out/Moi.xlsx");
    let (code, stderr) = usage(&["--out".as_ref(), both.as_os_str(), "--summary-json".as_ref(), spelled.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(!both.exists());
    let history = dir.path().join("lich su");
    let inside = history.join("BaoCao.xlsx");
    let (code, stderr) = usage(&["--out".as_ref(), inside.as_os_str(), "--history".as_ref(), history.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(!history.exists());
    // A device as the target is refused, not replaced by the rename.
    let (code, stderr) = usage(&["--out".as_ref(), "/dev/null".as_ref()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("không phải tệp thường"), "{stderr}");
    // Its own report, summary and history it replaces, run after run.
    let history = dir.path().join("history");
    let summary = dir.path().join("out/summary.json");
    for _ in 0..2 {
        let args: [&std::ffi::OsStr; 6] = [
            "--out".as_ref(),
            out.as_os_str(),
            "--summary-json".as_ref(),
            summary.as_os_str(),
            "--history".as_ref(),
            history.as_os_str(),
        ];
        let (code, stderr) = usage(&args);
        assert_eq!(code, Some(3), "{stderr}");
    }
    assert!(history.join(".tonghop-history").is_file());
    assert!(history.join("period=2024-02/roster.parquet").is_file());
    // A file put among the snapshots: the history is no longer replaced.
    std::fs::write(history.join("period=2024-02/bao cao cua toi.docx"), b"x").unwrap();
    let (code, stderr) = usage(&["--out".as_ref(), out.as_os_str(), "--history".as_ref(), history.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(history.join("period=2024-02/bao cao cua toi.docx").is_file());
}

#[cfg(unix)]
#[test]
fn a_second_run_on_the_same_outputs_does_not_start_and_a_linked_lock_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("BaoCao.xlsx");
    let held = std::fs::OpenOptions::new().create(true).append(true).open(dir.path().join(".tonghop.lock")).unwrap();
    held.lock().unwrap();
    let o = tonghop().arg("run").arg(crate::e2e::fixture_month()).arg("--out").arg(&out).arg("--quiet").said();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("một lần chạy tonghop khác"), "{stderr}");
    assert!(!out.exists());
    drop(held);
    // A lock file that is a link to another file: refused, its target untouched.
    let other = tempfile::tempdir().unwrap();
    let target = other.path().join("quan trong.txt");
    std::fs::write(&target, b"du lieu").unwrap();
    std::fs::remove_file(dir.path().join(".tonghop.lock")).unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join(".tonghop.lock")).unwrap();
    let o = tonghop().arg("run").arg(crate::e2e::fixture_month()).arg("--out").arg(&out).arg("--quiet").said();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&target).unwrap(), b"du lieu");
}

#[test]
fn a_damaged_snapshot_or_register_costs_its_part_of_the_report_not_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history");
    std::fs::create_dir_all(history.join("period=2024-01")).unwrap();
    std::fs::write(history.join(".tonghop-history"), b"").unwrap();
    for name in ["roster.parquet", "indicators.parquet"] {
        std::fs::write(history.join("period=2024-01").join(name), b"PAR1 not really").unwrap();
    }
    let register = dir.path().join("So theo doi lop.xlsx");
    std::fs::write(&register, b"").unwrap();
    let out = dir.path().join("BaoCao.xlsx");
    let summary = dir.path().join("summary.json");
    let o = tonghop()
        .arg("run")
        .arg(crate::e2e::fixture_month())
        .arg("--out")
        .arg(&out)
        .arg("--summary-json")
        .arg(&summary)
        .arg("--history")
        .arg(&history)
        .arg("--training")
        .arg(&register)
        .said();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.is_file());
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    let notices = s["notices"].to_string();
    assert!(notices.contains("2024-01") && notices.contains("sổ theo dõi"), "{notices}");
    assert!(stdout.contains("lưu ý: không đọc được số liệu kỳ 2024-01"), "{stdout}");
    // Said on the summary sheet.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "Tổng hợp").unwrap();
    let said = sheet.rows().flatten().any(|c| c.to_string().starts_with("Lưu ý: không đọc được số liệu kỳ 2024-01"));
    assert!(said);
    // The training figures say the register could not be read, not that none was given.
    let why = sheet.rows().find(|r| r.iter().any(|c| *c == "refresher_learners")).unwrap()[8].to_string();
    assert_eq!(why, "Không đọc được sổ theo dõi các lớp (xem Lưu ý)");
    // The damaged files are kept as they were; this month's snapshot is stored.
    assert_eq!(std::fs::read(history.join("period=2024-01/roster.parquet")).unwrap(), b"PAR1 not really");
    assert!(history.join("period=2024-02/roster.parquet").is_file());
}

/// An OpenDocument spreadsheet (stored, not deflated) whose one row is declared repeated a
/// million times, a value wide as the grid.
fn ods_bomb() -> Vec<u8> {
    use std::io::Write as _;
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="DS"><table:table-row><table:table-cell office:value-type="string"><text:p>Họ và tên</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell office:value-type="string" table:number-columns-repeated="1000000000"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    out.start_file("content.xml", stored).unwrap();
    out.write_all(content.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

#[cfg(unix)]
#[test]
fn a_folder_of_bad_files_costs_those_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let month = copy_fixture_month(dir.path());
    let clean = run(&month, dir.path(), &[]);
    let received = |s: &Value| s["indicators"]["units_received"]["value"].as_u64().unwrap();
    // Beside each unit's good return: a 3 KB .ods declaring a grid of gigabytes, a link to
    // nowhere, an Office lock file gone while the folder is listed, a text saved as .xlsx.
    std::fs::write(month.join("Son Ha/bom.ods"), ods_bomb()).unwrap();
    std::os::unix::fs::symlink(dir.path().join("khong co.xlsx"), month.join("Cai Kinh/lien ket.xlsx")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("da dong.xlsx"), month.join("Cai Kinh/~$Danh sach.xlsx")).unwrap();
    std::fs::write(month.join("Huu Lien/ghi chu.xlsx"), "Họ và tên;Ngày sinh\nA;1970\n").unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let m = run(&month, dir2.path(), &[]);
    let s = &m.summary;
    assert_eq!(m.out.status.code(), Some(3));
    // The same units received, the same people counted.
    assert_eq!(received(s), received(&clean.summary));
    assert_eq!(s["totals"]["people"], clean.summary["totals"]["people"]);
    let files = s["files"].as_array().unwrap();
    let status = |path: &str| {
        let f = files.iter().find(|f| f["path"] == path).unwrap_or_else(|| panic!("{path} not listed"));
        (f["status"].as_str().unwrap().to_owned(), f["error"].as_str().unwrap_or_default().to_owned())
    };
    let (bomb, why) = status("Son Ha/bom.ods");
    assert_eq!(bomb, "unreadable");
    assert!(why.contains("vượt giới hạn"), "{why}");
    let (link, why) = status("Cai Kinh/lien ket.xlsx");
    assert_eq!(link, "unreadable");
    assert!(why.contains("liên kết"), "{why}");
    assert!(!files.iter().any(|f| f["path"] == "Cai Kinh/~$Danh sach.xlsx"), "a lock file gone is nothing lost");
    assert_eq!(status("Huu Lien/ghi chu.xlsx").0, "unreadable");
}

#[test]
fn a_cell_past_excels_grid_does_not_cost_the_roster() {
    let file = crate::e2e::root().join("fixtures/hostile/attack-xlsb-cell-at-column-4294967295.xlsb");
    let out = tonghop().args(["check", "--period", "2024-02"]).arg(&file).said();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("đọc 12, nhận 12, loại 0"), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn a_file_whose_title_and_folder_name_two_units_is_said_on_both() {
    let dir = tempfile::tempdir().unwrap();
    let month = copy_fixture_month(dir.path());
    // Hòa Thắng (which sent nothing) saves its return made from Sơn Hà's template, title
    // and all, in a folder of its own name.
    std::fs::create_dir_all(month.join("Hoa Thang")).unwrap();
    std::fs::copy(month.join("Son Ha/Danh sach trich ngang.xlsx"), month.join("Hoa Thang/BC thang 02.xlsx")).unwrap();
    let m = run(&month, dir.path(), &[]);
    let s = &m.summary;
    let (son_ha, hoa_thang) = (code_of(s, "Xã Sơn Hà"), code_of(s, "Xã Hòa Thắng"));
    let warned = |code: &str| unit(s, code)["notes"].to_string();
    assert!(warned(&son_ha).contains("Hoa Thang/BC thang 02.xlsx"), "{}", warned(&son_ha));
    assert!(warned(&hoa_thang).contains("Hoa Thang/BC thang 02.xlsx"), "{}", warned(&hoa_thang));
    assert_eq!(m.out.status.code(), Some(3));
}

#[test]
fn a_list_of_several_units_in_a_communes_folder_is_a_list_not_that_communes_return() {
    let dir = tempfile::tempdir().unwrap();
    let month = copy_fixture_month(dir.path());
    // Cai Kinh's folder holds, without a unit in its title, a list of Hòa Thắng's people
    // (saved there by mistake), and Cai Kinh's own return is gone: Hòa Thắng is received
    // through the list; Cai Kinh is not.
    std::fs::remove_file(month.join("Cai Kinh/Danh sach trich ngang.xlsx")).unwrap();
    write_return(
        &month.join("Cai Kinh/tong hop.xlsx"),
        "DANH SÁCH CÁN BỘ",
        &[
            &["STT", "Họ và tên", "Ngày sinh", "Đơn vị"],
            &["1", "Lý Văn Khánh", "02/03/1979", "Xã Hòa Thắng"],
            &["2", "Hà Thị Nhung", "1983", "Xã Hòa Thắng"],
            &["3", "Vi Văn Tám", "1975", "Xã Hòa Thắng"],
        ],
    );
    let m = run(&month, dir.path(), &[]);
    let s = &m.summary;
    assert_eq!(unit(s, &code_of(s, "Xã Hòa Thắng"))["status"], "received");
    assert_eq!(unit(s, &code_of(s, "Xã Cai Kinh"))["status"], "missing");
}

/// A month of one return holding a typo pair (a review pair) and a person listed twice, the
/// second time with an ID (merged).
fn month_for_decisions(dir: &Path) -> std::path::PathBuf {
    let month = dir.join("returns/2024-02");
    write_return(
        &month.join("Son Ha/bc.xlsx"),
        "ĐẢNG BỘ XÃ SƠN HÀ",
        &[
            &["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Giới tính", "Số CCCD"],
            &["1", "Hoàng Văn Khải", "09/10/1981", "Tày", "Nam", ""],
            &["2", "Hoàng Văn Khảm", "09/10/1981", "Tày", "Nam", ""],
            &["3", "Lục Thị Mai", "01/02/1980", "Tày", "Nữ", ""],
            &["4", "Lục Thị Mai", "01/02/1980", "", "Nữ", "020180000123"],
        ],
    );
    month
}

fn totals(m: &Month) -> (u64, u64, u64) {
    let t = &m.summary["totals"];
    (t["people"].as_u64().unwrap(), t["duplicates_merged"].as_u64().unwrap(), t["review_pairs"].as_u64().unwrap())
}

#[test]
fn the_clerks_decisions_are_applied_carried_over_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let month = month_for_decisions(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // Without decisions: Khải and Khảm are a review pair, the two Mai rows one person.
    assert_eq!(totals(&run(&month, &out, &[])), (3, 1, 1));
    // Khải and Khảm are one person; the Mai with the ID is another than the one without.
    let history = dir.path().join("history");
    std::fs::create_dir_all(&history).unwrap();
    let decisions = r#"
[[decision]]
same = true
a = { name = "Hoàng Văn Khải", birth = "09/10/1981", unit = "06454" }
b = { name = "Hoàng Văn Khảm", birth = "09/10/1981", unit = "06454" }

[[decision]]
same = false
a = { name = "Lục Thị Mai", birth = "01/02/1980", unit = "06454" }
b = { name = "Lục Thị Mai", id = "020180000123" }
"#;
    std::fs::write(history.join("decisions.toml"), decisions).unwrap();
    // Read from the history folder by default, month after month.
    let h = history.as_os_str().to_str().unwrap();
    let m = run(&month, &out, &["--history", h]);
    assert_eq!(totals(&m), (3, 1, 0), "{}", String::from_utf8_lossy(&m.out.stderr));
    let issues = |m: &Month| m.summary["totals"]["issues"].as_u64().unwrap();
    let applied = issues(&m);
    // A decision about someone this month does not have: said, not dropped, not applied.
    let stale = format!(
        "{decisions}\n[[decision]]\nsame = true\na = {{ name = \"Vi Văn Bảo\", birth = \"1970\", unit = \"06454\" }}\nb = {{ name = \"Hoàng Văn Khải\", birth = \"09/10/1981\", unit = \"06454\" }}\n"
    );
    let file = dir.path().join("quyet dinh.toml");
    std::fs::write(&file, &stale).unwrap();
    let m = run(&month, &out, &["--decisions", file.to_str().unwrap()]);
    assert_eq!(totals(&m), (3, 1, 0));
    assert_eq!(issues(&m), applied + 1, "the stale decision is one data issue");
    // Contradicting a rule, or malformed: refused before any work, the file left as it is.
    for bad in [
        "[[decision]]\nsame = true\na = { name = \"A\", id = \"020180000123\" }\nb = { name = \"B\", id = \"020180000999\" }\n",
        "[[decision]]\nsame = maybe\n",
    ] {
        std::fs::write(&file, bad).unwrap();
        let o = tonghop()
            .arg("run")
            .arg(&month)
            .arg("--out")
            .arg(out.join("r.xlsx"))
            .args(["--decisions", file.to_str().unwrap(), "--period", "2024-02"])
            .said();
        assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), bad);
    }
}

/// Every text cell of a sheet of a workbook.
fn sheet_texts(path: &Path, name: &str) -> Vec<String> {
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range.rows().flat_map(|r| r.iter().map(ToString::to_string)).collect()
}

/// Copies a report as a clerk's spreadsheet would save it (a clerk's save keeps the author),
/// with `verdict` in the Quyết định cell of the Trùng lặp row `pick` chooses (given the
/// sheet's rows and the column of "Dòng được giữ").
fn copy_marking(
    report: &Path,
    to: &Path,
    verdict: &str,
    pick: impl Fn(&[Vec<String>], Option<usize>) -> Option<usize>,
) {
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(report).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_author("tonghop"));
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let ws = wb.add_worksheet().set_name(&name).unwrap();
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect();
        let column = |label: &str| rows.first().and_then(|h| h.iter().position(|c| c == label));
        let (decision, target) = if name == "Trùng lặp" {
            (column("Quyết định"), pick(&rows, column("Dòng được giữ")))
        } else {
            (None, None)
        };
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                let text = if Some(c) == decision && Some(r) == target { verdict } else { text };
                ws.write_string(r as u32, c as u16, text).unwrap();
            }
        }
    }
    wb.save(to).unwrap();
}

/// A report with `verdict` on the first review row.
fn mark_report(report: &Path, verdict: &str, to: &Path) {
    copy_marking(report, to, verdict, |rows, _| rows.iter().position(|r| r.get(1).is_some_and(|c| c == "cần xem xét")));
}

/// A report with `verdict` on the first merged row that is not its group's kept row.
fn mark_merged_row(report: &Path, verdict: &str, to: &Path) {
    copy_marking(report, to, verdict, |rows, kept| {
        rows.iter().position(|r| {
            r.get(1).is_some_and(|c| c == "đã gộp") && kept.is_some_and(|k| r.get(k).is_none_or(String::is_empty))
        })
    });
}

#[test]
fn a_pair_decided_in_the_reports_drop_down_is_read_back_kept_in_the_history_and_never_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let month = month_for_decisions(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let history = dir.path().join("history");
    let h = history.to_str().unwrap();
    let february = run(&month, &out, &["--history", h]);
    assert_eq!(totals(&february), (3, 1, 1));
    // The report offers the decision beside the pair's keys: a drop-down of the two labels.
    let sheet_xml = {
        use std::io::Read as _;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(out.join("BaoCao.xlsx")).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet7.xml").unwrap().read_to_string(&mut xml).unwrap();
        xml
    };
    assert!(sheet_xml.contains(r#"<formula1>"cùng một người,khác người"</formula1>"#), "{sheet_xml}");
    let report = dir.path().join("BaoCao thang 2.xlsx");
    std::fs::copy(out.join("BaoCao.xlsx"), &report).unwrap();
    let marked = dir.path().join("BaoCao da danh dau.xlsx");
    mark_report(&report, "khác người", &marked);
    // March reads the marked report: the pair is two people, not asked again, and the
    // decision is kept in the history (tonghop's file of marks; the clerk's own
    // decisions.toml is never written).
    let marked_arg = marked.to_str().unwrap();
    let march = run(&month, &out, &["--history", h, "--period", "2024-03", "--decisions", marked_arg]);
    assert_eq!(totals(&march), (3, 1, 0), "{}", String::from_utf8_lossy(&march.out.stderr));
    assert!(!history.join("decisions.toml").exists());
    let kept_file = history.join("decisions-marked.toml");
    let kept = std::fs::read_to_string(&kept_file).unwrap();
    let decisions = tonghop_model::decisions::parse(&kept, "kept").unwrap();
    assert_eq!(decisions.len(), 1, "{kept}");
    assert!(!decisions[0].same);
    let mut names = [decisions[0].a.name.as_str(), decisions[0].b.name.as_str()];
    names.sort_unstable();
    assert_eq!(names, ["Hoàng Văn Khải", "Hoàng Văn Khảm"]);
    assert_eq!((decisions[0].a.birth.as_str(), decisions[0].a.unit.as_str()), ("09/10/1981", "06454"));
    // Given again, the report adds nothing; without it, April still knows.
    let again = run(&month, &out, &["--history", h, "--period", "2024-03", "--decisions", marked_arg]);
    assert_eq!(totals(&again), (3, 1, 0));
    assert_eq!(std::fs::read_to_string(&kept_file).unwrap(), kept);
    let april = run(&month, &out, &["--history", h, "--period", "2024-04"]);
    assert_eq!(totals(&april), (3, 1, 0));
    // The clerk changes their mind in a later report: it replaces the kept mark, says so in
    // Lỗi dữ liệu, and is kept instead.
    mark_report(&report, "cùng một người", &marked);
    let may = run(&month, &out, &["--history", h, "--period", "2024-05", "--decisions", marked_arg]);
    assert_eq!(totals(&may), (2, 2, 0), "{}", String::from_utf8_lossy(&may.out.stderr));
    let issues = sheet_texts(&out.join("BaoCao.xlsx"), "Lỗi dữ liệu");
    assert!(issues.iter().any(|t| t.contains("thay cho")), "{issues:?}");
    let kept = std::fs::read_to_string(&kept_file).unwrap();
    assert!(tonghop_model::decisions::parse(&kept, "kept").unwrap()[0].same, "{kept}");
    // The clerk's own decisions.toml outranks every mark.
    std::fs::write(
        history.join("decisions.toml"),
        "# sửa tay\n[[decision]]\nsame = false\na = { name = \"Hoàng Văn Khải\", birth = \"09/10/1981\", unit = \"06454\" }\nb = { name = \"Hoàng Văn Khảm\", birth = \"09/10/1981\", unit = \"06454\" }\n",
    )
    .unwrap();
    let june = run(&month, &out, &["--history", h, "--period", "2024-06", "--decisions", marked_arg]);
    assert_eq!(totals(&june), (3, 1, 0));
    // A rerun of a month keeps what the clerk marked in the report it replaces.
    std::fs::remove_file(history.join("decisions.toml")).unwrap();
    std::fs::remove_file(&kept_file).unwrap();
    let july = run(&month, &out, &["--history", h, "--period", "2024-07"]);
    assert_eq!(totals(&july), (3, 1, 1));
    mark_report(&out.join("BaoCao.xlsx"), "khác người", &marked);
    std::fs::copy(&marked, out.join("BaoCao.xlsx")).unwrap();
    let rerun = run(&month, &out, &["--history", h, "--period", "2024-07"]);
    assert_eq!(totals(&rerun), (3, 1, 0), "{}", String::from_utf8_lossy(&rerun.out.stderr));
    assert!(kept_file.exists());
    // The report being replaced was not asked for: a mark in it that cannot be read is
    // said, and the month goes on.
    mark_report(&report, "có", &marked);
    std::fs::copy(&marked, out.join("BaoCao.xlsx")).unwrap();
    let rerun = run(&month, &out, &["--history", h, "--period", "2024-07"]);
    assert_eq!(rerun.out.status.code(), Some(3), "{}", String::from_utf8_lossy(&rerun.out.stderr));
    let issues = sheet_texts(&out.join("BaoCao.xlsx"), "Lỗi dữ liệu");
    assert!(issues.iter().any(|t| t.contains("báo cáo sắp được thay")), "{issues:?}");
    // Refused before any work, nothing written: a verdict that is not one of the two, a
    // spreadsheet tonghop did not write.
    let returned = |marked: &Path| {
        let o = tonghop()
            .arg("run")
            .arg(&month)
            .args(["--out", out.join("r.xlsx").to_str().unwrap(), "--period", "2024-08", "--history", h])
            .arg("--decisions")
            .arg(marked)
            .said();
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let kept = std::fs::read_to_string(&kept_file).unwrap();
    mark_report(&report, "có", &marked);
    let (code, stderr) = returned(&marked);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("ô C") && stderr.contains("\"có\""), "{stderr}");
    let (code, stderr) = returned(&month.join("Son Ha/bc.xlsx"));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("không phải báo cáo do tonghop lập"), "{stderr}");
    assert!(!out.join("r.xlsx").exists());
    assert!(!history.join("period=2024-08").exists());
    assert_eq!(std::fs::read_to_string(&kept_file).unwrap(), kept);
}

#[test]
fn a_wrong_merge_is_taken_apart_by_marking_the_row_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let month = month_for_decisions(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // The two Lục Thị Mai rows (one with an ID) are one person.
    assert_eq!(totals(&run(&month, &out, &[])), (3, 1, 1));
    let marked = dir.path().join("marked.xlsx");
    mark_merged_row(&out.join("BaoCao.xlsx"), "khác người", &marked);
    let split = run(&month, &out, &["--decisions", marked.to_str().unwrap()]);
    assert_eq!(totals(&split), (4, 0, 1), "{}", String::from_utf8_lossy(&split.out.stderr));
}
