//! `tonghop`: consolidates a district's monthly cadre returns into one workbook.
//!
//! The binary is thin: [`args`] defines the command line, [`run`] binds ingest,
//! transform and report together, and `main` maps the outcome to the exit codes of
//! `outputs.md` §2 (0 complete, 3 incomplete, 1 failed, 2 usage).

mod args;
mod check;
mod progress;
mod run;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match run::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("tonghop: error: {err:#}");
            }
            ExitCode::from(run::EXIT_FAILED)
        }
    }
}
