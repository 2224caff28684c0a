//! The official statistical forms the report reproduces (spec `forms.md`): Biểu số
//! 9C-BTCTW (commune leaders by group) and 12C-BTCTW (the commune planning pool). Rows the
//! data cannot fill (scientific titles) are `None`, and stay empty in the report, not zero.

use chrono::{Datelike, NaiveDate};
use tonghop_model::codes::{CommitteeLevel, Ethnicity, Gender, PoliticalTheory, Position, Professional};
use tonghop_model::planning::PlanningEntry;
use tonghop_model::record::Official;
use tonghop_model::{Registry, UnitKind};

pub use tonghop_model::month::Form;

/// A form whose rows are criteria ("Tiêu chí") over groups of columns, for the month:
/// Biểu 9C and 12C.
fn of_criteria(
    code: &'static str,
    title: &'static str,
    unit_of_count: &'static str,
    columns: Vec<(&'static str, Vec<&'static str>)>,
    rows: Vec<(&'static str, Option<Vec<Option<u64>>>)>,
) -> Form {
    let notes = unfilled_note(&columns, &rows).into_iter().collect();
    Form {
        code,
        title,
        unit_of_count,
        label_headers: vec!["Tiêu chí"],
        columns,
        numbers: Vec::new(),
        rows,
        row_numbers: Vec::new(),
        period_note: String::new(),
        notes,
    }
}

/// The note under a form of criteria naming its columns and rows the returns cannot fill:
/// their cells are blank, and the reader should not take a blank for a zero nor wonder.
/// Columns are numbered as the form numbers them, the criteria column being 1.
fn unfilled_note(
    columns: &[(&'static str, Vec<&'static str>)],
    rows: &[(&'static str, Option<Vec<Option<u64>>>)],
) -> Option<String> {
    let labels: Vec<String> = columns
        .iter()
        .flat_map(|(group, subs)| {
            if subs.is_empty() {
                vec![(*group).to_owned()]
            } else {
                subs.iter().map(|s| format!("{group}: {s}")).collect()
            }
        })
        .collect();
    let empty_columns: Vec<String> = (0..labels.len())
        .filter(|&c| {
            rows.iter().all(|(_, counts)| counts.as_ref().is_none_or(|v| v.get(c).copied().flatten().is_none()))
        })
        .map(|c| format!("cột {} ({})", c + 2, labels[c]))
        .collect();
    let empty_rows: Vec<String> =
        rows.iter().filter(|(_, counts)| counts.is_none()).map(|(label, _)| format!("“{label}”")).collect();
    let mut parts = Vec::new();
    if !empty_columns.is_empty() {
        parts.push(empty_columns.join(", "));
    }
    if !empty_rows.is_empty() {
        parts.push(format!("{} {}", if empty_rows.len() > 1 { "các dòng" } else { "dòng" }, empty_rows.join(", ")));
    }
    (!parts.is_empty()).then(|| {
        format!("Lưu ý: để trống (không phải số 0) vì các báo cáo không có thông tin này: {}.", parts.join("; "))
    })
}

type Member = dyn Fn(&Official) -> bool;

/// A form row: its label and who it counts (`None`: the data cannot fill it).
type RowSpec = (&'static str, Option<Box<Member>>);

/// The analysis rows shared by both forms, with how each counts.
fn analysis_rows(on: NaiveDate, with_so_cap: bool) -> Vec<RowSpec> {
    let age = move |o: &Official| o.birth_date.map(|b| b.age_on(on));
    let prof = |o: &Official| o.professional;
    let political_theory = |o: &Official| o.political_theory;
    let mut rows: Vec<RowSpec> = vec![
        ("TỔNG SỐ", Some(Box::new(|_: &Official| true))),
        ("* Trong đó: - Nữ", Some(Box::new(|o: &Official| o.gender == Some(Gender::Nu)))),
        ("- Dân tộc thiểu số", Some(Box::new(|o: &Official| o.ethnicity.is_some_and(Ethnicity::is_minority)))),
        ("1. Tuổi đời: - Từ 40 tuổi trở xuống", Some(Box::new(move |o: &Official| age(o).is_some_and(|a| a <= 40)))),
        (
            "- Từ trên 40 tuổi đến 50 tuổi",
            Some(Box::new(move |o: &Official| age(o).is_some_and(|a| (41..=50).contains(&a)))),
        ),
        ("- Từ trên 50 tuổi", Some(Box::new(move |o: &Official| age(o).is_some_and(|a| a > 50)))),
        (
            "2. Trình độ chuyên môn nghiệp vụ: - Cao đẳng",
            Some(Box::new(move |o: &Official| prof(o) == Some(Professional::CaoDang))),
        ),
        ("- Đại học", Some(Box::new(move |o: &Official| prof(o) == Some(Professional::DaiHoc)))),
        ("- Trên đại học", Some(Box::new(move |o: &Official| prof(o).is_some_and(|p| p >= Professional::ThacSi)))),
        ("3. Chức danh khoa học: - Phó Giáo sư", None),
        ("- Giáo sư", None),
    ];
    if with_so_cap {
        rows.push((
            "4. Trình độ lý luận chính trị: - Sơ cấp",
            Some(Box::new(move |o: &Official| political_theory(o) == Some(PoliticalTheory::SoCap))),
        ));
        rows.push((
            "- Trung cấp",
            Some(Box::new(move |o: &Official| political_theory(o) == Some(PoliticalTheory::TrungCap))),
        ));
    } else {
        rows.push((
            "4. Trình độ lý luận chính trị: - Trung cấp",
            Some(Box::new(move |o: &Official| political_theory(o) == Some(PoliticalTheory::TrungCap))),
        ));
    }
    rows.push((
        "- Cao cấp, cử nhân",
        Some(Box::new(move |o: &Official| political_theory(o).is_some_and(|l| l >= PoliticalTheory::CaoCap))),
    ));
    rows
}

fn fill(
    people: &[&Official],
    columns: &[Option<Box<Member>>],
    rows: Vec<RowSpec>,
) -> Vec<(&'static str, Option<Vec<Option<u64>>>)> {
    // Each person's columns are decided once (a planning entry is parsed once, not once
    // per row): the work is people × (rows + columns), for a country too.
    let member_of: Vec<Vec<usize>> = people
        .iter()
        .map(|p| columns.iter().enumerate().filter(|(_, c)| c.as_ref().is_some_and(|c| c(p))).map(|(i, _)| i).collect())
        .collect();
    rows.into_iter()
        .map(|(label, row)| {
            let counts = row.map(|row| {
                let mut counts: Vec<Option<u64>> = columns.iter().map(|c| c.as_ref().map(|_| 0)).collect();
                for (p, cols) in people.iter().zip(&member_of) {
                    if !cols.is_empty() && row(p) {
                        for &c in cols {
                            if let Some(n) = counts[c].as_mut() {
                                *n += 1;
                            }
                        }
                    }
                }
                counts
            });
            (label, counts)
        })
        .collect()
}

fn commune_people<'a>(people: &'a [Official], registry: &Registry) -> Vec<&'a Official> {
    people.iter().filter(|p| p.unit.is_some_and(|u| registry.unit(u).kind != UnitKind::CoQuanHuyen)).collect()
}

const MASS_ORG_HEADS: [Position; 5] =
    [Position::CtMttq, Position::BiThuDoan, Position::CtHlhpn, Position::CtHnd, Position::CtHccb];

/// Biểu số 9C-BTCTW over the commune-level people of `people`, ages on `on`.
pub fn form_9c(people: &[Official], registry: &Registry, on: NaiveDate) -> Form {
    let commune = commune_people(people, registry);
    let holds = |p: Position| -> Option<Box<Member>> { Some(Box::new(move |o: &Official| o.holds(p))) };
    let columns: Vec<Option<Box<Member>>> = vec![
        Some(Box::new(Official::is_committee_member)),
        Some(Box::new(|o: &Official| o.committee.is_some_and(|c| c >= CommitteeLevel::BanThuongVu))),
        holds(Position::BiThu),
        holds(Position::PhoBiThu),
        holds(Position::CtHdnd),
        holds(Position::PctHdnd),
        holds(Position::CtUbnd),
        holds(Position::PctUbnd),
        Some(Box::new(|o: &Official| MASS_ORG_HEADS.iter().any(|p| o.holds(*p)))),
        // Deputies of the Front and mass organisations are part-time titles the returns do
        // not tell apart: the column stays empty.
        None,
    ];
    of_criteria(
        "Biểu số 9C-BTCTW",
        "THỐNG KÊ CÁN BỘ LÃNH ĐẠO, QUẢN LÝ CẤP XÃ",
        "Đvt: Người",
        vec![
            ("Ban chấp hành", vec![]),
            ("Ban thường vụ", vec![]),
            ("Lãnh đạo cấp ủy", vec!["Bí thư", "Phó bí thư"]),
            ("Lãnh đạo HĐND", vec!["Chủ tịch", "Phó chủ tịch"]),
            ("Lãnh đạo UBND", vec!["Chủ tịch", "Phó chủ tịch"]),
            ("Ủy ban Mặt trận Tổ quốc, đoàn thể CT-XH", vec!["Chủ tịch", "Phó chủ tịch"]),
        ],
        fill(&commune, &columns, analysis_rows(on, true)),
    )
}

/// The pool columns of Biểu 12C a planning entry names ("QH Chủ tịch UBND 2025-2030").
fn planned_columns(entry: &PlanningEntry) -> Vec<usize> {
    let mut cols = Vec::new();
    if entry.inspection {
        cols.push(2);
    }
    let mut mark = |p: Position, c: usize| {
        if entry.positions.contains(&p) && !cols.contains(&c) {
            cols.push(c);
        }
    };
    mark(Position::DangUyVien, 0);
    mark(Position::UvBtv, 1);
    mark(Position::BiThu, 3);
    mark(Position::PhoBiThu, 4);
    mark(Position::CtUbnd, 5);
    mark(Position::PctUbnd, 6);
    mark(Position::CtHdnd, 7);
    mark(Position::PctHdnd, 8);
    for p in MASS_ORG_HEADS {
        mark(p, 9);
    }
    if entry.mass_deputy {
        cols.retain(|c| *c != 9);
        cols.push(10);
    }
    cols.sort_unstable();
    cols
}

/// Biểu số 12C-BTCTW: the commune planning pool, one "lượt người" per position planned.
pub fn form_12c(people: &[Official], registry: &Registry, on: NaiveDate) -> Form {
    let commune = commune_people(people, registry);
    // Entries for terms already over are history, not the pool.
    let year = on.year();
    let columns: Vec<Option<Box<Member>>> = (0..11)
        .map(|c| -> Option<Box<Member>> {
            Some(Box::new(move |o: &Official| {
                o.planning.iter().any(|e| e.is_current(year) && planned_columns(e).contains(&c))
            }))
        })
        .collect();
    of_criteria(
        "Biểu số 12C-BTCTW",
        "THỐNG KÊ KẾT QUẢ QUY HOẠCH CÁN BỘ CẤP XÃ",
        "Đvt: Lượt người",
        vec![
            ("Ủy viên BCH", vec![]),
            ("Ủy viên BTV", vec![]),
            ("Ủy ban Kiểm tra", vec![]),
            ("Bí thư", vec![]),
            ("Phó bí thư", vec![]),
            ("Lãnh đạo UBND", vec!["Chủ tịch", "Phó chủ tịch"]),
            ("Lãnh đạo HĐND", vec!["Chủ tịch", "Phó chủ tịch"]),
            ("Lãnh đạo Ủy ban MTTQ, đoàn thể CT-XH", vec!["Cấp trưởng", "Cấp phó"]),
        ],
        fill(&commune, &columns, analysis_rows(on, false)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonghop_model::planning::parse_planning;
    use tonghop_model::units::UnitId;

    fn person(
        unit: usize,
        positions: &[Position],
        political_theory: PoliticalTheory,
        female: bool,
        born: i32,
    ) -> Official {
        Official {
            unit: Some(UnitId(unit)),
            full_name: "X".into(),
            positions: positions.to_vec(),
            committee: positions.iter().map(|p| p.committee_level()).max(),
            political_theory: Some(political_theory),
            gender: Some(if female { Gender::Nu } else { Gender::Nam }),
            birth_date: Some(tonghop_model::record::BirthDate { year: born, month: Some(1), day: Some(1) }),
            ..Official::default()
        }
    }

    #[test]
    fn form_9c_counts_by_group_and_leaves_unknowable_cells_empty() {
        let r = Registry::embedded();
        let son_ha = r.units().iter().position(|u| u.name == "Xã Sơn Hà").unwrap();
        let noi_vu = r.units().iter().position(|u| u.name == "Phòng Nội vụ").unwrap();
        let on = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let people = vec![
            person(son_ha, &[Position::BiThu, Position::CtHdnd], PoliticalTheory::CaoCap, false, 1970),
            person(son_ha, &[Position::PhoBiThu, Position::CtUbnd], PoliticalTheory::TrungCap, true, 1985),
            person(son_ha, &[Position::DangUyVien, Position::CtMttq], PoliticalTheory::SoCap, false, 1990),
            person(noi_vu, &[Position::CapTruong], PoliticalTheory::CaoCap, false, 1970),
        ];
        let f = form_9c(&people, &r, on);
        assert_eq!(f.width(), 10);
        let row = |label: &str| f.rows.iter().find(|(l, _)| *l == label).unwrap().1.clone();
        let total = row("TỔNG SỐ").unwrap();
        assert_eq!(total[..9], [Some(3), Some(2), Some(1), Some(1), Some(1), Some(0), Some(1), Some(0), Some(1)]);
        assert_eq!(total[9], None);
        assert_eq!(row("* Trong đó: - Nữ").unwrap()[0], Some(1));
        assert_eq!(row("1. Tuổi đời: - Từ 40 tuổi trở xuống").unwrap()[0], Some(2));
        assert_eq!(row("- Cao cấp, cử nhân").unwrap()[2], Some(1));
        assert_eq!(row("3. Chức danh khoa học: - Phó Giáo sư"), None);
        // The blank column and rows are named under the form, by the form's numbers.
        assert_eq!(
            f.notes,
            [
                "Lưu ý: để trống (không phải số 0) vì các báo cáo không có thông tin này: cột 11 (Ủy ban Mặt trận Tổ quốc, \
              đoàn thể CT-XH: Phó chủ tịch); các dòng “3. Chức danh khoa học: - Phó Giáo sư”, “- Giáo sư”."
            ]
        );
        // A form the data fills whole has no such note.
        let full = of_criteria(
            "B",
            "T",
            "Đvt: Người",
            vec![("A", vec![]), ("B", vec!["x", "y"])],
            vec![("TỔNG SỐ", Some(vec![Some(1), Some(0), Some(2)]))],
        );
        assert!(full.notes.is_empty());
        let one = of_criteria(
            "B",
            "T",
            "Đvt: Người",
            vec![("A", vec![]), ("B", vec!["x", "y"])],
            vec![("TỔNG SỐ", Some(vec![Some(1), None, Some(2)]))],
        );
        assert_eq!(
            one.notes,
            ["Lưu ý: để trống (không phải số 0) vì các báo cáo không có thông tin này: cột 3 (B: x)."]
        );
    }

    #[test]
    fn planning_entries_name_their_columns() {
        let cols = |raw: &str| planned_columns(&parse_planning(raw));
        assert_eq!(cols("QH Chủ tịch UBND 2025-2030"), vec![5]);
        assert_eq!(cols("QH Phó Bí thư 2025-2030"), vec![4]);
        assert_eq!(cols("Quy hoạch Bí thư Đảng ủy nhiệm kỳ 2025 - 2030"), vec![3]);
        assert_eq!(cols("QH Phó Chủ tịch HĐND 2025-2030"), vec![8]);
        assert_eq!(cols("QH UBKT Đảng ủy 2025-2030"), vec![2]);
        assert_eq!(cols("QH Phó Chủ tịch UB MTTQ 2025-2030"), vec![10]);
    }
}
