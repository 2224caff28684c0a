//! Vietnamese text keys: NFC, accent folding, case folding and whitespace collapsing.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Returns `s` in Unicode NFC with runs of whitespace (including non-breaking spaces and
/// line breaks) collapsed to one space and trimmed.
pub fn clean(s: &str) -> String {
    // Text read from returns is already composed nearly always: only what is not (or may
    // not be) goes through the composition.
    if is_plainly_nfc(s) || unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return collapse_whitespace(s);
    }
    let nfc: String = s.nfc().collect();
    collapse_whitespace(&nfc)
}

/// Whether every character of `s` is one that NFC leaves as it is whatever follows it:
/// below U+0300 (where the combining marks start) or a precomposed Latin letter of
/// U+1E00–U+1EFF (every Vietnamese letter with a tone mark). Told from the bytes, as it
/// runs on every text cell: lead bytes below 0xCC, or 0xE1 0xB8–0xBB.
fn is_plainly_nfc(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0..0x80 => i += 1,
            0xC2..0xCC => i += 2,
            0xE1 if matches!(bytes.get(i + 1), Some(0xB8..=0xBB)) => i += 3,
            _ => return false,
        }
    }
    true
}

/// Collapses every run of whitespace to a single ASCII space and trims the ends.
pub fn collapse_whitespace(s: &str) -> String {
    if is_collapsed(s) {
        return s.to_owned();
    }
    collapse_by_words(s)
}

fn collapse_by_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `s` has no whitespace but single ASCII spaces between words, told from its
/// bytes: nearly every cell of a return is so, and then it is copied as it is. A lead byte
/// of a non-ASCII space sends the text the long way (0xC2 for U+0085 and U+00A0, 0xE1 0x9A
/// for U+1680, 0xE2 for U+2000–U+205F, 0xE3 for U+3000), as does any ASCII whitespace but
/// a single space inside.
fn is_collapsed(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t'..=b'\r' | 0xC2 | 0xE2 | 0xE3 => return false,
            0xE1 if bytes.get(i + 1) == Some(&0x9A) => return false,
            _ => after_space = false,
        }
    }
    true
}

/// The accent-, case- and whitespace-insensitive key of `s`: diacritics removed (đ → d),
/// lower case, whitespace collapsed. "Hoà", "Hòa", "HOA" and "hoa" share the key "hoa".
///
/// Works character by character (a precomposed letter gives its base letter, a combining
/// mark is dropped), so it costs about as much as copying the string: it runs on every
/// cell of every return.
pub fn fold(s: &str) -> String {
    fold_with(s, |c| c.is_whitespace() || c == '\u{a0}')
}

/// Folds `s` character by character; characters whose folded form `is_separator` says
/// separate words become single spaces (none at the ends).
fn fold_with(s: &str, is_separator: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        // Folding first leaves (nearly always) an ASCII letter, cheap to test.
        let Some(base) = fold_char(c) else { continue };
        if is_separator(base) {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if base.is_ascii() {
            out.push(base);
        } else {
            out.extend(base.to_lowercase());
        }
    }
    out
}

/// The folded form of one character: lower-case base letter, `None` for a combining
/// mark (see [`fold`]).
pub fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() { Some(c.to_ascii_lowercase()) } else { base_letter(c) }
}

/// The base letter of a non-ASCII character, lower case; `None` for a combining mark.
/// Latin letters with diacritics (every Vietnamese letter among them) come from a table
/// built once, as this runs on every character of every cell.
fn base_letter(c: char) -> Option<char> {
    static LATIN: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let code = c as u32;
    let index = match code {
        0x80..0x250 => Some(code - 0x80),
        0x1E00..0x1F00 => Some(code - 0x1E00 + 0x1D0),
        _ => None,
    };
    if let Some(index) = index {
        let table = LATIN.get_or_init(|| {
            (0x80..0x250_u32)
                .chain(0x1E00..0x1F00)
                .map(|u| char::from_u32(u).and_then(base_letter_uncached).unwrap_or('\0'))
                .collect()
        });
        let base = table[index as usize];
        return (base != '\0').then_some(base);
    }
    base_letter_uncached(c)
}

fn base_letter_uncached(c: char) -> Option<char> {
    if is_combining_mark(c) {
        return None;
    }
    if matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð') {
        return Some('d');
    }
    let mut first = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if first.is_none() {
            first = Some(d);
        }
    });
    first.map(|f| f.to_lowercase().next().unwrap_or(f))
}

/// Like [`fold`], but every character that is not a letter or digit becomes a space, so
/// that "T/M ĐẢNG ỦY" and "Sơn-Hà" split into words. Mixed case is kept whole ("ThS").
pub fn fold_words(s: &str) -> String {
    fold_with(s, |c| !c.is_alphanumeric())
}

/// Like [`fold_words`], and CamelCase words are split too ("SonHa" → "son ha"), as
/// clerks name files that way. For names of places, not for codes ("ThS" would split).
pub fn fold_name_words(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut spaced = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        // "SonHa" splits before "Ha"; "ĐảNG" (capitals typed with a legacy font) does not.
        let camel = i > 0
            && c.is_uppercase()
            && chars[i - 1].is_lowercase()
            && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if camel {
            spaced.push(' ');
        }
        spaced.push(if c.is_alphanumeric() || is_combining_mark(c) { c } else { ' ' });
    }
    fold(&spaced)
}

/// Whether `needle` (already folded into words) occurs in `haystack` (folded into words)
/// as a whole-word sequence. Returns the byte offset of the first occurrence.
pub fn find_words(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut start = 0;
    while let Some(pos) = haystack[start..].find(needle) {
        let at = start + pos;
        let end = at + needle.len();
        let before_ok = at == 0 || haystack.as_bytes()[at - 1] == b' ';
        let after_ok = end == haystack.len() || haystack.as_bytes()[end] == b' ';
        if before_ok && after_ok {
            return Some(at);
        }
        start = at + 1;
        while !haystack.is_char_boundary(start) {
            start += 1;
        }
    }
    None
}

/// The five Vietnamese tone marks as combining characters.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A syllable with its tone mark removed from wherever it was and put after the letters:
/// "hoà" and "hòa" both give "hoa\u{300}", so that old and new tone placement agree.
pub fn tone_key(syllable: &str) -> String {
    crate::memo::remembered!(String, syllable, tone_key_uncached)
}

fn tone_key_uncached(syllable: &str) -> String {
    let mut tone = None;
    let letters: String = syllable
        .nfd()
        .filter(|c| {
            if TONES.contains(c) {
                tone = Some(*c);
                false
            } else {
                true
            }
        })
        .collect::<String>()
        .nfc()
        .collect();
    match tone {
        Some(t) => format!("{letters}{t}"),
        None => letters,
    }
}

/// A title written before a name ("Đ/c Lục Văn Toản", "Đồng chí …", "Ông Hoàng Văn Tài", "Bà
/// Chu Thị Lụa").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameTitle {
    /// "Đ/c", "Đồng chí".
    Comrade,
    /// "Ông".
    Mr,
    /// "Bà".
    Mrs,
}

/// The title before a name and the name after it, when the first word is one. "Ông" and
/// "Đồng" are family names too: before a middle name ("Ông Thị Thu Hà", "Đồng Chí Văn
/// Thành") there is no title, and "Ông" is taken as one only before three words or more.
pub fn split_name_title(name: &str) -> Option<(NameTitle, &str)> {
    let (first, rest) = name.trim_start().split_once(' ')?;
    let middle_next = |after: &str| {
        after.split_whitespace().next().is_some_and(|w| matches!(w.to_lowercase().as_str(), "văn" | "thị"))
    };
    let first = first.to_lowercase();
    let words = rest.split_whitespace().count();
    if middle_next(rest) {
        return None;
    }
    match first.as_str() {
        "đ/c" | "đc" | "đ.c" | "đ/chí" if words >= 2 => Some((NameTitle::Comrade, rest)),
        "đồng" => {
            let after = rest.strip_prefix("chí ").or_else(|| rest.strip_prefix("Chí "))?;
            (after.split_whitespace().count() >= 2 && !middle_next(after)).then_some((NameTitle::Comrade, after))
        }
        "ông" if words >= 3 => Some((NameTitle::Mr, rest)),
        "bà" if words >= 2 => Some((NameTitle::Mrs, rest)),
        _ => None,
    }
}

/// A person's name in the canonical form: NFC, whitespace collapsed, each word with a
/// capital first letter and the rest lower case ("NGUYỄN văn  tằng" → "Nguyễn Văn Tằng").
pub fn title_case_name(s: &str) -> String {
    let cleaned = clean(s);
    // Names are nearly always written so already: then they are taken as they are.
    if is_title_case(&cleaned) {
        return cleaned;
    }
    title_case_words(&cleaned)
}

/// Each space-separated word of `s` with its first character in upper case and the rest
/// in lower case.
fn title_case_words(s: &str) -> String {
    let mut name = String::with_capacity(s.len());
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            name.push(' ');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.extend(chars.flat_map(char::to_lowercase));
        }
    }
    name
}

/// Whether [`title_case_name`] would leave the cleaned `name` as it is: each word's first
/// character its own upper case, every other its own lower case.
fn is_title_case(name: &str) -> bool {
    fn maps_to_itself(c: char, mut mapped: impl Iterator<Item = char>) -> bool {
        mapped.next() == Some(c) && mapped.next().is_none()
    }
    let mut word_start = true;
    name.chars().all(|c| {
        let first = std::mem::replace(&mut word_start, c == ' ');
        match (c.is_ascii(), first) {
            (true, true) => !c.is_ascii_lowercase(),
            (true, false) => !c.is_ascii_uppercase(),
            (false, true) => maps_to_itself(c, c.to_uppercase()),
            (false, false) => maps_to_itself(c, c.to_lowercase()),
        }
    })
}

/// A TOML basic string: quotes, backslashes and control characters escaped (what tonghop
/// writes into a configuration or decisions file reads back as itself).
pub fn toml_string(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_without_stray_whitespace_is_taken_as_collapsed() {
        // Every whitespace character of Unicode, inside, doubled, at either end.
        let spaces: Vec<char> =
            (0..=u32::from(char::MAX)).filter_map(char::from_u32).filter(|c| c.is_whitespace()).collect();
        assert!(spaces.len() > 20 && spaces.contains(&'\u{a0}') && spaces.contains(&'\u{1680}'));
        for c in spaces {
            for text in [format!("Nguyễn{c}Văn"), format!("{c}Lò"), format!("Lò{c}"), format!("Hà  Thị{c}")] {
                if c != ' ' {
                    assert!(!is_collapsed(&text), "{text:?}");
                }
                assert_eq!(collapse_whitespace(&text), collapse_by_words(&text), "{text:?}");
            }
        }
        // Vietnamese letters share the lead byte 0xE1 with U+1680 and are taken as they are.
        for text in ["Nguyễn Thị Thuỷ", "Đặng Văn Ất", "Hoàng A Phủ", "x", ""] {
            assert!(is_collapsed(text), "{text:?}");
            assert_eq!(collapse_whitespace(text), collapse_by_words(text));
        }
    }

    #[test]
    fn remembered_tone_keys_are_those_of_the_syllable() {
        // Asked again, and after the memo has started over, each syllable gets its own key.
        for round in 0..2 {
            for s in ["hoà", "hòa", "thuỷ", "thủy", "nguyễn", "văn", "a"] {
                assert_eq!(tone_key(s), tone_key_uncached(s), "{s} round {round}");
            }
            for i in 0..crate::memo::REMEMBERED + 10 {
                let filler = format!("x{i}");
                assert_eq!(tone_key(&filler), filler);
            }
        }
        assert_eq!(tone_key("hoà"), tone_key("hòa"));
        assert_ne!(tone_key("hoà"), tone_key("hóa"));
    }

    #[test]
    fn fold_removes_tones_case_and_d_stroke() {
        assert_eq!(fold("  Đảng ỦY   viên "), "dang uy vien");
        assert_eq!(fold("Hoà"), fold("Hòa"));
        assert_eq!(fold("Thuỷ"), "thuy");
    }

    #[test]
    fn fold_handles_decomposed_input() {
        let nfd: String = "Nguyễn".nfd().collect();
        assert_eq!(fold(&nfd), "nguyen");
    }

    #[test]
    fn fold_words_splits_punctuation_and_camel_case() {
        assert_eq!(fold_name_words("BC_thang2-SonHa (sua lan 2).xlsx"), "bc thang2 son ha sua lan 2 xlsx");
        assert_eq!(fold_words("T/M ĐẢNG ỦY"), "t m dang uy");
        assert_eq!(fold_words("ThS Luật"), "ths luat");
        assert_eq!(fold_name_words("ĐảNG ủY Xã YÊN VƯợNG"), "dang uy xa yen vuong");
    }

    #[test]
    fn the_folding_table_agrees_with_unicode_decomposition() {
        for c in (0x80..0x3000_u32).chain(0x1E00..0x1F00).filter_map(char::from_u32) {
            assert_eq!(base_letter(c), base_letter_uncached(c), "{c:?}");
            // One pass over the characters gives what spacing punctuation and folding
            // after it gives.
            let text = format!("a{c}b {c}");
            let spaced: String =
                text.chars().map(|c| if c.is_alphanumeric() || is_combining_mark(c) { c } else { ' ' }).collect();
            assert_eq!(fold_words(&text), fold(&spaced), "{c:?}");
        }
    }

    #[test]
    fn find_words_respects_word_boundaries() {
        assert_eq!(find_words("xa hoa son", "son ha"), None);
        assert_eq!(find_words("dang bo xa son ha", "son ha"), Some(11));
        assert_eq!(find_words("xa minh hoang", "minh hoa"), None);
    }

    #[test]
    fn plainly_composed_text_is_what_the_full_check_says_is_composed() {
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        // Every character up to the end of the Latin blocks, alone and before a combining
        // mark (which composes with some of them), and the Vietnamese alphabet.
        for c in (0..0x2000_u32).filter_map(char::from_u32) {
            for text in [format!("{c}"), format!("a{c}b"), format!("{c}\u{301}")] {
                if is_plainly_nfc(&text) {
                    assert_eq!(is_nfc_quick(text.chars()), IsNormalized::Yes, "{text:?}");
                    assert_eq!(text.nfc().collect::<String>(), text, "{text:?}");
                }
            }
        }
        for text in ["Nguyễn Thị Thuỷ", "ĐẶNG VĂN ẤT", "Hoàng A Phủ", "x", ""] {
            assert!(is_plainly_nfc(text), "{text:?}");
        }
        // A combining mark, or a letter outside the ranges, goes the long way.
        for text in ["Nguye\u{302}\u{303}n", "Ω", "\u{2000}"] {
            assert!(!is_plainly_nfc(text), "{text:?}");
        }
    }

    #[test]
    fn a_name_taken_as_it_is_is_the_name_title_case_would_make() {
        for name in [
            "Nguyễn Văn Tằng",
            "Đặng Thị Ất",
            "Hoàng A Phủ",
            "Lò Văn Ơn",
            "Nguyễn văn Tằng",
            "NGUYỄN Văn",
            "Nguyễn VĂn",
            "Lê Văn đức",
            "Ǆemal",
            "ǅemal",
            "Mc Donald",
            "McDonald",
            "Ông Ích Khiêm",
            "Đinh Thị Ánh-Nguyệt",
            "Hà 2",
            "",
        ] {
            let slow = title_case_words(name);
            assert_eq!(is_title_case(name), slow == name, "{name:?}");
            assert_eq!(title_case_name(name), slow, "{name:?}");
        }
    }

    #[test]
    fn title_case_keeps_diacritics() {
        assert_eq!(title_case_name("NGUYỄN  văn tằng"), "Nguyễn Văn Tằng");
        assert_eq!(clean("Nguy\u{0065}\u{0302}\u{0303}n"), "Nguyễn");
    }
}
