//! `tonghop check`: what tonghop understands of each file, for the clerk who receives a
//! return and for a commune before it sends one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde_json::json;
use tonghop_ingest::{FoundFile, IngestContext, discover, read_file};
use tonghop_model::intake::FileStatus;
use tonghop_model::{DataIssue, Period, Registry};
use tonghop_transform::normalize::normalise;

use crate::args::CheckArgs;
use crate::run::{EXIT_COMPLETE, EXIT_FAILED, EXIT_INCOMPLETE, EXIT_USAGE, today, usage};

/// The files named by the paths: folders are listed recursively, files taken as they are.
fn files_of(paths: &[PathBuf]) -> Result<Vec<(PathBuf, FoundFile)>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            for f in discover(path).with_context(|| format!("cannot list {}", path.display()))? {
                out.push((path.clone(), f));
            }
        } else {
            let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
            let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
            out.push((
                parent,
                FoundFile {
                    index: 0,
                    rel_path: path.display().to_string(),
                    abs_path: path.clone(),
                    size: meta.len(),
                    modified: meta.modified().ok(),
                    // A file named on the command line is read whatever its name says.
                    is_spreadsheet: true,
                },
            ));
        }
    }
    Ok(out)
}

/// Peak resident memory of this process so far, in KiB (Linux; `None` elsewhere).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub fn check(args: &CheckArgs) -> Result<u8> {
    let period: Period = match &args.period {
        Some(p) => match p.parse() {
            Ok(p) => p,
            Err(e) => return Ok(usage(&format!("--period: {e}"))),
        },
        None => Period::containing(today()),
    };
    let registry = match &args.mapping.units {
        Some(path) => Registry::load(path).context("the unit registry given with --units cannot be used")?,
        None => Registry::embedded(),
    };
    let config = crate::run::load_config(args.mapping.config.as_deref(), &registry, period)?;
    let ctx = IngestContext::new(&registry, period).with_config(config);
    let files = files_of(&args.paths)?;
    let mut exit = EXIT_COMPLETE;
    let mut out = String::new();
    for (_, file) in &files {
        let started = Instant::now();
        let read = read_file(file, &ctx);
        let mut issues: Vec<DataIssue> = read.issues.clone();
        for record in &read.records {
            issues.extend(normalise(record, &registry, period.year(), &ctx.config).issues);
        }
        issues.sort();
        let elapsed = started.elapsed();
        let status = read.intake.status;
        exit = exit.max(match status {
            FileStatus::Unreadable => EXIT_FAILED,
            FileStatus::Unidentified => EXIT_INCOMPLETE,
            _ if !issues.is_empty() => EXIT_INCOMPLETE,
            _ => EXIT_COMPLETE,
        });
        if args.json {
            let line = json!({
                "path": read.intake.path,
                "status": status.key(),
                "error_kind": read.error.as_ref().map(|e| e.kind.key()),
                "error": read.intake.error,
                "units": read.intake.units.iter().map(|u| registry.unit(*u).code.clone()).collect::<Vec<_>>(),
                "unit_found_by": read.intake.unit_found_by.map(tonghop_model::intake::UnitFoundBy::key),
                "sheets_read": read.intake.sheets_read(),
                "rows_read": read.intake.counts.read,
                "accepted": read.intake.counts.accepted,
                "rejected": read.intake.counts.rejected,
                "skipped": read.intake.counts.skipped,
                "issues": issues.len(),
                "elapsed_ms": elapsed.as_millis() as u64,
                "peak_rss_kib": peak_rss_kib(),
            });
            let _ = writeln!(out, "{line}");
        } else {
            describe(&mut out, &read, &issues, &registry);
        }
    }
    #[allow(clippy::print_stdout)]
    {
        print!("{out}");
    }
    Ok(if exit == EXIT_USAGE { EXIT_FAILED } else { exit })
}

fn describe(out: &mut String, read: &tonghop_ingest::FileRead, issues: &[DataIssue], registry: &Registry) {
    let intake = &read.intake;
    let units: Vec<String> = intake.units.iter().map(|u| registry.unit(*u).to_string()).collect();
    let _ = writeln!(out, "{}: {}", intake.path, intake.status.label());
    if let Some(e) = &read.error {
        let _ = writeln!(out, "  error: {}", e.kind);
    }
    if units.is_empty() {
        if !intake.unit_evidence.is_empty() {
            let _ = writeln!(out, "  unit not identified; seen: {}", intake.unit_evidence);
        }
    } else {
        let by = intake.unit_found_by.map_or("", |b| b.label());
        let _ = writeln!(out, "  unit: {} (found by {by})", units.join(", "));
    }
    if !intake.encoding.is_empty() {
        let _ = writeln!(out, "  encoding: {}", intake.encoding);
    }
    for sheet in &intake.sheets {
        if let Some(why) = &sheet.ignored_because {
            let _ = writeln!(out, "  sheet \"{}\": ignored ({why})", sheet.name);
        } else {
            let (a, b) = sheet.header_rows.unwrap_or((0, 0));
            let _ = writeln!(out, "  sheet \"{}\": header rows {a}–{b}", sheet.name);
            for (header, field) in &sheet.mapped {
                let _ = writeln!(out, "    {header} → {} ({})", field.label(), field.key());
            }
            if !sheet.unmapped.is_empty() {
                let _ = writeln!(out, "    not mapped: {}", sheet.unmapped.join("; "));
            }
            let c = sheet.counts;
            let _ = writeln!(
                out,
                "    rows: {} read, {} accepted, {} rejected, {} skipped",
                c.read, c.accepted, c.rejected, c.skipped
            );
        }
    }
    if issues.is_empty() {
        let _ = writeln!(out, "  no problems");
    } else {
        let _ = writeln!(out, "  problems ({}):", issues.len());
        for i in issues {
            let place = match (&i.sheet, &i.cell) {
                (Some(s), Some(c)) => format!("{s}!{c}"),
                (Some(s), None) => s.clone(),
                _ => String::new(),
            };
            let raw = if i.raw.is_empty() { String::new() } else { format!(" [{}]", i.raw) };
            let _ = writeln!(out, "    {place}: {}{raw}", i.problem);
        }
    }
}
