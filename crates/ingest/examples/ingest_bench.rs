//! Ingest speed against the raw calamine floor, on the same files.
//!
//! `cargo run --release -p tonghop-ingest --example ingest_bench -- [DIR] [COPIES] [RUNS]`
//!
//! Copies the returns of DIR (default: the bundled sample month) COPIES times (default 20)
//! into a temporary folder, then times, RUNS times each (default 5), on all cores:
//! - the floor: every file read into memory, opened with calamine, every cell of every
//!   sheet visited, nothing else;
//! - the ingest: `tonghop_ingest::read_all` (format sniffing, limits, streaming, encoding
//!   detection, header mapping, row accounting, unit identification).
//!
//! It prints the medians and the ratio, run by run.
//!
//! `BENCH_UNITS=units.toml` reads the units from that registry instead of the embedded one.
//!
//! For profiling, `BENCH_ONLY_FLOOR=1`, `BENCH_ONLY_LOAD=1` (opening and streaming),
//! `BENCH_ONLY_ROWS=1` (headers, rows, units) or `BENCH_ONLY_INGEST=1` repeat one stage
//! alone, RUNS × 10 times.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tonghop_ingest::{IngestContext, discover, read_all};
use tonghop_model::Registry;

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn floor(paths: &[PathBuf]) -> usize {
    paths.par_iter().with_max_len(8).map(|p| common::floor_cells(p)).sum()
}

fn spreadsheets_of(files: &[tonghop_ingest::FoundFile]) -> impl ParallelIterator<Item = &tonghop_ingest::FoundFile> {
    files.par_iter().filter(|f| f.is_spreadsheet)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let source = args.first().map_or_else(|| PathBuf::from("fixtures/returns/2024-02"), PathBuf::from);
    let copies: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().expect("a temporary folder");
    for i in 0..copies {
        copy_tree(&source, &dir.path().join(format!("copy{i:04}"))).expect("copy the returns");
    }
    let files = discover(dir.path()).expect("list the copies");
    let spreadsheets: Vec<PathBuf> = files.iter().filter(|f| f.is_spreadsheet).map(|f| f.abs_path.clone()).collect();
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    // BENCH_UNITS: a registry of the returns' units (a national month names 10,000).
    let registry = std::env::var_os("BENCH_UNITS")
        .map_or_else(Registry::embedded, |p| Registry::load(Path::new(&p)).expect("the BENCH_UNITS registry"));
    let ctx = IngestContext::new(&registry, "2024-02".parse().expect("period"));
    let (mut floor_times, mut ingest_times, mut load_times, mut rows_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let books: Vec<(&tonghop_ingest::FoundFile, tonghop_ingest::workbook::Book)> = files
        .iter()
        .filter(|f| f.is_spreadsheet)
        .filter_map(|f| tonghop_ingest::workbook::load(f, &ctx.limits).ok().map(|b| (f, b)))
        .collect();
    let (mut cells, mut rows) = (0, 0);
    if std::env::var_os("BENCH_ONLY_FLOOR").is_some() {
        let n: usize = (0..runs * 10).map(|_| floor(&spreadsheets)).sum();
        assert!(n > 0);
        return;
    }
    if std::env::var_os("BENCH_ONLY_LOAD").is_some() {
        let n: usize = (0..runs * 10)
            .map(|_| {
                spreadsheets_of(&files)
                    .map(|f| tonghop_ingest::workbook::load(f, &ctx.limits).map_or(0, |b| b.sheets.len()))
                    .sum::<usize>()
            })
            .sum();
        assert!(n > 0);
        return;
    }
    if std::env::var_os("BENCH_ONLY_INGEST").is_some() {
        // For profiling the whole ingest alone.
        let n: usize = (0..runs * 10).map(|_| read_all(&files, &ctx).len()).sum();
        assert!(n > 0);
        return;
    }
    if std::env::var_os("BENCH_ONLY_ROWS").is_some() {
        // For profiling the part after the workbooks are read.
        let n: usize = (0..runs * 10)
            .map(|_| {
                books
                    .iter()
                    .map(|(f, b)| tonghop_ingest::rows::read_book(f, b.clone(), &ctx).records.len())
                    .sum::<usize>()
            })
            .sum();
        assert!(n > 0);
        return;
    }
    for _ in 0..runs {
        let t = Instant::now();
        cells = floor(&spreadsheets);
        floor_times.push(t.elapsed());
        let t = Instant::now();
        let loaded: usize = files
            .par_iter()
            .filter(|f| f.is_spreadsheet)
            .map(|f| tonghop_ingest::workbook::load(f, &ctx.limits).map_or(0, |b| b.sheets.len()))
            .sum();
        load_times.push(t.elapsed());
        assert!(loaded > 0);
        let t = Instant::now();
        let read_rows: usize =
            books.par_iter().map(|(f, b)| tonghop_ingest::rows::read_book(f, b.clone(), &ctx).intake.counts.read).sum();
        rows_times.push(t.elapsed());
        assert!(read_rows > 0);
        let t = Instant::now();
        let reads = read_all(&files, &ctx);
        ingest_times.push(t.elapsed());
        rows = reads.iter().map(|r| r.intake.counts.read).sum::<usize>();
    }
    // The machine's speed drifts between runs: each run's ratio compares the floor and the
    // ingest timed back to back, and their median is the figure to quote.
    let mut ratios: Vec<f64> =
        floor_times.iter().zip(&ingest_times).map(|(f, i)| i.as_secs_f64() / f.as_secs_f64()).collect();
    ratios.sort_by(f64::total_cmp);
    let (f, i) = (median(floor_times), median(ingest_times));
    #[allow(clippy::print_stdout)]
    {
        println!(
            "{} files ({} spreadsheets, {:.1} MB), {} non-empty cells, {} rows under headers, {} threads, {runs} runs",
            files.len(),
            spreadsheets.len(),
            bytes as f64 / 1e6,
            cells,
            rows,
            rayon::current_num_threads()
        );
        println!("calamine floor (read every cell): median {:.1} ms", f.as_secs_f64() * 1e3);
        println!(
            "  of which opening and streaming the workbooks (limits, sniffing, decoding): median {:.1} ms",
            median(load_times).as_secs_f64() * 1e3
        );
        println!(
            "  of which finding headers, sorting rows, deciding units (with a copy of each workbook): median {:.1} ms",
            median(rows_times).as_secs_f64() * 1e3
        );
        println!("tonghop ingest (read_all):        median {:.1} ms", i.as_secs_f64() * 1e3);
        println!("ratio of the medians: {:.2}", i.as_secs_f64() / f.as_secs_f64());
        println!(
            "ratio ingest / floor, run by run: median {:.2} (lowest {:.2}, highest {:.2})",
            ratios[ratios.len() / 2],
            ratios[0],
            ratios[ratios.len() - 1]
        );
    }
}
