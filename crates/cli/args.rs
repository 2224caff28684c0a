//! The command line (clap definitions only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The version and the build: the package version and the date of the commit it was built
/// from (`build.rs`; "không rõ" from a source without its history).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (bản dựng ", env!("TONGHOP_BUILD_DATE"), ")");

/// Consolidates the monthly cadre returns (báo cáo) of a district's communes and agencies
/// into one workbook of indicators (tổng hợp).
#[derive(Debug, Parser)]
#[command(name = "tonghop", version = VERSION, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The monthly job: read every return under RETURNS_DIR, consolidate, write the report
    /// [tổng hợp báo cáo tháng].
    Run(RunArgs),
    /// Read files or folders and print what was understood: unit, sheets, header rows,
    /// column mapping, rows accepted / rejected / skipped, each problem with its cell
    /// [kiểm tra báo cáo]. Exit 0 when clean, 3 when there are problems, 1 when a file
    /// cannot be read.
    Check(CheckArgs),
    /// Write the recommended return: fixed headers, drop-down lists for every coded field,
    /// instructions in Vietnamese [mẫu báo cáo].
    Template(TemplateArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell
    /// [gợi ý lệnh cho shell], e.g. `tonghop completions bash > /etc/bash_completion.d/tonghop`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) [trang hướng dẫn], e.g. `tonghop man > tonghop.1`.
    Man,
}

/// Options of `tonghop template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The template workbook to write, e.g. MauBaoCao.xlsx; `-` for standard output.
    #[arg(long)]
    pub out: PathBuf,
    /// The unit's code in the registry: its name is written in the title [mã đơn vị].
    #[arg(long)]
    pub unit: Option<String>,
    /// Unit registry TOML [danh mục đơn vị]; default: the embedded Hữu Lũng registry.
    #[arg(long)]
    pub units: Option<PathBuf>,
}

/// Where the units and the mapping overrides come from (`run` and `check`).
#[derive(Debug, Args)]
pub struct MappingArgs {
    /// Unit registry TOML [danh mục đơn vị]; default: the embedded Hữu Lũng registry.
    #[arg(long)]
    pub units: Option<PathBuf>,
    /// Mapping overrides TOML [cấu hình]: extra header synonyms, value spellings, file → unit pins.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Options of `tonghop check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Return files or folders to check.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Reporting month YYYY-MM, for the units valid then; default: the month a folder of the
    /// paths is named after (data/returns/2024-02), else the current month.
    #[arg(long)]
    pub period: Option<String>,
    /// Registry and mapping overrides.
    #[command(flatten)]
    pub mapping: MappingArgs,
    /// One JSON object per file on standard output, for scripts.
    #[arg(long)]
    pub json: bool,
    /// Print what was understood of each file as a configuration fragment (a layout table),
    /// ready to edit and add to --config [in cấu hình để sửa].
    #[arg(long, conflicts_with = "json")]
    pub emit_config: bool,
    /// Also log the details behind an error (the configuration parser's, a library's) on
    /// standard error, for whoever maintains the configuration.
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

/// Options of `tonghop run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Folder of the period's returns [thư mục báo cáo], e.g. data/returns/2024-02.
    pub returns_dir: PathBuf,
    /// The report workbook to write [báo cáo tổng hợp], e.g. BaoCao_2024-02.xlsx; `-` for
    /// standard output (the result lines then go to standard error).
    #[arg(long)]
    pub out: PathBuf,
    /// Reporting month YYYY-MM [kỳ báo cáo]; default: the folder name when it looks like 2024-02.
    #[arg(long)]
    pub period: Option<String>,
    /// Registry and mapping overrides.
    #[command(flatten)]
    pub mapping: MappingArgs,
    /// The training centre's class register [sổ theo dõi các lớp]: classes, types, learners.
    #[arg(long)]
    pub training: Option<PathBuf>,
    /// First year counted by the cumulative training indicators [từ năm].
    #[arg(long, default_value_t = 2017, value_parser = clap::value_parser!(i32).range(1945..=2100))]
    pub since: i32,
    /// Folder of period snapshots [lưu trữ các kỳ]: this period is stored there (Parquet), and the
    /// previous one, when present, gives the "Kỳ trước" columns and the "Biến động" sheet.
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// The clerk's decisions on review pairs [quyết định trùng lặp]: a decisions file (TOML)
    /// or a report whose Trùng lặp sheet the clerk marked; may be given again. Always read
    /// too: `decisions.toml` in the history folder, where a report's decisions are kept.
    #[arg(long)]
    pub decisions: Vec<PathBuf>,
    /// Machine-readable summary to write (JSON); `-` for standard output.
    #[arg(long)]
    pub summary_json: Option<PathBuf>,
    /// Date printed on the report and stored as its creation date, YYYY-MM-DD [ngày báo cáo]; default: today.
    #[arg(long)]
    pub report_date: Option<String>,
    /// Show national IDs whole in the report [hiện đủ số CCCD/CMND]; by default they are
    /// masked ("••••••••1275"), as personal data law asks of a workbook passed around.
    #[arg(long)]
    pub show_ids: bool,
    /// Also write one small workbook per unit into this folder [phản hồi cho đơn vị]: what
    /// was read of its return, each problem with its cell and what to fix, the doubts about
    /// its figures; a unit that sent nothing gets a reminder.
    #[arg(long)]
    pub feedback: Option<PathBuf>,
    /// Worker threads; default: all cores.
    #[arg(short = 'j', long)]
    pub jobs: Option<usize>,
    /// Print nothing while working (errors and the result line only).
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Also log how long each step of a stage takes (log lines, no bars).
    #[arg(short = 'v', long, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Progress bars: on a terminal (auto), always, or never (plain log lines instead).
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
}

/// When to draw progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// Bars when standard error is a terminal, log lines otherwise.
    Auto,
    /// Always bars.
    Always,
    /// Never bars: log lines.
    Never,
}
