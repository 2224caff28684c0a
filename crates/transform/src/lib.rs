//! Turns the raw rows of a month into distinct officials and the indicators over them.
//!
//! # What it owns
//!
//! - [`normalise`]: raw cells → canonical values, with a data issue for each value that is
//!   not understood (the field stays unknown, never "none").
//! - [`dedup`]: merging the rows of one person (same national ID; same name, birth date
//!   and unit), never merging two different IDs.
//! - [`indicators`]: the headline ratios and the per-unit table, computed with polars on
//!   distinct people; [`forms`]: Biểu 9C and 12C.
//! - [`training`]: the class register's types and counts, its learners linked to the
//!   roster, Biểu 10.
//! - [`changes`]: the changes since the previous period (its snapshot is read by
//!   `tonghop-history`).
//! - [`normalise_file`]: one file's raw rows made canonical, meant to run where the file
//!   was just read; [`consolidate`]: the rest, from every file's normalised rows and intake
//!   to a [`Consolidation`] the report writes out, with the row accounting checked.

pub mod changes;
pub mod dedup;
pub mod forms;
pub mod indicators;
pub mod names;
pub mod normalise;
pub mod plausibility;
pub mod training;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use tonghop_model::codes::Position;
use tonghop_model::intake::{FileIntake, FileStatus, RowCounts, UnitIntake, UnitStatus};
use tonghop_model::record::{Official, RawRecord, SourceRow};
use tonghop_model::units::UnitId;
use tonghop_model::{DataIssue, Period, Registry, Severity};

pub use dedup::{Conflict, Evidence, MERGE_THRESHOLD, MergeGroup, MergeReason, REVIEW_THRESHOLD, ReviewPair};
pub use indicators::{Indicator, IndicatorValue, Ratio, UnitStats};

/// A consolidation that could not be completed.
#[derive(Debug, thiserror::Error)]
pub enum TransformError {
    /// The dataframe engine failed.
    #[error("computing indicators failed")]
    Polars(#[from] polars::error::PolarsError),
    /// A file's rows do not add up: a bug, and the report must not be written.
    #[error(
        "row accounting does not balance for {file}: read {read} ≠ accepted {accepted} + rejected {rejected} + skipped {skipped}"
    )]
    Accounting {
        /// The file.
        file: String,
        /// Rows read.
        read: usize,
        /// Rows accepted.
        accepted: usize,
        /// Rows rejected.
        rejected: usize,
        /// Rows skipped.
        skipped: usize,
    },
}

/// What the transform step consumes: the output of the ingest, in file order.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The unit registry.
    pub registry: &'a Registry,
    /// The reporting period.
    pub period: Period,
    /// One intake per file, in file order.
    pub files: Vec<FileIntake>,
    /// Each file's rows that looked like people, normalised ([`normalise_file`]): one per
    /// file, in file order.
    pub rows: Vec<FileRows>,
    /// Issues found while reading.
    pub issues: Vec<DataIssue>,
    /// For each file index, its recency rank (higher is newer).
    pub recency: Vec<u64>,
    /// The training register, when `--training` is given.
    pub training: Option<TrainingInput>,
    /// A register was given but could not be read (its notice says why).
    pub training_unreadable: bool,
    /// The previous period's snapshot, when `--history` holds it.
    pub previous: Option<changes::Previous>,
    /// What the run could not use and went on without (a damaged snapshot or register),
    /// in the clerk's words: said on the summary sheet, and the month is incomplete.
    pub notices: Vec<String>,
    /// The clerk's decisions on pairs, from past months' review.
    pub decisions: Vec<tonghop_model::decisions::Decision>,
}

/// The training register as read.
#[derive(Debug, Clone, Default)]
pub struct TrainingInput {
    /// Base year of the cumulative indicators (`--since`).
    pub since: i32,
    /// Class rows.
    pub classes: Vec<tonghop_model::training::RawClass>,
    /// Learner rows.
    pub learners: Vec<tonghop_model::training::RawLearner>,
    /// Problems found while reading it.
    pub issues: Vec<DataIssue>,
}

pub use tonghop_model::month::{Consolidation, Secretary, UnitLine};

/// One file's rows made canonical.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileRows {
    /// The officials built from the rows, in the file's order.
    pub rows: Vec<Official>,
    /// The problems found in their cells.
    pub issues: Vec<DataIssue>,
}

/// Rows of a file above which they are normalised on every worker, not only on the one
/// that read the file (a consolidated file can hold a country).
const PARALLEL_ROWS: usize = 1024;

/// Normalises one file's raw rows.
///
/// Meant to run on the worker that read the file, as soon as it is read: the raw rows are
/// the largest thing a run holds, and so they are freed while still in cache instead of a
/// month of them waiting for a normalising step of its own.
pub fn normalise_file(
    records: Vec<RawRecord>,
    registry: &Registry,
    period: Period,
    config: &tonghop_model::Config,
) -> FileRows {
    let reference_year = period.year();
    let one = |r: RawRecord| {
        let n = normalise::normalise(&r, registry, reference_year, config);
        (n.official, n.issues)
    };
    let (rows, row_issues): (Vec<Official>, Vec<Vec<DataIssue>>) = if records.len() > PARALLEL_ROWS {
        records.into_par_iter().map(one).unzip()
    } else {
        records.into_iter().map(one).unzip()
    };
    let mut issues: Vec<DataIssue> = row_issues.into_iter().flatten().collect();
    tonghop_model::issue::bound_per_file(&mut issues);
    FileRows { rows, issues }
}

/// Deduplicates, checks the accounting and computes the indicators: the stages below, in
/// the month's order.
// Long on purpose: the month's stages in their order, each one call; the
// borrowed people (`counted`) tie them together.
pub fn consolidate(input: Input<'_>) -> Result<Consolidation, TransformError> {
    let Input {
        registry,
        period,
        files,
        rows,
        mut issues,
        recency,
        training,
        training_unreadable,
        previous,
        notices,
        decisions,
    } = input;
    check_accounting(&files)?;
    let mut steps = tonghop_model::steps::Steps::start("consolidate");
    let (rows, multi_unit_rows) = gather_rows(&files, rows, &mut issues);
    steps.lap("gather rows");
    let rank = |s: &SourceRow| (recency.get(s.file_index).copied().unwrap_or(0), s.file_index, s.row);
    let decided = resolve_decisions(&decisions, &rows, registry, &mut issues);
    let (people, merges, review) = in_unit_order(dedup::deduplicate_with(rows, rank, &decided));
    steps.lap("deduplicate, order people");
    let expected: Vec<UnitId> = registry.expected(period);
    let expected_set: BTreeSet<UnitId> = expected.iter().copied().collect();
    let mut units = unit_intake(&files, &multi_unit_rows, &expected, &people);
    issues.extend(units_not_expected(&units, &files, registry, period));
    // Indicators over the people of expected units. Usually everyone is in an expected
    // unit: the people are then used as they are, not copied (a country's roster is a
    // quarter of a million people).
    let expected_person = |p: &Official| p.unit.is_some_and(|u| expected_set.contains(&u));
    let counted: std::borrow::Cow<'_, [Official]> = if people.iter().all(expected_person) {
        std::borrow::Cow::Borrowed(&people)
    } else {
        std::borrow::Cow::Owned(people.iter().filter(|p| expected_person(p)).cloned().collect())
    };
    steps.lap("unit intake");
    // Forms 9C and 12C need only the people: they are filled beside the indicators' frame.
    let (frame, (form_9c, form_12c)) = rayon::join(
        || indicators::people_frame(&counted, registry, period.last_day()),
        || {
            (
                forms::form_9c(&counted, registry, period.last_day()),
                forms::form_12c(&counted, registry, period.last_day()),
            )
        },
    );
    let frame = frame?;
    steps.lap("people frame, beside it forms 9C and 12C");
    let mut headline = indicators::headline_ratios(&frame)?;
    steps.lap("headline ratios");
    let training = training.map(|t| training_of(t, &people, registry, period));
    headline.extend(training::indicators(training.as_ref(), training_unreadable, period));
    issues.extend(training.iter().flat_map(|t| t.issues.iter().cloned()));
    headline.extend(unit_counts(&units, &expected, &expected_set));
    steps.lap("training");
    let stats: BTreeMap<UnitId, UnitStats> = indicators::per_unit(&frame)?.into_iter().collect();
    steps.lap("per unit");
    let (unit_lines, total) = unit_lines(&expected, &stats, &units, &counted, &mut issues);
    headline.push(plausibility_of(&mut units, &counted, &expected_set, registry));
    issues.sort();
    steps.lap("unit lines");
    let form_10 = training::form_10(training.as_ref(), &people, registry, period);
    steps.lap("form 10");
    let statuses: Vec<(UnitId, UnitStatus)> = units.iter().map(|u| (u.unit, u.status)).collect();
    let changes = previous.as_ref().map(|p| changes::changes(p, &counted, &statuses));
    steps.lap("changes");
    let previous = previous.map(|p| (p.period, p.indicators));
    drop(counted);
    Ok(Consolidation {
        period,
        files,
        units,
        people,
        merges,
        review,
        issues,
        headline,
        unit_lines,
        total,
        form_9c,
        form_12c,
        form_10,
        training,
        previous,
        changes,
        notices,
    })
}

/// Every file's rows must add up (read = accepted + rejected + skipped): a file that does
/// not is a reader's bug, and the month stops rather than count it.
fn check_accounting(files: &[FileIntake]) -> Result<(), TransformError> {
    match files.iter().find(|f| !f.counts.balances()) {
        Some(f) => Err(TransformError::Accounting {
            file: f.path.clone(),
            read: f.counts.read,
            accepted: f.counts.accepted,
            rejected: f.counts.rejected,
            skipped: f.counts.skipped,
        }),
        None => Ok(()),
    }
}

/// Every file's officials in one list, their problems with the month's, and the unit of
/// each row of a file of several units (which counts its rows per unit).
fn gather_rows(
    files: &[FileIntake],
    mut rows: Vec<FileRows>,
    issues: &mut Vec<DataIssue>,
) -> (Vec<Official>, Vec<UnitId>) {
    debug_assert_eq!(files.len(), rows.len(), "one FileRows per file");
    let multi_unit_rows: Vec<UnitId> = files
        .iter()
        .zip(&rows)
        .filter(|(f, _)| f.units.len() > 1)
        .flat_map(|(_, r)| r.rows.iter().filter_map(|o| o.unit))
        .collect();
    issues.reserve(rows.iter().map(|f| f.issues.len()).sum());
    for f in &mut rows {
        issues.append(&mut f.issues);
    }
    (gather(rows), multi_unit_rows)
}

/// The people ordered by unit (registry order), then by where they were first read, with
/// the merges and review pairs renumbered to match.
fn in_unit_order(dedup: dedup::Deduplicated) -> (Vec<Official>, Vec<MergeGroup>, Vec<ReviewPair>) {
    let mut order: Vec<usize> = (0..dedup.people.len()).collect();
    // The first source of each person is found once, not at every comparison.
    order.sort_by_cached_key(|&i| {
        let p = &dedup.people[i];
        (p.unit.map_or(usize::MAX, |u| u.0), p.sources.iter().min().map(|s| (s.file_index, s.sheet.clone(), s.row)))
    });
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut people = dedup.people;
    permute(&mut people, &order);
    let mut merges = dedup.merges;
    for m in &mut merges {
        m.person = new_index[m.person];
    }
    merges.sort_by_key(|m| m.person);
    let mut review = dedup.review;
    for r in &mut review {
        let (a, b) = (new_index[r.people.0], new_index[r.people.1]);
        // Each row stays beside its own person, the lower-numbered person first.
        if a > b {
            std::mem::swap(&mut r.rows.0, &mut r.rows.1);
        }
        r.people = (a.min(b), a.max(b));
    }
    review.sort_by_key(|r| r.people);
    (people, merges, review)
}

/// A warning for each file of a unit that no longer exists in the period: its figures are
/// not counted.
fn units_not_expected(
    units: &[UnitIntake],
    files: &[FileIntake],
    registry: &Registry,
    period: Period,
) -> Vec<DataIssue> {
    units
        .iter()
        .filter(|u| u.status == UnitStatus::NotExpected)
        .flat_map(|u| {
            u.files.iter().map(move |&fi| DataIssue {
                file_index: fi,
                unit: Some(u.unit),
                file: files[fi].path.clone(),
                sheet: None,
                cell: None,
                field: None,
                raw: registry.unit(u.unit).name.clone(),
                problem: format!(
                    "Đơn vị {} không còn tồn tại trong kỳ {period}; số liệu của tệp không được tính vào chỉ tiêu",
                    registry.unit(u.unit).name
                ),
                severity: Severity::Warning,
            })
        })
        .collect()
}

/// The register's classes normalised and its learners linked to the month's people.
fn training_of(t: TrainingInput, people: &[Official], registry: &Registry, period: Period) -> training::Training {
    let (classes, mut issues) = training::normalise_classes(&t.classes, period.year());
    let (learners, link_issues) = training::link_learners(t.learners, people, registry, period);
    issues.extend(t.issues);
    issues.extend(link_issues);
    training::Training { since: t.since, classes, learners, issues }
}

/// The units expected, received, missing, unreadable and without a usable row.
fn unit_counts(units: &[UnitIntake], expected: &[UnitId], expected_set: &BTreeSet<UnitId>) -> Vec<Indicator> {
    let status_count =
        |s: UnitStatus| units.iter().filter(|u| u.status == s && expected_set.contains(&u.unit)).count() as u64;
    [
        ("units_expected", "Đơn vị phải báo cáo", expected.len() as u64),
        ("units_received", "Đơn vị đã nộp", status_count(UnitStatus::Received)),
        ("units_missing", "Đơn vị chưa nộp", status_count(UnitStatus::Missing)),
        ("units_invalid", "Đơn vị có báo cáo không đọc được", status_count(UnitStatus::Invalid)),
        ("units_no_rows", "Đơn vị nộp báo cáo không có dòng dùng được", status_count(UnitStatus::NoRows)),
    ]
    .map(|(key, label, n)| Indicator { key, label: label.to_owned(), value: IndicatorValue::Count(n) })
    .into()
}

/// One line per expected unit (its figures, status and secretary) and the district total
/// recomputed from them; a unit with several secretaries is a warning.
fn unit_lines(
    expected: &[UnitId],
    stats: &BTreeMap<UnitId, UnitStats>,
    units: &[UnitIntake],
    counted: &[Official],
    issues: &mut Vec<DataIssue>,
) -> (Vec<UnitLine>, UnitStats) {
    let mut total = UnitStats::default();
    let mut lines = Vec::with_capacity(expected.len());
    // Secretaries and statuses by unit, gathered once: a country has ten thousand units.
    let mut secretaries_of: BTreeMap<UnitId, Vec<&Official>> = BTreeMap::new();
    for p in counted.iter().filter(|p| p.holds(Position::BiThu)) {
        if let Some(u) = p.unit {
            secretaries_of.entry(u).or_default().push(p);
        }
    }
    let status_of: BTreeMap<UnitId, UnitStatus> = units.iter().map(|u| (u.unit, u.status)).collect();
    for &unit in expected {
        let line_stats = stats.get(&unit).cloned().unwrap_or_default();
        total.add(&line_stats);
        let secretaries: Vec<&Official> = secretaries_of.remove(&unit).unwrap_or_default();
        let secretary = match secretaries.as_slice() {
            [] => Secretary::Vacant,
            [one] => Secretary::One(one.full_name.clone(), one.political_theory),
            several => {
                let first = &several[0].sources[0];
                issues.push(DataIssue {
                    file_index: first.file_index,
                    unit: Some(unit),
                    file: first.file.to_string(),
                    sheet: Some(first.sheet.to_string()),
                    cell: None,
                    field: Some(tonghop_model::Field::Positions),
                    raw: several.iter().map(|p| p.full_name.as_str()).collect::<Vec<_>>().join(", "),
                    problem: "Đơn vị có nhiều hơn một Bí thư Đảng ủy".to_owned(),
                    severity: Severity::Warning,
                });
                Secretary::Several(several.iter().map(|p| p.full_name.clone()).collect())
            }
        };
        let status = status_of.get(&unit).copied().unwrap_or(UnitStatus::Missing);
        lines.push(UnitLine { unit, status, stats: line_stats, secretary });
    }
    (lines, total)
}

/// The plausibility of every unit that sent a roster (a warning, never a changed figure),
/// and the count of units so doubted.
fn plausibility_of(
    units: &mut [UnitIntake],
    counted: &[Official],
    expected_set: &BTreeSet<UnitId>,
    registry: &Registry,
) -> Indicator {
    let mut people_of: BTreeMap<UnitId, Vec<&Official>> = BTreeMap::new();
    for p in counted {
        if let Some(u) = p.unit {
            people_of.entry(u).or_default().push(p);
        }
    }
    for u in units.iter_mut() {
        if u.status == UnitStatus::Received {
            let people = people_of.get(&u.unit).map_or(&[][..], Vec::as_slice);
            u.warnings.extend(plausibility::unit_warnings(registry.unit(u.unit).kind, people));
        }
    }
    let doubtful = units.iter().filter(|u| !u.warnings.is_empty() && expected_set.contains(&u.unit)).count();
    Indicator {
        key: "units_doubtful",
        label: "Đơn vị có số liệu có thể đọc sai (xem Tiếp nhận)".to_owned(),
        value: IndicatorValue::Count(doubtful as u64),
    }
}

/// The rows each decision names; a decision naming someone no row of the month names no
/// longer applies and is said (it is kept in the file, for a month that has them again).
fn resolve_decisions(
    decisions: &[tonghop_model::decisions::Decision],
    rows: &[Official],
    registry: &Registry,
    issues: &mut Vec<DataIssue>,
) -> Vec<dedup::Decided> {
    let mut out = Vec::new();
    if decisions.is_empty() {
        return out;
    }
    // The rows by ID and by folded name, once: a country's quarter of a million rows are
    // not walked again for every decision.
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(id) = &r.national_id {
            by_id.entry(id.0.as_str()).or_default().push(i);
        }
        by_name.entry(tonghop_model::text::fold(&r.full_name)).or_default().push(i);
    }
    for d in decisions {
        let named = |key: &tonghop_model::decisions::PersonKey| -> Vec<usize> {
            // A masked ID (a report's default) is looked up by the name; `names` checks the
            // digits it shows.
            let candidates = match &key.id {
                Some(id) if !tonghop_model::record::NationalId::is_masked(id) => by_id.get(id.as_str()),
                _ => by_name.get(&tonghop_model::text::fold(&key.name)),
            };
            candidates.into_iter().flatten().copied().filter(|&i| key.names(&rows[i], registry)).collect()
        };
        let (a, b) = (named(&d.a), named(&d.b));
        if a.is_empty() || b.is_empty() {
            let missing = if a.is_empty() { &d.a } else { &d.b };
            issues.push(DataIssue {
                file_index: usize::MAX,
                unit: None,
                file: d.origin.clone(),
                sheet: None,
                cell: None,
                field: None,
                raw: format!("{} / {}", d.a.name, d.b.name),
                problem: format!(
                    "Quyết định \"{}\" về {} và {} không còn áp dụng tháng này: không có dòng nào của {} ({}, {})",
                    if d.same { "cùng một người" } else { "khác người" },
                    d.a.name,
                    d.b.name,
                    missing.name,
                    missing.birth,
                    missing.unit
                ),
                severity: Severity::Warning,
            });
            continue;
        }
        out.push(dedup::Decided { same: d.same, a, b });
    }
    out
}

/// Every file's officials in one list, in file order. A country's are some 80 MB: they are
/// moved on every worker into a list laid out (and so faulted in) on every worker, not
/// copied on one while the others wait.
fn gather(mut files: Vec<FileRows>) -> Vec<Official> {
    // A consolidated file of a country holds every row: its list is the list.
    let mut with_rows = files.iter().enumerate().filter(|(_, f)| !f.rows.is_empty()).map(|(i, _)| i);
    if let (Some(only), None) = (with_rows.next(), with_rows.next()) {
        return std::mem::take(&mut files[only].rows);
    }
    let total = files.iter().map(|f| f.rows.len()).sum();
    let mut all: Vec<Official> = Vec::with_capacity(total);
    all.par_extend((0..total).into_par_iter().map(|_| Official::default()));
    let mut rest = all.as_mut_slice();
    let mut pieces = Vec::with_capacity(files.len());
    for file in files {
        let (piece, tail) = std::mem::take(&mut rest).split_at_mut(file.rows.len());
        pieces.push((piece, file.rows));
        rest = tail;
    }
    pieces.into_par_iter().with_max_len(64).for_each(|(piece, rows)| {
        for (slot, row) in piece.iter_mut().zip(rows) {
            *slot = row;
        }
    });
    all
}

/// The status of every expected unit, then of the units that sent a return but are not
/// expected in the period.
fn unit_intake(
    files: &[FileIntake],
    multi_unit_rows: &[UnitId],
    expected: &[UnitId],
    people: &[Official],
) -> Vec<UnitIntake> {
    let mut by_unit: BTreeMap<UnitId, UnitIntake> = BTreeMap::new();
    let blank = |unit| UnitIntake {
        unit,
        status: UnitStatus::Missing,
        files: Vec::new(),
        counts: RowCounts::default(),
        people: 0,
        warnings: Vec::new(),
        notes: Vec::new(),
    };
    for (i, f) in files.iter().enumerate() {
        for &unit in &f.units {
            let entry = by_unit.entry(unit).or_insert_with(|| blank(unit));
            entry.files.push(i);
            // A multi-unit file's rows are counted per unit from its records below.
            if f.units.len() == 1 {
                entry.counts.add(f.counts);
            }
            // Rows naming a unit inside another unit's return are that unit's people, but
            // not its return: its status comes from its own (a slip or a forged column
            // must not mark a unit received, nor hide that its own file was unreadable).
            if let Some((_, rows)) = f.rows_of_other_units.iter().find(|(u, _)| *u == unit) {
                entry.notes.push(format!(
                    "{rows} dòng ghi đơn vị này nằm trong tệp {} của đơn vị khác, không được coi là báo cáo của đơn vị này",
                    f.path
                ));
                continue;
            }
            entry.status = match (entry.status, f.status) {
                (_, FileStatus::Read) | (UnitStatus::Received, _) => UnitStatus::Received,
                _ => UnitStatus::Invalid,
            };
        }
    }
    // A file whose title names one unit and whose name or folder another: both are told.
    for (i, f) in files.iter().enumerate() {
        if let (Some(own), Some(by_path)) = (f.own_unit, f.path_unit) {
            by_unit.entry(own).or_insert_with(|| blank(own)).notes.push(format!(
                "tệp {} nằm trong thư mục hoặc mang tên của đơn vị khác nhưng tiêu đề ghi đơn vị này; kiểm tra",
                f.path
            ));
            let entry = by_unit.entry(by_path).or_insert_with(|| blank(by_path));
            entry.files.push(i);
            entry.notes.push(format!(
                "tệp {} mang tên hoặc nằm trong thư mục của đơn vị này nhưng tiêu đề ghi đơn vị khác, nên được tính cho đơn vị đó; kiểm tra",
                f.path
            ));
        }
    }
    for &unit in multi_unit_rows {
        let entry = by_unit.entry(unit).or_insert_with(|| blank(unit));
        entry.counts.read += 1;
        entry.counts.accepted += 1;
    }
    for p in people {
        if let Some(u) = p.unit {
            by_unit.entry(u).or_insert_with(|| blank(u)).people += 1;
        }
    }
    // A return read without one usable row: sent, but nothing to count.
    for entry in by_unit.values_mut() {
        if entry.status == UnitStatus::Received && entry.counts.accepted == 0 {
            entry.status = UnitStatus::NoRows;
        }
    }
    let mut out: Vec<UnitIntake> = expected.iter().map(|&u| by_unit.remove(&u).unwrap_or_else(|| blank(u))).collect();
    for (_, mut rest) in by_unit {
        rest.status = UnitStatus::NotExpected;
        out.push(rest);
    }
    out
}

/// Puts `items[order[k]]` at `k` for every `k`, in place (`order` is a permutation): a
/// country's people are moved, not copied into a second quarter-million-long list.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut k = start;
        while !placed[k] {
            placed[k] = true;
            let from = order[k];
            if from == start {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_people_by_unit_keeps_each_review_row_beside_its_own_person() {
        let person = |unit: usize, row: u32| Official {
            unit: Some(UnitId(unit)),
            sources: vec![SourceRow { file_index: 0, file: "f.xlsx".into(), sheet: "S".into(), row }],
            ..Official::default()
        };
        // Person 0 is of unit 9 and person 1 of unit 1: ordered by unit they swap.
        let dedup = dedup::Deduplicated {
            people: vec![person(9, 0), person(1, 1)],
            merges: Vec::new(),
            review: vec![ReviewPair {
                people: (0, 1),
                rows: (person(9, 0).sources[0].clone(), person(1, 1).sources[0].clone()),
                reasons: Vec::new(),
                weight: 10.0,
                contributions: Vec::new(),
            }],
        };
        let (people, _, review) = in_unit_order(dedup);
        let r = &review[0];
        assert_eq!(r.people, (0, 1));
        assert!(people[r.people.0].sources.contains(&r.rows.0));
        assert!(people[r.people.1].sources.contains(&r.rows.1));
    }
    use tonghop_model::Field;
    use tonghop_model::intake::UnitFoundBy;
    use tonghop_model::record::{CellValue, RawCell};

    /// Row `i` of a file: a name, and a birth date that is not one on every third row.
    fn raw_row(registry: &Registry, i: usize) -> RawRecord {
        let text = |s: String| CellValue::Text(s);
        let birth = if i.is_multiple_of(3) {
            "không rõ".to_owned()
        } else {
            format!("{:02}/05/19{}", i % 28 + 1, 60 + i % 30)
        };
        let cells = [(Field::FullName, text(format!("nguyễn văn {i}"))), (Field::BirthDate, text(birth))];
        RawRecord {
            source: SourceRow { file_index: 0, file: "f.xlsx".into(), sheet: "S".into(), row: i as u32 + 5 },
            unit: UnitId(i % registry.units().len()),
            unit_found_by: UnitFoundBy::Column,
            section: None,
            cells: cells
                .into_iter()
                .enumerate()
                .map(|(c, (field, value))| RawCell { field, col: c as u32, value, option: None })
                .collect(),
        }
    }

    #[test]
    fn a_file_normalised_on_every_worker_keeps_its_rows_and_issues_in_order() {
        let registry = Registry::embedded();
        let period: Period = "2024-02".parse().unwrap();
        let config = tonghop_model::Config::default();
        // Past PARALLEL_ROWS the rows are shared out among the workers.
        let records: Vec<RawRecord> = (0..PARALLEL_ROWS * 3 + 7).map(|i| raw_row(&registry, i)).collect();
        let one_by_one: Vec<normalise::Normalised> =
            records.iter().map(|r| normalise::normalise(r, &registry, period.year(), &config)).collect();
        let file = normalise_file(records, &registry, period, &config);
        assert_eq!(file.rows, one_by_one.iter().map(|n| n.official.clone()).collect::<Vec<_>>());
        // One issue per row without a birth date, in row order, as many as a file lists.
        let mut expected: Vec<DataIssue> = one_by_one.iter().flat_map(|n| n.issues.clone()).collect();
        assert_eq!(expected.len(), (PARALLEL_ROWS * 3 + 7).div_ceil(3));
        tonghop_model::issue::bound_per_file(&mut expected);
        assert_eq!(file.issues, expected);
        // Below PARALLEL_ROWS, on the worker alone: the same rows.
        let small: Vec<RawRecord> = (0..5).map(|i| raw_row(&registry, i)).collect();
        let expected: Vec<Official> =
            small.iter().map(|r| normalise::normalise(r, &registry, period.year(), &config).official).collect();
        assert_eq!(normalise_file(small, &registry, period, &config).rows, expected);
    }

    #[test]
    fn gathered_rows_keep_file_order_and_none_is_lost() {
        let named = |name: String| Official { full_name: name, ..Official::default() };
        // Files of many sizes, empty ones among them, more than a worker's piece of files.
        let files: Vec<FileRows> = (0..300)
            .map(|f| FileRows {
                rows: (0..(f * 7) % 11).map(|r| named(format!("{f}/{r}"))).collect(),
                ..FileRows::default()
            })
            .collect();
        let expected: Vec<String> = files.iter().flat_map(|f| f.rows.iter().map(|o| o.full_name.clone())).collect();
        let all = gather(files);
        assert_eq!(all.iter().map(|o| o.full_name.clone()).collect::<Vec<_>>(), expected);
        assert!(gather(Vec::new()).is_empty());
        // One file with rows among empty ones: its rows, as they are.
        let one = |n: usize| FileRows { rows: (0..n).map(|r| named(format!("{r}"))).collect(), ..FileRows::default() };
        let all = gather(vec![one(0), one(3), one(0)]);
        assert_eq!(all.iter().map(|o| o.full_name.as_str()).collect::<Vec<_>>(), ["0", "1", "2"]);
    }

    #[test]
    fn a_permutation_puts_each_item_where_the_order_says() {
        let order = [3, 0, 4, 1, 2, 5, 7, 6];
        let mut items: Vec<char> = "abcdefgh".chars().collect();
        permute(&mut items, &order);
        let expected: Vec<char> = order.iter().map(|&i| char::from(b"abcdefgh"[i])).collect();
        assert_eq!(items, expected);
        let mut none: Vec<u8> = Vec::new();
        permute(&mut none, &[]);
        assert!(none.is_empty());
    }
}
