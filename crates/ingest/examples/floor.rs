//! The raw calamine floor of the scale benchmark: every spreadsheet under DIR opened with
//! calamine and every cell of every sheet visited, on all cores, nothing else.
//!
//! `cargo run --release -p tonghop-ingest --example floor -- DIR`
//! prints the files, the non-empty cells and the seconds.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Instant;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
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
    let cells: usize = paths
        .par_iter()
        .map(|p| {
            let Ok(bytes) = std::fs::read(p) else { return 0 };
            let Ok(mut book) = open_workbook_auto_from_rs(Cursor::new(bytes)) else { return 0 };
            let mut cells = 0;
            for name in book.sheet_names() {
                if let Ok(range) = book.worksheet_range(&name) {
                    cells += range.used_cells().filter(|(_, _, d)| !matches!(d, Data::Empty)).count();
                }
            }
            cells
        })
        .sum();
    #[allow(clippy::print_stdout)]
    {
        println!("{} files, {cells} cells, {:.3} s", paths.len(), started.elapsed().as_secs_f64());
    }
}
