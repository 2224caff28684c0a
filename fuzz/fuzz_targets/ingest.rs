//! Fuzzes the ingest entry point: any bytes, under each spreadsheet extension, must give a
//! `FileRead` (read, or refused with a typed error) without panicking or aborting.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tonghop_ingest::{IngestContext, read_bytes};
use tonghop_model::Registry;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::embedded)
}

fuzz_target!(|data: &[u8]| {
    // A panic inside calamine is contained by the ingest and reported as an error for the
    // file; libfuzzer-sys would abort on it anyway, so its hook is replaced by a silent one.
    // A panic that escapes the ingest still ends the run as a crash.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    // The name's extension only breaks ties inside a zip; the length picks one so that the
    // seeds stay real files.
    let ext = ["xlsx", "xls", "ods", "xlsb", "xlsm"][data.len() % 5];
    let bytes = data;
    let ctx = IngestContext::new(registry(), "2024-02".parse().expect("a period"));
    let read = read_bytes(&format!("Son Ha/bao cao.{ext}"), bytes.to_vec(), &ctx);
    let c = read.intake.counts;
    assert_eq!(c.read, c.accepted + c.rejected + c.skipped);
});
