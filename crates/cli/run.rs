//! Command bodies: the only place that talks to the terminal.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use chrono::{Datelike as _, NaiveDate};
use tonghop_ingest::{FileRead, IngestContext, discover, read_all_then};
use tonghop_model::{Config, Period, Registry};
use tonghop_report::{ReportMeta, summary, workbook, write_atomic};
use tonghop_transform::{FileRows, Input, consolidate, normalise_file};

use crate::args::{Cli, Command, RunArgs};
use crate::exit;

/// The most worker threads `-j` may ask for.
const MAX_JOBS: usize = 256;

/// Runs a subcommand and returns its exit code.
pub fn dispatch(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Run(args) => run(&args),
        Command::Check(args) => crate::check::check(&args),
        Command::Template(args) => {
            let bytes = tonghop_report::template::build("", "", &[]).context("building the template failed")?;
            create_parent(&args.out)?;
            write_atomic(&args.out, &bytes)
                .context("the template was not written; check that the folder is writable")?;
            #[allow(clippy::print_stdout)]
            {
                println!("template written: {}", args.out.display());
            }
            Ok(exit::COMPLETE)
        }
    }
}

pub fn usage(message: &str) -> u8 {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("tonghop: {message}\n\nFor more information, try 'tonghop run --help'.");
    }
    exit::USAGE
}

/// Reads `--config`, and checks that every pinned unit code is in the registry.
pub fn load_config(path: Option<&Path>, registry: &Registry, period: Period) -> Result<Config> {
    let Some(path) = path else { return Ok(Config::default()) };
    let text = tonghop_model::files::read_regular_file(path, 4 * 1024 * 1024)
        .map_err(anyhow::Error::from)
        .and_then(|b| String::from_utf8(b).map_err(|_| anyhow::anyhow!("not UTF-8 text")))
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    let config = Config::from_toml_str(&text, &path.display().to_string())?;
    for pin in &config.pins {
        if registry.find_code(&pin.unit, period).is_none() {
            bail!(
                "config {}: [[pin]] pattern '{}' names unit '{}', which is not in the unit registry",
                path.display(),
                pin.pattern,
                pin.unit
            );
        }
    }
    Ok(config)
}

pub fn today() -> NaiveDate {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .expect("valid")
        .checked_add_days(chrono::Days::new(days))
        .expect("a date after 1970")
}

fn run(args: &RunArgs) -> Result<u8> {
    let period: Period = match &args.period {
        Some(p) => match p.parse() {
            Ok(p) => p,
            Err(e) => return Ok(usage(&format!("--period: {e}"))),
        },
        None => match args.returns_dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse().ok()) {
            Some(p) => p,
            None => {
                return Ok(usage(&format!(
                    "cannot tell the period from the folder name '{}': give --period YYYY-MM",
                    args.returns_dir.display()
                )));
            }
        },
    };
    let report_date = match &args.report_date {
        // A workbook holds dates from 1900 to 9999: said now, not after the month's work.
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) if (1900..=9999).contains(&d.year()) => d,
            Ok(_) => return Ok(usage(&format!("--report-date: '{d}' is outside the years 1900 to 9999"))),
            Err(_) => return Ok(usage(&format!("--report-date: '{d}' is not a date YYYY-MM-DD"))),
        },
        None => today(),
    };
    if let Some(jobs) = args.jobs {
        // Each worker is a thread with its own stack: thousands would exhaust the machine
        // before any work is done.
        if jobs == 0 || jobs > MAX_JOBS {
            return Ok(usage(&format!("--jobs must be between 1 and {MAX_JOBS}")));
        }
        rayon::ThreadPoolBuilder::new().num_threads(jobs).build_global().context("cannot start the worker threads")?;
    }
    let progress = crate::progress::Progress::new(args.quiet, args.verbose, args.progress);
    // The registry and the listing of the returns folder are read at once: for a country
    // each takes a few hundredths of a second on one core.
    let (registry, listing) = rayon::join(
        || match &args.mapping.units {
            Some(path) => Registry::load(path)
                .context("the unit registry given with --units cannot be used; fix the file and run again"),
            None => Ok(Registry::embedded()),
        },
        || args.returns_dir.is_dir().then(|| discover(&args.returns_dir).context("cannot list the returns folder")),
    );
    let registry = registry?;
    if registry.expected(period).is_empty() {
        bail!("the unit registry ({}) has no unit valid in {period}; check --period or --units", registry.origin);
    }
    let Some(listing) = listing else {
        bail!("the returns folder {} does not exist or is not a folder", args.returns_dir.display());
    };
    // What tonghop writes never goes among what it reads: the next run would read the report
    // as a return, or the report would replace a return or the register.
    for (option, written) in [("--out", Some(&args.out)), ("--summary-json", args.summary_json.as_ref())] {
        let Some(written) = written else { continue };
        if within(&args.returns_dir, written) {
            return Ok(usage(&format!(
                "{option} {} is inside the returns folder {}; write the report elsewhere",
                written.display(),
                args.returns_dir.display()
            )));
        }
        if args.training.as_ref().is_some_and(|t| same_file(t, written)) {
            return Ok(usage(&format!("{option} {} is the training register itself", written.display())));
        }
    }
    // Two outputs on one path: the second would replace the first.
    if let Some(summary) = &args.summary_json
        && same_file(summary, &args.out)
    {
        return Ok(usage(&format!(
            "--out and --summary-json name the same file {}; give them different names",
            args.out.display()
        )));
    }
    if let Some(history) = &args.history {
        for (option, written) in [("--out", Some(&args.out)), ("--summary-json", args.summary_json.as_ref())] {
            if let Some(written) = written
                && within(history, written)
            {
                return Ok(usage(&format!(
                    "{option} {} is inside the history folder {}; write it elsewhere",
                    written.display(),
                    history.display()
                )));
            }
        }
    }
    // tonghop replaces only what it wrote: an existing target must be its own report or
    // summary, a history folder its own (the returns folder given by a slip is refused).
    type Owner = fn(&Path) -> bool;
    let owned: [(&str, Option<&PathBuf>, Owner); 2] = [
        ("--out", Some(&args.out), tonghop_report::is_tonghop_report),
        ("--summary-json", args.summary_json.as_ref(), tonghop_report::is_tonghop_summary),
    ];
    for (option, written, ours) in owned {
        let Some(written) = written else { continue };
        match std::fs::symlink_metadata(written) {
            Ok(meta) if !meta.is_file() => {
                return Ok(usage(&format!(
                    "{option} {} exists and is not a regular file (a folder, a link or a device); tonghop replaces only its own files",
                    written.display()
                )));
            }
            Ok(_) if !ours(written) => {
                return Ok(usage(&format!(
                    "{option} {} exists and was not written by tonghop; tonghop replaces only its own files: move it or choose another name",
                    written.display()
                )));
            }
            _ => {}
        }
    }
    if let Some(history) = &args.history {
        if let Err(e) = tonghop_transform::history::check_owned(history, period) {
            return Ok(usage(&format!("--history: {e}")));
        }
        if within(history, &args.returns_dir) || within(&args.returns_dir, history) {
            return Ok(usage(&format!(
                "--history {} and the returns folder {} overlap; keep the history in a folder of its own",
                history.display(),
                args.returns_dir.display()
            )));
        }
    }
    // Two runs writing the same report or history at once would leave the report of one
    // and the snapshot of the other: the second does not start.
    let _locks = lock_outputs(&args.out, args.history.as_deref())?;
    // The clerk's decisions: a file that cannot be read is refused before any work, with
    // nothing of it applied (and nothing lost: the file is left as it is).
    let decisions = match load_decisions(args) {
        Ok(d) => d,
        Err(message) => return Ok(usage(&message)),
    };
    let config = load_config(args.mapping.config.as_deref(), &registry, period)?;
    let files = listing?;
    progress.log(&format!("{period}: {} files under {}", files.len(), args.returns_dir.display()));
    warn_unused_layouts(&config, &files);
    let ctx = IngestContext::new(&registry, period).with_config(config);
    let mut files = files;
    tonghop_ingest::within_month_budget(&mut files, &ctx.limits);
    let bar = progress.files(files.len());
    // Each file's rows are normalised by the worker that read it, as soon as it is read.
    let normalising = AtomicU64::new(0);
    let reads: Vec<(FileRead, FileRows)> = read_all_then(&files, &ctx, &|mut read| {
        let started = Instant::now();
        let records = std::mem::take(&mut read.records);
        let rows = normalise_file(records, &registry, period, &ctx.config);
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        normalising.fetch_add(nanos, Ordering::Relaxed);
        bar.inc(1);
        (read, rows)
    });
    bar.finish_and_clear();
    tonghop_model::steps::summed("read", "normalise", Duration::from_nanos(normalising.into_inner()));
    progress.log(&format!(
        "read and normalised {} files: {} rows, {} unreadable",
        reads.len(),
        reads.iter().map(|(r, _)| r.intake.counts.read).sum::<usize>(),
        reads.iter().filter(|(r, _)| r.error.is_some()).count()
    ));
    let mut recency: Vec<((String, std::time::SystemTime), usize)> =
        reads.iter().enumerate().map(|(i, (r, _))| (r.recency(), i)).collect();
    recency.sort();
    let mut rank = vec![0_u64; reads.len()];
    for (r, (_, i)) in recency.iter().enumerate() {
        rank[*i] = r as u64;
    }
    // A damaged register or snapshot costs its part of the report, not the month: the
    // report is written without it, says so, and the month exits 3. The files are left
    // as they are, for inspection.
    let mut notices = Vec::new();
    let training = match &args.training {
        Some(path) => match tonghop_ingest::training::read_training(path, &ctx.limits) {
            Ok(read) => Some(read),
            Err(e) => {
                tracing::debug!("training register {}: {e}", path.display());
                notices.push(format!(
                    "không đọc được sổ theo dõi các lớp {} ({}); báo cáo không có số liệu đào tạo. Sửa tệp rồi chạy lại",
                    path.display(),
                    e.kind.message_vi()
                ));
                None
            }
        },
        None => None,
    };
    let previous = match &args.history {
        Some(dir) => match tonghop_transform::history::read_previous(dir, period, &registry) {
            Ok(previous) => previous,
            Err(e) => {
                tracing::debug!("previous snapshot: {e:?}");
                notices.push(format!(
                    "không đọc được số liệu kỳ {} đã lưu trong {} (tệp hỏng, giữ nguyên để kiểm tra); báo cáo không có cột Kỳ trước và trang Biến động",
                    period.previous(),
                    dir.display()
                ));
                None
            }
        },
        None => None,
    };
    for notice in &notices {
        warn_vi(notice);
    }
    let mut input = Input {
        registry: &registry,
        period,
        files: Vec::with_capacity(reads.len()),
        rows: Vec::with_capacity(reads.len()),
        issues: Vec::with_capacity(reads.iter().map(|(r, _)| r.issues.len()).sum()),
        recency: rank,
        training: training.as_ref().map(|t| tonghop_transform::TrainingInput {
            since: args.since,
            classes: t.classes.clone(),
            learners: t.learners.clone(),
            issues: t.issues.clone(),
        }),
        previous,
        notices,
        decisions: decisions.all,
    };
    for (read, rows) in reads {
        input.files.push(read.intake);
        input.issues.extend(read.issues);
        input.rows.push(rows);
    }
    let spinner = progress.stage("tổng hợp, lọc trùng, tính chỉ tiêu");
    let consolidation = consolidate(input).context("consolidation failed; no report was written")?;
    spinner.finish_and_clear();
    progress.log(&format!(
        "consolidated: {} people, {} duplicate rows merged, {} review pairs, {} data issues",
        consolidation.people.len(),
        consolidation.merges.iter().map(|m| m.rows.len().saturating_sub(1)).sum::<usize>(),
        consolidation.review.len(),
        consolidation.issues.len()
    ));
    // A unit whose figures may be misread makes the month as unsure as a missing one.
    let code =
        if consolidation.is_complete() && !consolidation.has_doubts() { exit::COMPLETE } else { exit::INCOMPLETE };

    let mut options =
        vec![("--period".to_owned(), period.to_string()), ("--report-date".to_owned(), report_date.to_string())];
    if let Some(u) = &args.mapping.units {
        options.push(("--units".to_owned(), u.display().to_string()));
    }
    if let Some(c) = &args.mapping.config {
        options.push(("--config".to_owned(), c.display().to_string()));
    }
    if let Some(t) = &args.training {
        options.push(("--training".to_owned(), t.display().to_string()));
        options.push(("--since".to_owned(), args.since.to_string()));
    }
    if let Some(h) = &args.history {
        options.push(("--history".to_owned(), h.display().to_string()));
    }
    for d in &args.decisions {
        options.push(("--decisions".to_owned(), d.display().to_string()));
    }
    let meta = ReportMeta {
        period,
        report_date,
        program: format!("tonghop {}", env!("CARGO_PKG_VERSION")),
        options,
        returns_dir: args.returns_dir.display().to_string(),
        other_inputs: training
            .iter()
            .map(|t| tonghop_report::OtherInput {
                role: "Sổ theo dõi các lớp (--training)".to_owned(),
                path: t.path.clone(),
                size: t.size,
                sha256: t.sha256.clone(),
            })
            .collect(),
    };
    let spinner = progress.stage("ghi báo cáo");
    // The snapshot goes first: a report is never left without the snapshot it was made
    // with, and a rerun of the period replaces both.
    if let Some(dir) = &args.history {
        tonghop_transform::history::write_snapshot(dir, &consolidation, &registry).context(
            "the period's snapshot could not be stored in --history, so no report was written; check that the folder is writable and has free space",
        )?;
        keep_decisions(dir, &decisions.to_keep)
            .context("the decisions marked in the report could not be kept in --history, so no report was written")?;
    }
    create_parent(&args.out)?;
    workbook::write(&consolidation, &registry, &meta, &args.out)
        .context("the report was not written; check that the folder is writable and has free space")?;
    if let Some(path) = &args.summary_json {
        let json = summary::build(&consolidation, &registry, &meta, i32::from(code));
        let mut text = serde_json_string(&json);
        text.push('\n');
        let written =
            create_parent(path).and_then(|()| write_atomic(path, text.as_bytes()).map_err(anyhow::Error::from));
        if let Err(e) = written {
            // The report stands: say so, with the month's result, before the failure.
            spinner.finish_and_clear();
            print_result(&consolidation, &registry, &args.out);
            return Err(e.context(format!(
                "the report was written to {}, but the JSON summary {} was not",
                args.out.display(),
                path.display()
            )));
        }
    }
    spinner.finish_and_clear();
    let size = std::fs::metadata(&args.out).map_or(0, |m| m.len());
    progress.log(&format!("report written: {} ({size} bytes)", args.out.display()));
    print_result(&consolidation, &registry, &args.out);
    // The process ends here: freeing a country's quarter of a million people one string
    // at a time would take a fifth of a second, for nothing.
    std::mem::forget(consolidation);
    Ok(code)
}

fn serde_json_string(value: &tonghop_report::summary::Json) -> String {
    tonghop_report::summary::to_pretty(value)
}

/// The absolute form of a path that may not exist yet: its nearest existing ancestor
/// resolved (links, `..`), the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        // The last component, ".." included (which `file_name` does not give).
        let (Some(parent), Some(name)) = (existing.parent(), existing.components().next_back()) else { break };
        rest.push(name.as_os_str().to_owned());
        existing = parent;
    }
    let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    // The part that does not exist yet is resolved by its words: "out/../out" is "out".
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                out.pop();
            }
            Some(".") => {}
            _ => out.push(part),
        }
    }
    out
}

/// Whether `path` lies inside the folder `dir`.
fn within(dir: &Path, path: &Path) -> bool {
    resolved(path).starts_with(resolved(dir))
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    resolved(a) == resolved(b)
}

fn create_parent(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    Ok(())
}

/// The clerk's decisions for this run, and those of them to keep in the history folder.
struct Decisions {
    all: Vec<tonghop_model::decisions::Decision>,
    /// Marked in a report and not yet in the history's decisions file.
    to_keep: Vec<tonghop_model::decisions::Decision>,
}

/// The history's decisions file.
fn decisions_file(history: &Path) -> std::path::PathBuf {
    history.join("decisions.toml")
}

/// Reads the history's decisions file and every `--decisions` source (a TOML file, or a
/// report tonghop wrote, whose Trùng lặp sheet the clerk marked). Anything that cannot be
/// read or applied is refused with the clerk's message.
fn load_decisions(args: &RunArgs) -> Result<Decisions, String> {
    use tonghop_model::decisions::{self, Decision};
    let read_toml = |path: &Path| -> Result<Vec<Decision>, String> {
        let bytes = tonghop_model::files::read_regular_file(path, 16 * 1024 * 1024)
            .map_err(|e| format!("--decisions {}: {e}", path.display()))?;
        decisions::parse(&String::from_utf8_lossy(&bytes), &path.display().to_string()).map_err(|e| e.to_string())
    };
    let mut sources = Vec::new();
    let mut in_history = std::collections::HashSet::new();
    if let Some(path) = args.history.as_deref().map(decisions_file).filter(|p| p.is_file()) {
        let kept = read_toml(&path)?;
        in_history.extend(kept.iter().map(Decision::pair));
        sources.push((path.display().to_string(), kept, false));
    }
    for path in &args.decisions {
        let is_report = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["xlsx", "xlsm"].contains(&e.to_ascii_lowercase().as_str()));
        let read = if is_report {
            tonghop_ingest::decisions::read_report(path, &tonghop_ingest::Limits::default())
                .map_err(|e| e.to_string())?
        } else {
            read_toml(path)?
        };
        sources.push((path.display().to_string(), read, is_report));
    }
    let mut to_keep: Vec<Decision> = Vec::new();
    for (_, list, is_report) in &sources {
        if *is_report {
            for d in list {
                if !in_history.contains(&d.pair()) && !to_keep.iter().any(|k| k.pair() == d.pair()) {
                    to_keep.push(d.clone());
                }
            }
        }
    }
    let all = decisions::combine(sources.into_iter().map(|(origin, list, _)| (origin, list)).collect())
        .map_err(|e| e.to_string())?;
    Ok(Decisions { all, to_keep })
}

/// Appends the decisions marked in a report to the history's decisions file (what the
/// clerk wrote there is left as it is), so that they last over the months.
fn keep_decisions(history: &Path, decisions: &[tonghop_model::decisions::Decision]) -> Result<()> {
    if decisions.is_empty() {
        return Ok(());
    }
    let path = decisions_file(history);
    let mut text = match tonghop_model::files::read_regular_file(&path, 16 * 1024 * 1024) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(tonghop_model::files::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            "# Quyết định của cán bộ về các cặp cần xem xét (trang Trùng lặp), giữ qua các kỳ.\n".to_owned()
        }
        Err(e) => return Err(anyhow::anyhow!("{}: {e}", path.display())),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for d in decisions {
        text.push('\n');
        text.push_str(&d.to_toml());
    }
    tonghop_report::write_atomic(&path, text.as_bytes()).with_context(|| path.display().to_string())
}

/// Locks the folder of the report and the history folder for this run (a `.tonghop.lock`
/// in each, opened without following a link and never truncated). The locks go with the
/// process, however it ends.
fn lock_outputs(out: &Path, history: Option<&Path>) -> Result<Vec<std::fs::File>> {
    let mut folders = vec![out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()];
    folders.extend(history.map(Path::to_path_buf));
    for folder in &folders {
        std::fs::create_dir_all(folder).with_context(|| format!("cannot create the folder {}", folder.display()))?;
    }
    // One folder for both is locked once (a second lock of it would wait on the first).
    folders.dedup_by(|a, b| resolved(a) == resolved(b));
    let mut locks = Vec::new();
    for folder in folders {
        let path = folder.join(".tonghop.lock");
        // A lock that is a link is refused, its target never written.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            bail!("the lock file {} is a link; remove it and run again", path.display());
        }
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "x86")))]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            // O_NOFOLLOW (its value on these machines), should a link appear meanwhile.
            options.custom_flags(0o400_000);
        }
        let file = options.open(&path).with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => locks.push(file),
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "another tonghop run is writing to {} (lock {}); this run did not start",
                folder.display(),
                path.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(anyhow::Error::from(e).context(format!("cannot lock {}", path.display())));
            }
        }
    }
    Ok(locks)
}

/// A warning for the clerk, on its own line of the error stream.
#[allow(clippy::print_stderr)]
fn warn_vi(text: &str) {
    eprintln!("cảnh báo: {text}");
}

/// Says which layout corrections of the configuration match no file of the month: a
/// folder renamed, a pattern mistyped; the files they were meant for are read without them.
#[allow(clippy::print_stderr)]
fn warn_unused_layouts(config: &Config, files: &[tonghop_ingest::FoundFile]) {
    for layout in &config.layouts {
        if !files.iter().any(|f| tonghop_model::config::matches_layout(&layout.pattern, &f.rel_path)) {
            eprintln!("cảnh báo: cấu hình [[layout]] \"{}\" không khớp tệp nào của tháng này", layout.pattern);
        }
    }
}

#[allow(clippy::print_stdout)]
fn print_result(c: &tonghop_transform::Consolidation, registry: &Registry, out: &Path) {
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
    println!(
        "tonghop {}: {received}/{expected} units received, {} people, {} rows read ({} accepted, {} rejected, {} skipped), {} data issues; report: {}",
        c.period,
        c.people.len(),
        totals.read,
        totals.accepted,
        totals.rejected,
        totals.skipped,
        c.issues.len(),
        out.display()
    );
    let missing = names(UnitStatus::Missing);
    if !missing.is_empty() {
        println!("  missing (chưa nộp): {}", missing.join(", "));
    }
    let invalid = names(UnitStatus::Invalid);
    if !invalid.is_empty() {
        println!("  unreadable (không đọc được): {}", invalid.join(", "));
    }
    for notice in &c.notices {
        println!("  lưu ý: {notice}");
    }
    let no_rows = names(UnitStatus::NoRows);
    if !no_rows.is_empty() {
        println!("  no usable rows (không có dòng dùng được): {}", no_rows.join(", "));
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
            println!("  {label}: {}", units.join(", "));
        }
    }
}
