//! Legacy Vietnamese encodings: TCVN3 (ABC, fonts `.VnTime`, `.VnArial`...) and
//! VNI-Windows (fonts `VNI-Times`...), as they appear in spreadsheet cells, i.e. as the
//! Windows-1252 characters of their bytes. Decoding works on characters, not bytes.
//!
//! The encoding is taken from a cell's font where the format exposes it (xlsx), and
//! otherwise detected from the characters of a whole sheet. Text that already holds
//! Unicode Vietnamese letters is never decoded again.

use std::sync::OnceLock;

/// The mapping table (see `data/vn-legacy-encodings.tsv` for its sources).
const TABLE: &str = include_str!("../data/vn-legacy-encodings.tsv");

/// A legacy encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Legacy {
    /// TCVN3 / ABC.
    Tcvn3,
    /// VNI-Windows.
    Vni,
}

impl Legacy {
    /// Name used in the intake ("tcvn3", "vni").
    pub fn key(self) -> &'static str {
        match self {
            Self::Tcvn3 => "tcvn3",
            Self::Vni => "vni",
        }
    }
}

/// The tables, indexed for lookups on every character: every legacy character of both
/// encodings is below U+0100.
struct Tables {
    /// Legacy character → Unicode letter, `'\0'` where there is none.
    tcvn3: [char; 256],
    vni_single: [char; 256],
    /// (base letter, mark) as `base << 8 | mark`, sorted, → Unicode letter.
    vni_pairs: Vec<(u16, char)>,
}

fn byte_of(c: char) -> Option<usize> {
    let code = c as u32;
    (code < 256).then_some(code as usize)
}

impl Tables {
    fn tcvn3(&self, c: char) -> Option<char> {
        byte_of(c).map(|i| self.tcvn3[i]).filter(|u| *u != '\0')
    }

    fn vni_single(&self, c: char) -> Option<char> {
        byte_of(c).map(|i| self.vni_single[i]).filter(|u| *u != '\0')
    }

    fn vni_pair(&self, base: char, mark: char) -> Option<char> {
        let key = (byte_of(base)? << 8 | byte_of(mark)?) as u16;
        self.vni_pairs.binary_search_by_key(&key, |p| p.0).ok().map(|i| self.vni_pairs[i].1)
    }
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Tables { tcvn3: ['\0'; 256], vni_single: ['\0'; 256], vni_pairs: Vec::new() };
        for line in TABLE.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let Some(unicode) = cols.first().and_then(|s| s.chars().next()) else { continue };
            if let Some(i) = cols.get(3).and_then(|s| s.chars().next()).and_then(byte_of) {
                t.tcvn3[i] = unicode;
            }
            let vni: Vec<char> = cols.get(5).map(|s| s.chars().collect()).unwrap_or_default();
            match vni.as_slice() {
                [a, b] => {
                    if let (Some(a), Some(b)) = (byte_of(*a), byte_of(*b)) {
                        t.vni_pairs.push(((a << 8 | b) as u16, unicode));
                    }
                }
                [a] if *a != unicode => {
                    if let Some(i) = byte_of(*a) {
                        t.vni_single[i] = unicode;
                    }
                }
                _ => {}
            }
        }
        t.vni_pairs.sort_unstable();
        t.vni_pairs.dedup_by_key(|p| p.0);
        t
    })
}

/// The encoding a font name implies: `.VnTime`, `.VnArialH` → TCVN3 (the `H` fonts are
/// all capitals); `VNI-Times` → VNI.
pub fn font_encoding(font: &str) -> Option<(Legacy, bool)> {
    let f = font.trim();
    if f.starts_with(".Vn") || f.starts_with(".VN") {
        Some((Legacy::Tcvn3, f.ends_with('H')))
    } else if f.to_ascii_uppercase().starts_with("VNI") {
        Some((Legacy::Vni, false))
    } else {
        None
    }
}

/// Whether text holds letters that only Unicode Vietnamese has (ă, đ, ơ, ư, ạ...ỹ,
/// combining marks): such text is never decoded.
pub fn is_unicode_vietnamese(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32, 0x0102 | 0x0103 | 0x0110 | 0x0111 | 0x0128 | 0x0129 | 0x0168 | 0x0169 | 0x01A0 | 0x01A1 | 0x01AF | 0x01B0 | 0x0300..=0x036F | 0x1EA0..=0x1EF9)
    })
}

/// Latin-1 letters that Unicode Vietnamese uses; any other character of U+0080–U+00FF is
/// a sign of legacy text.
fn is_vietnamese_latin1(c: char) -> bool {
    matches!(
        c,
        'à' | 'á'
            | 'â'
            | 'ã'
            | 'è'
            | 'é'
            | 'ê'
            | 'ì'
            | 'í'
            | 'ò'
            | 'ó'
            | 'ô'
            | 'õ'
            | 'ù'
            | 'ú'
            | 'ý'
            | 'À'
            | 'Á'
            | 'Â'
            | 'Ã'
            | 'È'
            | 'É'
            | 'Ê'
            | 'Ì'
            | 'Í'
            | 'Ò'
            | 'Ó'
            | 'Ô'
            | 'Õ'
            | 'Ù'
            | 'Ú'
            | 'Ý'
    )
}

/// Vowel pairs of Unicode Vietnamese that look like a VNI letter + mark ("oà" in Hoàng,
/// "oá" in Khoá, "uý" in Thuý, "uâ" in Tuân...).
fn is_unicode_diphthong(first: char, second: char) -> bool {
    matches!(
        (first.to_ascii_lowercase(), second.to_lowercase().next().unwrap_or(second)),
        ('o', 'à' | 'á' | 'ã' | 'è' | 'é')
            | ('u', 'ý' | 'â' | 'ê' | 'ô' | 'à' | 'á' | 'ã' | 'ì' | 'í' | 'ò' | 'ó' | 'õ')
            | ('i', 'à' | 'á' | 'ê')
            | ('a', 'ì' | 'í' | 'ó' | 'ò' | 'ù' | 'ú' | 'ý')
            | ('e', 'ó' | 'ò' | 'ù' | 'ú')
            | ('y', 'ê')
    )
}

fn is_legacy_sign(c: char) -> bool {
    (0x80..=0xFF).contains(&(c as u32)) && !is_vietnamese_latin1(c)
}

/// Decodes legacy text. `upper` uppercases the result (TCVN3 capital fonts).
pub fn decode(text: &str, encoding: Legacy, upper: bool) -> String {
    let t = tables();
    let decoded: String = match encoding {
        Legacy::Tcvn3 => text.chars().map(|c| t.tcvn3(c).unwrap_or(c)).collect(),
        Legacy::Vni => {
            let chars: Vec<char> = text.chars().collect();
            let mut out = String::with_capacity(text.len());
            let mut i = 0;
            while i < chars.len() {
                if let Some(u) = chars.get(i + 1).and_then(|n| t.vni_pair(chars[i], *n)) {
                    out.push(u);
                    i += 2;
                } else {
                    out.push(t.vni_single(chars[i]).unwrap_or(chars[i]));
                    i += 1;
                }
            }
            out
        }
    };
    if upper { decoded.to_uppercase() } else { decoded }
}

/// Evidence in a set of texts: characters that only TCVN3 explains, characters that only
/// VNI explains, cells with such signs, and cells that are plainly Unicode Vietnamese.
/// Only characters that Unicode Vietnamese never uses count, so "Hoàng" (Unicode) is not
/// taken for the VNI pair "oà".
fn evidence<'a>(texts: impl Iterator<Item = &'a str>) -> (usize, usize, usize, usize) {
    let t = tables();
    let (mut tcvn, mut vni, mut legacy_cells, mut unicode_cells) = (0, 0, 0, 0);
    // Names, titles and codes are short; long free text adds nothing but time.
    for text in texts.filter(|t| t.len() <= 1000 && !t.is_ascii()) {
        if is_unicode_vietnamese(text) {
            unicode_cells += 1;
            continue;
        }
        let before = tcvn + vni;
        let mut previous = '\0';
        for c in text.chars() {
            let pair = !c.is_ascii()
                && previous != '\0'
                && t.vni_pair(previous, c).is_some()
                && !is_unicode_diphthong(previous, c);
            previous = c;
            if pair {
                vni += 1;
            }
            if !is_legacy_sign(c) {
                continue;
            }
            if t.tcvn3(c).is_some() {
                tcvn += 1;
            }
            if !pair && t.vni_single(c).is_some() {
                vni += 1;
            }
        }
        if tcvn + vni > before {
            legacy_cells += 1;
        }
    }
    (tcvn, vni, legacy_cells, unicode_cells)
}

/// The legacy encoding of a sheet's texts, if they carry clear signs of one and are not
/// mostly Unicode Vietnamese already.
pub fn detect<'a>(texts: impl Iterator<Item = &'a str>) -> Option<Legacy> {
    detect_with_signs(texts).0
}

/// [`detect`], and whether any text carried a legacy sign (so that cells may be judged one
/// by one when the sheet as a whole shows no encoding).
pub fn detect_with_signs<'a>(texts: impl Iterator<Item = &'a str>) -> (Option<Legacy>, bool) {
    let found = evidence(texts);
    let signs = found.2 > 0;
    let legacy = match found {
        (t, v, legacy, unicode) if t.max(v) < 2 || legacy == 0 || legacy < unicode => None,
        (t, v, _, _) if t >= v => Some(Legacy::Tcvn3),
        _ => Some(Legacy::Vni),
    };
    (legacy, signs)
}

/// The legacy encoding of one cell's text, when the cell alone carries clear signs of one
/// and decodes to Vietnamese: for a workbook whose cells mix Unicode and legacy text, where
/// the sheet as a whole shows no single encoding.
///
/// `seen` is the encoding other cells of the sheet were found in: a cell with a single
/// legacy sign ("CAÉT") is decoded only in its company.
pub fn detect_cell(text: &str, seen: Option<Legacy>) -> Option<Legacy> {
    let needed = |legacy| if seen == Some(legacy) { 1 } else { 2 };
    let legacy = match evidence(std::iter::once(text)) {
        (t, v, 1, 0) if t >= v && t >= needed(Legacy::Tcvn3) => Legacy::Tcvn3,
        (t, v, 1, 0) if v > t && v >= needed(Legacy::Vni) => Legacy::Vni,
        _ => return None,
    };
    is_unicode_vietnamese(&decode(text, legacy, false)).then_some(legacy)
}

/// Decodes `text` if it needs it: not already Unicode Vietnamese, and holding characters
/// outside ASCII.
pub fn decode_if_legacy(text: &str, encoding: Legacy, upper: bool) -> Option<String> {
    if is_unicode_vietnamese(text) || text.is_ascii() {
        return if upper && encoding == Legacy::Tcvn3 && !is_unicode_vietnamese(text) {
            Some(text.to_uppercase())
        } else {
            None
        };
    }
    Some(decode(text, encoding, upper))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vectors_decode() {
        assert_eq!(decode("NguyÔn V¨n Hïng", Legacy::Tcvn3, false), "Nguyễn Văn Hùng");
        assert_eq!(decode("TrÇn ThÞ Thuû", Legacy::Tcvn3, false), "Trần Thị Thuỷ");
        assert_eq!(decode("Nguyeãn Vaên Huøng", Legacy::Vni, false), "Nguyễn Văn Hùng");
        assert_eq!(decode("§¶ng", Legacy::Tcvn3, false), "Đảng");
    }

    #[test]
    fn tcvn3_capital_fonts_are_uppercased() {
        assert_eq!(font_encoding(".VnTimeH"), Some((Legacy::Tcvn3, true)));
        assert_eq!(font_encoding(".VnTime"), Some((Legacy::Tcvn3, false)));
        assert_eq!(font_encoding("VNI-Times"), Some((Legacy::Vni, false)));
        assert_eq!(font_encoding("Times New Roman"), None);
        assert_eq!(decode("nguyÔn v¨n hïng", Legacy::Tcvn3, true), "NGUYỄN VĂN HÙNG");
    }

    #[test]
    fn detection_from_characters() {
        assert_eq!(detect(["NguyÔn V¨n Hïng", "Trung cÊp"].into_iter()), Some(Legacy::Tcvn3));
        assert_eq!(detect(["Nguyeãn Vaên Huøng", "Trung caáp"].into_iter()), Some(Legacy::Vni));
        assert_eq!(detect(["Nguyễn Văn Hùng", "Hòa", "Lò Văn Tày"].into_iter()), None);
        assert_eq!(detect(["Nguyen Van Hung"].into_iter()), None);
        assert_eq!(detect(["Phó Chánh Thanh tra", "Hoàng Thị Hà", "Lò Văn Tày", "Đảng ủy"].into_iter()), None);
    }

    #[test]
    fn unicode_is_never_decoded_again() {
        assert_eq!(decode_if_legacy("Nguyễn Văn Hùng", Legacy::Tcvn3, false), None);
        assert_eq!(decode_if_legacy("Nguyen", Legacy::Vni, false), None);
        assert_eq!(decode_if_legacy("V¨n", Legacy::Tcvn3, false).as_deref(), Some("Văn"));
    }
}
