//! The stage profile: how long each step of a stage took, as debug log lines (shown with
//! `tonghop run --verbose`). Kept here so that every crate that does work reports alike.

use std::time::{Duration, Instant};

/// Times consecutive steps of one stage.
pub struct Steps {
    stage: &'static str,
    last: Instant,
}

impl Steps {
    /// Starts timing the first step of `stage`.
    pub fn start(stage: &'static str) -> Self {
        Self { stage, last: Instant::now() }
    }

    /// Logs the time since the previous step ended (or the stage started) under `step`.
    pub fn lap(&mut self, step: &str) {
        let now = Instant::now();
        tracing::debug!("{} / {step}: {:.3} s", self.stage, (now - self.last).as_secs_f64());
        self.last = now;
    }
}

/// Logs a step that ran in pieces on every worker, alongside another, as the sum of the
/// pieces' times: more than the wall-clock time it added when the workers ran at once.
pub fn summed(stage: &str, step: &str, total: Duration) {
    tracing::debug!("{stage} / {step}, summed over the workers: {:.3} s", total.as_secs_f64());
}
