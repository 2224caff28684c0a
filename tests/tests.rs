//! End-to-end tests of the `tonghop` binary over the bundled fixture month.

mod corpus;
mod e2e;
mod golden;
mod hostile;
mod language;
mod report;
mod snapshots;
mod zoo;
