//! Period snapshots on disk (`outputs.md` §5): each successful run stores its roster and
//! its indicators under `DIR/YYYY-MM/` as Parquet, and the next period reads the previous one
//! for the "Kỳ trước" columns of the summary and the "Biến động" sheet (which
//! `tonghop_transform::changes` works out). Storage at the edge: the only crate that writes
//! Parquet.
//!
//! A snapshot is written into a temporary folder beside its place, synced, then renamed
//! into place, so that a run killed half-way leaves the previous snapshot of that period
//! (or none) and never half of one. Only the period's own folder is touched.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use tonghop_model::codes::{
    Category, CommitteeLevel, Gender, PoliticalTheory, Position, Professional, StateManagement, parse_ethnicity,
};
use tonghop_model::month::{Consolidation, IndicatorValue};
use tonghop_model::month::{Previous, comparable};
use tonghop_model::record::{BirthDate, NationalId, Official};
use tonghop_model::{Period, Registry};

/// A snapshot could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// A file or folder operation failed.
    #[error("thư mục lưu trữ {path}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// Parquet could not be written or read.
    #[error("tệp lưu trữ {path}")]
    Parquet {
        /// The file.
        path: String,
        /// The error.
        source: PolarsError,
    },
    /// A snapshot that declares more than a month holds: not read.
    #[error("tệp lưu trữ {path} khai {rows} dòng và {bytes} byte khi giải nén, nhiều hơn số liệu một kỳ")]
    TooLarge {
        /// The file.
        path: String,
        /// Rows declared.
        rows: usize,
        /// Bytes declared, unpacked.
        bytes: usize,
    },
    /// The folder holds what tonghop did not write: it is not replaced nor removed.
    #[error(
        "{path} không phải thư mục lưu trữ của tonghop ({found} không do tonghop lập); tonghop chỉ thay những gì nó đã ghi: cho --history một thư mục riêng"
    )]
    NotOurs {
        /// The folder.
        path: String,
        /// What was found there that tonghop does not write.
        found: String,
    },
}

/// Most people a snapshot may hold (four times a country's month).
const MAX_SNAPSHOT_ROWS: usize = 1_000_000;

/// Most bytes a snapshot file may unpack to.
const MAX_SNAPSHOT_BYTES: usize = 1024 * 1024 * 1024;

/// The file that marks a folder as tonghop's history: written when tonghop creates the
/// folder (or adopts a folder holding only snapshots), required before anything in it is
/// replaced or removed.
pub const MARKER: &str = ".tonghop-history";

/// The files of one period's snapshot.
const SNAPSHOT_FILES: [&str; 2] = ["roster.parquet", "indicators.parquet"];

/// Whether `name` is one of tonghop's entries in a history folder: a period's folder, its
/// staging or set-aside copy, the marker, the lock.
fn is_history_entry(name: &str) -> bool {
    let period = |s: &str| s.parse::<Period>().is_ok();
    name == MARKER
        || name == ".tonghop.lock"
        || name == "decisions.toml"
        || name == "decisions-marked.toml"
        || is_system_file(name)
        || period(name)
        || name.strip_prefix('.').and_then(|n| n.strip_suffix(".old")).is_some_and(period)
        || name.strip_prefix('.').and_then(|n| n.split_once(".tmp-")).is_some_and(|(p, _)| period(p))
}

/// Files a file browser leaves in a folder it showed: not content.
fn is_system_file(name: &str) -> bool {
    matches!(name, ".DS_Store" | "Thumbs.db" | "desktop.ini" | "Desktop.ini") || name.starts_with("._")
}

/// The first entry of a period folder that is not a snapshot file, if any.
fn foreign_in_period(folder: &Path) -> Option<String> {
    let entries = std::fs::read_dir(folder).ok()?;
    entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| !SNAPSHOT_FILES.contains(&n.as_str()) && !is_system_file(n))
        .map(|n| folder.join(n).display().to_string())
}

/// Checks that `dir` may be written as tonghop's history and `period`'s snapshot replaced
/// there: the folder absent, empty, marked, or holding nothing but snapshots (a history
/// from before the marker), and the period's folder holding nothing but a snapshot. A
/// returns folder, a documents folder or any folder with other content is refused before
/// any work.
pub fn check_owned(dir: &Path, period: Period) -> Result<(), HistoryError> {
    if let Some(found) = foreign_in_period(&period_dir(dir, period)) {
        return Err(HistoryError::NotOurs { path: dir.display().to_string(), found });
    }
    let not_ours = |found: String| HistoryError::NotOurs { path: dir.display().to_string(), found };
    let meta = match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(dir)(e)),
        Ok(meta) => meta,
    };
    if !std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
        return Err(not_ours(format!("{} {}", dir.display(), if meta.is_symlink() { "(a link)" } else { "(a file)" })));
    }
    if dir.join(MARKER).is_file() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_history_entry(&name)
            || !entry.file_type().is_ok_and(|t| {
                t.is_dir() || name.starts_with('.') || name == "decisions.toml" || name == "decisions-marked.toml"
            })
        {
            return Err(not_ours(entry.path().display().to_string()));
        }
        if name.parse::<Period>().is_ok()
            && let Some(found) = foreign_in_period(&entry.path())
        {
            return Err(not_ours(found));
        }
    }
    Ok(())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> HistoryError + '_ {
    move |source| HistoryError::Io { path: path.display().to_string(), source }
}

fn pq(path: &Path) -> impl FnOnce(PolarsError) -> HistoryError + '_ {
    move |source| HistoryError::Parquet { path: path.display().to_string(), source }
}

fn period_dir(dir: &Path, period: Period) -> PathBuf {
    dir.join(period.to_string())
}

fn roster_frame(c: &Consolidation, registry: &Registry) -> PolarsResult<DataFrame> {
    let people = &c.people;
    let text = |f: &dyn Fn(&Official) -> Option<String>| -> Vec<Option<String>> { people.iter().map(f).collect() };
    let int = |f: &dyn Fn(&Official) -> Option<i32>| -> Vec<Option<i32>> { people.iter().map(f).collect() };
    let columns = vec![
        Column::new("unit".into(), text(&|o| o.unit.map(|u| registry.unit(u).code.clone()))),
        Column::new("full_name".into(), text(&|o| Some(o.full_name.clone()))),
        Column::new("birth_year".into(), int(&|o| o.birth_date.map(|b| b.year))),
        Column::new(
            "birth_month".into(),
            int(&|o| o.birth_date.and_then(|b| b.month).and_then(|m| i32::try_from(m).ok())),
        ),
        Column::new("birth_day".into(), int(&|o| o.birth_date.and_then(|b| b.day).and_then(|d| i32::try_from(d).ok()))),
        Column::new("gender".into(), text(&|o| o.gender.map(|g| g.key().to_owned()))),
        Column::new("ethnicity".into(), text(&|o| o.ethnicity.map(|e| e.label().to_owned()))),
        Column::new("national_id".into(), text(&|o| o.national_id.as_ref().map(|i| i.0.clone()))),
        Column::new("party_member".into(), people.iter().map(|o| o.party_member).collect::<Vec<_>>()),
        Column::new(
            "positions".into(),
            text(&|o| Some(o.positions.iter().map(|p| p.key()).collect::<Vec<_>>().join(";"))),
        ),
        Column::new("committee".into(), text(&|o| o.committee.map(|x| x.key().to_owned()))),
        Column::new("category".into(), text(&|o| o.category.map(|x| x.key().to_owned()))),
        Column::new("professional".into(), text(&|o| o.professional.map(|x| x.key().to_owned()))),
        Column::new("political_theory".into(), text(&|o| o.political_theory.map(|x| x.key().to_owned()))),
        Column::new(
            "political_theory_studying".into(),
            text(&|o| o.political_theory_studying.map(|x| x.key().to_owned())),
        ),
        Column::new("state_management".into(), text(&|o| o.state_management.map(|x| x.key().to_owned()))),
        Column::new(
            "planning".into(),
            text(&|o| Some(o.planning.iter().map(|e| e.raw.as_str()).collect::<Vec<_>>().join("\n"))),
        ),
    ];
    DataFrame::new_infer_height(columns)
}

fn indicator_frame(c: &Consolidation) -> PolarsResult<DataFrame> {
    let mut keys: Vec<String> = Vec::new();
    let mut values: Vec<Option<f64>> = Vec::new();
    let (mut numerators, mut denominators): (Vec<Option<u64>>, Vec<Option<u64>>) = (Vec::new(), Vec::new());
    for ind in &c.headline {
        keys.push(ind.key.to_owned());
        values.push(comparable(&ind.value));
        let (n, d) = match ind.value {
            IndicatorValue::Ratio(r) => (Some(r.numerator), Some(r.denominator)),
            IndicatorValue::Count(v) => (Some(v), None),
            IndicatorValue::NotAvailable(_) => (None, None),
        };
        numerators.push(n);
        denominators.push(d);
    }
    DataFrame::new_infer_height(vec![
        Column::new("key".into(), keys),
        Column::new("value".into(), values),
        Column::new("numerator".into(), numerators),
        Column::new("denominator".into(), denominators),
    ])
}

fn write_parquet(path: &Path, df: &mut DataFrame) -> Result<(), HistoryError> {
    let mut file = std::fs::File::create(path).map_err(io(path))?;
    ParquetWriter::new(&mut file).finish(df).map_err(pq(path))?;
    file.sync_all().map_err(io(path))
}

/// Stores the period's snapshot under `dir`, replacing that period's previous snapshot
/// atomically; other periods are not touched.
pub fn write_snapshot(dir: &Path, c: &Consolidation, registry: &Registry) -> Result<PathBuf, HistoryError> {
    check_owned(dir, c.period)?;
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    if !dir.join(MARKER).is_file() {
        std::fs::write(
            dir.join(MARKER),
            "tonghop: period snapshots (kỳ báo cáo đã lưu); do not put other files here\n",
        )
        .map_err(io(dir))?;
    }
    recover(dir, c.period)?;
    let target = period_dir(dir, c.period);
    // A period folder is replaced only when it holds nothing but a snapshot.
    if let Some(found) = foreign_in_period(&target) {
        return Err(HistoryError::NotOurs { path: target.display().to_string(), found });
    }
    let staging = dir.join(format!(".{}.tmp-{}", c.period, std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir(&staging).map_err(io(&staging))?;
    let written = (|| {
        let mut roster = roster_frame(c, registry).map_err(pq(&staging))?;
        write_parquet(&staging.join("roster.parquet"), &mut roster)?;
        let mut indicators = indicator_frame(c).map_err(pq(&staging))?;
        write_parquet(&staging.join("indicators.parquet"), &mut indicators)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Replace: the old folder steps aside, the new one takes its name, the old one goes.
    // A crash between the two renames leaves the old folder aside, and `recover` puts it
    // back on the next run.
    let aside = dir.join(format!(".{}.old", c.period));
    if target.exists() {
        std::fs::rename(&target, &aside).map_err(io(&target))?;
    }
    std::fs::rename(&staging, &target).map_err(io(&target))?;
    if aside.exists() {
        std::fs::remove_dir_all(&aside).map_err(io(&aside))?;
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(target)
}

/// Puts back a snapshot left aside by a run that stopped between its two renames, and
/// removes the staging folders of runs of the period that were killed (their process is
/// gone).
fn recover(dir: &Path, period: Period) -> Result<(), HistoryError> {
    let staging = format!(".{period}.tmp-");
    for entry in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(&staging) else { continue };
        let alive = Path::new("/proc").join(pid).exists() && pid != std::process::id().to_string();
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let target = period_dir(dir, period);
    let aside = dir.join(format!(".{period}.old"));
    if aside.exists() {
        if target.exists() {
            std::fs::remove_dir_all(&aside).map_err(io(&aside))?;
        } else {
            std::fs::rename(&aside, &target).map_err(io(&aside))?;
        }
    }
    Ok(())
}

fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|s| s.map(str::to_owned)).collect())
}

fn ints(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i32>>> {
    Ok(df.column(name)?.i32()?.iter().collect())
}

/// Reads the snapshot of the period before `period`, if the history holds it.
pub fn read_previous(dir: &Path, period: Period, registry: &Registry) -> Result<Option<Previous>, HistoryError> {
    let previous = period.previous();
    let _ = recover(dir, previous);
    let folder = period_dir(dir, previous);
    let roster_path = folder.join("roster.parquet");
    let indicators_path = folder.join("indicators.parquet");
    if !roster_path.exists() || !indicators_path.exists() {
        return Ok(None);
    }
    let read = |path: &Path| -> Result<DataFrame, HistoryError> {
        let file = std::fs::File::open(path).map_err(io(path))?;
        let mut reader = ParquetReader::new(file);
        // What the file says it holds, before it is read: a snapshot is a month's roster
        // (a country's is 250,000 people and some hundred megabytes unpacked); a file
        // claiming more, compressed to kilobytes, is damaged or hostile, not read.
        let rows = reader.num_rows().map_err(pq(path))?;
        let unpacked: usize =
            reader.get_metadata().map_err(pq(path))?.row_groups.iter().fold(0, |sum, g| sum + g.total_byte_size());
        if rows > MAX_SNAPSHOT_ROWS || unpacked > MAX_SNAPSHOT_BYTES {
            return Err(HistoryError::TooLarge { path: path.display().to_string(), rows, bytes: unpacked });
        }
        reader.finish().map_err(pq(path))
    };
    let roster = read(&roster_path)?;
    let indicators = read(&indicators_path)?;
    let people = people_of(&roster, registry, previous).map_err(pq(&roster_path))?;
    let mut values = BTreeMap::new();
    let keys = strings(&indicators, "key").map_err(pq(&indicators_path))?;
    let numbers: Vec<Option<f64>> =
        indicators.column("value").and_then(|c| c.f64().map(|c| c.iter().collect())).map_err(pq(&indicators_path))?;
    for (key, value) in keys.into_iter().zip(numbers) {
        if let (Some(key), Some(v)) = (key, value) {
            values.insert(key, v);
        }
    }
    Ok(Some(Previous { period: previous, indicators: values, people }))
}

fn people_of(df: &DataFrame, registry: &Registry, period: Period) -> PolarsResult<Vec<Official>> {
    let unit = strings(df, "unit")?;
    let name = strings(df, "full_name")?;
    let (year, month, day) = (ints(df, "birth_year")?, ints(df, "birth_month")?, ints(df, "birth_day")?);
    let gender = strings(df, "gender")?;
    let ethnicity = strings(df, "ethnicity")?;
    let id = strings(df, "national_id")?;
    let party: Vec<Option<bool>> = df.column("party_member")?.bool()?.iter().collect();
    let positions = strings(df, "positions")?;
    let committee = strings(df, "committee")?;
    let category = strings(df, "category")?;
    let professional = strings(df, "professional")?;
    let political_theory = strings(df, "political_theory")?;
    let studying = strings(df, "political_theory_studying")?;
    let qlnn = strings(df, "state_management")?;
    let planning = strings(df, "planning")?;
    let key = |v: &Option<String>| v.clone().unwrap_or_default();
    // Each unit code is looked up once: a country's snapshot repeats 10,000 codes over
    // 250,000 rows, and a look-up walks the registry.
    let mut unit_of: HashMap<&str, Option<tonghop_model::units::UnitId>> = HashMap::new();
    let units: Vec<Option<tonghop_model::units::UnitId>> = unit
        .iter()
        .map(|c| c.as_deref().and_then(|c| *unit_of.entry(c).or_insert_with(|| registry.find_code(c, period))))
        .collect();
    Ok((0..df.height())
        .map(|i| Official {
            unit: units[i],
            full_name: key(&name[i]),
            birth_date: year[i].map(|y| BirthDate {
                year: y,
                month: month[i].map(|m| m as u32),
                day: day[i].map(|d| d as u32),
            }),
            gender: gender[i].as_deref().and_then(Gender::from_key),
            ethnicity: ethnicity[i].as_deref().and_then(parse_ethnicity),
            national_id: id[i].clone().map(NationalId),
            party_member: party[i],
            positions: key(&positions[i]).split(';').filter_map(Position::from_key).collect(),
            committee: committee[i].as_deref().and_then(CommitteeLevel::from_key),
            category: category[i].as_deref().and_then(Category::from_key),
            professional: professional[i].as_deref().and_then(Professional::from_key),
            political_theory: political_theory[i].as_deref().and_then(PoliticalTheory::from_key),
            political_theory_studying: studying[i].as_deref().and_then(PoliticalTheory::from_key),
            state_management: qlnn[i].as_deref().and_then(StateManagement::from_key),
            planning: key(&planning[i])
                .split('\n')
                .filter(|s| !s.is_empty())
                .map(tonghop_model::planning::parse_planning)
                .collect(),
            ..Official::default()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_declaring_more_than_a_month_holds_is_not_read() {
        // A million and one copies of one value: kilobytes on disk, gigabytes once read.
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("2024-01");
        std::fs::create_dir_all(&folder).unwrap();
        let mut df =
            DataFrame::new_infer_height(vec![Column::new("unit".into(), vec!["06454"; MAX_SNAPSHOT_ROWS + 1])])
                .unwrap();
        for name in SNAPSHOT_FILES {
            write_parquet(&folder.join(name), &mut df).unwrap();
        }
        assert!(std::fs::metadata(folder.join("roster.parquet")).unwrap().len() < 1024 * 1024);
        let registry = Registry::embedded();
        let e = read_previous(dir.path(), "2024-02".parse().unwrap(), &registry).unwrap_err();
        assert!(matches!(e, HistoryError::TooLarge { rows, .. } if rows == MAX_SNAPSHOT_ROWS + 1), "{e:?}");
    }
}
