//! Deduplication quality and speed on labelled sets.
//!
//! `cargo run --release -p tonghop-transform --example dedup_bench [-- SEED]`
//!
//! Generates (crates/fixtures `labelled`) a district-size set (600 people, 49 units) and a
//! national-size set (250,000 people, 10,000 units), each with planted duplicates of every
//! kind and traps, and their dense variants (units of several thousand people listed over
//! 200 returns each, names drawn from the country's distribution, slips into other real
//! names, look-alikes that differ in one attribute that does not change: 8,000 people in 2
//! units; 250,000 in 60), runs the matcher, and prints precision, recall and F1 over merged
//! pairs of rows, the merged pairs whose ethnicity, gender or full birth date disagree,
//! the review pairs, the wall time and the peak memory.

use std::time::Instant;

use tonghop_fixtures::labelled;
use tonghop_transform::dedup::deduplicate;

fn peak_rss_mib() -> f64 {
    tonghop_model::process::peak_memory_kib().map_or(f64::NAN, |kib| kib as f64 / 1024.0)
}

fn main() {
    let seed: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2024);
    let sets: [(&str, usize, usize, bool); 4] = [
        ("district", 600, 49, false),
        ("national", 250_000, 10_000, false),
        ("district dense", 8_000, 2, true),
        ("national dense", 250_000, 60, true),
    ];
    let mut table = Vec::new();
    for (label, people, units, dense) in sets {
        let set = if dense {
            labelled::generate_dense(seed, people, units, 200)
        } else {
            labelled::generate(seed, people, units)
        };
        let originals = set.rows.clone();
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
        let (differ, differ_with_id) = labelled::merged_pairs_that_differ(&originals, &predicted);
        // DEDUP_BENCH_SHOW=N: the first N wrong merges and review pairs, to see why.
        let show: usize = std::env::var("DEDUP_BENCH_SHOW").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
        if show > 0 {
            let brief = |o: &tonghop_model::record::Official| {
                format!(
                    "{} | {} | {:?} | {:?} | {:?} | id {:?} | {:?} {:?} {:?}",
                    o.full_name,
                    o.birth_date.map(|b| b.to_string()).unwrap_or_default(),
                    o.unit.map(|u| u.0),
                    o.gender,
                    o.ethnicity,
                    o.national_id.as_ref().map(|i| i.0.as_str()),
                    o.political_theory,
                    o.category,
                    o.positions
                )
            };
            let mut first_of_person = std::collections::HashMap::new();
            let mut wrong = 0;
            for (row, p) in predicted.iter().enumerate() {
                match first_of_person.get(p) {
                    Some(&first) if set.person[first] != set.person[row] && wrong < show => {
                        wrong += 1;
                        let all: Vec<String> = (0..rows)
                            .filter(|&r| predicted[r] == *p)
                            .map(|r| format!("    [{}] {}", set.person[r], brief(&originals[r])))
                            .collect();
                        #[allow(clippy::print_stdout)]
                        {
                            println!("  wrong merge:\n{}", all.join("\n"));
                        }
                    }
                    Some(_) => {}
                    None => {
                        first_of_person.insert(*p, row);
                    }
                }
            }
            for r in d.review.iter().take(show) {
                let (a, b) = (&d.people[r.people.0], &d.people[r.people.1]);
                let same = set.person[r.rows.0.file_index] == set.person[r.rows.1.file_index];
                #[allow(clippy::print_stdout)]
                {
                    println!(
                        "  review {:.1} ({}): {:?}\n    {}\n    {}",
                        r.weight,
                        if same { "one person" } else { "two people" },
                        r.contributions.iter().map(|(e, w)| format!("{e:?} {w:+.1}")).collect::<Vec<_>>(),
                        brief(a),
                        brief(b)
                    );
                }
            }
        }
        table.push(format!(
            "| {label} | {rows} | {precision:.4} | {recall:.4} | {differ} ({differ_with_id} with one ID) | {} ({:.2} %) | {:.2} s |",
            d.review.len(),
            100.0 * d.review.len() as f64 / people as f64,
            elapsed.as_secs_f64()
        ));
        #[allow(clippy::print_stdout)]
        {
            println!("{label}: {rows} rows, {people} people, {} found", d.people.len());
            for (kind, n) in &set.planted {
                println!("  planted {kind}: {n}");
            }
            println!(
                "  precision {precision:.4}  recall {recall:.4}  F1 {f1:.4}  ({correct} of {predicted_pairs} merged pairs right, {true_pairs} true pairs)"
            );
            println!(
                "  merged pairs whose ethnicity, gender or full birth date disagree: {differ} without a shared ID, {differ_with_id} with one"
            );
            println!(
                "  review pairs: {} ({:.2} % of people)",
                d.review.len(),
                100.0 * d.review.len() as f64 / people as f64
            );
            println!(
                "  dedup wall time: {:.2} s on {} threads; peak memory so far {:.0} MiB",
                elapsed.as_secs_f64(),
                rayon::current_num_threads(),
                peak_rss_mib()
            );
        }
    }
    #[allow(clippy::print_stdout)]
    {
        println!();
        println!("| set | rows | precision | recall | merged pairs differing | review pairs | dedup time |");
        println!("|---|---|---|---|---|---|---|");
        for line in table {
            println!("{line}");
        }
    }
}
