//! The training centre's class register (`inputs.md` §5): raw rows as read, and the class
//! types and study modes they are normalised to.

use crate::record::{BirthDate, CellValue, SourceRow};
use crate::text::fold_words;

/// One row of the class sheet, as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawClass {
    /// Where it was read.
    pub source: SourceRow,
    /// Tên lớp.
    pub name: String,
    /// Loại lớp, as written.
    pub class_type: String,
    /// The group row above it ("I. LỚP TRUNG CẤP LLCT"), if any: a type when the type
    /// column is empty.
    pub section: String,
    /// Hình thức, as written.
    pub mode: String,
    /// Khai giảng.
    pub opened: CellValue,
    /// Bế giảng.
    pub closed: CellValue,
    /// Số học viên.
    pub learners: CellValue,
    /// Kinh phí, as written.
    pub funding: String,
}

/// One row of the optional learners sheet, as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawLearner {
    /// Where it was read.
    pub source: SourceRow,
    /// Họ và tên.
    pub full_name: String,
    /// Ngày sinh.
    pub birth: CellValue,
    /// Đơn vị, as written.
    pub unit: String,
    /// Lớp, as written.
    pub class: String,
}

/// What kind of class: the programmes of Biểu 10-BTCTW the register can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClassType {
    /// Sơ cấp lý luận chính trị.
    SoCapLlct,
    /// Trung cấp lý luận chính trị (- hành chính).
    TrungCapLlct,
    /// Cao cấp lý luận chính trị.
    CaoCapLlct,
    /// Cử nhân chính trị.
    CuNhanLlct,
    /// Bồi dưỡng, cập nhật kiến thức (for committee members, leaders...).
    CapNhatKienThuc,
    /// Bồi dưỡng nghiệp vụ xây dựng Đảng (công tác tổ chức, kiểm tra, tuyên giáo, dân vận...).
    NghiepVuXayDungDang,
    /// Bồi dưỡng nghiệp vụ đoàn thể chính trị - xã hội.
    NghiepVuDoanThe,
    /// Bồi dưỡng nghiệp vụ of another kind.
    NghiepVuKhac,
    /// Bồi dưỡng quản lý nhà nước.
    QuanLyNhaNuoc,
    /// Quốc phòng - an ninh.
    QuocPhongAnNinh,
    /// Tin học.
    TinHoc,
    /// Ngoại ngữ.
    NgoaiNgu,
    /// Lý luận chính trị cho đối tượng kết nạp Đảng (cảm tình Đảng).
    DoiTuongKetNapDang,
    /// Chương trình lý luận chính trị cho đảng viên mới.
    DangVienMoi,
}

impl ClassType {
    /// Every type, in the order of the report.
    pub const ALL: [Self; 14] = [
        Self::SoCapLlct,
        Self::TrungCapLlct,
        Self::CaoCapLlct,
        Self::CuNhanLlct,
        Self::CapNhatKienThuc,
        Self::NghiepVuXayDungDang,
        Self::NghiepVuDoanThe,
        Self::NghiepVuKhac,
        Self::QuanLyNhaNuoc,
        Self::QuocPhongAnNinh,
        Self::TinHoc,
        Self::NgoaiNgu,
        Self::DoiTuongKetNapDang,
        Self::DangVienMoi,
    ];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Self::SoCapLlct => "so_cap_llct",
            Self::TrungCapLlct => "trung_cap_llct",
            Self::CaoCapLlct => "cao_cap_llct",
            Self::CuNhanLlct => "cu_nhan_llct",
            Self::CapNhatKienThuc => "cap_nhat_kien_thuc",
            Self::NghiepVuXayDungDang => "nghiep_vu_xay_dung_dang",
            Self::NghiepVuDoanThe => "nghiep_vu_doan_the",
            Self::NghiepVuKhac => "nghiep_vu_khac",
            Self::QuanLyNhaNuoc => "quan_ly_nha_nuoc",
            Self::QuocPhongAnNinh => "quoc_phong_an_ninh",
            Self::TinHoc => "tin_hoc",
            Self::NgoaiNgu => "ngoai_ngu",
            Self::DoiTuongKetNapDang => "doi_tuong_ket_nap_dang",
            Self::DangVienMoi => "dang_vien_moi",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::SoCapLlct => "Sơ cấp LLCT",
            Self::TrungCapLlct => "Trung cấp LLCT",
            Self::CaoCapLlct => "Cao cấp LLCT",
            Self::CuNhanLlct => "Cử nhân LLCT",
            Self::CapNhatKienThuc => "Bồi dưỡng, cập nhật kiến thức",
            Self::NghiepVuXayDungDang => "Bồi dưỡng nghiệp vụ xây dựng Đảng",
            Self::NghiepVuDoanThe => "Bồi dưỡng nghiệp vụ đoàn thể chính trị",
            Self::NghiepVuKhac => "Bồi dưỡng nghiệp vụ khác",
            Self::QuanLyNhaNuoc => "Quản lý nhà nước",
            Self::QuocPhongAnNinh => "Quốc phòng - an ninh",
            Self::TinHoc => "Tin học",
            Self::NgoaiNgu => "Ngoại ngữ",
            Self::DoiTuongKetNapDang => "Đối tượng kết nạp Đảng",
            Self::DangVienMoi => "Đảng viên mới",
        }
    }

    /// The refresher ("bồi dưỡng") types counted by `refresher_classes`: knowledge updates
    /// and professional courses for officials. Courses for people joining the Party are
    /// not training of officials and are not counted there.
    pub fn is_refresher(self) -> bool {
        matches!(self, Self::CapNhatKienThuc | Self::NghiepVuXayDungDang | Self::NghiepVuDoanThe | Self::NghiepVuKhac)
    }
}

/// Reads a class type from how the register writes it ("TC LLCT", "Trung cấp LLCT - HC",
/// "Bồi dưỡng, cập nhật kiến thức", "Đối tượng kết nạp Đảng"...). Also used on class
/// names and group rows when the type column is empty.
pub fn parse_class_type(raw: &str) -> Option<ClassType> {
    let f = fold_words(raw);
    let compact: String = f.chars().filter(|c| *c != ' ').collect();
    let has = |w: &str| crate::text::find_words(&f, w).is_some();
    let political = has("llct") || has("ly luan chinh tri") || has("chinh tri") || has("ct hc") || has("lt ct");
    // The Party-admission and new-member courses mention "lý luận chính trị" too: first.
    if has("ket nap") || has("cam tinh dang") || has("doi tuong dang") {
        return Some(ClassType::DoiTuongKetNapDang);
    }
    if has("dang vien moi") {
        return Some(ClassType::DangVienMoi);
    }
    if has("cap nhat") {
        return Some(ClassType::CapNhatKienThuc);
    }
    for (prefixes, words, class_type) in [
        (&["tcllct", "tcct", "tcllcthc", "tcctht"][..], "trung cap", ClassType::TrungCapLlct),
        (&["scllct", "scct"][..], "so cap", ClassType::SoCapLlct),
        (&["ccllct", "ccct", "ccllcthc"][..], "cao cap", ClassType::CaoCapLlct),
        (&["cnct", "cnllct"][..], "cu nhan", ClassType::CuNhanLlct),
    ] {
        if prefixes.iter().any(|p| compact.starts_with(p)) || (has(words) && political) {
            return Some(class_type);
        }
    }
    let short = |abbr: &str| f.split(' ').next() == Some(abbr) && political;
    if short("tc") {
        return Some(ClassType::TrungCapLlct);
    }
    if short("sc") {
        return Some(ClassType::SoCapLlct);
    }
    if short("cc") {
        return Some(ClassType::CaoCapLlct);
    }
    if has("quoc phong") || has("qp an") || has("qpan") {
        return Some(ClassType::QuocPhongAnNinh);
    }
    if has("quan ly nha nuoc") || has("qlnn") {
        return Some(ClassType::QuanLyNhaNuoc);
    }
    if has("tin hoc") {
        return Some(ClassType::TinHoc);
    }
    if has("ngoai ngu") || has("tieng anh") {
        return Some(ClassType::NgoaiNgu);
    }
    if has("nghiep vu") || has("boi duong") {
        let party_work =
            ["xay dung dang", "cong tac dang", "to chuc", "kiem tra", "tuyen giao", "dan van", "van phong cap uy"];
        let mass = ["doan the", "mat tran", "hoi nong dan", "hoi phu nu", "cuu chien binh", "doan thanh nien"];
        if party_work.iter().any(|w| has(w)) {
            return Some(ClassType::NghiepVuXayDungDang);
        }
        if mass.iter().any(|w| has(w)) {
            return Some(ClassType::NghiepVuDoanThe);
        }
        return Some(if has("nghiep vu") { ClassType::NghiepVuKhac } else { ClassType::CapNhatKienThuc });
    }
    None
}

/// Whether a class is held full time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StudyMode {
    /// Tập trung.
    TapTrung,
    /// Không tập trung (tại chức, vừa làm vừa học).
    KhongTapTrung,
}

impl StudyMode {
    /// Vietnamese label, as on Biểu 10.
    pub fn label(self) -> &'static str {
        match self {
            Self::TapTrung => "Hệ tập trung",
            Self::KhongTapTrung => "Hệ không tập trung",
        }
    }
}

/// Reads a study mode ("Tập trung", "Không tập trung", "Tại chức", "VLVH").
pub fn parse_study_mode(raw: &str) -> Option<StudyMode> {
    let f = fold_words(raw);
    let has = |w: &str| crate::text::find_words(&f, w).is_some();
    if has("khong tap trung") || has("tai chuc") || has("vua lam vua hoc") || has("vlvh") || has("ktt") {
        Some(StudyMode::KhongTapTrung)
    } else if has("tap trung") || f == "tt" {
        Some(StudyMode::TapTrung)
    } else {
        None
    }
}

/// A class, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingClass {
    /// Where it was read.
    pub source: SourceRow,
    /// Tên lớp.
    pub name: String,
    /// Its type, when it could be told.
    pub class_type: Option<ClassType>,
    /// Its mode, when given.
    pub mode: Option<StudyMode>,
    /// Khai giảng, with its precision.
    pub opened: Option<BirthDate>,
    /// Bế giảng.
    pub closed: Option<BirthDate>,
    /// Số học viên.
    pub learners: Option<u64>,
    /// Kinh phí, as written.
    pub funding: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_types_as_registers_write_them() {
        let cases = [
            ("TC LLCT", ClassType::TrungCapLlct),
            ("Lớp Trung cấp LLCT - HC khóa 2022-2024", ClassType::TrungCapLlct),
            ("Trung cấp lý luận chính trị - hành chính", ClassType::TrungCapLlct),
            ("TCLLCT", ClassType::TrungCapLlct),
            ("SC LLCT", ClassType::SoCapLlct),
            ("Sơ cấp lý luận chính trị", ClassType::SoCapLlct),
            ("bồi dưỡng, cập nhật kiến thức", ClassType::CapNhatKienThuc),
            ("Lớp bồi dưỡng cập nhật kiến thức cho cấp ủy viên", ClassType::CapNhatKienThuc),
            ("bồi dưỡng nghiệp vụ", ClassType::NghiepVuKhac),
            ("Bồi dưỡng nghiệp vụ công tác kiểm tra, giám sát", ClassType::NghiepVuXayDungDang),
            ("Bồi dưỡng nghiệp vụ công tác Mặt trận", ClassType::NghiepVuDoanThe),
            ("đối tượng kết nạp Đảng", ClassType::DoiTuongKetNapDang),
            ("Lớp bồi dưỡng lý luận chính trị cho đối tượng kết nạp Đảng", ClassType::DoiTuongKetNapDang),
            ("đảng viên mới", ClassType::DangVienMoi),
            ("Lớp chương trình lý luận chính trị dành cho đảng viên mới", ClassType::DangVienMoi),
            ("Bồi dưỡng kiến thức quốc phòng - an ninh đối tượng 4", ClassType::QuocPhongAnNinh),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_class_type(raw), Some(expected), "{raw}");
        }
        assert_eq!(parse_class_type("Hội nghị tổng kết"), None);
        // "TC" alone is not a class type: in a register it may be anything.
        assert_eq!(parse_class_type("TC"), None);
    }

    #[test]
    fn study_modes() {
        assert_eq!(parse_study_mode("tập trung"), Some(StudyMode::TapTrung));
        assert_eq!(parse_study_mode("Không tập trung (tại chức)"), Some(StudyMode::KhongTapTrung));
        assert_eq!(parse_study_mode("Tại chức"), Some(StudyMode::KhongTapTrung));
        assert_eq!(parse_study_mode(""), None);
    }

    #[test]
    fn refresher_types_are_the_courses_for_officials() {
        assert!(ClassType::CapNhatKienThuc.is_refresher());
        assert!(ClassType::NghiepVuKhac.is_refresher());
        assert!(!ClassType::TrungCapLlct.is_refresher());
        assert!(!ClassType::DoiTuongKetNapDang.is_refresher());
    }
}
