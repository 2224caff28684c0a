//! Fuzzes the ingest entry point: any bytes, under each spreadsheet extension, must give a
//! `FileRead` (read, or refused with a typed error) without panicking or aborting, and the
//! `FileRead` must keep its own accounting.
//!
//! What counts as a finding:
//! - a panic that escapes `read_bytes` (anywhere: tonghop's own code, or a dependency
//!   called outside the ingest's `catch_unwind`, e.g. the merged-range reader);
//! - a panic raised by tonghop's own code (`crates/ingest`, `crates/model`), even when the
//!   ingest contains it and reports the file as `ReaderPanicked`: that is a bug in tonghop,
//!   not a broken file. Set `TONGHOP_FUZZ_ALLOW_INGEST_PANICS=1` to let such a contained
//!   panic pass (to fuzz on while a known one is being fixed);
//! - a broken invariant of the result (the assertions at the end);
//! - whatever libFuzzer itself catches: a crash, an ASan report, OOM past -rss_limit_mb or
//!   -malloc_limit_mb, a timeout past -timeout.
//!
//! A panic inside calamine, zip, cfb or quick-xml that the ingest contains is the designed
//! behaviour (the file is reported unreadable) and stays quiet; with
//! `TONGHOP_FUZZ_LOG_PANICS=1` each distinct one is printed once, so that a run can list them.
#![no_main]

use std::backtrace::Backtrace;
use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::{Mutex, Once, OnceLock};

use libfuzzer_sys::fuzz_target;
use tonghop_ingest::{IngestContext, read_bytes};
use tonghop_model::Registry;
use tonghop_model::intake::FileStatus;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::embedded)
}

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Who raised a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// tonghop's own code: a bug whether contained or not.
    Tonghop,
    /// A dependency (calamine, zip, cfb, quick-xml...): contained by the ingest by design.
    Dependency,
}

/// The crate a path of source belongs to, as far as the panic report needs it: tonghop's
/// crates are path dependencies (`.../crates/<name>/src/...`), the rest live in cargo's
/// registry, and the standard library under `/rustc/<hash>/library/`.
fn origin_of_file(file: &str) -> Option<Origin> {
    if file.contains("/.cargo/registry/") || file.contains("/.cargo/git/") {
        Some(Origin::Dependency)
    } else if file.starts_with("/rustc/")
        || file.contains("/library/core/")
        || file.contains("/library/alloc/")
        || file.contains("/library/std/")
    {
        // Raised inside std (an allocation's capacity overflow, a `RefCell`...): the caller
        // decides, see `origin_of_backtrace`.
        None
    } else if file.contains("crates/") || file.contains("fuzz_targets/") {
        Some(Origin::Tonghop)
    } else {
        Some(Origin::Dependency)
    }
}

/// The first frame of a resolved backtrace below the panic machinery (the hook, std's
/// panic functions) whose source is outside std decides: a std panic (capacity overflow, a
/// `RefCell` borrow...) is the fault of the code that called std. Frames are judged by their
/// `at FILE:LINE` lines, as the fuzz build's line tables name inlined frames without their
/// crate.
fn origin_of_backtrace(bt: &str) -> Origin {
    let mut below_panic = false;
    for line in bt.lines().map(str::trim_start) {
        if let Some(file) = line.strip_prefix("at ") {
            if !below_panic {
                continue;
            }
            if let Some(origin) = origin_of_file(file) {
                return origin;
            }
        } else if line.contains("rust_begin_unwind") || line.contains("core::panicking::") {
            below_panic = true;
        }
    }
    Origin::Dependency
}

/// The last panic seen on this thread, for the report of one that escapes the ingest.
struct PanicRecord {
    message: String,
    location: String,
    backtrace: String,
}

thread_local! {
    static LAST_PANIC: RefCell<Option<PanicRecord>> = const { RefCell::new(None) };
}

fn message_of(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<non-string panic payload>".to_owned())
}

/// Replaces libfuzzer-sys's hook (which aborts on every panic, even one the ingest is built
/// to contain) by one that sorts panics by origin: tonghop's own abort the run at once, with
/// the stack still whole (libFuzzer then prints it and saves the input); a dependency's are
/// recorded and left to unwind into the ingest's `catch_unwind`.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let allow_ingest_panics = env_flag("TONGHOP_FUZZ_ALLOW_INGEST_PANICS");
        let log_panics = env_flag("TONGHOP_FUZZ_LOG_PANICS");
        std::panic::set_hook(Box::new(move |info| {
            let message = message_of(info);
            let location =
                info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
            let file = info.location().map_or("", |l| l.file());
            let backtrace = Backtrace::force_capture();
            let (origin, resolved) = match origin_of_file(file) {
                Some(origin) => (origin, None),
                None => {
                    let text = backtrace.to_string();
                    (origin_of_backtrace(&text), Some(text))
                }
            };
            if origin == Origin::Tonghop && !allow_ingest_panics {
                let backtrace = resolved.unwrap_or_else(|| backtrace.to_string());
                eprintln!("\n==== tonghop fuzz: panic in tonghop's own code (a bug even if the ingest contains it)");
                eprintln!("message: {message}\nlocation: {location}\n{backtrace}");
                std::process::abort();
            }
            if log_panics {
                static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
                let mut seen = SEEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if seen.get_or_insert_with(HashSet::new).insert(location.clone()) {
                    eprintln!("tonghop fuzz: contained {origin:?} panic at {location}: {message}");
                }
            }
            LAST_PANIC.with(|last| {
                *last.borrow_mut() = Some(PanicRecord {
                    message,
                    location,
                    backtrace: resolved.unwrap_or_else(|| backtrace.to_string()),
                });
            });
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    install_hook();
    // The name's extension only breaks ties inside a zip; the length picks one so that the
    // seeds stay real files.
    let ext = ["xlsx", "xls", "ods", "xlsb", "xlsm"][data.len() % 5];
    let path = format!("Son Ha/bao cao.{ext}");
    let ctx = IngestContext::new(registry(), "2024-02".parse().expect("a period"));
    LAST_PANIC.with(|last| last.borrow_mut().take());
    let read = match catch_unwind(AssertUnwindSafe(|| read_bytes(&path, data.to_vec(), &ctx))) {
        Ok(read) => read,
        Err(_) => {
            let record = LAST_PANIC.with(|last| last.borrow_mut().take());
            eprintln!("\n==== tonghop fuzz: a panic escaped read_bytes (it must never)");
            if let Some(r) = record {
                eprintln!("message: {}\nlocation: {}\n{}", r.message, r.location, r.backtrace);
            }
            std::process::abort();
        }
    };

    // The result keeps its own accounting.
    let intake = &read.intake;
    let c = intake.counts;
    assert_eq!(c.read, c.accepted + c.rejected + c.skipped, "file counts do not balance: {c:?}");
    let mut by_sheet = tonghop_model::intake::RowCounts::default();
    for sheet in &intake.sheets {
        let s = sheet.counts;
        assert_eq!(s.read, s.accepted + s.rejected + s.skipped, "sheet {:?} counts do not balance: {s:?}", sheet.name);
        by_sheet.add(s);
    }
    assert_eq!(by_sheet, c, "the sheets' counts do not add up to the file's");
    assert_eq!(read.records.len(), c.accepted, "one record per accepted row");
    let of_other_units: usize = intake.rows_of_other_units.iter().map(|(_, n)| n).sum();
    assert!(of_other_units <= c.accepted, "rows of other units are accepted rows: {of_other_units} > {c:?}");
    assert_eq!(intake.path, path);
    assert_eq!(intake.size, data.len() as u64);
    assert_eq!(intake.sha256.len(), 64, "the content's hash is always known: {:?}", intake.sha256);
    for record in &read.records {
        assert!(
            intake.sheets.iter().any(|s| *s.name == *record.source.sheet),
            "a record from a sheet the intake does not list: {:?}",
            record.source.sheet
        );
    }
    match &read.error {
        Some(error) => {
            assert_eq!(intake.status, FileStatus::Unreadable, "an error makes the file unreadable: {error}");
            assert!(intake.error.is_some(), "the intake names the error");
            assert!(read.records.is_empty(), "an unreadable file gives no rows");
            assert_eq!(error.path, path, "the error names the file");
        }
        None => assert_ne!(intake.status, FileStatus::Unreadable, "an unreadable file says why"),
    }
});
