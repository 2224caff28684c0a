//! The month as a pipeline. [`run_month`] reads as the month does:
//!
//! 1. [`open`]: the unit registry and the listing of the returns folder, the outputs
//!    checked and locked, the clerk's decisions and the configuration read — all that can
//!    refuse the month does so here, before any work;
//! 2. [`read_month`]: every return read and its rows normalised, on the worker that read it
//!    ([`read_and_normalise`] is the per-file stage `tonghop check` uses too);
//! 3. [`side_inputs`]: the training register and the previous period's snapshot, each of
//!    which may fail without stopping the month (it is then a notice);
//! 4. [`consolidate`]: deduplication, indicators and forms (`tonghop-transform`);
//! 5. [`store_history`]: the period's snapshot and the decisions to keep;
//! 6. [`write_outputs`]: the workbook and the JSON summary (`tonghop-report`).
//!
//! The binary parses the command line, calls [`run_month`] with an [`Observer`] of its
//! own (bars, log lines), prints the result and maps the outcome to an exit code.

mod decisions;
mod outputs;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tonghop_ingest::{FileRead, FoundFile, IngestContext};
use tonghop_model::{Config, Period, Registry};
use tonghop_report::ReportMeta;
use tonghop_transform::{Consolidation, FileRows, Input};

pub use outputs::create_parent;

/// What a month is asked to do, its arguments already understood.
#[derive(Debug, Clone)]
pub struct MonthOptions {
    /// The folder of returns.
    pub returns_dir: PathBuf,
    /// The reporting month.
    pub period: Period,
    /// The date printed on the report.
    pub report_date: NaiveDate,
    /// The unit registry (`None`: the embedded one).
    pub units: Option<PathBuf>,
    /// The mapping overrides.
    pub config: Option<PathBuf>,
    /// The training centre's register, and the first year its indicators count.
    pub training: Option<PathBuf>,
    /// First year of the cumulative training indicators.
    pub since: i32,
    /// The history folder.
    pub history: Option<PathBuf>,
    /// Decision sources given on the command line.
    pub decisions: Vec<PathBuf>,
    /// The report to write.
    pub out: PathBuf,
    /// The JSON summary to write.
    pub summary_json: Option<PathBuf>,
    /// The program's name and version, for the report's Thông tin sheet.
    pub program: String,
    /// National IDs shown whole in the report (`--show-ids`); masked otherwise.
    pub show_ids: bool,
    /// The folder of the units' feedback workbooks (`--feedback`), if asked.
    pub feedback: Option<PathBuf>,
}

/// Why a month was not done, or not wholly.
#[derive(Debug, thiserror::Error)]
pub enum MonthError {
    /// Refused before any work: what to change (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The month could not be done (exit 1).
    #[error("{message}")]
    Failed {
        /// What was not done, and what to do.
        message: String,
        /// Why.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The report was written, the JSON summary or the feedback not (exit 1, after the
    /// result is said).
    #[error("đã ghi báo cáo {report} nhưng không ghi được {summary}")]
    SummaryNotWritten {
        /// The month, for its result line.
        outcome: Box<Outcome>,
        /// The report written.
        report: String,
        /// What was not written ("tệp tóm tắt JSON …", "phản hồi cho đơn vị trong …").
        summary: String,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl MonthError {
    pub(crate) fn failed(message: String, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Failed { message, source: Some(Box::new(source)) }
    }

    pub(crate) fn message(message: String) -> Self {
        Self::Failed { message, source: None }
    }
}

/// What a month tells while it works. Every method does nothing by default.
pub trait Observer: Sync {
    /// A line for the log: a stage's figures.
    fn log(&self, _message: &str) {}
    /// A warning for the clerk, in Vietnamese.
    fn warn(&self, _text: &str) {}
    /// Reading begins: `total` files.
    fn files(&self, _total: usize) {}
    /// One file is read and normalised.
    fn file_done(&self) {}
    /// A stage without a count begins (its name in Vietnamese); the previous one ends.
    fn stage(&self, _name: &'static str) {}
    /// The current stage or reading ends.
    fn done(&self) {}
}

/// A month done: its consolidation, the registry it was counted against, and its exit code.
#[derive(Debug)]
pub struct Outcome {
    /// Everything the report shows.
    pub consolidation: Consolidation,
    /// The units.
    pub registry: Registry,
    /// 0 complete, 3 incomplete (a unit missing, unreadable or doubtful; a damaged snapshot
    /// or register).
    pub code: u8,
    /// What goes to standard output (`-` as a path), for the command line to print.
    pub stdout: Stdout,
}

/// The outputs asked for on standard output (`--out -`, `--summary-json -`; one of them).
#[derive(Debug, Default)]
pub struct Stdout {
    /// The workbook's bytes.
    pub workbook: Option<Vec<u8>>,
    /// The JSON summary.
    pub summary: Option<String>,
}

/// An output path as the clerk reads it: `-` is said as standard output.
pub fn shown_output(path: &Path) -> String {
    if is_stdout(path) { "đầu ra chuẩn".to_owned() } else { path.display().to_string() }
}

/// Whether an output path is `-`: standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Exit codes of a month done.
pub mod code {
    /// Every expected unit sent a readable return, and nothing is doubted.
    pub const COMPLETE: u8 = 0;
    /// The report is written, but some unit is missing, unreadable or doubtful, or a
    /// previous snapshot or the register could not be used.
    pub const INCOMPLETE: u8 = 3;
}

/// Runs the month: the stages in order.
pub fn run_month(opts: &MonthOptions, observer: &dyn Observer) -> Result<Outcome, MonthError> {
    let opened = open(opts, observer)?;
    let reads = read_month(&opened, observer);
    let side = side_inputs(opts, &opened, observer);
    let other_inputs = other_inputs(&side);
    let consolidation = consolidate(opts, &opened, reads, side, observer)?;
    // A unit whose figures may be misread makes the month as unsure as a missing one.
    let code =
        if consolidation.is_complete() && !consolidation.has_doubts() { code::COMPLETE } else { code::INCOMPLETE };
    observer.stage("ghi báo cáo");
    // The snapshot goes first: a report is never left without the snapshot it was made
    // with, and a rerun of the period replaces both.
    store_history(opts, &opened, &consolidation)?;
    // The locks are held until the outputs are written.
    let Opened { registry, config, _locks: locks, .. } = opened;
    let mut outcome = Outcome { consolidation, registry, code, stdout: Stdout::default() };
    let mut stdout = Stdout::default();
    let written = write_outputs(opts, &outcome, other_inputs, config.document, observer, &mut stdout);
    drop(locks);
    // What goes to standard output goes there even when a later output failed: the
    // workbook stands.
    outcome.stdout = stdout;
    let shown = |path: &Option<PathBuf>| path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    let (summary, source) = match written {
        Ok(()) => return Ok(outcome),
        Err(WriteError::Report(e)) => return Err(e),
        Err(WriteError::Summary(source)) => (format!("tệp tóm tắt JSON {}", shown(&opts.summary_json)), source),
        Err(WriteError::Feedback(source)) => {
            (format!("phản hồi cho đơn vị trong thư mục {}", shown(&opts.feedback)), source)
        }
    };
    Err(MonthError::SummaryNotWritten { report: shown_output(&opts.out), summary, outcome: Box::new(outcome), source })
}

/// What the first stage opened: the units, the listing, the configuration, the decisions,
/// and the locks held until the month is written.
pub struct Opened {
    /// The reporting month.
    pub period: Period,
    /// The units.
    pub registry: Registry,
    /// Every file of the returns folder, the spreadsheets charged to the month's budget.
    pub files: Vec<FoundFile>,
    /// The mapping overrides.
    pub config: Config,
    decisions: decisions::Decisions,
    _locks: Vec<std::fs::File>,
}

/// Stage 1: the registry and the listing (at once: for a country each takes a few
/// hundredths of a second on one core), then every check that may refuse the month before
/// any work.
pub fn open(opts: &MonthOptions, observer: &dyn Observer) -> Result<Opened, MonthError> {
    let period = opts.period;
    let (registry, listing) = rayon::join(
        || match &opts.units {
            Some(path) => Registry::load(path).map_err(|e| {
                MonthError::failed(
                    format!("không dùng được danh mục đơn vị {} cho ở --units; sửa tệp rồi chạy lại", path.display()),
                    e,
                )
            }),
            None => Ok(Registry::embedded()),
        },
        || opts.returns_dir.is_dir().then(|| tonghop_ingest::discover(&opts.returns_dir).map_err(Box::new)),
    );
    let registry = registry?;
    if registry.expected(period).is_empty() {
        return Err(MonthError::message(format!(
            "danh mục đơn vị ({}) không có đơn vị nào còn hiệu lực trong kỳ {period}; kiểm tra --period hoặc --units",
            registry.origin
        )));
    }
    let Some(listing) = listing else {
        return Err(MonthError::message(format!(
            "thư mục báo cáo {} không có hoặc không phải thư mục",
            opts.returns_dir.display()
        )));
    };
    outputs::check(opts, period)?;
    let locks = outputs::lock(&opts.out, opts.history.as_deref())?;
    let decisions = decisions::load(opts)?;
    let config = load_config(opts.config.as_deref(), &registry, period)?;
    let mut files =
        listing.map_err(|e| MonthError::failed("không đọc được danh sách tệp trong thư mục báo cáo".to_owned(), *e))?;
    observer.log(&format!("kỳ {period}: {} tệp trong {}", files.len(), opts.returns_dir.display()));
    warn_unused_layouts(&config, &files, observer);
    tonghop_ingest::within_month_budget(&mut files, &tonghop_ingest::Limits::default());
    Ok(Opened { period, registry, files, config, decisions, _locks: locks })
}

/// Reads `--config`, and checks that every pinned unit code is in the registry.
pub fn load_config(path: Option<&Path>, registry: &Registry, period: Period) -> Result<Config, MonthError> {
    let Some(path) = path else { return Ok(Config::default()) };
    let cannot = format!("không đọc được tệp cấu hình {}", path.display());
    let bytes = tonghop_model::files::read_regular_file(path, 4 * 1024 * 1024)
        .map_err(|e| MonthError::failed(cannot.clone(), e))?;
    let text = String::from_utf8(bytes).map_err(|e| MonthError::failed(cannot, e))?;
    let config = Config::from_toml_str(&text, &path.display().to_string())
        .map_err(|e| MonthError::Failed { message: e.to_string(), source: None })?;
    for pin in &config.pins {
        if registry.find_code(&pin.unit, period).is_none() {
            return Err(MonthError::message(format!(
                "cấu hình {}: [[pin]] \"{}\" ghi đơn vị '{}', không có trong danh mục đơn vị",
                path.display(),
                pin.pattern,
                pin.unit
            )));
        }
    }
    Ok(config)
}

/// Says which layout corrections of the configuration match no file of the month: a folder
/// renamed, a pattern mistyped; the files they were meant for are read without them.
fn warn_unused_layouts(config: &Config, files: &[FoundFile], observer: &dyn Observer) {
    for layout in &config.layouts {
        if !files.iter().any(|f| tonghop_model::config::matches_layout(&layout.pattern, &f.rel_path)) {
            observer.warn(&format!("cấu hình [[layout]] \"{}\" không khớp tệp nào của tháng này", layout.pattern));
        }
    }
}

/// The per-file stage: one file read, and its rows normalised on the same worker.
pub fn read_and_normalise(file: &FoundFile, ctx: &IngestContext<'_>) -> (FileRead, FileRows) {
    normalised(tonghop_ingest::read_file(file, ctx), ctx)
}

/// What `tonghop check` says of one file: the file read, its problems (reading and
/// values, sorted) and the plausibility warnings of each unit its people belong to.
pub struct Checked {
    /// The file read.
    pub read: FileRead,
    /// Its problems, in sheet and cell order.
    pub issues: Vec<tonghop_model::DataIssue>,
    /// Each unit's plausibility warnings.
    pub doubts: Vec<(tonghop_model::units::UnitId, Vec<String>)>,
}

/// Checks one file as the month would read it.
pub fn check_file(file: &FoundFile, ctx: &IngestContext<'_>) -> Checked {
    let (read, rows) = read_and_normalise(file, ctx);
    let mut issues = read.issues.clone();
    issues.extend(rows.issues);
    issues.sort();
    let doubts = unit_doubts(rows.rows, ctx.registry);
    Checked { read, issues, doubts }
}

/// The plausibility warnings of each unit a file's people belong to, counted as the month
/// counts them: after deduplication (the same person on a "Cán bộ" and a "Cấp ủy" sheet is
/// one).
fn unit_doubts(
    officials: Vec<tonghop_model::record::Official>,
    registry: &Registry,
) -> Vec<(tonghop_model::units::UnitId, Vec<String>)> {
    let people = tonghop_transform::dedup::deduplicate(officials, |source| source.row).people;
    let mut by_unit: std::collections::BTreeMap<tonghop_model::units::UnitId, Vec<&tonghop_model::record::Official>> =
        std::collections::BTreeMap::new();
    for o in &people {
        if let Some(u) = o.unit {
            by_unit.entry(u).or_default().push(o);
        }
    }
    by_unit
        .into_iter()
        .map(|(u, people)| (u, tonghop_transform::plausibility::unit_warnings(registry.unit(u).kind, &people)))
        .filter(|(_, w)| !w.is_empty())
        .collect()
}

fn normalised(mut read: FileRead, ctx: &IngestContext<'_>) -> (FileRead, FileRows) {
    let records = std::mem::take(&mut read.records);
    let rows = tonghop_transform::normalise_file(records, ctx.registry, ctx.period, &ctx.config);
    (read, rows)
}

/// Stage 2: every file read and normalised, on both cores.
pub fn read_month(opened: &Opened, observer: &dyn Observer) -> Vec<(FileRead, FileRows)> {
    let ctx = IngestContext::new(&opened.registry, opened.period).with_config(opened.config.clone());
    observer.files(opened.files.len());
    let normalising = AtomicU64::new(0);
    let reads: Vec<(FileRead, FileRows)> = tonghop_ingest::read_all_then(&opened.files, &ctx, &|read| {
        let started = Instant::now();
        let out = normalised(read, &ctx);
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        normalising.fetch_add(nanos, Ordering::Relaxed);
        observer.file_done();
        out
    });
    observer.done();
    tonghop_model::steps::summed("read", "normalise", Duration::from_nanos(normalising.into_inner()));
    observer.log(&format!(
        "đã đọc và chuẩn hóa {} tệp: {} dòng, {} tệp không đọc được",
        reads.len(),
        reads.iter().map(|(r, _)| r.intake.counts.read).sum::<usize>(),
        reads.iter().filter(|(r, _)| r.error.is_some()).count()
    ));
    reads
}

/// The inputs beside the returns, each of which may fail without stopping the month: a
/// damaged register or snapshot costs its part of the report, which is written without it,
/// says so (a notice) and exits 3. The files are left as they are, for inspection.
#[derive(Default)]
pub struct SideInputs {
    /// The training centre's register.
    pub training: Option<tonghop_ingest::training::TrainingRead>,
    /// The previous period's snapshot.
    pub previous: Option<tonghop_transform::changes::Previous>,
    /// What could not be used, for the clerk.
    pub notices: Vec<String>,
}

/// Stage 3: the register and the previous snapshot.
pub fn side_inputs(opts: &MonthOptions, opened: &Opened, observer: &dyn Observer) -> SideInputs {
    let period = opened.period;
    let mut notices = Vec::new();
    let training = match &opts.training {
        Some(path) => match tonghop_ingest::training::read_training(path, &tonghop_ingest::Limits::default()) {
            Ok(read) => Some(read),
            Err(e) => {
                tracing::debug!("training register {}: {e}", path.display());
                notices.push(format!(
                    "không đọc được sổ theo dõi các lớp {} ({}); báo cáo không có số liệu đào tạo. Sửa tệp rồi chạy lại",
                    tonghop_model::files::shown(path),
                    e.kind.message_vi()
                ));
                None
            }
        },
        None => None,
    };
    let previous = match &opts.history {
        Some(dir) => match tonghop_history::read_previous(dir, period, &opened.registry) {
            Ok(previous) => previous,
            Err(e) => {
                tracing::debug!("previous snapshot: {e:?}");
                notices.push(format!(
                    "không đọc được số liệu kỳ {} đã lưu trong thư mục lưu trữ '{}' (tệp hỏng, giữ nguyên để kiểm tra); báo cáo không có cột Kỳ trước và trang Biến động",
                    period.previous(),
                    tonghop_model::files::shown(dir)
                ));
                None
            }
        },
        None => None,
    };
    for notice in &notices {
        observer.warn(notice);
    }
    SideInputs { training, previous, notices }
}

/// The rank of each file by recency (its own modified date, then the file's), oldest
/// first: the newest source's values win when rows merge.
fn recency_ranks(reads: &[(FileRead, FileRows)]) -> Vec<u64> {
    let mut recency: Vec<((String, std::time::SystemTime), usize)> =
        reads.iter().enumerate().map(|(i, (r, _))| (r.recency(), i)).collect();
    recency.sort();
    let mut rank = vec![0_u64; reads.len()];
    for (r, (_, i)) in recency.iter().enumerate() {
        rank[*i] = r as u64;
    }
    rank
}

/// Stage 4: deduplication, indicators and forms.
pub fn consolidate(
    opts: &MonthOptions,
    opened: &Opened,
    reads: Vec<(FileRead, FileRows)>,
    side: SideInputs,
    observer: &dyn Observer,
) -> Result<Consolidation, MonthError> {
    let mut input = Input {
        registry: &opened.registry,
        period: opened.period,
        files: Vec::with_capacity(reads.len()),
        rows: Vec::with_capacity(reads.len()),
        issues: opened.decisions.issues.clone(),
        recency: recency_ranks(&reads),
        training_unreadable: opts.training.is_some() && side.training.is_none(),
        training: side.training.map(|t| tonghop_transform::TrainingInput {
            since: opts.since,
            classes: t.classes,
            learners: t.learners,
            issues: t.issues,
        }),
        previous: side.previous,
        notices: side.notices,
        decisions: opened.decisions.all.clone(),
    };
    for (read, rows) in reads {
        input.files.push(read.intake);
        input.issues.extend(read.issues);
        input.rows.push(rows);
    }
    observer.stage("tổng hợp, lọc trùng, tính chỉ tiêu");
    let consolidation = tonghop_transform::consolidate(input)
        .map_err(|e| MonthError::failed("tổng hợp không được; chưa ghi báo cáo".to_owned(), e))?;
    observer.done();
    observer.log(&format!(
        "đã tổng hợp: {} người, gộp {} dòng trùng, {} cặp cần xem lại, {} vấn đề dữ liệu",
        consolidation.people.len(),
        consolidation.merges.iter().map(|m| m.rows.len().saturating_sub(1)).sum::<usize>(),
        consolidation.review.len(),
        consolidation.issues.len()
    ));
    Ok(consolidation)
}

/// Stage 5: the period's snapshot and the decisions marked in a report, in the history.
pub fn store_history(opts: &MonthOptions, opened: &Opened, consolidation: &Consolidation) -> Result<(), MonthError> {
    let Some(dir) = &opts.history else { return Ok(()) };
    // The marks first: a month that cannot keep them writes nothing.
    decisions::keep(dir, opened.decisions.to_keep.as_ref())?;
    tonghop_history::write_snapshot(dir, consolidation, &opened.registry).map_err(|e| {
        MonthError::failed(
            "không lưu được số liệu kỳ này vào --history nên chưa ghi báo cáo; kiểm tra quyền ghi và chỗ trống trên ổ đĩa".to_owned(),
            e,
        )
    })?;
    Ok(())
}

/// The options the report's Thông tin sheet lists, as given.
fn options_listed(opts: &MonthOptions) -> Vec<(String, String)> {
    let mut options = vec![
        ("--period".to_owned(), opts.period.to_string()),
        ("--report-date".to_owned(), opts.report_date.to_string()),
    ];
    let path = |p: &PathBuf| tonghop_model::files::shown(p);
    options.extend(opts.units.as_ref().map(|u| ("--units".to_owned(), path(u))));
    options.extend(opts.config.as_ref().map(|c| ("--config".to_owned(), path(c))));
    if let Some(t) = &opts.training {
        options.push(("--training".to_owned(), path(t)));
        options.push(("--since".to_owned(), opts.since.to_string()));
    }
    options.extend(opts.history.as_ref().map(|h| ("--history".to_owned(), path(h))));
    options.extend(opts.decisions.iter().map(|d| ("--decisions".to_owned(), path(d))));
    if opts.show_ids {
        options.push(("--show-ids".to_owned(), "có".to_owned()));
    }
    options.extend(opts.feedback.as_ref().map(|f| ("--feedback".to_owned(), path(f))));
    options
}

/// Which output was not written.
pub enum WriteError {
    /// The workbook (nothing was written).
    Report(MonthError),
    /// The JSON summary (the workbook stands).
    Summary(Box<dyn std::error::Error + Send + Sync>),
    /// The units' feedback (the workbook and the summary stand).
    Feedback(Box<dyn std::error::Error + Send + Sync>),
}

/// The inputs beside the returns, as the report's Thông tin sheet lists them.
fn other_inputs(side: &SideInputs) -> Vec<tonghop_report::OtherInput> {
    side.training
        .iter()
        .map(|t| tonghop_report::OtherInput {
            role: "Sổ theo dõi các lớp (--training)".to_owned(),
            path: tonghop_model::files::shown(Path::new(&t.path)),
            size: t.size,
            sha256: t.sha256.clone(),
        })
        .collect()
}

/// Stage 6: the workbook, then the JSON summary, then the feedback; what goes to standard
/// output is left in `to_stdout`, also when a later output fails.
pub fn write_outputs(
    opts: &MonthOptions,
    outcome: &Outcome,
    other_inputs: Vec<tonghop_report::OtherInput>,
    document: tonghop_model::config::Document,
    observer: &dyn Observer,
    to_stdout: &mut Stdout,
) -> Result<(), WriteError> {
    let meta = ReportMeta {
        period: opts.period,
        report_date: opts.report_date,
        program: opts.program.clone(),
        options: options_listed(opts),
        returns_dir: tonghop_model::files::shown(&opts.returns_dir),
        other_inputs,
        document,
        show_ids: opts.show_ids,
    };
    let (c, registry) = (&outcome.consolidation, &outcome.registry);
    let not_written = |e| {
        WriteError::Report(MonthError::failed(
            format!("chưa ghi được báo cáo {}; kiểm tra quyền ghi và chỗ trống trên ổ đĩa", shown_output(&opts.out)),
            e,
        ))
    };
    let size = if is_stdout(&opts.out) {
        let bytes = tonghop_report::workbook::to_bytes(c, registry, &meta).map_err(not_written)?;
        let size = bytes.len();
        to_stdout.workbook = Some(bytes);
        size
    } else {
        create_parent(&opts.out).map_err(WriteError::Report)?;
        tonghop_report::workbook::write(c, registry, &meta, &opts.out).map_err(not_written)?;
        std::fs::metadata(&opts.out).map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX))
    };
    if let Some(path) = &opts.summary_json {
        let json = tonghop_report::summary::build(c, registry, &meta, i32::from(outcome.code));
        let mut text = tonghop_report::summary::to_pretty(&json);
        text.push('\n');
        if is_stdout(path) {
            to_stdout.summary = Some(text);
        } else {
            create_parent(path)
                .map_err(|e| WriteError::Summary(Box::new(e)))
                .and_then(|()| {
                    tonghop_report::write_atomic(path, text.as_bytes()).map_err(|e| WriteError::Summary(Box::new(e)))
                })
                .inspect_err(|_| observer.done())?;
        }
    }
    observer.done();
    if is_stdout(&opts.out) {
        observer.log(&format!("đã lập báo cáo cho đầu ra chuẩn ({size} byte)"));
    } else {
        observer.log(&format!("đã ghi báo cáo: {} ({size} byte)", opts.out.display()));
    }
    if let Some(dir) = &opts.feedback {
        let written = tonghop_report::feedback::write_all(c, registry, &meta, dir)
            .map_err(|e| WriteError::Feedback(Box::new(e)))?;
        observer.log(&format!("đã ghi phản hồi: {} tệp trong {}", written.len(), dir.display()));
    }
    Ok(())
}
