//! The clerk's decisions on review pairs ("cùng một người" / "khác người"), kept in a TOML
//! file that lasts over the months (by default `decisions.toml` in the history folder):
//!
//! ```toml
//! [[decision]]
//! same = false
//! a = { name = "Hoàng Văn Khải", birth = "09/10/1981", unit = "06454" }
//! b = { name = "Hoàng Văn Khảm", birth = "09/10/1981", unit = "06454", id = "020081000123" }
//! ```
//!
//! A person is named by stable keys: the national ID where there is one, else the name
//! (compared without case or diacritic placement differences), the birth date as the
//! report writes it and the unit code.

use serde::Deserialize;

use crate::record::Official;
use crate::units::Registry;

/// One person, as a decision names them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonKey {
    /// Full name.
    pub name: String,
    /// Birth date as written in the report ("09/10/1981", "1981").
    #[serde(default)]
    pub birth: String,
    /// Unit code.
    #[serde(default)]
    pub unit: String,
    /// National ID, when known: then it alone names the person.
    #[serde(default)]
    pub id: Option<String>,
}

impl PersonKey {
    /// Whether `person` is the one this key names.
    pub fn names(&self, person: &Official, registry: &Registry) -> bool {
        if let Some(id) = &self.id {
            return person.national_id.as_ref().is_some_and(|p| p.0 == *id);
        }
        crate::text::fold(&person.full_name) == crate::text::fold(&self.name)
            && person.birth_date.map(|b| b.to_string()).unwrap_or_default() == self.birth.trim()
            && person.unit.map(|u| registry.unit(u).code.as_str()).unwrap_or_default() == self.unit.trim()
    }
}

/// One decision on a pair.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `true`: the same person ("cùng một người"); `false`: two people ("khác người").
    pub same: bool,
    /// One of the two.
    pub a: PersonKey,
    /// The other.
    pub b: PersonKey,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecisions {
    #[serde(default)]
    decision: Vec<Decision>,
}

/// Why a decisions file cannot be used (nothing of it is applied then).
#[derive(Debug, thiserror::Error)]
pub enum DecisionsError {
    /// Not TOML of the expected shape.
    #[error("the decisions file {origin} cannot be read: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// What the parser said.
        message: String,
    },
    /// A decision that contradicts a rule.
    #[error("decision {index} of {origin}: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// 1-based position of the decision.
        index: usize,
        /// What is wrong.
        message: String,
    },
}

/// Parses decisions; a decision that contradicts a rule (two different IDs the same
/// person, a person decided about themself) refuses the file.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Decision>, DecisionsError> {
    let raw: RawDecisions = toml::from_str(text)
        .map_err(|e| DecisionsError::Parse { origin: origin.to_owned(), message: e.to_string() })?;
    for (i, d) in raw.decision.iter().enumerate() {
        let invalid = |message: &str| DecisionsError::Invalid {
            origin: origin.to_owned(),
            index: i + 1,
            message: message.to_owned(),
        };
        if let (true, Some(x), Some(y)) = (d.same, &d.a.id, &d.b.id)
            && x != y
        {
            return Err(invalid("two different national IDs cannot be the same person"));
        }
        if d.a == d.b {
            return Err(invalid("a and b name the same person"));
        }
    }
    Ok(raw.decision)
}
