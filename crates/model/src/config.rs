//! Mapping overrides (`--config FILE`, TOML): extra header synonyms, extra value
//! spellings, and file-name patterns pinned to units. Every key is checked, so a typo is
//! an error that names it, never a silently ignored line.
//!
//! ```toml
//! [headers]
//! full_name = ["Tên cán bộ"]
//! political_theory = ["Trình độ chính trị hiện nay"]
//!
//! [values.political_theory]
//! trung_cap = ["TC-LLCT hệ tại chức"]
//!
//! [values.positions]
//! bi_thu = ["BTĐU"]
//!
//! [[pin]]
//! pattern = "Son Ha/*.xlsx"
//! unit = "06454"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::codes::{
    Category, CommitteeLevel, Field, Gender, GeneralEducation, PoliticalTheory, Position, Professional, StateManagement,
};
use crate::text::fold;

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("config {origin}: {message}")]
pub struct ConfigError {
    /// Where it came from.
    pub origin: String,
    /// What is wrong, naming the key.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    headers: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pin: Vec<RawPin>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPin {
    pattern: String,
    unit: String,
}

/// A file-name pattern pinned to a unit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// Shell-style pattern over the path relative to the returns folder (`*`, `?`, `[ ]`).
    pub pattern: String,
    /// The unit code.
    pub unit: String,
}

/// Validated overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Extra header spellings, folded, per field.
    pub headers: Vec<(String, Field)>,
    /// Extra value spellings, folded, per field: (field, folded spelling, value key).
    pub values: Vec<(Field, String, String)>,
    /// Pins, in file order.
    pub pins: Vec<Pin>,
}

/// The fields a header synonym may name.
const HEADER_FIELDS: &[Field] = &[
    Field::RowNumber,
    Field::Unit,
    Field::FullName,
    Field::FamilyName,
    Field::GivenName,
    Field::BirthDate,
    Field::BirthDateMale,
    Field::BirthDateFemale,
    Field::Gender,
    Field::Ethnicity,
    Field::Religion,
    Field::NationalId,
    Field::PartyMember,
    Field::PartyJoinDate,
    Field::Positions,
    Field::Committee,
    Field::Category,
    Field::GeneralEducation,
    Field::Professional,
    Field::ProfessionalField,
    Field::PoliticalTheory,
    Field::PoliticalTheoryStudying,
    Field::StateManagement,
    Field::It,
    Field::ForeignLanguage,
    Field::EthnicLanguage,
    Field::Planning,
    Field::Trainings,
    Field::Note,
];

/// The value keys of a coded field.
fn value_keys(field: Field) -> Option<Vec<&'static str>> {
    Some(match field {
        Field::PoliticalTheory | Field::PoliticalTheoryStudying => {
            PoliticalTheory::ALL.iter().map(|v| v.key()).collect()
        }
        Field::Professional => Professional::ALL.iter().map(|v| v.key()).collect(),
        Field::GeneralEducation => GeneralEducation::ALL.iter().map(|v| v.key()).collect(),
        Field::StateManagement => StateManagement::ALL.iter().map(|v| v.key()).collect(),
        Field::Gender => Gender::ALL.iter().map(|v| v.key()).collect(),
        Field::Committee => CommitteeLevel::ALL.iter().map(|v| v.key()).collect(),
        Field::Category => Category::ALL.iter().map(|v| v.key()).collect(),
        Field::Positions => Position::ALL.iter().map(|v| v.key()).collect(),
        _ => return None,
    })
}

fn field_by_key(key: &str) -> Option<Field> {
    HEADER_FIELDS.iter().copied().find(|f| f.key() == key)
}

impl Config {
    /// Parses and checks a configuration; `origin` names it in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, ConfigError> {
        let err = |message: String| ConfigError { origin: origin.to_owned(), message };
        let raw: RawConfig = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let mut config = Self::default();
        for (key, spellings) in raw.headers {
            let field = field_by_key(&key).ok_or_else(|| {
                err(format!(
                    "[headers] has an unknown field '{key}'; known: {}",
                    HEADER_FIELDS.iter().map(|f| f.key()).collect::<Vec<_>>().join(", ")
                ))
            })?;
            for s in spellings {
                config.headers.push((crate::text::fold_words(&s), field));
            }
        }
        for (key, values) in raw.values {
            let field = field_by_key(&key).ok_or_else(|| err(format!("[values.{key}]: unknown field '{key}'")))?;
            let keys = value_keys(field).ok_or_else(|| err(format!("[values.{key}]: '{key}' is not a coded field")))?;
            for (value, spellings) in values {
                if !keys.contains(&value.as_str()) {
                    return Err(err(format!(
                        "[values.{key}] has an unknown value '{value}'; known: {}",
                        keys.join(", ")
                    )));
                }
                for s in spellings {
                    config.values.push((field, fold(&s), value.clone()));
                }
            }
        }
        for pin in raw.pin {
            glob::Pattern::new(&pin.pattern)
                .map_err(|e| err(format!("[[pin]] pattern '{}' is not valid: {e}", pin.pattern)))?;
            config.pins.push(Pin { pattern: pin.pattern, unit: pin.unit });
        }
        Ok(config)
    }

    /// The field an extra header synonym names.
    pub fn header_field(&self, header: &str) -> Option<Field> {
        if self.headers.is_empty() {
            return None;
        }
        let folded = crate::text::fold_words(header);
        self.headers.iter().find(|(s, _)| *s == folded).map(|(_, f)| *f)
    }

    /// The value key an extra spelling gives for `field`.
    pub fn value_key(&self, field: Field, raw: &str) -> Option<&str> {
        // Asked for every coded cell of every row: no folding when there is nothing to find.
        if self.values.is_empty() {
            return None;
        }
        let folded = fold(raw);
        self.values.iter().find(|(f, s, _)| *f == field && *s == folded).map(|(_, _, k)| k.as_str())
    }

    /// The unit code pinned for a path relative to the returns folder, if any.
    pub fn pinned_unit(&self, rel_path: &str) -> Option<&str> {
        let options = glob::MatchOptions {
            case_sensitive: false,
            require_literal_separator: false,
            require_literal_leading_dot: false,
        };
        self.pins
            .iter()
            .find(|p| glob::Pattern::new(&p.pattern).is_ok_and(|g| g.matches_with(rel_path, options)))
            .map(|p| p.unit.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[headers]
full_name = ["Tên cán bộ"]

[values.political_theory]
trung_cap = ["TC-LLCT hệ tại chức"]

[values.positions]
bi_thu = ["BTĐU"]

[[pin]]
pattern = "Son Ha/*.xlsx"
unit = "06454"
"#;

    #[test]
    fn parses_and_answers() {
        let c = Config::from_toml_str(EXAMPLE, "c.toml").unwrap();
        assert_eq!(c.header_field("TÊN CÁN BỘ"), Some(Field::FullName));
        assert_eq!(c.value_key(Field::PoliticalTheory, "tc-llct hệ tại chức"), Some("trung_cap"));
        assert_eq!(c.value_key(Field::Positions, "BTĐU"), Some("bi_thu"));
        assert_eq!(c.pinned_unit("son ha/BC thang 2.xlsx"), Some("06454"));
        assert_eq!(c.pinned_unit("Cai Kinh/BC.xlsx"), None);
    }

    #[test]
    fn unknown_keys_are_errors_that_name_them() {
        for (text, needle) in [
            ("[headres]\nx = []", "headres"),
            ("[headers]\nfull_nam = ['x']", "full_nam"),
            ("[values.political_theory]\ntrung = ['x']", "trung"),
            ("[values.full_name]\nx = ['y']", "not a coded field"),
            ("[[pin]]\npattern = '[x'\nunit = '1'", "not valid"),
            ("[[pin]]\npatern = 'x'\nunit = '1'", "patern"),
        ] {
            let err = Config::from_toml_str(text, "c.toml").unwrap_err().to_string();
            assert!(err.contains(needle) && err.contains("c.toml"), "{err}");
        }
    }
}
