//! Named cases: every kind of duplicate that must merge, every trap that must stay apart.

use tonghop_model::codes::{Gender, PoliticalTheory, Position};
use tonghop_model::record::{BirthDate, NationalId, Official, SourceRow};
use tonghop_model::units::UnitId;

use super::*;

fn row(name: &str, birth: &str, unit: usize, file_index: usize) -> Official {
    let parts: Vec<i32> = birth.split('/').map(|p| p.parse().unwrap()).collect();
    let birth_date = match parts.as_slice() {
        [d, m, y] => BirthDate { year: *y, month: Some(*m as u32), day: Some(*d as u32) },
        [y] => BirthDate { year: *y, month: None, day: None },
        _ => unreachable!(),
    };
    Official {
        unit: Some(UnitId(unit)),
        full_name: name.into(),
        birth_date: Some(birth_date),
        gender: Some(if tonghop_model::text::fold(name).contains(" thi ") { Gender::Nu } else { Gender::Nam }),
        sources: vec![SourceRow {
            file_index,
            file: format!("f{file_index}.xlsx").into(),
            sheet: "S".into(),
            row: file_index as u32,
        }],
        ..Official::default()
    }
}

/// A row with what a return records besides the name: ethnicity, levels, category.
fn recorded(mut o: Official, ethnicity: &str, theory: PoliticalTheory) -> Official {
    o.ethnicity = tonghop_model::codes::parse_ethnicity(ethnicity);
    o.political_theory = Some(theory);
    o.category = Some(tonghop_model::codes::Category::CongChuc);
    o
}

fn with_id(mut o: Official, id: &str) -> Official {
    o.national_id = Some(NationalId(id.into()));
    o
}

/// A district-size month of unrelated people, so that name frequencies are realistic.
fn background() -> Vec<Official> {
    let family = ["Hoàng", "Lương", "Vi", "Chu", "Lăng", "Phạm", "Trần", "Dương", "Mông", "Lộc"];
    let middle = ["Văn", "Đức", "Minh", "Xuân", "Quang"];
    let given = ["Tú", "Bảo", "An", "Sáng", "Kiên", "Toàn", "Lực", "Định", "Phong", "Vinh", "Khánh", "Trường"];
    (0..600)
        .map(|i| {
            let name = format!("{} {} {}", family[i % 10], middle[(i / 10) % 5], given[(i / 50) % 12]);
            row(&name, &format!("{:02}/{:02}/{}", 1 + i % 28, 1 + i % 12, 1960 + i % 35), 20 + i % 25, 1000 + i)
        })
        .collect()
}

fn people_after(rows: Vec<Official>) -> Deduplicated {
    let mut all = background();
    all.extend(rows);
    deduplicate(all, |s| s.file_index)
}

fn merged(d: &Deduplicated) -> usize {
    d.merges.len()
}

#[test]
fn copied_row_merges() {
    let d = people_after(vec![row("Nguyễn Văn Hùng", "12/05/1978", 1, 0), row("Nguyễn Văn Hùng", "12/05/1978", 1, 1)]);
    assert_eq!(merged(&d), 1);
    assert!(d.merges[0].reasons.contains(&Evidence::NameExact) && d.merges[0].reasons.contains(&Evidence::BirthExact));
}

#[test]
fn same_person_on_two_sheets_with_tone_and_date_format_differences_merges() {
    let d = people_after(vec![row("Lê Thị Hoà", "03/04/1980", 1, 0), row("Lê Thị Hòa", "03/04/1980", 1, 1)]);
    assert_eq!(merged(&d), 1);
    assert!(d.merges[0].reasons.contains(&Evidence::NameTonePlacement));
}

#[test]
fn corrected_resubmission_with_the_same_id_merges_and_newest_wins() {
    let mut old = with_id(row("Triệu Văn Lâm", "01/02/1975", 1, 0), "020075000123");
    old.political_theory = Some(PoliticalTheory::SoCap);
    let mut new = with_id(row("Triệu Văn Lâm", "01/02/1975", 1, 5), "020075000123");
    new.political_theory = Some(PoliticalTheory::TrungCap);
    let d = people_after(vec![old, new]);
    assert_eq!(merged(&d), 1);
    let person = &d.people[d.merges[0].person];
    assert_eq!(person.political_theory, Some(PoliticalTheory::TrungCap));
    assert_eq!(d.merges[0].conflicts.len(), 1);
}

#[test]
fn transfer_between_units_with_the_same_id_merges_into_the_newest_unit() {
    let a = with_id(row("Bế Văn Quý", "09/09/1985", 1, 0), "020085000777");
    let b = with_id(row("Bế Văn Quý", "09/09/1985", 2, 7), "020085000777");
    let d = people_after(vec![a, b]);
    assert_eq!(merged(&d), 1);
    assert_eq!(d.people[d.merges[0].person].unit, Some(UnitId(2)));
    assert!(d.merges[0].reasons.contains(&Evidence::SameId));
}

#[test]
fn typos_and_missing_diacritics_merge() {
    let d = people_after(vec![
        row("Nông Thị Thanh Huyền", "21/11/1990", 1, 0),
        row("Nong Thi Thanh Huyen", "21/11/1990", 1, 1),
        recorded(row("Đàm Văn Chiến", "02/03/1972", 1, 2), "Tày", PoliticalTheory::TrungCap),
        recorded(row("Đàm Văn Chiếm", "02/03/1972", 1, 3), "Tày", PoliticalTheory::TrungCap),
        row("Lục Văn Hải", "07/08/1969", 1, 4),
        row("Lục Văn Hải", "08/07/1969", 1, 5),
        row("Hà Thị Nga", "1988", 1, 6),
        row("Hà Thị Nga", "15/06/1988", 1, 8),
    ]);
    let kinds: Vec<&Vec<Evidence>> = d.merges.iter().map(|m| &m.reasons).collect();
    assert_eq!(
        merged(&d),
        3,
        "{kinds:?} review: {:?}",
        d.review.iter().map(|r| (&r.reasons, r.weight)).collect::<Vec<_>>()
    );
    assert!(kinds.iter().any(|r| r.contains(&Evidence::NameAccentFree)));
    assert!(kinds.iter().any(|r| r.contains(&Evidence::NameVeryClose)));
    assert!(kinds.iter().any(|r| r.contains(&Evidence::BirthSwapped)));
    // A year-only date against a full date of that year is weaker: a review pair.
    assert_eq!(d.review.len(), 1);
    assert!(d.review[0].reasons.contains(&Evidence::BirthYearOnly));
}

#[test]
fn trap_same_name_different_birth_dates_in_one_unit_stays_apart() {
    let d = people_after(vec![row("Nguyễn Văn Hùng", "12/05/1978", 1, 0), row("Nguyễn Văn Hùng", "03/10/1984", 1, 1)]);
    assert_eq!(merged(&d), 0);
    assert!(d.review.is_empty());
}

#[test]
fn trap_same_name_and_birth_year_is_at_most_a_review_pair() {
    let d = people_after(vec![row("Nguyễn Văn Hùng", "12/05/1978", 1, 0), row("Nguyễn Văn Hùng", "23/01/1978", 1, 1)]);
    assert_eq!(merged(&d), 0);
}

#[test]
fn trap_same_name_and_birth_date_in_two_units_without_id_stays_apart() {
    let d = people_after(vec![row("Nguyễn Văn Hùng", "12/05/1978", 1, 0), row("Nguyễn Văn Hùng", "12/05/1978", 2, 1)]);
    assert_eq!(merged(&d), 0);
    assert_eq!(d.review.len(), 1, "they are listed for a person to decide");
}

#[test]
fn trap_two_different_ids_with_everything_else_equal_stay_apart_even_through_a_third_row() {
    let mut a = with_id(row("Hoàng Văn Tuấn", "05/05/1980", 1, 0), "020080000001");
    a.positions = vec![Position::VanPhongThongKe];
    let mut b = with_id(row("Hoàng Văn Tuấn", "05/05/1980", 1, 1), "020080000002");
    b.positions = vec![Position::VanPhongThongKe];
    let c = row("Hoàng Văn Tuấn", "05/05/1980", 1, 2);
    let d = people_after(vec![a, b, c]);
    let ids: Vec<_> = d.people.iter().filter_map(|p| p.national_id.clone()).collect();
    assert_eq!(ids.len(), 2, "both IDs survive as two people");
    assert!(d.merges.iter().all(|m| m.rows.len() <= 2));
}

#[test]
fn two_different_ids_outweigh_everything_else_that_agrees() {
    // The most a pair can gain besides its IDs: same rare name, full birth date, gender,
    // unit and position.
    let mut a = with_id(row("Lăng Thị Quý", "01/01/1980", 3, 0), "020080000001");
    a.positions = vec![Position::VanPhongThongKe];
    let mut b = with_id(a.clone(), "020080000002");
    b.sources[0].file_index = 1;
    let rows = vec![a.clone(), b, a];
    let keys = keys_of(&rows);
    let names = NameFrequencies::new(&keys);
    let same_id = score(&rows[0], &keys[0], &rows[2], &keys[2], &names);
    assert!(same_id.weight - 40.0 < 30.0, "all but the ID weighs {}", same_id.weight - 40.0);
    let different = score(&rows[0], &keys[0], &rows[1], &keys[1], &names);
    assert!(different.weight < REVIEW_THRESHOLD - 900.0, "{}", different.weight);
    // Nothing else is worked out for such a pair.
    assert_eq!(different.evidence(), vec![Evidence::DifferentId]);
}

#[test]
fn a_rare_name_counts_for_more_than_a_common_one() {
    let mut month: Vec<Official> = (0..40)
        .map(|i| row("Nguyễn Văn Hùng", &format!("1{}/0{}/19{}", i % 9, 1 + i % 8, 50 + i), 3, 200 + i))
        .collect();
    month.push(row("Lăng Thị Quý", "01/01/1980", 3, 300));
    let rows: Vec<Official> = month.clone();
    let keys = keys_of(&rows);
    let names = NameFrequencies::new(&keys);
    let common = score(&rows[0], &keys[0], &rows[0], &keys[0], &names);
    let rare = score(&rows[40], &keys[40], &rows[40], &keys[40], &names);
    assert!(rare.weight > common.weight, "{} vs {}", rare.weight, common.weight);
}

#[test]
fn one_letter_slip_in_a_short_given_name_merges_but_another_given_name_does_not() {
    let d = people_after(vec![
        recorded(row("Nguyễn Thanh Vân", "01/07/1974", 1, 0), "Kinh", PoliticalTheory::SoCap),
        recorded(row("Nguyễn Thanh Vâg", "01/07/1974", 1, 1), "Kinh", PoliticalTheory::SoCap),
        row("Nguyễn Đức Phong", "24/04/1960", 1, 2),
        row("Nguyễn Đức Hải", "24/04/1960", 1, 3),
    ]);
    assert_eq!(merged(&d), 1);
    assert!(d.merges[0].reasons.contains(&Evidence::NameVeryClose));
    assert!(
        d.people.iter().any(|p| p.full_name == "Nguyễn Đức Phong")
            && d.people.iter().any(|p| p.full_name == "Nguyễn Đức Hải")
    );
}

#[test]
fn people_come_in_order_of_their_first_row_and_every_row_is_in_exactly_one() {
    // Duplicates interleaved with other people: A, A again, B, C, B again.
    let rows = vec![
        row("Nguyễn Văn Hùng", "12/05/1978", 1, 0),
        row("Nguyễn Văn Hùng", "12/05/1978", 1, 1),
        row("Lò Thị Bình", "03/09/1985", 2, 2),
        row("Hà Văn Cường", "21/01/1990", 3, 3),
        row("Lò Thị Bình", "03/09/1985", 2, 4),
    ];
    let d = deduplicate(rows, |s| s.file_index);
    let names: Vec<&str> = d.people.iter().map(|p| p.full_name.as_str()).collect();
    assert_eq!(names, ["Nguyễn Văn Hùng", "Lò Thị Bình", "Hà Văn Cường"]);
    let sources: Vec<Vec<usize>> = d.people.iter().map(|p| p.sources.iter().map(|s| s.file_index).collect()).collect();
    // The newest row first in each person; no row lost or used twice.
    assert_eq!(sources, [vec![1, 0], vec![4, 2], vec![3]]);
    let merged_people: Vec<usize> = d.merges.iter().map(|m| m.person).collect();
    assert_eq!(merged_people, [0, 1]);
    assert!(d.merges.iter().all(|m| m.rows == d.people[m.person].sources));
}

#[test]
fn identical_rows_merge_whatever_their_number() {
    // One row copied 250 times, and one person on 1,000 sheets (same row, other sources):
    // blocks compare at most 200 rows, copies must not depend on them.
    let copies: Vec<Official> = (0..250).map(|i| row("Lục Văn Thạch", "1975", 4, 10 + i)).collect();
    let sheets: Vec<Official> = (0..1000)
        .map(|i| {
            let mut o = row("Nông Thị Hiền", "03/04/1982", 5, 5000);
            o.sources[0].sheet = format!("S{i}").into();
            o
        })
        .collect();
    let mut rows = copies;
    rows.extend(sheets);
    let d = people_after(rows);
    assert_eq!(d.people.len(), 600 + 2);
    let thach = d.people.iter().find(|p| p.full_name == "Lục Văn Thạch").unwrap();
    assert_eq!(thach.sources.len(), 250);
    let hien = d.people.iter().find(|p| p.full_name == "Nông Thị Hiền").unwrap();
    assert_eq!(hien.sources.len(), 1000);
    assert_eq!(merged(&d), 2);
    assert!(d.merges.iter().all(|m| m.reasons.contains(&Evidence::NameExact)), "{:?}", d.merges[0].reasons);
}

#[test]
fn identical_rows_that_would_not_merge_as_a_pair_stay_apart() {
    // A name and a unit, nothing else: two such rows are not one person on that alone.
    let bare = |i: usize| Official { birth_date: None, gender: None, ..row("Hoàng Văn Tú", "1970", 3, 50 + i) };
    let d = people_after((0..3).map(bare).collect());
    assert_eq!(d.people.iter().filter(|p| p.full_name == "Hoàng Văn Tú" && p.birth_date.is_none()).count(), 3);
}

#[test]
fn a_copy_joins_the_person_its_original_merges_with() {
    // The original merges with a typed-again row (a slip in the date format is none, a tone
    // mark placed differently is); its 300 copies go along.
    let mut rows: Vec<Official> = (0..300).map(|i| row("Triệu Thị Hoà", "12/06/1979", 6, 10 + i)).collect();
    rows.push(row("Triệu Thị Hòa", "12/06/1979", 6, 400));
    let d = people_after(rows);
    let hoa: Vec<&Official> =
        d.people.iter().filter(|p| p.birth_date.is_some_and(|b| b.year == 1979 && b.day == Some(12))).collect();
    assert_eq!(hoa.len(), 1);
    assert_eq!(hoa[0].sources.len(), 301);
}

#[test]
fn a_typo_variant_never_merges_on_birth_date_and_unit_alone() {
    // The same birth date, unit and gender, a name one letter off, nothing else recorded:
    // a review pair, not a merge.
    let d = people_after(vec![row("Hoàng Văn Khải", "09/10/1981", 2, 0), row("Hoàng Văn Khảm", "09/10/1981", 2, 1)]);
    assert_eq!(merged(&d), 0);
    assert_eq!(d.review.len(), 1);
    assert!(d.review[0].reasons.contains(&Evidence::NameVeryClose));
    // Its explanation adds up to its weight, the cap that held it back included.
    let r = &d.review[0];
    let total: f64 = r.contributions.iter().map(|(_, w)| w).sum();
    assert!((total - r.weight).abs() < 1e-9, "{:?} = {}", r.contributions, r.weight);
    assert!(r.contributions.iter().any(|(e, w)| *e == Evidence::OnlyTypoName && *w < 0.0));
    assert!(r.contributions.iter().any(|(e, w)| *e == Evidence::BirthExact && *w > 0.0));
}

#[test]
fn look_alikes_that_differ_in_what_does_not_change_stay_apart() {
    // A typo variant with the same birth date and unit, whose ethnicity, category and
    // levels all differ: two people (the false merges of a national month).
    let mut tien = recorded(row("Lương Văn Tiến", "05/05/1985", 3, 0), "Tày", PoliticalTheory::TrungCap);
    let mut tieu = recorded(row("Lương Văn Tiếu", "05/05/1985", 3, 1), "Nùng", PoliticalTheory::SoCap);
    tieu.category = Some(tonghop_model::codes::Category::KhongChuyenTrach);
    tien.state_management = tonghop_model::codes::parse_state_management("Chuyên viên");
    tieu.state_management = tonghop_model::codes::parse_state_management("Chuyên viên chính");
    let d = people_after(vec![tien, tieu]);
    assert_eq!(merged(&d), 0);
    assert!(d.review.is_empty(), "{:?}", d.review.iter().map(|r| (&r.reasons, r.weight)).collect::<Vec<_>>());
    // The same name exactly, everything else equal but the ethnicity: two people too.
    let tay = recorded(row("Lương Văn Tiến", "05/05/1985", 3, 2), "Tày", PoliticalTheory::TrungCap);
    let dao = recorded(row("Lương Văn Tiến", "05/05/1985", 3, 3), "Dao", PoliticalTheory::TrungCap);
    let d = people_after(vec![tay, dao]);
    assert_eq!(merged(&d), 0);
}

#[test]
fn two_genders_or_two_full_birth_dates_are_never_merged_and_asked_only_when_all_else_agrees() {
    let quy =
        |birth: &str, i: usize, theory: PoliticalTheory| recorded(row("Nông Thanh Quý", birth, 3, i), "Tày", theory);
    // The same rare name, birth date and unit, everything recorded alike but the gender:
    // a slip in one column is as likely as two such people, so the clerk is asked.
    let woman = Official { gender: Some(Gender::Nu), ..quy("14/09/1988", 1, PoliticalTheory::TrungCap) };
    let d = people_after(vec![quy("14/09/1988", 0, PoliticalTheory::TrungCap), woman.clone()]);
    assert_eq!((merged(&d), d.review.len()), (0, 1));
    assert!(d.review[0].reasons.contains(&Evidence::GenderDifferent), "{:?}", d.review[0].reasons);
    // The gender and a level differ: two people, not asked.
    let woman = Official { political_theory: Some(PoliticalTheory::CaoCap), ..woman };
    let d = people_after(vec![quy("14/09/1988", 0, PoliticalTheory::TrungCap), woman]);
    assert_eq!((merged(&d), d.review.len()), (0, 0));
    // Two full birth dates of one month and year, all else alike: asked, not merged.
    let d = people_after(vec![
        quy("14/09/1988", 0, PoliticalTheory::TrungCap),
        quy("21/09/1988", 1, PoliticalTheory::TrungCap),
    ]);
    assert_eq!((merged(&d), d.review.len()), (0, 1));
    // Nothing recorded to say that all else agrees: not asked.
    let d = people_after(vec![row("Nông Thanh Quý", "14/09/1988", 3, 0), row("Nông Thanh Quý", "21/09/1988", 3, 1)]);
    assert_eq!((merged(&d), d.review.len()), (0, 0));
    // A correction with one ID is still one person.
    let a = with_id(quy("14/09/1988", 0, PoliticalTheory::TrungCap), "020088000123");
    let b = with_id(quy("21/09/1988", 1, PoliticalTheory::TrungCap), "020088000123");
    assert_eq!(merged(&people_after(vec![a, b])), 1);
}

#[test]
fn levels_left_blank_do_not_agree() {
    // "Chưa qua đào tạo" is what a blank level cell reads as: two rows agreeing on it, and
    // on nothing else recorded, do not lift a typo variant to a merge.
    let blank = |name: &str, i: usize| Official {
        political_theory: Some(PoliticalTheory::Khong),
        state_management: Some(tonghop_model::codes::StateManagement::Khong),
        ..row(name, "05/05/1985", 3, i)
    };
    let d = people_after(vec![blank("Hà Văn Quang", 0), blank("Hà Văn Quanh", 1)]);
    assert_eq!((merged(&d), d.review.len()), (0, 1));
}

#[test]
fn a_year_only_row_does_not_carry_a_person_into_another_with_a_different_full_date() {
    // B is listed twice with one ID, once with a year only; A has B's name and year and a
    // date of its own. The year-only row is B's (its ID): A stays apart from both.
    let a = recorded(row("Nông Thanh Quý", "21/09/1965", 2, 0), "Nùng", PoliticalTheory::CuNhan);
    let b_full =
        with_id(recorded(row("Nông Thanh Quý", "28/07/1965", 2, 1), "Nùng", PoliticalTheory::CuNhan), "045065733953");
    let b_year =
        with_id(recorded(row("Nông Thanh Quý", "1965", 2, 2), "Nùng", PoliticalTheory::CuNhan), "045065733953");
    let d = people_after(vec![a, b_full, b_year]);
    assert_eq!(merged(&d), 1);
    assert_eq!(d.merges[0].rows.iter().map(|r| r.file_index).collect::<std::collections::BTreeSet<_>>(), [1, 2].into());
}

#[test]
fn the_same_person_with_a_full_date_on_one_sheet_and_a_year_on_another_merges_when_what_is_recorded_agrees() {
    let full = recorded(row("Lục Văn Thịnh", "17/01/1979", 5, 0), "Nùng", PoliticalTheory::SoCap);
    let year = recorded(row("Lục Văn Thịnh", "1979", 5, 1), "Nùng", PoliticalTheory::SoCap);
    let d = people_after(vec![full.clone(), year.clone()]);
    assert_eq!(merged(&d), 1);
    // Without anything recorded to corroborate, it is asked.
    let d = people_after(vec![row("Lục Văn Thịnh", "17/01/1979", 5, 0), row("Lục Văn Thịnh", "1979", 5, 1)]);
    assert_eq!((merged(&d), d.review.len()), (0, 1));
}

#[test]
fn names_close_as_a_whole_but_not_a_slip_of_one_part_never_merge_on_the_rest() {
    // "Nguyễn Anh Cường" / "Nguyễn Văn Công": same birth date, unit, gender, levels.
    let a = recorded(row("Nguyễn Anh Cường", "14/09/1998", 7, 0), "Kinh", PoliticalTheory::CuNhan);
    let b = recorded(row("Nguyễn Văn Công", "14/09/1998", 7, 1), "Kinh", PoliticalTheory::CuNhan);
    let d = people_after(vec![a, b]);
    assert_eq!(merged(&d), 0);
}

#[test]
fn each_review_row_stands_beside_its_own_person() {
    // The later row's person comes first in the people's order when the earlier row merged
    // into a later-starting person; the pair must keep each row with its person whatever
    // the order the pair was scored in.
    // Khải's year-only row comes first and meets Khảm in no block; Khải's full row, after
    // Khảm's, merges with it and is the one compared with Khảm.
    let rows = vec![
        recorded(row("Hoàng Văn Khải", "1981", 2, 0), "Tày", PoliticalTheory::SoCap),
        row("Hoàng Văn Khảm", "09/10/1981", 2, 1),
        recorded(row("Hoàng Văn Khải", "09/10/1981", 2, 2), "Tày", PoliticalTheory::SoCap),
    ];
    let d = people_after(rows);
    assert_eq!(merged(&d), 1);
    assert!(!d.review.is_empty());
    for r in &d.review {
        for (p, src) in [(r.people.0, &r.rows.0), (r.people.1, &r.rows.1)] {
            assert!(d.people[p].sources.contains(src), "{src:?} is not a row of {}", d.people[p].full_name);
        }
        assert!(r.people.0 < r.people.1);
    }
}
