//! The report workbook sheet by sheet: the training register's figures against its truth,
//! the official forms' wording against `forms.md`, and history over two generated months.

use std::path::Path;
use std::process::Command;

use calamine::{Data, DataType as _};
use serde_json::Value;
use tonghop_fixtures::training::TrainingTruth;

use crate::e2e::{find_row, root, run_month, sheet};
use crate::golden::{attribute, part, part_if_any};
use crate::language::Said as _;

fn training_truth() -> TrainingTruth {
    let text = std::fs::read_to_string(root().join("fixtures/truth/training-2024-02.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn register() -> String {
    root().join("fixtures/training/2024-02.xlsx").display().to_string()
}

fn labels(range: &calamine::Range<Data>, col: usize) -> Vec<String> {
    range.rows().filter_map(|r| r.get(col)).map(ToString::to_string).collect()
}

#[test]
fn training_register_figures_match_its_truth() {
    let truth = training_truth();
    let run = run_month(&["--training", &register()]);
    let value = |key: &str| run.summary["indicators"][key]["value"].as_u64();
    assert_eq!(value("tc_llct_classes"), Some(truth.tc_llct_classes));
    assert_eq!(value("tc_llct_learners"), Some(truth.tc_llct_learners));
    assert_eq!(value("refresher_classes"), Some(truth.refresher_classes));
    assert_eq!(value("refresher_learners"), Some(truth.refresher_learners));

    let summary = sheet(&run.report, "Tổng hợp");
    let row = find_row(&summary, 9, "tc_llct_classes").expect("a summary row for the TC classes");
    assert_eq!(row[1].to_string(), "Số lớp trung cấp LLCT (từ năm 2017)");
    assert_eq!(row[2].as_f64(), Some(truth.tc_llct_classes as f64));

    // Learners who are people of the roster are linked; the others are listed.
    let issues = sheet(&run.report, "Lỗi dữ liệu");
    let unlinked = issues.rows().filter(|r| r.iter().any(|c| c.to_string().contains("Học viên không khớp"))).count();
    assert_eq!(unlinked, truth.learners_not_on_roster);

    // Biểu 10 counts the year to date: the classes opened in January.
    let form = sheet(&run.report, "Biểu 10");
    let tc = find_row(&form, 1, "- Trung cấp LLCT").expect("Trung cấp LLCT row");
    assert_eq!(tc[2].as_f64(), Some(truth.year_tc_llct_learners as f64), "learners, column 3");
    assert_eq!(tc[8].as_f64(), Some(truth.year_tc_llct_classes as f64), "classes, column 9");
    assert_eq!(tc[10].as_f64(), Some(truth.year_tc_llct_classes as f64), "opened by the district, column 11");
    assert_eq!(tc[9], Data::Empty, "the register cannot tell classes opened by the province");

    // The register is listed among the inputs with its checksum, by its name: the report
    // carries no folders of the machine that made it (the test gave an absolute path).
    let info = sheet(&run.report, "Thông tin");
    let row = info.rows().find(|r| r[0].to_string().starts_with("Sổ theo dõi")).expect("register listed");
    assert_eq!(row[1].to_string(), "2024-02.xlsx");
    assert_eq!(row[3].to_string().len(), 64);
    let root = crate::e2e::root().display().to_string();
    for name in ["Thông tin", "Tiếp nhận", "Lỗi dữ liệu", "Tổng hợp"] {
        let cells = sheet(&run.report, name);
        assert!(!cells.rows().flatten().any(|c| c.to_string().contains(&root)), "{name} shows {root}");
    }
}

#[test]
fn without_a_register_the_training_figures_say_why_they_are_empty() {
    let run = run_month(&[]);
    assert_eq!(run.summary["indicators"]["tc_llct_classes"]["value"], Value::Null);
    let summary = sheet(&run.report, "Tổng hợp");
    let row = find_row(&summary, 9, "refresher_learners").unwrap();
    assert_eq!(row[2], Data::Empty);
    assert!(row[8].to_string().contains("--training"));
    // The Board's text says it once, in its words; the option is the clerk's, in the notes.
    let text: Vec<String> = summary.rows().map(|r| r[0].to_string()).filter(|t| !t.is_empty()).collect();
    let training = text.iter().position(|t| t == "III. ĐÀO TẠO, BỒI DƯỠNG").unwrap();
    assert_eq!(
        text[training + 1],
        "Chưa có sổ theo dõi các lớp đào tạo, bồi dưỡng nên chưa tổng hợp được số lớp và số học viên."
    );
    assert!(text.iter().all(|t| !t.contains("--")), "{text:?}");
    let form = sheet(&run.report, "Biểu 10");
    let tc = find_row(&form, 1, "- Trung cấp LLCT").unwrap();
    assert!(tc[2..].iter().all(|c| *c == Data::Empty), "no register: nothing filled, no zeros: {tc:?}");
}

/// Row labels of the forms as `forms.md` writes them. When `../shared/spec/forms.md` is
/// present, each is checked to be there word for word, so that the sheet and the spec agree.
const FORM_10_LABELS: &[&str] = &[
    "Đào tạo chuyên môn, chia ra:",
    "- Đại học",
    "- Thạc sỹ (tương đương)",
    "- Tiến sỹ (tương đương)",
    "+ Đào tạo trong nước",
    "+ Đào tạo ngoài nước",
    "+ Đào tạo liên kết",
    "Đào tạo chính trị, chia ra:",
    "- Trung cấp LLCT",
    "- Cao cấp LLCT",
    "- Cử nhân LLCT",
    "+ Hệ tập trung",
    "+ Hệ không tập trung",
    "Nghiệp vụ xây dựng Đảng",
    "Nghiệp vụ đoàn thể chính trị",
    "Quản lý nhà nước",
    "Quản lý kinh tế",
    "Ngoại ngữ",
    "Tin học",
    "Cập nhật kiến thức mới",
];

const FORM_12C_LABELS: &[&str] = &[
    "TỔNG SỐ",
    "- Nữ",
    "- Dân tộc thiểu số",
    "Từ 40 tuổi trở xuống",
    "- Từ trên 40 tuổi đến 50 tuổi",
    "- Từ trên 50 tuổi",
    "- Đại học",
    "- Trên đại học",
    "- Giáo sư",
    "- Cao cấp, cử nhân",
];

fn forms_md() -> Option<String> {
    let path = root().join("../shared/spec/forms.md");
    if let Ok(text) = std::fs::read_to_string(&path) {
        // Lines wrap anywhere in the spec: compare with single spaces.
        Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipped: {} is absent; the form labels are checked against the sheets only", path.display());
        }
        None
    }
}

#[test]
fn official_forms_use_the_wording_of_forms_md() {
    let spec = forms_md();
    let run = run_month(&["--training", &register()]);
    for (sheet_name, code, title, unit, label_col, expected) in [
        ("Biểu 10", "Biểu số 10-BTCTW", "THỐNG KÊ KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ", "Đvt: Người", 1, FORM_10_LABELS),
        (
            "Biểu 12C",
            "Biểu số 12C-BTCTW",
            "THỐNG KÊ KẾT QUẢ QUY HOẠCH CÁN BỘ CẤP XÃ",
            "Đvt: Lượt người",
            0,
            FORM_12C_LABELS,
        ),
    ] {
        let form = sheet(&run.report, sheet_name);
        let cells: Vec<String> = form.rows().flatten().map(ToString::to_string).collect();
        for fixed in [code, title, unit, "NGƯỜI LẬP BIỂU", "TRƯỞNG BAN", "BAN TỔ CHỨC", "HUYỆN ỦY HỮU LŨNG"]
        {
            assert!(cells.iter().any(|c| c == fixed), "{sheet_name}: no cell '{fixed}'");
        }
        let rows = labels(&form, label_col);
        for label in expected {
            assert!(rows.iter().any(|r| r.ends_with(label)), "{sheet_name}: no row '{label}'");
            if let Some(spec) = &spec {
                let words = label.trim_start_matches(['-', '+', ' ']);
                assert!(spec.contains(words), "'{words}' is not the wording of forms.md");
            }
        }
        if let Some(spec) = &spec {
            let title_words = title.to_lowercase();
            assert!(spec.to_lowercase().contains(&title_words[title_words.find("thống kê").unwrap()..]));
        }
    }
    // Biểu 10's column numbers say how the columns add up.
    let form = sheet(&run.report, "Biểu 10");
    let numbers = form.rows().find(|r| r.iter().any(|c| *c == "3=4+6+8")).expect("column numbers");
    let numbers: Vec<String> = numbers.iter().map(ToString::to_string).collect();
    assert_eq!(numbers, ["1", "2", "3=4+6+8", "4", "5", "6", "7", "8", "9=10+11", "10", "11"]);
}

fn run(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tonghop")).args(args).said()
}

fn run_period(returns: &Path, history: &Path, report: &Path) -> std::process::Output {
    run(&[
        "run".as_ref(),
        returns.as_os_str(),
        "--out".as_ref(),
        report.as_os_str(),
        "--history".as_ref(),
        history.as_os_str(),
        "--report-date".as_ref(),
        "2024-04-02".as_ref(),
    ])
}

fn names_with(changes: &calamine::Range<Data>, kind: &str) -> Vec<String> {
    let mut names: Vec<String> = changes.rows().filter(|r| r[1] == kind).map(|r| r[2].to_string()).collect();
    names.sort();
    names
}

#[test]
fn history_over_two_months_lists_joins_departures_and_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("returns/2024-02"), dir.path().join("returns/2024-03"));
    let mut truth = tonghop_fixtures::training::two_months(7, "2024-02".parse().unwrap(), &first, &second).unwrap();
    let history = dir.path().join("history");
    let (r1, r2) = (dir.path().join("r1.xlsx"), dir.path().join("r2.xlsx"));

    let out = run_period(&first, &history, &r1);
    assert!(r1.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(history.join("period=2024-02/roster.parquet").exists());
    assert!(history.join("period=2024-02/indicators.parquet").exists());
    // No previous period yet: the sheet says so, the summary has no previous values.
    let changes = sheet(&r1, "Biến động");
    assert!(changes.rows().any(|r| r.iter().any(|c| c.to_string().contains("Chưa có số liệu kỳ trước"))));

    let out = run_period(&second, &history, &r2);
    assert!(r2.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let changes = sheet(&r2, "Biến động");
    for list in [&mut truth.joined, &mut truth.left, &mut truth.positions_changed, &mut truth.qualification_changed] {
        list.sort();
    }
    assert_eq!(names_with(&changes, "Mới có tên"), truth.joined);
    assert_eq!(names_with(&changes, "Không còn tên"), truth.left);
    assert_eq!(names_with(&changes, "Thay đổi chức vụ"), truth.positions_changed);
    assert_eq!(names_with(&changes, "Thay đổi trình độ"), truth.qualification_changed);
    assert_eq!(changes.height() - 1, truth.joined.len() + truth.left.len() + 4, "nothing else is listed");

    // The summary shows the previous period and the change.
    let summary = sheet(&r2, "Tổng hợp");
    let header = summary.rows().find(|r| r[0] == "STT").unwrap();
    assert_eq!(header[6].to_string(), "Kỳ trước (02/2024)");
    let expected_row = find_row(&summary, 9, "units_expected").unwrap();
    let received = find_row(&summary, 9, "units_received").unwrap();
    assert_eq!(received[6].as_f64(), Some(3.0), "three units reported in February");
    assert_eq!(received[7].as_f64(), Some(0.0));
    // The registry expects the same 49 units both months: no change.
    assert_eq!(
        (expected_row[2].as_f64(), expected_row[6].as_f64(), expected_row[7].as_f64()),
        (Some(49.0), Some(49.0), Some(0.0))
    );

    // A rerun of March replaces March only; February is untouched and nothing is left over.
    let february = std::fs::read(history.join("period=2024-02/roster.parquet")).unwrap();
    let march_before = std::fs::metadata(history.join("period=2024-03/roster.parquet")).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = run_period(&second, &history, &r2);
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 3), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(history.join("period=2024-02/roster.parquet")).unwrap(), february);
    let march_after = std::fs::metadata(history.join("period=2024-03/roster.parquet")).unwrap().modified().unwrap();
    assert!(march_after > march_before, "the March snapshot was rewritten");
    let mut entries: Vec<String> =
        std::fs::read_dir(&history).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    entries.sort();
    assert_eq!(entries, [".tonghop-history", ".tonghop-key", ".tonghop.lock", "period=2024-02", "period=2024-03"]);
}

#[test]
fn duplicates_sheet_lists_every_merged_row_with_its_reason() {
    let truth = crate::e2e::truth();
    let run = run_month(&[]);
    let sheet = sheet(&run.report, "Trùng lặp");
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(
        header[..9],
        ["Nhóm", "Kết luận", "Quyết định", "Họ và tên", "Ngày sinh", "Mã đơn vị", "Số định danh", "Lý do", "Điểm"]
    );
    let merged: Vec<&[Data]> = sheet.rows().filter(|r| r[1] == "đã gộp").collect();
    // Every merged group lists all its rows: the rows beyond the first of each group are
    // the duplicates the generator planted.
    let groups: std::collections::BTreeSet<String> = merged.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(merged.len() - groups.len(), truth.duplicate_rows);
    assert_eq!(run.summary["totals"]["duplicates_merged"].as_u64(), Some(truth.duplicate_rows as u64));
    assert!(merged.iter().all(|r| !r[7].to_string().is_empty()), "every merge has a reason");
    for r in &merged {
        let person = r[3].to_string();
        assert!(truth.people.iter().any(|p| p.name == person && p.rows > 1), "{person} was not planted twice");
    }
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_report_and_snapshot_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (history, report) = (dir.path().join("history"), dir.path().join("reports/BaoCao.xlsx"));
    let month = crate::e2e::fixture_month();
    let args = |date: &str, out: &Path| -> Vec<std::ffi::OsString> {
        vec![
            "run".into(),
            month.clone().into(),
            "--out".into(),
            out.into(),
            "--history".into(),
            history.clone().into(),
            "--report-date".into(),
            date.into(),
            "--quiet".into(),
        ]
    };
    let bin = env!("CARGO_BIN_EXE_tonghop");
    // Last month's good report and snapshot; and what a complete new run would write.
    assert!(Command::new(bin).args(args("2024-03-05", &report)).status().unwrap().code() == Some(3));
    let old_report = std::fs::read(&report).unwrap();
    let snapshot = |name: &str| std::fs::read(history.join("period=2024-02").join(name)).unwrap();
    let (old_roster, old_indicators) = (snapshot("roster.parquet"), snapshot("indicators.parquet"));
    let fresh = dir.path().join("fresh.xlsx");
    assert!(Command::new(bin).args(args("2024-03-06", &fresh)).status().unwrap().code() == Some(3));
    // Same people: the snapshot it stores is the same, byte for byte.
    assert_eq!(snapshot("roster.parquet"), old_roster);
    let new_report = std::fs::read(&fresh).unwrap();
    assert_ne!(old_report, new_report, "the report date makes the two reports differ");

    // Kill runs at moments spread over a whole run, from start to end.
    let started = std::time::Instant::now();
    assert!(Command::new(bin).args(args("2024-03-05", &report)).status().unwrap().code() == Some(3));
    let whole = started.elapsed();
    for step in 0..24_u32 {
        let delay = whole * step / 20;
        let mut child = Command::new(bin).args(args("2024-03-06", &report)).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&report).unwrap();
        assert!(
            now == old_report || now == new_report,
            "killed after {delay:?}: the report is neither the old nor the new one"
        );
        // The snapshot is either in place, whole, or set aside whole (restored by the next run).
        let folder = if history.join("period=2024-02/roster.parquet").exists() {
            "period=2024-02"
        } else {
            ".period=2024-02.old"
        };
        let read = |name: &str| std::fs::read(history.join(folder).join(name)).unwrap();
        assert_eq!(read("roster.parquet"), old_roster, "killed after {delay:?}");
        assert_eq!(read("indicators.parquet"), old_indicators, "killed after {delay:?}");
        // Put the old report back so that every kill is judged against the same one.
        std::fs::write(&report, &old_report).unwrap();
    }
    // The next complete run recovers and leaves no staging folder behind.
    assert!(Command::new(bin).args(args("2024-03-05", &report)).status().unwrap().code() == Some(3));
    let mut entries: Vec<String> =
        std::fs::read_dir(&history).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    entries.sort();
    assert_eq!(entries, [".tonghop-history", ".tonghop-key", ".tonghop.lock", "period=2024-02"]);
}

#[test]
fn a_second_monthly_run_is_refused_while_one_is_running() {
    let data = tempfile::tempdir().unwrap();
    let lock = data.path().join(".tonghop.lock");
    // Another run holds the lock (flock, as the script takes it).
    let mut holder = Command::new("flock").arg(&lock).args(["sleep", "30"]).spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !lock.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let second = monthly_script_on(data.path());
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("một lần chạy khác đang diễn ra"), "{stderr}");
    assert!(!data.path().join("reports/2024-02/BaoCao_2024-02.xlsx").exists());
}

/// The monthly script run for February 2024 on the data folder `data`.
fn monthly_script_on(data: &Path) -> std::process::Output {
    Command::new("bash")
        .arg(root().join("scripts/run-monthly.sh"))
        .arg("--data")
        .arg(data)
        .args(["--period", "2024-02"])
        .said()
}

#[cfg(unix)]
#[test]
fn the_monthly_script_never_writes_through_a_lock_that_is_a_link() {
    let data = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("quan trong.txt");
    std::fs::write(&target, b"du lieu").unwrap();
    std::os::unix::fs::symlink(&target, data.path().join(".tonghop.lock")).unwrap();
    let out = monthly_script_on(data.path());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&target).unwrap(), b"du lieu");
}

#[test]
fn the_monthly_script_refuses_an_option_without_its_value() {
    // "--period $PERIOD" with PERIOD unset in a crontab: refused at once, never a loop.
    for args in [&["--period"][..], &["--period", ""], &["--data"]] {
        let mut child = Command::new("bash")
            .arg(root().join("scripts/run-monthly.sh"))
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("{args:?}: the script did not stop");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(2), "{args:?}");
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(stderr.contains("thiếu giá trị sau"), "{stderr}");
    }
}

#[test]
fn a_generated_national_month_is_read_whole_from_many_files_or_one() {
    use tonghop_fixtures::national;
    let dir = tempfile::tempdir().unwrap();
    let (units, rows) = (60, 25);
    std::fs::write(dir.path().join("units.toml"), national::registry_toml(units)).unwrap();
    national::write_returns(3, units, rows, &dir.path().join("many/2024-02")).unwrap();
    std::fs::create_dir_all(dir.path().join("one/2024-02")).unwrap();
    national::write_single(3, units, rows, &dir.path().join("one/2024-02/all.xlsx")).unwrap();
    for (folder, files) in [("many/2024-02", units), ("one/2024-02", 1)] {
        let summary = dir.path().join(format!("{}.json", folder.replace('/', "-")));
        let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
            .arg("run")
            .arg(dir.path().join(folder))
            .arg("--units")
            .arg(dir.path().join("units.toml"))
            .arg("--out")
            .arg(dir.path().join("r.xlsx"))
            .arg("--summary-json")
            .arg(&summary)
            .arg("--quiet")
            .said();
        assert_eq!(out.status.code(), Some(0), "{folder}: {}", String::from_utf8_lossy(&out.stderr));
        let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
        assert_eq!(s["totals"]["files"].as_u64(), Some(files as u64), "{folder}");
        assert_eq!(s["totals"]["people"].as_u64(), Some((units * rows) as u64), "{folder}");
        assert_eq!(s["totals"]["issues"].as_u64(), Some(0), "{folder}: a clean template month has no problems");
        assert_eq!(s["indicators"]["units_received"]["value"].as_u64(), Some(units as u64), "{folder}");
    }
}

/// A number as the report's text writes it: thousands dot, decimal comma.
fn vn(n: f64, decimals: usize) -> String {
    let text = format!("{n:.decimals$}");
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    fraction.map_or(grouped.clone(), |f| format!("{grouped},{f}"))
}

#[test]
fn the_boards_report_text_says_the_figures_of_its_cells() {
    let run = run_month(&["--training", crate::e2e::root().join("fixtures/training/2024-02.xlsx").to_str().unwrap()]);
    let summary = sheet(&run.report, "Tổng hợp");
    let texts: Vec<String> = summary.rows().map(|r| r[0].to_string()).filter(|t| !t.is_empty()).collect();
    // The Party document's header, title and signature.
    for expected in ["ĐẢNG BỘ TỈNH LẠNG SƠN", "HUYỆN ỦY HỮU LŨNG", "BAN TỔ CHỨC", "BÁO CÁO", "Nơi nhận:"]
    {
        assert!(texts.iter().any(|t| t == expected), "{expected} missing: {texts:?}");
    }
    assert!(summary.rows().flatten().any(|c| *c == "Hữu Lũng, ngày 05 tháng 03 năm 2024"));
    assert!(summary.rows().flatten().any(|c| *c == "T/M BAN TỔ CHỨC"));
    // Every ratio of the table is said in the text with its cells' figures.
    let mut said = 0;
    for row in summary.rows().filter(|r| r.len() > 9 && r[4].as_f64().is_some()) {
        let (label, n, d, share) =
            (row[1].to_string(), row[2].as_f64().unwrap(), row[3].as_f64().unwrap(), row[4].as_f64().unwrap());
        let line = texts
            .iter()
            .find(|t| t.starts_with(&format!("- {label}:")))
            .unwrap_or_else(|| panic!("{label} not in the text"));
        let expected = format!("{}/{} đồng chí, đạt {}%", vn(n, 0), vn(d, 0), vn((share * 1000.0).round() / 10.0, 1));
        assert!(line.contains(&expected), "{line} does not say {expected}");
        said += 1;
    }
    assert_eq!(said, 7);
    // The headcount is the per-unit table's district total; the units received, the summary's.
    let units = sheet(&run.report, "Theo đơn vị");
    let total = units.rows().find(|r| r[2] == "Toàn huyện").unwrap();
    let headcount = texts.iter().find(|t| t.starts_with("Tổng số ")).unwrap();
    assert!(
        headcount.starts_with(&format!(
            "Tổng số {} đồng chí (nữ {},",
            vn(total[4].as_f64().unwrap(), 0),
            vn(total[5].as_f64().unwrap(), 0)
        )),
        "{headcount}"
    );
    // A unit whose return has no party column is "chưa rõ", never 0 members, and the text
    // says how many are not known.
    let header = units.rows().find(|r| r.iter().any(|c| *c == "Đảng viên")).unwrap();
    let party = header.iter().position(|c| *c == "Đảng viên").unwrap();
    let unknown_units = units.rows().filter(|r| r.get(party).is_some_and(|c| *c == "chưa rõ")).count();
    assert!(unknown_units > 0);
    assert!(headcount.contains("đồng chí chưa rõ)"), "{headcount}");
    let value = |key: &str| run.summary["indicators"][key]["value"].as_u64().unwrap();
    let intake = texts.iter().find(|t| t.starts_with("Đến ngày lập báo cáo")).unwrap();
    let sent = value("units_expected") - value("units_missing");
    assert!(intake.contains(&format!("{sent}/{} đơn vị đã gửi", value("units_expected"))), "{intake}");
    assert!(intake.contains(&format!("trong đó {} đơn vị đọc được đủ", value("units_received"))), "{intake}");
    assert!(intake.contains("Chưa gửi (1): Xã Hòa Thắng"), "{intake}");
    let learners = texts.iter().find(|t| t.starts_with("- Số lượt người bồi dưỡng")).unwrap();
    assert!(learners.ends_with(&format!(": {}.", vn(value("refresher_learners") as f64, 0))), "{learners}");
}

#[test]
fn the_signer_and_the_recipients_come_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("tonghop.toml");
    std::fs::write(
        &config,
        "[document]\nsigner_on_behalf = \"KT. TRƯỞNG BAN\"\nsigner_title = \"PHÓ TRƯỞNG BAN\"\nsigner_name = \"Nguyễn Văn An\"\nrecipients = [\"Ban Thường vụ Huyện ủy\", \"Lưu VT\"]\n",
    )
    .unwrap();
    let run = run_month(&["--config", config.to_str().unwrap()]);
    let summary = sheet(&run.report, "Tổng hợp");
    let cells: Vec<String> = summary.rows().flatten().map(ToString::to_string).collect();
    for expected in ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn An", "- Ban Thường vụ Huyện ủy,", "- Lưu VT."]
    {
        assert!(cells.iter().any(|c| c == expected), "{expected} missing");
    }
    assert!(!cells.iter().any(|c| c == "T/M BAN TỔ CHỨC"));
    // A key the section does not have is refused, with the file.
    std::fs::write(&config, "[document]\nsigner = \"x\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .arg("run")
        .arg(crate::e2e::fixture_month())
        .args(["--out", dir.path().join("r.xlsx").to_str().unwrap(), "--config", config.to_str().unwrap()])
        .said();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tonghop.toml"));
}

#[test]
fn each_unit_gets_feedback_with_its_problems_at_their_cells() {
    let feedback = tempfile::tempdir().unwrap();
    let run = run_month(&["--feedback", feedback.path().to_str().unwrap()]);
    assert_eq!(run.code, 3);
    let files: Vec<String> = std::fs::read_dir(feedback.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let units = run.summary["units"].as_array().unwrap();
    assert_eq!(files.len(), units.len(), "one workbook per unit of the month");
    let text_of = |code: &str| -> Vec<Vec<String>> {
        let name = files.iter().find(|f| f.starts_with(&format!("Phan hoi {code} "))).unwrap();
        let range = sheet(&feedback.path().join(name), "Phản hồi");
        range.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect()
    };
    let said = |code: &str| text_of(code).iter().map(|r| r.join(" | ")).collect::<Vec<_>>().join("\n");
    // The unit that sent nothing is reminded; the unreadable one is told why.
    let missing = units.iter().find(|u| u["status"] == "missing").unwrap();
    assert!(said(missing["code"].as_str().unwrap()).contains("chưa nhận được báo cáo tháng 02/2024"));
    let invalid = units.iter().find(|u| u["status"] == "invalid").unwrap();
    let invalid_text = said(invalid["code"].as_str().unwrap());
    assert!(invalid_text.contains("không đọc được"), "{invalid_text}");
    // Every problem the report lists against a unit is in that unit's feedback, at the same
    // file, sheet and cell, with the same words.
    let issues = sheet(&run.report, "Lỗi dữ liệu");
    let mut checked = 0;
    for row in issues.rows().skip(1) {
        let unit_name = row[1].to_string();
        let Some(unit) = units.iter().find(|u| u["name"] == unit_name.as_str()) else { continue };
        let lines = text_of(unit["code"].as_str().unwrap());
        let (file, sheet_name, cell, problem) =
            (row[2].to_string(), row[3].to_string(), row[4].to_string(), row[7].to_string());
        assert!(
            lines.iter().any(|l| l.len() >= 7 && l[1] == file && l[2] == sheet_name && l[3] == cell && l[6] == problem),
            "{unit_name}: {file} {sheet_name} {cell} {problem} not in its feedback"
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} problems were checked");
    // And no unit is sent another unit's problems: each problem row of a feedback is one
    // Lỗi dữ liệu lists against that unit, or against no unit but in that unit's file.
    for unit in units {
        let name = unit["name"].as_str().unwrap();
        let lines = text_of(unit["code"].as_str().unwrap());
        let start = lines.iter().position(|l| l.first().is_some_and(|c| c == "STT"));
        let Some(start) = start else { continue };
        for l in lines[start + 1..].iter().take_while(|l| l.len() >= 7 && l[0].parse::<u32>().is_ok()) {
            let theirs = issues.rows().skip(1).any(|row| {
                let unit_of_row = row[1].to_string();
                (unit_of_row == name || unit_of_row.is_empty())
                    && row[2].to_string() == l[1]
                    && row[4].to_string() == l[3]
                    && row[7].to_string() == l[6]
            });
            assert!(theirs, "{name}'s feedback lists a problem not its own: {l:?}");
        }
    }
    // Text from a return is text in the feedback too.
    let any = files.iter().map(|f| feedback.path().join(f)).next().unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&any).unwrap();
    let formulas = calamine::Reader::worksheet_formula(&mut book, "Phản hồi").unwrap();
    assert_eq!(formulas.used_cells().count(), 0);
}

#[test]
fn no_national_id_appears_whole_in_the_report_unless_asked() {
    let truth = crate::e2e::truth();
    let ids: Vec<&str> =
        truth.people.iter().filter_map(|p| p.national_id.as_deref()).filter(|i| !i.is_empty()).collect();
    assert!(ids.len() > 100);
    let cells_of = |report: &Path| -> Vec<String> {
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(report).unwrap();
        let names = calamine::Reader::sheet_names(&book);
        names
            .iter()
            .flat_map(|n| {
                let range = calamine::Reader::worksheet_range(&mut book, n).unwrap();
                range.rows().flat_map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>()).collect::<Vec<_>>()
            })
            .collect()
    };
    let masked = run_month(&[]);
    let cells = cells_of(&masked.report);
    for id in &ids {
        assert!(!cells.iter().any(|c| c.contains(id)), "{id} whole in the report");
    }
    // The clerk still finds each person by the last digits.
    assert!(cells.iter().any(|c| c == &format!("••••••••{}", &ids[0][ids[0].len() - 4..])));
    let shown = run_month(&["--show-ids"]);
    let cells = cells_of(&shown.report);
    assert!(ids.iter().filter(|id| cells.iter().any(|c| c == *id)).count() > 100, "--show-ids shows them");
}

/// How wide, in pixels at 96 dpi, the print area's columns of sheet `position` print, and how
/// wide the page prints: A4 landscape less the sheet's left and right margins. The unit of
/// column width is a digit of the workbook's font, Times New Roman 11: Excel rounds it to 7
/// pixels, LibreOffice keeps 5.5 points (7.33 pixels, measured on its PDF), so the wider is
/// taken.
fn printed_and_page_width(report: &Path, workbook: &str, position: usize) -> (f64, f64, u32) {
    let sheet = part(report, &format!("xl/worksheets/sheet{}.xml", position + 1));
    // The print area, or else the cells the sheet uses.
    let range = match workbook
        .split("<definedName ")
        .find(|d| d.contains("_xlnm.Print_Area") && attribute(d, "localSheetId") == Some(&position.to_string()))
    {
        Some(area) => area.split('>').nth(1).unwrap().split('<').next().unwrap().rsplit('!').next().unwrap(),
        None => attribute(sheet.split("<dimension").nth(1).unwrap(), "ref").unwrap(),
    };
    let (first, last) = range.split_once(':').unwrap();
    let column = |cell: &str| {
        cell.trim_matches('$')
            .bytes()
            .take_while(u8::is_ascii_uppercase)
            .fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1))
    };
    let (first, last) = (column(first), column(last));
    let mut printed = 0.0;
    for col in sheet.split("<col ").skip(1).map(|c| format!(" {c}")) {
        let col = col.as_str();
        let (min, max) = (
            attribute(col, "min").unwrap().parse::<u32>().unwrap(),
            attribute(col, "max").unwrap().parse::<u32>().unwrap(),
        );
        let width: f64 = attribute(col, "width").unwrap().parse().unwrap();
        let within = (min.max(first)..=max.min(last)).count();
        printed += within as f64 * width * 5.5 / 72.0 * 96.0;
    }
    let margins = &format!(" {}", sheet.split("<pageMargins ").nth(1).unwrap());
    let inches = |side| attribute(margins, side).unwrap().parse::<f64>().unwrap();
    assert!(sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"orientation="landscape""#));
    (printed, (297.0 / 25.4 - inches("left") - inches("right")) * 96.0, last)
}

#[test]
fn the_report_and_the_forms_print_at_their_own_size() {
    let run = run_month(&[]);
    let workbook = part(&run.report, "xl/workbook.xml");
    // Tổng hợp (its text 13 pt, its table 11 pt) and the roster's printed columns fit the
    // page as they are: fitting to the page's width (in case a font is wider) shrinks nothing.
    // Every sheet: the technical ones print only when the whole workbook is printed, and
    // then readably too.
    let sheets = ["Tổng hợp", "Theo đơn vị", "Biểu 9C", "Biểu 10", "Biểu 12C", "Danh sách", "Trùng lặp"];
    let technical = ["Biến động", "Lỗi dữ liệu", "Tiếp nhận", "Thông tin"];
    let names: Vec<&str> = workbook.split("<sheet name=\"").skip(1).map(|e| e.split('"').next().unwrap()).collect();
    assert_eq!(names, sheets.into_iter().chain(technical).collect::<Vec<_>>());
    for (position, sheet) in sheets.into_iter().chain(technical).enumerate() {
        // The workbook opens on Tổng hợp alone: Excel's default print (the active sheet) is
        // the report.
        let xml = part(&run.report, &format!("xl/worksheets/sheet{}.xml", position + 1));
        assert_eq!(xml.contains("tabSelected=\"1\""), position == 0, "{sheet}");
        let (printed, page, last) = printed_and_page_width(&run.report, &workbook, position);
        assert!(printed <= page, "{sheet}: {printed} pixels printed on a page of {page}");
        assert!(printed > page * 0.75, "{sheet}: {printed} pixels: a print area that lost its columns");
        // A chart ends within the sheet's printed columns (its anchor's column counts from 0):
        // Theo đơn vị's prints, Tổng hợp's stays under the document, as wide as its table.
        let rels = format!("xl/worksheets/_rels/sheet{}.xml.rels", position + 1);
        let drawings = part_if_any(&run.report, &rels).unwrap_or_default();
        for target in drawings.split("Target=\"../drawings/").skip(1) {
            let drawing = part(&run.report, &format!("xl/drawings/{}", target.split('"').next().unwrap()));
            for end in drawing.split("<xdr:to><xdr:col>").skip(1) {
                let col: u32 = end.split('<').next().unwrap().parse().unwrap();
                assert!(col < last, "{sheet}: a chart reaches column {} past the printed {last}", col + 1);
            }
        }
    }
    // The forms down the page: a form prints on one page (shrunk by a tenth at most) or over
    // pages whose last holds the table's last rows with the signature block.
    for (position, form) in [(2, "Biểu 9C"), (3, "Biểu 10"), (4, "Biểu 12C")] {
        let xml = part(&run.report, &format!("xl/worksheets/sheet{}.xml", position + 1));
        let heights: Vec<f64> = xml
            .split("<row ")
            .skip(1)
            .map(|row| attribute(&format!(" {row}"), "ht").map_or(15.0, |h| h.parse().unwrap()))
            .collect();
        let total: f64 = heights.iter().sum();
        // A4 landscape within 20 mm top and bottom: 482 points.
        let breaks: Vec<usize> =
            xml.split("<brk ").skip(1).map(|b| attribute(&format!(" {b}"), "id").unwrap().parse().unwrap()).collect();
        let one_page_tall = !xml.contains("fitToHeight=\"0\"");
        // The table's last row is the one above the first row merged from column A under the
        // header (a note, or the signer's title): rows count from 1 in `ref`, from 0 in breaks.
        let closing = xml
            .split("<mergeCell ref=\"A")
            .skip(1)
            .filter_map(|m| m.split(':').next()?.parse::<usize>().ok())
            .filter(|&row| row > 9)
            .min()
            .unwrap_or_else(|| panic!("{form}: no note or signature under the table"));
        let last_row = closing - 2;
        if breaks.is_empty() {
            assert!(total * 0.9 <= 482.0, "{form}: {total} points on one page");
            assert!(total <= 482.0 || one_page_tall, "{form}: {total} points, not fitted to one page");
        } else {
            // A break is the row a page starts with (`id` counts rows from 1, before its row).
            let last_page = *breaks.last().unwrap();
            assert!(!one_page_tall, "{form}: broken into pages and fitted to one");
            assert!(last_page <= last_row, "{form}: the last page starts at row {last_page}, after the table");
        }
    }
    // Theo đơn vị's six tables: each starts a page, and every page it goes on to starts
    // with its caption ("… (tiếp theo)") and header again, within A4's 482 points.
    let xml = part(&run.report, "xl/worksheets/sheet2.xml");
    let units = sheet(&run.report, "Theo đơn vị");
    let text = |row: u32, col: u32| units.get_value((row, col)).map(ToString::to_string).unwrap_or_default();
    let heights: std::collections::HashMap<u32, f64> = xml
        .split("<row ")
        .skip(1)
        .map(|row| {
            let row = format!(" {row}");
            let r: u32 = attribute(&row, "r").unwrap().parse().unwrap();
            (r - 1, attribute(&row, "ht").map_or(15.0, |h| h.parse().unwrap()))
        })
        .collect();
    let breaks: Vec<u32> =
        xml.split("<brk ").skip(1).map(|b| attribute(&format!(" {b}"), "id").unwrap().parse().unwrap()).collect();
    let last = units.end().unwrap().0;
    let captions = [
        "1. Số lượng, cơ cấu",
        "2. Cấp ủy, Bí thư",
        "3. Trình độ lý luận chính trị",
        "4. Trình độ chuyên môn",
        "5. Quản lý nhà nước",
        "6. Độ tuổi",
    ];
    let (mut started, mut continued): (Vec<String>, usize) = (Vec::new(), 0);
    // Every page, the first (the title over table 1) too: its rows within the 476 points the
    // report lays a page with, a caption and a header at its top, and a unit or the total
    // under them.
    let starts: Vec<u32> = std::iter::once(0).chain(breaks.iter().copied()).collect();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(last + 1);
        if start > last {
            // The chart's page.
            continue;
        }
        let page: f64 = (start..end).map(|r| heights.get(&r).copied().unwrap_or(15.0)).sum();
        assert!(page <= 476.0, "Theo đơn vị: {page} points on the page from row {}", start + 1);
        let caption_row = (start..end).find(|&r| captions.iter().any(|c| text(r, 0).starts_with(c))).unwrap();
        assert!(k == 0 || caption_row == start, "the page from row {} starts with no caption", start + 1);
        let caption = text(caption_row, 0);
        assert_eq!(text(caption_row + 1, 0), "STT", "row {}", caption_row + 2);
        let body = caption_row + 2;
        assert!(
            body < end && (text(body, 0).parse::<u32>().is_ok() || text(body, 2) == "Toàn huyện"),
            "the page from row {} has no unit under its header",
            start + 1
        );
        match caption.strip_suffix(" (tiếp theo)") {
            Some(table) => {
                assert_eq!(Some(table), started.last().map(String::as_str), "a page continues another table");
                continued += 1;
            }
            None => started.push(caption.clone()),
        }
    }
    // Each table starts a page, in order; the sample month's 49 units take more than a page
    // in each.
    assert_eq!(started, captions.map(String::from));
    assert!(continued >= 6, "{continued} pages continue a table");
    // Every unit is on the six tables' pages, once in each.
    let rows_of = |code: &str| (0..=last).filter(|&r| text(r, 1) == code).count();
    assert_eq!(rows_of("06385"), 6);
    // The chart draws the committee ratio of every commune-level unit, around the repeated
    // headers (a union of ranges), so that no header is a bar.
    let chart = part(&run.report, "xl/charts/chart2.xml");
    let reference = |tag: &str| chart.split(tag).nth(1).unwrap().split('<').next().unwrap().to_owned();
    let (categories, values) = (reference("<c:cat><c:strRef><c:f>"), reference("<c:val><c:numRef><c:f>"));
    assert!(categories.starts_with("('Theo đơn vị'!$C$"), "{categories}");
    // The values are the ratio column (G) of the same rows.
    assert_eq!(values, categories.replace("$C$", "$G$"));
    let charted: Vec<u32> = categories
        .trim_matches(|c| c == '(' || c == ')')
        .split(',')
        .flat_map(|area| {
            let bounds: Vec<u32> = area
                .split('!')
                .nth(1)
                .unwrap()
                .split(':')
                .map(|cell| cell.trim_start_matches(|c: char| !c.is_ascii_digit()).parse::<u32>().unwrap() - 1)
                .collect();
            bounds[0]..=bounds[1]
        })
        .collect();
    // Every charted row is table 2's: its ratio column holds a ratio, or nothing for a
    // unit without data.
    assert!(
        charted.iter().all(|&r| units
            .get_value((r, 6))
            .is_none_or(|v| *v == Data::Empty || v.as_f64().is_some_and(|f| f <= 1.0)))
    );
    let charted: Vec<String> = charted.into_iter().map(|r| text(r, 2)).collect();
    // Table 1 says each unit's kind (its last column, L).
    let communes: Vec<String> = (0..=last)
        .filter(|&r| ["Xã", "Thị trấn", "Phường"].contains(&text(r, 11).as_str()))
        .map(|r| text(r, 2))
        .collect();
    assert_eq!(charted, communes);
    assert_eq!(charted.len(), 24);

    // Tiếp nhận repeats its one header on every page: its files' table starts a page under
    // it with a caption, not a header of its own that would print twice or alone.
    let intake = sheet(&run.report, "Tiếp nhận");
    let xml = part(&run.report, "xl/worksheets/sheet10.xml");
    let starts: Vec<u32> = (0..=intake.end().unwrap().0)
        .filter(|&r| intake.get_value((r, 0)).is_some_and(|c| *c == "Các tệp đã nhận"))
        .collect();
    assert_eq!(starts.len(), 1);
    assert!(xml.contains(&format!("<brk id=\"{}\"", starts[0])), "the files' table starts no page");
    let headers = intake.rows().filter(|r| r[0] == "STT").count();
    assert_eq!(headers, 1);

    // The roster prints its key columns, up to the levels.
    let roster = sheet(&run.report, "Danh sách");
    let header: Vec<String> = roster.rows().next().unwrap().iter().map(ToString::to_string).collect();
    assert!(workbook.contains("'Danh sách'!$A$1:$K$"), "{workbook}");
    assert_eq!(header[10], "QLNN");
    assert_eq!(&header[..3], ["STT", "Đơn vị", "Họ và tên"]);
}
