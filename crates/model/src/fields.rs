//! One table of the fields a return may hold, used by every crate: each field's key
//! (reports, JSON, configuration), its Vietnamese label (report headers, `check`), the
//! header spellings the reader recognises, and its column in the recommended template. A
//! label written by tonghop is one the reader takes back as the same field.

use crate::codes::Field;

/// A column of the recommended return (`tonghop template`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TemplateColumn {
    /// Its width, in characters.
    pub width: f64,
    /// The drop-down list its cells choose from, by name (`None`: typed freely).
    pub list: Option<&'static str>,
}

/// One field of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldSpec {
    /// The field.
    pub field: Field,
    /// Its identifier in reports, JSON and the configuration.
    pub key: &'static str,
    /// Its Vietnamese column label.
    pub label: &'static str,
    /// Header spellings, folded into words (see `text::fold_words`), each with how many
    /// words may follow it ("Họ tên viên chức"; 0: the label must be exactly the spelling).
    pub spellings: &'static [(&'static str, usize)],
    /// Its column in the recommended template, in the table's order.
    pub template: Option<TemplateColumn>,
}

/// Every field, in the order of [`Field`] (`FIELDS[field as usize]` is the field's).
pub const FIELDS: [FieldSpec; 29] = [
    FieldSpec {
        field: Field::RowNumber,
        key: "row_number",
        label: "STT",
        spellings: &[("stt", 0), ("tt", 0), ("so tt", 0), ("so thu tu", 0), ("thu tu", 0)],
        template: Some(TemplateColumn { width: 5.0, list: None }),
    },
    FieldSpec {
        field: Field::Unit,
        key: "unit",
        label: "Đơn vị",
        spellings: &[
            ("don vi", 2),
            ("ten don vi", 1),
            // Software exports: the unit's code ("MaDV", "Mã đơn vị").
            ("ma don vi", 0),
            ("ma dv", 0),
            ("xa", 0),
            ("xa thi tran", 0),
            ("don vi cong tac", 1),
            ("co quan", 1),
            ("co quan don vi", 2),
            ("phong", 0),
            ("phong ban", 0),
            ("khoa", 0),
            ("bo phan", 1),
            ("noi cong tac", 1),
        ],
        template: None,
    },
    FieldSpec {
        field: Field::FullName,
        key: "full_name",
        label: "Họ và tên",
        spellings: &[
            ("ho va ten", 2),
            ("ho ten", 2),
            ("hoten", 2),
            ("ho va ten khai sinh", 0),
            ("ho ten khai sinh", 0),
            ("ho va ten can bo", 0),
        ],
        template: Some(TemplateColumn { width: 24.0, list: None }),
    },
    FieldSpec {
        field: Field::FamilyName,
        key: "family_name",
        label: "Họ (họ và tên đệm)",
        spellings: &[
            ("ho", 0),
            ("ho dem", 0),
            ("ho va dem", 0),
            ("ho va ten dem", 0),
            ("ho va chu dem", 0),
            ("ho lot", 0),
            // "Chữ lót", "tên lót": the middle name, as the South says it.
            ("ho va chu lot", 0),
            ("ho chu lot", 0),
            ("ho va ten lot", 0),
            ("ho ten lot", 0),
            ("ho ten dem", 0),
            // The middle name in a column of its own, between "Họ" and "Tên": it joins the
            // family name, in the order of the columns.
            ("chu dem", 0),
            ("ten dem", 0),
            ("dem", 0),
            ("chu lot", 0),
            ("ten lot", 0),
        ],
        template: None,
    },
    FieldSpec {
        field: Field::GivenName,
        key: "given_name",
        label: "Tên",
        spellings: &[("ten", 0), ("ten rieng", 0)],
        template: None,
    },
    FieldSpec {
        field: Field::BirthDate,
        key: "birth_date",
        label: "Ngày sinh",
        spellings: &[
            ("ngay sinh", 2),
            ("ngay thang nam sinh", 2),
            ("ngay sinh thang sinh nam sinh", 0),
            ("ngay thang sinh", 0),
            ("nam sinh", 1),
            ("sinh ngay", 1),
            ("sinh ngay thang nam", 0),
            ("sinh nam", 0),
            ("ngay thang nam", 0),
        ],
        template: Some(TemplateColumn { width: 12.0, list: None }),
    },
    FieldSpec {
        field: Field::BirthDateMale,
        key: "birth_date_male",
        label: "Ngày sinh (Nam)",
        spellings: &[],
        template: None,
    },
    FieldSpec {
        field: Field::BirthDateFemale,
        key: "birth_date_female",
        label: "Ngày sinh (Nữ)",
        spellings: &[],
        template: None,
    },
    FieldSpec {
        field: Field::Gender,
        key: "gender",
        label: "Giới tính",
        spellings: &[("gioi tinh", 1), ("gt", 0), ("nam nu", 0), ("gioi", 0)],
        template: Some(TemplateColumn { width: 9.0, list: Some("gioi_tinh") }),
    },
    FieldSpec {
        field: Field::Ethnicity,
        key: "ethnicity",
        label: "Dân tộc",
        spellings: &[("dan toc", 1), ("dt", 0)],
        template: Some(TemplateColumn { width: 11.0, list: Some("dan_toc") }),
    },
    FieldSpec {
        field: Field::Religion,
        key: "religion",
        label: "Tôn giáo",
        spellings: &[("ton giao", 1), ("tg", 0)],
        template: None,
    },
    FieldSpec {
        field: Field::NationalId,
        key: "national_id",
        label: "Số CCCD/CMND",
        spellings: &[
            ("so cccd", 2),
            ("cccd", 2),
            ("cmnd", 2),
            ("so cmnd", 2),
            ("so dinh danh", 2),
            ("ma dinh danh", 1),
            ("so can cuoc", 2),
            ("can cuoc cong dan", 1),
        ],
        template: Some(TemplateColumn { width: 15.0, list: None }),
    },
    FieldSpec {
        field: Field::PartyMember,
        key: "party_member",
        label: "Đảng viên",
        spellings: &[
            ("dang vien", 1),
            ("dv", 0),
            ("la dang vien", 1),
            ("ngay vao dang chinh thuc", 0),
            ("ngay chinh thuc", 0),
        ],
        template: Some(TemplateColumn { width: 11.0, list: Some("dang_vien") }),
    },
    FieldSpec {
        field: Field::PartyJoinDate,
        key: "party_join_date",
        label: "Ngày vào Đảng",
        spellings: &[
            ("ngay vao dang", 2),
            ("ngay ket nap dang", 2),
            ("ngay ket nap", 1),
            ("vao dang", 0),
            ("nam vao dang", 1),
        ],
        template: Some(TemplateColumn { width: 12.0, list: None }),
    },
    FieldSpec {
        field: Field::Positions,
        key: "positions",
        label: "Chức vụ",
        spellings: &[
            ("chuc vu", 6),
            ("chuc danh", 6),
            ("nghe nghiep chuc vu", 0),
            // Posts as codes, explained by a legend under the table.
            ("ma chuc danh", 0),
            ("ma chuc vu", 0),
        ],
        template: Some(TemplateColumn { width: 30.0, list: None }),
    },
    FieldSpec {
        field: Field::Committee,
        key: "committee",
        label: "Cấp ủy",
        spellings: &[
            ("cap uy", 2),
            // Longer than "chức vụ", so the committee's column is not read as positions.
            ("chuc vu trong cap uy", 0),
            ("chuc vu cap uy", 0),
            ("chuc vu trong dang uy", 0),
            ("tham gia cap uy", 1),
            ("duv", 0),
            ("cap uy vien", 1),
            ("la cap uy vien", 0),
            ("tham gia btv", 0),
            ("tham gia ban thuong vu", 0),
            ("ban thuong vu", 0),
            ("btv", 0),
        ],
        template: Some(TemplateColumn { width: 14.0, list: Some("cap_uy") }),
    },
    FieldSpec {
        field: Field::Category,
        key: "category",
        label: "Phân loại",
        spellings: &[("phan loai can bo", 0), ("loai can bo", 1), ("doi tuong", 0), ("phan loai", 0), ("loai", 0)],
        template: Some(TemplateColumn { width: 16.0, list: Some("phan_loai") }),
    },
    FieldSpec {
        field: Field::GeneralEducation,
        key: "general_education",
        label: "GDPT",
        spellings: &[
            ("gdpt", 0),
            ("van hoa", 1),
            ("giao duc pho thong", 1),
            ("trinh do van hoa", 0),
            ("trinh do gdpt", 0),
            ("pho thong", 0),
            ("hoc van", 0),
        ],
        template: Some(TemplateColumn { width: 8.0, list: Some("gdpt") }),
    },
    FieldSpec {
        field: Field::Professional,
        key: "professional",
        label: "Chuyên môn",
        spellings: &[
            ("chuyen mon", 3),
            ("cm", 0),
            ("cmnv", 0),
            ("chuyen mon nghiep vu", 1),
            ("trinh do chuyen mon", 2),
            ("trinh do cmnv", 1),
            ("trinh do dao tao", 1),
            ("hoc ham hoc vi", 0),
            ("hoc vi", 0),
            ("trinh do", 0),
            ("bang cap", 0),
        ],
        template: Some(TemplateColumn { width: 16.0, list: Some("chuyen_mon") }),
    },
    FieldSpec {
        field: Field::ProfessionalField,
        key: "professional_field",
        label: "Chuyên ngành",
        spellings: &[("nganh dao tao", 1), ("chuyen nganh", 2), ("nganh", 0), ("nganh hoc", 0)],
        template: None,
    },
    FieldSpec {
        field: Field::PoliticalTheory,
        key: "political_theory",
        label: "Lý luận chính trị",
        spellings: &[
            ("llct", 1),
            ("ly luan chinh tri", 2),
            ("chinh tri", 0),
            ("trinh do llct", 1),
            ("trinh do ly luan chinh tri", 1),
            ("ly luan", 0),
            ("trinh do chinh tri", 1),
        ],
        template: Some(TemplateColumn { width: 16.0, list: Some("llct") }),
    },
    FieldSpec {
        field: Field::PoliticalTheoryStudying,
        key: "political_theory_studying",
        label: "Đang học LLCT",
        spellings: &[
            ("dang hoc", 0),
            ("dang theo hoc", 0),
            ("dang hoc llct", 0),
            ("dang hoc ly luan chinh tri", 0),
            ("dang theo hoc llct", 0),
            ("dang hoc lop", 2),
        ],
        template: Some(TemplateColumn { width: 14.0, list: Some("dang_hoc") }),
    },
    FieldSpec {
        field: Field::StateManagement,
        key: "state_management",
        label: "QLNN",
        spellings: &[
            ("qlnn", 1),
            ("quan ly nha nuoc", 1),
            ("trinh do qlnn", 1),
            ("quan ly nn", 0),
            ("ql nha nuoc", 0),
            ("qlnhanuoc", 0),
            ("boi duong kien thuc qlnn", 2),
            ("boi duong kien thuc quan ly nha nuoc", 2),
            ("boi duong qlnn", 2),
            ("boi duong quan ly nha nuoc", 2),
        ],
        template: Some(TemplateColumn { width: 16.0, list: Some("qlnn") }),
    },
    FieldSpec { field: Field::It, key: "it", label: "Tin học", spellings: &[("tin hoc", 1)], template: None },
    FieldSpec {
        field: Field::ForeignLanguage,
        key: "foreign_language",
        label: "Ngoại ngữ",
        spellings: &[("ngoai ngu", 1)],
        template: None,
    },
    FieldSpec {
        field: Field::EthnicLanguage,
        key: "ethnic_language",
        label: "Tiếng dân tộc",
        spellings: &[("tieng dan toc", 2), ("tieng dtts", 0)],
        template: None,
    },
    FieldSpec {
        field: Field::Planning,
        key: "planning",
        label: "Quy hoạch",
        spellings: &[
            ("quy hoach", 3),
            ("dien quy hoach", 1),
            ("qh", 0),
            ("chuc danh quy hoach", 2),
            ("chuc vu quy hoach", 2),
            ("chuc danh du kien quy hoach", 1),
            ("du kien quy hoach", 2),
        ],
        template: Some(TemplateColumn { width: 22.0, list: None }),
    },
    FieldSpec {
        field: Field::Trainings,
        key: "trainings",
        label: "Bồi dưỡng trong kỳ",
        spellings: &[("boi duong trong ky", 1), ("dao tao boi duong", 1), ("boi duong", 1), ("dao tao", 0)],
        template: None,
    },
    FieldSpec {
        field: Field::Note,
        key: "note",
        label: "Ghi chú",
        spellings: &[("ghi chu", 1), ("gc", 0)],
        template: Some(TemplateColumn { width: 16.0, list: None }),
    },
];

impl Field {
    /// The field's row of [`FIELDS`].
    pub const fn spec(self) -> &'static FieldSpec {
        &FIELDS[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_its_own_row_in_order() {
        for (i, spec) in FIELDS.iter().enumerate() {
            assert_eq!(spec.field as usize, i, "{}", spec.key);
        }
    }
}
