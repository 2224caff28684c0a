//! The consolidated month: everything the report shows, as the consolidation leaves it —
//! people, merges and review pairs with their evidence, indicators, the per-unit table,
//! the official forms, the training register, the changes since the previous period. The
//! report writes these and history stores them; `tonghop-transform` computes them.

use std::collections::BTreeMap;

use crate::codes::PoliticalTheory;
use crate::intake::{FileIntake, RowCounts, UnitIntake, UnitStatus};
use crate::record::{Official, SourceRow};
use crate::training::{RawLearner, TrainingClass};
use crate::units::UnitId;
use crate::{DataIssue, Period};

/// Weight at or above which a pair is merged.
pub const MERGE_THRESHOLD: f64 = 14.0;
/// Weight at or above which a pair that is not merged is listed for review.
pub const REVIEW_THRESHOLD: f64 = 6.0;
/// One piece of evidence about a pair, with its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// Same valid national ID (rule: same person).
    SameId,
    /// Two different valid national IDs (rule: never the same person).
    DifferentId,
    /// Names identical.
    NameExact,
    /// Names differ only by where the tone mark sits ("Hoà" / "Hòa").
    NameTonePlacement,
    /// Names equal without diacritics.
    NameAccentFree,
    /// Names nearly equal (a typing slip): Jaro–Winkler ≥ 0.95 without diacritics.
    NameVeryClose,
    /// Names close: Jaro–Winkler ≥ 0.90.
    NameClose,
    /// Names different.
    NameDifferent,
    /// Same birth date.
    BirthExact,
    /// Birth day and month swapped.
    BirthSwapped,
    /// Same month and year of birth.
    BirthSameMonth,
    /// A year-only birth date against a full date of that year.
    BirthYearOnly,
    /// Same birth year.
    BirthSameYear,
    /// Different birth dates.
    BirthDifferent,
    /// Same gender.
    GenderSame,
    /// Different gender.
    GenderDifferent,
    /// Same unit.
    UnitSame,
    /// Different units.
    UnitDifferent,
    /// A position in common.
    PositionShared,
    /// Different ethnicities (which do not change): against a merge.
    EthnicityDifferent,
    /// Other recorded attributes agree (ethnicity, political theory, state management,
    /// category, professional level): what a name that is only a typo variant needs.
    AttributesAgree,
    /// Recorded attributes of one month's two rows disagree (political theory, state
    /// management, category, professional level).
    AttributesDiffer,
    /// The name matches only as a typo variant and nothing else recorded agrees: the total
    /// is held under the merge threshold.
    OnlyTypoName,
    /// One thing that does not change differs and everything else agrees (the name, the
    /// unit, the recorded levels): never merged, always asked.
    OnlyOneDiffers,
    /// The clerk decided they are the same person.
    Decided,
}

impl Evidence {
    /// The reason as the duplicates sheet writes it.
    pub fn label(self) -> &'static str {
        match self {
            Self::SameId => "cùng số CCCD/CMND",
            Self::DifferentId => "khác số CCCD/CMND",
            Self::NameExact => "trùng họ tên",
            Self::NameTonePlacement => "họ tên chỉ khác vị trí dấu",
            Self::NameAccentFree => "họ tên chỉ khác dấu",
            Self::NameVeryClose => "họ tên gần giống (lỗi gõ)",
            Self::NameClose => "họ tên tương tự",
            Self::NameDifferent => "họ tên khác",
            Self::BirthExact => "trùng ngày sinh",
            Self::BirthSwapped => "ngày sinh đảo ngày và tháng",
            Self::BirthSameMonth => "cùng tháng, năm sinh",
            Self::BirthYearOnly => "năm sinh khớp ngày sinh đầy đủ",
            Self::BirthSameYear => "cùng năm sinh",
            Self::BirthDifferent => "khác ngày sinh",
            Self::GenderSame => "cùng giới tính",
            Self::GenderDifferent => "khác giới tính",
            Self::UnitSame => "cùng đơn vị",
            Self::UnitDifferent => "khác đơn vị",
            Self::PositionShared => "cùng chức vụ",
            Self::EthnicityDifferent => "khác dân tộc",
            Self::AttributesAgree => "trùng dân tộc và trình độ",
            Self::AttributesDiffer => "khác trình độ hoặc loại cán bộ",
            Self::OnlyTypoName => "chỉ gần giống tên, không đủ thông tin khác để gộp",
            Self::OnlyOneDiffers => "chỉ khác một đặc điểm không đổi, mọi thông tin khác trùng: cần xem xét",
            Self::Decided => "cán bộ đã xác nhận cùng một người",
        }
    }
}

/// Why rows were merged.
pub type MergeReason = Evidence;

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
#[derive(Debug, Clone, PartialEq)]
pub struct MergeGroup {
    /// Index of the person in the month's people.
    pub person: usize,
    /// Every source row, the kept one first.
    pub rows: Vec<SourceRow>,
    /// Why they were merged (the evidence of the pairs that joined them).
    pub reasons: Vec<Evidence>,
    /// The weakest weight that joined the group.
    pub weight: f64,
    /// Values on which they disagreed.
    pub conflicts: Vec<Conflict>,
    /// Each row's own name, birth date, unit and ID, in the order of `rows`: what the clerk
    /// names a row by to take it out of the group.
    pub row_keys: Vec<RowKeys>,
}

/// A row's own keys, as a decision names a person.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowKeys {
    /// The name as the row wrote it.
    pub name: String,
    /// Its birth date.
    pub birth: Option<crate::record::BirthDate>,
    /// Its unit.
    pub unit: Option<UnitId>,
    /// Its ID.
    pub id: Option<crate::record::NationalId>,
}

/// Two rows that may be the same person: not merged, listed for a person to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPair {
    /// The two people (indices in the month's people).
    pub people: (usize, usize),
    /// The two rows compared.
    pub rows: (SourceRow, SourceRow),
    /// The evidence.
    pub reasons: Vec<Evidence>,
    /// The weight.
    pub weight: f64,
    /// Each piece of evidence with its weight, for the clerk to see why.
    pub contributions: Vec<(Evidence, f64)>,
}

/// A ratio with its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ratio {
    /// People counted in the numerator.
    pub numerator: u64,
    /// People in the denominator.
    pub denominator: u64,
    /// People in the denominator whose qualification is not known.
    pub unknown: u64,
}

impl Ratio {
    /// The exact ratio, `None` when the denominator is zero.
    pub fn fraction(self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    /// The percent rounded half away from zero to one decimal (55.8), computed in integers
    /// so that 55.75 does not become 55.7 through binary rounding.
    pub fn percent(self) -> Option<f64> {
        if self.denominator == 0 {
            return None;
        }
        let tenths = (2000 * self.numerator + self.denominator) / (2 * self.denominator);
        Some(tenths as f64 / 10.0)
    }

    fn add(&mut self, other: Self) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
        self.unknown += other.unknown;
    }
}

/// The value of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorValue {
    /// A ratio.
    Ratio(Ratio),
    /// A count.
    Count(u64),
    /// Not computed for this run; why, in Vietnamese (no training register given...).
    NotAvailable(&'static str),
}

/// One headline indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Stable key (`indicators.md`).
    pub key: &'static str,
    /// Vietnamese label.
    pub label: String,
    /// Its value.
    pub value: IndicatorValue,
}

/// How the levels of a code list count in the per-unit table (Theo đơn vị, `indicators.md`
/// §2): the columns' labels, and for each level of the list (in its order) the column it counts
/// in; a person whose level is not known counts in the last column ("Chưa rõ"). The indicators
/// count with it and the report heads its columns with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelColumns {
    /// The columns' labels, the unknown last.
    pub labels: &'static [&'static str],
    /// The column of each level, by the level's place in its list.
    pub column_of_level: &'static [usize],
}

/// Political theory (levels: none, sơ cấp, trung cấp, cao cấp, cử nhân).
pub const POLITICAL_THEORY_COLUMNS: LevelColumns = LevelColumns {
    labels: &["LLCT: Sơ cấp", "LLCT: Trung cấp", "LLCT: Cao cấp, cử nhân", "LLCT: Chưa qua đào tạo", "LLCT: Chưa rõ"],
    column_of_level: &[3, 0, 1, 2, 2],
};

/// Professional level (chưa qua đào tạo, sơ cấp, trung cấp, cao đẳng, đại học, thạc sĩ, tiến sĩ).
pub const PROFESSIONAL_COLUMNS: LevelColumns = LevelColumns {
    labels: &[
        "CM: Chưa qua ĐT, sơ cấp",
        "CM: Trung cấp",
        "CM: Cao đẳng",
        "CM: Đại học",
        "CM: Trên đại học",
        "CM: Chưa rõ",
    ],
    column_of_level: &[0, 0, 1, 2, 3, 4, 4],
};

/// State management (none, cán sự, chuyên viên, chuyên viên chính, chuyên viên cao cấp).
pub const STATE_MANAGEMENT_COLUMNS: LevelColumns = LevelColumns {
    labels: &["QLNN: CVC trở lên", "QLNN: Chuyên viên", "QLNN: Cán sự", "QLNN: Chưa bồi dưỡng", "QLNN: Chưa rõ"],
    column_of_level: &[3, 2, 1, 0, 0],
};

impl LevelColumns {
    /// The levels each column but the last counts, by their place in the list.
    pub fn levels_of_columns(&self) -> Vec<Vec<u32>> {
        (0..self.labels.len() - 1)
            .map(|c| {
                (0..self.column_of_level.len()).filter(|&l| self.column_of_level[l] == c).map(|l| l as u32).collect()
            })
            .collect()
    }
}

/// One row of the per-unit table (`indicators.md` §2).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitStats {
    /// Distinct people.
    pub headcount: u64,
    /// Of whom female.
    pub female: u64,
    /// Of whom ethnic minority.
    pub minority: u64,
    /// Of whom party members.
    pub party: u64,
    /// Of whom the membership is recorded (a return without the column says nothing).
    pub party_known: u64,
    /// Party committee members, and of them LLCT TC+.
    pub committee: Ratio,
    /// Cán bộ.
    pub can_bo: u64,
    /// Công chức.
    pub cong_chuc: u64,
    /// Không chuyên trách.
    pub kct: u64,
    /// LLCT: sơ cấp, trung cấp, cao cấp + cử nhân, none, unknown.
    pub political_theory: [u64; 5],
    /// Professional: chưa qua đào tạo + sơ cấp, trung cấp, cao đẳng, đại học, trên đại học, unknown.
    pub professional: [u64; 6],
    /// State management: chuyên viên chính +, chuyên viên, cán sự, none, unknown.
    pub state_management: [u64; 5],
    /// Ages: ≤30, 31–40, 41–50, 51–60, >60, unknown.
    pub ages: [u64; 6],
    /// Sum of known ages (for the average).
    pub age_sum: i64,
}

impl UnitStats {
    /// Average age of the people whose age is known.
    pub fn average_age(&self) -> Option<f64> {
        let known: u64 = self.ages[..5].iter().sum();
        (known > 0).then(|| self.age_sum as f64 / known as f64)
    }

    /// Adds another unit's counts (ratios recomputed from their parts, not averaged).
    pub fn add(&mut self, other: &Self) {
        self.headcount += other.headcount;
        self.female += other.female;
        self.minority += other.minority;
        self.party += other.party;
        self.party_known += other.party_known;
        self.committee.add(other.committee);
        self.can_bo += other.can_bo;
        self.cong_chuc += other.cong_chuc;
        self.kct += other.kct;
        for (a, b) in self.political_theory.iter_mut().zip(other.political_theory) {
            *a += b;
        }
        for (a, b) in self.professional.iter_mut().zip(other.professional) {
            *a += b;
        }
        for (a, b) in self.state_management.iter_mut().zip(other.state_management) {
            *a += b;
        }
        for (a, b) in self.ages.iter_mut().zip(other.ages) {
            *a += b;
        }
        self.age_sum += other.age_sum;
    }
}

/// A filled form: column headers (with their number), and rows of counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// "Biểu số 9C-BTCTW".
    pub code: &'static str,
    /// Title, in capitals, without the period.
    pub title: &'static str,
    /// Unit of count ("Đvt: Người").
    pub unit_of_count: &'static str,
    /// Headers of the label columns ("Tiêu chí"; "TT" and "Chương trình..." on Biểu 10).
    pub label_headers: Vec<&'static str>,
    /// Column groups: (group label, sub-labels); a group without sub-labels is one column.
    pub columns: Vec<(&'static str, Vec<&'static str>)>,
    /// The row of column numbers, label columns included ("3=4+6+8" where the form says
    /// so); empty for plain 1, 2, 3...
    pub numbers: Vec<String>,
    /// Rows: label, and one count per column (`None` for a row the data cannot fill, or
    /// a column it cannot fill).
    pub rows: Vec<(&'static str, Option<Vec<Option<u64>>>)>,
    /// The "TT" of each row, when the form has that column (Biểu 10); empty otherwise.
    pub row_numbers: Vec<&'static str>,
    /// What the figures cover, under the title ("Tháng 02 năm 2024" when empty).
    pub period_note: String,
    /// Notes printed under the table: where figures come from when the form cannot say.
    pub notes: Vec<String>,
}

impl Form {
    /// Number of data columns (after "Tiêu chí").
    pub fn width(&self) -> usize {
        self.columns.iter().map(|(_, subs)| subs.len().max(1)).sum()
    }
}

/// The register of the run, normalised.
#[derive(Debug, Clone, Default)]
pub struct Training {
    /// Base year of the cumulative indicators (`--since`).
    pub since: i32,
    /// Every class read.
    pub classes: Vec<TrainingClass>,
    /// Learners and the roster person each was linked to (index into the people), if any.
    pub learners: Vec<(RawLearner, Option<usize>)>,
    /// Problems in the register.
    pub issues: Vec<DataIssue>,
}

/// The previous period's snapshot, as read back.
#[derive(Debug, Clone)]
pub struct Previous {
    /// Its period.
    pub period: Period,
    /// Its indicators by key: the percent for a ratio, the value for a count.
    pub indicators: BTreeMap<String, f64>,
    /// Its people (unit, name, birth date, codes; no sources). Their national IDs are the
    /// history's hashes ([`Previous::ids_hashed_with`]), not the numbers.
    pub people: Vec<Official>,
    /// The hasher of the history the snapshot was read from: this period's IDs are hashed
    /// with it to be compared with the previous period's.
    pub ids_hashed_with: Option<crate::ids::IdHasher>,
}

/// The value of an indicator as compared between periods: the percent of a ratio (one
/// decimal), the value of a count.
pub fn comparable(value: &IndicatorValue) -> Option<f64> {
    match value {
        IndicatorValue::Ratio(r) => r.percent(),
        IndicatorValue::Count(v) => Some(*v as f64),
        IndicatorValue::NotAvailable(_) => None,
    }
}

/// What changed for one person since the previous period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// In this period's roster, not in the previous one.
    Joined,
    /// In the previous roster, not in this one, though the unit reported.
    Left,
    /// In the previous roster; the unit did not send a readable return this period.
    NotReported,
    /// Now in another unit.
    MovedUnit,
    /// Positions changed.
    Positions,
    /// A qualification changed.
    Qualification,
}

impl ChangeKind {
    /// Vietnamese label.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Joined => "Mới có tên",
            Self::Left => "Không còn tên",
            Self::NotReported => "Đơn vị chưa nộp / không đọc được kỳ này",
            Self::MovedUnit => "Chuyển đơn vị",
            Self::Positions => "Thay đổi chức vụ",
            Self::Qualification => "Thay đổi trình độ",
        }
    }
}

/// One line of "Biến động".
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// The person, as in the period where they are (this one, or the previous for
    /// people who left).
    pub person: Official,
    /// Before → after, in words.
    pub detail: String,
}

/// The secretary column of the per-unit table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secretary {
    /// No one holds the post ("chưa có").
    Vacant,
    /// One secretary: name and LLCT level (None when unknown).
    One(String, Option<PoliticalTheory>),
    /// The return lists several ("nhiều").
    Several(Vec<String>),
}

/// One line of the per-unit table.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitLine {
    /// The unit.
    pub unit: UnitId,
    /// Its intake status.
    pub status: UnitStatus,
    /// Its statistics (all zero for a missing unit).
    pub stats: UnitStats,
    /// The secretary.
    pub secretary: Secretary,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct Consolidation {
    /// The period.
    pub period: Period,
    /// One intake per file.
    pub files: Vec<FileIntake>,
    /// One intake per expected unit (registry order), then units not expected.
    pub units: Vec<UnitIntake>,
    /// Distinct people, by unit (registry order) and then by where they were read.
    pub people: Vec<Official>,
    /// Groups of rows merged into one person.
    pub merges: Vec<MergeGroup>,
    /// Pairs that may be one person, left for review.
    pub review: Vec<ReviewPair>,
    /// Every data issue, in file and cell order.
    pub issues: Vec<DataIssue>,
    /// Headline indicators.
    pub headline: Vec<Indicator>,
    /// The per-unit table, expected units in registry order.
    pub unit_lines: Vec<UnitLine>,
    /// The district total row.
    pub total: UnitStats,
    /// Biểu số 9C-BTCTW.
    pub form_9c: Form,
    /// Biểu số 12C-BTCTW.
    pub form_12c: Form,
    /// Biểu số 10-BTCTW.
    pub form_10: Form,
    /// The training register, normalised, when one was given.
    pub training: Option<Training>,
    /// The previous period and its indicator values by key, when history holds it.
    pub previous: Option<(Period, BTreeMap<String, f64>)>,
    /// Changes since the previous period (`None` when history holds no previous period).
    pub changes: Option<Vec<Change>>,
    /// What the run went on without: a register or a previous snapshot that could not be
    /// used, said to the clerk.
    pub notices: Vec<String>,
}

impl Consolidation {
    /// Whether every expected unit sent a readable return.
    pub fn is_complete(&self) -> bool {
        self.notices.is_empty()
            && self.units.iter().all(|u| matches!(u.status, UnitStatus::Received | UnitStatus::NotExpected))
    }

    /// Whether some unit's roster may be misread (plausibility warnings), or where its rows
    /// came from needs checking (notes).
    pub fn has_doubts(&self) -> bool {
        self.units.iter().any(|u| !u.warnings.is_empty() || !u.notes.is_empty())
    }

    /// Row counts over all files.
    pub fn totals(&self) -> RowCounts {
        let mut total = RowCounts::default();
        for f in &self.files {
            total.add(f.counts);
        }
        total
    }
}

/// The words every warning begins with.
pub const DOUBT: &str = "số liệu có thể đọc sai";
