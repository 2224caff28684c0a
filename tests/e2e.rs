//! Runs `tonghop run` on `fixtures/returns/2024-02` and checks every figure against the
//! generator's truth file, computed here independently of the pipeline.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::language::Said as _;
use calamine::{Data, DataType as _, Reader, Xlsx, open_workbook};
use serde_json::Value;
use tonghop_fixtures::{INVALID_UNIT, MISSING_UNIT, TruePerson, Truth};

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn fixture_month() -> PathBuf {
    root().join("fixtures/returns/2024-02")
}

pub(crate) fn truth() -> Truth {
    let text = std::fs::read_to_string(root().join("fixtures/truth/2024-02.json")).expect("truth file");
    serde_json::from_str(&text).expect("truth JSON")
}

/// A copy of the fixture month under `dir`, at `dir/returns/2024-02`, to change.
pub(crate) fn copy_fixture_month(dir: &Path) -> PathBuf {
    let month = dir.join("returns/2024-02");
    std::fs::create_dir_all(&month).unwrap();
    for entry in std::fs::read_dir(fixture_month()).unwrap() {
        let entry = entry.unwrap();
        let to = month.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
            for f in std::fs::read_dir(entry.path()).unwrap() {
                let f = f.unwrap();
                std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
            }
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    month
}

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) report: PathBuf,
    pub(crate) summary: Value,
    _dir: tempfile::TempDir,
}

pub(crate) fn run_month(extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("reports/BaoCao_2024-02.xlsx");
    let summary = dir.path().join("reports/summary.json");
    let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .arg("run")
        .arg(fixture_month())
        .arg("--out")
        .arg(&report)
        .arg("--summary-json")
        .arg(&summary)
        .args(["--report-date", "2024-03-05"])
        .args(extra)
        .said();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(report.exists(), "no report written; stderr:\n{stderr}");
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        report,
        summary,
        _dir: dir,
    }
}

fn tc_plus(p: &TruePerson) -> bool {
    matches!(p.political_theory.as_deref(), Some("trung_cap" | "cao_cap" | "cu_nhan"))
}

/// (numerator, denominator, unknown) over the people `in_denominator` selects.
fn expected_ratio(
    people: &[TruePerson],
    in_denominator: impl Fn(&TruePerson) -> bool,
    hit: impl Fn(&TruePerson) -> bool,
    known: impl Fn(&TruePerson) -> bool,
) -> (u64, u64, u64) {
    let d: Vec<&TruePerson> = people.iter().filter(|p| in_denominator(p)).collect();
    (d.iter().filter(|p| hit(p)).count() as u64, d.len() as u64, d.iter().filter(|p| !known(p)).count() as u64)
}

pub(crate) fn ratio_of(summary: &Value, key: &str) -> (u64, u64, u64) {
    let v = &summary["indicators"][key];
    assert!(v.is_object(), "indicator {key} missing from the summary");
    (v["numerator"].as_u64().unwrap(), v["denominator"].as_u64().unwrap(), v["unknown"].as_u64().unwrap())
}

#[test]
fn headline_indicators_match_the_truth() {
    let truth = truth();
    let run = run_month(&[]);
    let people = &truth.people;
    let commune = |p: &TruePerson| p.unit_kind != "co_quan_huyen";
    let llct_known = |p: &TruePerson| p.political_theory.is_some();
    let cases: Vec<(&str, (u64, u64, u64))> = vec![
        (
            "commune_committee_llct_tc_plus",
            expected_ratio(people, |p| commune(p) && p.committee != "none", tc_plus, llct_known),
        ),
        (
            "commune_secretary_llct_tc_plus",
            expected_ratio(people, |p| commune(p) && p.positions.iter().any(|x| x == "bi_thu"), tc_plus, llct_known),
        ),
        (
            "commune_deputy_secretary_llct_tc_plus",
            expected_ratio(
                people,
                |p| commune(p) && p.positions.iter().any(|x| x == "pho_bi_thu"),
                tc_plus,
                llct_known,
            ),
        ),
        (
            "commune_cbcc_llct_tc_plus",
            expected_ratio(
                people,
                |p| commune(p) && matches!(p.category.as_str(), "can_bo" | "cong_chuc"),
                tc_plus,
                llct_known,
            ),
        ),
        (
            "commune_cbcc_professional_university_plus",
            expected_ratio(
                people,
                |p| commune(p) && matches!(p.category.as_str(), "can_bo" | "cong_chuc"),
                |p| matches!(p.professional.as_deref(), Some("dai_hoc" | "thac_si" | "tien_si")),
                |p| p.professional.is_some(),
            ),
        ),
        (
            "district_leader_llct_tc_plus_or_studying",
            expected_ratio(
                people,
                |p| !commune(p) && p.positions.iter().any(|x| x == "cap_truong" || x == "cap_pho"),
                |p| tc_plus(p) || p.political_theory_studying.as_deref() == Some("trung_cap"),
                |p| p.political_theory.is_some() || p.political_theory_studying.is_some(),
            ),
        ),
        ("planning_pool_llct_tc_plus", expected_ratio(people, |p| p.planning, tc_plus, llct_known)),
    ];
    for (key, expected) in &cases {
        assert_eq!(ratio_of(&run.summary, key), *expected, "{key}");
    }
    // The fixture month is large enough for the ratios to mean something.
    assert!(cases[0].1.1 > 250 && cases[1].1.1 == 22, "{cases:?}");
    let percent = run.summary["indicators"]["commune_committee_llct_tc_plus"]["percent"].as_f64().unwrap();
    let (n, d, _) = cases[0].1;
    assert!((percent - (1000.0 * n as f64 / d as f64).round() / 10.0).abs() < 1e-9);
}

#[test]
fn intake_marks_the_missing_and_the_unreadable_unit_and_exits_3() {
    let truth = truth();
    let run = run_month(&[]);
    assert_eq!(run.code, 3, "stdout: {}", run.stdout);
    let units = run.summary["units"].as_array().unwrap();
    assert_eq!(units.len(), 49);
    let status =
        |code: &str| units.iter().find(|u| u["code"] == code).map(|u| u["status"].as_str().unwrap().to_owned());
    assert_eq!(status(MISSING_UNIT).as_deref(), Some("missing"));
    assert_eq!(status(INVALID_UNIT).as_deref(), Some("invalid"));
    for u in units {
        let code = u["code"].as_str().unwrap();
        if code != MISSING_UNIT && code != INVALID_UNIT {
            assert_eq!(u["status"], "received", "{code}");
            let people = truth.people.iter().filter(|p| p.unit == code).count() as u64;
            assert_eq!(u["people"].as_u64(), Some(people), "people of {code}");
            let rows: usize = truth.people.iter().filter(|p| p.unit == code).map(|p| p.rows).sum();
            assert_eq!(u["accepted"].as_u64(), Some(rows as u64), "accepted rows of {code}");
        }
    }
    for (key, value) in [("units_expected", 49), ("units_received", 47), ("units_missing", 1), ("units_invalid", 1)] {
        assert_eq!(run.summary["indicators"][key]["value"].as_u64(), Some(value), "{key}");
    }
    assert_eq!(run.summary["exit_code"], 3);
    assert!(run.stdout.contains("Xã Hòa Thắng") && run.stdout.contains("Xã Minh Tiến"), "{}", run.stdout);
}

#[test]
fn every_file_accounts_for_every_row() {
    let truth = truth();
    let run = run_month(&[]);
    let files = run.summary["files"].as_array().unwrap();
    assert_eq!(files.len(), truth.files.len());
    for expected in &truth.files {
        let got = files
            .iter()
            .find(|f| f["path"] == expected.path.as_str())
            .unwrap_or_else(|| panic!("{} not in summary", expected.path));
        assert_eq!(got["status"], expected.status.as_str(), "{}", expected.path);
        let counts: Vec<u64> =
            ["rows_read", "accepted", "rejected", "skipped"].iter().map(|k| got[*k].as_u64().unwrap()).collect();
        assert_eq!(
            counts,
            vec![
                expected.rows_read as u64,
                expected.accepted as u64,
                expected.rejected as u64,
                expected.skipped as u64
            ],
            "{}",
            expected.path
        );
        assert_eq!(counts[0], counts[1] + counts[2] + counts[3], "{}", expected.path);
        let units: Vec<&str> = got["units"].as_array().unwrap().iter().map(|u| u.as_str().unwrap()).collect();
        let mut expected_units: Vec<&str> = expected.units.iter().map(String::as_str).collect();
        expected_units.sort_unstable();
        let mut sorted = units.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, expected_units, "{}", expected.path);
        if expected.status != "not_spreadsheet" {
            assert_eq!(got["unit_found_by"].as_str(), expected.unit_found_by.as_deref(), "{}", expected.path);
        }
    }
    let totals = &run.summary["totals"];
    assert_eq!(totals["people"].as_u64(), Some(truth.people.len() as u64));
    assert_eq!(totals["duplicates_merged"].as_u64(), Some(truth.duplicate_rows as u64));
}

pub(crate) fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name).unwrap()
}

/// A roster's birth date cell written as the truth writes it, at the truth's precision
/// (`like`): a date cell holds the first day of what is known, its number format shows
/// only that (the golden test shows the formats). A cell that holds more than `like` says
/// reads in full, so that it does not match.
pub(crate) fn birth_as(cell: &Data, like: &str) -> String {
    let Data::DateTime(d) = cell else { return cell.to_string() };
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    let date = epoch + chrono::Days::new(d.as_f64() as u64);
    let first_of_month = date.format("%d").to_string() == "01";
    let first_of_year = first_of_month && date.format("%m").to_string() == "01";
    let shown = match like.matches('/').count() {
        1 if first_of_month => "%m/%Y",
        0 if first_of_year => "%Y",
        _ => "%d/%m/%Y",
    };
    date.format(shown).to_string()
}

pub(crate) fn find_row<'a>(range: &'a calamine::Range<Data>, col: usize, text: &str) -> Option<&'a [Data]> {
    range.rows().find(|r| r.get(col).is_some_and(|c| *c == text))
}

#[test]
fn the_workbook_holds_the_same_figures() {
    let truth = truth();
    let run = run_month(&[]);
    let wb: Xlsx<_> = open_workbook(&run.report).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![
            "Tổng hợp",
            "Theo đơn vị",
            "Biểu 9C",
            "Biểu 10",
            "Biểu 12C",
            "Danh sách",
            "Trùng lặp",
            "Biến động",
            "Lỗi dữ liệu",
            "Tiếp nhận",
            "Thông tin"
        ]
    );
    drop(wb);

    let summary = sheet(&run.report, "Tổng hợp");
    let row = find_row(&summary, 9, "commune_committee_llct_tc_plus").expect("indicator row");
    let (n, d, u) = ratio_of(&run.summary, "commune_committee_llct_tc_plus");
    assert_eq!(row[1].to_string(), "Cấp ủy viên cấp xã có trình độ trung cấp LLCT trở lên");
    assert_eq!(row[2].as_f64(), Some(n as f64));
    assert_eq!(row[3].as_f64(), Some(d as f64));
    assert!((row[4].as_f64().unwrap() - n as f64 / d as f64).abs() < 1e-12);
    assert_eq!(row[5].as_f64(), Some(u as f64));

    let roster = sheet(&run.report, "Danh sách");
    assert_eq!(roster.height() - 1, truth.people.len());
    let someone = truth.people.iter().find(|p| p.unit == "06454" && p.positions.iter().any(|x| x == "bi_thu")).unwrap();
    let row = find_row(&roster, 2, &someone.name).expect("the secretary of Sơn Hà is in the roster");
    assert_eq!(row[1].to_string(), "Xã Sơn Hà");
    assert_eq!(birth_as(&row[3], &someone.birth), someone.birth);

    let units = sheet(&run.report, "Theo đơn vị");
    let missing = find_row(&units, 1, MISSING_UNIT).expect("the missing unit keeps its row");
    assert_eq!(missing[3].to_string(), "chưa nộp");
    let total = find_row(&units, 2, "Toàn huyện").expect("district total row");
    let counted = truth.people.len() as f64;
    assert_eq!(total[4].as_f64(), Some(counted));
    let committee: u64 = truth.people.iter().filter(|p| p.committee != "none").count() as u64;
    // The committee members open the second table.
    let totals: Vec<_> = units.rows().filter(|r| r[2] == "Toàn huyện").collect();
    assert_eq!(totals.len(), 6, "a total row in each table");
    assert_eq!(totals[1][4].as_f64(), Some(committee as f64));

    let intake = sheet(&run.report, "Tiếp nhận");
    let minh_tien = find_row(&intake, 1, INVALID_UNIT).expect("intake row");
    assert_eq!(minh_tien[3].to_string(), "không đọc được");
}

#[test]
fn same_inputs_and_report_date_give_identical_bytes() {
    let register = root().join("fixtures/training/2024-02.xlsx").display().to_string();
    let a = run_month(&["--training", &register]);
    let b = run_month(&["-j", "1", "--training", &register]);
    assert_eq!(std::fs::read(&a.report).unwrap(), std::fs::read(&b.report).unwrap());
}

#[test]
fn committed_fixtures_are_what_the_generator_makes() {
    let dir = tempfile::tempdir().unwrap();
    let period = "2024-02".parse().unwrap();
    let (regenerated, specs) = tonghop_fixtures::generate(2024, period, dir.path()).unwrap();
    assert_eq!(regenerated, truth(), "fixtures/truth/2024-02.json is stale: run scripts/gen-fixtures.sh");
    let committed_specs: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("fixtures/specs/2024-02.json")).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_value(&specs).unwrap(),
        committed_specs,
        "fixtures/specs is stale: run scripts/gen-fixtures.sh"
    );
    let (register, training_truth) =
        tonghop_fixtures::training::register(2025, &regenerated, tonghop_fixtures::training::SINCE, period.last_day())
            .unwrap();
    assert!(
        register == std::fs::read(root().join("fixtures/training/2024-02.xlsx")).unwrap(),
        "fixtures/training/2024-02.xlsx is stale: run scripts/gen-fixtures.sh"
    );
    let committed_training: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("fixtures/truth/training-2024-02.json")).unwrap())
            .unwrap();
    assert_eq!(serde_json::to_value(&training_truth).unwrap(), committed_training);
    for f in &regenerated.files {
        let committed = std::fs::read(fixture_month().join(&f.path)).unwrap();
        if specs.iter().any(|s| s.path == f.path) {
            // Rendered by scripts/render-fixtures.py from the specification checked above.
            assert!(!committed.is_empty(), "{}", f.path);
            continue;
        }
        let fresh = std::fs::read(dir.path().join(&f.path)).unwrap();
        assert!(committed == fresh, "{} differs from the generator's output: run scripts/gen-fixtures.sh", f.path);
    }
}

#[test]
fn a_command_line_refused_is_said_in_vietnamese_with_where_to_read_how() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let cases: [(&[&str], &str); 7] = [
        (&["run", "somewhere"], "thiếu --out"),
        (&["runn", "x"], "không có lệnh 'runn' (có phải run?)"),
        (&["run", "x", "--out", "y", "--progres", "never"], "không có tùy chọn --progres (có phải --progress?)"),
        (&["run", "x", "--out", "y", "--progress", "sometimes"], "chọn một trong: auto, always, never"),
        (&["run", "x", "--out", "y", "-q", "-v"], "--quiet không dùng cùng với --verbose"),
        (&["run", "x", "--out", "y", "-j", "abc"], "giá trị 'abc' không dùng được cho --jobs"),
        (&[], "thiếu lệnh"),
    ];
    for (args, said) in cases {
        let out = Command::new(bin).args(args).said();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("tonghop: lỗi: ") && stderr.contains(said), "{args:?}: {stderr}");
        assert!(stderr.contains("Xem hướng dẫn: tonghop"), "{args:?}: {stderr}");
        for english in ["error:", "tip:", "Usage:", "argument", "unexpected", "For more information"] {
            assert!(!stderr.contains(english), "{args:?}: English in {stderr}");
        }
    }
}

#[test]
fn a_summary_to_standard_output_is_pure_json_and_the_result_goes_to_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .arg("run")
        .arg(fixture_month())
        .arg("--out")
        .arg(dir.path().join("r.xlsx"))
        .args(["--summary-json", "-", "--quiet", "--report-date", "2024-03-05"])
        .current_dir(dir.path())
        .said();
    assert_eq!(out.status.code(), Some(3));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("standard output is the JSON summary alone");
    assert_eq!(summary["totals"]["people"].as_u64(), Some(599));
    assert!(!dir.path().join("-").exists(), "no file named '-'");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("tonghop 2024-02: 47/49 đơn vị đã nộp"));
}

#[test]
fn a_bad_registry_is_said_with_its_place_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.toml");
    std::fs::write(&units, "[[unit]]\ncode = '1'\nname = 'Xã A'\nkind = 'village'\nvalid_from = '2020-01-01'\n")
        .unwrap();
    for command in ["check", "run"] {
        let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
            .arg(command)
            .arg(fixture_month())
            .arg("--units")
            .arg(&units)
            .args(["--period", "2024-02", "--out", "r.xlsx"][..if command == "run" { 4 } else { 2 }].iter())
            .current_dir(dir.path())
            .said();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{command}: {stderr}");
        assert!(stderr.contains("giá trị 'village' ở dòng 4, cột 8 không dùng được"), "{command}: {stderr}");
    }
}

#[test]
fn a_workbook_to_standard_output_is_the_same_bytes_as_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let run = |out: &str, extra: &[&str]| {
        Command::new(bin)
            .arg("run")
            .arg(fixture_month())
            .args(["--out", out, "--quiet", "--report-date", "2024-03-05"])
            .args(extra)
            .current_dir(dir.path())
            .said()
    };
    let piped = run("-", &[]);
    assert_eq!(piped.status.code(), Some(3), "{}", String::from_utf8_lossy(&piped.stderr));
    let stderr = String::from_utf8(piped.stderr).unwrap();
    assert!(
        stderr.starts_with("tonghop 2024-02: 47/49 đơn vị đã nộp") && stderr.contains("báo cáo: đầu ra chuẩn"),
        "{stderr}"
    );
    assert!(!dir.path().join("-").exists(), "no file named '-'");
    assert!(!dir.path().join(".tonghop.lock").exists(), "standard output locks no folder");
    let to_file = run("r.xlsx", &[]);
    assert_eq!(to_file.status.code(), Some(3));
    assert!(piped.stdout.starts_with(b"PK"), "a zip package");
    assert_eq!(piped.stdout, std::fs::read(dir.path().join("r.xlsx")).unwrap());
    // Both outputs on standard output cannot be told apart: refused before any work.
    let both = run("-", &["--summary-json", "-"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("không thể cùng ghi ra đầu ra chuẩn"));
    assert!(both.stdout.is_empty());
    // A summary that cannot be written costs the summary, not the workbook on its way out.
    std::fs::write(dir.path().join("tep-thuong"), b"").unwrap();
    let summary_fails = run("-", &["--summary-json", "tep-thuong/summary.json"]);
    assert_eq!(summary_fails.status.code(), Some(1));
    assert_eq!(summary_fails.stdout, piped.stdout, "the workbook still on standard output");
    let stderr = String::from_utf8(summary_fails.stderr).unwrap();
    assert!(stderr.starts_with("tonghop 2024-02: 47/49"), "result lines on standard error: {stderr}");
    assert!(stderr.contains("đã ghi báo cáo đầu ra chuẩn nhưng không ghi được tệp tóm tắt JSON"), "{stderr}");
    // The template too.
    let template = Command::new(bin).args(["template", "--out", "-"]).current_dir(dir.path()).said();
    assert_eq!(template.status.code(), Some(0));
    let written = Command::new(bin).args(["template", "--out", "t.xlsx"]).current_dir(dir.path()).said();
    assert_eq!(written.status.code(), Some(0));
    assert_eq!(template.stdout, std::fs::read(dir.path().join("t.xlsx")).unwrap());
}

#[test]
fn version_completions_and_manual_are_as_clap_users_expect() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let text = |args: &[&str]| {
        let out = Command::new(bin).args(args).said();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let version = text(&["--version"]);
    assert!(version.starts_with(&format!("tonghop {} (bản dựng ", env!("CARGO_PKG_VERSION"))), "{version}");
    let bash = text(&["completions", "bash"]);
    assert!(bash.contains("_tonghop()") && bash.contains("--history") && bash.contains("--show-ids"), "{bash}");
    assert!(text(&["completions", "fish"]).contains("complete -c tonghop"));
    assert!(text(&["completions", "zsh"]).starts_with("#compdef tonghop"));
    let man = text(&["man"]);
    assert!(man.contains(".TH tonghop 1") && man.contains("completions"), "{}", &man[..200]);
}

#[test]
fn usage_errors_exit_2_and_failures_exit_1() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let no_out = Command::new(bin).args(["run", "somewhere"]).said();
    assert_eq!(no_out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let bad_period = Command::new(bin).arg("run").arg(dir.path()).arg("--out").arg(dir.path().join("r.xlsx")).said();
    assert_eq!(bad_period.status.code(), Some(2), "{}", String::from_utf8_lossy(&bad_period.stderr));
    // Arguments that cannot work are refused before any work: too many workers, a report
    // date a workbook cannot hold.
    for bad in [&["-j", "18446744073709551615"][..], &["-j", "0"], &["--report-date", "0000-01-01"]] {
        let out = Command::new(bin)
            .arg("run")
            .arg(fixture_month())
            .arg("--out")
            .arg(dir.path().join("r.xlsx"))
            .args(bad)
            .said();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!dir.path().join("r.xlsx").exists());
    }
    let missing =
        Command::new(bin).args(["run", "/nonexistent/2024-02", "--out"]).arg(dir.path().join("r.xlsx")).said();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/2024-02"));
    let bad_registry = dir.path().join("units.toml");
    std::fs::write(&bad_registry, "[[unit]]\ncode = 1\n").unwrap();
    let out = Command::new(bin)
        .arg("run")
        .arg(fixture_month())
        .arg("--out")
        .arg(dir.path().join("r.xlsx"))
        .arg("--units")
        .arg(&bad_registry)
        .said();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("units.toml"));
    assert!(!dir.path().join("r.xlsx").exists());
}

#[test]
fn check_explains_a_return_and_exits_by_what_it_found() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let month = fixture_month();
    let clean = Command::new(bin).args(["check", "--period", "2024-02"]).arg(month.join("Huu Lung")).said();
    let text = String::from_utf8_lossy(&clean.stdout);
    assert!(text.contains("đơn vị: Thị trấn Hữu Lũng (06385) (theo tiêu đề)"), "{text}");
    // Without --period, the month the folder is named after, as `run` takes it: the town
    // before the 2025 reform, not the commune of the same name after it.
    let by_folder = Command::new(bin).arg("check").arg(month.join("Huu Lung")).said();
    assert_eq!(String::from_utf8_lossy(&by_folder.stdout), text);
    // Paths of two months: which one, the clerk says.
    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir(other.path().join("2024-03")).unwrap();
    let two = Command::new(bin).arg("check").arg(month.join("Huu Lung")).arg(other.path().join("2024-03")).said();
    assert_eq!(two.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&two.stderr).contains("2024-02, 2024-03"),
        "{}",
        String::from_utf8_lossy(&two.stderr)
    );
    assert!(text.contains(": Họ và tên → Họ và tên (theo tên cột)"), "{text}");
    assert!(!text.contains("full_name"), "keys are for --json, not the clerk's lines: {text}");
    let with_reject = Command::new(bin).args(["check", "--period", "2024-02"]).arg(month.join("Huu Lien")).said();
    assert_eq!(with_reject.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&with_reject.stdout).contains("B11: Bỏ dòng: thiếu họ tên"));
    let broken = Command::new(bin).args(["check", "--period", "2024-02"]).arg(month.join("Minh Tien")).said();
    assert_eq!(broken.status.code(), Some(1));

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("tonghop.toml");
    std::fs::write(&config, "[[pin]]\npattern = '*'\nunit = '99999'\n").unwrap();
    let bad_pin = Command::new(bin)
        .args(["check", "--period", "2024-02", "--config"])
        .arg(&config)
        .arg(month.join("Huu Lung"))
        .said();
    assert_eq!(bad_pin.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_pin.stderr).contains("99999"));
    std::fs::write(&config, "[[pin]]\npattern = '*'\nunit = '06427'\n").unwrap();
    let pinned = Command::new(bin)
        .args(["check", "--period", "2024-02", "--config"])
        .arg(&config)
        .arg(month.join("Huu Lung"))
        .said();
    assert!(String::from_utf8_lossy(&pinned.stdout).contains("Xã Cai Kinh (06427) (theo cấu hình)"));
}

fn llct_label(key: Option<&str>) -> &'static str {
    match key {
        Some("none") => "Chưa qua đào tạo",
        Some("so_cap") => "Sơ cấp",
        Some("trung_cap") => "Trung cấp",
        Some("cao_cap") => "Cao cấp",
        Some("cu_nhan") => "Cử nhân",
        _ => "",
    }
}

#[test]
fn every_return_style_reads_named_people_exactly() {
    let truth = truth();
    let run = run_month(&[]);
    let roster = sheet(&run.report, "Danh sách");
    let llct_column = roster.rows().next().unwrap().iter().position(|c| *c == "Lý luận chính trị").unwrap();
    let registry = tonghop_model::Registry::embedded();
    // One unit per style of the fixture month: title block, two-row merged header with
    // Nam/Nữ dates, header on row 1 with IDs as numbers, unit only in the folder name,
    // .xls in TCVN3, .ods in NFD with headers without diacritics, VNI, one-hot LLCT with a
    // three-row header, the multi-unit agency file.
    for code in ["06385", "06388", "06403", "06394", "06412", "06418", "06421", "06424", "HL-PNV"] {
        let unit = registry.unit(registry.find_code(code, "2024-02".parse().unwrap()).unwrap());
        let people: Vec<&TruePerson> = truth.people.iter().filter(|p| p.unit == code).collect();
        assert!(people.len() >= 3, "{code}");
        for p in people {
            let row = roster
                .rows()
                .find(|r| r[2].to_string() == p.name && r[1].to_string() == unit.name)
                .unwrap_or_else(|| panic!("{} of {} is not in the roster", p.name, unit.name));
            assert_eq!(birth_as(&row[3], &p.birth), p.birth, "birth date of {} ({code})", p.name);
            assert_eq!(
                row[4].to_string(),
                if p.gender == "nu" { "Nữ" } else { "Nam" },
                "gender of {} ({code})",
                p.name
            );
            assert_eq!(row[5].to_string(), p.ethnicity, "ethnicity of {} ({code})", p.name);
            assert_eq!(
                row[llct_column].to_string(),
                llct_label(p.political_theory.as_deref()),
                "LLCT of {} ({code})",
                p.name
            );
        }
    }
    let files = run.summary["files"].as_array().unwrap();
    let encoding =
        |path: &str| files.iter().find(|f| f["path"] == path).map(|f| f["encoding"].as_str().unwrap_or("").to_owned());
    assert_eq!(encoding("Yen Vuong/BC thang 02.xls").as_deref(), Some("tcvn3"));
    assert_eq!(encoding("Thanh Son/Danh sach VNI.xlsx").as_deref(), Some("vni"));
    assert_eq!(encoding("Nhat Tien.ods").as_deref(), Some("unicode"));
}

#[test]
fn a_return_filled_in_the_template_is_read_with_no_problems() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let blank = dir.path().join("Mau.xlsx");
    let out = Command::new(bin).args(["template", "--out"]).arg(&blank).said();
    assert_eq!(out.status.code(), Some(0));
    let mut wb: Xlsx<_> = open_workbook(&blank).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Danh sách", "Hướng dẫn", "DM"]);
    let header = wb.worksheet_range("Danh sách").unwrap();
    assert_eq!(header.get_value((4, 1)).map(ToString::to_string).as_deref(), Some("Họ và tên"));
    drop(wb);
    // The header is protected, the drop-downs stop a wrong value and prompt, the columns are
    // text (an ID keeps its leading zero on rows the template did not fill).
    let sheet_xml = {
        use std::io::Read as _;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&blank).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
        xml
    };
    assert!(sheet_xml.contains("<sheetProtection") && sheet_xml.contains(r#"insertRows="0""#), "{sheet_xml}");
    assert!(!sheet_xml.contains(r#"errorStyle="warning""#) && sheet_xml.contains("showInputMessage"), "{sheet_xml}");
    // The unit written in by its code (a code whose name has not changed over the reform).
    let named = dir.path().join("Mau Cai Kinh.xlsx");
    let out = Command::new(bin).args(["template", "--unit", "06427", "--out"]).arg(&named).said();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut wb: Xlsx<_> = open_workbook(&named).unwrap();
    let title = wb.worksheet_range("Danh sách").unwrap().get_value((0, 0)).map(ToString::to_string);
    assert_eq!(title.as_deref(), Some("ĐẢNG BỘ XÃ CAI KINH"));
    let unknown =
        Command::new(bin).args(["template", "--unit", "99999", "--out"]).arg(dir.path().join("x.xlsx")).said();
    assert_eq!(unknown.status.code(), Some(2));
    let cols: Vec<&str> = sheet_xml.split("<col ").skip(1).collect();
    assert!(!cols.is_empty() && cols.iter().all(|c| c.split("/>").next().is_some_and(|c| c.contains("style="))));

    let row = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    let rows = vec![
        row(&[
            "1",
            "Nguyễn Văn Hùng",
            "12/05/1978",
            "Nam",
            "Nùng",
            "020078001234",
            "Đảng viên",
            "03/02/2005",
            "Bí thư Đảng ủy, Chủ tịch HĐND",
            "Bí thư",
            "Cán bộ",
            "12/12",
            "Đại học",
            "Trung cấp",
            "",
            "Chuyên viên",
            "",
            "",
        ]),
        row(&[
            "2",
            "Lò Thị Hoa",
            "1985",
            "Nữ",
            "Tày",
            "",
            "Không",
            "",
            "Công chức Văn phòng - Thống kê",
            "Không",
            "Công chức",
            "12/12",
            "Cao đẳng",
            "Sơ cấp",
            "Trung cấp",
            "Cán sự",
            "QH Phó Chủ tịch UBND 2025-2030",
            "",
        ]),
    ];
    let bytes =
        tonghop_report::template::build("ĐẢNG BỘ XÃ SƠN HÀ", "DANH SÁCH TRÍCH NGANG THÁNG 02/2024", &rows).unwrap();
    let filled = dir.path().join("filled.xlsx");
    std::fs::write(&filled, bytes).unwrap();
    let out = Command::new(bin).args(["check", "--period", "2024-02"]).arg(&filled).said();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Xã Sơn Hà") && text.contains("không có vấn đề") && text.contains("nhận 2,"), "{text}");
    assert!(!text.contains("→ không dùng"), "{text}");

    // Read back exactly: every filled column lands in its field.
    let month = dir.path().join("2024-02");
    std::fs::create_dir_all(&month).unwrap();
    std::fs::copy(&filled, month.join("Son Ha.xlsx")).unwrap();
    let report = dir.path().join("r.xlsx");
    let out = Command::new(bin)
        .arg("run")
        .arg(&month)
        .arg("--out")
        .arg(&report)
        .args(["--report-date", "2024-03-05", "--show-ids"])
        .said();
    assert!(report.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let roster = sheet(&report, "Danh sách");
    let shown = |name: &str| -> Vec<String> {
        let row = find_row(&roster, 2, name).unwrap_or_else(|| panic!("{name} is in the roster"));
        row.iter().map(ToString::to_string).collect()
    };
    let hung = shown("Nguyễn Văn Hùng");
    let hoa = shown("Lò Thị Hoa");
    // Unit, name, gender, ethnicity, party, positions, committee, category, professional,
    // political theory, state management, ID, general education, studying, pool.
    let fields = [1, 2, 4, 5, 6, 7, 11, 12, 8, 9, 10, 14, 16, 18, 21];
    let pick = |row: &[String]| fields.iter().map(|&c| row[c].clone()).collect::<Vec<_>>();
    assert_eq!(
        pick(&hung),
        [
            "Xã Sơn Hà",
            "Nguyễn Văn Hùng",
            "Nam",
            "Nùng",
            "Có",
            "Bí thư Đảng ủy, Chủ tịch HĐND",
            "Bí thư",
            "Cán bộ",
            "Đại học",
            "Trung cấp",
            "Chuyên viên",
            "020078001234",
            "Trung học phổ thông",
            "",
            ""
        ]
    );
    assert_eq!(
        pick(&hoa),
        [
            "Xã Sơn Hà",
            "Lò Thị Hoa",
            "Nữ",
            "Tày",
            "Không",
            "Văn phòng - thống kê",
            "Không",
            "Công chức",
            "Cao đẳng",
            "Sơ cấp",
            "Cán sự",
            "",
            "Trung học phổ thông",
            "Trung cấp",
            "QH Phó Chủ tịch UBND 2025-2030"
        ]
    );
    assert_eq!(birth_as(find_row(&roster, 2, "Nguyễn Văn Hùng").unwrap().get(3).unwrap(), "12/05/1978"), "12/05/1978");
    assert_eq!(birth_as(find_row(&roster, 2, "Lò Thị Hoa").unwrap().get(3).unwrap(), "1985"), "1985");
}

#[test]
fn text_from_returns_never_becomes_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let month = dir.path().join("2024-02");
    let names = ["=Lò Văn A", "+Lò Văn B", "-Lò Văn C", "@Lò Văn D"];
    let rows: Vec<Vec<String>> = names
        .iter()
        .enumerate()
        .map(|(i, n)| vec![format!("{}", i + 1), (*n).to_owned(), format!("0{}/01/1980", i + 1), "Nam".into()])
        .collect();
    let bytes = tonghop_report::template::build("ĐẢNG BỘ XÃ SƠN HÀ", "", &rows).unwrap();
    std::fs::create_dir_all(&month).unwrap();
    std::fs::write(month.join("Son Ha.xlsx"), bytes).unwrap();
    let report = dir.path().join("r.xlsx");
    let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .arg("run")
        .arg(&month)
        .arg("--out")
        .arg(&report)
        .args(["--report-date", "2024-03-05"])
        .said();
    assert!(report.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut wb: Xlsx<_> = open_workbook(&report).unwrap();
    let roster = wb.worksheet_range("Danh sách").unwrap();
    let formulas = wb.worksheet_formula("Danh sách").unwrap();
    for name in names {
        let (r, row) = roster
            .rows()
            .enumerate()
            .find(|(_, r)| r[2].to_string().eq_ignore_ascii_case(name))
            .unwrap_or_else(|| panic!("{name} not in the roster"));
        assert!(matches!(row[2], Data::String(_)), "{name} is not text: {:?}", row[2]);
        assert!(formulas.get_value((r as u32, 2)).is_none_or(String::is_empty), "{name} became a formula");
    }
}

#[test]
fn form_9c_agrees_with_the_headline_indicators_and_forms_md() {
    let run = run_month(&[]);
    let form = sheet(&run.report, "Biểu 9C");
    let cell = |r: usize, c: usize| form.get((r, c)).map(ToString::to_string).unwrap_or_default();
    assert_eq!(cell(0, 10), "Biểu số 9C-BTCTW");
    assert_eq!(cell(1, 10), "Đvt: Người");
    assert_eq!(cell(3, 0), "THỐNG KÊ CÁN BỘ LÃNH ĐẠO, QUẢN LÝ CẤP XÃ");
    assert_eq!(cell(6, 1), "Ban chấp hành");
    assert_eq!(cell(6, 3), "Lãnh đạo cấp ủy");
    assert_eq!(cell(7, 3), "Bí thư");
    assert_eq!(
        (1..=11).map(|c| cell(8, c - 1)).collect::<Vec<_>>(),
        (1..=11).map(|n| n.to_string()).collect::<Vec<_>>()
    );
    let row = |label: &str| form.rows().position(|r| r[0] == label).unwrap_or_else(|| panic!("{label}"));
    let value = |label: &str, c: usize| form.get((row(label), c)).and_then(calamine::DataType::as_i64);
    let (num, den, _) = ratio_of(&run.summary, "commune_committee_llct_tc_plus");
    assert_eq!(value("TỔNG SỐ", 1), Some(den.cast_signed()));
    assert_eq!(value("- Trung cấp", 1).unwrap() + value("- Cao cấp, cử nhân", 1).unwrap(), num.cast_signed());
    let (_, secretaries, _) = ratio_of(&run.summary, "commune_secretary_llct_tc_plus");
    assert_eq!(value("TỔNG SỐ", 3), Some(secretaries.cast_signed()));
    assert_eq!(value("3. Chức danh khoa học: - Phó Giáo sư", 1), None, "rows the data cannot fill stay empty");
    let signature = form.rows().flatten().map(ToString::to_string).collect::<Vec<_>>();
    assert!(signature.iter().any(|s| s == "NGƯỜI LẬP BIỂU") && signature.iter().any(|s| s == "TRƯỞNG BAN"));
}

#[test]
fn plain_log_lines_when_not_on_a_terminal_and_silence_when_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tonghop"))
            .arg("run")
            .arg(fixture_month())
            .arg("--out")
            .arg(dir.path().join("r.xlsx"))
            .args(extra)
            .said()
    };
    // Standard error is a pipe here, as under cron: log lines, no bar.
    let logged = run(&[]);
    let stderr = String::from_utf8_lossy(&logged.stderr);
    assert!(stderr.contains("đã đọc và chuẩn hóa 27 tệp: 799 dòng, 1 tệp không đọc được"), "{stderr}");
    assert!(stderr.contains("đã tổng hợp: 599 người"), "{stderr}");
    // The clerk's cron mail: one language a line, no English level tag.
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        assert!(!line.contains("INFO") && !line.contains(" peak "), "{line}");
    }
    assert!(!stderr.contains('\r'), "no progress bar drawn into a log: {stderr}");
    assert!(!stderr.contains("debug:"), "{stderr}");
    // --verbose adds the time of each step of each stage, in English lines tagged "debug:";
    // the clerk's lines stay as they were, untagged.
    let verbose = run(&["--verbose"]);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    for step in [
        "read / normalise, summed over the workers: ",
        "deduplicate / keys: ",
        "sheets / Danh sách: ",
        "report / save: ",
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(&format!(" debug: {step}")) && l.ends_with(" s")),
            "{step}: {stderr}"
        );
    }
    let summed = stderr.lines().find(|l| l.contains("đã tổng hợp: 599 người")).expect("the clerk's line");
    assert!(!summed.contains("debug") && !summed.contains("INFO"), "{summed}");
    assert!(!stderr.contains("INFO") && !stderr.contains("DEBUG"), "{stderr}");
    assert_eq!(verbose.status.code(), Some(3));
    // Bars asked for where no terminal is (a cron job's log): drawn, not left blank.
    let always = run(&["--progress", "always"]);
    let stderr = String::from_utf8_lossy(&always.stderr);
    assert!(stderr.contains("đọc báo cáo") && stderr.contains("/27 tệp"), "{stderr}");
    assert!(!stderr.contains("đã tổng hợp:"), "bars instead of log lines: {stderr}");
    let quiet = run(&["--quiet"]);
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    assert!(String::from_utf8_lossy(&quiet.stdout).starts_with("tonghop 2024-02: 47/49 đơn vị đã nộp"));
    assert_eq!(quiet.status.code(), Some(3));
}

#[test]
fn an_unwritable_output_fails_with_exit_1_and_says_where() {
    // /proc refuses new files even to root: the report cannot be written there.
    for out in ["/proc/tonghop-test/BaoCao.xlsx", "/proc/BaoCao.xlsx"] {
        let result = Command::new(env!("CARGO_BIN_EXE_tonghop"))
            .arg("run")
            .arg(fixture_month())
            .args(["--out", out, "--quiet"])
            .said();
        assert_eq!(result.status.code(), Some(1), "{out}");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains("tonghop: lỗi:") && stderr.contains("/proc"), "{stderr}");
    }
}

/// A folder that fills up while the report is written: the write fails part way, the run
/// exits 1 saying which file and why (once), the previous report is whole and no
/// temporary file is left. The disk is "filled" with a file-size limit on the run (the
/// shell's `ulimit -f`, with the signal it sends ignored so that the write itself fails),
/// which needs no privilege.
#[cfg(unix)]
#[test]
fn a_folder_that_fills_up_fails_with_exit_1_and_keeps_the_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("BaoCao_2024-02.xlsx");
    // The previous report (tonghop replaces only its own).
    let first = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .arg("run")
        .arg(fixture_month())
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--report-date", "2024-03-01"])
        .said();
    assert_eq!(first.status.code(), Some(3));
    let previous = std::fs::read(&out).unwrap();
    // 64 blocks (32 or 64 KiB, as the shell counts them): the sample month's report is
    // some 160 KiB.
    let result = Command::new("sh")
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 64; exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_tonghop"))
        .arg("run")
        .arg(fixture_month())
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .said();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("tonghop: lỗi:") && stderr.contains(&*out.to_string_lossy()), "{stderr}");
    assert!(stderr.contains("chỗ trống trên ổ đĩa"), "{stderr}");
    assert_eq!(stderr.matches("tệp vượt quá giới hạn kích thước").count(), 1, "the cause once: {stderr}");
    assert!(!stderr.contains("os error"), "the clerk's line has no English: {stderr}");
    assert!(std::fs::read(&out).unwrap() == previous, "the previous report is whole");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".tonghop.lock")
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn a_misread_commune_is_doubted_where_the_clerk_looks() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let month = fixture_month();
    // Read right: no doubt.
    let clean = Command::new(bin).args(["check", "--period", "2024-02"]).arg(month.join("Huu Lung")).said();
    let text = String::from_utf8_lossy(&clean.stdout);
    assert_eq!(clean.status.code(), Some(0), "{text}");
    assert!(!text.contains("số liệu có thể đọc sai"), "{text}");
    // The same return with its positions column misread as a note: no chairman of the
    // People's Committee (the secretary still comes from the committee column); said by
    // check, with exit 3.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("tonghop.toml");
    std::fs::write(&config, "[headers]\nnote = ['Chức vụ']\n").unwrap();
    let misread = Command::new(bin)
        .args(["check", "--period", "2024-02", "--config"])
        .arg(&config)
        .arg(month.join("Huu Lung"))
        .said();
    let text = String::from_utf8_lossy(&misread.stdout);
    assert_eq!(misread.status.code(), Some(3), "{text}");
    assert!(text.contains("số liệu có thể đọc sai: không có Chủ tịch UBND"), "{text}");
    // The sample month read right raises no doubt in the summary.
    let run = run_month(&[]);
    let units = run.summary["units"].as_array().unwrap();
    assert!(units.iter().all(|u| u["warnings"].as_array().is_some_and(Vec::is_empty)), "{units:?}");
    assert_eq!(run.summary["indicators"]["units_doubtful"]["value"], 0);
}

/// The fields `check --json` gives each column of each read sheet: (sheet, letter, field).
fn understood(json_line: &str) -> Vec<(String, String, String)> {
    let v: Value = serde_json::from_str(json_line).unwrap();
    let mut out = Vec::new();
    for sheet in v["sheets"].as_array().unwrap() {
        for c in sheet["columns"].as_array().unwrap() {
            let option = c["option"].as_str().map(|o| format!(":{o}")).unwrap_or_default();
            out.push((
                sheet["name"].as_str().unwrap().to_owned(),
                c["letter"].as_str().unwrap().to_owned(),
                format!("{}{option}", c["field"].as_str().unwrap_or("ignore")),
            ));
        }
    }
    out
}

/// The rule of every column `check --json` read a field from.
fn rules(json_line: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json_line).unwrap();
    v["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["columns"].as_array().unwrap().iter())
        .filter(|c| !c["field"].is_null())
        .map(|c| c["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn emitted_config_reads_the_file_as_it_was_understood() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let dir = tempfile::tempdir().unwrap();
    for name in ["22-export-template-namnu.xlsx", "13-rating-summary-misaligned.xlsx", "16-split-name-allowances.xlsx"]
    {
        let file = root().join("fixtures/layouts/files").join(name);
        let json = |extra: &[&std::ffi::OsStr]| {
            let out = Command::new(bin).args(["check", "--json", "--period", "2024-02"]).args(extra).arg(&file).said();
            String::from_utf8(out.stdout).unwrap()
        };
        let emitted = Command::new(bin).args(["check", "--emit-config", "--period", "2024-02"]).arg(&file).said();
        let fragment = String::from_utf8(emitted.stdout).unwrap();
        assert!(fragment.contains("[[layout]]") && fragment.contains("pattern = \"**/files/*\""), "{fragment}");
        let config = dir.path().join("tonghop.toml");
        std::fs::write(&config, &fragment).unwrap();
        let before = json(&[]);
        let after = json(&["--config".as_ref(), config.as_os_str()]);
        let mapped =
            |cols: Vec<(String, String, String)>| cols.into_iter().filter(|c| c.2 != "ignore").collect::<Vec<_>>();
        assert_eq!(mapped(understood(&before)), mapped(understood(&after)), "{name}\n{fragment}");
        // The same reading, from the configuration: every column read decided by it.
        let decided = rules(&after);
        assert!(!decided.is_empty() && decided.iter().all(|r| r == "config"), "{name}: {decided:?}");
        let accepted = |line: &str| serde_json::from_str::<Value>(line).unwrap()["accepted"].clone();
        assert_eq!(accepted(&before), accepted(&after), "{name}");
    }
}

#[test]
fn emitted_config_keeps_one_hot_and_date_part_columns() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Son Ha");
    std::fs::create_dir_all(&folder).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("DS").unwrap();
    let f = rust_xlsxwriter::Format::new();
    ws.merge_range(0, 0, 1, 0, "Họ và tên", &f).unwrap();
    ws.merge_range(0, 1, 0, 3, "Ngày sinh", &f).unwrap();
    ws.merge_range(0, 4, 0, 6, "Lý luận chính trị", &f).unwrap();
    for (c, label) in ["Ngày", "Tháng", "Năm", "SC", "TC", "CC"].iter().enumerate() {
        ws.write_string(1, c as u16 + 1, *label).unwrap();
    }
    for (r, row) in
        [["Hoàng Văn Páo", "3", "4", "1968", "", "x", ""], ["Lành Thị Slao", "12", "5", "1980", "", "", "x"]]
            .iter()
            .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 2, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(folder.join("BC thang 3.xlsx")).unwrap();
    let check = |config: Option<&Path>| {
        let mut cmd = Command::new(bin);
        cmd.args(["check", "--json", "--period", "2024-02"]);
        if let Some(c) = config {
            cmd.arg("--config").arg(c);
        }
        String::from_utf8(cmd.arg(dir.path()).said().stdout).unwrap()
    };
    let before = check(None);
    let cols = understood(&before);
    assert!(cols.contains(&("DS".into(), "B".into(), "birth_date:ngày".into())), "{cols:?}");
    assert!(cols.contains(&("DS".into(), "F".into(), "political_theory:TC".into())), "{cols:?}");
    let emitted = Command::new(bin).args(["check", "--emit-config", "--period", "2024-02"]).arg(dir.path()).said();
    let fragment = String::from_utf8(emitted.stdout).unwrap();
    assert!(fragment.contains("pattern = \"Son Ha/*\""), "{fragment}");
    let config_dir = tempfile::tempdir().unwrap();
    let config = config_dir.path().join("tonghop.toml");
    std::fs::write(&config, &fragment).unwrap();
    let after = check(Some(&config));
    assert_eq!(understood(&before), understood(&after), "{fragment}");
    assert!(!rules(&after).is_empty() && rules(&after).iter().all(|r| r == "config"), "{:?}", rules(&after));
    let problems = |line: &str| serde_json::from_str::<Value>(line).unwrap()["problems"].clone();
    assert_eq!(problems(&before), problems(&after));
    assert_eq!(problems(&after), serde_json::json!([]));
}

#[test]
fn a_layout_nobody_recognises_is_read_once_the_clerk_corrects_it() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("Son Ha");
    std::fs::create_dir_all(&returns).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("DS").unwrap();
    let rows: [[&str; 4]; 5] = [
        ["ĐẢNG BỘ XÃ SƠN HÀ", "", "", ""],
        ["Cán bộ", "Sinh", "Nhiệm vụ", "LL"],
        ["Hoàng Văn Páo", "1975", "Bí thư Đảng ủy", "TC"],
        ["Mẫu: ghi tên đầy đủ", "1900", "", ""],
        ["Lành Thị Slao", "12/05/1980", "Chủ tịch UBND", "CC"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *text).unwrap();
        }
    }
    wb.save(returns.join("BC thang 3.xlsx")).unwrap();
    let check = |config: Option<&Path>| {
        let mut cmd = Command::new(bin);
        cmd.args(["check", "--json", "--period", "2024-02"]);
        if let Some(c) = config {
            cmd.arg("--config").arg(c);
        }
        let out = cmd.arg(dir.path()).said();
        (out.status.code(), serde_json::from_slice::<Value>(&out.stdout).unwrap())
    };
    // Unknown labels: no roster, exit 1.
    let (code, v) = check(None);
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(v["error_kind"], "no_roster");
    // Corrected once, for every month's file of the commune's folder.
    let config_dir = tempfile::tempdir().unwrap();
    let config = config_dir.path().join("tonghop.toml");
    std::fs::write(
        &config,
        "[[layout]]\npattern = 'Son Ha/*'\nheader_rows = [2, 2]\nskip_rows = [4]\n\
         [layout.columns]\nA = 'full_name'\nB = 'birth_date'\n'Nhiệm vụ' = 'positions'\nD = 'political_theory'\n",
    )
    .unwrap();
    let (code, v) = check(Some(&config));
    assert_eq!(v["accepted"], 2, "{v}");
    assert_eq!(v["skipped"], 1, "{v}");
    assert_eq!(code, Some(0), "{v}");
    let cols = understood(&v.to_string());
    assert!(cols.contains(&("DS".into(), "C".into(), "positions".into())), "{cols:?}");
    assert_eq!(v["sheets"][0]["columns"][0]["rule"], "config");
    assert_eq!(v["sheets"][0]["skipped_by_kind"][0]["kind"], "bỏ qua theo cấu hình");
    // A field that does not exist is an error naming it.
    std::fs::write(&config, "[[layout]]\npattern = 'Son Ha/*'\n[layout.columns]\nA = 'ho_ten'\n").unwrap();
    let out = Command::new(bin).args(["check", "--period", "2024-02", "--config"]).arg(&config).arg(dir.path()).said();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ho_ten"));
}

#[test]
fn a_month_with_a_misread_column_says_so_in_the_report_summary_and_exit_code() {
    // Every return's positions read as a note: no commune has a chairman any more.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("tonghop.toml");
    std::fs::write(&config, "[headers]\nnote = ['Chức vụ', 'Chức danh', 'Chức vụ hiện nay']\n").unwrap();
    let run = run_month(&["--config", config.to_str().unwrap()]);
    assert_eq!(run.code, 3);
    assert!(run.stdout.contains("số liệu có thể đọc sai: "), "{}", run.stdout);
    let doubtful: Vec<&Value> = run.summary["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| !u["warnings"].as_array().unwrap().is_empty())
        .collect();
    assert!(!doubtful.is_empty());
    assert!(doubtful.iter().all(|u| u["status"] == "received"));
    assert_eq!(run.summary["indicators"]["units_doubtful"]["value"], doubtful.len());
    let mut book: Xlsx<_> = open_workbook(&run.report).unwrap();
    let summary = book.worksheet_range("Tổng hợp").unwrap();
    let doubt = format!("{} đơn vị có số liệu có thể đọc sai (xem Tiếp nhận)", doubtful.len());
    assert!(summary.rows().any(|r| r.iter().any(|c| c.to_string().contains(&doubt))), "{doubt}");
    let units = book.worksheet_range("Theo đơn vị").unwrap();
    let marked = units.rows().filter(|r| r.iter().any(|c| c.to_string().ends_with("số liệu có thể đọc sai"))).count();
    // Six tables, a line per unit in each.
    assert_eq!(marked, 6 * doubtful.len());
    let intake = book.worksheet_range("Tiếp nhận").unwrap();
    assert!(intake.rows().any(|r| r.iter().any(|c| c.to_string().starts_with("số liệu có thể đọc sai: "))));
}

/// Runs tonghop with `args`, failing the test if it has not ended within ten seconds.
fn run_within_seconds(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("tonghop {args:?} did not end");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
#[allow(clippy::print_stderr)]
fn a_pipe_or_a_device_given_as_a_file_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("Son Ha.xlsx");
    if !Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let out = run_within_seconds(&["check".as_ref(), "--period".as_ref(), "2024-02".as_ref(), fifo.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("không phải một tệp thường"));
    let report = dir.path().join("r.xlsx");
    for (option, path) in
        [("--units", fifo.as_path()), ("--training", fifo.as_path()), ("--units", Path::new("/dev/zero"))]
    {
        let out = run_within_seconds(&[
            "run".as_ref(),
            fixture_month().as_os_str(),
            "--out".as_ref(),
            report.as_os_str(),
            option.as_ref(),
            path.as_os_str(),
        ]);
        assert_ne!(out.status.code(), Some(0), "{option} {}", path.display());
    }
}

#[test]
fn one_bad_path_or_summary_does_not_hide_the_rest() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    // check: a missing file among good ones is one unreadable file; the good ones are said.
    let out = Command::new(bin)
        .args(["check", "--period", "2024-02", "/nonexistent/bc.xlsx"])
        .arg(fixture_month().join("Huu Lung"))
        .said();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("/nonexistent/bc.xlsx: không đọc được"), "{text}");
    assert!(text.contains("lỗi: không có tệp này"), "{text}");
    // The worst status wins: a file that cannot be read over a file with problems (3).
    let worst = Command::new(bin)
        .args(["check", "--period", "2024-02", "/nonexistent/bc.xlsx"])
        .arg(fixture_month().join("Huu Lien"))
        .said();
    assert_eq!(worst.status.code(), Some(1));
    // A reader that stops early ends the output quietly.
    let piped = Command::new("sh")
        .arg("-c")
        // Five times the month: more than a pipe holds, so that the writer meets the closed end.
        .arg(r#""$0" check --period 2024-02 "$1" "$1" "$1" "$1" "$1" | head -c 10 > /dev/null"#)
        .arg(bin)
        .arg(fixture_month())
        .said();
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert!(text.contains("đơn vị: Thị trấn Hữu Lũng (06385)"), "{text}");
    // run: a summary that cannot be written does not unsay the report that was.
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.xlsx");
    let out = Command::new(bin)
        .arg("run")
        .arg(fixture_month())
        .arg("--out")
        .arg(&report)
        .arg("--summary-json")
        // /proc refuses new folders even to root.
        .arg("/proc/tonghop-test/summary.json")
        .said();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(report.exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("đã ghi báo cáo") && !stderr.contains("chưa ghi được báo cáo"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("đơn vị đã nộp"));
}

#[test]
fn a_file_name_cannot_drive_the_terminal_or_forge_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = "Son Ha\u{1b}[2J\nfake: đã đọc.xlsx";
    std::fs::write(dir.path().join(name), b"not a spreadsheet at all").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .args(["check", "--period", "2024-02"])
        .arg(dir.path().join(name))
        .said();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.lines().any(|l| l.starts_with("fake:")), "{text}");
    assert!(text.contains("\\u{1b}[2J\\nfake"), "{text}");
}

#[test]
fn a_report_is_never_read_back_as_a_return() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let dir = tempfile::tempdir().unwrap();
    let month = copy_fixture_month(dir.path());
    // --out inside the returns folder is refused before any work.
    let inside = month.join("BaoCao.xlsx");
    let out = Command::new(bin).arg("run").arg(&month).arg("--out").arg(&inside).said();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!inside.exists());
    // A report left in the returns folder is listed and skipped: the month counts the same.
    let people = |summary: &Path| -> u64 {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(summary).unwrap()).unwrap();
        v["totals"]["people"].as_u64().or_else(|| v["people"].as_u64()).unwrap_or_else(|| panic!("{v}"))
    };
    let report = dir.path().join("BaoCao.xlsx");
    let summary = dir.path().join("s1.json");
    Command::new(bin).arg("run").arg(&month).arg("--out").arg(&report).arg("--summary-json").arg(&summary).said();
    let before = people(&summary);
    std::fs::copy(&report, month.join("BaoCao_cu.xlsx")).unwrap();
    let summary2 = dir.path().join("s2.json");
    let report2 = dir.path().join("BaoCao2.xlsx");
    Command::new(bin).arg("run").arg(&month).arg("--out").arg(&report2).arg("--summary-json").arg(&summary2).said();
    assert_eq!(people(&summary2), before);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&summary2).unwrap()).unwrap();
    let listed = v["files"].as_array().unwrap().iter().find(|f| f["path"] == "BaoCao_cu.xlsx").unwrap().clone();
    assert_eq!(listed["status"], "not_spreadsheet", "{listed}");
}

#[test]
fn log_lines_and_today_are_the_machines_local_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .env("TZ", "Asia/Ho_Chi_Minh")
        .arg("run")
        .arg(fixture_month())
        .arg("--out")
        .arg(dir.path().join("r.xlsx"))
        .args(["--progress", "never"])
        .said();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.split_whitespace().next().is_some_and(|stamp| stamp.ends_with("+07:00")), "{first}");
}

#[test]
fn check_verbose_shows_the_configuration_parsers_detail() {
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("tonghop.toml");
    std::fs::write(&config, "[[layout]]\nheadres = 1\n").unwrap();
    let check = |verbose: bool| {
        let mut cmd = Command::new(bin);
        cmd.args(["check", "--period", "2024-02", "--config"]).arg(&config);
        if verbose {
            cmd.arg("-v");
        }
        let out = cmd.arg(fixture_month().join("Yen Binh")).said();
        assert_eq!(out.status.code(), Some(1), "a configuration that cannot be used, as a bad registry");
        String::from_utf8(out.stderr).unwrap()
    };
    let (quiet, verbose) = (check(false), check(true));
    // The clerk's line either way, in Vietnamese, with the key's place.
    for said in [&quiet, &verbose] {
        assert!(said.contains("khóa 'headres' ở dòng 2, cột 1"), "{said}");
    }
    assert!(!quiet.contains("debug:"), "{quiet}");
    assert!(verbose.contains("debug: config: unknown field `headres`"), "{verbose}");
}
