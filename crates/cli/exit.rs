//! The exit codes (`outputs.md` §2), in one place: `run`, `check` and `main` return these;
//! the README's table and `scripts/run-monthly.sh` say the same.

/// `run`: the report is written and every expected unit sent a readable return. `check`:
/// the return is read and nothing needs a look.
pub const COMPLETE: u8 = 0;
/// No report written (`check`: the return cannot be read).
pub const FAILED: u8 = 1;
/// Wrong usage: nothing was read or written.
pub const USAGE: u8 = 2;
/// `run`: the report is written, but some expected unit is missing, unreadable or doubtful,
/// or a previous snapshot or the register could not be used. `check`: read, with problems.
pub const INCOMPLETE: u8 = 3;
