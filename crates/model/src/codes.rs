//! Code lists of the canonical model (spec `model.md` §2) and the spellings seen in returns.
//!
//! Every parser takes the raw cell text and is accent-, case-, punctuation- and
//! whitespace-insensitive. Ambiguous abbreviations are resolved by the column they are in:
//! each parser belongs to one [`Field`], so "TC" is trung cấp under political theory and
//! tài chính among positions.

use std::collections::HashMap;

use crate::memo::{remember, remembered};
use crate::text::{fold, fold_words};
use crate::units::UnitKind;

/// A column of a return, i.e. a field of the official record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// Row number (STT, TT): read, not kept.
    RowNumber,
    /// The reporting unit of a multi-unit file.
    Unit,
    /// Full name.
    FullName,
    /// Family and middle names, when the name is split ("Họ" of "Họ | Tên").
    FamilyName,
    /// Given name, when the name is split ("Tên" of "Họ | Tên").
    GivenName,
    /// Birth date, any gender.
    BirthDate,
    /// Birth date written in the "Nam" column.
    BirthDateMale,
    /// Birth date written in the "Nữ" column.
    BirthDateFemale,
    /// Gender.
    Gender,
    /// Ethnicity.
    Ethnicity,
    /// Religion.
    Religion,
    /// Citizen ID (CCCD) or old ID (CMND).
    NationalId,
    /// Party membership (a mark or a join date).
    PartyMember,
    /// Date of joining the party.
    PartyJoinDate,
    /// Positions held (any kind).
    Positions,
    /// Party committee membership.
    Committee,
    /// Category: cán bộ, công chức, không chuyên trách.
    Category,
    /// General education.
    GeneralEducation,
    /// Professional qualification.
    Professional,
    /// Field of study ("Ngành đào tạo").
    ProfessionalField,
    /// Political theory level.
    PoliticalTheory,
    /// Political theory level being studied now.
    PoliticalTheoryStudying,
    /// State management training.
    StateManagement,
    /// IT skills.
    It,
    /// Foreign language.
    ForeignLanguage,
    /// Ethnic minority language.
    EthnicLanguage,
    /// Succession-planning entries.
    Planning,
    /// Training attended in the period.
    Trainings,
    /// Free-text note.
    Note,
}

impl Field {
    /// The identifier used in reports and JSON (see [`crate::fields::FIELDS`]).
    pub const fn key(self) -> &'static str {
        self.spec().key
    }

    /// The Vietnamese column label (see [`crate::fields::FIELDS`]).
    pub const fn label(self) -> &'static str {
        self.spec().label
    }
}

/// Letters and digits only, accents folded: "T.cấp" → "tcap", "CT-HC" → "cthc".
fn compact(raw: &str) -> String {
    fold(raw).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whether a cell means "none" in a column that allows it: empty, "-", "0", "Không", "Chưa".
pub fn means_none(raw: &str) -> bool {
    matches!(compact(raw).as_str(), "" | "0" | "khong" | "chua" | "ko" | "k" | "khongco" | "chuaco") && !is_tick(raw)
}

/// Whether a cell holds a tick, a mark with no letter ("✓", "√", "✔", "☑", "+"): a mark
/// in a column of marks, as "x" is, not nothing. A cross ("✗") is no tick: it says no.
pub fn is_tick(raw: &str) -> bool {
    let t = raw.trim();
    // "✗", "✘" and "☒" say no where "✓" says yes: not ticks.
    !t.is_empty() && t.chars().all(|c| matches!(c, '✓' | '✔' | '√' | '☑' | '+'))
}

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable identifier of the value.
            pub fn key(self) -> &'static str {
                match self { $(Self::$variant => $key,)+ }
            }

            /// The Vietnamese label.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)+ }
            }

            /// The value whose key is `key`.
            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }
        }
    };
}

code_enum! {
    /// Political theory level (lý luận chính trị), ordered.
    PoliticalTheory {
        /// No political theory training.
        Khong => "none", "Chưa qua đào tạo";
        /// Elementary (sơ cấp).
        SoCap => "so_cap", "Sơ cấp";
        /// Intermediate (trung cấp).
        TrungCap => "trung_cap", "Trung cấp";
        /// Advanced (cao cấp).
        CaoCap => "cao_cap", "Cao cấp";
        /// Bachelor of political science (cử nhân).
        CuNhan => "cu_nhan", "Cử nhân";
    }
}

impl PoliticalTheory {
    /// Intermediate or higher (TC+).
    pub fn is_tc_plus(self) -> bool {
        self >= Self::TrungCap
    }
}

/// A political theory cell: the level held and the level being studied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoliticalTheoryValue {
    /// Level held.
    pub level: PoliticalTheory,
    /// Level being studied now, if any.
    pub studying: Option<PoliticalTheory>,
}

fn political_theory_core(compact: &str) -> Option<PoliticalTheory> {
    let mut core = compact;
    // Longest first: "LLCT-HC" and "lý luận chính trị - hành chính" before their parts.
    for suffix in
        ["lyluanchinhtrihanhchinh", "lyluanchinhtri", "chinhtrihanhchinh", "llcthc", "llct", "cthc", "chinhtri", "ct"]
    {
        if let Some(stripped) = core.strip_suffix(suffix) {
            core = stripped;
            break;
        }
    }
    Some(match core {
        // With an English template's drop-down ("Elementary", "Intermediate", "Advanced").
        "socap" | "sc" | "scap" | "elementary" | "basic" => PoliticalTheory::SoCap,
        "trungcap" | "tc" | "tcap" | "intermediate" => PoliticalTheory::TrungCap,
        "caocap" | "cc" | "ccap" | "advanced" | "senior" => PoliticalTheory::CaoCap,
        "cunhan" | "cn" | "bachelor" => PoliticalTheory::CuNhan,
        "khong" | "chua" | "chuaquadaotao" | "chuahoc" | "0" | "" | "none" => PoliticalTheory::Khong,
        _ => return None,
    })
}

/// Parses a political theory cell. An empty cell is "none" (the column allows it); text
/// that is not a known spelling gives `None` (unknown).
pub fn parse_political_theory(raw: &str) -> Option<PoliticalTheoryValue> {
    remembered!(Option<PoliticalTheoryValue>, raw, parse_political_theory_uncached)
}

fn parse_political_theory_uncached(raw: &str) -> Option<PoliticalTheoryValue> {
    level_with_years(raw, political_theory_one, |v| v.level)
}

fn political_theory_one(raw: &str) -> Option<PoliticalTheoryValue> {
    let words = fold_words(raw);
    for marker in ["dang theo hoc", "dang hoc"] {
        if let Some(pos) = crate::text::find_words(&words, marker) {
            // The level held, then a higher one studied ("TC (đang học CC)"); a level with
            // the marker alone is the one studied ("TC (đang học)").
            let (held, studied) = (words[..pos].trim(), words[pos + marker.len()..].trim());
            if !held.is_empty()
                && !studied.is_empty()
                && let Some(level) = political_theory_core(&compact(held))
                && let Some(studying) = political_theory_core(&compact(studied)).filter(|s| *s > level)
            {
                return Some(PoliticalTheoryValue { level, studying: Some(studying) });
            }
            let rest = format!("{}{}", &words[..pos], &words[pos + marker.len()..]);
            let studying = political_theory_core(&compact(&rest))?;
            return Some(PoliticalTheoryValue {
                level: PoliticalTheory::Khong,
                studying: (studying != PoliticalTheory::Khong).then_some(studying),
            });
        }
    }
    if means_none(raw) {
        return Some(PoliticalTheoryValue { level: PoliticalTheory::Khong, studying: None });
    }
    political_theory_core(&compact(raw)).map(|level| PoliticalTheoryValue { level, studying: None })
}

/// A level read with the years it was obtained in left out ("Cao cấp (2015)", "TC LLCT
/// 2013", "Đại học - 2012"), and of several levels each with its year ("Sơ cấp 2006,
/// Trung cấp 2015") the highest.
fn level_with_years<T, K: Ord>(raw: &str, one: impl Fn(&str) -> Option<T>, key: impl Fn(&T) -> K) -> Option<T> {
    if !raw.bytes().any(|b| b.is_ascii_digit()) {
        return one(raw);
    }
    let undated = without_years(raw);
    // Nothing but a year is no level ("2015").
    if undated == raw.trim() || undated.is_empty() {
        return one(raw);
    }
    let parts: Vec<&str> = undated.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.len() >= 2 {
        let values: Option<Vec<T>> = parts.iter().map(|p| one(p)).collect();
        if let Some(highest) = values.and_then(|v| v.into_iter().max_by_key(&key)) {
            return Some(highest);
        }
    }
    one(&undated)
}

/// A text without the years written in it: "(2015)", "(năm 2015)", "2015", "- 2017".
fn without_years(raw: &str) -> String {
    let is_year = |t: &str| t.len() == 4 && t.parse::<u32>().is_ok_and(|y| (1950..=2100).contains(&y));
    let mut words: Vec<String> = Vec::new();
    for word in raw.split_whitespace() {
        // The word without its brackets and punctuation around a year: "(2015)", "2015),".
        let bare = word.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ';' | '.' | '-'));
        if is_year(bare) {
            // "(năm 2015)": the "năm" before the year goes too.
            if words.last().is_some_and(|w| matches!(w.trim_start_matches('(').to_lowercase().as_str(), "năm" | "nam"))
            {
                words.pop();
            }
            // Keep what separates it from the next level: "(1998)," leaves ",".
            if word.ends_with([',', ';'])
                && let Some(last) = words.last_mut()
            {
                last.push(',');
            }
            continue;
        }
        words.push(word.to_owned());
    }
    let joined = words.join(" ");
    joined.trim_matches(|c: char| c == '-' || c == ',' || c.is_whitespace()).replace(" -,", ",").replace(" - ,", ",")
}

/// Parses a "Đang học" cell: the level being studied, `Some(None)` for none.
pub fn parse_studying(raw: &str) -> Option<Option<PoliticalTheory>> {
    remembered!(Option<Option<PoliticalTheory>>, raw, parse_studying_uncached)
}

#[allow(clippy::option_option)] // as `parse_studying`: unreadable, none, or a level
fn parse_studying_uncached(raw: &str) -> Option<Option<PoliticalTheory>> {
    if means_none(raw) {
        return Some(None);
    }
    let words = fold_words(raw).replace("dang theo hoc", "").replace("dang hoc", "");
    match political_theory_core(&compact(&words))? {
        PoliticalTheory::Khong => Some(None),
        level => Some(Some(level)),
    }
}

code_enum! {
    /// Professional qualification (chuyên môn), ordered.
    Professional {
        /// Not trained.
        ChuaQuaDaoTao => "chua_qua_dao_tao", "Chưa qua đào tạo";
        /// Elementary.
        SoCap => "so_cap", "Sơ cấp";
        /// Intermediate (trung cấp, THCN).
        TrungCap => "trung_cap", "Trung cấp";
        /// College (cao đẳng).
        CaoDang => "cao_dang", "Cao đẳng";
        /// University (đại học).
        DaiHoc => "dai_hoc", "Đại học";
        /// Master (thạc sĩ).
        ThacSi => "thac_si", "Thạc sĩ";
        /// Doctor (tiến sĩ).
        TienSi => "tien_si", "Tiến sĩ";
    }
}

/// A professional qualification cell: the level and the field of study as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfessionalValue {
    /// The level.
    pub level: Professional,
    /// The field ("Luật", "Kinh tế nông nghiệp"), as written, when given.
    pub field: Option<String>,
}

/// Parses a professional qualification cell ("ĐH Luật", "Thạc sỹ QLKT", "TC kế toán").
/// An empty cell is unknown (`None`); "-", "Không", "Chưa" are "chưa qua đào tạo".
pub fn parse_professional(raw: &str) -> Option<ProfessionalValue> {
    remembered!(Option<ProfessionalValue>, raw, parse_professional_uncached)
}

fn parse_professional_uncached(raw: &str) -> Option<ProfessionalValue> {
    level_with_years(raw, professional_one, |v| v.level)
}

fn professional_one(raw: &str) -> Option<ProfessionalValue> {
    let cleaned = crate::text::clean(raw);
    if cleaned.is_empty() {
        return None;
    }
    if means_none(raw) {
        return Some(ProfessionalValue { level: Professional::ChuaQuaDaoTao, field: None });
    }
    const PREFIXES: &[(&str, Professional)] = &[
        ("chua qua dao tao", Professional::ChuaQuaDaoTao),
        ("chua qua dt", Professional::ChuaQuaDaoTao),
        ("chua dao tao", Professional::ChuaQuaDaoTao),
        ("tien si khoa hoc", Professional::TienSi),
        ("tien si", Professional::TienSi),
        ("tien sy", Professional::TienSi),
        ("tskh", Professional::TienSi),
        ("ts", Professional::TienSi),
        ("thac si", Professional::ThacSi),
        ("thac sy", Professional::ThacSi),
        ("ths", Professional::ThacSi),
        ("tren dai hoc", Professional::ThacSi),
        ("sau dai hoc", Professional::ThacSi),
        ("dai hoc", Professional::DaiHoc),
        ("dh", Professional::DaiHoc),
        ("cu nhan", Professional::DaiHoc),
        ("cn", Professional::DaiHoc),
        ("ky su", Professional::DaiHoc),
        ("ks", Professional::DaiHoc),
        ("bac si", Professional::DaiHoc),
        ("bs", Professional::DaiHoc),
        ("cao dang", Professional::CaoDang),
        ("cd", Professional::CaoDang),
        ("trung cap", Professional::TrungCap),
        ("tc", Professional::TrungCap),
        ("thcn", Professional::TrungCap),
        ("so cap", Professional::SoCap),
        ("sc", Professional::SoCap),
        ("cnkt", Professional::SoCap),
        ("nhan vien nghiep vu", Professional::SoCap),
        // An English template's drop-down.
        ("doctorate", Professional::TienSi),
        ("doctor", Professional::TienSi),
        ("phd", Professional::TienSi),
        ("master", Professional::ThacSi),
        ("bachelor", Professional::DaiHoc),
        ("college", Professional::CaoDang),
        ("intermediate", Professional::TrungCap),
        ("vocational", Professional::TrungCap),
        ("elementary", Professional::SoCap),
        ("none", Professional::ChuaQuaDaoTao),
    ];
    let words = fold_words(&cleaned);
    for (prefix, level) in PREFIXES {
        if words.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')) {
            let field = field_after(&cleaned, prefix.split(' ').count());
            return Some(ProfessionalValue { level: *level, field });
        }
    }
    // A code typed without spaces ("DAIHOC", "THACSI", "CAODANG"): the level alone.
    let joined = words.replace(' ', "");
    PREFIXES
        .iter()
        .find(|(prefix, _)| prefix.contains(' ') && prefix.replace(' ', "") == joined)
        .map(|&(_, level)| ProfessionalValue { level, field: None })
}

/// The words of `cleaned` after the first `skip` words, trimmed of separators.
fn field_after(cleaned: &str, skip: usize) -> Option<String> {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in cleaned.char_indices() {
        let alnum = c.is_alphanumeric();
        if alnum && !in_word {
            if words == skip {
                let rest = cleaned[i..].trim().trim_end_matches([')', '.']);
                return (!rest.is_empty()).then(|| rest.to_owned());
            }
            words += 1;
        }
        in_word = alnum;
    }
    None
}

code_enum! {
    /// General education (giáo dục phổ thông).
    GeneralEducation {
        /// Primary.
        TieuHoc => "tieu_hoc", "Tiểu học";
        /// Lower secondary.
        Thcs => "thcs", "Trung học cơ sở";
        /// Upper secondary.
        Thpt => "thpt", "Trung học phổ thông";
    }
}

/// Parses a general education cell ("12/12", "9/10", "THPT", "Tiểu học").
pub fn parse_general_education(raw: &str) -> Option<GeneralEducation> {
    remembered!(Option<GeneralEducation>, raw, parse_general_education_uncached)
}

fn parse_general_education_uncached(raw: &str) -> Option<GeneralEducation> {
    let words = fold_words(raw);
    if let Some((a, b)) = raw.trim().split_once('/') {
        let grade: u32 = a.trim().parse().ok()?;
        let system: u32 = b.split_whitespace().next()?.parse().ok()?;
        return match system {
            12 if grade >= 12 => Some(GeneralEducation::Thpt),
            12 if grade >= 9 => Some(GeneralEducation::Thcs),
            12 if grade >= 5 => Some(GeneralEducation::TieuHoc),
            10 if grade >= 10 => Some(GeneralEducation::Thpt),
            10 if grade >= 7 => Some(GeneralEducation::Thcs),
            10 if grade >= 4 => Some(GeneralEducation::TieuHoc),
            _ => None,
        };
    }
    match words.as_str() {
        "thpt" | "trung hoc pho thong" | "ptth" | "pho thong trung hoc" => Some(GeneralEducation::Thpt),
        "thcs" | "trung hoc co so" | "ptcs" => Some(GeneralEducation::Thcs),
        "tieu hoc" | "th" => Some(GeneralEducation::TieuHoc),
        _ => None,
    }
}

code_enum! {
    /// State management training (quản lý nhà nước), ordered.
    StateManagement {
        /// None.
        Khong => "none", "Chưa bồi dưỡng";
        /// Cán sự.
        CanSu => "can_su", "Cán sự";
        /// Chuyên viên.
        ChuyenVien => "chuyen_vien", "Chuyên viên";
        /// Chuyên viên chính.
        ChuyenVienChinh => "chuyen_vien_chinh", "Chuyên viên chính";
        /// Chuyên viên cao cấp.
        ChuyenVienCaoCap => "chuyen_vien_cao_cap", "Chuyên viên cao cấp";
    }
}

/// Parses a state management cell ("CVC", "Chuyên viên và tương đương", "Chưa bồi dưỡng").
pub fn parse_state_management(raw: &str) -> Option<StateManagement> {
    remembered!(Option<StateManagement>, raw, parse_state_management_uncached)
}

fn parse_state_management_uncached(raw: &str) -> Option<StateManagement> {
    level_with_years(raw, state_management_one, |v| *v)
}

fn state_management_one(raw: &str) -> Option<StateManagement> {
    if means_none(raw) {
        return Some(StateManagement::Khong);
    }
    let c = compact(raw);
    let c = c.strip_suffix("vatuongduong").unwrap_or(&c);
    let c = c.strip_prefix("qlnn").unwrap_or(c);
    let c = c.strip_prefix("ngach").unwrap_or(c);
    // An English template's drop-down: "Specialist (CV)", "Principal specialist".
    let c = match c {
        "seniorspecialist" | "seniorspecialistcvcc" => "cvcc",
        "principalspecialist" | "mainspecialist" | "principalspecialistcvc" => "cvc",
        "specialist" | "specialistcv" => "cv",
        "officer" | "officercs" => "cs",
        "none" => "",
        other => other,
    };
    Some(match c {
        "chuyenviencaocap" | "cvcc" => StateManagement::ChuyenVienCaoCap,
        "chuyenvienchinh" | "cvc" => StateManagement::ChuyenVienChinh,
        "chuyenvien" | "cv" => StateManagement::ChuyenVien,
        "cansu" | "cs" => StateManagement::CanSu,
        "chuaboiduong" | "chuaqua" | "chuaquaboiduong" | "chuaquadaotao" | "chuadaotao" | "" => StateManagement::Khong,
        _ => return None,
    })
}

code_enum! {
    /// Gender.
    Gender {
        /// Male.
        Nam => "nam", "Nam";
        /// Female.
        Nu => "nu", "Nữ";
    }
}

/// Parses a gender cell.
pub fn parse_gender(raw: &str) -> Option<Gender> {
    remembered!(Option<Gender>, raw, parse_gender_uncached)
}

fn parse_gender_uncached(raw: &str) -> Option<Gender> {
    match compact(raw).as_str() {
        "nam" | "m" | "male" | "trai" => Some(Gender::Nam),
        "nu" | "f" | "female" | "gai" => Some(Gender::Nu),
        _ => None,
    }
}

code_enum! {
    /// Level in the party committee.
    CommitteeLevel {
        /// Not a committee member.
        Khong => "none", "Không";
        /// Committee member (Đảng ủy viên, Ủy viên BCH).
        CapUyVien => "cap_uy_vien", "Cấp ủy viên";
        /// Standing committee member.
        BanThuongVu => "ban_thuong_vu", "Ủy viên Ban Thường vụ";
        /// Deputy secretary.
        PhoBiThu => "pho_bi_thu", "Phó Bí thư";
        /// Secretary.
        BiThu => "bi_thu", "Bí thư";
    }
}

/// Parses a "Cấp ủy" column: a mark ("x", "1"), an abbreviation ("ĐUV", "BTV"), or none.
pub fn parse_committee(raw: &str) -> Option<CommitteeLevel> {
    remembered!(Option<CommitteeLevel>, raw, parse_committee_uncached)
}

fn parse_committee_uncached(raw: &str) -> Option<CommitteeLevel> {
    if means_none(raw) {
        return Some(CommitteeLevel::Khong);
    }
    if is_tick(raw) {
        return Some(CommitteeLevel::CapUyVien);
    }
    Some(match compact(raw).as_str() {
        "x" | "v" | "1" | "co" | "duv" | "cuv" | "uvbch" | "bch" | "capuyvien" | "danguyvien" | "uyvienbch"
        | "uyvienbanchaphanh" => CommitteeLevel::CapUyVien,
        "btv" | "uvbtv" | "uyvienbtv" | "uyvienbanthuongvu" => CommitteeLevel::BanThuongVu,
        "pbt" | "phobithu" | "phobt" | "pbttt" | "phobithutt" | "phobithuthuongtruc" => CommitteeLevel::PhoBiThu,
        "bt" | "bithu" => CommitteeLevel::BiThu,
        _ => return None,
    })
}

code_enum! {
    /// Category of the person.
    Category {
        /// Elected cadre (cán bộ).
        CanBo => "can_bo", "Cán bộ";
        /// Civil servant (công chức).
        CongChuc => "cong_chuc", "Công chức";
        /// Part-time worker (người hoạt động không chuyên trách).
        KhongChuyenTrach => "khong_chuyen_trach", "Không chuyên trách";
        /// Leader of a district agency.
        LanhDaoCoQuan => "lanh_dao_co_quan", "Lãnh đạo cơ quan";
        /// Anyone else.
        Other => "other", "Khác";
    }
}

/// Parses a category cell or a section row ("I. CÁN BỘ", "CC", "Không chuyên trách").
pub fn parse_category(raw: &str) -> Option<Category> {
    remembered!(Option<Category>, raw, parse_category_uncached)
}

fn parse_category_uncached(raw: &str) -> Option<Category> {
    let words = fold_words(raw);
    let words = words.trim_start_matches(|c: char| matches!(c, 'i' | 'v' | 'x' | ' ') || c.is_ascii_digit());
    let c: String = words.chars().filter(|c| c.is_alphanumeric()).collect();
    let c = c.strip_suffix("capxa").unwrap_or(&c);
    Some(match c {
        "cb" | "canbo" | "canbochuyentrach" => Category::CanBo,
        "cc" | "congchuc" => Category::CongChuc,
        "kct" | "khongchuyentrach" | "nguoihoatdongkhongchuyentrach" | "nhdkct" => Category::KhongChuyenTrach,
        "lanhdao" | "lanhdaoquanly" | "lanhdaocoquan" => Category::LanhDaoCoQuan,
        "khac" | "doituongkhac" => Category::Other,
        _ => return None,
    })
}

/// Parses a party membership cell: `Some(true)` for a mark or "Đảng viên", `Some(false)`
/// for none.
pub fn parse_party_member(raw: &str) -> Option<bool> {
    remembered!(Option<bool>, raw, parse_party_member_uncached)
}

fn parse_party_member_uncached(raw: &str) -> Option<bool> {
    if means_none(raw) {
        return Some(false);
    }
    if is_tick(raw) {
        return Some(true);
    }
    let c = compact(raw);
    // A code list's meanings: "Là đảng viên", "Không phải đảng viên".
    if ["khongphai", "khongla", "chuala", "chuaphai"].iter().any(|p| c.starts_with(p)) {
        return Some(false);
    }
    match c.strip_prefix("la").filter(|rest| rest.starts_with("dangvien")).unwrap_or(&c) {
        // "v", a tick typed as a letter.
        "x" | "v" | "1" | "co" | "dv" | "dangvien" | "dangvienchinhthuc" | "dubi" | "dangviendubi" | "chinhthuc" => {
            Some(true)
        }
        // Software exports in English.
        "yes" | "y" | "true" => Some(true),
        // English, and "Quần chúng" (the masses, not in the Party).
        "no" | "n" | "false" | "quanchung" => Some(false),
        _ => None,
    }
}

code_enum! {
    /// Canonical positions (Decree 33/2023/NĐ-CP, Art. 5, and party practice).
    Position {
        /// Secretary of the commune party committee.
        BiThu => "bi_thu", "Bí thư Đảng ủy";
        /// Deputy secretary (incl. standing deputy).
        PhoBiThu => "pho_bi_thu", "Phó Bí thư Đảng ủy";
        /// Member of the standing committee.
        UvBtv => "uv_btv", "Ủy viên Ban Thường vụ";
        /// Member of the party committee.
        DangUyVien => "dang_uy_vien", "Đảng ủy viên";
        /// Chair of the People's Council.
        CtHdnd => "ct_hdnd", "Chủ tịch HĐND";
        /// Vice-chair of the People's Council.
        PctHdnd => "pct_hdnd", "Phó Chủ tịch HĐND";
        /// Chair of the People's Committee.
        CtUbnd => "ct_ubnd", "Chủ tịch UBND";
        /// Vice-chair of the People's Committee.
        PctUbnd => "pct_ubnd", "Phó Chủ tịch UBND";
        /// Chair of the Fatherland Front committee.
        CtMttq => "ct_mttq", "Chủ tịch Ủy ban MTTQ";
        /// Secretary of the Youth Union.
        BiThuDoan => "bi_thu_doan", "Bí thư Đoàn TNCS Hồ Chí Minh";
        /// Chair of the Women's Union.
        CtHlhpn => "ct_hlhpn", "Chủ tịch Hội LHPN";
        /// Chair of the Farmers' Union.
        CtHnd => "ct_hnd", "Chủ tịch Hội Nông dân";
        /// Chair of the Veterans' Association.
        CtHccb => "ct_hccb", "Chủ tịch Hội Cựu chiến binh";
        /// Military commander.
        ChtQuanSu => "cht_quan_su", "Chỉ huy trưởng Ban CHQS";
        /// Office and statistics.
        VanPhongThongKe => "van_phong_thong_ke", "Văn phòng - thống kê";
        /// Land administration.
        DiaChinh => "dia_chinh", "Địa chính - xây dựng - môi trường";
        /// Finance and accounting.
        TaiChinhKeToan => "tai_chinh_ke_toan", "Tài chính - kế toán";
        /// Justice and civil registry.
        TuPhapHoTich => "tu_phap_ho_tich", "Tư pháp - hộ tịch";
        /// Culture and society.
        VanHoaXaHoi => "van_hoa_xa_hoi", "Văn hóa - xã hội";
        /// Head of commune police (legacy title).
        TruongCongAn => "truong_cong_an", "Trưởng Công an xã";
        /// Head of a district agency.
        CapTruong => "cap_truong", "Cấp trưởng cơ quan";
        /// Deputy head of a district agency.
        CapPho => "cap_pho", "Cấp phó cơ quan";
        /// A part-time (không chuyên trách) title: deputies of mass organisations, văn thư...
        KhongChuyenTrach => "khong_chuyen_trach", "Không chuyên trách";
        /// Staff of a district agency (chuyên viên, nhân viên).
        NhanVien => "nhan_vien", "Chuyên viên, nhân viên";
    }
}

impl Position {
    /// The committee level this position implies.
    pub fn committee_level(self) -> CommitteeLevel {
        match self {
            Self::BiThu => CommitteeLevel::BiThu,
            Self::PhoBiThu => CommitteeLevel::PhoBiThu,
            Self::UvBtv => CommitteeLevel::BanThuongVu,
            Self::DangUyVien => CommitteeLevel::CapUyVien,
            _ => CommitteeLevel::Khong,
        }
    }

    /// The category a position implies at commune level (Decree 33/2023 Art. 5).
    pub fn category(self) -> Option<Category> {
        Some(match self {
            Self::BiThu
            | Self::PhoBiThu
            | Self::CtHdnd
            | Self::PctHdnd
            | Self::CtUbnd
            | Self::PctUbnd
            | Self::CtMttq
            | Self::BiThuDoan
            | Self::CtHlhpn
            | Self::CtHnd
            | Self::CtHccb => Category::CanBo,
            Self::ChtQuanSu
            | Self::VanPhongThongKe
            | Self::DiaChinh
            | Self::TaiChinhKeToan
            | Self::TuPhapHoTich
            | Self::VanHoaXaHoi
            | Self::TruongCongAn => Category::CongChuc,
            Self::KhongChuyenTrach => Category::KhongChuyenTrach,
            Self::CapTruong | Self::CapPho => Category::LanhDaoCoQuan,
            Self::UvBtv | Self::DangUyVien | Self::NhanVien => return None,
        })
    }
}

/// The positions of a cell and the pieces that were not understood.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PositionsValue {
    /// Recognised positions, without repeats, in the order written.
    pub positions: Vec<Position>,
    /// Pieces of the cell that are not a known position.
    pub unrecognised: Vec<String>,
}

/// Parses a positions cell ("Bí thư Đảng ủy, Chủ tịch HĐND", "PBT kiêm CT UBND", "TC-KT").
/// The unit kind decides how leader titles read: at a district agency "Trưởng phòng" and
/// "Phó Giám đốc" are head and deputy of the agency.
pub fn parse_positions(raw: &str, kind: UnitKind) -> PositionsValue {
    // A country's quarter of a million rows hold a few thousand distinct position texts:
    // each worker thread remembers the ones it has parsed (up to a bound, then starts over),
    // apart for each kind of unit.
    thread_local! {
        static PARSED: std::cell::RefCell<HashMap<UnitKind, crate::memo::Memo<PositionsValue>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    PARSED
        .with_borrow_mut(|parsed| remember(parsed.entry(kind).or_default(), raw, |r| parse_positions_uncached(r, kind)))
}

fn parse_positions_uncached(raw: &str, kind: UnitKind) -> PositionsValue {
    let mut out = PositionsValue::default();
    let normalised = crate::text::clean(&raw.replace(['\n', '\r', ';', '+'], ","));
    for piece in split_keeping(&normalised, &[",", " kiêm ", " Kiêm ", " KIÊM ", " kiem "]) {
        let piece = piece.trim().trim_matches(|c: char| c == '-' || c == '.' || c == ' ');
        if piece.is_empty() {
            continue;
        }
        if let Some(p) = position_of(piece, kind) {
            push_unique(&mut out.positions, p);
            continue;
        }
        // "BT - CT HĐND": try the parts around dashes and slashes.
        let parts: Vec<&str> = piece.split(['-', '/', '–']).map(str::trim).filter(|s| !s.is_empty()).collect();
        let found: Vec<Option<Position>> = parts.iter().map(|p| position_of(p, kind)).collect();
        if parts.len() > 1 && found.iter().all(Option::is_some) {
            for p in found.into_iter().flatten() {
                push_unique(&mut out.positions, p);
            }
        } else {
            out.unrecognised.push(piece.to_owned());
        }
    }
    out
}

fn push_unique(positions: &mut Vec<Position>, p: Position) {
    if !positions.contains(&p) {
        positions.push(p);
    }
}

fn split_keeping<'a>(s: &'a str, separators: &[&str]) -> Vec<&'a str> {
    let mut pieces = vec![s];
    for sep in separators {
        pieces = pieces.into_iter().flat_map(|p| p.split(sep)).collect();
    }
    pieces
}

/// One position from one piece of text, or `None`.
// Long on purpose: a table of spellings, read top to bottom; the order is the precedence.
fn position_of(piece: &str, kind: UnitKind) -> Option<Position> {
    let w = fold_words(piece);
    let w = w.strip_prefix("cong chuc ").or_else(|| w.strip_prefix("cc ")).unwrap_or(&w).to_owned();
    let c: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
    let has = |needle: &str| crate::text::find_words(&w, needle).is_some();
    let starts = |prefix: &str| w.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
    let deputy =
        starts("pho") || c.starts_with("pct") || c.starts_with("pbt") || c.starts_with("ptp") || c.starts_with("pgd");

    if has("chi bo") {
        return Some(Position::KhongChuyenTrach);
    }
    if kind == UnitKind::CoQuanHuyen {
        if has("chuyen vien") || starts("cv") || has("nhan vien") || has("ke toan") || has("van thu") || has("thu quy")
        {
            return Some(Position::NhanVien);
        }
        if c.starts_with("uvbtv") || has("uy vien ban thuong vu") {
            return Some(Position::UvBtv);
        }
        // The report's own labels, read back.
        if starts("cap truong") {
            return Some(Position::CapTruong);
        }
        if starts("cap pho") {
            return Some(Position::CapPho);
        }
        let leader = ["truong", "chanh", "chu nhiem", "giam doc", "chu tich", "bi thu", "tp", "ct", "gd", "ctr"]
            .iter()
            .any(|t| w.starts_with(t) || w.strip_prefix("pho ").is_some_and(|r| r.starts_with(t)));
        if deputy && (leader || c.len() <= 4) {
            return Some(Position::CapPho);
        }
        if leader {
            return Some(Position::CapTruong);
        }
        return None;
    }
    let doan = has("doan") || has("dtn") || has("doan tn") || has("doan thanh nien");
    if doan && (c.starts_with("bithu") || c.starts_with("bt") || c.starts_with("pbt") || c.starts_with("phobithu")) {
        return Some(if deputy { Position::KhongChuyenTrach } else { Position::BiThuDoan });
    }
    if c.starts_with("phobithu") || c.starts_with("pbt") || c.starts_with("phobt") {
        return Some(Position::PhoBiThu);
    }
    if c.starts_with("bithu") || c == "bt" || c.starts_with("btdu") || c.starts_with("btdang") {
        return Some(Position::BiThu);
    }
    if c.starts_with("uyvienbanthuongvu") || c.starts_with("uvbtv") || c == "btv" || c.starts_with("uyvienbtv") {
        return Some(Position::UvBtv);
    }
    if c.starts_with("danguyvien")
        || c == "duv"
        || c.starts_with("uvbch")
        || c == "cuv"
        || c.starts_with("capuyvien")
        || c.starts_with("uyvienbch")
        || c.starts_with("uyvienbanchaphanh")
    {
        return Some(Position::DangUyVien);
    }
    let chair = c.starts_with("chutich") || c.starts_with("ct");
    let vice = c.starts_with("phochutich") || c.starts_with("pct");
    let org = |keys: &[&str]| keys.iter().any(|k| has(k) || c.contains(&k.replace(' ', "")));
    if org(&["hdnd", "hoi dong nhan dan"]) {
        return if vice {
            Some(Position::PctHdnd)
        } else if chair {
            Some(Position::CtHdnd)
        } else {
            None
        };
    }
    if org(&["ubnd", "uy ban nhan dan"]) {
        return if vice {
            Some(Position::PctUbnd)
        } else if chair {
            Some(Position::CtUbnd)
        } else {
            None
        };
    }
    let mass = [
        (&["mttq", "mat tran", "ubmttq"][..], Position::CtMttq),
        (&["phu nu", "hlhpn", "hpn", "lhpn", "hoi pn"][..], Position::CtHlhpn),
        (&["nong dan", "hnd", "hoi nd"][..], Position::CtHnd),
        (&["cuu chien binh", "ccb", "hccb"][..], Position::CtHccb),
    ];
    for (keys, position) in mass {
        if org(keys) {
            return if vice || deputy {
                Some(Position::KhongChuyenTrach)
            } else if chair {
                Some(position)
            } else {
                None
            };
        }
    }
    // Public employees of schools and clinics ("Phó Hiệu trưởng", "Giáo viên"): not commune
    // cadres, whatever "phó" says.
    if has("hieu truong") || has("giao vien") || has("tram y te") || has("y si") || has("bac si") || has("nhan vien") {
        return Some(Position::NhanVien);
    }
    // "Xã đội trưởng" / "CHT" command the commune's military; "Xã đội phó" / "CHP" are their
    // deputies, not cadres.
    if c.starts_with("xadoipho") || c == "chp" || c.starts_with("chihuypho") {
        return Some(Position::KhongChuyenTrach);
    }
    if has("quan su")
        || c.contains("chqs")
        || c.starts_with("chtqs")
        || c.starts_with("chtquansu")
        || c.starts_with("xadoitruong")
        || c == "cht"
        || c.starts_with("chihuytruong")
    {
        return Some(if deputy { Position::KhongChuyenTrach } else { Position::ChtQuanSu });
    }
    // The chair of another association ("Hội Chữ thập đỏ", "Hội Người cao tuổi"): not one
    // of the five mass organisations whose chairs are cadres. Only associations known to be
    // such: an unknown one stays unrecognised, and is reported.
    let other_association = ["chu thap do", "ctd", "nguoi cao tuoi", "nct", "khuyen hoc", "cuu giao chuc", "lam vuon"]
        .iter()
        .any(|k| has(k) || c.contains(&k.replace(' ', "")));
    if (chair || vice) && other_association {
        return Some(Position::KhongChuyenTrach);
    }
    if has("cong an") || c == "truongca" {
        return Some(if deputy { Position::KhongChuyenTrach } else { Position::TruongCongAn });
    }
    if c.starts_with("vanphong") || c == "vptk" || c == "vp" {
        return Some(Position::VanPhongThongKe);
    }
    if c.starts_with("diachinh") || c.starts_with("dcxd") || c.starts_with("dcnn") || c == "dc" {
        return Some(Position::DiaChinh);
    }
    if c.starts_with("taichinh") || c == "tckt" || c == "tc" {
        return Some(Position::TaiChinhKeToan);
    }
    if c.starts_with("tuphap") || c == "tpht" || c == "tp" {
        return Some(Position::TuPhapHoTich);
    }
    if c.starts_with("vanhoa") || c == "vhxh" {
        return Some(Position::VanHoaXaHoi);
    }
    if c.starts_with("khongchuyentrach")
        || c == "kct"
        || c.starts_with("nguoihoatdongkhongchuyentrach")
        || has("van thu")
        || has("thu quy")
        || has("luu tru")
        || has("truong thon")
        || has("khuyen nong")
        || has("thu ky")
        || deputy
    {
        return Some(Position::KhongChuyenTrach);
    }
    None
}

/// The 54 ethnic groups of Việt Nam, with other spellings.
const ETHNICITIES: &[(&str, &[&str])] = &[
    ("Kinh", &["viet"]),
    ("Tày", &["tay"]),
    ("Thái", &[]),
    ("Mường", &[]),
    ("Khmer", &["kho me", "khome"]),
    ("Hoa", &["han"]),
    ("Nùng", &[]),
    ("Mông", &["h mong", "hmong", "meo"]),
    ("Dao", &["zao"]),
    ("Gia Rai", &["jrai", "giarai"]),
    ("Ê Đê", &["ede"]),
    ("Ba Na", &["bahnar"]),
    ("Sán Chay", &["cao lan", "san chi", "cao lan san chi"]),
    ("Chăm", &["cham"]),
    ("Cơ Ho", &["koho"]),
    ("Xơ Đăng", &["sedang"]),
    ("Sán Dìu", &[]),
    ("Hrê", &["hre"]),
    ("Ra Glai", &["raglai"]),
    ("Mnông", &["m nong"]),
    ("Thổ", &[]),
    ("Xtiêng", &["stieng"]),
    ("Khơ Mú", &["kho mu", "khmu"]),
    ("Bru - Vân Kiều", &["bru van kieu", "van kieu"]),
    ("Cơ Tu", &[]),
    ("Giáy", &[]),
    ("Tà Ôi", &[]),
    ("Mạ", &[]),
    ("Giẻ Triêng", &[]),
    ("Co", &[]),
    ("Chơ Ro", &[]),
    ("Xinh Mun", &[]),
    ("Hà Nhì", &[]),
    ("Chu Ru", &[]),
    ("Lào", &[]),
    ("La Chí", &[]),
    ("Kháng", &[]),
    ("Phù Lá", &[]),
    ("La Hủ", &[]),
    ("La Ha", &[]),
    ("Pà Thẻn", &[]),
    ("Lự", &[]),
    ("Ngái", &[]),
    ("Chứt", &[]),
    ("Lô Lô", &[]),
    ("Mảng", &[]),
    ("Cơ Lao", &[]),
    ("Bố Y", &[]),
    ("Cống", &[]),
    ("Si La", &[]),
    ("Pu Péo", &[]),
    ("Rơ Măm", &[]),
    ("Brâu", &[]),
    ("Ơ Đu", &[]),
];

/// One of the 54 official ethnic groups (an index into the official list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ethnicity(u8);

impl Ethnicity {
    /// The Kinh majority.
    pub const KINH: Self = Self(0);

    /// The official name.
    pub fn label(self) -> &'static str {
        ETHNICITIES[usize::from(self.0)].0
    }

    /// Whether the group is an ethnic minority (dân tộc thiểu số: not Kinh).
    pub fn is_minority(self) -> bool {
        self != Self::KINH
    }

    /// Number of official groups.
    pub fn count() -> usize {
        ETHNICITIES.len()
    }
}

/// The official names of the 54 groups, in the official order.
pub fn ethnicity_names() -> Vec<&'static str> {
    ETHNICITIES.iter().map(|(name, _)| *name).collect()
}

/// Parses an ethnicity cell ("Nùng", "Cao Lan", "Tay", "H'Mông").
pub fn parse_ethnicity(raw: &str) -> Option<Ethnicity> {
    // Every spelling of every people, compacted once; the first people with a spelling wins.
    static SPELLINGS: std::sync::LazyLock<HashMap<String, u8>> = std::sync::LazyLock::new(|| {
        let mut map = HashMap::new();
        for (i, (name, others)) in ETHNICITIES.iter().enumerate() {
            for spelling in std::iter::once(name).chain(others.iter()) {
                map.entry(compact(spelling)).or_insert(i as u8);
            }
        }
        map
    });
    let c = compact(raw);
    let c = c.strip_prefix("dantoc").unwrap_or(&c);
    if let Some(&i) = SPELLINGS.get(c) {
        return Some(Ethnicity(i));
    }
    // A people's branch after its name ("Dao Đỏ", "Dao Tiền", "Mông Hoa", "Thái Trắng"):
    // the people, one or two words of branch dropped.
    let words: Vec<&str> = raw.split_whitespace().collect();
    (1..=2.min(words.len().saturating_sub(1))).find_map(|dropped| {
        let people = compact(&words[..words.len() - dropped].join(" "));
        SPELLINGS.get(people.strip_prefix("dantoc").unwrap_or(&people)).map(|&i| Ethnicity(i))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_tonghop_writes_reads_back_as_itself() {
        for v in PoliticalTheory::ALL {
            assert_eq!(parse_political_theory(v.label()).map(|p| p.level), Some(*v), "{}", v.label());
        }
        for v in Professional::ALL {
            assert_eq!(parse_professional(v.label()).map(|p| p.level), Some(*v), "{}", v.label());
        }
        for v in GeneralEducation::ALL {
            assert_eq!(parse_general_education(v.label()), Some(*v), "{}", v.label());
        }
        for v in StateManagement::ALL {
            assert_eq!(parse_state_management(v.label()), Some(*v), "{}", v.label());
        }
        for v in Gender::ALL {
            assert_eq!(parse_gender(v.label()), Some(*v), "{}", v.label());
        }
        for v in CommitteeLevel::ALL {
            assert_eq!(parse_committee(v.label()), Some(*v), "{}", v.label());
        }
        for v in Category::ALL {
            assert_eq!(parse_category(v.label()), Some(*v), "{}", v.label());
        }
        for v in Position::ALL {
            let kind = if matches!(v, Position::CapTruong | Position::CapPho | Position::NhanVien) {
                UnitKind::CoQuanHuyen
            } else {
                UnitKind::Xa
            };
            assert_eq!(parse_positions(v.label(), kind).positions, vec![*v], "{}", v.label());
        }
    }

    #[test]
    fn a_tick_is_a_mark_not_nothing() {
        for tick in ["✓", "√", "✔", " ☑ ", "+"] {
            assert!(is_tick(tick), "{tick}");
            assert!(!means_none(tick), "{tick}");
            assert_eq!(parse_party_member(tick), Some(true), "{tick}");
            assert_eq!(parse_committee(tick), Some(CommitteeLevel::CapUyVien), "{tick}");
        }
        assert_eq!(parse_party_member("v"), Some(true));
        for nothing in ["", "-", "0", "Không", "✗", "✘", "☒"] {
            assert!(!is_tick(nothing) && means_none(nothing), "{nothing}");
        }
        assert_eq!(parse_party_member("-"), Some(false));
    }

    #[test]
    fn commune_titles_seen_in_returns() {
        let of = |t: &str| parse_positions(t, UnitKind::Xa).positions;
        assert_eq!(of("Xã đội trưởng"), vec![Position::ChtQuanSu]);
        assert_eq!(of("xã đội phó"), vec![Position::KhongChuyenTrach]);
        assert_eq!(of("CHP"), vec![Position::KhongChuyenTrach]);
        assert_eq!(of("CHT quân sự"), vec![Position::ChtQuanSu]);
        assert_eq!(of("Chủ tịch hội CTĐ"), vec![Position::KhongChuyenTrach]);
        assert_eq!(of("Chủ tịch Hội Người cao tuổi"), vec![Position::KhongChuyenTrach]);
        // The five mass organisations' chairs are cadres, however short the name.
        assert_eq!(of("Chủ tịch Hội ND"), vec![Position::CtHnd]);
        assert_eq!(of("CT Hội PN"), vec![Position::CtHlhpn]);
        assert_eq!(of("Chủ tịch Hội PN xã"), vec![Position::CtHlhpn]);
        assert_eq!(of("Chủ tịch Hội Nạn nhân chất độc da cam"), Vec::<Position>::new(), "unknown: reported");
        // School and clinic staff are public employees, not commune cadres.
        assert_eq!(of("Phó Hiệu trưởng"), vec![Position::NhanVien]);
        assert_eq!(of("Giáo viên"), vec![Position::NhanVien]);
        assert_eq!(of("Trạm trưởng trạm y tế"), vec![Position::NhanVien]);
    }

    #[test]
    fn political_theory_spellings() {
        let level = |s: &str| parse_political_theory(s).map(|v| v.level);
        for s in [
            "Trung cấp",
            "TC",
            "T.cấp",
            "TCLLCT",
            "TCCT",
            "TC LLCT",
            "Trung cấp LLCT",
            "Trung cấp chính trị",
            "Trung cấp CT-HC",
            "Trung cấp LLCT-HC",
            "Trung cấp lý luận chính trị - hành chính",
            "trung cap",
        ] {
            assert_eq!(level(s), Some(PoliticalTheory::TrungCap), "{s}");
        }
        for s in ["Sơ cấp", "SC", "SCLLCT", "Sơ cấp LLCT", "S.cấp"] {
            assert_eq!(level(s), Some(PoliticalTheory::SoCap), "{s}");
        }
        for s in ["Cao cấp", "CC", "CCLLCT", "CCCT", "Cao cấp LLCT", "Cao cấp chính trị", "CC CT-HC"] {
            assert_eq!(level(s), Some(PoliticalTheory::CaoCap), "{s}");
        }
        for s in ["Cử nhân", "CN", "CNCT", "Cử nhân chính trị", "Cử nhân LLCT"] {
            assert_eq!(level(s), Some(PoliticalTheory::CuNhan), "{s}");
        }
        for s in ["", "-", "0", "Không", "Chưa", "Chưa qua đào tạo", "Chưa học"] {
            assert_eq!(level(s), Some(PoliticalTheory::Khong), "{s:?}");
        }
        assert_eq!(level("Trung học"), None);
    }

    #[test]
    fn political_theory_studying() {
        for s in ["Đang học TC", "Đang học trung cấp", "TC (đang học)", "Đang học TCLLCT"] {
            let v = parse_political_theory(s).unwrap();
            assert_eq!(v.studying, Some(PoliticalTheory::TrungCap), "{s}");
            assert_eq!(v.level, PoliticalTheory::Khong, "{s}");
        }
        let held = parse_political_theory("TC (đang học CC)").unwrap();
        assert_eq!((held.level, held.studying), (PoliticalTheory::TrungCap, Some(PoliticalTheory::CaoCap)));
        assert_eq!(parse_studying("TC LLCT"), Some(Some(PoliticalTheory::TrungCap)));
        assert_eq!(parse_studying("-"), Some(None));
    }

    #[test]
    fn tc_means_different_things_in_different_columns() {
        assert_eq!(parse_political_theory("TC").unwrap().level, PoliticalTheory::TrungCap);
        assert_eq!(parse_positions("TC", UnitKind::Xa).positions, vec![Position::TaiChinhKeToan]);
        assert_eq!(parse_professional("TC").unwrap().level, Professional::TrungCap);
        assert_eq!(parse_political_theory("CC").unwrap().level, PoliticalTheory::CaoCap);
        assert_eq!(parse_category("CC"), Some(Category::CongChuc));
        assert_eq!(parse_professional("CN Luật").unwrap().level, Professional::DaiHoc);
        assert_eq!(parse_political_theory("CN").unwrap().level, PoliticalTheory::CuNhan);
    }

    #[test]
    fn professional_levels_and_fields() {
        let p = parse_professional("ĐH Luật").unwrap();
        assert_eq!((p.level, p.field.as_deref()), (Professional::DaiHoc, Some("Luật")));
        let p = parse_professional("Đại học Kinh tế nông nghiệp").unwrap();
        assert_eq!(p.field.as_deref(), Some("Kinh tế nông nghiệp"));
        assert_eq!(parse_professional("Thạc sỹ").unwrap().level, Professional::ThacSi);
        assert_eq!(parse_professional("ThS Luật").unwrap().field.as_deref(), Some("Luật"));
        assert_eq!(parse_professional("Trên đại học").unwrap().level, Professional::ThacSi);
        assert_eq!(parse_professional("Kỹ sư nông nghiệp").unwrap().level, Professional::DaiHoc);
        assert_eq!(parse_professional("Cao đẳng").unwrap().level, Professional::CaoDang);
        assert_eq!(parse_professional("THCN").unwrap().level, Professional::TrungCap);
        assert_eq!(parse_professional("-").unwrap().level, Professional::ChuaQuaDaoTao);
        assert_eq!(parse_professional(""), None);
        assert_eq!(parse_professional("Giỏi"), None);
    }

    #[test]
    fn general_education_systems() {
        assert_eq!(parse_general_education("12/12"), Some(GeneralEducation::Thpt));
        assert_eq!(parse_general_education("10/10"), Some(GeneralEducation::Thpt));
        assert_eq!(parse_general_education("9/12"), Some(GeneralEducation::Thcs));
        assert_eq!(parse_general_education("9/10"), Some(GeneralEducation::Thcs));
        assert_eq!(parse_general_education("5/12"), Some(GeneralEducation::TieuHoc));
        assert_eq!(parse_general_education("THPT"), Some(GeneralEducation::Thpt));
        assert_eq!(parse_general_education("Tiểu học"), Some(GeneralEducation::TieuHoc));
        assert_eq!(parse_general_education("abc"), None);
    }

    #[test]
    fn state_management_spellings() {
        assert_eq!(parse_state_management("CVC"), Some(StateManagement::ChuyenVienChinh));
        assert_eq!(parse_state_management("Chuyên viên và tương đương"), Some(StateManagement::ChuyenVien));
        assert_eq!(parse_state_management("Cán sự"), Some(StateManagement::CanSu));
        assert_eq!(parse_state_management("CVCC"), Some(StateManagement::ChuyenVienCaoCap));
        assert_eq!(parse_state_management("Chưa qua đào tạo"), Some(StateManagement::Khong));
        assert_eq!(parse_state_management("Chưa bồi dưỡng"), Some(StateManagement::Khong));
        assert_eq!(parse_state_management(""), Some(StateManagement::Khong));
    }

    #[test]
    fn remembered_positions_are_those_of_the_text_and_the_unit_kind() {
        // The same text reads differently at a commune and at a district agency; the memo
        // must not hand one the other's answer, nor go wrong once it starts over.
        let text = "Phó Trưởng phòng";
        let agency = parse_positions(text, UnitKind::CoQuanHuyen);
        let commune = parse_positions(text, UnitKind::Xa);
        assert_eq!(agency.positions, vec![Position::CapPho]);
        assert_ne!(agency, commune);
        for i in 0..5000 {
            let filler = format!("Chức danh {i}");
            assert_eq!(parse_positions(&filler, UnitKind::Xa), parse_positions_uncached(&filler, UnitKind::Xa));
        }
        assert_eq!(parse_positions(text, UnitKind::Xa), commune);
        assert_eq!(parse_positions(text, UnitKind::CoQuanHuyen), agency);
        assert_eq!(commune, parse_positions_uncached(text, UnitKind::Xa));
    }

    #[test]
    fn remembered_parses_are_those_of_the_text() {
        // Each parser keeps its own memo: the same text asked of two parsers, again and
        // again, and after the memos start over, gives each parser's own answer.
        let texts = ["TC", "CC", "Trung cấp", "ĐH Luật", "x", "Nam", "Nữ", "12/12", "Không", "", "CN", "Huyện ủy viên"];
        for round in 0..3 {
            for t in texts {
                assert_eq!(parse_professional(t), parse_professional_uncached(t), "{t} round {round}");
                assert_eq!(parse_political_theory(t), parse_political_theory_uncached(t), "{t} round {round}");
                assert_eq!(parse_studying(t), parse_studying_uncached(t), "{t}");
                assert_eq!(parse_general_education(t), parse_general_education_uncached(t), "{t}");
                assert_eq!(parse_state_management(t), parse_state_management_uncached(t), "{t}");
                assert_eq!(parse_committee(t), parse_committee_uncached(t), "{t}");
                assert_eq!(parse_gender(t), parse_gender_uncached(t), "{t}");
                assert_eq!(parse_category(t), parse_category_uncached(t), "{t}");
                assert_eq!(parse_party_member(t), parse_party_member_uncached(t), "{t}");
            }
            for i in 0..crate::memo::REMEMBERED + 10 {
                let filler = format!("Trình độ {i}");
                assert_eq!(parse_professional(&filler), parse_professional_uncached(&filler));
            }
        }
        assert_eq!(parse_professional("TC").unwrap().level, Professional::TrungCap);
        assert_eq!(parse_political_theory("TC").unwrap().level, PoliticalTheory::TrungCap);
        assert_eq!(parse_gender("Nữ"), Some(Gender::Nu));
    }

    #[test]
    fn positions_in_one_cell() {
        let p = parse_positions("Bí thư Đảng ủy, Chủ tịch HĐND", UnitKind::Xa);
        assert_eq!(p.positions, vec![Position::BiThu, Position::CtHdnd]);
        let p = parse_positions("PBT kiêm CT UBND", UnitKind::Xa);
        assert_eq!(p.positions, vec![Position::PhoBiThu, Position::CtUbnd]);
        let p = parse_positions("ĐUV - PCT UBND", UnitKind::Xa);
        assert_eq!(p.positions, vec![Position::DangUyVien, Position::PctUbnd]);
        let p = parse_positions("Công chức Tài chính - Kế toán", UnitKind::Xa);
        assert_eq!(p.positions, vec![Position::TaiChinhKeToan]);
        let p = parse_positions("VP-TK\nĐUV", UnitKind::Xa);
        assert_eq!(p.positions, vec![Position::VanPhongThongKe, Position::DangUyVien]);
        let p = parse_positions("Phó Bí thư TT Đảng ủy", UnitKind::Xa);
        assert_eq!(p.positions, vec![Position::PhoBiThu]);
    }

    #[test]
    fn look_alike_titles_are_not_the_position() {
        assert_eq!(
            parse_positions("Bí thư chi bộ thôn Đồng Mới", UnitKind::Xa).positions,
            vec![Position::KhongChuyenTrach]
        );
        assert_eq!(parse_positions("Bí thư Đoàn", UnitKind::Xa).positions, vec![Position::BiThuDoan]);
        assert_eq!(parse_positions("Phó Bí thư Đoàn", UnitKind::Xa).positions, vec![Position::KhongChuyenTrach]);
        assert_eq!(
            parse_positions("Phó Chủ tịch Ủy ban MTTQ", UnitKind::Xa).positions,
            vec![Position::KhongChuyenTrach]
        );
        assert_eq!(
            parse_positions("Phó Chỉ huy trưởng Quân sự", UnitKind::Xa).positions,
            vec![Position::KhongChuyenTrach]
        );
        assert_eq!(parse_positions("Chỉ huy trưởng Quân sự", UnitKind::Xa).positions, vec![Position::ChtQuanSu]);
        assert_eq!(parse_positions("Thủ quỹ", UnitKind::Xa).positions, vec![Position::KhongChuyenTrach]);
        let unknown = parse_positions("Giám sát viên", UnitKind::Xa);
        assert!(unknown.positions.is_empty());
        assert_eq!(unknown.unrecognised, vec!["Giám sát viên".to_owned()]);
    }

    #[test]
    fn agency_leaders() {
        assert_eq!(parse_positions("Trưởng phòng", UnitKind::CoQuanHuyen).positions, vec![Position::CapTruong]);
        assert_eq!(parse_positions("Phó Trưởng phòng", UnitKind::CoQuanHuyen).positions, vec![Position::CapPho]);
        assert_eq!(parse_positions("Chánh Văn phòng", UnitKind::CoQuanHuyen).positions, vec![Position::CapTruong]);
        assert_eq!(parse_positions("Phó Chủ nhiệm UBKT", UnitKind::CoQuanHuyen).positions, vec![Position::CapPho]);
        assert_eq!(parse_positions("Chuyên viên", UnitKind::CoQuanHuyen).positions, vec![Position::NhanVien]);
        assert_eq!(parse_positions("Giám đốc", UnitKind::CoQuanHuyen).positions, vec![Position::CapTruong]);
        assert_eq!(parse_positions("Bí thư Huyện đoàn", UnitKind::CoQuanHuyen).positions, vec![Position::CapTruong]);
    }

    #[test]
    fn committee_and_category_and_gender() {
        assert_eq!(parse_committee("x"), Some(CommitteeLevel::CapUyVien));
        assert_eq!(parse_committee("ĐUV"), Some(CommitteeLevel::CapUyVien));
        assert_eq!(parse_committee("BTV"), Some(CommitteeLevel::BanThuongVu));
        assert_eq!(parse_committee("Phó Bí thư TT"), Some(CommitteeLevel::PhoBiThu));
        assert_eq!(parse_committee(""), Some(CommitteeLevel::Khong));
        assert_eq!(parse_category("I. CÁN BỘ"), Some(Category::CanBo));
        assert_eq!(parse_category("II. CÔNG CHỨC"), Some(Category::CongChuc));
        assert_eq!(parse_category("III. NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH"), Some(Category::KhongChuyenTrach));
        assert_eq!(parse_gender("Nữ"), Some(Gender::Nu));
        assert_eq!(parse_gender("nam"), Some(Gender::Nam));
        assert_eq!(parse_gender("Nu"), Some(Gender::Nu));
        assert_eq!(parse_gender("?"), None);
    }

    #[test]
    fn ethnicities() {
        assert_eq!(Ethnicity::count(), 54);
        assert_eq!(parse_ethnicity("Cao Lan").unwrap().label(), "Sán Chay");
        assert_eq!(parse_ethnicity("Nung").unwrap().label(), "Nùng");
        assert_eq!(parse_ethnicity("H'Mông").unwrap().label(), "Mông");
        assert!(!parse_ethnicity("Kinh").unwrap().is_minority());
        assert!(parse_ethnicity("Tày").unwrap().is_minority());
        assert_eq!(parse_ethnicity("Martian"), None);
    }

    #[test]
    fn a_level_typed_without_spaces() {
        assert_eq!(parse_professional("DAIHOC").unwrap().level, Professional::DaiHoc);
        assert_eq!(parse_professional("THACSI").unwrap().level, Professional::ThacSi);
        assert_eq!(parse_professional("CAODANG").unwrap().level, Professional::CaoDang);
        assert_eq!(parse_professional("DAIHOCLUAT"), None);
    }

    #[test]
    fn a_peoples_branch_is_the_people() {
        assert_eq!(parse_ethnicity("Dao Đỏ"), parse_ethnicity("Dao"));
        assert_eq!(parse_ethnicity("Mông Hoa"), parse_ethnicity("Mông"));
        assert_eq!(parse_ethnicity("Dao Quần Chẹt"), parse_ethnicity("Dao"));
        assert!(parse_ethnicity("Dao").is_some());
        assert_eq!(parse_ethnicity("Không rõ dân tộc"), None);
    }

    #[test]
    fn a_level_with_the_year_it_was_obtained() {
        assert_eq!(parse_political_theory("Cao cấp (2015)").unwrap().level, PoliticalTheory::CaoCap);
        assert_eq!(parse_political_theory("TC LLCT 2013").unwrap().level, PoliticalTheory::TrungCap);
        assert_eq!(parse_political_theory("Cao cấp - 2017").unwrap().level, PoliticalTheory::CaoCap);
        assert_eq!(parse_political_theory("Trung cấp (năm 2011)").unwrap().level, PoliticalTheory::TrungCap);
        assert_eq!(parse_political_theory("Sơ cấp 2006, Trung cấp 2015").unwrap().level, PoliticalTheory::TrungCap);
        assert_eq!(parse_state_management("CVC (2019)"), Some(StateManagement::ChuyenVienChinh));
        assert_eq!(parse_state_management("Chuyên viên - 2022"), Some(StateManagement::ChuyenVien));
        let p = parse_professional("Trung cấp (1998), Đại học (2012)").unwrap();
        assert_eq!(p.level, Professional::DaiHoc);
        let p = parse_professional("ĐH Luật (2012)").unwrap();
        assert_eq!((p.level, p.field.as_deref()), (Professional::DaiHoc, Some("Luật")));
        // A year alone, or a number that is no year, is no level.
        assert_eq!(parse_political_theory("2015"), None);
        assert_eq!(parse_state_management("CV 12"), None);
    }

    #[test]
    fn an_english_templates_levels() {
        assert_eq!(parse_professional("Bachelor").unwrap().level, Professional::DaiHoc);
        assert_eq!(parse_professional("Master").unwrap().level, Professional::ThacSi);
        assert_eq!(parse_professional("Intermediate").unwrap().level, Professional::TrungCap);
        assert_eq!(parse_political_theory("Intermediate").unwrap().level, PoliticalTheory::TrungCap);
        assert_eq!(parse_political_theory("Advanced").unwrap().level, PoliticalTheory::CaoCap);
        assert_eq!(parse_political_theory("None").unwrap().level, PoliticalTheory::Khong);
        assert_eq!(parse_state_management("Specialist (CV)"), Some(StateManagement::ChuyenVien));
        assert_eq!(parse_state_management("Principal specialist"), Some(StateManagement::ChuyenVienChinh));
        assert_eq!(parse_state_management("None"), Some(StateManagement::Khong));
    }

    #[test]
    fn party_membership_words() {
        for (text, member) in [("x", Some(true)), ("Dự bị", Some(true)), ("Đảng viên", Some(true))] {
            assert_eq!(parse_party_member(text), member, "{text}");
        }
        for text in ["Quần chúng", "Không", "", "-", "Không phải đảng viên", "Chưa là đảng viên"] {
            assert_eq!(parse_party_member(text), Some(false), "{text}");
        }
        assert_eq!(parse_party_member("Là đảng viên"), Some(true));
        assert_eq!(parse_party_member("Yes"), Some(true));
        assert_eq!(parse_party_member("Đoàn viên"), None);
        assert_eq!(parse_party_member("Lào"), None);
    }
}
