//! What a run tells while it works: progress bars on a terminal, plain log lines (tracing)
//! when nobody watches (cron, a pipe), nothing with `--quiet`. Errors are always printed.

use std::io::IsTerminal as _;
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::ProgressMode;

/// How a run reports its stages.
pub struct Progress {
    bars: bool,
    /// Bars asked for (`--progress always`) where standard error is no terminal (a log, a
    /// pipe): drawn all the same, line by line.
    forced: bool,
    logs: bool,
    started: Instant,
    /// The bar or spinner shown now.
    current: Mutex<Option<ProgressBar>>,
}

impl Progress {
    /// Decides from `--quiet`, `--progress` and whether standard error is a terminal, and
    /// starts the log subscriber when log lines are wanted.
    /// `verbose` adds the debug lines of each stage's steps, and so turns bars off.
    pub fn new(quiet: bool, verbose: bool, mode: ProgressMode) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bars = !quiet
            && !verbose
            && match mode {
                ProgressMode::Always => true,
                ProgressMode::Never => false,
                ProgressMode::Auto => terminal,
            };
        let logs = !quiet && !bars;
        if logs {
            // Plain lines with a timestamp, for the cron log; no colours in a file.
            let level = if verbose { tracing::Level::DEBUG } else { tracing::Level::INFO };
            let _ = tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_max_level(level)
                .with_ansi(false)
                .event_format(LogLine)
                .try_init();
        }
        let forced = bars && !terminal;
        Self { bars, forced, logs, started: Instant::now(), current: Mutex::new(None) }
    }

    /// Where bars are drawn: standard error, which indicatif leaves blank when it is no
    /// terminal, unless they were asked for.
    fn target(&self) -> ProgressDrawTarget {
        if self.forced {
            ProgressDrawTarget::term_like(Box::new(console::Term::stderr()))
        } else {
            ProgressDrawTarget::stderr()
        }
    }

    /// A bar over `total` files (hidden when bars are off).
    pub fn files(&self, total: usize) -> ProgressBar {
        if !self.bars {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), self.target());
        bar.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} tệp ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("đọc báo cáo");
        bar
    }

    /// A spinner for a stage without a count (hidden when bars are off).
    pub fn stage(&self, message: &'static str) -> ProgressBar {
        if !self.bars {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, self.target());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }

    /// One log line (when log lines are on), with the peak memory so far (where the system
    /// tells it) and the time since the run started.
    pub fn log(&self, message: &str) {
        if self.logs {
            let peak = tonghop_model::process::peak_memory_kib()
                .map(|k| format!(", bộ nhớ tối đa {} MiB", k / 1024))
                .unwrap_or_default();
            tracing::info!("{message}{peak} ({:.2} s)", self.started.elapsed().as_secs_f64());
        }
    }
}

impl Progress {
    /// Shows `bar` instead of the one shown now.
    fn show(&self, bar: Option<ProgressBar>) {
        let mut current = self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(old) = std::mem::replace(&mut *current, bar) {
            old.finish_and_clear();
        }
    }
}

impl tonghop_pipeline::Observer for Progress {
    fn log(&self, message: &str) {
        Progress::log(self, message);
    }

    #[allow(clippy::print_stderr)]
    fn warn(&self, text: &str) {
        eprintln!("cảnh báo: {text}");
    }

    fn files(&self, total: usize) {
        self.show(Some(Progress::files(self, total)));
    }

    fn file_done(&self) {
        if let Some(bar) = &*self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) {
            bar.inc(1);
        }
    }

    fn stage(&self, name: &'static str) {
        self.show(Some(Progress::stage(self, name)));
    }

    fn done(&self) {
        self.show(None);
    }
}

/// A log line: the machine's local time (the cron log is read where the run happened), then
/// the message. The clerk's lines (info, warnings) are Vietnamese and carry no tag; the
/// engineers' lines of `-v` are English and say "debug:", so that no line mixes the two.
struct LogLine;

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for LogLine
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let now = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        write!(writer, "{now} ")?;
        if *event.metadata().level() > tracing::Level::INFO {
            write!(writer, "debug: ")?;
        }
        tracing_subscriber::fmt::FormatFields::format_fields(ctx, writer.by_ref(), event)?;
        writeln!(writer)
    }
}
