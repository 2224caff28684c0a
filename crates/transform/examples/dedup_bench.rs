//! Deduplication quality and speed on labelled sets.
//!
//! `cargo run --release -p tonghop-transform --example dedup_bench [-- SEED]`
//!
//! Generates (crates/fixtures `labelled`) a district-size set (600 people, 49 units) and a
//! national-size set (250,000 people, 10,000 units), each with planted duplicates of every
//! kind and traps, runs the matcher, and prints precision, recall and F1 over merged pairs
//! of rows, the review pairs, the wall time and the peak memory.

use std::time::Instant;

use tonghop_fixtures::labelled;
use tonghop_transform::dedup::deduplicate;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn main() {
    let seed: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2024);
    for (label, people, units) in [("district", 600, 49), ("national", 250_000, 10_000)] {
        let set = labelled::generate(seed, people, units);
        let rows = set.rows.len();
        let started = Instant::now();
        let d = deduplicate(set.rows, |s| s.file_index);
        let elapsed = started.elapsed();
        let mut predicted = vec![0; rows];
        for (p, person) in d.people.iter().enumerate() {
            for s in &person.sources {
                predicted[s.file_index] = p;
            }
        }
        let (precision, recall, f1, correct, predicted_pairs, true_pairs) =
            labelled::pair_scores(&set.person, &predicted);
        #[allow(clippy::print_stdout)]
        {
            println!("{label}: {rows} rows, {people} people, {} found", d.people.len());
            for (kind, n) in &set.planted {
                println!("  planted {kind}: {n}");
            }
            println!(
                "  precision {precision:.4}  recall {recall:.4}  F1 {f1:.4}  ({correct} of {predicted_pairs} merged pairs right, {true_pairs} true pairs)"
            );
            println!("  review pairs: {}", d.review.len());
            println!(
                "  dedup wall time: {:.2} s on {} threads; peak memory so far {:.0} MiB",
                elapsed.as_secs_f64(),
                rayon::current_num_threads(),
                peak_rss_mib()
            );
        }
    }
}
