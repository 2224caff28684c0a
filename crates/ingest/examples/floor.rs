//! The raw calamine floor of the scale benchmark: every spreadsheet under DIR opened with
//! calamine and every cell of every sheet visited, on all cores, nothing else.
//!
//! `cargo run --release -p tonghop-ingest --example floor -- DIR`
//! prints the files, the non-empty cells and the seconds.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

fn files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xlsx" || e == "xls" || e == "ods" || e == "xlsb") {
            out.push(path);
        }
    }
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    let started = Instant::now();
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    let cells: usize = paths.par_iter().with_max_len(8).map(|p| common::floor_cells(p)).sum();
    #[allow(clippy::print_stdout)]
    {
        println!("{} files, {cells} cells, {:.3} s", paths.len(), started.elapsed().as_secs_f64());
    }
}
