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
    /// National ID, when known: then it alone names the person (masked as a report shows
    /// it by default: its visible digits and the name).
    #[serde(default)]
    pub id: Option<String>,
}

impl PersonKey {
    /// Whether `person` is the one this key names.
    pub fn names(&self, person: &Official, registry: &Registry) -> bool {
        if let Some(id) = &self.id {
            // A report shows IDs masked unless run with --show-ids: then the visible digits
            // and the name name the person.
            if crate::record::NationalId::is_masked(id) {
                return person.national_id.as_ref().is_some_and(|p| p.masked() == *id)
                    && crate::text::fold(&person.full_name) == crate::text::fold(&self.name);
            }
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
    /// Where it was read (a file, and its cell for a report), for the clerk's messages.
    #[serde(skip)]
    pub origin: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecisions {
    #[serde(default)]
    decision: Vec<Decision>,
}

/// What the Trùng lặp sheet's "Quyết định" drop-down offers for "the same person".
pub const SAME_LABEL: &str = "cùng một người";
/// What the drop-down offers for "two people".
pub const APART_LABEL: &str = "khác người";
/// The report's sheet where the clerk decides, and the columns of it a decision is read
/// from: the writer and the reader share them, so every label written reads back.
pub const SHEET: &str = "Trùng lặp";
/// The pair's number (both rows of a pair have it).
pub const GROUP_COLUMN: &str = "Nhóm";
/// "đã gộp" or [`REVIEW_CONCLUSION`].
pub const CONCLUSION_COLUMN: &str = "Kết luận";
/// What the conclusion column says of a review pair's two rows.
pub const REVIEW_CONCLUSION: &str = "cần xem xét";
/// What the conclusion column says of the rows merged into one person.
pub const MERGED_CONCLUSION: &str = "đã gộp";
/// The column that marks a merged group's kept row.
pub const KEPT_COLUMN: &str = "Dòng được giữ";
/// The mark of the kept row.
pub const KEPT_MARK: &str = "giữ";
/// The column the clerk decides in (a drop-down of [`SAME_LABEL`] and [`APART_LABEL`]).
pub const DECISION_COLUMN: &str = "Quyết định";
/// The person's keys: name, birth date as written, unit code, national ID.
pub const KEY_COLUMNS: [&str; 4] = ["Họ và tên", "Ngày sinh", "Mã đơn vị", "Số định danh"];

/// Reads a verdict as the clerk may have typed it: the drop-down's labels, with or
/// without diacritics or case. `None` for an empty cell, `Some(Err(()))` for anything else.
pub fn parse_verdict(text: &str) -> Option<Result<bool, ()>> {
    let folded = crate::text::fold(text);
    if folded.is_empty() {
        return None;
    }
    Some(if folded == crate::text::fold(SAME_LABEL) {
        Ok(true)
    } else if folded == crate::text::fold(APART_LABEL) {
        Ok(false)
    } else {
        Err(())
    })
}

impl PersonKey {
    /// The person as the clerk's messages name them: name, birth date, unit, ID.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.name.clone()];
        parts.extend([&self.birth, &self.unit].into_iter().filter(|s| !s.is_empty()).cloned());
        parts.extend(self.id.iter().map(|id| format!("số định danh {id}")));
        parts.join(", ")
    }

    /// The key compared when two decisions are about the same pair: the ID, else the
    /// folded name, the birth date and the unit.
    fn identity(&self) -> String {
        match &self.id {
            Some(id) => format!("id:{id}"),
            None => format!("{}|{}|{}", crate::text::fold(&self.name), self.birth.trim(), self.unit.trim()),
        }
    }

    fn to_toml(&self) -> String {
        let mut fields = vec![format!("name = {}", crate::text::toml_string(&self.name))];
        if !self.birth.is_empty() {
            fields.push(format!("birth = {}", crate::text::toml_string(&self.birth)));
        }
        if !self.unit.is_empty() {
            fields.push(format!("unit = {}", crate::text::toml_string(&self.unit)));
        }
        if let Some(id) = &self.id {
            fields.push(format!("id = {}", crate::text::toml_string(id)));
        }
        format!("{{ {} }}", fields.join(", "))
    }
}

impl Decision {
    /// The pair decided about, the same whichever of the two is `a`.
    pub fn pair(&self) -> (String, String) {
        let (a, b) = (self.a.identity(), self.b.identity());
        if a <= b { (a, b) } else { (b, a) }
    }

    /// The decision as a `[[decision]]` table of the decisions file.
    pub fn to_toml(&self) -> String {
        format!("[[decision]]\nsame = {}\na = {}\nb = {}\n", self.same, self.a.to_toml(), self.b.to_toml())
    }
}

/// The decisions of several sources, each pair once.
#[derive(Debug, Default)]
pub struct Combined {
    /// The decisions that apply.
    pub decisions: Vec<Decision>,
    /// A decision replaced by the opposite one of a later source, said to the clerk.
    pub replaced: Vec<String>,
}

/// The decisions of several sources given in increasing precedence: a pair a later source
/// decides the other way is decided as it says, and the replacement is said. One source
/// deciding a pair both ways cannot be applied: it is refused, naming both places.
pub fn combine(sources: Vec<Vec<Decision>>) -> Result<Combined, DecisionsError> {
    let mut at: std::collections::HashMap<(String, String), usize> = std::collections::HashMap::new();
    let mut out = Combined::default();
    for decisions in sources {
        let mut this_source: std::collections::HashMap<(String, String), (bool, String)> =
            std::collections::HashMap::new();
        for d in decisions {
            let pair = d.pair();
            if let Some((same, first)) = this_source.get(&pair) {
                if *same != d.same {
                    return Err(DecisionsError::Contradiction {
                        first: first.clone(),
                        second: d.origin.clone(),
                        a: d.a.describe(),
                        b: d.b.describe(),
                    });
                }
                continue;
            }
            this_source.insert(pair.clone(), (d.same, d.origin.clone()));
            match at.get(&pair) {
                Some(&i) if out.decisions[i].same == d.same => {}
                Some(&i) => {
                    let old = &out.decisions[i];
                    out.replaced.push(format!(
                        "quyết định \"{}\" về {} và {} ({}) thay cho quyết định \"{}\" ({})",
                        verdict_label(d.same),
                        d.a.describe(),
                        d.b.describe(),
                        d.origin,
                        verdict_label(old.same),
                        old.origin
                    ));
                    out.decisions[i] = d;
                }
                None => {
                    at.insert(pair, out.decisions.len());
                    out.decisions.push(d);
                }
            }
        }
    }
    Ok(out)
}

/// The drop-down's label of a verdict.
pub fn verdict_label(same: bool) -> &'static str {
    if same { SAME_LABEL } else { APART_LABEL }
}

/// Why a decisions file cannot be used (nothing of it is applied then).
#[derive(Debug, thiserror::Error)]
pub enum DecisionsError {
    /// Not TOML of the expected shape.
    #[error("không đọc được tệp quyết định {origin}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// What the parser said.
        message: String,
    },
    /// One source decides one pair both ways.
    #[error("{first} và {second} quyết định ngược nhau về {a} và {b}; sửa một trong hai rồi chạy lại")]
    Contradiction {
        /// Where the first decision is.
        first: String,
        /// Where the other is.
        second: String,
        /// One of the two people.
        a: String,
        /// The other.
        b: String,
    },
    /// A decision that contradicts a rule.
    #[error("quyết định thứ {index} của {origin}: {message}")]
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
    let raw: RawDecisions = toml::from_str(text).map_err(|e| {
        // The parser's own words are English: the clerk is told where, in Vietnamese.
        let at = crate::config::toml_position(text, &e);
        DecisionsError::Parse {
            origin: origin.to_owned(),
            message: match at {
                Some((line, column)) => format!("dòng {line}, cột {column} không đúng mẫu quyết định (xem README)"),
                None => "không đúng mẫu quyết định (xem README)".to_owned(),
            },
        }
    })?;
    for (i, d) in raw.decision.iter().enumerate() {
        let invalid = |message: &str| DecisionsError::Invalid {
            origin: origin.to_owned(),
            index: i + 1,
            message: message.to_owned(),
        };
        if let (true, Some(x), Some(y)) = (d.same, &d.a.id, &d.b.id)
            && x != y
        {
            return Err(invalid("hai số định danh khác nhau không thể là cùng một người"));
        }
        if d.a == d.b {
            return Err(invalid("a và b là cùng một người, không phải một cặp"));
        }
    }
    let mut decisions = raw.decision;
    for (i, d) in decisions.iter_mut().enumerate() {
        d.origin = format!("{origin}, quyết định thứ {}", i + 1);
    }
    Ok(decisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str, id: Option<&str>) -> PersonKey {
        PersonKey { name: name.into(), birth: "09/10/1981".into(), unit: "06454".into(), id: id.map(Into::into) }
    }

    fn decision(same: bool, a: &str, b: &str, origin: &str) -> Decision {
        Decision { same, a: key(a, None), b: key(b, None), origin: origin.into() }
    }

    #[test]
    fn a_decision_written_as_toml_reads_back_as_itself() {
        let d = Decision {
            same: false,
            a: key("Hoàng \"Văn\" \\ Khải\t", None),
            b: key("Hoàng Văn Khảm", Some("020081000123")),
            origin: "x, quyết định thứ 1".into(),
        };
        assert_eq!(parse(&d.to_toml(), "x").unwrap(), [d]);
    }

    #[test]
    fn a_masked_id_names_the_person_with_those_digits_and_that_name() {
        let registry = Registry::embedded();
        let person = |name: &str, id: &str| Official {
            full_name: name.into(),
            national_id: Some(crate::record::NationalId(id.into())),
            ..Official::default()
        };
        let masked = key("Hoàng Văn Khải", Some("••••••••0123"));
        assert!(masked.names(&person("Hoàng Văn Khải", "020081000123"), &registry));
        assert!(!masked.names(&person("Hoàng Văn Khải", "020081000124"), &registry), "other digits");
        assert!(!masked.names(&person("Hoàng Văn Khảm", "020081000123"), &registry), "other name");
        // A whole ID still names the person by itself.
        assert!(key("x", Some("020081000123")).names(&person("Hoàng Văn Khải", "020081000123"), &registry));
    }

    #[test]
    fn a_malformed_file_is_told_by_its_line_and_column_in_vietnamese() {
        let e = parse("[[decision]]\nsame = maybe\n", "q.toml").unwrap_err().to_string();
        assert!(e.contains("q.toml") && e.contains("dòng 2, cột 8"), "{e}");
        assert!(!e.is_ascii() && !e.contains("expected"), "{e}");
    }

    #[test]
    fn the_drop_down_labels_read_back_and_nothing_else_passes_for_a_verdict() {
        assert_eq!(parse_verdict(SAME_LABEL), Some(Ok(true)));
        assert_eq!(parse_verdict(APART_LABEL), Some(Ok(false)));
        assert_eq!(parse_verdict(" Cung mot  nguoi "), Some(Ok(true)));
        assert_eq!(parse_verdict("KHÁC NGƯỜI"), Some(Ok(false)));
        assert_eq!(parse_verdict("  "), None);
        assert_eq!(parse_verdict("có"), Some(Err(())));
        assert_eq!(parse_verdict("khác"), Some(Err(())));
    }

    #[test]
    fn a_later_source_replaces_the_opposite_decision_and_says_so_but_one_source_both_ways_is_refused() {
        let same = decision(true, "A", "B", "kept");
        let again = decision(true, "B", "A", "report");
        let apart = decision(false, "B", "A", "decisions.toml");
        let c = combine(vec![vec![same.clone()], vec![again]]).unwrap();
        assert_eq!((c.decisions, c.replaced.len()), (vec![same.clone()], 0));
        let c = combine(vec![vec![same.clone()], vec![apart.clone()]]).unwrap();
        assert_eq!(c.decisions, std::slice::from_ref(&apart));
        assert!(c.replaced[0].contains("decisions.toml") && c.replaced[0].contains("kept"), "{:?}", c.replaced);
        let e = combine(vec![vec![same, apart]]).unwrap_err();
        assert!(
            matches!(&e, DecisionsError::Contradiction { first, second, .. } if first == "kept" && second == "decisions.toml"),
            "{e}"
        );
        assert!(e.to_string().contains("09/10/1981"), "{e}");
    }
}
