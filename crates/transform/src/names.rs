//! Name keys for matching people.
//!
//! Three keys per name, from strict to loose: the exact form (NFC, lower case, spaces
//! collapsed); the tone key, where each syllable's tone mark is moved to a fixed place, so
//! that old and new tone placement ("hoà" / "hòa", "thuỷ" / "thủy", "khoẻ" / "khỏe") agree;
//! and the plain key without any diacritics (đ → d), for blocking and a weaker level.

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
        let exact = clean(name).to_lowercase();
        let tone = exact.split(' ').map(tone_key).collect::<Vec<_>>().join(" ");
        let plain = fold(&exact);
        let mut words = plain.split(' ');
        let family = words.next().unwrap_or_default().to_owned();
        let given = plain.rsplit(' ').next().unwrap_or_default().to_owned();
        Self { exact, tone, plain, given, family }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn plain_key_and_parts() {
        let k = NameKeys::new("  NGUYỄN  Văn Đức ");
        assert_eq!(k.exact, "nguyễn văn đức");
        assert_eq!(k.plain, "nguyen van duc");
        assert_eq!((k.family.as_str(), k.given.as_str()), ("nguyen", "duc"));
    }
}
