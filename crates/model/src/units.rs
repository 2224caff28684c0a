//! The unit registry: which units report, when they existed, and how free text names them.
//!
//! The format is the TOML of `huu-lung-units.toml`: one optional `[district]` table and a
//! list of `[[unit]]` tables. A unit code is not unique over time (a merged commune may
//! inherit a predecessor's code), so a unit is identified by its index in the registry,
//! and by (code, date) in the outside world.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::period::Period;
use crate::text::fold_name_words as fold_words;

/// The embedded default registry: Hữu Lũng's units up to 2025-06-30.
pub const HUU_LUNG_UNITS_TOML: &str = include_str!("../data/huu-lung-units.toml");
/// The embedded communes that replaced Hữu Lũng district on 2025-07-01.
pub const HUU_LUNG_2025_COMMUNES_TOML: &str = include_str!("../data/huu-lung-2025-communes.toml");

/// The kind of a reporting unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Commune (xã).
    Xa,
    /// Town (thị trấn).
    ThiTran,
    /// Ward (phường).
    Phuong,
    /// District agency or board (phòng, ban, cơ quan cấp huyện).
    CoQuanHuyen,
}

impl UnitKind {
    /// Whether the unit is at commune level (xã, thị trấn, phường).
    pub fn is_commune_level(self) -> bool {
        !matches!(self, Self::CoQuanHuyen)
    }

    /// The registry key of the kind.
    pub fn key(self) -> &'static str {
        match self {
            Self::Xa => "xa",
            Self::ThiTran => "thi_tran",
            Self::Phuong => "phuong",
            Self::CoQuanHuyen => "co_quan_huyen",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Xa => "Xã",
            Self::ThiTran => "Thị trấn",
            Self::Phuong => "Phường",
            Self::CoQuanHuyen => "Cơ quan cấp huyện",
        }
    }
}

/// The index of a unit in its [`Registry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(pub usize);

/// One reporting unit with its validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Stable code (national administrative code where one exists).
    pub code: String,
    /// Official name with its kind word.
    pub name: String,
    /// The kind of unit.
    pub kind: UnitKind,
    /// Other spellings seen in files.
    pub aliases: Vec<String>,
    /// First day the unit existed (inclusive).
    pub valid_from: NaiveDate,
    /// Last day the unit existed (inclusive); `None` for open-ended.
    pub valid_to: Option<NaiveDate>,
    /// The successor's code, when the unit was merged.
    pub merged_into: Option<String>,
}

impl Unit {
    /// Whether the unit existed on `date`.
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// The district the registry describes (for report headers).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct District {
    /// "Huyện Hữu Lũng".
    pub name: String,
    /// "Tỉnh Lạng Sơn".
    pub province: String,
    /// "Huyện ủy Hữu Lũng".
    pub party_committee: String,
    /// Administrative code of the district.
    pub code: String,
    /// The last day the district existed (the district tier ended on 2025-06-30), if it ended.
    pub valid_to: Option<NaiveDate>,
}

/// Who issues the report on a given day, as a Party document's header names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingBody {
    /// The superior committee's line ("Đảng bộ Tỉnh Lạng Sơn"); none for a province's own
    /// committee.
    pub superior: Option<String>,
    /// The committee whose Board reports ("Huyện ủy Hữu Lũng", "Tỉnh ủy Lạng Sơn").
    pub committee: String,
    /// Where the report is dated ("Hữu Lũng", "Lạng Sơn").
    pub place: String,
    /// The symbol of the Board's documents ("BTCHU", "BTCTU").
    pub symbol: &'static str,
}

/// A name without its administrative kind: "Huyện Hữu Lũng" → "Hữu Lũng".
fn bare(name: &str) -> &str {
    ["Huyện ", "Thị xã ", "Thành phố ", "Quận ", "Tỉnh "].iter().find_map(|k| name.strip_prefix(k)).unwrap_or(name)
}

impl District {
    /// Who consolidates the returns on `on`: the district committee's Board while the
    /// district exists, the province committee's Board after the district tier ended (1 July
    /// 2025), or for a registry of a province.
    pub fn reporting_body(&self, on: NaiveDate) -> ReportingBody {
        let provincial =
            self.valid_to.is_some_and(|to| on > to) || (self.party_committee.is_empty() && self.name == self.province);
        if provincial {
            // A city under the centre has a Thành ủy, a province a Tỉnh ủy.
            let kind = if self.province.starts_with("Thành phố") { "Thành ủy" } else { "Tỉnh ủy" };
            return ReportingBody {
                superior: None,
                committee: format!("{kind} {}", bare(&self.province)),
                place: bare(&self.province).to_owned(),
                symbol: "BTCTU",
            };
        }
        let committee = if self.party_committee.is_empty() { self.name.clone() } else { self.party_committee.clone() };
        let folded = crate::text::fold(&committee);
        // The Board's symbol after the committee's ("Huyện ủy" HU, "Quận ủy" QU, "Thị ủy"
        // and a provincial city's "Thành ủy" ThU, "Tỉnh ủy" TU).
        let symbol = match folded.split(' ').take(2).collect::<Vec<_>>().join(" ").as_str() {
            "tinh uy" => "BTCTU",
            "quan uy" => "BTCQU",
            "thanh uy" | "thi uy" => "BTCThU",
            _ => "BTCHU",
        };
        ReportingBody {
            superior: (!self.province.is_empty()).then(|| format!("Đảng bộ {}", self.province)),
            symbol,
            committee,
            place: bare(&self.name).to_owned(),
        }
    }
}

/// A registry that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The file could not be read.
    #[error("không đọc được danh mục đơn vị {path}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys.
    #[error("danh mục đơn vị {origin} sai: {message}")]
    Parse {
        /// Where the text came from.
        origin: String,
        /// What the parser said (with line and column).
        message: String,
    },
    /// A date or a rule is wrong.
    #[error("danh mục đơn vị {origin}, đơn vị mã {code}: {message}")]
    Invalid {
        /// Where the text came from.
        origin: String,
        /// The unit's code.
        code: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    district: Option<RawDistrict>,
    province: Option<RawProvince>,
    #[serde(default)]
    unit: Vec<RawUnit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    name: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    party_committee: String,
    valid_to: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvince {
    name: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    #[allow(dead_code)]
    former_district: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    code: String,
    name: String,
    kind: UnitKind,
    #[serde(default)]
    aliases: Vec<String>,
    valid_from: String,
    valid_to: Option<String>,
    merged_into: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    predecessors: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    predecessor_names: Vec<String>,
}

/// The set of units that may report, with their validity dates.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// The district, from the first file that has a `[district]` table.
    pub district: District,
    /// Where the registry came from ("embedded" or a path), for the report.
    pub origin: String,
    units: Vec<Unit>,
}

impl Registry {
    /// The embedded Hữu Lũng registry: the district's units and the 2025 communes.
    pub fn embedded() -> Self {
        let mut registry =
            Self::from_toml_str(HUU_LUNG_UNITS_TOML, "huu-lung-units.toml").expect("the embedded registry is valid");
        let later = Self::from_toml_str(HUU_LUNG_2025_COMMUNES_TOML, "huu-lung-2025-communes.toml")
            .expect("the embedded 2025 registry is valid");
        registry.units.extend(later.units);
        "embedded (Hữu Lũng)".clone_into(&mut registry.origin);
        registry
    }

    /// Reads a registry file.
    pub fn load(path: &Path) -> Result<Self, RegistryError> {
        // A registry of a whole country is a few megabytes.
        let bytes = crate::files::read_regular_file(path, 64 * 1024 * 1024).map_err(|e| RegistryError::Io {
            path: path.display().to_string(),
            source: match e {
                crate::files::ReadError::Io(io) => io,
                other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other.to_string()),
            },
        })?;
        let text = String::from_utf8(bytes).map_err(|_| RegistryError::Io {
            path: path.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, "không phải văn bản UTF-8"),
        })?;
        Self::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses a registry from TOML text; `origin` names it in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, RegistryError> {
        let raw: RawRegistry = toml::from_str(text).map_err(|e| RegistryError::Parse {
            origin: origin.to_owned(),
            message: crate::config::toml_error(text, &e),
        })?;
        let parse_date = |code: &str, field: &str, value: &str| {
            NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| RegistryError::Invalid {
                origin: origin.to_owned(),
                code: code.to_owned(),
                message: format!("{field} = \"{value}\" không phải ngày dạng YYYY-MM-DD"),
            })
        };
        let district_end = match raw.district.as_ref().and_then(|d| d.valid_to.as_deref()) {
            Some(v) => Some(parse_date("[district]", "valid_to", v)?),
            None => None,
        };
        let mut units = Vec::with_capacity(raw.unit.len());
        for u in raw.unit {
            let valid_from = parse_date(&u.code, "valid_from", &u.valid_from)?;
            let valid_to = match u.valid_to.as_deref() {
                Some(v) => Some(parse_date(&u.code, "valid_to", v)?),
                None => district_end,
            };
            if valid_to.is_some_and(|to| to < valid_from) {
                return Err(RegistryError::Invalid {
                    origin: origin.to_owned(),
                    code: u.code,
                    message: "valid_to trước valid_from".to_owned(),
                });
            }
            if u.code.trim().is_empty() || u.name.trim().is_empty() {
                return Err(RegistryError::Invalid {
                    origin: origin.to_owned(),
                    code: u.code,
                    message: "mã và tên không được để trống".to_owned(),
                });
            }
            if let Some(alias) = u.aliases.iter().find(|a| !names_a_place(a)) {
                return Err(RegistryError::Invalid {
                    origin: origin.to_owned(),
                    code: u.code,
                    message: format!(
                        "tên khác \"{alias}\" không chỉ một nơi nào (trống, hoặc chỉ có những chữ đơn vị nào cũng có như \"Xã\", \"Phường\", \"Đảng ủy\"): nó sẽ khớp với tệp của đơn vị khác"
                    ),
                });
            }
            units.push(Unit {
                code: u.code,
                name: u.name,
                kind: u.kind,
                aliases: u.aliases,
                valid_from,
                valid_to,
                merged_into: u.merged_into,
            });
        }
        let district = match (raw.district, raw.province) {
            (Some(d), _) => District {
                name: d.name,
                province: d.province,
                party_committee: d.party_committee,
                code: d.code,
                valid_to: district_end,
            },
            (None, Some(p)) => District {
                name: p.name.clone(),
                province: p.name,
                party_committee: String::new(),
                code: p.code,
                valid_to: None,
            },
            (None, None) => District::default(),
        };
        Ok(Self { district, origin: origin.to_owned(), units })
    }

    /// Every unit, in registry order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The unit with this id.
    pub fn unit(&self, id: UnitId) -> &Unit {
        &self.units[id.0]
    }

    /// The units expected to report for `period`: those valid on its last day, in registry
    /// order.
    pub fn expected(&self, period: Period) -> Vec<UnitId> {
        let day = period.last_day();
        (0..self.units.len()).map(UnitId).filter(|id| self.unit(*id).is_valid_on(day)).collect()
    }

    /// The unit with this code: the one valid in `period` if there is one, otherwise the
    /// latest one with the code.
    pub fn find_code(&self, code: &str, period: Period) -> Option<UnitId> {
        let day = period.last_day();
        let with_code = || self.units.iter().enumerate().filter(|(_, u)| u.code == code);
        with_code()
            .find(|(_, u)| u.is_valid_on(day))
            .or_else(|| with_code().max_by_key(|(_, u)| u.valid_from))
            .map(|(i, _)| UnitId(i))
    }

    /// A matcher of free text (titles, sheet names, file names) against unit names, for
    /// `period`: units valid in the period are preferred over units of other times.
    pub fn matcher(&self, period: Period) -> UnitMatcher {
        UnitMatcher::new(self, period)
    }
}

/// How free text matched the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitMatch {
    /// One unit matched best.
    Found(UnitId),
    /// Several units matched equally well: the text is not guessed.
    Ambiguous(Vec<UnitId>),
    /// No unit name occurs in the text.
    NotFound,
}

/// Matches text against unit names and aliases, accent- and case-insensitively, on whole
/// words; a name inside a longer name of another unit does not count, and neither do
/// mentions of the district itself ("Huyện ủy Hữu Lũng" is not the town of Hữu Lũng).
///
/// Keys are indexed by their first word, so a text costs one look-up per word, not one
/// search per key: it runs for every sheet, and for every row of a multi-unit file.
#[derive(Debug, Clone)]
pub struct UnitMatcher {
    /// (unit, folded key) for units valid in the period, then for units of other periods.
    current: KeyIndex,
    other: KeyIndex,
    district: KeyIndex,
    /// Names and aliases with their diacritics (lower case, in words), by unit: they break
    /// a tie between names that differ only by their marks ("Thanh" / "Thành").
    marked: HashMap<UnitId, Vec<String>>,
}

/// Lower case words with their diacritics (tone placement normalised), for [`UnitMatcher`]'s
/// tie-break.
fn marked_words(s: &str) -> String {
    let nfc: String = unicode_normalization::UnicodeNormalization::nfc(s).collect();
    nfc.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| crate::text::tone_key(&w.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Folded keys, each the words of a name joined by single spaces.
#[derive(Debug, Clone, Default)]
struct KeyIndex {
    keys: FxHashMap<String, Vec<UnitId>>,
    /// Every shorter run of a key's first words ("xa", "xa an" for "xa an son"): a text is
    /// looked up from each of its words, one word longer at a time, only while what it has
    /// read so far begins some key. Most words begin none, and cost one look-up.
    prefixes: FxHashSet<String>,
}

impl KeyIndex {
    fn add(&mut self, id: UnitId, key: &str) {
        let entry = self.keys.entry(key.to_owned()).or_default();
        if !entry.contains(&id) {
            entry.push(id);
        }
        for (at, _) in key.match_indices(' ') {
            if !self.prefixes.contains(&key[..at]) {
                self.prefixes.insert(key[..at].to_owned());
            }
        }
    }

    /// Every occurrence of every key: (unit, first word index, one past the last).
    fn spans(&self, words: &[&str]) -> Vec<(UnitId, usize, usize)> {
        let mut out = Vec::new();
        let mut phrase = String::new();
        for start in 0..words.len() {
            phrase.clear();
            for (end, w) in words.iter().enumerate().skip(start).map(|(i, w)| (i + 1, w)) {
                if !phrase.is_empty() {
                    phrase.push(' ');
                }
                phrase.push_str(w);
                if let Some(ids) = self.keys.get(phrase.as_str()) {
                    out.extend(ids.iter().map(|id| (*id, start, end)));
                }
                if !self.prefixes.contains(phrase.as_str()) {
                    break;
                }
            }
        }
        out
    }
}

/// Words every unit's name or title may hold: an alias made of nothing else names no
/// place.
const GENERIC_WORDS: [&str; 10] = ["xa", "thi", "tran", "tt", "phuong", "huyen", "ubnd", "hdnd", "dang", "uy"];

/// Whether an alias can name a place: it holds a word beyond the kind and body words.
fn names_a_place(alias: &str) -> bool {
    crate::text::fold_words(alias).split_whitespace().any(|w| !GENERIC_WORDS.contains(&w))
}

const KIND_WORDS: [&str; 4] = ["xa ", "thi tran ", "phuong ", "tt "];

impl UnitMatcher {
    fn new(registry: &Registry, period: Period) -> Self {
        let day = period.last_day();
        let mut current = KeyIndex::default();
        let mut other = KeyIndex::default();
        for (i, unit) in registry.units.iter().enumerate() {
            let mut keys: Vec<String> =
                std::iter::once(&unit.name).chain(&unit.aliases).map(|s| fold_words(s)).collect();
            if unit.kind.is_commune_level() {
                // keys[0] is the folded name.
                let bare: Vec<String> =
                    KIND_WORDS.iter().filter_map(|w| keys[0].strip_prefix(w)).map(str::to_owned).collect();
                keys.extend(bare);
            }
            let target = if unit.is_valid_on(day) { &mut current } else { &mut other };
            for key in keys.iter().filter(|k| !k.is_empty()) {
                target.add(UnitId(i), key);
            }
        }
        let mut district = KeyIndex::default();
        for phrase in [&registry.district.name, &registry.district.party_committee] {
            let key = fold_words(phrase);
            if !key.is_empty() {
                district.add(UnitId(usize::MAX), &key);
            }
        }
        let kind_prefixes: Vec<String> =
            ["Xã", "Thị trấn", "Phường"].iter().map(|w| format!("{} ", marked_words(w))).collect();
        let marked = registry
            .units
            .iter()
            .enumerate()
            .map(|(i, unit)| {
                let mut keys: Vec<String> =
                    std::iter::once(&unit.name).chain(&unit.aliases).map(|s| marked_words(s)).collect();
                // keys[0] is the marked name.
                let bare: Vec<String> =
                    kind_prefixes.iter().filter_map(|p| keys[0].strip_prefix(p.as_str())).map(str::to_owned).collect();
                keys.extend(bare);
                (UnitId(i), keys)
            })
            .collect();
        Self { current, other, district, marked }
    }

    /// Of units that match equally without diacritics, the one whose name is written with
    /// the same diacritics, if exactly one is.
    fn by_marks(&self, text: &str, ids: Vec<UnitId>) -> UnitMatch {
        let written = marked_words(text);
        let exact: Vec<UnitId> = ids
            .iter()
            .copied()
            .filter(|id| {
                self.marked
                    .get(id)
                    .is_some_and(|keys| keys.iter().any(|k| crate::text::find_words(&written, k).is_some()))
            })
            .collect();
        match exact.as_slice() {
            [one] => UnitMatch::Found(*one),
            _ => UnitMatch::Ambiguous(ids),
        }
    }

    /// Matches `text` (any case, accents, punctuation) against the units valid in the
    /// period, then, when none matches, against units of other periods.
    pub fn match_text(&self, text: &str) -> UnitMatch {
        let folded = fold_words(text);
        if folded.is_empty() {
            return UnitMatch::NotFound;
        }
        let words: Vec<&str> = folded.split(' ').collect();
        let masked: Vec<(usize, usize)> = self.district.spans(&words).into_iter().map(|(_, s, e)| (s, e)).collect();
        let found = match best(self.current.spans(&words), &masked) {
            UnitMatch::NotFound => best(self.other.spans(&words), &masked),
            found => found,
        };
        match found {
            UnitMatch::Ambiguous(ids) => self.by_marks(text, ids),
            other => other,
        }
    }
}

fn best(spans: Vec<(UnitId, usize, usize)>, masked: &[(usize, usize)]) -> UnitMatch {
    let spans: Vec<(UnitId, usize, usize)> =
        spans.into_iter().filter(|&(_, s, e)| !masked.iter().any(|&(ms, me)| ms <= s && e <= me)).collect();
    // A name inside a longer name of another unit does not count ("Hữu Lũng" inside
    // "Phòng Nội vụ huyện Hữu Lũng").
    let mut winners: Vec<UnitId> = spans
        .iter()
        .filter(|(id, s, e)| !spans.iter().any(|(o, os, oe)| o != id && os <= s && e <= oe && (oe - os) > (e - s)))
        .map(|(id, _, _)| *id)
        .collect();
    winners.sort();
    winners.dedup();
    match winners.len() {
        0 => UnitMatch::NotFound,
        1 => UnitMatch::Found(winners[0]),
        _ => UnitMatch::Ambiguous(winners),
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_committee_has_its_boards_symbol_and_a_city_under_the_centre_its_thanh_uy() {
        let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let body = |name: &str, province: &str, committee: &str, valid_to: Option<NaiveDate>| {
            District {
                name: name.into(),
                province: province.into(),
                party_committee: committee.into(),
                code: String::new(),
                valid_to,
            }
            .reporting_body(day)
        };
        assert_eq!(body("Quận Ba Đình", "Thành phố Hà Nội", "Quận ủy Ba Đình", None).symbol, "BTCQU");
        assert_eq!(body("Thành phố Lạng Sơn", "Tỉnh Lạng Sơn", "Thành ủy Lạng Sơn", None).symbol, "BTCThU");
        let ended = body("Quận Ba Đình", "Thành phố Hà Nội", "Quận ủy Ba Đình", NaiveDate::from_ymd_opt(2024, 1, 1));
        assert_eq!((ended.committee.as_str(), ended.symbol), ("Thành ủy Hà Nội", "BTCTU"));
    }

    #[test]
    fn the_district_boards_report_until_the_district_ended_then_the_provinces() {
        let district = Registry::embedded().district;
        let before = district.reporting_body(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(before.superior.as_deref(), Some("Đảng bộ Tỉnh Lạng Sơn"));
        assert_eq!(
            (before.committee.as_str(), before.place.as_str(), before.symbol),
            ("Huyện ủy Hữu Lũng", "Hữu Lũng", "BTCHU")
        );
        let after = district.reporting_body(NaiveDate::from_ymd_opt(2025, 8, 31).unwrap());
        assert_eq!(after.superior, None);
        assert_eq!(
            (after.committee.as_str(), after.place.as_str(), after.symbol),
            ("Tỉnh ủy Lạng Sơn", "Lạng Sơn", "BTCTU")
        );
    }

    #[test]
    fn an_alias_that_names_no_place_is_refused_when_the_registry_loads() {
        let registry = |alias: &str| {
            Registry::from_toml_str(
                &format!(
                    "[[unit]]\ncode = \"1\"\nname = \"Xã Sơn Hà\"\nkind = \"xa\"\naliases = [\"{alias}\"]\nvalid_from = \"2000-01-01\"\n"
                ),
                "test.toml",
            )
        };
        for alias in ["Xã", "", " ", "-", "Đảng ủy xã", "UBND", "Thị trấn", "Huyện"] {
            let e = registry(alias).unwrap_err().to_string();
            assert!(e.contains("không chỉ một nơi nào"), "{alias:?}: {e}");
        }
        // Real places whose words are common ones: "Đồn Xá", "Tịnh Phong".
        for alias in ["Son Ha", "SH", "Đảng ủy Sơn Hà", "Đồn Xá", "Tịnh Phong"] {
            assert!(registry(alias).is_ok(), "{alias}");
        }
    }

    fn feb_2024() -> Period {
        "2024-02".parse().unwrap()
    }

    fn name_of(registry: &Registry, m: &UnitMatch) -> String {
        match m {
            UnitMatch::Found(id) => registry.unit(*id).name.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn every_occurrence_of_every_key_is_found_at_its_words() {
        let mut index = KeyIndex::default();
        index.add(UnitId(1), "an binh");
        index.add(UnitId(1), "xa an binh");
        index.add(UnitId(2), "huu lung");
        index.add(UnitId(3), "binh");
        index.add(UnitId(4), "xa an binh tay");
        let words: Vec<&str> = "dang uy xa an binh huyen huu lung an binh".split(' ').collect();
        let mut spans = index.spans(&words);
        spans.sort();
        assert_eq!(
            spans,
            vec![
                (UnitId(1), 2, 5),
                (UnitId(1), 3, 5),
                (UnitId(1), 8, 10),
                (UnitId(2), 6, 8),
                (UnitId(3), 4, 5),
                (UnitId(3), 9, 10),
            ]
        );
        assert!(index.spans(&[]).is_empty());
    }

    #[test]
    fn embedded_registry_expects_24_communes_in_feb_2024() {
        let r = Registry::embedded();
        let expected = r.expected(feb_2024());
        let communes = expected.iter().filter(|id| r.unit(**id).kind.is_commune_level()).count();
        assert_eq!(communes, 24);
        let agencies = expected.len() - communes;
        assert_eq!(agencies, 25);
        assert_eq!(r.district.name, "Huyện Hữu Lũng");
    }

    #[test]
    fn commune_counts_follow_mergers() {
        let r = Registry::embedded();
        let communes =
            |p: &str| r.expected(p.parse().unwrap()).iter().filter(|id| r.unit(**id).kind.is_commune_level()).count();
        assert_eq!(communes("2019-12"), 26);
        assert_eq!(communes("2024-12"), 23);
        assert_eq!(communes("2025-08"), 8);
    }

    #[test]
    fn names_that_contain_each_other_are_not_confused() {
        let r = Registry::embedded();
        let m = r.matcher(feb_2024());
        assert_eq!(name_of(&r, &m.match_text("ĐẢNG BỘ XÃ SƠN HÀ")), "Xã Sơn Hà");
        assert_eq!(name_of(&r, &m.match_text("Đảng ủy xã Hoà Sơn")), "Xã Hòa Sơn");
        assert_eq!(name_of(&r, &m.match_text("minh_hoa.xlsx")), "Xã Minh Hòa");
        assert_eq!(name_of(&r, &m.match_text("MinhSon")), "Xã Minh Sơn");
        assert_eq!(name_of(&r, &m.match_text("UBND XÃ YÊN BÌNH")), "Xã Yên Bình");
    }

    #[test]
    fn district_mentions_are_not_the_town() {
        let r = Registry::embedded();
        let m = r.matcher(feb_2024());
        assert_eq!(name_of(&r, &m.match_text("HUYỆN ỦY HỮU LŨNG ĐẢNG ỦY XÃ CAI KINH")), "Xã Cai Kinh");
        assert_eq!(m.match_text("HUYỆN ỦY HỮU LŨNG"), UnitMatch::NotFound);
        assert_eq!(name_of(&r, &m.match_text("Đảng ủy thị trấn Hữu Lũng")), "Thị trấn Hữu Lũng");
        assert_eq!(name_of(&r, &m.match_text("Phòng Nội vụ huyện Hữu Lũng")), "Phòng Nội vụ");
    }

    #[test]
    fn two_units_equally_named_are_ambiguous() {
        let r = Registry::embedded();
        let m = r.matcher(feb_2024());
        assert!(matches!(m.match_text("Xã Sơn Hà và xã Hòa Sơn"), UnitMatch::Ambiguous(ids) if ids.len() == 2));
        assert_eq!(m.match_text("Báo cáo tháng 2"), UnitMatch::NotFound);
    }

    #[test]
    fn units_of_other_periods_match_only_when_nothing_current_does() {
        let r = Registry::embedded();
        let m = r.matcher(feb_2024());
        let UnitMatch::Found(id) = m.match_text("Xã Đô Lương") else { panic!("Đô Lương should match") };
        assert!(!r.unit(id).is_valid_on(feb_2024().last_day()));
    }

    #[test]
    fn names_that_differ_only_by_their_marks_are_told_apart_by_them() {
        let text = "[district]\nname = \"Huyện X\"\n\n[[unit]]\ncode = \"1\"\nname = \"Xã Tân Thanh\"\nkind = \"xa\"\nvalid_from = \"2000-01-01\"\n\n[[unit]]\ncode = \"2\"\nname = \"Xã Tân Thành\"\nkind = \"xa\"\nvalid_from = \"2000-01-01\"\n";
        let r = Registry::from_toml_str(text, "test").unwrap();
        let m = r.matcher("2024-02".parse().unwrap());
        let name = |found: UnitMatch| match found {
            UnitMatch::Found(id) => r.unit(id).name.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(name(m.match_text("ĐẢNG BỘ XÃ TÂN THÀNH")), "Xã Tân Thành");
        assert_eq!(name(m.match_text("Dang uy xa Tan Thanh")), "Ambiguous([UnitId(0), UnitId(1)])");
        assert_eq!(name(m.match_text("BC Tân Thanh thang 2")), "Xã Tân Thanh");
    }

    #[test]
    fn bad_registries_give_clear_errors() {
        let err =
            Registry::from_toml_str("[[unit]]\ncode='1'\nname='X'\nkind='xa'\nvalid_from='2020-13-01'\n", "t.toml")
                .unwrap_err();
        assert!(err.to_string().contains("valid_from"), "{err}");
        let err = Registry::from_toml_str(
            "[[unit]]\ncode='1'\nname='X'\nkind='xa'\nvalid_from='2020-01-01'\ncolour='red'\n",
            "t.toml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
        let err = Registry::from_toml_str(
            "[[unit]]\ncode='1'\nname='X'\nkind='village'\nvalid_from='2020-01-01'\n",
            "t.toml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("village"), "{err}");
    }
}
