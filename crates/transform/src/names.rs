//! Name keys for matching people.
//!
//! Three keys per name, from strict to loose: the exact form (NFC, lower case, spaces
//! collapsed); the tone key, where each syllable's tone mark is moved to a fixed place, so
//! that old and new tone placement ("hoà" / "hòa", "thuỷ" / "thủy", "khoẻ" / "khỏe") agree;
//! and the plain key without any diacritics (đ → d), for blocking and a weaker level.

use std::cell::RefCell;

use tonghop_model::memo::{Memo, remember_ref};
use tonghop_model::text::{clean, fold, tone_key};

/// The keys of one name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameKeys {
    /// NFC, lower case.
    pub exact: String,
    /// Tone marks at a canonical place in each syllable.
    pub tone: String,
    /// No diacritics.
    pub plain: String,
    /// The given name (last word), plain.
    pub given: String,
    /// The family name (first word), plain.
    pub family: String,
}

impl NameKeys {
    /// Keys of a full name.
    pub fn new(name: &str) -> Self {
        let cleaned = clean(name);
        let mut keys = Self {
            exact: String::with_capacity(cleaned.len()),
            tone: String::with_capacity(cleaned.len() + 8),
            plain: String::with_capacity(cleaned.len()),
            given: String::new(),
            family: String::new(),
        };
        // A quarter of a million names are made of a few thousand syllables: each
        // syllable's three forms are worked out once per thread.
        thread_local! {
            static SYLLABLES: RefCell<Memo<[Box<str>; 3]>> = RefCell::new(Memo::default());
        }
        SYLLABLES.with_borrow_mut(|seen| {
            for (i, word) in cleaned.split(' ').enumerate() {
                let [exact, tone, plain] = remember_ref(seen, word, syllable_keys);
                if i > 0 {
                    keys.exact.push(' ');
                    keys.tone.push(' ');
                }
                keys.exact.push_str(exact);
                keys.tone.push_str(tone);
                // A syllable may fold to nothing (a lone mark): the plain key has no empty words.
                if !plain.is_empty() {
                    if !keys.plain.is_empty() {
                        keys.plain.push(' ');
                    }
                    keys.plain.push_str(plain);
                }
            }
        });
        keys.family = keys.plain.split(' ').next().unwrap_or_default().to_owned();
        keys.given = keys.plain.rsplit(' ').next().unwrap_or_default().to_owned();
        keys
    }
}

/// A syllable's exact (lower case), tone and plain forms.
fn syllable_keys(syllable: &str) -> [Box<str>; 3] {
    let exact = syllable.to_lowercase();
    let tone = tone_key(&exact);
    let plain = fold(&exact);
    [exact.into(), tone.into(), plain.into()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonghop_model::memo::REMEMBERED;

    #[test]
    fn old_and_new_tone_placement_agree() {
        for (old, new) in [("Nguyễn Thị Hoà", "Nguyễn Thị Hòa"), ("Lê Thuỷ", "Lê Thủy"), ("Vi Văn Khoẻ", "Vi Văn Khỏe")]
        {
            let (a, b) = (NameKeys::new(old), NameKeys::new(new));
            assert_ne!(a.exact, b.exact, "{old}");
            assert_eq!(a.tone, b.tone, "{old}");
        }
        assert_ne!(NameKeys::new("Hoà").tone, NameKeys::new("Hóa").tone);
        assert_ne!(NameKeys::new("Hùng").tone, NameKeys::new("Hưng").tone);
    }

    /// The keys as they are defined: the whole name lower-cased, each syllable's tone key,
    /// the whole name folded.
    fn keys_by_definition(name: &str) -> NameKeys {
        let exact = clean(name).to_lowercase();
        let tone = exact.split(' ').map(tone_key).collect::<Vec<_>>().join(" ");
        let plain = fold(&exact);
        let family = plain.split(' ').next().unwrap_or_default().to_owned();
        let given = plain.rsplit(' ').next().unwrap_or_default().to_owned();
        NameKeys { exact, tone, plain, given, family }
    }

    #[test]
    fn keys_made_syllable_by_syllable_are_the_keys_of_the_whole_name() {
        let names = [
            "Nguyễn Văn Đức",
            "  NGUYỄN  văn   tằng ",
            "Nguye\u{302}\u{303}n Thị Thuỷ",
            "Lê Thủy",
            "Hoàng A Phủ",
            "ĐẶNG \u{301} Ất",
            "\u{301}",
            "Ὀδυσσεύς ΣΟΦΟΣ",
            "Nguyễn\u{a0}Văn\tAn",
            "",
            "   ",
        ];
        // Twice each, the second time from the memo; and once more after it started over.
        for _ in 0..2 {
            for name in names {
                assert_eq!(NameKeys::new(name), keys_by_definition(name), "{name:?}");
            }
        }
        for i in 0..REMEMBERED + 10 {
            let name = format!("Nguyễn Văn {i}");
            assert_eq!(NameKeys::new(&name), keys_by_definition(&name), "{name:?}");
        }
        for name in names {
            assert_eq!(NameKeys::new(name), keys_by_definition(name), "{name:?}");
        }
    }

    #[test]
    fn plain_key_and_parts() {
        let k = NameKeys::new("  NGUYỄN  Văn Đức ");
        assert_eq!(k.exact, "nguyễn văn đức");
        assert_eq!(k.plain, "nguyen van duc");
        assert_eq!((k.family.as_str(), k.given.as_str()), ("nguyen", "duc"));
    }
}
