//! Command bodies: the only place that talks to the terminal.

use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::{Datelike as _, NaiveDate};
use tonghop_model::{Period, Registry};
use tonghop_pipeline::{MonthError, MonthOptions, create_parent};
use tonghop_report::write_atomic;

use crate::args::{Cli, Command, RunArgs};
use crate::exit;

/// Writes `bytes` to standard output; a reader that stops early (`| head`) ends it quietly.
fn print_out(bytes: &[u8]) -> Result<u8> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("không ghi được ra đầu ra chuẩn"),
        _ => Ok(exit::COMPLETE),
    }
}

/// The workbook or the summary asked for on standard output. A reader that stops early
/// (a closed pipe) has not got the whole output: that is a failure, not the quiet end a
/// listing piped to `head` may have.
fn print_outputs(stdout: &tonghop_pipeline::Stdout) -> Result<()> {
    use std::io::Write as _;
    let Some(bytes) = stdout.workbook.as_deref().or(stdout.summary.as_deref().map(str::as_bytes)) else {
        return Ok(());
    };
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).context("không ghi hết được ra đầu ra chuẩn")
}

/// Refuses a workbook for standard output when that is a terminal: its bytes would fill
/// the screen.
fn workbook_to_terminal(out: &Path) -> bool {
    use std::io::IsTerminal as _;
    tonghop_pipeline::is_stdout(out) && std::io::stdout().is_terminal()
}

const TO_TERMINAL: &str =
    "--out -: không ghi bảng tính ra màn hình; chuyển hướng vào tệp (ví dụ > BaoCao.xlsx) hoặc cho tên tệp";

/// The most worker threads `-j` may ask for.
const MAX_JOBS: usize = 256;

/// Runs a subcommand and returns its exit code.
pub fn dispatch(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "tonghop", &mut out);
            print_out(&out)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .context("không lập được trang hướng dẫn")?;
            print_out(&out)
        }
        Command::Run(args) => run(&args),
        Command::Check(args) => crate::check::check(&args),
        Command::Template(args) => {
            // The unit written in by its code: the commune does not type its own name.
            let title = match &args.unit {
                Some(code) => {
                    let registry = match &args.units {
                        Some(path) => Registry::load(path).context("không dùng được danh mục đơn vị cho ở --units")?,
                        None => Registry::embedded(),
                    };
                    let period = Period::containing(today());
                    let Some(unit) = registry.find_code(code, period) else {
                        return Ok(usage(&format!("--unit: không có đơn vị mã '{code}' trong danh mục, kỳ {period}")));
                    };
                    format!("ĐẢNG BỘ {}", registry.unit(unit).name.to_uppercase())
                }
                None => String::new(),
            };
            let bytes = tonghop_report::template::build(&title, "", &[]).context("không lập được mẫu báo cáo")?;
            if workbook_to_terminal(&args.out) {
                return Ok(usage(TO_TERMINAL));
            }
            if tonghop_pipeline::is_stdout(&args.out) {
                print_outputs(&tonghop_pipeline::Stdout { workbook: Some(bytes), summary: None })?;
                return Ok(exit::COMPLETE);
            }
            create_parent(&args.out)?;
            write_atomic(&args.out, &bytes).context("chưa ghi được mẫu báo cáo; kiểm tra quyền ghi thư mục")?;
            #[allow(clippy::print_stdout)]
            {
                println!("đã ghi mẫu báo cáo: {}", args.out.display());
            }
            Ok(exit::COMPLETE)
        }
    }
}

pub fn usage(message: &str) -> u8 {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("tonghop: {message}\n\nXem hướng dẫn: tonghop run --help");
    }
    exit::USAGE
}

/// Today in the machine's time zone: a run at 06:30 in Hà Nội is dated that day, not the
/// day before as UTC would say.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn run(args: &RunArgs) -> Result<u8> {
    if workbook_to_terminal(&args.out) {
        return Ok(usage(TO_TERMINAL));
    }
    let period: Period = match &args.period {
        Some(p) => match p.parse() {
            Ok(p) => p,
            Err(e) => return Ok(usage(&format!("--period: {e}"))),
        },
        None => match args.returns_dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse().ok()) {
            Some(p) => p,
            None => {
                return Ok(usage(&format!(
                    "không đoán được kỳ báo cáo từ tên thư mục '{}': cho --period YYYY-MM",
                    args.returns_dir.display()
                )));
            }
        },
    };
    let report_date = match &args.report_date {
        // A workbook holds dates from 1900 to 9999: said now, not after the month's work.
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) if (1900..=9999).contains(&d.year()) => d,
            Ok(_) => return Ok(usage(&format!("--report-date: '{d}' nằm ngoài các năm 1900 đến 9999"))),
            Err(_) => return Ok(usage(&format!("--report-date: '{d}' không phải ngày dạng YYYY-MM-DD"))),
        },
        None => today(),
    };
    if let Some(jobs) = args.jobs {
        // Each worker is a thread with its own stack: thousands would exhaust the machine
        // before any work is done.
        if jobs == 0 || jobs > MAX_JOBS {
            return Ok(usage(&format!("--jobs phải từ 1 đến {MAX_JOBS}")));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
            .context("không khởi động được các luồng làm việc")?;
    }
    let options = MonthOptions {
        returns_dir: args.returns_dir.clone(),
        period,
        report_date,
        units: args.mapping.units.clone(),
        config: args.mapping.config.clone(),
        training: args.training.clone(),
        since: args.since,
        history: args.history.clone(),
        decisions: args.decisions.clone(),
        out: args.out.clone(),
        summary_json: args.summary_json.clone(),
        program: format!("tonghop {}", env!("CARGO_PKG_VERSION")),
        show_ids: args.show_ids,
        feedback: args.feedback.clone(),
    };
    let progress = crate::progress::Progress::new(args.quiet, args.verbose, args.progress);
    let outcome = match tonghop_pipeline::run_month(&options, &progress) {
        Ok(outcome) => outcome,
        Err(MonthError::Usage(message)) => return Ok(usage(&message)),
        Err(MonthError::SummaryNotWritten { outcome, report, summary, source }) => {
            // The report stands: say so, with the month's result, before the failure; a
            // workbook for standard output still goes there.
            let to_stdout = outcome.stdout.workbook.is_some() || outcome.stdout.summary.is_some();
            print_result(&outcome.consolidation, &outcome.registry, &args.out, to_stdout);
            print_outputs(&outcome.stdout)?;
            return Err(anyhow::Error::from_boxed(source)
                .context(format!("đã ghi báo cáo {report} nhưng không ghi được {summary}")));
        }
        Err(e) => return Err(e.into()),
    };
    // With the workbook or the summary on standard output, the result lines go to
    // standard error.
    let stdout = &outcome.stdout;
    print_result(
        &outcome.consolidation,
        &outcome.registry,
        &args.out,
        stdout.workbook.is_some() || stdout.summary.is_some(),
    );
    print_outputs(stdout)?;
    let code = outcome.code;
    // The process ends here: freeing a country's quarter of a million people one string
    // at a time would take a fifth of a second, for nothing.
    std::mem::forget(outcome);
    Ok(code)
}

#[allow(clippy::print_stdout)]
fn print_result(c: &tonghop_transform::Consolidation, registry: &Registry, out: &Path, to_stderr: bool) {
    #[allow(clippy::print_stderr)]
    let say = |line: String| {
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    use tonghop_model::intake::UnitStatus;
    let expected = c.unit_lines.len();
    let received = c.unit_lines.iter().filter(|u| u.status == UnitStatus::Received).count();
    let names = |status: UnitStatus| {
        c.unit_lines
            .iter()
            .filter(|u| u.status == status)
            .map(|u| registry.unit(u.unit).name.clone())
            .collect::<Vec<_>>()
    };
    let totals = c.totals();
    say(format!(
        "tonghop {}: {received}/{expected} đơn vị đã nộp, {} người, {} dòng đã đọc ({} nhận, {} loại, {} bỏ qua), {} vấn đề dữ liệu; báo cáo: {}",
        c.period,
        c.people.len(),
        totals.read,
        totals.accepted,
        totals.rejected,
        totals.skipped,
        c.issues.len(),
        tonghop_pipeline::shown_output(out)
    ));
    let missing = names(UnitStatus::Missing);
    if !missing.is_empty() {
        say(format!("  chưa nộp: {}", missing.join(", ")));
    }
    let invalid = names(UnitStatus::Invalid);
    if !invalid.is_empty() {
        say(format!("  không đọc được: {}", invalid.join(", ")));
    }
    for notice in &c.notices {
        say(format!("  lưu ý: {notice}"));
    }
    let no_rows = names(UnitStatus::NoRows);
    if !no_rows.is_empty() {
        say(format!("  không có dòng dùng được: {}", no_rows.join(", ")));
    }
    // Units with something to say, each with what: plausibility doubts, then notes.
    let said = |what: fn(&tonghop_model::intake::UnitIntake) -> &Vec<String>| {
        c.units
            .iter()
            .filter(|u| !what(u).is_empty())
            .map(|u| format!("{} ({})", registry.unit(u.unit).name, what(u).join("; ")))
            .collect::<Vec<_>>()
    };
    for (label, units) in
        [(tonghop_transform::plausibility::DOUBT, said(|u| &u.warnings)), ("cần kiểm tra", said(|u| &u.notes))]
    {
        if !units.is_empty() {
            say(format!("  {label}: {}", units.join(", ")));
        }
    }
}
