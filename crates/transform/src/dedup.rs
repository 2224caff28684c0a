//! Merges rows that are certainly the same person: the same valid national ID, or the same
//! name, birth date and unit. Two different IDs are never merged, directly or through a
//! third row. (The probabilistic matcher of `model.md` §3 builds on this.)

use std::collections::HashMap;

use tonghop_model::record::{NationalId, Official, SourceRow};
use tonghop_model::text::fold;

/// Why rows were merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MergeReason {
    /// Same national ID.
    SameId,
    /// Same name and birth date in the same unit.
    SameNameBirthUnit,
}

impl MergeReason {
    /// Vietnamese reason for the duplicates sheet.
    pub fn label(self) -> &'static str {
        match self {
            Self::SameId => "cùng số CCCD/CMND",
            Self::SameNameBirthUnit => "trùng họ tên và ngày sinh, cùng đơn vị",
        }
    }
}

/// A value on which merged rows disagreed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The field's Vietnamese label.
    pub field: &'static str,
    /// The value kept (from the newest source).
    pub kept: String,
    /// The other values and where they came from.
    pub others: Vec<(String, SourceRow)>,
}

/// A group of rows merged into one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeGroup {
    /// Index of the person in [`Deduplicated::people`].
    pub person: usize,
    /// Every source row, the kept one first.
    pub rows: Vec<SourceRow>,
    /// Why they were merged.
    pub reasons: Vec<MergeReason>,
    /// Values on which they disagreed.
    pub conflicts: Vec<Conflict>,
}

/// Distinct people and the merges that made them.
#[derive(Debug, Clone, Default)]
pub struct Deduplicated {
    /// One official per person, in a stable order.
    pub people: Vec<Official>,
    /// Groups of more than one row.
    pub merges: Vec<MergeGroup>,
}

struct UnionFind {
    parent: Vec<usize>,
    id: Vec<Option<NationalId>>,
    reasons: Vec<Vec<MergeReason>>,
}

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins two sets unless they carry two different IDs (cannot-link).
    fn union(&mut self, a: usize, b: usize, reason: MergeReason) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        if let (Some(x), Some(y)) = (&self.id[ra], &self.id[rb])
            && x != y
        {
            return false;
        }
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[gone] = keep;
        if self.id[keep].is_none() {
            self.id[keep] = self.id[gone].take();
        }
        let moved = std::mem::take(&mut self.reasons[gone]);
        self.reasons[keep].extend(moved);
        if !self.reasons[keep].contains(&reason) {
            self.reasons[keep].push(reason);
        }
        true
    }
}

/// Merges exact duplicates. `recency(source)` orders sources from oldest to newest: the
/// newest row's values win, the others fill its gaps, and disagreements are listed.
pub fn merge_exact<R: Ord>(rows: Vec<Official>, recency: impl Fn(&SourceRow) -> R) -> Deduplicated {
    let n = rows.len();
    let mut uf = UnionFind {
        parent: (0..n).collect(),
        id: rows.iter().map(|o| o.national_id.clone()).collect(),
        reasons: vec![Vec::new(); n],
    };
    let mut by_id: HashMap<&NationalId, usize> = HashMap::new();
    for (i, o) in rows.iter().enumerate() {
        if let Some(id) = &o.national_id {
            match by_id.get(id) {
                Some(&first) => {
                    uf.union(first, i, MergeReason::SameId);
                }
                None => {
                    by_id.insert(id, i);
                }
            }
        }
    }
    let mut by_key: HashMap<(String, tonghop_model::record::BirthDate, usize), Vec<usize>> = HashMap::new();
    for (i, o) in rows.iter().enumerate() {
        if let (Some(birth), Some(unit)) = (o.birth_date, o.unit)
            && !o.full_name.is_empty()
        {
            by_key.entry((fold(&o.full_name), birth, unit.0)).or_default().push(i);
        }
    }
    let mut keyed: Vec<Vec<usize>> = by_key.into_values().filter(|v| v.len() > 1).collect();
    keyed.sort();
    for group in keyed {
        for &other in &group[1..] {
            uf.union(group[0], other, MergeReason::SameNameBirthUnit);
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let root = uf.find(i);
        members.entry(root).or_default().push(i);
    }
    let mut groups: Vec<(usize, Vec<usize>)> = members.into_iter().collect();
    groups.sort_by_key(|(root, _)| *root);
    let mut out = Deduplicated::default();
    let mut slots: Vec<Option<Official>> = rows.into_iter().map(Some).collect();
    for (root, mut idx) in groups {
        idx.sort_by(|a, b| {
            let (sa, sb) =
                (&slots[*a].as_ref().expect("unused").sources[0], &slots[*b].as_ref().expect("unused").sources[0]);
            recency(sb).cmp(&recency(sa)).then_with(|| sb.cmp(sa))
        });
        let group: Vec<Official> = idx.iter().map(|i| slots[*i].take().expect("each row in one group")).collect();
        let (person, conflicts) = combine(group);
        if person.sources.len() > 1 {
            out.merges.push(MergeGroup {
                person: out.people.len(),
                rows: person.sources.clone(),
                reasons: uf.reasons[root].clone(),
                conflicts,
            });
        }
        out.people.push(person);
    }
    out
}

/// Combines a group ordered newest first.
fn combine(group: Vec<Official>) -> (Official, Vec<Conflict>) {
    let mut iter = group.into_iter();
    let mut kept = iter.next().expect("a group has a row");
    let mut conflicts: Vec<Conflict> = Vec::new();
    for other in iter {
        let source = other.sources[0].clone();
        macro_rules! fill {
            ($field:ident, $label:literal, $show:expr) => {
                match (&kept.$field, &other.$field) {
                    (None, Some(_)) => kept.$field = other.$field.clone(),
                    (Some(a), Some(b)) if a != b => {
                        let show = $show;
                        let kept_text = show(a);
                        let other_text = show(b);
                        match conflicts.iter_mut().find(|c| c.field == $label) {
                            Some(c) => c.others.push((other_text, source.clone())),
                            None => conflicts.push(Conflict {
                                field: $label,
                                kept: kept_text,
                                others: vec![(other_text, source.clone())],
                            }),
                        }
                    }
                    _ => {}
                }
            };
        }
        fill!(birth_date, "Ngày sinh", |v: &tonghop_model::record::BirthDate| v.to_string());
        fill!(gender, "Giới tính", |v: &tonghop_model::codes::Gender| v.label().to_owned());
        fill!(ethnicity, "Dân tộc", |v: &tonghop_model::codes::Ethnicity| v.label().to_owned());
        fill!(religion, "Tôn giáo", |v: &String| v.clone());
        fill!(national_id, "Số CCCD/CMND", |v: &NationalId| v.0.clone());
        fill!(party_member, "Đảng viên", |v: &bool| if *v { "có" } else { "không" }.to_owned());
        fill!(party_join_date, "Ngày vào Đảng", |v: &chrono::NaiveDate| v.format("%d/%m/%Y").to_string());
        fill!(category, "Phân loại", |v: &tonghop_model::codes::Category| v.label().to_owned());
        fill!(general_education, "GDPT", |v: &tonghop_model::codes::GeneralEducation| v.label().to_owned());
        fill!(professional, "Chuyên môn", |v: &tonghop_model::codes::Professional| v.label().to_owned());
        fill!(professional_field, "Chuyên ngành", |v: &String| v.clone());
        fill!(political_theory, "Lý luận chính trị", |v: &tonghop_model::codes::PoliticalTheory| v
            .label()
            .to_owned());
        fill!(political_theory_studying, "Đang học LLCT", |v: &tonghop_model::codes::PoliticalTheory| v
            .label()
            .to_owned());
        fill!(state_management, "QLNN", |v: &tonghop_model::codes::StateManagement| v.label().to_owned());
        fill!(it, "Tin học", |v: &String| v.clone());
        fill!(foreign_language, "Ngoại ngữ", |v: &String| v.clone());
        fill!(ethnic_language, "Tiếng dân tộc", |v: &String| v.clone());
        // Rosters split by role list different positions of one person: keep them all.
        for p in other.positions {
            if !kept.positions.contains(&p) {
                kept.positions.push(p);
            }
        }
        if !other.positions_text.is_empty() && !kept.positions_text.contains(&other.positions_text) {
            kept.positions_text = if kept.positions_text.is_empty() {
                other.positions_text
            } else {
                format!("{}; {}", kept.positions_text, other.positions_text)
            };
        }
        kept.committee = kept.committee.max(other.committee);
        for p in other.planning {
            if !kept.planning.contains(&p) {
                kept.planning.push(p);
            }
        }
        for t in other.trainings {
            if !kept.trainings.contains(&t) {
                kept.trainings.push(t);
            }
        }
        kept.sources.extend(other.sources);
    }
    (kept, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonghop_model::codes::PoliticalTheory;
    use tonghop_model::record::BirthDate;
    use tonghop_model::units::UnitId;

    fn official(name: &str, year: i32, unit: usize, id: Option<&str>, file_index: usize) -> Official {
        Official {
            unit: Some(UnitId(unit)),
            full_name: name.into(),
            birth_date: Some(BirthDate { year, month: Some(1), day: Some(2) }),
            national_id: id.map(|s| NationalId(s.into())),
            sources: vec![SourceRow { file_index, file: format!("f{file_index}.xlsx"), sheet: "S".into(), row: 1 }],
            ..Official::default()
        }
    }

    #[test]
    fn same_id_merges_across_units_and_newest_wins() {
        let mut a = official("Lò Văn A", 1970, 1, Some("020070000001"), 0);
        a.political_theory = Some(PoliticalTheory::SoCap);
        let mut b = official("Lò Văn A", 1970, 2, Some("020070000001"), 1);
        b.political_theory = Some(PoliticalTheory::TrungCap);
        let d = merge_exact(vec![a, b], |s| s.file_index);
        assert_eq!(d.people.len(), 1);
        assert_eq!(d.people[0].unit, Some(UnitId(2)));
        assert_eq!(d.people[0].political_theory, Some(PoliticalTheory::TrungCap));
        assert_eq!(d.merges[0].reasons, vec![MergeReason::SameId]);
        assert_eq!(d.merges[0].conflicts[0].field, "Lý luận chính trị");
        assert_eq!(d.merges[0].conflicts[0].others[0].0, "Sơ cấp");
    }

    #[test]
    fn same_name_birth_unit_merges_but_not_across_units() {
        let rows = vec![
            official("Nguyễn Văn Hùng", 1980, 1, None, 0),
            official("NGUYỄN VĂN HÙNG", 1980, 1, None, 1),
            official("Nguyễn Văn Hùng", 1980, 2, None, 2),
            official("Nguyễn Văn Hùng", 1981, 1, None, 3),
        ];
        let d = merge_exact(rows, |s| s.file_index);
        assert_eq!(d.people.len(), 3);
        assert_eq!(d.merges.len(), 1);
        assert_eq!(d.merges[0].rows.len(), 2);
    }

    #[test]
    fn two_different_ids_are_never_merged_even_through_a_third_row() {
        let rows = vec![
            official("Hoàng Văn B", 1975, 1, Some("020075000001"), 0),
            official("Hoàng Văn B", 1975, 1, None, 1),
            official("Hoàng Văn B", 1975, 1, Some("020075000002"), 2),
        ];
        let d = merge_exact(rows, |s| s.file_index);
        assert_eq!(d.people.len(), 2);
        let ids: Vec<_> = d.people.iter().map(|p| p.national_id.clone().unwrap().0).collect();
        assert!(ids.contains(&"020075000001".to_owned()) && ids.contains(&"020075000002".to_owned()));
    }
}
