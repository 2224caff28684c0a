//! Per-thread memos of pure text functions: a country's quarter of a million rows repeat a
//! few hundred spellings of each coded field and a few thousand name syllables, each worked
//! out once per thread instead of once per cell. A memo holds a bounded number of texts and
//! starts over when full.

/// Texts a memo holds before it starts over.
pub const REMEMBERED: usize = 4096;

/// `work(raw)`, from `seen` when it is there.
pub fn remember<T: Clone>(seen: &mut Memo<T>, raw: &str, work: impl FnOnce(&str) -> T) -> T {
    if let Some(v) = seen.get(raw) {
        return v.clone();
    }
    if seen.len() >= REMEMBERED {
        seen.clear();
    }
    let v = work(raw);
    seen.insert(raw.to_owned(), v.clone());
    v
}

/// A memo's texts and what was worked out from them.
pub type Memo<T> = rustc_hash::FxHashMap<String, T>;

/// `$work($raw)` (a `fn(&str) -> $t`) through a per-thread memo of its own, declared where
/// the macro is written.
#[macro_export]
macro_rules! remembered {
    ($t:ty, $raw:expr, $work:expr) => {{
        thread_local! {
            static SEEN: std::cell::RefCell<$crate::memo::Memo<$t>> = std::cell::RefCell::new(Default::default());
        }
        SEEN.with_borrow_mut(|seen| $crate::memo::remember(seen, $raw, $work))
    }};
}
pub use remembered;
