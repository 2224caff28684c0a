//! Whether a unit's roster looks read right, from the legal structure of its kind (Decree
//! 33/2023/NĐ-CP and Party practice): a commune has one Party secretary, one chairman of
//! the People's Committee, civil servants, a committee of usual size; and the coded fields
//! of a return are read for most of its people. A failed check does not change a figure:
//! it is a warning "số liệu có thể đọc sai" on the unit, for the clerk to look at the
//! return. The checks are made so that a correctly read unit raises none.

use tonghop_model::UnitKind;
use tonghop_model::codes::{Category, Position};
use tonghop_model::record::Official;

/// Fewer people than this and the structure is not judged: a partial return (a supplement,
/// a list of the month's changes) need not hold the whole committee.
pub const MIN_PEOPLE_FOR_STRUCTURE: usize = 8;

/// A commune's whole roster of this size has both men and women.
const MIN_PEOPLE_FOR_UNIFORM_GENDER: usize = 12;

/// A Party committee of a commune has 9 to 25 members by the rules of congresses; further
/// off than this, the committee column is more likely misread than the committee unusual.
const COMMITTEE_RANGE: std::ops::RangeInclusive<usize> = 5..=35;

pub use tonghop_model::month::DOUBT;

/// The warnings a unit's people raise; empty when the roster looks read right.
pub fn unit_warnings(kind: UnitKind, people: &[&Official]) -> Vec<String> {
    let mut out = Vec::new();
    let n = people.len();
    if n == 0 {
        return out;
    }
    if kind.is_commune_level() && n >= MIN_PEOPLE_FOR_STRUCTURE {
        let count = |p: Position| people.iter().filter(|o| o.holds(p)).count();
        match count(Position::BiThu) {
            0 => out.push("không có Bí thư Đảng ủy".to_owned()),
            1 => {}
            k => out.push(format!("có {k} Bí thư Đảng ủy")),
        }
        match count(Position::CtUbnd) {
            0 => out.push("không có Chủ tịch UBND".to_owned()),
            1 => {}
            k => out.push(format!("có {k} Chủ tịch UBND")),
        }
        if !people.iter().any(|o| o.category == Some(Category::CongChuc)) {
            out.push("không có công chức nào".to_owned());
        }
        let committee = people.iter().filter(|o| o.is_committee_member()).count();
        // Plain members (cấp ủy viên, BTV) are known only from a committee column or their
        // own position: without any, the committee was never listed, only the secretaries
        // seen from their posts, and its size says nothing. Far too many is always doubtful.
        let listed = people.iter().any(|o| {
            matches!(
                o.committee,
                Some(
                    tonghop_model::codes::CommitteeLevel::CapUyVien | tonghop_model::codes::CommitteeLevel::BanThuongVu
                )
            )
        });
        if committee > *COMMITTEE_RANGE.end() || (listed && committee < *COMMITTEE_RANGE.start()) {
            out.push(format!("cấp ủy {committee} người, khác xa quy mô thường gặp (9–25)"));
        }
        // Everybody of one gender in a commune's whole roster: a gender read from the wrong
        // column (a "Nam" meant as a year, a one-hot group read wrong).
        let men = people.iter().filter(|o| o.gender == Some(tonghop_model::codes::Gender::Nam)).count();
        let women = people.iter().filter(|o| o.gender == Some(tonghop_model::codes::Gender::Nu)).count();
        if n >= MIN_PEOPLE_FOR_UNIFORM_GENDER && (men == n || women == n) {
            out.push(format!("cả {n} người cùng giới tính"));
        }
        // A commune's officials are nearly all Party members: a membership column read for
        // most of them and marking nobody is a column left blank or read from elsewhere.
        let known = people.iter().filter(|o| o.party_member.is_some()).count();
        let members = people.iter().filter(|o| o.party_member == Some(true)).count();
        if known * 2 > n && members == 0 {
            out.push(format!("không ai trong {n} người là đảng viên"));
        }
    }
    // A field read for somebody but unknown for most: its column is probably misread.
    let mostly_unknown = |known: usize| known > 0 && (n - known) * 2 > n && n >= 4;
    let fields: [(&str, usize); 4] = [
        ("ngày sinh", people.iter().filter(|o| o.birth_date.is_some()).count()),
        ("giới tính", people.iter().filter(|o| o.gender.is_some()).count()),
        ("lý luận chính trị", people.iter().filter(|o| o.political_theory.is_some()).count()),
        ("chuyên môn", people.iter().filter(|o| o.professional.is_some()).count()),
    ];
    for (label, known) in fields {
        if mostly_unknown(known) {
            out.push(format!("{label} không đọc được cho {}/{n} người", n - known));
        }
    }
    let members: Vec<&&Official> = people.iter().filter(|o| o.is_committee_member()).collect();
    let political_theory_unknown = members.iter().filter(|o| o.political_theory.is_none()).count();
    if members.len() >= 3 && political_theory_unknown * 2 > members.len() {
        out.push(format!("không rõ lý luận chính trị của {political_theory_unknown}/{} cấp ủy viên", members.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use tonghop_model::codes::{CommitteeLevel, Gender, PoliticalTheory};
    use tonghop_model::record::BirthDate;

    use super::*;

    fn person(positions: &[Position], category: Category, committee: CommitteeLevel) -> Official {
        Official {
            full_name: "Lò Văn A".to_owned(),
            birth_date: Some(BirthDate { year: 1980, month: None, day: None }),
            gender: Some(Gender::Nam),
            positions: positions.to_vec(),
            category: Some(category),
            committee: Some(committee),
            political_theory: Some(PoliticalTheory::TrungCap),
            ..Official::default()
        }
    }

    fn commune() -> Vec<Official> {
        let mut people = vec![
            person(&[Position::BiThu], Category::CanBo, CommitteeLevel::BiThu),
            person(&[Position::CtUbnd], Category::CanBo, CommitteeLevel::PhoBiThu),
        ];
        for _ in 0..8 {
            people.push(person(&[], Category::CanBo, CommitteeLevel::CapUyVien));
        }
        for _ in 0..6 {
            people.push(person(&[], Category::CongChuc, CommitteeLevel::Khong));
        }
        for p in people.iter_mut().skip(3).step_by(3) {
            p.gender = Some(Gender::Nu);
        }
        // A membership column marking the cán bộ, not the civil servants.
        for p in &mut people {
            p.party_member = Some(p.category == Some(Category::CanBo));
        }
        people
    }

    #[test]
    fn a_commune_where_nobody_is_a_party_member_is_doubted() {
        let mut people = commune();
        for p in &mut people {
            p.party_member = Some(false);
        }
        let refs: Vec<&Official> = people.iter().collect();
        assert_eq!(unit_warnings(UnitKind::Xa, &refs), vec!["không ai trong 16 người là đảng viên".to_owned()]);
        // A return without the column says nothing of membership: no doubt.
        for p in &mut people {
            p.party_member = None;
        }
        let refs: Vec<&Official> = people.iter().collect();
        assert!(unit_warnings(UnitKind::Xa, &refs).is_empty());
    }

    #[test]
    fn a_commune_read_right_raises_nothing() {
        let people = commune();
        let refs: Vec<&Official> = people.iter().collect();
        assert_eq!(unit_warnings(UnitKind::Xa, &refs), Vec::<String>::new());
    }

    #[test]
    fn a_misread_commune_is_doubted() {
        // Positions lost (a column misread), LLCT unknown for the committee.
        let mut people = commune();
        for p in &mut people {
            p.positions.clear();
            p.political_theory = None;
        }
        people[0].political_theory = Some(PoliticalTheory::CaoCap);
        let refs: Vec<&Official> = people.iter().collect();
        let warnings = unit_warnings(UnitKind::Xa, &refs);
        assert!(warnings.contains(&"không có Bí thư Đảng ủy".to_owned()), "{warnings:?}");
        assert!(warnings.contains(&"không có Chủ tịch UBND".to_owned()), "{warnings:?}");
        assert!(warnings.iter().any(|w| w.starts_with("lý luận chính trị không đọc được cho 15/16")), "{warnings:?}");
        assert!(warnings.iter().any(|w| w.starts_with("không rõ lý luận chính trị của 9/10")), "{warnings:?}");
        // Two secretaries, no civil servant, a committee of 40.
        let mut people = commune();
        people[2].positions = vec![Position::BiThu];
        for p in &mut people {
            p.category = Some(Category::CanBo);
        }
        for _ in 0..30 {
            people.push(person(&[], Category::CanBo, CommitteeLevel::CapUyVien));
        }
        let refs: Vec<&Official> = people.iter().collect();
        let warnings = unit_warnings(UnitKind::Xa, &refs);
        assert!(warnings.contains(&"có 2 Bí thư Đảng ủy".to_owned()), "{warnings:?}");
        assert!(warnings.contains(&"không có công chức nào".to_owned()), "{warnings:?}");
        assert!(warnings.iter().any(|w| w.starts_with("cấp ủy 40 người")), "{warnings:?}");
    }

    #[test]
    fn a_committee_seen_only_from_leaders_posts_is_not_judged_by_its_size() {
        // No committee column: the secretary and his deputy are committee members from
        // their posts, nobody else is known to be; a correct commune.
        let mut people = commune();
        for p in &mut people[2..] {
            p.committee = Some(CommitteeLevel::Khong);
        }
        people[1].positions.push(Position::PhoBiThu);
        let refs: Vec<&Official> = people.iter().collect();
        assert_eq!(unit_warnings(UnitKind::Xa, &refs), Vec::<String>::new());
    }

    #[test]
    fn a_commune_of_one_gender_is_doubted() {
        let mut people = commune();
        let refs: Vec<&Official> = people.iter().collect();
        assert!(unit_warnings(UnitKind::Xa, &refs).is_empty());
        for p in &mut people {
            p.gender = Some(Gender::Nam);
        }
        let refs: Vec<&Official> = people.iter().collect();
        assert_eq!(unit_warnings(UnitKind::Xa, &refs), vec!["cả 16 người cùng giới tính".to_owned()]);
    }

    #[test]
    fn a_district_agency_is_not_held_to_a_commune_structure() {
        let people: Vec<Official> =
            (0..10).map(|_| person(&[Position::NhanVien], Category::CongChuc, CommitteeLevel::Khong)).collect();
        let refs: Vec<&Official> = people.iter().collect();
        assert!(unit_warnings(UnitKind::CoQuanHuyen, &refs).is_empty());
        assert_eq!(unit_warnings(UnitKind::Xa, &refs).len(), 2, "no secretary, no chairman");
    }
}
