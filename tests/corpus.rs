//! Feeds every spreadsheet of `../shared/corpus` (real files from public test suites,
//! many broken on purpose) to the ingest, one `tonghop check` process per file so that an
//! abort in one cannot hide the others. Fails on any panic, abort, signal or time-out, and
//! on a file that takes more than the per-file memory or time bound.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

const MEMORY_BOUND_KIB: u64 = 512 * 1024;
const TIME_BOUND_MS: u64 = 10_000;
const WALL_LIMIT: Duration = Duration::from_mins(1);

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn spreadsheets(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            spreadsheets(&path, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            ["xlsx", "xlsm", "xls", "xlsb", "ods", "fods", "xltx", "xltm"].contains(&e.to_ascii_lowercase().as_str())
        }) {
            out.push(path);
        }
    }
}

#[derive(Debug)]
enum Outcome {
    Line(Value),
    Crashed(String),
}

fn check_one(bin: &str, file: &Path) -> Outcome {
    let started = Instant::now();
    let (mut out_file, mut err_file) =
        (tempfile::tempfile().expect("temp file"), tempfile::tempfile().expect("temp file"));
    // Virtual memory is capped so that a file which escapes the guards fails this test
    // instead of exhausting the machine.
    let mut child = match Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152; exec \"$0\" check --json --period 2024-02 \"$1\"")
        .arg(bin)
        .arg(file)
        // Files, not pipes: nothing reads a pipe while the child runs, so a long answer
        // (a JSON line listing thousands of columns) would block the child at 64 KiB.
        .stdout(Stdio::from(out_file.try_clone().expect("temp file")))
        .stderr(Stdio::from(err_file.try_clone().expect("temp file")))
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return Outcome::Crashed(format!("spawn failed: {e}")),
    };
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > WALL_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::Crashed(format!("no answer within {WALL_LIMIT:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Outcome::Crashed(format!("wait failed: {e}")),
        }
    }
    let status = child.wait().expect("child status");
    let read_all = |f: &mut std::fs::File| {
        use std::io::{Read as _, Seek as _};
        let mut bytes = Vec::new();
        f.rewind().and_then(|()| f.read_to_end(&mut bytes)).expect("read temp file");
        bytes
    };
    let output = std::process::Output { status, stdout: read_all(&mut out_file), stderr: read_all(&mut err_file) };
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0 | 1 | 3) => match serde_json::from_slice::<Value>(&output.stdout) {
            Ok(v) => Outcome::Line(v),
            Err(e) => {
                Outcome::Crashed(format!("exit {:?} without a JSON line ({e}); stderr: {stderr}", output.status.code()))
            }
        },
        code => Outcome::Crashed(format!("exit {code:?} (signal or panic); stderr: {stderr}")),
    }
}

/// Files that once broke the ingest (fuzzer finds and the like), kept as regressions:
/// each must be read or refused within the per-file bounds.
#[test]
fn hostile_fixtures_are_refused_within_bounds() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile");
    let mut files = Vec::new();
    spreadsheets(&dir, &mut files);
    assert!(!files.is_empty());
    for file in files {
        match check_one(env!("CARGO_BIN_EXE_tonghop"), &file) {
            Outcome::Line(v) => {
                assert!(v["elapsed_ms"].as_u64().unwrap() < TIME_BOUND_MS, "{}: {v}", file.display());
                assert!(v["peak_rss_kib"].as_u64().unwrap() < MEMORY_BOUND_KIB, "{}", file.display());
            }
            Outcome::Crashed(why) => panic!("{}: {why}", file.display()),
        }
    }
}

#[test]
fn every_corpus_file_is_read_or_refused_without_crashing() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "skipped: {} not found (the robustness corpus is only on CI and development machines)",
                dir.display()
            );
        }
        return;
    }
    let mut files = Vec::new();
    spreadsheets(&dir, &mut files);
    assert!(files.len() >= 1183, "expected the full corpus, found {} files", files.len());
    let bin = env!("CARGO_BIN_EXE_tonghop");
    let queue = Mutex::new(files.iter());
    let results: Mutex<Vec<(PathBuf, Outcome)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next().cloned();
                    let Some(file) = next else { break };
                    let outcome = check_one(bin, &file);
                    results.lock().unwrap().push((file, outcome));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut crashes = Vec::new();
    let mut over_bounds = Vec::new();
    let mut english = Vec::new();
    let mut checked = 0;
    let (mut slowest, mut largest) = ((0_u64, PathBuf::new()), (0_u64, PathBuf::new()));
    for (file, outcome) in &results {
        let rel = file.strip_prefix(&dir).unwrap_or(file).to_path_buf();
        match outcome {
            Outcome::Crashed(why) => crashes.push(format!("{}: {why}", rel.display())),
            Outcome::Line(v) => {
                let kind = v["error_kind"].as_str().map_or_else(
                    || format!("read ({})", v["status"].as_str().unwrap_or("?")),
                    |k| format!("error: {k}"),
                );
                *by_kind.entry(kind).or_default() += 1;
                let ms = v["elapsed_ms"].as_u64().unwrap_or(0);
                let kib = v["peak_rss_kib"].as_u64().unwrap_or(0);
                if ms > slowest.0 {
                    slowest = (ms, rel.clone());
                }
                if kib > largest.0 {
                    largest = (kib, rel.clone());
                }
                if ms > TIME_BOUND_MS || kib > MEMORY_BOUND_KIB {
                    over_bounds.push(format!("{}: {ms} ms, {kib} KiB", rel.display()));
                }
                for said in clerk_texts(v) {
                    checked += 1;
                    let words = crate::language::english_words(&said);
                    if !words.is_empty() {
                        english.push(format!("{}: {words:?} in {said}", rel.display()));
                    }
                }
            }
        }
    }
    #[allow(clippy::print_stderr)]
    {
        eprintln!("corpus: {} files", results.len());
        for (kind, n) in &by_kind {
            eprintln!("  {kind}: {n}");
        }
        eprintln!("  slowest: {} ({} ms)", slowest.1.display(), slowest.0);
        eprintln!("  largest peak memory: {} ({} KiB)", largest.1.display(), largest.0);
        eprintln!("  texts for the clerk checked for English: {checked}");
    }
    assert!(crashes.is_empty(), "{} files crashed the ingest:\n{}", crashes.len(), crashes.join("\n"));
    assert!(over_bounds.is_empty(), "files over the per-file bounds:\n{}", over_bounds.join("\n"));
    // What `check` says of a hostile file is the clerk's to read, in Vietnamese: a reader's
    // English error text must not come through.
    assert!(checked > results.len(), "every file says something: {checked} texts");
    assert!(english.is_empty(), "{} answers with English:\n{}", english.len(), english.join("\n"));
}

/// The texts of a `check --json` line that the clerk reads (the screen shows the same):
/// the file's error, each problem, why a sheet was ignored, the warnings.
fn clerk_texts(line: &Value) -> Vec<String> {
    let mut texts = Vec::new();
    let mut push = |v: &Value| {
        if let Some(text) = v.as_str() {
            texts.push(text.to_owned());
        }
    };
    push(&line["error"]);
    for problem in line["problems"].as_array().into_iter().flatten() {
        push(&problem["problem"]);
    }
    for sheet in line["sheets"].as_array().into_iter().flatten() {
        push(&sheet["ignored_because"]);
        sheet["warnings"].as_array().into_iter().flatten().for_each(&mut push);
    }
    line["unit_warnings"].as_array().into_iter().flatten().for_each(&mut push);
    texts
}
