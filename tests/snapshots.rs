//! Snapshots of what the clerk and the scripts read, whole: the JSON summary of the sample
//! month and `check`'s explanation of its returns. A change shows as a diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test` then `git diff`), not as a
//! `contains` that still passes.

use std::process::Command;

use crate::e2e::{fixture_month, run_month};
use crate::language::Said as _;

#[test]
fn the_sample_months_json_summary() {
    let run = run_month(&["--training", crate::e2e::root().join("fixtures/training/2024-02.xlsx").to_str().unwrap()]);
    insta::assert_snapshot!("summary_2024_02", serde_json::to_string_pretty(&run.summary).unwrap());
}

#[test]
fn check_explains_the_sample_returns() {
    let month = fixture_month();
    // A clean return, one with a rejected row, one that cannot be read.
    for (name, unit) in [("huu_lung", "Huu Lung"), ("huu_lien", "Huu Lien"), ("minh_tien", "Minh Tien")] {
        let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
            .args(["check", "--period", "2024-02"])
            .arg(month.join(unit))
            .said();
        let text = format!(
            "exit {}\n{}",
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).replace(&month.display().to_string(), "<tháng>")
        );
        insta::assert_snapshot!(format!("check_{name}"), text);
    }
}
