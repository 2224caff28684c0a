//! Succession-planning entries ("QH Bí thư 2025-2030"): the position planned and the term.

use crate::codes::{Position, parse_positions};
use crate::text::{find_words, fold_words};
use crate::units::UnitKind;

/// One planning entry of a person, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PlanningEntry {
    /// As written.
    pub raw: String,
    /// The positions it plans for.
    pub positions: Vec<Position>,
    /// Planned for the inspection commission (Ủy ban Kiểm tra), which is no position key.
    pub inspection: bool,
    /// Planned as a deputy of the Front or a mass organisation (not a cán bộ title).
    pub mass_deputy: bool,
    /// The term, first and last year ("2025-2030"), when written.
    pub term: Option<(i32, i32)>,
}

impl PlanningEntry {
    /// Whether the entry is for a term not over by `year` (an entry without a term is
    /// taken as current: clerks often omit it).
    pub fn is_current(&self, year: i32) -> bool {
        self.term.is_none_or(|(_, last)| last >= year)
    }
}

/// The term of an entry: two years from 1945 to 2100, the second after the first
/// ("2025-2030", "NK 2025 – 2030", "(2020-2025)").
fn term_of(raw: &str) -> Option<(i32, i32)> {
    let years: Vec<i32> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| s.len() == 4)
        .filter_map(|s| s.parse().ok())
        .filter(|y| (1945..=2100).contains(y))
        .collect();
    match years.as_slice() {
        [first, last, ..] if last > first => Some((*first, *last)),
        _ => None,
    }
}

/// Parses a planning entry: the title without the pool word ("QH", "Quy hoạch", "Diện
/// quy hoạch") and the term, read as positions of a commune.
pub fn parse_planning(raw: &str) -> PlanningEntry {
    let words = fold_words(raw);
    let has = |w: &str| find_words(&words, w).is_some();
    let title: String = raw
        .split(|c: char| c.is_ascii_digit() || c == '(' || c == ')')
        .next()
        .unwrap_or_default()
        .trim()
        .trim_end_matches(['-', '–', ' ', ':'])
        .to_owned();
    let mut title = title.as_str();
    for prefix in ["Diện quy hoạch", "diện quy hoạch", "Quy hoạch", "quy hoạch", "QH", "Qh"] {
        title = title.strip_prefix(prefix).unwrap_or(title).trim();
    }
    let title = title.trim_end_matches("nhiệm kỳ").trim_end_matches("NK").trim();
    let positions = parse_positions(title, UnitKind::Xa).positions;
    PlanningEntry {
        raw: raw.to_owned(),
        positions,
        inspection: has("ubkt") || has("uy ban kiem tra"),
        mass_deputy: (has("pho chu tich") && (has("mttq") || has("hoi"))) || has("pho bi thu doan"),
        term: term_of(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_give_position_and_term() {
        let e = parse_planning("QH Bí thư 2025-2030");
        assert_eq!((e.positions.as_slice(), e.term), (&[Position::BiThu][..], Some((2025, 2030))));
        let e = parse_planning("Quy hoạch Chủ tịch UBND nhiệm kỳ 2025 – 2030");
        assert_eq!((e.positions.as_slice(), e.term), (&[Position::CtUbnd][..], Some((2025, 2030))));
        let e = parse_planning("QH UBKT Đảng ủy (2020-2025)");
        assert!(e.inspection);
        assert_eq!(e.term, Some((2020, 2025)));
        assert!(!e.is_current(2026));
        assert!(e.is_current(2025));
        let e = parse_planning("QH Phó Chủ tịch UB MTTQ");
        assert!(e.mass_deputy);
        assert_eq!(e.term, None);
        assert!(e.is_current(2030));
    }
}
