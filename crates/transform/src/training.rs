//! The training register: classes normalised (type, mode, dates, learners), the cumulative
//! training indicators (`tc_llct_*`, `refresher_*`), the learners sheet linked to the
//! roster with the deduplication matcher, and Biểu số 10-BTCTW.

use chrono::{Datelike, NaiveDate};
use tonghop_model::codes::Position;
use tonghop_model::record::{BirthDate, CellValue, Official, cell_address};
use tonghop_model::training::{
    ClassType, RawClass, RawLearner, StudyMode, TrainingClass, parse_class_type, parse_study_mode,
};
use tonghop_model::units::UnitMatch;
use tonghop_model::{DataIssue, Period, Registry, Severity, UnitKind};

use crate::forms::Form;
use crate::indicators::{Indicator, IndicatorValue};
use crate::normalise::{parse_birth_date, parse_event_date};

pub use tonghop_model::month::Training;

fn issue(class: &RawClass, col_hint: &str, raw: String, problem: String) -> DataIssue {
    DataIssue {
        file_index: class.source.file_index,
        unit: None,
        file: class.source.file.to_string(),
        sheet: Some(class.source.sheet.to_string()),
        cell: Some(format!("{}{}", col_hint, class.source.row + 1)).filter(|_| !col_hint.is_empty()),
        field: None,
        raw,
        problem,
        severity: Severity::Warning,
    }
}

fn count_of(value: &CellValue) -> Option<u64> {
    match value {
        CellValue::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as u64),
        CellValue::Text(t) => {
            let digits: String = t.chars().filter(char::is_ascii_digit).collect();
            (!digits.is_empty() && digits.len() <= 6 && t.chars().filter(|c| c.is_alphabetic()).count() <= 8)
                .then(|| digits.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

/// Normalises the class rows: the type from the type column, else from the class name,
/// else from the group row above it; a row whose type cannot be told is kept (it counts
/// in no indicator) and listed as a data issue.
pub fn normalise_classes(raw: &[RawClass], reference_year: i32) -> (Vec<TrainingClass>, Vec<DataIssue>) {
    let mut issues = Vec::new();
    let classes = raw
        .iter()
        .map(|r| {
            let class_type = match parse_class_type(&r.class_type) {
                // "Bồi dưỡng nghiệp vụ" in the type column: the name may say which.
                Some(ClassType::NghiepVuKhac) => parse_class_type(&r.name)
                    .filter(|t| matches!(t, ClassType::NghiepVuXayDungDang | ClassType::NghiepVuDoanThe))
                    .or(Some(ClassType::NghiepVuKhac)),
                Some(t) => Some(t),
                None => parse_class_type(&r.name).or_else(|| parse_class_type(&r.section)),
            };
            let label = if r.name.is_empty() { r.class_type.clone() } else { r.name.clone() };
            if class_type.is_none() {
                issues.push(issue(
                    r,
                    "",
                    format!("{} | {}", r.name, r.class_type),
                    "Không xác định được loại lớp; lớp không được tính vào chỉ tiêu".to_owned(),
                ));
            }
            let opened = parse_event_date(&r.opened, reference_year);
            if opened.is_none() {
                issues.push(issue(
                    r,
                    "",
                    r.opened.to_text(),
                    format!("Lớp \"{label}\": ngày khai giảng không đọc được; lớp không được tính theo thời gian"),
                ));
            }
            let learners = count_of(&r.learners);
            if learners.is_none() && !r.learners.is_empty() {
                issues.push(issue(r, "", r.learners.to_text(), format!("Lớp \"{label}\": số học viên không đọc được")));
            }
            TrainingClass {
                source: r.source.clone(),
                name: label,
                class_type,
                mode: parse_study_mode(&r.mode),
                opened,
                closed: parse_event_date(&r.closed, reference_year),
                learners,
                funding: r.funding.clone(),
            }
        })
        .collect();
    (classes, issues)
}

/// The first day a date of this precision may stand for.
fn first_day(d: BirthDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}

/// Whether the class opened from 1 January of `since` to `end`.
fn opened_within(class: &TrainingClass, since: i32, end: NaiveDate) -> bool {
    class.opened.and_then(first_day).is_some_and(|d| d.year() >= since && d <= end)
}

/// The cumulative training indicators: key and label (the base year follows the label).
const INDICATORS: [(&str, &str); 4] = [
    ("tc_llct_classes", "Số lớp trung cấp LLCT"),
    ("tc_llct_learners", "Số học viên trung cấp LLCT"),
    ("refresher_classes", "Số lớp bồi dưỡng, cập nhật kiến thức"),
    ("refresher_learners", "Số lượt người bồi dưỡng, cập nhật kiến thức"),
];

/// The four cumulative training indicators; without a register they say why they are
/// empty.
pub fn indicators(training: Option<&Training>, unreadable: bool, period: Period) -> Vec<Indicator> {
    let Some(training) = training else {
        // Said as the clerk would: no register this month, or one that could not be read.
        let why = if unreadable {
            "Không đọc được sổ theo dõi các lớp (xem Lưu ý)"
        } else {
            "Chưa có sổ theo dõi các lớp (chạy với --training)"
        };
        return INDICATORS
            .map(|(key, label)| Indicator { key, label: label.to_owned(), value: IndicatorValue::NotAvailable(why) })
            .to_vec();
    };
    let end = period.last_day();
    let window: Vec<&TrainingClass> =
        training.classes.iter().filter(|c| opened_within(c, training.since, end)).collect();
    let count = |of: &dyn Fn(ClassType) -> bool| -> (u64, u64) {
        let classes: Vec<&&TrainingClass> = window.iter().filter(|c| c.class_type.is_some_and(of)).collect();
        (classes.len() as u64, classes.iter().filter_map(|c| c.learners).sum())
    };
    let (tc, tc_learners) = count(&|t| t == ClassType::TrungCapLlct);
    let (refresher, refresher_learners) = count(&ClassType::is_refresher);
    INDICATORS
        .iter()
        .zip([tc, tc_learners, refresher, refresher_learners])
        .map(|((key, label), value)| Indicator {
            key,
            label: format!("{label} (từ năm {})", training.since),
            value: IndicatorValue::Count(value),
        })
        .collect()
}

/// Links each learner to a roster person with the deduplication matcher (name, birth
/// date, unit); a learner who matches no one, or two people equally, stays unlinked.
pub fn link_learners(
    learners: Vec<RawLearner>,
    people: &[Official],
    registry: &Registry,
    period: Period,
) -> (Vec<(RawLearner, Option<usize>)>, Vec<DataIssue>) {
    let matcher = registry.matcher(period);
    let as_official: Vec<Official> = learners
        .iter()
        .map(|l| Official {
            full_name: tonghop_model::text::title_case_name(&l.full_name),
            birth_date: parse_birth_date(&l.birth, period.year()),
            unit: match matcher.match_text(&l.unit) {
                UnitMatch::Found(id) => Some(id),
                _ => None,
            },
            ..Official::default()
        })
        .collect();
    let links = crate::dedup::link(people, &as_official, crate::dedup::MERGE_THRESHOLD, None);
    let mut issues = Vec::new();
    let out = learners
        .into_iter()
        .zip(links)
        .map(|(l, link)| {
            if link.is_none() {
                issues.push(DataIssue {
                    file_index: l.source.file_index,
                    unit: None,
                    file: l.source.file.to_string(),
                    sheet: Some(l.source.sheet.to_string()),
                    cell: Some(cell_address(l.source.row, 0)),
                    field: None,
                    raw: l.full_name.clone(),
                    problem: "Học viên không khớp với người nào trong danh sách cán bộ".to_owned(),
                    severity: Severity::Info,
                });
            }
            (l, link)
        })
        .collect();
    (out, issues)
}

/// A Biểu 10 row: its number, label, and the classes it counts (`None`: the register
/// cannot fill it).
type Row10 = (&'static str, &'static str, Option<ClassFilter>);

/// Which classes a row of Biểu 10 counts.
type ClassFilter = Box<dyn Fn(&TrainingClass) -> bool>;

fn of_type(t: ClassType) -> ClassFilter {
    Box::new(move |c: &TrainingClass| c.class_type == Some(t))
}

fn of_type_mode(t: ClassType, m: StudyMode) -> ClassFilter {
    Box::new(move |c: &TrainingClass| c.class_type == Some(t) && c.mode == Some(m))
}

fn rows_10() -> Vec<Row10> {
    use ClassType as T;
    use StudyMode as M;
    let political = |c: &TrainingClass| matches!(c.class_type, Some(T::TrungCapLlct | T::CaoCapLlct | T::CuNhanLlct));
    let mut rows: Vec<Row10> = vec![("I", "Đào tạo", None), ("1", "Đào tạo chuyên môn, chia ra:", None)];
    for degree in ["- Đại học", "- Thạc sỹ (tương đương)", "- Tiến sỹ (tương đương)"] {
        rows.push(("", degree, None));
        for place in ["+ Đào tạo trong nước", "+ Đào tạo ngoài nước", "+ Đào tạo liên kết"] {
            rows.push(("", place, None));
        }
    }
    rows.push(("2", "Đào tạo chính trị, chia ra:", Some(Box::new(political))));
    for (label, t) in
        [("- Trung cấp LLCT", T::TrungCapLlct), ("- Cao cấp LLCT", T::CaoCapLlct), ("- Cử nhân LLCT", T::CuNhanLlct)]
    {
        rows.push(("", label, Some(of_type(t))));
        rows.push(("", "+ Hệ tập trung", Some(of_type_mode(t, M::TapTrung))));
        rows.push(("", "+ Hệ không tập trung", Some(of_type_mode(t, M::KhongTapTrung))));
    }
    rows.push(("II", "Bồi dưỡng", Some(Box::new(|c: &TrainingClass| c.class_type.is_some_and(is_bien_10_refresher)))));
    rows.push(("1", "Nghiệp vụ xây dựng Đảng", Some(of_type(T::NghiepVuXayDungDang))));
    rows.push(("2", "Nghiệp vụ đoàn thể chính trị", Some(of_type(T::NghiepVuDoanThe))));
    rows.push(("3", "Quản lý nhà nước", Some(of_type(T::QuanLyNhaNuoc))));
    rows.push(("", "+ Trong nước", None));
    rows.push(("", "+ Ngoài nước", None));
    rows.push(("4", "Quản lý kinh tế", None));
    rows.push(("", "+ Trong nước", None));
    rows.push(("", "+ Ngoài nước", None));
    rows.push(("5", "Ngoại ngữ", Some(of_type(T::NgoaiNgu))));
    rows.push(("", "+ Trong nước", None));
    rows.push(("", "+ Ngoài nước", None));
    rows.push(("6", "Tin học", Some(of_type(T::TinHoc))));
    rows.push(("7", "Cập nhật kiến thức mới", Some(of_type(T::CapNhatKienThuc))));
    rows.push(("8", "Quốc phòng - An ninh (Đối tượng 1 - 4)", Some(of_type(T::QuocPhongAnNinh))));
    rows
}

/// The "Bồi dưỡng" programmes of Biểu 10 the register can show.
fn is_bien_10_refresher(t: ClassType) -> bool {
    matches!(
        t,
        ClassType::NghiepVuXayDungDang
            | ClassType::NghiepVuDoanThe
            | ClassType::QuanLyNhaNuoc
            | ClassType::NgoaiNgu
            | ClassType::TinHoc
            | ClassType::CapNhatKienThuc
            | ClassType::QuocPhongAnNinh
    )
}

/// Biểu số 10-BTCTW for the classes opened from 1 January of the period's year to its
/// end (the form is yearly). Classes: all opened by the district (the register is the
/// district centre's); learners: the register's counts in "Tổng số", and, when a learners
/// sheet is linked to the roster, learners of commune and district units by level.
// Long on purpose: the form's rows in the official form's order, each with its rule.
pub fn form_10(training: Option<&Training>, people: &[Official], registry: &Registry, period: Period) -> Form {
    let empty = Training::default();
    // Without a register nothing of the form can be filled: every cell stays empty.
    let (training, known) = training.map_or((&empty, false), |t| (t, true));
    let end = period.last_day();
    let year = period.year();
    let in_year: Vec<(usize, &TrainingClass)> =
        training.classes.iter().enumerate().filter(|(_, c)| opened_within(c, year, end)).collect();
    let linked = !training.learners.is_empty();
    let level_of = |person: &Official| person.unit.map(|u| registry.unit(u).kind);
    let is_leader = |p: &Official| {
        p.positions.iter().any(|x| {
            matches!(
                x,
                Position::CapTruong
                    | Position::CapPho
                    | Position::BiThu
                    | Position::PhoBiThu
                    | Position::CtUbnd
                    | Position::PctUbnd
                    | Position::CtHdnd
                    | Position::PctHdnd
            )
        })
    };
    let rows = rows_10()
        .into_iter()
        .map(|(tt, label, member)| {
            let counts = member.filter(|_| known).map(|member| {
                let classes: Vec<&TrainingClass> = in_year.iter().filter(|(_, c)| member(c)).map(|(_, c)| *c).collect();
                let total_learners: u64 = classes.iter().filter_map(|c| c.learners).sum();
                // Learners of these classes found in the roster, by the level of their unit.
                let people_of = |district: bool, leaders: bool| -> Option<u64> {
                    linked.then(|| {
                        training
                            .learners
                            .iter()
                            .filter(|(l, _)| classes.iter().any(|c| same_class(&l.class, c)))
                            .filter_map(|(_, p)| p.map(|i| &people[i]))
                            .filter(|p| {
                                let kind = level_of(p);
                                let at_level = if district {
                                    kind == Some(UnitKind::CoQuanHuyen)
                                } else {
                                    kind.is_some_and(UnitKind::is_commune_level)
                                };
                                at_level && (!leaders || is_leader(p))
                            })
                            .count() as u64
                    })
                };
                let n = classes.len() as u64;
                vec![
                    Some(total_learners),
                    None,
                    None,
                    people_of(true, false),
                    people_of(true, true),
                    people_of(false, false),
                    Some(n),
                    None,
                    Some(n),
                ]
            });
            (tt, label, counts)
        })
        .collect::<Vec<_>>();
    Form {
        code: "Biểu số 10-BTCTW",
        title: "THỐNG KÊ KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ",
        unit_of_count: "Đvt: Người",
        label_headers: vec!["TT", "Chương trình, hình thức đào tạo, bồi dưỡng"],
        columns: vec![
            (
                "Cán bộ được đào tạo, bồi dưỡng",
                vec![
                    "Tổng số",
                    "Cấp tỉnh: Tổng số",
                    "Cấp tỉnh: Trong đó: Số cán bộ lãnh đạo, quản lý",
                    "Cấp huyện: Tổng số",
                    "Cấp huyện: Trong đó: Số cán bộ lãnh đạo, quản lý",
                    "Cấp xã",
                ],
            ),
            ("Số lớp đào tạo, bồi dưỡng", vec!["Tổng số lớp", "Cấp ủy cấp tỉnh mở", "Cấp ủy cấp huyện mở"]),
        ],
        numbers: ["1", "2", "3=4+6+8", "4", "5", "6", "7", "8", "9=10+11", "10", "11"].map(str::to_owned).to_vec(),
        rows: rows.iter().map(|(_, label, counts)| (*label, counts.clone())).collect(),
        row_numbers: rows.iter().map(|(tt, ..)| *tt).collect(),
        period_note: format!("Từ ngày 01/01/{year} đến ngày {}", end.format("%d/%m/%Y")),
        notes: if !known {
            vec!["Chưa có sổ theo dõi các lớp (--training): biểu để trống.".to_owned()]
        } else if linked {
            vec![
                "Cột 3 và cột 9, 11: theo sổ theo dõi các lớp của Trung tâm Chính trị huyện. Cột 6, 7, 8: học viên trong trang học viên của sổ đã khớp với danh sách cán bộ; học viên chưa khớp không được tính, nên cột 3 có thể khác cột 4 + 6 + 8. Cột 4, 5 và 10 (cấp tỉnh) để trống: sổ của huyện không theo dõi."
                    .to_owned(),
            ]
        } else {
            vec!["Cột 3 và cột 9, 11: theo sổ theo dõi các lớp. Sổ không có trang học viên nên không chia được theo cấp (cột 4 đến 8 để trống); cột 10 (cấp tỉnh) để trống: sổ của huyện không theo dõi.".to_owned()]
        },
    }
}

/// Whether a learner's class cell names this class (its name, accents and case aside).
fn same_class(written: &str, class: &TrainingClass) -> bool {
    let a = tonghop_model::text::fold_words(written);
    !a.is_empty() && a == tonghop_model::text::fold_words(&class.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonghop_model::record::SourceRow;

    fn raw(name: &str, class_type: &str, mode: &str, opened: &str, learners: f64) -> RawClass {
        RawClass {
            source: SourceRow { file_index: 0, file: "lop.xlsx".into(), sheet: "Lớp".into(), row: 3 },
            name: name.into(),
            class_type: class_type.into(),
            mode: mode.into(),
            opened: CellValue::Text(opened.into()),
            learners: CellValue::Number(learners),
            ..RawClass::default()
        }
    }

    fn training() -> Training {
        let rows = vec![
            raw("Lớp TC LLCT khóa 2016", "TC LLCT", "tập trung", "10/09/2016", 70.0),
            raw("Lớp TC LLCT khóa 2022-2024", "Trung cấp LLCT - HC", "không tập trung", "15/03/2022", 86.0),
            raw("Lớp TC LLCT khóa 2024-2025", "TCLLCT", "tập trung", "05/01/2024", 90.0),
            raw("Lớp TC LLCT khóa 2024-2026", "TC LLCT", "tập trung", "05/2024", 60.0),
            raw("Cập nhật kiến thức cấp ủy viên", "bồi dưỡng, cập nhật kiến thức", "", "2023", 120.0),
            raw("Nghiệp vụ công tác kiểm tra", "bồi dưỡng nghiệp vụ", "", "20/02/2024", 45.0),
            raw("Đối tượng kết nạp Đảng đợt 1", "đối tượng kết nạp Đảng", "", "01/02/2024", 50.0),
            raw("Hội nghị", "", "", "01/02/2024", 10.0),
        ];
        let (classes, issues) = normalise_classes(&rows, 2024);
        assert_eq!(issues.len(), 1, "{issues:?}");
        Training { since: 2017, classes, learners: Vec::new(), issues }
    }

    #[test]
    fn a_class_date_of_two_digits_is_no_year() {
        // "15" is a birth year's "2015" elsewhere; in a class's date it is said, not guessed.
        let mut number = raw("Lớp TC LLCT khóa 2015", "TC LLCT", "tập trung", "", 60.0);
        number.opened = CellValue::Number(15.0);
        let text = raw("Lớp TC LLCT khóa 2016", "TC LLCT", "tập trung", "16", 60.0);
        let full = raw("Lớp TC LLCT khóa 2017", "TC LLCT", "tập trung", "09/2017", 60.0);
        let (classes, issues) = normalise_classes(&[number, text, full], 2024);
        assert_eq!(classes.iter().map(|c| c.opened.map(|d| d.year)).collect::<Vec<_>>(), [None, None, Some(2017)]);
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert!(issues.iter().all(|i| i.problem.contains("ngày khai giảng không đọc được")));
    }

    #[test]
    fn cumulative_indicators_count_classes_opened_in_the_window() {
        let t = training();
        let values: Vec<(&str, IndicatorValue)> =
            indicators(Some(&t), false, "2024-02".parse().unwrap()).into_iter().map(|i| (i.key, i.value)).collect();
        // 2016 is before --since; May 2024 is after the period.
        assert_eq!(
            values,
            vec![
                ("tc_llct_classes", IndicatorValue::Count(2)),
                ("tc_llct_learners", IndicatorValue::Count(176)),
                ("refresher_classes", IndicatorValue::Count(2)),
                ("refresher_learners", IndicatorValue::Count(165)),
            ]
        );
    }

    #[test]
    fn form_10_counts_the_year_and_leaves_what_the_register_cannot_tell_empty() {
        let t = training();
        let r = Registry::embedded();
        let f = form_10(Some(&t), &[], &r, "2024-02".parse().unwrap());
        let blank = form_10(None, &[], &r, "2024-02".parse().unwrap());
        assert!(blank.rows.iter().all(|(_, counts)| counts.is_none()));
        assert_eq!(f.width(), 9);
        let row = |label: &str| f.rows.iter().find(|(l, _)| *l == label).unwrap().1.clone();
        // 2024 up to February: one TC class (tập trung, 90 learners).
        let tc = row("- Trung cấp LLCT").unwrap();
        assert_eq!(tc, vec![Some(90), None, None, None, None, None, Some(1), None, Some(1)]);
        let modes: Vec<_> = f.rows.iter().filter(|(l, _)| *l == "+ Hệ tập trung").map(|(_, c)| c.clone()).collect();
        assert_eq!(modes[0].as_ref().unwrap()[6], Some(1));
        assert_eq!(modes[1].as_ref().unwrap()[6], Some(0));
        assert_eq!(row("Nghiệp vụ xây dựng Đảng").unwrap()[0], Some(45));
        assert_eq!(row("Đào tạo chuyên môn, chia ra:"), None);
        assert_eq!(row("Quản lý kinh tế"), None);
        assert_eq!(f.row_numbers.len(), f.rows.len());
    }
}
