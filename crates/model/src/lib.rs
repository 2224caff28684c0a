//! The vocabulary shared by every tonghop crate, and the two pieces of plumbing they all
//! need: reading a regular file within a limit ([`files`]) and the process's peak memory
//! ([`process`]). Nothing else here reads or writes.
//!
//! # What it owns
//!
//! - [`units`]: the unit registry (communes, towns, district agencies) with validity dates,
//!   the embedded Hữu Lũng default, and matching of free text against unit names.
//! - [`period`]: the reporting month and its last day.
//! - [`codes`]: every code list of the spec (political theory, professional, positions...)
//!   with Vietnamese labels and the spellings seen in the wild, resolved by column.
//! - [`record`]: the raw row as read from a return and the canonical official record, both
//!   carrying their provenance (file, sheet, cell).
//! - [`fields`]: the one table of a return's fields: key, label, header spellings,
//!   template column.
//! - [`issue`]: data issues (a cell that could not be understood) and their severity.
//! - [`intake`]: what happened to each file and each expected unit.
//! - [`config`]: mapping overrides: header synonyms, value spellings, pins of files to units.
//! - [`text`]: Vietnamese text folding (accent-, case- and whitespace-insensitive keys).
//! - [`planning`]: succession-planning entries (positions and term).
//! - [`training`]: training classes and learners as read from the register.
//! - [`steps`]: the per-step timings behind `--verbose`.
//! - [`decisions`]: the clerk's decisions on review pairs, and the labels the report and
//!   its reader share.
//! - [`month`]: the consolidated month, as the report shows it and history stores it.
//! - [`memo`]: small per-thread caches of parses repeated over a month's cells.

pub mod codes;
pub mod config;
pub mod decisions;
pub mod fields;
pub mod files;
pub mod ids;
pub mod intake;
pub mod issue;
pub mod memo;
pub mod month;
pub mod period;
pub mod planning;
pub mod process;
pub mod record;
pub mod steps;
pub mod text;
pub mod training;
pub mod units;

pub use codes::Field;
pub use config::Config;
pub use issue::{DataIssue, Severity};
pub use period::Period;
pub use units::{Registry, Unit, UnitKind};
