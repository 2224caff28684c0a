//! What changed since the previous period (the "Biến động" sheet): people of this month
//! matched to the previous month's with the deduplication's evidence. The previous period
//! is read from disk by `tonghop-history`; this module only compares.

use tonghop_model::codes::{PoliticalTheory, Position, Professional, StateManagement};
use tonghop_model::intake::UnitStatus;
use tonghop_model::record::Official;

/// The weight at which a person of this month is the person of last month. Lower than
/// the merge threshold of a month's rows: across two returns of the same unit a month
/// apart, the same name, birth date and unit are strong evidence even for a common name
/// written with only a birth year ("Nguyễn Xuân Hùng", 1979). Two equal candidates are
/// still never guessed.
const LINK_THRESHOLD: f64 = 10.0;

pub use tonghop_model::month::{Change, ChangeKind, Previous, comparable};

fn positions_text(o: &Official) -> String {
    o.positions.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ")
}

/// The changes between the previous period's people and this period's, people matched
/// across months with the deduplication matcher.
pub fn changes(
    previous: &Previous,
    current: &[Official],
    units: &[(tonghop_model::units::UnitId, UnitStatus)],
) -> Vec<Change> {
    let mut steps = tonghop_model::steps::Steps::start("changes");
    let links = crate::dedup::link(&previous.people, current, LINK_THRESHOLD, previous.ids_hashed_with.as_ref());
    steps.lap("people matched across months");
    let mut linked = vec![false; previous.people.len()];
    let mut out = Vec::new();
    for (person, link) in current.iter().zip(&links) {
        let Some(i) = *link else {
            out.push(Change { kind: ChangeKind::Joined, person: person.clone(), detail: String::new() });
            continue;
        };
        linked[i] = true;
        let before = &previous.people[i];
        if before.unit != person.unit {
            out.push(Change { kind: ChangeKind::MovedUnit, person: person.clone(), detail: String::new() });
        }
        let mut was: Vec<Position> = before.positions.clone();
        let mut now: Vec<Position> = person.positions.clone();
        was.sort();
        now.sort();
        if was != now {
            out.push(Change {
                kind: ChangeKind::Positions,
                person: person.clone(),
                detail: format!("{} → {}", positions_text(before), positions_text(person)),
            });
        }
        let mut steps = Vec::new();
        let mut compare = |what: &str, a: Option<&'static str>, b: Option<&'static str>| {
            if let (Some(a), Some(b)) = (a, b)
                && a != b
            {
                steps.push(format!("{what}: {a} → {b}"));
            }
        };
        compare(
            "LLCT",
            before.political_theory.map(PoliticalTheory::label),
            person.political_theory.map(PoliticalTheory::label),
        );
        compare(
            "Chuyên môn",
            before.professional.map(Professional::label),
            person.professional.map(Professional::label),
        );
        compare(
            "QLNN",
            before.state_management.map(StateManagement::label),
            person.state_management.map(StateManagement::label),
        );
        if !steps.is_empty() {
            out.push(Change { kind: ChangeKind::Qualification, person: person.clone(), detail: steps.join("; ") });
        }
    }
    let received: std::collections::BTreeSet<tonghop_model::units::UnitId> =
        units.iter().filter(|(_, s)| *s == UnitStatus::Received).map(|(u, _)| *u).collect();
    let reported = |o: &Official| o.unit.is_some_and(|u| received.contains(&u));
    for (person, _) in previous.people.iter().zip(&linked).filter(|(_, l)| !**l) {
        let kind = if reported(person) { ChangeKind::Left } else { ChangeKind::NotReported };
        out.push(Change { kind, person: person.clone(), detail: String::new() });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use tonghop_model::record::BirthDate;
    use tonghop_model::units::UnitId;

    fn person(unit: usize, name: &str, birth: BirthDate, positions: &[Position]) -> Official {
        Official {
            unit: Some(UnitId(unit)),
            full_name: name.to_owned(),
            birth_date: Some(birth),
            positions: positions.to_vec(),
            ..Official::default()
        }
    }

    #[test]
    fn a_common_name_with_only_a_birth_year_is_the_same_person_a_month_later() {
        // Four people named Nguyễn Xuân Hùng; the agency's is written with a year only.
        let full = |y, m, d| BirthDate { year: y, month: Some(m), day: Some(d) };
        let year = |y| BirthDate { year: y, month: None, day: None };
        // A district's month: a couple of hundred other people, whose names make these
        // common or rare.
        let given = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hà", "Khoa", "Lan", "Minh", "Nga"];
        let family = ["Hoàng", "Lương", "Vi", "Chu", "Lăng", "Hứa", "Triệu", "Mông", "Đinh", "Tô"];
        let mut month: Vec<Official> = (0_u32..200)
            .map(|i| {
                let name = format!("{} Văn {}", family[(i % 10) as usize], given[(i / 20) as usize]);
                let born = full(1960 + i32::try_from(i % 30).unwrap(), 1 + i % 12, 1 + i % 28);
                person(5 + (i % 20) as usize, &name, born, &[])
            })
            .collect();
        month.extend([
            person(1, "Nguyễn Xuân Hùng", full(1963, 11, 11), &[Position::DangUyVien]),
            person(2, "Nguyễn Xuân Hùng", full(1984, 4, 10), &[Position::VanHoaXaHoi]),
            person(3, "Nguyễn Xuân Hùng", full(1993, 10, 17), &[Position::DangUyVien]),
            person(40, "Nguyễn Xuân Hùng", year(1979), &[Position::CapPho]),
            person(40, "Lò Thị Hoa", year(1980), &[Position::CapTruong]),
        ]);
        let previous = Previous {
            period: "2024-02".parse().unwrap(),
            indicators: BTreeMap::new(),
            people: month.clone(),
            ids_hashed_with: None,
        };
        let units: Vec<(UnitId, UnitStatus)> = (0..41).map(|u| (UnitId(u), UnitStatus::Received)).collect();
        assert_eq!(changes(&previous, &month, &units), Vec::new());

        // Two people of the same name and year in one unit: not guessed, listed.
        let mut twins = month.clone();
        twins.push(person(40, "Nguyễn Xuân Hùng", year(1979), &[Position::CapPho]));
        let listed = changes(&previous, &twins, &units);
        assert!(listed.iter().all(|c| c.person.full_name == "Nguyễn Xuân Hùng"), "{listed:?}");
        assert!(listed.iter().any(|c| c.kind == ChangeKind::Joined));
    }

    #[test]
    fn people_match_a_history_that_keeps_only_hashes_of_their_ids() {
        use tonghop_model::ids::IdHasher;
        use tonghop_model::record::NationalId;
        let full = |y, m, d| BirthDate { year: y, month: Some(m), day: Some(d) };
        // Namesakes born the same day in one unit, told apart by their IDs alone.
        let mut month = vec![
            person(1, "Nguyễn Văn An", full(1980, 1, 1), &[Position::DangUyVien]),
            person(1, "Nguyễn Văn An", full(1980, 1, 1), &[Position::CapPho]),
        ];
        month[0].national_id = Some(NationalId("020080000001".into()));
        month[1].national_id = Some(NationalId("020080000002".into()));
        let hasher = IdHasher::new([7; tonghop_model::ids::KEY_BYTES]);
        let mut stored = month.clone();
        for p in &mut stored {
            p.national_id = p.national_id.as_ref().map(|id| hasher.hash(id));
        }
        let units: Vec<(UnitId, UnitStatus)> = vec![(UnitId(1), UnitStatus::Received)];
        let previous = |ids_hashed_with| Previous {
            period: "2024-02".parse().unwrap(),
            indicators: BTreeMap::new(),
            people: stored.clone(),
            ids_hashed_with,
        };
        // Hashed alike, each is last month's self: nothing changed.
        assert_eq!(changes(&previous(Some(hasher.clone())), &month, &units), Vec::new());
        // Compared with the numbers, every hash differs: both would be new, both gone.
        let unhashed = changes(&previous(None), &month, &units);
        assert_eq!(unhashed.iter().filter(|c| c.kind == ChangeKind::Joined).count(), 2, "{unhashed:?}");
        // Swapped positions are seen as such, through the hashes.
        let mut swapped = month.clone();
        swapped.swap(0, 1);
        swapped[0].positions = vec![Position::DangUyVien];
        swapped[1].positions = vec![Position::CapPho];
        let seen = changes(&previous(Some(hasher)), &swapped, &units);
        assert_eq!(seen.iter().filter(|c| c.kind == ChangeKind::Positions).count(), 2, "{seen:?}");
    }
}
