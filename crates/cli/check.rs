//! `tonghop check`: what tonghop understands of each file, for the clerk who receives a
//! return and for a commune before it sends one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde_json::json;
use tonghop_ingest::{FoundFile, IngestContext, discover};
use tonghop_model::intake::FileStatus;
use tonghop_model::{DataIssue, Period, Registry};

use crate::args::CheckArgs;
use crate::exit;
use crate::run::{today, usage};

/// The files named by the paths: folders are listed recursively, files taken as they are.
fn files_of(paths: &[PathBuf]) -> Result<Vec<(PathBuf, FoundFile)>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            for f in discover(path).with_context(|| format!("không liệt kê được thư mục {}", path.display()))?
            {
                out.push((path.clone(), f));
            }
        } else if let Some(listed) = tonghop_ingest::archive::entries(
            path,
            &path.display().to_string(),
            std::fs::metadata(path).ok().and_then(|m| m.modified().ok()),
        ) {
            // A return sent as an archive: its spreadsheets, each under the archive's name.
            let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
            out.extend(listed.into_iter().map(|f| (parent.clone(), f)));
        } else {
            // A path that cannot be read is one unreadable file among the others: the reader
            // says why, and the good files are still checked.
            let meta = std::fs::metadata(path).ok();
            let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
            out.push((
                parent,
                FoundFile {
                    index: 0,
                    rel_path: path.display().to_string(),
                    abs_path: path.clone(),
                    size: meta.as_ref().map_or(0, std::fs::Metadata::len),
                    modified: meta.and_then(|m| m.modified().ok()),
                    // A file named on the command line is read whatever its name says.
                    is_spreadsheet: true,
                    problem: None,
                    archive_entry: None,
                },
            ));
        }
    }
    Ok(out)
}

/// The months the folders of `paths` are named after: for each path, the nearest folder
/// named "YYYY-MM" ("…/returns/2024-02/Huu Lung"), the path made whole first ("." inside
/// 2024-02); no two alike.
fn periods_of_paths(paths: &[std::path::PathBuf]) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::new();
    for path in paths {
        let whole = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let nearest = whole.components().rev().find_map(|c| c.as_os_str().to_str()?.parse::<Period>().ok());
        if let Some(period) = nearest
            && !periods.contains(&period)
        {
            periods.push(period);
        }
    }
    periods
}

pub fn check(args: &CheckArgs) -> Result<u8> {
    if args.verbose {
        // Log lines at the debug level on standard error: what `main` says of an error's
        // causes besides the clerk's line. Nothing else draws on the terminal here.
        let _ = crate::progress::Progress::new(false, true, crate::args::ProgressMode::Never);
    }
    let period: Period = match &args.period {
        Some(p) => match p.parse() {
            Ok(p) => p,
            Err(e) => return Ok(usage(&format!("--period: {e}"))),
        },
        // The month the returns' folder is named after ("…/returns/2024-02/…"), as `run`
        // takes it; else this month; paths of several months: the clerk says which.
        None => match periods_of_paths(&args.paths)[..] {
            [] => Period::containing(today()),
            [one] => one,
            ref several => {
                let named: Vec<String> = several.iter().map(ToString::to_string).collect();
                return Ok(usage(&format!(
                    "các đường dẫn thuộc nhiều kỳ ({}): cho --period YYYY-MM",
                    named.join(", ")
                )));
            }
        },
    };
    let registry = match &args.mapping.units {
        Some(path) => Registry::load(path).context("không dùng được danh mục đơn vị cho ở --units")?,
        None => Registry::embedded(),
    };
    let config = tonghop_pipeline::load_config(args.mapping.config.as_deref(), &registry, period)?;
    let ctx = IngestContext::new(&registry, period).with_config(config);
    let files = files_of(&args.paths)?;
    let mut code = exit::COMPLETE;
    let mut out = String::new();
    for (_, file) in &files {
        let started = Instant::now();
        // The month's own per-file stage: what check says is what the run will read.
        let tonghop_pipeline::Checked { read, issues, doubts } = tonghop_pipeline::check_file(file, &ctx);
        let elapsed = started.elapsed();
        let status = read.intake.status;
        let this = match status {
            FileStatus::Unreadable => exit::FAILED,
            FileStatus::Unidentified => exit::INCOMPLETE,
            _ if !issues.is_empty() || !doubts.is_empty() => exit::INCOMPLETE,
            _ => exit::COMPLETE,
        };
        // The worst status wins: a file that cannot be read over one with problems.
        let rank = |c: u8| [exit::COMPLETE, exit::INCOMPLETE, exit::FAILED].iter().position(|x| *x == c).unwrap_or(0);
        if rank(this) > rank(code) {
            code = this;
        }
        if args.emit_config {
            // A file named on the command line has no folder of the returns to go by.
            let listed = file.abs_path != Path::new(&file.rel_path);
            emit_config(&mut out, &read.intake, &file.rel_path, listed);
        } else if args.json {
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
                "sheets": sheets_json(&read.intake),
                "problems": problems_json(&issues),
                "unit_warnings": doubts.iter().map(|(u, w)| json!({"unit": registry.unit(*u).code, "warnings": w})).collect::<Vec<_>>(),
                "elapsed_ms": elapsed.as_millis() as u64,
                "peak_rss_kib": tonghop_model::process::peak_memory_kib(),
            });
            let _ = writeln!(out, "{line}");
        } else {
            describe(&mut out, &read, &issues, &registry);
            for (unit, warnings) in &doubts {
                let _ = writeln!(
                    out,
                    "  cảnh báo {}: {}: {}",
                    registry.unit(*unit),
                    tonghop_transform::plausibility::DOUBT,
                    warnings.join("; ")
                );
            }
        }
    }
    // A reader that stops early (`check … | head`) ends the output quietly.
    {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        match stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        }
    }
    Ok(code)
}

fn describe(out: &mut String, read: &tonghop_ingest::FileRead, issues: &[DataIssue], registry: &Registry) {
    let intake = &read.intake;
    let units: Vec<String> = intake.units.iter().map(|u| registry.unit(*u).to_string()).collect();
    let _ = writeln!(out, "{}: {}", printable(&intake.path), intake.status.label());
    if let Some(e) = &read.error {
        let _ = writeln!(out, "  lỗi: {}", printable(&e.kind.message_vi()));
    }
    if units.is_empty() {
        if !intake.unit_evidence.is_empty() {
            let _ = writeln!(out, "  không xác định được đơn vị; đã thấy: {}", printable(&intake.unit_evidence));
        }
    } else {
        let by = intake.unit_found_by.map_or("", |b| b.label());
        let _ = writeln!(out, "  đơn vị: {} (theo {by})", units.join(", "));
    }
    if !intake.encoding.is_empty() {
        let _ = writeln!(out, "  bảng mã: {}", tonghop_model::intake::encoding_label(&intake.encoding));
    }
    for sheet in &intake.sheets {
        if let Some(why) = &sheet.ignored_because {
            let _ = writeln!(out, "  trang \"{}\": bỏ qua ({why})", printable(&sheet.name));
            continue;
        }
        let (a, b) = sheet.header_rows.unwrap_or((0, 0));
        let _ = writeln!(out, "  trang \"{}\": dòng tiêu đề {a}–{b}", printable(&sheet.name));
        for c in &sheet.columns {
            let letter = tonghop_model::record::column_name(c.col);
            match c.field {
                Some(field) => {
                    let option = c.option.as_deref().map(|o| format!(" = {o}")).unwrap_or_default();
                    // Codes read by the label's legend: said, as the values change.
                    let legend = if c.legend.is_empty() {
                        String::new()
                    } else {
                        let codes: Vec<String> =
                            c.legend.iter().map(|(code, value)| format!("{code} = {value}")).collect();
                        format!(", mã theo chú thích: {}", codes.join("; "))
                    };
                    // The field by its Vietnamese label; its key is for scripts and
                    // configuration (`--json`, `--emit-config`), not the clerk's line.
                    let _ = writeln!(
                        out,
                        "    {letter}: {} → {}{option} ({}{legend})",
                        printable(&c.header),
                        field.label(),
                        c.rule.label()
                    );
                }
                None if c.rule == tonghop_model::intake::ColumnRule::LooksLikeField => {
                    let _ = writeln!(
                        out,
                        "    {letter}: {} → không dùng (cảnh báo: {})",
                        printable(&c.header),
                        c.rule.label()
                    );
                }
                None => {
                    let _ = writeln!(out, "    {letter}: {} → không dùng", printable(&c.header));
                }
            }
        }
        for warning in &sheet.warnings {
            let _ = writeln!(out, "    cảnh báo: {warning}");
        }
        let c = sheet.counts;
        let _ = writeln!(
            out,
            "    số dòng: đọc {}, nhận {}, loại {}, bỏ qua {}",
            c.read, c.accepted, c.rejected, c.skipped
        );
        if !sheet.skipped_by_kind.is_empty() {
            let kinds: Vec<String> = sheet.skipped_by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let _ = writeln!(out, "    bỏ qua: {}", kinds.join("; "));
        }
    }
    if issues.is_empty() {
        let _ = writeln!(out, "  không có vấn đề");
    } else {
        let _ = writeln!(out, "  vấn đề ({}):", issues.len());
        for i in issues {
            // A problem of the whole file has no place to name.
            let place = place_of(i);
            let place = if place.is_empty() { String::new() } else { format!("{}: ", printable(&place)) };
            let _ = writeln!(out, "    {place}{}{}", printable(&i.problem), printable(&raw_of(i)));
        }
    }
}

/// What was understood of a file as `[[layout]]` entries, one per sheet: the clerk edits
/// what is wrong and adds it to the configuration, where it serves every month.
fn emit_config(out: &mut String, intake: &tonghop_model::intake::FileIntake, rel_path: &str, listed: bool) {
    // A commune's folder is stable from month to month, its file names are not: the
    // pattern is the folder's files (for a file named on the command line, that folder
    // wherever it sits in the returns folder).
    let path = Path::new(rel_path);
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let escape = |p: &Path| glob::Pattern::escape(&p.to_string_lossy().replace('\\', "/"));
    let pattern = match folder {
        Some(folder) if listed => format!("{}/*", escape(folder)),
        Some(folder) => folder.file_name().map_or_else(
            || escape(path.file_name().map_or(path, Path::new)),
            |name| format!("**/{}/*", escape(Path::new(name))),
        ),
        None => escape(path),
    };
    let _ = writeln!(out, "# Cấu hình đọc tệp {}", one_line(&intake.path));
    let _ = writeln!(out, "# Sửa các dòng sai rồi chép vào tệp cấu hình (--config); dùng được cho các tháng sau.");
    for sheet in &intake.sheets {
        let _ = writeln!(
            out,
            "\n[[layout]]\npattern = {}\nsheet = {}",
            tonghop_model::text::toml_string(&pattern),
            tonghop_model::text::toml_string(&sheet.name)
        );
        if let Some(why) = &sheet.ignored_because {
            let _ = writeln!(out, "ignore = true  # {}", one_line(why));
            continue;
        }
        if let Some((a, b)) = sheet.header_rows {
            let _ = writeln!(out, "header_rows = [{a}, {b}]");
        }
        let _ = writeln!(out, "[layout.columns]");
        for c in &sheet.columns {
            let letter = tonghop_model::record::column_name(c.col);
            let field = c.field.map_or("ignore", tonghop_model::Field::key);
            let value = match &c.option {
                Some(option) => format!("{field}:{option}"),
                None => field.to_owned(),
            };
            let _ = writeln!(out, "{letter} = {}  # {}", tonghop_model::text::toml_string(&value), one_line(&c.header));
        }
    }
}

/// Text for a comment: one line, no control characters.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Text from a file (its name, its sheets, its cells) as it may be printed to a terminal:
/// control characters escaped, so that an escape sequence or a line break in a file name
/// can neither drive the terminal nor forge a line of the report.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect(),
    )
}

fn place_of(i: &DataIssue) -> String {
    match (&i.sheet, &i.cell) {
        (Some(s), Some(c)) => format!("{s}!{c}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    }
}

fn raw_of(i: &DataIssue) -> String {
    if i.raw.is_empty() { String::new() } else { format!(" [{}]", i.raw) }
}

/// The sheets of a file as `check --json` gives them: header rows, each column's letter,
/// header path, field key and rule, skipped rows by kind, warnings.
fn sheets_json(intake: &tonghop_model::intake::FileIntake) -> serde_json::Value {
    intake
        .sheets
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "ignored_because": s.ignored_because,
                "header_rows": s.header_rows.map(|(a, b)| [a, b]),
                "columns": s.columns.iter().map(|c| json!({
                    "letter": tonghop_model::record::column_name(c.col),
                    "path": c.path,
                    "field": c.field.map(tonghop_model::Field::key),
                    "option": c.option,
                    "legend": c.legend,
                    "rule": c.rule.key(),
                })).collect::<Vec<_>>(),
                "rows": {"read": s.counts.read, "accepted": s.counts.accepted, "rejected": s.counts.rejected, "skipped": s.counts.skipped},
                "skipped_by_kind": s.skipped_by_kind.iter().map(|(k, n)| json!({"kind": k, "rows": n})).collect::<Vec<_>>(),
                "warnings": s.warnings,
            })
        })
        .collect()
}

/// Every problem of a file with its place, for `check --json`.
fn problems_json(issues: &[DataIssue]) -> serde_json::Value {
    issues
        .iter()
        .map(|i| {
            json!({
                "sheet": i.sheet,
                "cell": i.cell,
                "field": i.field.map(tonghop_model::Field::key),
                "raw": i.raw,
                "problem": i.problem,
                "severity": i.severity.key(),
            })
        })
        .collect()
}
