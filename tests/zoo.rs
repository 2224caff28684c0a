//! The layout zoo (`fixtures/layouts/`): anonymised layouts of real personnel
//! spreadsheets, each with the truth a careful clerk reads from it. Every layout is read as
//! a return pinned to one unit, and scored column by column (the field each column was
//! mapped to) and person by person (name, birth date, gender, ethnicity, positions,
//! political theory, professional level, state management, party membership).
//!
//! `TONGHOP_LAYOUTS=DIR cargo test --test integration zoo -- --nocapture` scores another
//! folder of layouts in the same format (a held-out set) and prints the same table. A truth
//! row may say the column of the person's name (`"col": "G"`) where tables side by side put
//! two people on one row.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tonghop_ingest::{IngestContext, read_bytes};
use tonghop_model::record::{Official, column_name};
use tonghop_model::{Config, Field, Period, Registry};

/// A unit the layouts are pinned to: a commune valid in the reference period.
const PINNED_UNIT: &str = "06385";
const PERIOD: &str = "2024-02";

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    persons: usize,
    persons_right: usize,
    columns: usize,
    columns_right: usize,
    /// Rows read as people that the truth says are not.
    false_persons: usize,
}

impl Score {
    fn add(&mut self, other: Score) {
        self.persons += other.persons;
        self.persons_right += other.persons_right;
        self.columns += other.columns;
        self.columns_right += other.columns_right;
        self.false_persons += other.false_persons;
    }
}

fn zoo_dir() -> (PathBuf, bool) {
    match std::env::var_os("TONGHOP_LAYOUTS") {
        Some(dir) => (PathBuf::from(dir), true),
        None => (crate::e2e::root().join("fixtures/layouts"), false),
    }
}

fn field_key(field: Field) -> &'static str {
    field.key()
}

/// The truth's value for one of a person's fields, as text, and ours.
fn compare(official: &Official, truth: &Value) -> Vec<(String, String, String)> {
    let mut wrong = Vec::new();
    let mut check = |what: &str, ours: String, expected: String| {
        if ours != expected {
            wrong.push((what.to_owned(), expected, ours));
        }
    };
    check("full_name", official.full_name.clone(), truth["full_name"].as_str().unwrap_or("").to_owned());
    let birth = official.birth_date.map_or_else(
        || "null".to_owned(),
        |b| match (b.month, b.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}/day", b.year),
            (Some(m), None) => format!("{:04}-{m:02}/month", b.year),
            _ => format!("{:04}/year", b.year),
        },
    );
    let expected_birth = match &truth["birth_date"] {
        Value::Object(o) => format!("{}/{}", o["value"].as_str().unwrap_or(""), o["precision"].as_str().unwrap_or("")),
        _ => "null".to_owned(),
    };
    check("birth_date", birth, expected_birth);
    check(
        "gender",
        official.gender.map_or_else(|| "null".to_owned(), |g| g.label().to_owned()),
        truth["gender"].as_str().unwrap_or("null").to_owned(),
    );
    check(
        "ethnicity",
        official.ethnicity.map_or_else(|| "null".to_owned(), |e| e.label().to_owned()),
        truth["ethnicity"].as_str().unwrap_or("null").to_owned(),
    );
    // Posts on lines of their own in one cell are written apart, "; " between them.
    let expected_positions: Vec<String> = truth["positions"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).flat_map(|p| p.lines().map(str::trim)).map(str::to_owned).collect())
        .unwrap_or_default();
    check("positions", official.positions_text.clone(), expected_positions.join("; "));
    use tonghop_model::codes::{PoliticalTheory, Professional, StateManagement};
    for (what, ours) in [
        ("political_theory", official.political_theory.map(PoliticalTheory::key)),
        ("professional", official.professional.map(Professional::key)),
        ("state_management", official.state_management.map(StateManagement::key)),
    ] {
        check(what, ours.unwrap_or("unknown").to_owned(), truth[what].as_str().unwrap_or("unknown").to_owned());
    }
    check(
        "party_member",
        official.party_member.map_or_else(|| "null".to_owned(), |b| b.to_string()),
        truth["party_member"].as_bool().map_or_else(|| "null".to_owned(), |b| b.to_string()),
    );
    wrong
}

/// Reads one layout and scores it; the lines say what was wrong.
fn score_layout(path: &Path, registry: &Registry) -> (Score, Vec<String>) {
    let layout: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let id = layout["id"].as_str().unwrap().to_owned();
    let file = path.parent().unwrap().join(layout["file"].as_str().unwrap());
    let file_name = file.file_name().unwrap().to_string_lossy().into_owned();
    let config = Config::from_toml_str(
        &format!("[[pin]]\npattern = \"{}\"\nunit = \"{PINNED_UNIT}\"\n", file_name.replace('"', "\\\"")),
        "zoo.toml",
    )
    .unwrap();
    let period: Period = PERIOD.parse().unwrap();
    let ctx = IngestContext::new(registry, period).with_config(config.clone());
    let read = read_bytes(&file_name, std::fs::read(&file).unwrap(), &ctx);
    // Every row read ends in one bucket, and the skipped rows' kinds add up to them.
    for sheet in &read.intake.sheets {
        let c = sheet.counts;
        assert_eq!(c.read, c.accepted + c.rejected + c.skipped, "{id} {}", sheet.name);
        assert_eq!(sheet.skipped_by_kind.iter().map(|(_, n)| n).sum::<usize>(), c.skipped, "{id} {}", sheet.name);
    }
    let mut score = Score::default();
    let mut lines = Vec::new();
    // Each person read, by sheet, row and the column of their name (tables side by side
    // share their rows).
    let mut officials: BTreeMap<(String, u32, u32), Official> = BTreeMap::new();
    for record in &read.records {
        let n = tonghop_transform::normalise::normalise(record, registry, 2024, &config);
        let name_col = [Field::FullName, Field::FamilyName]
            .iter()
            .find_map(|&f| record.cells_of(f).find(|c| !c.value.is_empty()).map(|c| c.col))
            .unwrap_or(0);
        officials.insert((record.source.sheet.to_string(), record.source.row + 1, name_col), n.official);
    }
    let mut claimed: Vec<(String, u32, u32)> = Vec::new();
    for sheet in layout["sheets"].as_array().unwrap() {
        let name = sheet["name"].as_str().unwrap().to_owned();
        if sheet["role"] == "roster" {
            let intake = read.intake.sheets.iter().find(|s| s.name == name);
            for (letter, expected) in sheet["columns"].as_object().unwrap() {
                let expected = expected.as_str().unwrap();
                if expected == "ignore" {
                    continue;
                }
                score.columns += 1;
                let ours = intake
                    .and_then(|s| s.columns.iter().find(|c| column_name(c.col) == *letter))
                    .and_then(|c| c.field)
                    .map_or("ignore", field_key);
                if ours == expected {
                    score.columns_right += 1;
                } else {
                    lines.push(format!("{id} {name}!{letter}: column {expected}, read as {ours}"));
                }
            }
        }
        if let Some(rows) = sheet.pointer("/truth/rows").and_then(Value::as_array) {
            for row in rows {
                let r = row["row"].as_u64().unwrap() as u32;
                if !row["person"].as_bool().unwrap_or(false) {
                    continue;
                }
                score.persons += 1;
                // A truth row may name the column of the person's name ("col": "G"); without
                // it, the first person read on the row that no other truth row took.
                let col = row["col"].as_str().map(column_index);
                let found = officials
                    .range((name.clone(), r, 0)..=(name.clone(), r, u32::MAX))
                    .find(|(key, _)| col.is_none_or(|c| key.2 == c) && !claimed.contains(key));
                match found {
                    None => lines.push(format!("{id} {name}!{r}: person not read")),
                    Some((key, official)) => {
                        claimed.push(key.clone());
                        let wrong = compare(official, row);
                        if wrong.is_empty() {
                            score.persons_right += 1;
                        }
                        for (what, expected, ours) in wrong {
                            lines.push(format!("{id} {name}!{r}: {what} {expected:?}, read {ours:?}"));
                        }
                    }
                }
            }
        }
    }
    for (key @ (sheet, row, _), official) in &officials {
        if !claimed.contains(key) {
            score.false_persons += 1;
            lines.push(format!("{id} {sheet}!{row}: read as a person ({:?}), is not", official.full_name));
        }
    }
    (score, lines)
}

/// The 0-based index of a column named by its letters ("A" 0, "AA" 26).
fn column_index(letters: &str) -> u32 {
    letters.bytes().fold(0, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)) - 1
}

fn score_all() -> Option<(Score, Vec<String>, bool)> {
    let (dir, custom) = zoo_dir();
    if !dir.is_dir() {
        return None;
    }
    let registry = Registry::embedded();
    let mut layouts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    layouts.sort();
    let mut total = Score::default();
    let mut lines = Vec::new();
    for path in &layouts {
        let (score, mut wrong) = score_layout(path, &registry);
        lines.push(format!(
            "{}: persons {}/{}, columns {}/{}, false persons {}",
            path.file_stem().unwrap().to_string_lossy(),
            score.persons_right,
            score.persons,
            score.columns_right,
            score.columns,
            score.false_persons
        ));
        lines.append(&mut wrong);
        total.add(score);
    }
    Some((total, lines, custom))
}

#[test]
#[allow(clippy::print_stdout)]
fn the_layout_zoo_is_read_as_a_clerk_reads_it() {
    let Some((total, lines, custom)) = score_all() else {
        panic!("no layouts folder");
    };
    println!("{}", lines.join("\n"));
    println!(
        "zoo: persons fully right {}/{}, columns right {}/{}, false persons {}",
        total.persons_right, total.persons, total.columns_right, total.columns, total.false_persons
    );
    if custom {
        return;
    }
    // The floor only rises: lower it never, raise it when the reader improves.
    assert_eq!(total.persons, 125, "the zoo's persons");
    assert_eq!(total.columns, 175, "the zoo's mapped columns");
    // Every person exactly; one known column miss: 13's department column has no label of
    // its own once its header, one column off, is realigned.
    assert_eq!(total.persons_right, 125, "persons fully right");
    assert!(total.columns_right >= 174, "columns right fell to {}", total.columns_right);
    assert_eq!(total.false_persons, 0, "rows read as people that are not");
}
