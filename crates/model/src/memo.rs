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
    let v = work(raw);
    keep(seen, raw, v.clone());
    v
}

/// `work(raw)` as it is held in `seen`, without a copy: for what the caller only reads
/// (a name's syllables are appended to its keys).
pub fn remember_ref<'m, T>(seen: &'m mut Memo<T>, raw: &str, work: impl FnOnce(&str) -> T) -> &'m T {
    if !seen.contains_key(raw) {
        let v = work(raw);
        keep(seen, raw, v);
    }
    &seen[raw]
}

/// Holds `v` for `raw`, starting over when the memo is full.
fn keep<T>(seen: &mut Memo<T>, raw: &str, v: T) {
    if seen.len() >= REMEMBERED {
        seen.clear();
    }
    seen.insert(raw.to_owned(), v);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_worked_out_once_until_the_memo_starts_over() {
        let calls = std::cell::Cell::new(0);
        let work = |raw: &str| {
            calls.set(calls.get() + 1);
            raw.len()
        };
        let mut seen = Memo::default();
        assert_eq!(remember(&mut seen, "abc", work), 3);
        assert_eq!(*remember_ref(&mut seen, "abc", work), 3);
        assert_eq!(remember(&mut seen, "abc", work), 3);
        assert_eq!(calls.get(), 1);
        // Full: the next new text starts the memo over, by either door.
        for i in 1..REMEMBERED {
            remember(&mut seen, &i.to_string(), work);
        }
        assert_eq!(seen.len(), REMEMBERED);
        assert_eq!(*remember_ref(&mut seen, "new", work), 3);
        assert_eq!(seen.len(), 1);
        let before = calls.get();
        assert_eq!(remember(&mut seen, "abc", work), 3);
        assert_eq!(calls.get(), before + 1, "worked out again after the memo started over");
    }
}
