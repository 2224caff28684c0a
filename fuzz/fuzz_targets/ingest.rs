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
    let Some((selector, bytes)) = data.split_first() else { return };
    let ext = ["xlsx", "xls", "ods", "xlsb", "xlsm"][usize::from(*selector) % 5];
    let ctx = IngestContext::new(registry(), "2024-02".parse().expect("a period"));
    let read = read_bytes(&format!("Son Ha/bao cao.{ext}"), bytes.to_vec(), &ctx);
    let c = read.intake.counts;
    assert_eq!(c.read, c.accepted + c.rejected + c.skipped);
});
