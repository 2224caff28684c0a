//! Indicators of `indicators.md`, computed with polars on distinct people.
//!
//! The people become one frame with a column per fact an indicator needs (boolean flags,
//! ordered levels, age); the headline ratios are one lazy query of sums over it (three per
//! ratio: denominator, numerator, unknown), and the per-unit table one query of the same
//! kind of sums grouped by unit. A qualification that is not
//! known is a null: it stays in the denominator, is not in the numerator, and is counted
//! as unknown.

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use tonghop_model::codes::{Category, Position};
use tonghop_model::record::Official;
use tonghop_model::units::UnitId;
use tonghop_model::{Registry, UnitKind};

pub use tonghop_model::month::{Indicator, IndicatorValue, Ratio, UnitStats};

/// Ordered qualification levels as small integers, for the frame.
fn level<T: Copy + Ord>(value: Option<T>, all: &[T]) -> Option<u32> {
    value.and_then(|v| all.iter().position(|x| *x == v)).map(|i| i as u32)
}

/// The people as a polars frame, one row per person, in the order given.
pub fn people_frame(people: &[Official], registry: &Registry, on: NaiveDate) -> PolarsResult<DataFrame> {
    use tonghop_model::codes::{PoliticalTheory, Professional, StateManagement};
    let kind = |o: &Official| o.unit.map(|u| registry.unit(u).kind);
    let flag = |f: &dyn Fn(&Official) -> bool| -> Vec<bool> { people.iter().map(f).collect() };
    let unit: Vec<u32> = people.iter().map(|o| o.unit.map_or(u32::MAX, |u| u.0 as u32)).collect();
    let commune = flag(&|o| kind(o).is_some_and(UnitKind::is_commune_level));
    let agency = flag(&|o| kind(o) == Some(UnitKind::CoQuanHuyen));
    let tc_plus: Vec<Option<bool>> =
        people.iter().map(|o| o.political_theory.map(PoliticalTheory::is_tc_plus)).collect();
    let studying_tc_plus = flag(&|o| o.political_theory_studying.is_some_and(PoliticalTheory::is_tc_plus));
    let tc_plus_or_studying: Vec<Option<bool>> =
        tc_plus.iter().zip(&studying_tc_plus).map(|(t, s)| if *s { Some(true) } else { *t }).collect();
    let columns = vec![
        Column::new("unit".into(), unit),
        Column::new("commune".into(), commune),
        Column::new("agency".into(), agency),
        Column::new("committee".into(), flag(&Official::is_committee_member)),
        Column::new("bi_thu".into(), flag(&|o| o.holds(Position::BiThu))),
        Column::new("pho_bi_thu".into(), flag(&|o| o.holds(Position::PhoBiThu))),
        Column::new("leader".into(), flag(&|o| o.holds(Position::CapTruong) || o.holds(Position::CapPho))),
        Column::new("can_bo".into(), flag(&|o| o.category == Some(Category::CanBo))),
        Column::new("cong_chuc".into(), flag(&|o| o.category == Some(Category::CongChuc))),
        Column::new("cbcc".into(), flag(&|o| matches!(o.category, Some(Category::CanBo | Category::CongChuc)))),
        Column::new("kct".into(), flag(&|o| o.category == Some(Category::KhongChuyenTrach))),
        // In the pool: an entry for a term not over at the period's end.
        Column::new("planning".into(), flag(&|o| o.planning.iter().any(|e| e.is_current(on.year())))),
        Column::new("female".into(), flag(&|o| o.gender == Some(tonghop_model::codes::Gender::Nu))),
        Column::new(
            "minority".into(),
            flag(&|o| o.ethnicity.is_some_and(tonghop_model::codes::Ethnicity::is_minority)),
        ),
        Column::new("party".into(), flag(&|o| o.party_member == Some(true))),
        Column::new("party_known".into(), flag(&|o| o.party_member.is_some())),
        Column::new("tc_plus".into(), tc_plus),
        Column::new("tc_plus_or_studying".into(), tc_plus_or_studying),
        Column::new(
            "political_theory".into(),
            people.iter().map(|o| level(o.political_theory, PoliticalTheory::ALL)).collect::<Vec<_>>(),
        ),
        Column::new("prof".into(), people.iter().map(|o| level(o.professional, Professional::ALL)).collect::<Vec<_>>()),
        Column::new(
            "univ_plus".into(),
            people.iter().map(|o| o.professional.map(|p| p >= Professional::DaiHoc)).collect::<Vec<Option<bool>>>(),
        ),
        Column::new(
            "qlnn".into(),
            people.iter().map(|o| level(o.state_management, StateManagement::ALL)).collect::<Vec<_>>(),
        ),
        Column::new(
            "age".into(),
            people.iter().map(|o| o.birth_date.map(|b| b.age_on(on))).collect::<Vec<Option<i32>>>(),
        ),
    ];
    DataFrame::new_infer_height(columns)
}

/// A count over the frame: the rows where `condition` is true (a null is not counted).
fn count(condition: Expr, name: &str) -> Expr {
    condition.sum().cast(DataType::UInt64).alias(name)
}

/// All the named boolean columns true.
fn all_of(flags: &[&str]) -> Expr {
    flags.iter().fold(lit(true), |mask, name| mask.and(col(*name)))
}

/// A ratio's three counts as expressions: the rows where every `flags` column is true,
/// of them those where `numerator` is true, and those where it is unknown.
fn ratio_exprs(prefix: &str, flags: &[&str], numerator: &str) -> [Expr; 3] {
    let denominator = all_of(flags);
    [
        count(denominator.clone(), &format!("{prefix}/d")),
        count(denominator.clone().and(col(numerator)), &format!("{prefix}/n")),
        count(denominator.and(col(numerator).is_null()), &format!("{prefix}/u")),
    ]
}

/// The ratio `ratio_exprs(prefix, ..)` computed, from row `row` of `out`.
fn ratio_at(out: &DataFrame, prefix: &str, row: usize) -> PolarsResult<Ratio> {
    let get = |part: &str| count_at(out, &format!("{prefix}/{part}"), row);
    Ok(Ratio { numerator: get("n")?, denominator: get("d")?, unknown: get("u")? })
}

fn count_at(out: &DataFrame, name: &str, row: usize) -> PolarsResult<u64> {
    Ok(out.column(name)?.u64()?.get(row).unwrap_or(0))
}

/// The headline ratios of the rosters: key, label, the flags of the denominator, the
/// numerator's column.
const HEADLINE: [(&str, &str, &[&str], &str); 7] = [
    (
        "commune_committee_llct_tc_plus",
        "Cấp ủy viên cấp xã có trình độ trung cấp LLCT trở lên",
        &["commune", "committee"],
        "tc_plus",
    ),
    (
        "commune_secretary_llct_tc_plus",
        "Bí thư cấp ủy cấp xã có trình độ trung cấp LLCT trở lên",
        &["commune", "bi_thu"],
        "tc_plus",
    ),
    (
        "commune_deputy_secretary_llct_tc_plus",
        "Phó Bí thư cấp ủy cấp xã có trình độ trung cấp LLCT trở lên",
        &["commune", "pho_bi_thu"],
        "tc_plus",
    ),
    (
        "commune_cbcc_llct_tc_plus",
        "Cán bộ, công chức cấp xã có trình độ trung cấp LLCT trở lên",
        &["commune", "cbcc"],
        "tc_plus",
    ),
    (
        "commune_cbcc_professional_university_plus",
        "Cán bộ, công chức cấp xã có trình độ chuyên môn đại học trở lên",
        &["commune", "cbcc"],
        "univ_plus",
    ),
    (
        "district_leader_llct_tc_plus_or_studying",
        "Lãnh đạo các phòng, ban cấp huyện có trình độ trung cấp LLCT trở lên (hoặc đang theo học)",
        &["agency", "leader"],
        "tc_plus_or_studying",
    ),
    (
        "planning_pool_llct_tc_plus",
        "Cán bộ trong diện quy hoạch có trình độ trung cấp LLCT trở lên",
        &["planning"],
        "tc_plus",
    ),
];

/// Headline ratios of `indicators.md` §1 that come from the rosters: one query over the
/// frame, three sums per ratio.
pub fn headline_ratios(df: &DataFrame) -> PolarsResult<Vec<Indicator>> {
    let sums: Vec<Expr> =
        HEADLINE.iter().flat_map(|(key, _, flags, numerator)| ratio_exprs(key, flags, numerator)).collect();
    let out = df.clone().lazy().select(sums).collect()?;
    HEADLINE
        .iter()
        .map(|(key, label, _, _)| {
            Ok(Indicator { key, label: (*label).to_owned(), value: IndicatorValue::Ratio(ratio_at(&out, key, 0)?) })
        })
        .collect()
}

/// The rows where every named boolean column is true, filtered eagerly (the reference).
#[cfg(test)]
fn eager_all_of(df: &DataFrame, flags: &[&str]) -> PolarsResult<DataFrame> {
    let mut mask = BooleanChunked::full("mask".into(), true, df.height());
    for name in flags {
        mask = &mask & df.column(name)?.bool()?;
    }
    df.filter(&mask)
}

#[cfg(test)]
fn trues(df: &DataFrame, name: &str) -> PolarsResult<u64> {
    Ok(u64::from(df.column(name)?.bool()?.sum().unwrap_or(0)))
}

/// Ratio of `numerator` over the rows where every `flags` column is true, eagerly.
#[cfg(test)]
fn eager_ratio(df: &DataFrame, flags: &[&str], numerator: &str) -> PolarsResult<Ratio> {
    let denominator = eager_all_of(df, flags)?;
    let column = denominator.column(numerator)?;
    Ok(Ratio {
        numerator: trues(&denominator, numerator)?,
        denominator: denominator.height() as u64,
        unknown: column.null_count() as u64,
    })
}

#[cfg(test)]
fn level_counts(df: &DataFrame, name: &str, buckets: &[Vec<u32>]) -> PolarsResult<Vec<u64>> {
    let column = df.column(name)?.u32()?;
    let mut out: Vec<u64> = buckets
        .iter()
        .map(|levels| levels.iter().map(|l| u64::from(column.equal(*l).sum().unwrap_or(0))).sum())
        .collect();
    out.push(column.null_count() as u64);
    Ok(out)
}

/// The statistics of one unit's partition, computed with eager polars column operations
/// on the partition: the reference [`per_unit`]'s query is tested against.
#[cfg(test)]
fn stats_by_partition(df: &DataFrame) -> PolarsResult<UnitStats> {
    let ages = df.column("age")?.i32()?;
    let band = |lo: i32, hi: i32| -> u64 { u64::from((ages.gt_eq(lo) & ages.lt_eq(hi)).sum().unwrap_or(0)) };
    use tonghop_model::month::{POLITICAL_THEORY_COLUMNS, PROFESSIONAL_COLUMNS, STATE_MANAGEMENT_COLUMNS};
    let political_theory = level_counts(df, "political_theory", &POLITICAL_THEORY_COLUMNS.levels_of_columns())?;
    let professional = level_counts(df, "prof", &PROFESSIONAL_COLUMNS.levels_of_columns())?;
    let state_management = level_counts(df, "qlnn", &STATE_MANAGEMENT_COLUMNS.levels_of_columns())?;
    Ok(UnitStats {
        headcount: df.height() as u64,
        female: trues(df, "female")?,
        minority: trues(df, "minority")?,
        party: trues(df, "party")?,
        party_known: trues(df, "party_known")?,
        committee: eager_ratio(df, &["committee"], "tc_plus")?,
        can_bo: trues(df, "can_bo")?,
        cong_chuc: trues(df, "cong_chuc")?,
        kct: trues(df, "kct")?,
        political_theory: political_theory.try_into().expect("5 buckets"),
        professional: professional.try_into().expect("6 buckets"),
        state_management: state_management.try_into().expect("5 buckets"),
        ages: [
            band(i32::MIN, 30),
            band(31, 40),
            band(41, 50),
            band(51, 60),
            band(61, i32::MAX),
            ages.null_count() as u64,
        ],
        age_sum: ages.cast(&DataType::Int64)?.i64()?.sum().unwrap_or(0),
    })
}

/// The per-unit statistics, for every unit that has people, in the units' order: one
/// query grouping the frame by unit, each count a sum of a condition over the group.
pub fn per_unit(df: &DataFrame) -> PolarsResult<Vec<(UnitId, UnitStats)>> {
    use tonghop_model::month::{POLITICAL_THEORY_COLUMNS, PROFESSIONAL_COLUMNS, STATE_MANAGEMENT_COLUMNS};
    const FLAGS: [&str; 7] = ["female", "minority", "party", "party_known", "can_bo", "cong_chuc", "kct"];
    const LEVELS: [(&str, &tonghop_model::month::LevelColumns); 3] = [
        ("political_theory", &POLITICAL_THEORY_COLUMNS),
        ("prof", &PROFESSIONAL_COLUMNS),
        ("qlnn", &STATE_MANAGEMENT_COLUMNS),
    ];
    let mut sums = vec![len().cast(DataType::UInt64).alias("headcount")];
    sums.extend(FLAGS.iter().map(|flag| count(col(*flag), flag)));
    sums.extend(ratio_exprs("committee", &["committee"], "tc_plus"));
    // A level column's buckets: the levels of each bucket, then the unknown.
    for (name, columns) in LEVELS {
        for (bucket, levels) in columns.levels_of_columns().into_iter().enumerate() {
            let any = levels.into_iter().fold(lit(false), |any, level| any.or(col(name).eq(lit(level))));
            sums.push(count(any, &format!("{name}/{bucket}")));
        }
        sums.push(count(col(name).is_null(), &format!("{name}/unknown")));
    }
    let age = || col("age");
    let bands = [
        age().lt_eq(lit(30)),
        age().gt_eq(lit(31)).and(age().lt_eq(lit(40))),
        age().gt_eq(lit(41)).and(age().lt_eq(lit(50))),
        age().gt_eq(lit(51)).and(age().lt_eq(lit(60))),
        age().gt_eq(lit(61)),
        age().is_null(),
    ];
    sums.extend(bands.into_iter().enumerate().map(|(band, condition)| count(condition, &format!("age/{band}"))));
    sums.push(age().cast(DataType::Int64).sum().alias("age_sum"));
    let out =
        df.clone().lazy().group_by([col("unit")]).agg(sums).sort(["unit"], SortMultipleOptions::default()).collect()?;
    // Column by column: each sum's column is looked up once, not once per unit.
    let mut stats = vec![UnitStats::default(); out.height()];
    let mut set = |name: &str, field: &dyn Fn(&mut UnitStats, u64)| -> PolarsResult<()> {
        for (s, v) in stats.iter_mut().zip(out.column(name)?.u64()?.iter()) {
            field(s, v.unwrap_or(0));
        }
        Ok(())
    };
    set("headcount", &|s, v| s.headcount = v)?;
    set("female", &|s, v| s.female = v)?;
    set("minority", &|s, v| s.minority = v)?;
    set("party", &|s, v| s.party = v)?;
    set("party_known", &|s, v| s.party_known = v)?;
    set("can_bo", &|s, v| s.can_bo = v)?;
    set("cong_chuc", &|s, v| s.cong_chuc = v)?;
    set("kct", &|s, v| s.kct = v)?;
    set("committee/d", &|s, v| s.committee.denominator = v)?;
    set("committee/n", &|s, v| s.committee.numerator = v)?;
    set("committee/u", &|s, v| s.committee.unknown = v)?;
    /// A level's counts in the statistics.
    type Buckets = fn(&mut UnitStats) -> &mut [u64];
    let levels: [(&str, Buckets); 3] = [
        ("political_theory", |s| &mut s.political_theory),
        ("prof", |s| &mut s.professional),
        ("qlnn", |s| &mut s.state_management),
    ];
    for (name, buckets) in levels {
        let known = buckets(&mut UnitStats::default()).len() - 1;
        for bucket in 0..known {
            set(&format!("{name}/{bucket}"), &|s, v| buckets(s)[bucket] = v)?;
        }
        set(&format!("{name}/unknown"), &|s, v| buckets(s)[known] = v)?;
    }
    for band in 0..6 {
        set(&format!("age/{band}"), &|s, v| s.ages[band] = v)?;
    }
    for (s, sum) in stats.iter_mut().zip(out.column("age_sum")?.i64()?.iter()) {
        s.age_sum = sum.unwrap_or(0);
    }
    let units = out.column("unit")?.u32()?;
    Ok(units.iter().map(|u| UnitId(u.unwrap_or(u32::MAX) as usize)).zip(stats).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonghop_model::codes::{CommitteeLevel, PoliticalTheory, Professional};

    fn person(unit: usize, positions: &[Position], political_theory: Option<PoliticalTheory>) -> Official {
        let committee = positions.iter().map(|p| p.committee_level()).max().or(Some(CommitteeLevel::Khong));
        Official {
            unit: Some(UnitId(unit)),
            full_name: "X".into(),
            positions: positions.to_vec(),
            committee,
            category: positions.iter().filter_map(|p| p.category()).min(),
            political_theory,
            ..Official::default()
        }
    }

    #[test]
    fn the_planning_pool_holds_entries_for_terms_not_over() {
        let r = Registry::embedded();
        let son_ha = r.units().iter().position(|u| u.name == "Xã Sơn Hà").unwrap();
        let planned = |entry: &str, political_theory| Official {
            planning: vec![tonghop_model::planning::parse_planning(entry)],
            ..person(son_ha, &[Position::DangUyVien], Some(political_theory))
        };
        let people = vec![
            planned("QH Bí thư 2025-2030", PoliticalTheory::TrungCap),
            planned("QH Chủ tịch UBND", PoliticalTheory::SoCap),
            // A term that ended before 2024 is history, not the pool.
            planned("QH Bí thư 2015-2020", PoliticalTheory::CaoCap),
        ];
        let df = people_frame(&people, &r, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()).unwrap();
        let pool = headline_ratios(&df).unwrap().into_iter().find(|i| i.key == "planning_pool_llct_tc_plus").unwrap();
        assert_eq!(pool.value, IndicatorValue::Ratio(Ratio { numerator: 1, denominator: 2, unknown: 0 }));
    }

    #[test]
    fn the_queries_agree_with_eager_polars_over_each_partition() {
        use tonghop_model::codes::{Category, Ethnicity, Gender, StateManagement};
        use tonghop_model::record::BirthDate;
        let r = Registry::embedded();
        // Every value of every counted field, unknowns included, mixed over units by a
        // simple generator (the same people every run).
        let mut state = 7_u64;
        let mut pick = |n: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        fn option<T: Copy>(i: usize, all: &[T]) -> Option<T> {
            all.get(i).copied()
        }
        let people: Vec<Official> = (0..3000)
            .map(|_| {
                let positions = [Position::BiThu, Position::DangUyVien, Position::CapPho, Position::NhanVien];
                let mut p = person(pick(30), &[positions[pick(4)]], option(pick(6), PoliticalTheory::ALL));
                if pick(50) == 0 {
                    p.unit = None;
                }
                p.gender = option(pick(3), Gender::ALL);
                p.ethnicity = [None, Some(Ethnicity::KINH), tonghop_model::codes::parse_ethnicity("Tày")][pick(3)];
                p.party_member = [None, Some(true), Some(false)][pick(3)];
                p.category = option(pick(4), &[Category::CanBo, Category::CongChuc, Category::KhongChuyenTrach]);
                p.professional = option(pick(8), Professional::ALL);
                p.state_management = option(pick(6), StateManagement::ALL);
                p.birth_date = (pick(10) > 0).then(|| BirthDate {
                    year: 1950 + i32::try_from(pick(60)).unwrap(),
                    month: None,
                    day: None,
                });
                p
            })
            .collect();
        let df = people_frame(&people, &r, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()).unwrap();
        let fast = per_unit(&df).unwrap();
        let mut reference = Vec::new();
        for part in df.partition_by_stable(["unit"], true).unwrap() {
            let unit = part.column("unit").unwrap().u32().unwrap().get(0).unwrap();
            reference.push((UnitId(unit as usize), stats_by_partition(&part).unwrap()));
        }
        reference.sort_by_key(|(u, _)| *u);
        assert_eq!(fast.len(), 31, "30 units and the people without one");
        assert_eq!(fast, reference);
        // The headline query against each ratio filtered eagerly.
        let headline = headline_ratios(&df).unwrap();
        for ((key, _, flags, numerator), indicator) in HEADLINE.iter().zip(&headline) {
            assert_eq!(indicator.key, *key);
            let expected = eager_ratio(&df, flags, numerator).unwrap();
            assert_eq!(indicator.value, IndicatorValue::Ratio(expected), "{key}");
        }
        assert!(
            headline.iter().any(|i| matches!(i.value, IndicatorValue::Ratio(r) if r.numerator > 0 && r.unknown > 0)),
            "{headline:?}"
        );
        // The generator did reach every bucket.
        let mut total = UnitStats::default();
        for (_, s) in &fast {
            total.add(s);
        }
        assert!(
            total.political_theory.iter().chain(&total.professional).chain(&total.state_management).all(|&n| n > 0),
            "{total:?}"
        );
        assert!(total.ages.iter().all(|&n| n > 0) && total.committee.unknown > 0, "{total:?}");
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        let r = |n, d| Ratio { numerator: n, denominator: d, unknown: 0 }.percent();
        assert_eq!(r(203, 364), Some(55.8));
        assert_eq!(r(11, 13), Some(84.6));
        assert_eq!(r(223, 400), Some(55.8)); // 55.75
        assert_eq!(r(1, 8), Some(12.5));
        assert_eq!(r(1, 16), Some(6.3)); // 6.25
        assert_eq!(r(0, 0), None);
    }

    #[test]
    fn headline_counts_unknown_in_denominator_only() {
        let r = Registry::embedded();
        let son_ha = r.units().iter().position(|u| u.name == "Xã Sơn Hà").unwrap();
        let noi_vu = r.units().iter().position(|u| u.name == "Phòng Nội vụ").unwrap();
        let mut studying = person(noi_vu, &[Position::CapPho], Some(PoliticalTheory::SoCap));
        studying.political_theory_studying = Some(PoliticalTheory::TrungCap);
        let people = vec![
            person(son_ha, &[Position::BiThu], Some(PoliticalTheory::CaoCap)),
            person(son_ha, &[Position::DangUyVien], Some(PoliticalTheory::SoCap)),
            person(son_ha, &[Position::DangUyVien], None),
            person(son_ha, &[Position::VanPhongThongKe], Some(PoliticalTheory::TrungCap)),
            person(noi_vu, &[Position::CapTruong], Some(PoliticalTheory::TrungCap)),
            studying,
            person(noi_vu, &[Position::NhanVien], Some(PoliticalTheory::Khong)),
        ];
        let df = people_frame(&people, &r, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()).unwrap();
        let h = headline_ratios(&df).unwrap();
        let get = |k: &str| match h.iter().find(|i| i.key == k).unwrap().value {
            IndicatorValue::Ratio(r) => (r.numerator, r.denominator, r.unknown),
            IndicatorValue::Count(_) | IndicatorValue::NotAvailable(_) => unreachable!(),
        };
        assert_eq!(get("commune_committee_llct_tc_plus"), (1, 3, 1));
        assert_eq!(get("commune_secretary_llct_tc_plus"), (1, 1, 0));
        assert_eq!(get("commune_cbcc_llct_tc_plus"), (2, 2, 0));
        assert_eq!(get("district_leader_llct_tc_plus_or_studying"), (2, 2, 0));
        assert_eq!(get("planning_pool_llct_tc_plus"), (0, 0, 0));
        let units = per_unit(&df).unwrap();
        assert_eq!(units.len(), 2);
        let (_, s) = units.iter().find(|(u, _)| u.0 == son_ha).unwrap();
        assert_eq!(s.headcount, 4);
        assert_eq!(s.committee, Ratio { numerator: 1, denominator: 3, unknown: 1 });
        assert_eq!(s.political_theory, [1, 1, 1, 0, 1]);
        assert_eq!(s.can_bo, 1);
        assert_eq!(s.cong_chuc, 1);
        let _ = Professional::DaiHoc;
    }
}
