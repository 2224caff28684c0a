//! Period snapshots on disk (`outputs.md` §5): each successful run stores its roster and
//! its indicators under `DIR/period=YYYY-MM/` as Parquet, and the next period reads the
//! previous one for the "Kỳ trước" columns of the summary and the "Biến động" sheet (which
//! `tonghop_transform::changes` works out). Storage at the edge: the only crate that writes
//! Parquet.
//!
//! The history is a dataset (schema in `docs/history.md`): hive-style partitions, a
//! `period` column in every file, typed columns (a birth date as a Date with its precision
//! beside it, codes as Enums in the spec's order, positions and pool entries as lists), so
//! that DuckDB, polars or Spark read every month with one glob. National IDs are kept only
//! as a keyed hash ([`tonghop_model::ids`]), the key made once in the folder, readable by
//! its owner alone.
//!
//! A snapshot is written into a temporary folder beside its place, synced, then renamed
//! into place, so that a run killed half-way leaves the previous snapshot of that period
//! (or none) and never half of one. Only the period's own folder is touched. Folders of the
//! first layout (`DIR/YYYY-MM/`, IDs in clear) are rewritten in this one, once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars_io::parquet::read::ParquetReader;
use polars_io::parquet::write::ParquetWriter;
use tonghop_model::codes::{
    Category, CommitteeLevel, Gender, PoliticalTheory, Position, Professional, StateManagement, parse_ethnicity,
};
use tonghop_model::ids::{IdHasher, KEY_BYTES};
use tonghop_model::month::{Consolidation, Indicator, IndicatorValue};
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
    /// The folder's key file is not a key: IDs could not be hashed as the history hashes them.
    #[error(
        "tệp khóa {path} hỏng (cần đúng {} byte): không ghi được số định danh đã mã hóa",
        tonghop_model::ids::KEY_BYTES
    )]
    BadKey {
        /// The key file.
        path: String,
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

/// The file holding the folder's key for IDs ([`IdHasher`]): made once, owner-only.
pub const KEY_FILE: &str = ".tonghop-key";

/// The files of one period's snapshot.
const SNAPSHOT_FILES: [&str; 2] = ["roster.parquet", "indicators.parquet"];

/// The name of a period's folder: a hive-style partition.
fn period_folder(period: Period) -> String {
    format!("period={period}")
}

/// The period a folder name is the partition of, in this layout or the first one
/// (`YYYY-MM`).
fn period_of_folder(name: &str) -> Option<Period> {
    name.strip_prefix("period=").unwrap_or(name).parse().ok()
}

/// Whether `name` is one of tonghop's entries in a history folder: a period's folder, its
/// staging or set-aside copy, the marker, the key, the lock.
fn is_history_entry(name: &str) -> bool {
    let period = |s: &str| period_of_folder(s).is_some();
    name == MARKER
        || name == KEY_FILE
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
    for folder in [period_dir(dir, period), dir.join(period.to_string())] {
        if let Some(found) = foreign_in_period(&folder) {
            return Err(HistoryError::NotOurs { path: dir.display().to_string(), found });
        }
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
        if period_of_folder(&name).is_some()
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
    dir.join(period_folder(period))
}

/// The folder's hasher of IDs, its key made now if it has none and `make` says so (with
/// permissions for its owner alone: whoever holds the key can test a number against the
/// hashes).
fn id_hasher(dir: &Path, make: bool) -> Result<Option<IdHasher>, HistoryError> {
    let path = dir.join(KEY_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let key: [u8; KEY_BYTES] =
                bytes.try_into().map_err(|_| HistoryError::BadKey { path: path.display().to_string() })?;
            Ok(Some(IdHasher::new(key)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && make => {
            let mut key = [0; KEY_BYTES];
            getrandom::fill(&mut key).map_err(|e| io(&path)(std::io::Error::other(e.to_string())))?;
            // Written whole beside its place, then linked into it: a run killed on the way
            // leaves no half key, and of two runs the first key stays.
            let staging = dir.join(format!("{KEY_FILE}.tmp-{}", std::process::id()));
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let written = options.open(&staging).and_then(|mut file| {
                std::io::Write::write_all(&mut file, &key)?;
                file.sync_all()
            });
            let linked = written.and_then(|()| std::fs::hard_link(&staging, &path));
            let _ = std::fs::remove_file(&staging);
            match linked {
                Ok(()) => Ok(Some(IdHasher::new(key))),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => id_hasher(dir, false),
                Err(e) => Err(io(&path)(e)),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path)(e)),
    }
}

/// What names a key without telling it: the hash of a fixed text under it.
fn key_fingerprint(hasher: &IdHasher) -> String {
    hasher.hash(&NationalId("tonghop: khóa của thư mục lưu trữ".to_owned())).0[..16].to_owned()
}

/// An Enum of `keys`, in their order (the spec's).
fn enum_of(keys: impl IntoIterator<Item = &'static str>) -> PolarsResult<DataType> {
    Ok(DataType::from_frozen_categories(FrozenCategories::new(keys)?))
}

/// A column of codes as an Enum of every key of the code list.
fn coded<T: Copy>(
    name: &str,
    all: &'static [T],
    key: fn(T) -> &'static str,
    values: impl Iterator<Item = Option<T>>,
) -> PolarsResult<Column> {
    let keys: Vec<Option<&str>> = values.map(|v| v.map(key)).collect();
    Column::new(name.into(), keys).cast(&enum_of(all.iter().map(|v| key(*v)))?)
}

/// A column of lists of texts.
fn lists<'a>(name: &str, rows: impl ExactSizeIterator<Item = Vec<&'a str>>) -> Column {
    let mut builder = ListStringChunkedBuilder::new(name.into(), rows.len(), rows.len());
    for row in rows {
        builder.append_values_iter(row.into_iter());
    }
    builder.finish().into_column()
}

/// 1 January 1970, day 0 of a Parquet Date.
fn epoch() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

/// Days from 1 January 1970 to the first day of what is known of `b`.
fn epoch_days(b: BirthDate) -> Option<i32> {
    let date = chrono::NaiveDate::from_ymd_opt(b.year, b.month.unwrap_or(1), b.day.unwrap_or(1))?;
    i32::try_from((date - epoch()).num_days()).ok()
}

/// The year, month and day `days` after 1 January 1970.
fn civil_from_days(days: i32) -> Option<(i32, u32, u32)> {
    use chrono::Datelike as _;
    let date = epoch().checked_add_signed(chrono::TimeDelta::try_days(i64::from(days))?)?;
    Some((date.year(), date.month(), date.day()))
}

/// The precisions a birth date is known to, in order.
const PRECISIONS: [&str; 3] = ["day", "month", "year"];

fn precision_of(b: BirthDate) -> &'static str {
    match (b.month, b.day) {
        (Some(_), Some(_)) => PRECISIONS[0],
        (Some(_), None) => PRECISIONS[1],
        _ => PRECISIONS[2],
    }
}

/// The roster as the history stores it: typed columns, IDs hashed with `hasher`.
fn roster_frame(
    period: Period,
    people: &[Official],
    registry: &Registry,
    hasher: &IdHasher,
) -> PolarsResult<DataFrame> {
    let text = |f: &dyn Fn(&Official) -> Option<String>| -> Vec<Option<String>> { people.iter().map(f).collect() };
    let births = || people.iter().map(|o| o.birth_date);
    let columns = vec![
        Column::new("period".into(), vec![period.to_string(); people.len()]),
        Column::new("unit".into(), text(&|o| o.unit.map(|u| registry.unit(u).code.clone()))),
        Column::new("unit_name".into(), text(&|o| o.unit.map(|u| registry.unit(u).name.clone()))),
        Column::new("full_name".into(), text(&|o| Some(o.full_name.clone()))),
        Column::new("birth_date".into(), births().map(|b| b.and_then(epoch_days)).collect::<Vec<_>>())
            .cast(&DataType::Date)?,
        Column::new("birth_precision".into(), births().map(|b| b.map(precision_of)).collect::<Vec<_>>())
            .cast(&enum_of(PRECISIONS)?)?,
        coded("gender", Gender::ALL, Gender::key, people.iter().map(|o| o.gender))?,
        Column::new("ethnicity".into(), text(&|o| o.ethnicity.map(|e| e.label().to_owned()))),
        Column::new("national_id_hash".into(), text(&|o| o.national_id.as_ref().map(|i| hasher.hash(i).0))),
        // Which key made the hashes: a snapshot hashed under another key (the key file
        // replaced) is not compared by its hashes.
        Column::new("id_key".into(), vec![key_fingerprint(hasher); people.len()]),
        Column::new("party_member".into(), people.iter().map(|o| o.party_member).collect::<Vec<_>>()),
        lists("positions", people.iter().map(|o| o.positions.iter().map(|p| p.key()).collect())),
        coded("committee", CommitteeLevel::ALL, CommitteeLevel::key, people.iter().map(|o| o.committee))?,
        coded("category", Category::ALL, Category::key, people.iter().map(|o| o.category))?,
        coded("professional", Professional::ALL, Professional::key, people.iter().map(|o| o.professional))?,
        coded(
            "political_theory",
            PoliticalTheory::ALL,
            PoliticalTheory::key,
            people.iter().map(|o| o.political_theory),
        )?,
        coded(
            "political_theory_studying",
            PoliticalTheory::ALL,
            PoliticalTheory::key,
            people.iter().map(|o| o.political_theory_studying),
        )?,
        coded(
            "state_management",
            StateManagement::ALL,
            StateManagement::key,
            people.iter().map(|o| o.state_management),
        )?,
        lists("planning", people.iter().map(|o| o.planning.iter().map(|e| e.raw.as_str()).collect())),
    ];
    DataFrame::new_infer_height(columns)
}

/// The indicators as the history stores them: the value compared between periods, and
/// the numerator and denominator of a ratio.
fn indicator_frame(period: Period, headline: &[Indicator]) -> PolarsResult<DataFrame> {
    let mut keys: Vec<String> = Vec::new();
    let mut values: Vec<Option<f64>> = Vec::new();
    let (mut numerators, mut denominators): (Vec<Option<i64>>, Vec<Option<i64>>) = (Vec::new(), Vec::new());
    let signed = |v: u64| i64::try_from(v).ok();
    for ind in headline {
        keys.push(ind.key.to_owned());
        values.push(comparable(&ind.value));
        let (n, d) = match ind.value {
            IndicatorValue::Ratio(r) => (signed(r.numerator), signed(r.denominator)),
            IndicatorValue::Count(v) => (signed(v), None),
            IndicatorValue::NotAvailable(_) => (None, None),
        };
        numerators.push(n);
        denominators.push(d);
    }
    DataFrame::new_infer_height(vec![
        Column::new("period".into(), vec![period.to_string(); keys.len()]),
        Column::new("key".into(), keys),
        Column::new("value".into(), values),
        Column::new("numerator".into(), numerators),
        Column::new("denominator".into(), denominators),
    ])
}

/// Permissions of a snapshot file: its owner reads and writes, its group reads (the
/// engineer's queries), nobody else: it holds names and birth dates (`docs/privacy.md`).
#[cfg(unix)]
const SNAPSHOT_MODE: u32 = 0o640;

fn write_parquet(path: &Path, df: &mut DataFrame) -> Result<(), HistoryError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, SNAPSHOT_MODE);
    let mut file = options.open(path).map_err(io(path))?;
    ParquetWriter::new(&mut file).finish(df).map_err(pq(path))?;
    file.sync_all().map_err(io(path))
}

/// Makes `dir` the history's: the folder, its marker and its key.
fn prepare(dir: &Path) -> Result<IdHasher, HistoryError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    if !dir.join(MARKER).is_file() {
        std::fs::write(
            dir.join(MARKER),
            "tonghop: period snapshots (kỳ báo cáo đã lưu); do not put other files here\n",
        )
        .map_err(io(dir))?;
    }
    let hasher = id_hasher(dir, true)?.expect("a key is made when missing");
    Ok(hasher)
}

/// Stores the period's snapshot under `dir`, replacing that period's previous snapshot
/// atomically; other periods are not touched.
pub fn write_snapshot(dir: &Path, c: &Consolidation, registry: &Registry) -> Result<PathBuf, HistoryError> {
    check_owned(dir, c.period)?;
    let hasher = prepare(dir)?;
    // A period of the first layout that cannot be read stays as it is (its reading says
    // why, when it is the previous period); the others are rewritten.
    for (period, e) in migrate(dir, registry, &hasher) {
        tracing::warn!("lưu trữ: chưa chuyển được kỳ {period} sang cấu trúc mới ({e})");
    }
    let (mut roster, mut indicators) =
        frames(c.period, &c.people, &c.headline, registry, &hasher).map_err(pq(&period_dir(dir, c.period)))?;
    write_period(dir, c.period, &mut roster, &mut indicators)
}

/// The roster and indicator frames of a period.
fn frames(
    period: Period,
    people: &[Official],
    headline: &[Indicator],
    registry: &Registry,
    hasher: &IdHasher,
) -> PolarsResult<(DataFrame, DataFrame)> {
    Ok((roster_frame(period, people, registry, hasher)?, indicator_frame(period, headline)?))
}

/// Writes one period's two files in place of its folder (see [`write_snapshot`]).
fn write_period(
    dir: &Path,
    period: Period,
    roster: &mut DataFrame,
    indicators: &mut DataFrame,
) -> Result<PathBuf, HistoryError> {
    recover(dir, period)?;
    let folder = period_folder(period);
    let target = dir.join(&folder);
    // A period folder is replaced only when it holds nothing but a snapshot.
    if let Some(found) = foreign_in_period(&target) {
        return Err(HistoryError::NotOurs { path: target.display().to_string(), found });
    }
    let staging = dir.join(format!(".{folder}.tmp-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir(&staging).map_err(io(&staging))?;
    let written = write_parquet(&staging.join("roster.parquet"), roster)
        .and_then(|()| write_parquet(&staging.join("indicators.parquet"), indicators));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Replace: the old folder steps aside, the new one takes its name, the old one goes.
    // A crash between the two renames leaves the old folder aside, and `recover` puts it
    // back on the next run.
    let aside = dir.join(format!(".{folder}.old"));
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
    let folder = period_folder(period);
    let staging = format!(".{folder}.tmp-");
    for entry in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(&staging) else { continue };
        let alive = Path::new("/proc").join(pid).exists() && pid != std::process::id().to_string();
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let target = dir.join(&folder);
    let aside = dir.join(format!(".{folder}.old"));
    if aside.exists() {
        if target.exists() {
            std::fs::remove_dir_all(&aside).map_err(io(&aside))?;
        } else {
            std::fs::rename(&aside, &target).map_err(io(&aside))?;
        }
    }
    Ok(())
}

/// Rewrites each period of the first layout (`DIR/YYYY-MM/`, codes as text, IDs in
/// clear) in this one, IDs hashed, and removes it: once, said in the log. A period that
/// cannot be read is left as it is, and returned with why.
fn migrate(dir: &Path, registry: &Registry, hasher: &IdHasher) -> Vec<(Period, HistoryError)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut legacy: Vec<Period> =
        entries.flatten().filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<Period>().ok())).collect();
    legacy.sort();
    let mut failed = Vec::new();
    for period in legacy {
        let old = dir.join(period.to_string());
        let (roster_path, indicators_path) = (old.join("roster.parquet"), old.join("indicators.parquet"));
        if !roster_path.is_file() || !indicators_path.is_file() {
            continue;
        }
        let rewritten = (|| -> Result<(), HistoryError> {
            // A period written again in this layout already replaces the old one.
            if !period_dir(dir, period).exists() {
                let roster = read_bounded(&roster_path)?;
                let people = legacy_people_of(&roster, registry, period).map_err(pq(&roster_path))?;
                let mut roster = roster_frame(period, &people, registry, hasher).map_err(pq(&roster_path))?;
                let indicators = read_bounded(&indicators_path)?;
                let mut indicators = legacy_indicators_of(&indicators, period).map_err(pq(&indicators_path))?;
                write_period(dir, period, &mut roster, &mut indicators)?;
            }
            std::fs::remove_dir_all(&old).map_err(io(&old))
        })();
        match rewritten {
            Ok(()) => tracing::info!(
                "lưu trữ: kỳ {period} đã chuyển sang cấu trúc mới ({}/, số định danh đã mã hóa)",
                period_folder(period)
            ),
            Err(e) => failed.push((period, e)),
        }
    }
    failed
}

/// Reads a Parquet file of the history, refusing one that says it holds more than a
/// month: a snapshot is a month's roster (a country's is 250,000 people and some hundred
/// megabytes unpacked); a file claiming more, compressed to kilobytes, is damaged or
/// hostile.
fn read_bounded(path: &Path) -> Result<DataFrame, HistoryError> {
    let file = std::fs::File::open(path).map_err(io(path))?;
    let mut reader = ParquetReader::new(file);
    let rows = reader.num_rows().map_err(pq(path))?;
    let unpacked: usize =
        reader.get_metadata().map_err(pq(path))?.row_groups.iter().fold(0, |sum, g| sum + g.total_byte_size());
    if rows > MAX_SNAPSHOT_ROWS || unpacked > MAX_SNAPSHOT_BYTES {
        return Err(HistoryError::TooLarge { path: path.display().to_string(), rows, bytes: unpacked });
    }
    reader.finish().map_err(pq(path))
}

/// A column's values as texts (an Enum's as its keys).
fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.cast(&DataType::String)?.str()?.iter().map(|s| s.map(str::to_owned)).collect())
}

fn ints(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i32>>> {
    Ok(df.column(name)?.cast(&DataType::Int32)?.i32()?.iter().collect())
}

/// A column of lists of texts, each row's list (empty for a null).
fn string_lists(df: &DataFrame, name: &str) -> PolarsResult<Vec<Vec<String>>> {
    let lists = df.column(name)?.list()?;
    lists
        .amortized_iter()
        .map(|row| match row {
            Some(series) => Ok(series.as_ref().str()?.iter().flatten().map(str::to_owned).collect()),
            None => Ok(Vec::new()),
        })
        .collect()
}

/// The previous period's headline values by key.
fn indicator_values(df: &DataFrame) -> PolarsResult<BTreeMap<String, f64>> {
    let keys = strings(df, "key")?;
    let numbers: Vec<Option<f64>> = df.column("value")?.cast(&DataType::Float64)?.f64()?.iter().collect();
    Ok(keys.into_iter().zip(numbers).filter_map(|(k, v)| Some((k?, v?))).collect())
}

/// Reads the snapshot of the period before `period`, if the history holds it.
pub fn read_previous(dir: &Path, period: Period, registry: &Registry) -> Result<Option<Previous>, HistoryError> {
    let previous = period.previous();
    if !dir.is_dir() {
        return Ok(None);
    }
    // A history of the first layout is rewritten before it is read (in a folder that is
    // tonghop's: the marker, or snapshots only); its previous period, if it cannot be,
    // says why.
    let owned = check_owned(dir, period).is_ok();
    if owned && dir.join(previous.to_string()).is_dir() {
        let hasher = prepare(dir)?;
        if let Some((_, e)) = migrate(dir, registry, &hasher).into_iter().find(|(p, _)| *p == previous) {
            return Err(e);
        }
    }
    // A folder tonghop does not own is read, never put right.
    if owned {
        let _ = recover(dir, previous);
    }
    let folder = period_dir(dir, previous);
    let roster_path = folder.join("roster.parquet");
    let indicators_path = folder.join("indicators.parquet");
    if !roster_path.exists() || !indicators_path.exists() {
        return Ok(None);
    }
    let roster = read_bounded(&roster_path)?;
    let indicators = read_bounded(&indicators_path)?;
    // The hashes are compared only under the key that made them.
    let made_with = strings(&roster, "id_key").ok().and_then(|v| v.into_iter().flatten().next());
    let hasher = id_hasher(dir, false)?.filter(|h| made_with.is_none_or(|k| k == key_fingerprint(h)));
    let mut people = people_of(&roster, registry, previous).map_err(pq(&roster_path))?;
    if hasher.is_none() {
        // Without the key that made them no ID of this period can be hashed to compare:
        // the hashes are dropped, and people are matched by their other evidence.
        for p in &mut people {
            p.national_id = None;
        }
    }
    let values = indicator_values(&indicators).map_err(pq(&indicators_path))?;
    Ok(Some(Previous { period: previous, indicators: values, people, ids_hashed_with: hasher }))
}

/// Each code of `values` read back by its key.
fn codes<T>(values: &[Option<String>], from_key: fn(&str) -> Option<T>) -> Vec<Option<T>> {
    values.iter().map(|v| v.as_deref().and_then(from_key)).collect()
}

/// The units of `codes`, each code looked up once: a country's snapshot repeats 10,000
/// codes over 250,000 rows, and a look-up walks the registry.
fn units_of(
    codes: &[Option<String>],
    registry: &Registry,
    period: Period,
) -> Vec<Option<tonghop_model::units::UnitId>> {
    let mut unit_of: HashMap<&str, Option<tonghop_model::units::UnitId>> = HashMap::new();
    codes
        .iter()
        .map(|c| c.as_deref().and_then(|c| *unit_of.entry(c).or_insert_with(|| registry.find_code(c, period))))
        .collect()
}

/// The coded columns both layouts keep by their keys, read back.
struct Coded {
    gender: Vec<Option<Gender>>,
    committee: Vec<Option<CommitteeLevel>>,
    category: Vec<Option<Category>>,
    professional: Vec<Option<Professional>>,
    political_theory: Vec<Option<PoliticalTheory>>,
    studying: Vec<Option<PoliticalTheory>>,
    state_management: Vec<Option<StateManagement>>,
    ethnicity: Vec<Option<String>>,
    party: Vec<Option<bool>>,
}

impl Coded {
    fn of(df: &DataFrame) -> PolarsResult<Self> {
        Ok(Self {
            gender: codes(&strings(df, "gender")?, Gender::from_key),
            committee: codes(&strings(df, "committee")?, CommitteeLevel::from_key),
            category: codes(&strings(df, "category")?, Category::from_key),
            professional: codes(&strings(df, "professional")?, Professional::from_key),
            political_theory: codes(&strings(df, "political_theory")?, PoliticalTheory::from_key),
            studying: codes(&strings(df, "political_theory_studying")?, PoliticalTheory::from_key),
            state_management: codes(&strings(df, "state_management")?, StateManagement::from_key),
            ethnicity: strings(df, "ethnicity")?,
            party: df.column("party_member")?.bool()?.iter().collect(),
        })
    }

    /// `person` (its unit, name, birth date, ID, positions and pool read from the layout's
    /// own columns) with the coded values of row `i`.
    fn complete(&self, i: usize, person: Official) -> Official {
        Official {
            gender: self.gender[i],
            ethnicity: self.ethnicity[i].as_deref().and_then(parse_ethnicity),
            party_member: self.party[i],
            committee: self.committee[i],
            category: self.category[i],
            professional: self.professional[i],
            political_theory: self.political_theory[i],
            political_theory_studying: self.studying[i],
            state_management: self.state_management[i],
            ..person
        }
    }
}

/// The people of a roster file of this layout.
fn people_of(df: &DataFrame, registry: &Registry, period: Period) -> PolarsResult<Vec<Official>> {
    let units = units_of(&strings(df, "unit")?, registry, period);
    let name = strings(df, "full_name")?;
    let days = ints(df, "birth_date")?;
    let precision = strings(df, "birth_precision")?;
    let id = strings(df, "national_id_hash")?;
    let positions = string_lists(df, "positions")?;
    let planning = string_lists(df, "planning")?;
    let coded = Coded::of(df)?;
    Ok((0..df.height())
        .map(|i| {
            let birth = days[i].and_then(civil_from_days).map(|(year, month, day)| match precision[i].as_deref() {
                Some("year") => BirthDate { year, month: None, day: None },
                Some("month") => BirthDate { year, month: Some(month), day: None },
                _ => BirthDate { year, month: Some(month), day: Some(day) },
            });
            coded.complete(
                i,
                Official {
                    unit: units[i],
                    full_name: name[i].clone().unwrap_or_default(),
                    birth_date: birth,
                    national_id: id[i].clone().map(NationalId),
                    positions: positions[i].iter().filter_map(|k| Position::from_key(k)).collect(),
                    planning: planning[i].iter().map(|raw| tonghop_model::planning::parse_planning(raw)).collect(),
                    ..Official::default()
                },
            )
        })
        .collect())
}

/// The people of a roster file of the first layout (codes as text, IDs in clear).
fn legacy_people_of(df: &DataFrame, registry: &Registry, period: Period) -> PolarsResult<Vec<Official>> {
    let units = units_of(&strings(df, "unit")?, registry, period);
    let name = strings(df, "full_name")?;
    let (year, month, day) = (ints(df, "birth_year")?, ints(df, "birth_month")?, ints(df, "birth_day")?);
    let id = strings(df, "national_id")?;
    let positions = strings(df, "positions")?;
    let planning = strings(df, "planning")?;
    let coded = Coded::of(df)?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok((0..df.height())
        .map(|i| {
            let birth = year[i].map(|y| BirthDate {
                year: y,
                month: month[i].and_then(|m| u32::try_from(m).ok()),
                day: day[i].and_then(|d| u32::try_from(d).ok()),
            });
            coded.complete(
                i,
                Official {
                    unit: units[i],
                    full_name: text(&name[i]),
                    birth_date: birth,
                    national_id: id[i].clone().map(NationalId),
                    positions: text(&positions[i]).split(';').filter_map(Position::from_key).collect(),
                    planning: text(&planning[i])
                        .split('\n')
                        .filter(|s| !s.is_empty())
                        .map(tonghop_model::planning::parse_planning)
                        .collect(),
                    ..Official::default()
                },
            )
        })
        .collect())
}

/// The indicators of a file of the first layout in this layout: the period beside them,
/// counts as signed integers.
fn legacy_indicators_of(df: &DataFrame, period: Period) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new("period".into(), vec![period.to_string(); df.height()]),
        df.column("key")?.cast(&DataType::String)?,
        df.column("value")?.cast(&DataType::Float64)?,
        df.column("numerator")?.cast(&DataType::Int64)?,
        df.column("denominator")?.cast(&DataType::Int64)?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonghop_model::units::UnitId;

    #[test]
    fn a_snapshot_declaring_more_than_a_month_holds_is_not_read() {
        // A million and one copies of one value: kilobytes on disk, gigabytes once read.
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("period=2024-01");
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

    /// People of every kind of value a snapshot keeps.
    fn people() -> Vec<Official> {
        let person = |name: &str, birth: BirthDate, id: Option<&str>| Official {
            unit: Some(UnitId(0)),
            full_name: name.into(),
            birth_date: Some(birth),
            gender: Some(Gender::Nu),
            ethnicity: parse_ethnicity("Tày"),
            national_id: id.map(|i| NationalId(i.into())),
            party_member: Some(true),
            positions: vec![Position::BiThu, Position::CtHdnd],
            committee: Some(CommitteeLevel::BanThuongVu),
            category: Some(Category::CanBo),
            professional: Some(Professional::DaiHoc),
            political_theory: Some(PoliticalTheory::CaoCap),
            political_theory_studying: None,
            state_management: Some(StateManagement::ChuyenVien),
            planning: vec![tonghop_model::planning::parse_planning("QH Chủ tịch UBND 2025-2030")],
            ..Official::default()
        };
        vec![
            person("Lò Thị Hoa", BirthDate { year: 1975, month: Some(3), day: Some(14) }, Some("020175000123")),
            person("Vi Văn Nam", BirthDate { year: 1982, month: Some(11), day: None }, Some("012345678")),
            Official {
                positions: Vec::new(),
                planning: Vec::new(),
                ..person("Hà Văn Ba", BirthDate { year: 1990, month: None, day: None }, None)
            },
        ]
    }

    /// Every value of every column of a Parquet file, as text.
    fn every_value(path: &Path) -> Vec<String> {
        let df = read_bounded(path).unwrap();
        let mut values = Vec::new();
        for column in df.columns() {
            let text = match column.dtype() {
                DataType::List(_) => column
                    .list()
                    .unwrap()
                    .amortized_iter()
                    .map(|s| format!("{:?}", s.map(|s| s.as_ref().clone())))
                    .collect(),
                _ => column
                    .cast(&DataType::String)
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.unwrap_or("").to_owned())
                    .collect::<Vec<_>>(),
            };
            values.extend(text);
        }
        values
    }

    #[test]
    fn a_period_is_a_typed_partition_with_ids_only_as_hashes_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::embedded();
        let period: Period = "2024-01".parse().unwrap();
        let hasher = prepare(dir.path()).unwrap();
        let people = people();
        let (mut roster, mut indicators) = frames(period, &people, &[], &registry, &hasher).unwrap();
        let folder = write_period(dir.path(), period, &mut roster, &mut indicators).unwrap();
        assert_eq!(folder, dir.path().join("period=2024-01"));

        // The schema a query engine sees.
        let stored = read_bounded(&folder.join("roster.parquet")).unwrap();
        let dtype = |name: &str| stored.column(name).unwrap().dtype().clone();
        assert_eq!(dtype("period"), DataType::String);
        assert_eq!(dtype("birth_date"), DataType::Date);
        assert!(matches!(dtype("birth_precision"), DataType::Enum(..)), "{:?}", dtype("birth_precision"));
        assert!(matches!(dtype("political_theory"), DataType::Enum(..)));
        assert_eq!(dtype("positions"), DataType::List(Box::new(DataType::String)));
        assert_eq!(dtype("party_member"), DataType::Boolean);
        // An Enum keeps the spec's order: sơ cấp before trung cấp before cao cấp.
        let DataType::Enum(categories, _) = dtype("political_theory") else { unreachable!() };
        let order: Vec<&str> = categories.categories().values_iter().collect();
        assert_eq!(order, PoliticalTheory::ALL.iter().map(|p| p.key()).collect::<Vec<_>>());
        let indicators = read_bounded(&folder.join("indicators.parquet")).unwrap();
        assert_eq!(indicators.column("numerator").unwrap().dtype(), &DataType::Int64);

        // No ID in clear in any value nor any byte of the files; the hashes are there.
        let ids = ["020175000123", "012345678"];
        for name in SNAPSHOT_FILES {
            let path = folder.join(name);
            let bytes = std::fs::read(&path).unwrap();
            let values = every_value(&path);
            for id in ids {
                assert!(!values.iter().any(|v| v.contains(id)), "{id} in {name}");
                assert!(!bytes.windows(id.len()).any(|w| w == id.as_bytes()), "{id} in the bytes of {name}");
            }
        }
        let hashes = every_value(&folder.join("roster.parquet"));
        assert!(hashes.contains(&hasher.hash(&NationalId(ids[0].into())).0));

        // Read back as the next period's previous one: every value, the IDs as hashes.
        let previous = read_previous(dir.path(), "2024-02".parse().unwrap(), &registry).unwrap().unwrap();
        assert_eq!(previous.period, period);
        assert!(previous.ids_hashed_with.is_some());
        for (read, written) in previous.people.iter().zip(&people) {
            let expected =
                Official { national_id: written.national_id.as_ref().map(|id| hasher.hash(id)), ..written.clone() };
            assert_eq!(read, &expected);
        }
        assert_eq!(previous.people.len(), people.len());

        // The key replaced: the old hashes are not compared with the new key's.
        std::fs::remove_file(dir.path().join(KEY_FILE)).unwrap();
        let replaced = prepare(dir.path()).unwrap();
        assert_ne!(key_fingerprint(&replaced), key_fingerprint(&hasher));
        let previous = read_previous(dir.path(), "2024-02".parse().unwrap(), &registry).unwrap().unwrap();
        assert!(previous.ids_hashed_with.is_none());
        assert!(previous.people.iter().all(|p| p.national_id.is_none()));
        // A half-written key is not made again over.
        std::fs::write(dir.path().join(KEY_FILE), b"short").unwrap();
        assert!(matches!(prepare(dir.path()), Err(HistoryError::BadKey { .. })));
    }

    #[test]
    fn every_month_of_the_history_reads_with_one_glob_and_one_query() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::embedded();
        let hasher = prepare(dir.path()).unwrap();
        let people = people();
        for (period, count) in [("2024-01", 3), ("2024-02", 2)] {
            let period: Period = period.parse().unwrap();
            let (mut roster, mut indicators) = frames(period, &people[..count], &[], &registry, &hasher).unwrap();
            write_period(dir.path(), period, &mut roster, &mut indicators).unwrap();
        }
        // `DIR/period=*/roster.parquet`, as DuckDB's read_parquet or polars' scan_parquet
        // take it: every file has the same schema and its period.
        let pattern = format!("{}/period=*/roster.parquet", dir.path().display());
        let mut all: Option<DataFrame> = None;
        for path in glob::glob(&pattern).unwrap() {
            let df = read_bounded(&path.unwrap()).unwrap();
            all = Some(match all {
                None => df,
                Some(mut acc) => {
                    acc.vstack_mut(&df).unwrap();
                    acc
                }
            });
        }
        let all = all.unwrap();
        assert_eq!(all.height(), 5);
        let mut by_period: Vec<(String, usize)> = all
            .partition_by(["period"], true)
            .unwrap()
            .into_iter()
            .map(|part| (strings(&part, "period").unwrap()[0].clone().unwrap(), part.height()))
            .collect();
        by_period.sort();
        assert_eq!(by_period, [("2024-01".to_owned(), 3), ("2024-02".to_owned(), 2)]);
        // The same person is the same hash in both months.
        let hashes = strings(&all, "national_id_hash").unwrap();
        assert_eq!(hashes[0], hashes[3]);
        assert!(hashes[0].is_some());
    }

    #[test]
    fn a_history_of_the_first_layout_is_rewritten_once_with_its_ids_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::embedded();
        // January as the first layout wrote it: codes as text, IDs in clear.
        let old = dir.path().join("2024-01");
        std::fs::create_dir_all(&old).unwrap();
        let text = |v: &[&str]| v.iter().map(|s| Some((*s).to_owned())).collect::<Vec<_>>();
        let mut roster = DataFrame::new_infer_height(vec![
            Column::new("unit".into(), text(&[&registry.units()[0].code])),
            Column::new("full_name".into(), text(&["Lò Thị Hoa"])),
            Column::new("birth_year".into(), vec![Some(1975i32)]),
            Column::new("birth_month".into(), vec![Some(3i32)]),
            Column::new("birth_day".into(), vec![None::<i32>]),
            Column::new("gender".into(), text(&["nu"])),
            Column::new("ethnicity".into(), text(&["Tày"])),
            Column::new("national_id".into(), text(&["020175000123"])),
            Column::new("party_member".into(), vec![Some(true)]),
            Column::new("positions".into(), text(&["bi_thu;ct_hdnd"])),
            Column::new("committee".into(), text(&["ban_thuong_vu"])),
            Column::new("category".into(), text(&["can_bo"])),
            Column::new("professional".into(), text(&["dai_hoc"])),
            Column::new("political_theory".into(), text(&["cao_cap"])),
            Column::new("political_theory_studying".into(), vec![None::<String>]),
            Column::new("state_management".into(), text(&["chuyen_vien"])),
            Column::new("planning".into(), text(&["QH Chủ tịch UBND 2025-2030"])),
        ])
        .unwrap();
        write_parquet(&old.join("roster.parquet"), &mut roster).unwrap();
        let mut indicators = DataFrame::new_infer_height(vec![
            Column::new("key".into(), text(&["bch_tc_llct"])),
            Column::new("value".into(), vec![Some(51.6)]),
            Column::new("numerator".into(), vec![Some(164u64)]),
            Column::new("denominator".into(), vec![Some(318u64)]),
        ])
        .unwrap();
        write_parquet(&old.join("indicators.parquet"), &mut indicators).unwrap();
        std::fs::write(dir.path().join(MARKER), "").unwrap();

        let previous = read_previous(dir.path(), "2024-02".parse().unwrap(), &registry).unwrap().unwrap();
        assert!(!old.exists(), "the first layout's folder is gone");
        let folder = dir.path().join("period=2024-01");
        assert!(folder.join("roster.parquet").is_file() && folder.join("indicators.parquet").is_file());
        let hasher = previous.ids_hashed_with.clone().unwrap();
        let person = &previous.people[0];
        assert_eq!(person.national_id, Some(hasher.hash(&NationalId("020175000123".into()))));
        assert_eq!(person.birth_date, Some(BirthDate { year: 1975, month: Some(3), day: None }));
        assert_eq!(person.positions, [Position::BiThu, Position::CtHdnd]);
        assert_eq!(person.committee, Some(CommitteeLevel::BanThuongVu));
        assert_eq!(previous.indicators.get("bch_tc_llct"), Some(&51.6));
        let stored = read_bounded(&folder.join("indicators.parquet")).unwrap();
        assert_eq!(stored.column("numerator").unwrap().i64().unwrap().get(0), Some(164));
        assert!(!every_value(&folder.join("roster.parquet")).iter().any(|v| v.contains("020175000123")));
        // The key is the owner's alone; the snapshot its owner's and group's (less the umask).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir.path().join(KEY_FILE)), 0o600);
            assert_eq!(mode(&folder.join("roster.parquet")) & !SNAPSHOT_MODE, 0, "no more than 0640");
        }
        // Read again: nothing left to rewrite, the same people.
        let again = read_previous(dir.path(), "2024-02".parse().unwrap(), &registry).unwrap().unwrap();
        assert_eq!(again.people, previous.people);
    }
}
