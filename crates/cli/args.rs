//! The command line (clap definitions only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Consolidates the monthly cadre returns (báo cáo) of a district's communes and agencies
/// into one workbook of indicators (tổng hợp).
#[derive(Debug, Parser)]
#[command(name = "tonghop", version, about, long_about = None)]
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
}

/// Options of `tonghop run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Folder of the period's returns [thư mục báo cáo], e.g. data/returns/2024-02.
    pub returns_dir: PathBuf,
    /// The report workbook to write [báo cáo tổng hợp], e.g. BaoCao_2024-02.xlsx.
    #[arg(long)]
    pub out: PathBuf,
    /// Reporting month YYYY-MM [kỳ báo cáo]; default: the folder name when it looks like 2024-02.
    #[arg(long)]
    pub period: Option<String>,
    /// Unit registry TOML [danh mục đơn vị]; default: the embedded Hữu Lũng registry.
    #[arg(long)]
    pub units: Option<PathBuf>,
    /// Machine-readable summary to write (JSON).
    #[arg(long)]
    pub summary_json: Option<PathBuf>,
    /// Date printed on the report and stored as its creation date, YYYY-MM-DD [ngày báo cáo]; default: today.
    #[arg(long)]
    pub report_date: Option<String>,
    /// Worker threads; default: all cores.
    #[arg(short = 'j', long)]
    pub jobs: Option<usize>,
}
