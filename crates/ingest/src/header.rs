//! Finds the header block of a roster table and resolves each column to a field.
//!
//! A header is read as a tree, not as one row: every header row, merged ranges as the file
//! declares them (a group label without merge information is carried right over the
//! columns that have a label under it), and below it optional rows of column numbers or
//! letters. Each column gets its *path*, group labels first ("Trình độ › Lý luận chính
//! trị", "Ngày tháng năm sinh › Nữ"), and the path is resolved by rules:
//!
//! - a label names a field by its words, accents and case folded, with a bracketed hint,
//!   a second line, a `*` or an alternative after `/` set aside ("Ngày sinh (d/m/Y)",
//!   "HỌ VÀ TÊN⏎Họ và tên khai sinh", "Đơn vị/ Phòng ban"); a spelling may be followed by
//!   a few qualifying words ("Họ tên viên chức", "Chức vụ chính quyền, đoàn thể");
//! - under a group that names a field, a label that is one of its values is a one-hot
//!   column ("TC" under "Lý luận chính trị"), "Nam"/"Nữ" under a birth date are the
//!   gendered birth dates, "Họ"/"Tên" under a name are the name's parts, and a general
//!   label ("Trình độ") takes its group's field;
//! - a name header merged over two columns with nothing under it is family name | given
//!   name, and a lone "Tên" column is the full name.
//!
//! Every column keeps the rule that decided it, for `check` and the intake.

use tonghop_model::Config;
use tonghop_model::Field;
use tonghop_model::intake::ColumnRule;
use tonghop_model::record::CellValue;
use tonghop_model::text::fold_words;

use crate::workbook::SheetGrid;

/// How many rows from the top a header is looked for in.
pub const HEADER_SEARCH_ROWS: u32 = 40;

/// The most rows a header block spans (title rows above it not counted).
const MAX_HEADER_ROWS: u32 = 5;

/// Header spellings, folded into words (see [`fold_words`]), each with how many words may
/// follow it ("Họ tên viên chức"; 0: the label must be exactly the spelling).
/// Header spellings, from the field table (see [`tonghop_model::fields::FieldSpec`]).
fn spellings() -> impl Iterator<Item = (Field, &'static [(&'static str, usize)])> {
    tonghop_model::fields::FIELDS.iter().filter(|f| !f.spellings.is_empty()).map(|f| (f.field, f.spellings))
}

/// Words after a spelling that make the column about another time or another thing ("Chức
/// vụ quy hoạch", "Chức vụ cũ", "Trình độ chuyên môn đang học", "Ngày sinh hoạt Đảng",
/// "Đơn vị tính"): such a label names no field of today's roster.
fn not_current(rest: &str) -> bool {
    const PHRASES: &[&str] =
        &["quy hoach", "du kien", "de nghi", "dang hoc", "bo nhiem", "nghi huu", "ke nhiem", "chinh thuc"];
    const WORDS: &[&str] = &["cu", "truoc", "hoat", "tinh"];
    rest.split(' ').any(|w| WORDS.contains(&w))
        || PHRASES.iter().any(|p| tonghop_model::text::find_words(rest, p).is_some())
}

/// Words after a name spelling that make it someone else's name ("Họ tên bố", "Họ tên vợ").
const RELATIVES: &[&str] = &["bo", "me", "cha", "vo", "chong", "con", "than", "nguoi"];

/// Sub-labels that say nothing alone and take their group's field ("Trình độ" under "Lý
/// luận chính trị").
const GENERAL_LABELS: &[&str] = &["trinh do", "cap do", "muc", "hang", "loai", "bac", "trinh do cao nhat"];

/// Longest text taken for a header cell; longer cells are data, not headers.
const MAX_HEADER_CHARS: usize = 200;

/// The field a header text names, if any. Remembered per thread and text: the header
/// search asks it for every cell of the first rows of every sheet, and a country's ten
/// thousand returns repeat the same few hundred header and title texts.
pub fn field_of(header: &str) -> Option<Field> {
    if header.len() > MAX_HEADER_CHARS * 4 {
        return None;
    }
    tonghop_model::memo::remembered!(Option<Field>, header, field_of_uncached)
}

fn field_of_uncached(header: &str) -> Option<Field> {
    // The name and the post around "/" ("Chức danh / Họ và tên"): the name's column, its
    // posts beside (as "Họ và tên, chức vụ" is; see `names_posts_too`).
    if header.contains('/')
        && let unbracketed = without_brackets(header)
        && unbracketed.contains('/')
    {
        let parts: Vec<Option<Field>> = unbracketed.split('/').map(|p| best_spelling(&fold_words(p))).collect();
        if parts.contains(&Some(Field::FullName)) && parts.contains(&Some(Field::Positions)) {
            return Some(Field::FullName);
        }
    }
    label_variants(header)
        .into_iter()
        .find_map(|folded| field_of_folded(&folded))
        .or_else(|| field_of_cut_words(header))
}

/// A legend of codes in a column's label ("Giới tính (1: Nam; 2: Nữ)", "Đảng viên (1 = Có,
/// 0 = Không)"): each code its cells may hold, lower case, with the value it stands for. A
/// bracket counts as a legend when all of it is two entries or more of a short code, a
/// colon or an equals sign, and a value; a hint ("(dd/mm/yyyy)") or a footnote mark
/// ("(1)") is none.
pub(crate) fn legend_of(label: &str) -> Vec<(String, String)> {
    let mut legend = Vec::new();
    let mut rest = label;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else { break };
        let inner = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let entries: Option<Vec<(String, String)>> = inner
            .split([';', ','])
            .filter(|e| !e.trim().is_empty())
            .map(|entry| {
                let (code, value) = entry.split_once([':', '='])?;
                let (code, value) = (code.trim(), value.trim());
                // Digits or one letter: "(Nam: 1; Nữ: 2)" is the other way round, and a
                // word is no code.
                let short = !code.is_empty()
                    && code.chars().count() <= 3
                    && (code.chars().all(|c| c.is_ascii_digit())
                        || code.chars().count() == 1 && code.chars().all(char::is_alphabetic));
                (short && !value.is_empty()).then(|| (code.to_lowercase(), value.to_owned()))
            })
            .collect();
        if let Some(entries) = entries.filter(|e| e.len() >= 2) {
            legend.extend(entries);
        }
    }
    legend
}

/// A label whose words are cut short by a dot ("Ng.sinh", "G.tính", "D.tộc", "Tr.độ LLCT",
/// "Ch.ngành", "Ng.vào Đảng"): a cut word stands for any word it begins, the others for
/// themselves (spelled out when they are known abbreviations, "CM"). The field is the one
/// whose spelling, or "trình độ" and its spelling, fits word for word, when one field
/// alone fits ("Ng." begins "ngày", "ngạch" and "ngành": the word after it decides).
fn field_of_cut_words(label: &str) -> Option<Field> {
    let text = without_brackets(label);
    if !text.contains('.') {
        return None;
    }
    // (word, cut short)
    let mut words: Vec<(String, bool)> = Vec::new();
    for part in text.split_whitespace() {
        let pieces: Vec<&str> = part.split('.').collect();
        for (i, piece) in pieces.iter().enumerate() {
            let folded = fold_words(piece);
            if folded.is_empty() {
                continue;
            }
            let cut = pieces.get(i + 1).is_some_and(|next| !fold_words(next).is_empty());
            let mut piece_words = folded.split(' ').peekable();
            while let Some(word) = piece_words.next() {
                let last = piece_words.peek().is_none();
                match ABBREVIATIONS.iter().find(|(a, _)| *a == word).filter(|_| !(cut && last)) {
                    Some((_, full)) => words.extend(full.split(' ').map(|w| (w.to_owned(), false))),
                    None => words.push((word.to_owned(), cut && last)),
                }
            }
        }
    }
    // Cut words are short ("Ng", "Tr", "Đ"), and a word written whole says what the label
    // is about: "Tr.độ" alone is any level, which its group decides.
    if !words.iter().any(|(_, cut)| *cut)
        || words.iter().any(|(w, cut)| *cut && w.chars().count() > 3)
        || !words.iter().any(|(w, cut)| !*cut && w != "do" && w != "trinh")
    {
        return None;
    }
    let fits = |spelling: &str| {
        let mut spelled = spelling.split(' ');
        words.iter().all(|(word, cut)| {
            spelled.next().is_some_and(|s| if *cut { s.starts_with(word.as_str()) } else { s == word })
        }) && spelled.next().is_none()
    };
    // Header words that name no field, so that a cut word that could begin them is not
    // taken for the field it could also begin ("Đ.học": đại học or đang học; "N.sinh": nơi
    // sinh or năm sinh; "Đ.viên": Đoàn or Đảng viên).
    const NO_FIELD: [&str; 12] = [
        "dai hoc",
        "noi sinh",
        "doan vien",
        "que quan",
        "noi o",
        "ngay cap",
        "noi cap",
        "cao dang",
        "trung cap",
        "so cap",
        "cao cap",
        "cu nhan",
    ];
    if NO_FIELD.iter().any(|spelling| fits(spelling)) {
        return None;
    }
    let mut found: Option<Field> = None;
    for (field, spellings) in spellings() {
        for (spelling, _) in spellings {
            if fits(spelling) || fits(&format!("trinh do {spelling}")) {
                match found {
                    Some(f) if f != field => return None,
                    _ => found = Some(field),
                }
            }
        }
    }
    found
}

/// The forms of a label tried in turn: as written; without bracketed hints; its first
/// line; and each alternative around a `/`.
fn label_variants(label: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(4);
    let mut push = |text: &str| {
        let folded = fold_words(text);
        if !folded.is_empty() && !out.contains(&folded) {
            out.push(folded);
        }
    };
    push(label);
    let unbracketed = without_brackets(label);
    push(&unbracketed);
    let first_line = label.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    push(&without_brackets(first_line));
    if unbracketed.contains('/') {
        for part in unbracketed.split('/') {
            push(part);
        }
    }
    let folded = fold_words(&unbracketed);
    if let Some(core) = question_core(&folded) {
        push(&core);
    }
    // A question stated as what was done ("Đã được bồi dưỡng kiến thức QLNN", answered
    // "Chuyên viên"): what it was done of.
    for done in ["da duoc ", "duoc "] {
        if let Some(rest) = folded.strip_prefix(done) {
            push(rest);
            if let Some(core) = question_core(rest) {
                push(&core);
            }
        }
    }
    out
}

/// What a label asked as a question asks of ("Đồng chí có phải là đảng viên không?":
/// "đảng viên"), as an online form's questions are the header of its answers.
fn question_core<'a>(folded: &'a str) -> Option<String> {
    const ADDRESS: [&str; 6] = ["dong chi", "anh chi", "ong ba", "anh", "chi", "ban"];
    const ASKING: [&str; 5] = ["co phai la", "co phai", "da la", "co la", "la"];
    const ENDING: [&str; 3] = ["hay khong", "khong", "chua"];
    // Whole words only: "la" does not begin "lanh dao".
    let after = |text: &'a str, word: &str| text.strip_prefix(word).and_then(|rest| rest.strip_prefix(' '));
    let ended = ENDING.iter().find_map(|e| folded.strip_suffix(e).and_then(|rest| rest.strip_suffix(' ')))?;
    let addressed = ADDRESS.iter().find_map(|a| after(ended, a)).unwrap_or(ended);
    let core = ASKING.iter().find_map(|a| after(addressed, a)).unwrap_or(addressed);
    (!core.is_empty()).then(|| core.to_owned())
}

/// The fields a label says its cells pack, in order, when it lists two or more around "/"
/// (in brackets or not): "Trình độ (CM/LLCT/QLNN)", "Dân tộc/Tôn giáo". Each part is read
/// as a label, or under the label's words before the list ("trình độ" + "CM"); the fields
/// must differ (alternatives of one field, "Chức vụ/Chức danh", are one label).
fn packed_fields(label: &str) -> Vec<Field> {
    if !label.contains('/') {
        return Vec::new();
    }
    let (before, list) = match (label.find('('), label.rfind(')')) {
        (Some(open), Some(close)) if open < close && label[open..close].contains('/') => {
            (label[..open].trim(), &label[open + 1..close])
        }
        _ => ("", label),
    };
    let parts: Vec<&str> = list.split('/').map(str::trim).collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return Vec::new();
    }
    let mut fields: Vec<Field> = Vec::with_capacity(parts.len());
    for part in parts {
        let Some(field) = field_of(part).or_else(|| field_of(&format!("{before} {part}"))) else { return Vec::new() };
        // Only coded fields pack: a date ("05/1979"), a post ("Bí thư/Chủ tịch HĐND") or a
        // unit has its own slashes.
        if fields.contains(&field) || !PACKABLE.contains(&field) {
            return Vec::new();
        }
        fields.push(field);
    }
    fields
}

/// Fields whose values hold no "/" of their own, and so may share a cell split by it.
const PACKABLE: [Field; 11] = [
    Field::Professional,
    Field::PoliticalTheory,
    Field::StateManagement,
    Field::GeneralEducation,
    Field::It,
    Field::ForeignLanguage,
    Field::Ethnicity,
    Field::Religion,
    Field::Gender,
    Field::PartyMember,
    Field::Category,
];

/// Whether a name's group label names the birth too ("Họ và tên, năm sinh").
fn names_birth(group_label: &str) -> bool {
    let folded = fold_words(group_label);
    ["nam sinh", "ngay sinh", "ngay thang nam sinh"]
        .iter()
        .any(|w| tonghop_model::text::find_words(&folded, w).is_some())
}

/// Whether a label under a group of marked values asks for the value written instead: "ghi
/// rõ" (write it out: "Khác (ghi rõ)"), or, under an ethnicity, the minorities. A bare
/// "Khác" may be marked, and is not.
fn is_written_other(group_field: Field, folded_leaf: &str) -> bool {
    let has = |words| tonghop_model::text::find_words(folded_leaf, words).is_some();
    let ethnic = group_field == Field::Ethnicity
        && ["dan toc thieu so", "dtts", "dan toc khac"].iter().any(|w| folded_leaf.starts_with(w));
    ethnic || has("ghi ro")
}

/// Whether a label is only a bracketed hint ("(dd/mm/yyyy)", "(ghi Có/Không)"): how to
/// write the column's values, not what they are.
fn is_hint(text: &str) -> bool {
    !text.trim().is_empty() && without_brackets(text).trim().is_empty()
}

fn without_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The field of a folded label: the longest spelling it equals or begins with (followed by
/// no more words than the spelling allows), then the same without a leading "trình độ".
fn field_of_folded(folded: &str) -> Option<Field> {
    let direct = |f: &str| {
        best_spelling(f)
            .or_else(|| f.strip_prefix("trinh do ").and_then(best_spelling))
            .or_else(|| compact_index().get(f.replace(' ', "").as_str()).copied())
    };
    direct(folded).or_else(|| {
        // A lone abbreviation says too little ("CV" is also a grade, "chuyên viên"): only
        // a label of two words or more is spelled out, English aside.
        let expanded = expand_abbreviations(folded);
        let alone_ok =
            ENGLISH.iter().any(|(e, _)| *e == folded) || ABBREVIATIONS[..UNAMBIGUOUS].iter().any(|(a, _)| *a == folded);
        (expanded != folded && (folded.contains(' ') || alone_ok)).then(|| direct(&expanded)).flatten()
    })
}

/// Abbreviations of header words, folded ("TĐ CM", "TĐLLCT", "CV hiện nay", "Ngày vào ĐCS",
/// "Q.Hoạch"), and the English of personnel software ("Full name", "Date of birth"). The
/// first ones say enough alone; the others only beside another word ("CV" alone is also a
/// grade, "chuyên viên").
const UNAMBIGUOUS: usize = 5;
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("tdcm", "trinh do chuyen mon"),
    ("tdllct", "trinh do llct"),
    ("tdll", "trinh do ly luan"),
    ("tdvh", "trinh do van hoa"),
    ("vh", "van hoa"),
    ("td", "trinh do"),
    ("cv", "chuc vu"),
    ("cm", "chuyen mon"),
    ("ll", "ly luan"),
    ("ct", "chinh tri"),
    ("dcs", "dang"),
    ("dcsvn", "dang"),
    ("q", "quy"),
    ("ns", "ngay sinh"),
    ("dv", "dang vien"),
    ("qh", "quy hoach"),
];

const ENGLISH: &[(&str, &str)] = &[
    ("full name", "ho va ten"),
    ("name", "ho va ten"),
    ("fullname", "ho va ten"),
    ("date of birth", "ngay sinh"),
    ("birth date", "ngay sinh"),
    ("dob", "ngay sinh"),
    ("year of birth", "nam sinh"),
    ("sex", "gioi tinh"),
    ("gender", "gioi tinh"),
    ("ethnic group", "dan toc"),
    ("ethnicity", "dan toc"),
    ("religion", "ton giao"),
    ("position", "chuc vu"),
    ("positions", "chuc vu"),
    ("position s", "chuc vu"),
    ("current position", "chuc vu"),
    ("current positions", "chuc vu"),
    ("current position s", "chuc vu"),
    ("title", "chuc vu"),
    ("job title", "chuc vu"),
    ("party member", "dang vien"),
    ("party membership", "dang vien"),
    ("cpv member", "dang vien"),
    ("cpv membership", "dang vien"),
    ("party admission date", "ngay vao dang"),
    ("date joined party", "ngay vao dang"),
    ("date of joining cpv", "ngay vao dang"),
    ("date of joining the party", "ngay vao dang"),
    ("date of joining the cpv", "ngay vao dang"),
    ("cpv admission date", "ngay vao dang"),
    ("political theory", "ly luan chinh tri"),
    ("qualification", "chuyen mon"),
    ("education level", "chuyen mon"),
    ("professional qualification", "chuyen mon"),
    ("major", "nganh dao tao"),
    ("field of study", "nganh dao tao"),
    ("state management", "quan ly nha nuoc"),
    ("department", "don vi"),
    ("unit", "don vi"),
    ("id number", "so cccd"),
    ("citizen id", "so cccd"),
    ("notes", "ghi chu"),
    ("note", "ghi chu"),
    ("remarks", "ghi chu"),
    ("no", "stt"),
    ("foreign language", "ngoai ngu"),
    ("it skills", "tin hoc"),
    ("general education", "gdpt"),
];

/// A folded label with its abbreviations spelled out, or its English said in Vietnamese.
fn expand_abbreviations(folded: &str) -> String {
    if let Some((_, vietnamese)) = ENGLISH.iter().find(|(english, _)| *english == folded) {
        return (*vietnamese).to_owned();
    }
    folded
        .split(' ')
        .map(|w| ABBREVIATIONS.iter().find(|(a, _)| *a == w).map_or(w, |(_, full)| full))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every spelling with its spaces removed → its field, for labels written without spaces
/// ("ngaysinh", "gioitinh", "trinhdo_cm"): exact matches only.
fn compact_index() -> &'static std::collections::HashMap<String, Field> {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<String, Field>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = std::collections::HashMap::new();
        for (field, spellings) in spellings() {
            for (spelling, _) in spellings {
                let compact = spelling.replace(' ', "");
                // Two-letter codes ("tt", "dt") would match too much written together.
                if compact.len() > 3 {
                    index.entry(format!("trinhdo{compact}")).or_insert(field);
                    index.entry(compact).or_insert(field);
                }
            }
        }
        index.entry("trinhdocm".to_owned()).or_insert(Field::Professional);
        index
    })
}

fn best_spelling(folded: &str) -> Option<Field> {
    let mut best: Option<(usize, Field)> = None;
    for (field, spellings) in spellings() {
        for (spelling, extra) in spellings {
            let Some(rest) = folded.strip_prefix(spelling) else { continue };
            let rest = match rest.strip_prefix(' ') {
                Some(r) => r,
                None if rest.is_empty() => "",
                None => continue,
            };
            let words = if rest.is_empty() { 0 } else { rest.split(' ').count() };
            // (Planning is about tomorrow by nature.)
            if words > *extra || (!rest.is_empty() && field != Field::Planning && not_current(rest)) {
                continue;
            }
            if field == Field::FullName && rest.split(' ').any(|w| RELATIVES.contains(&w)) {
                continue;
            }
            // A village cell's committee ("Cấp ủy chi bộ"), or the next term's, is not the
            // unit's.
            if field == Field::Committee
                && ["chi bo", "chi uy", "khoa moi", "khoa toi"]
                    .iter()
                    .any(|w| tonghop_model::text::find_words(rest, w).is_some())
            {
                continue;
            }
            if best.is_none_or(|(len, _)| spelling.len() > len) {
                best = Some((spelling.len(), field));
            }
        }
    }
    best.map(|(_, f)| f)
}

/// The field a header names: the configuration's extra spellings first, then the built-in
/// rules.
pub(crate) fn mapped(header: &str, config: &Config) -> Option<(Field, ColumnRule)> {
    if let Some(f) = config.header_field(header) {
        return Some((f, ColumnRule::Config));
    }
    field_of(header).map(|f| (f, ColumnRule::Label))
}

/// Whether `label` is one value of `field`'s code list, so that a column headed by it
/// under a group headed by the field is a one-hot column ("SC | TC | CC | CN" under
/// "Lý luận chính trị", "Nam | Nữ" under "Giới tính").
fn is_option(field: Field, label: &str) -> bool {
    use tonghop_model::codes;
    if codes::means_none(label) && !matches!(fold_words(label).as_str(), "khong" | "chua") {
        return false;
    }
    match field {
        Field::PoliticalTheory => codes::parse_political_theory(label).is_some(),
        Field::Professional => codes::parse_professional(label).is_some(),
        Field::StateManagement => codes::parse_state_management(label).is_some(),
        Field::GeneralEducation => codes::parse_general_education(label).is_some(),
        Field::Gender => codes::parse_gender(label).is_some(),
        // "Dân tộc › Kinh │ Tày │ Nùng": a mark under the people's name.
        Field::Ethnicity => codes::parse_ethnicity(label).is_some(),
        // "Đảng viên › Chính thức | Dự bị": a mark in either says a member.
        Field::PartyMember => matches!(fold_words(label).as_str(), "chinh thuc" | "du bi" | "co" | "khong"),
        // "Tham gia cấp ủy › Bí thư │ Phó Bí thư │ Ủy viên BTV │ Ủy viên BCH": a level each.
        Field::Committee => {
            codes::parse_committee(label).is_some_and(|level| level != codes::CommitteeLevel::Khong)
                && !codes::is_tick(label)
        }
        _ => false,
    }
}

/// Fields whose words in a label no rule used deserve a second look ("Họ tên viên chức hỗ
/// trợ", "Ngày sinh của con", "Trình độ chuyên môn cao nhất đã qua đào tạo").
const WATCHED: &[&str] = &[
    "ho ten",
    "ho va ten",
    "ngay sinh",
    "nam sinh",
    "gioi tinh",
    "chuc vu",
    "chuc danh",
    "ly luan chinh tri",
    "ly luan",
    "llct",
    "chuyen mon",
    "quan ly nha nuoc",
    "qlnn",
    "dang vien",
    "cap uy",
    "dan toc",
];

/// Whether a label names an amount: pay, an allowance, a coefficient ("PC chức vụ", "Hệ
/// số phụ cấp", "Tiền lương").
pub(crate) fn is_pay_label(label: &str) -> bool {
    const PAY: &[&str] = &["pc", "phu cap", "tien", "he so", "luong", "muc phu cap", "thanh tien"];
    let folded = fold_words(label);
    PAY.iter().any(|p| folded.strip_prefix(p).is_some_and(|r| r.is_empty() || r.starts_with(' ')))
}

/// The post a column of marks stands for under a group of posts: the label with the
/// group's body after "Chức vụ" ("Bí thư" under "Chức vụ Đảng" is "Bí thư Đảng"), or else
/// the label alone when it names its body itself ("Chủ tịch UBND").
fn post_under(group: &str, leaf: &str) -> Option<String> {
    let words: Vec<&str> = group.split_whitespace().collect();
    let lead = fold_words(&words[..words.len().min(2)].join(" "));
    let body = if matches!(lead.as_str(), "chuc vu" | "chuc danh") {
        words[2.min(words.len())..].join(" ")
    } else {
        String::new()
    };
    let with_body = tonghop_model::text::clean(&format!("{leaf} {body}"));
    if !body.is_empty() && names_a_post(&with_body) {
        // The label as written when it says the same post alone ("Bí thư" under "Chức vụ
        // Đảng"), as the clerk wrote it.
        use tonghop_model::{UnitKind, codes::parse_positions};
        let same = parse_positions(leaf, UnitKind::Xa).positions == parse_positions(&with_body, UnitKind::Xa).positions;
        return Some(if same { tonghop_model::text::clean(leaf) } else { with_body });
    }
    const BODIES: &[&str] = &[
        "dang",
        "hdnd",
        "ubnd",
        "mttq",
        "ubmttq",
        "hoi",
        "doan",
        "cuu chien binh",
        "phu nu",
        "nong dan",
        "quan su",
        "chqs",
        "cong an",
        "cong chuc",
    ];
    let folded = fold_words(leaf);
    // The label alone when it names its body ("Chủ tịch UBND"), or under a group naming none.
    let names_body = body.is_empty() || BODIES.iter().any(|b| tonghop_model::text::find_words(&folded, b).is_some());
    (names_body && names_a_post(leaf)).then(|| tonghop_model::text::clean(leaf))
}

/// Whether a label is a post's name and nothing else ("Bí thư", "Phó Chủ tịch UBND"), as a
/// commune's or a district body's posts are read.
fn names_a_post(label: &str) -> bool {
    use tonghop_model::{UnitKind, codes::parse_positions};
    [UnitKind::Xa, UnitKind::CoQuanHuyen].into_iter().any(|kind| {
        let parsed = parse_positions(label, kind);
        !parsed.positions.is_empty() && parsed.unrecognised.is_empty()
    })
}

/// A group of what a post requires ("Tiêu chuẩn theo quy định", "Yêu cầu của chức danh"),
/// as a review of posts against their standards sets beside what the holder has.
fn is_standard_label(label: &str) -> bool {
    const STANDARD: &[&str] = &["tieu chuan", "yeu cau", "theo quy dinh", "quy dinh"];
    let folded = fold_words(label);
    STANDARD.iter().any(|p| folded.strip_prefix(p).is_some_and(|r| r.is_empty() || r.starts_with(' ')))
}

/// Whether an unused label holds a watched field's words, pay and allowance columns aside.
fn looks_like_field(label: &str) -> bool {
    if is_pay_label(label) || fold_words(label).starts_with("so ") {
        return false;
    }
    let folded = fold_words(label);
    WATCHED.iter().any(|w| tonghop_model::text::find_words(&folded, w).is_some())
}

/// A single letter ("a", "B"): a rating's sub-column, never a field's.
fn is_letter(label: &str) -> bool {
    let t = label.trim();
    t.chars().count() == 1 && t.chars().all(char::is_alphabetic)
}

/// What a column holds (its path, field, one-hot option and rule): the intake's record of
/// it, made here.
pub use tonghop_model::intake::ColumnIntake as Column;

/// The field of a column from its header path, and the rule that decided it.
// Long on purpose: the column rules in their order of precedence, read top to bottom.
fn column_role(levels: &[String], config: &Config) -> (Option<Field>, Option<String>, ColumnRule) {
    let Some(leaf) = levels.last() else { return (None, None, ColumnRule::Unused) };
    let leaf_field = mapped(leaf, config);
    // A label split over two rows with no merge ("Ngày" over "sinh", "Lý luận" over "chính
    // trị", "Ngày vào" over "Đảng": a PDF made back into a sheet): neither part names a field
    // alone, the two together do. A group's options ("nam" under "Ngày sinh", "TC" under
    // "LLCT") sit under a label that names one.
    if leaf_field.is_none()
        && let [.., parent, _] = levels
        && mapped(parent, config).is_none()
        && let Some((field, rule)) = mapped(&format!("{parent} {leaf}"), config)
    {
        return (Some(field), None, rule);
    }
    if let Some((f, ColumnRule::Config)) = leaf_field {
        return (Some(f), None, ColumnRule::Config);
    }
    // Years in the Party ("Tuổi › Đời │ Đảng", "Tuổi Đảng"): a number (or "Dự bị") there
    // says a member, an empty cell none.
    let party_age = match levels {
        [.., parent, _] if fold_words(parent) == "tuoi" => matches!(fold_words(leaf).as_str(), "dang" | "dang vien"),
        _ => fold_words(leaf) == "tuoi dang",
    };
    if party_age {
        return (Some(Field::PartyMember), Some("Có".to_owned()), ColumnRule::GroupOption);
    }
    // Under a pay or allowance group ("Hệ số phụ cấp › CV"), a label is an amount; under a
    // post's standard ("Tiêu chuẩn theo quy định › Lý luận chính trị"), the level the post
    // asks for, not the person's.
    if levels[..levels.len() - 1].iter().any(|g| is_pay_label(g) || is_standard_label(g)) {
        return (None, None, ColumnRule::Unused);
    }
    // The nearest group above that names a field.
    let group = levels[..levels.len() - 1].iter().rev().find_map(|g| mapped(g, config).map(|m| (g, m.0)));
    if let Some((group_label, group_field)) = group {
        let folded_leaf = fold_words(leaf);
        // "Năm" (year) folds like "Nam" (male): only the unaccented word is the gender.
        let year = leaf.trim().to_lowercase() == "năm";
        match (group_field, folded_leaf.as_str()) {
            (Field::BirthDate, "nam") if !year => {
                return (Some(Field::BirthDateMale), None, ColumnRule::GenderedBirthDate);
            }
            (Field::BirthDate, "nu") => return (Some(Field::BirthDateFemale), None, ColumnRule::GenderedBirthDate),
            // Each name under its gender ("Họ và tên › Nam │ Nữ"): the column gives the gender.
            // Under a name and its birth ("Họ và tên, năm sinh › Họ và tên │ Nam │ Nữ"), the
            // birth dates are.
            (Field::FullName, "nam" | "nu") if !year && names_birth(group_label) => {
                let field = if folded_leaf == "nam" { Field::BirthDateMale } else { Field::BirthDateFemale };
                return (Some(field), None, ColumnRule::GenderedBirthDate);
            }
            (Field::FullName, "nam") if !year => {
                return (Some(Field::FullName), Some("Nam".to_owned()), ColumnRule::GenderedName);
            }
            (Field::FullName, "nu") => return (Some(Field::FullName), Some("Nữ".to_owned()), ColumnRule::GenderedName),
            (Field::PartyJoinDate, "du bi") => return (Some(Field::PartyJoinDate), None, ColumnRule::GroupField),
            (Field::PartyJoinDate, "chinh thuc") => return (None, None, ColumnRule::LooksLikeField),
            _ => {}
        }
        // Under a planning group every sub-column is a post planned for, marked "x".
        if group_field == Field::Planning && !is_letter(leaf) {
            let at = levels.iter().position(|l| l == group_label).unwrap_or(0);
            let post = levels[at + 1..].iter().map(|l| tonghop_model::text::clean(l)).collect::<Vec<_>>().join(" ");
            return (Some(Field::Planning), Some(post), ColumnRule::GroupOption);
        }
        if group_field == Field::FullName
            && let Some((f @ (Field::FamilyName | Field::GivenName), _)) = leaf_field
        {
            return (Some(f), None, ColumnRule::NameParts);
        }
        if is_letter(leaf) {
            return (None, None, ColumnRule::Unused);
        }
        // The group's other values, written ("Dân tộc › Kinh │ Dân tộc thiểu số (ghi rõ)",
        // "Tôn giáo › Khác (ghi rõ)"): the field, its value in the cell.
        if is_written_other(group_field, &folded_leaf) {
            return (Some(group_field), None, ColumnRule::GroupField);
        }
        // (Under the committee a level is one even where it names the committee alone:
        // "Cấp ủy › BT │ PBT │ BTV │ ĐUV".)
        if (leaf_field.is_none() || group_field == Field::Committee) && is_option(group_field, leaf) {
            return (Some(group_field), Some(tonghop_model::text::clean(leaf)), ColumnRule::GroupOption);
        }
        // A general label ("Trình độ") takes its group's field only when that field is a
        // level: under "Đào tạo" (training courses) it keeps its own meaning.
        let level = matches!(
            group_field,
            Field::PoliticalTheory
                | Field::Professional
                | Field::StateManagement
                | Field::GeneralEducation
                | Field::It
                | Field::ForeignLanguage
                | Field::EthnicLanguage
                | Field::Category
                | Field::Committee
        );
        if level && GENERAL_LABELS.contains(&folded_leaf.as_str()) {
            return (Some(group_field), None, ColumnRule::GroupField);
        }
        // Under a group of posts ("Chức vụ Đảng › Bí thư", "Chức vụ chính quyền › Chủ tịch
        // UBND"), a post's name is one of the group's values, marked "x" for its holders.
        // The post is the label with its group's body ("Phó Chủ tịch" under "Chức vụ HĐND" is
        // the HĐND's), or the label alone when it names its body ("Chủ tịch UBND"); a bare
        // title under a body no post names ("Bí thư" under "Chức vụ đoàn thể") is none.
        if group_field == Field::Positions
            && let Some(post) = post_under(group_label, leaf)
        {
            return (Some(Field::Positions), Some(post), ColumnRule::GroupOption);
        }
        if leaf_field.is_none()
            && let Some((f, _)) = mapped(&format!("{group_label} {leaf}").replace(['\n', '\r'], " "), config)
        {
            return (Some(f), None, ColumnRule::GroupAndLabel);
        }
    }
    // A field and one of its values in one snake_case label ("llct_sc"): one-hot. Only
    // there: "Giới tính (Nam/Nữ)" ends with a value and is no one-hot column.
    if let Some((f, ColumnRule::Label)) = leaf_field
        && leaf.contains('_')
    {
        let folded = fold_words(leaf);
        if let Some((head, last)) = folded.rsplit_once(' ')
            && is_option(f, last)
            && field_of(head) == Some(f)
        {
            return (Some(f), Some(last.to_uppercase()), ColumnRule::GroupOption);
        }
    }
    // "Nữ" alone (or under a group naming no field: "Trong đó › Nữ"): the women, marked.
    if leaf_field.is_none() && matches!(leaf.trim().to_lowercase().as_str(), "nữ" | "nu" | "phụ nữ") {
        return (Some(Field::Gender), Some("Nữ".to_owned()), ColumnRule::GroupOption);
    }
    match leaf_field {
        Some((f, rule)) => (Some(f), None, rule),
        None => (None, None, ColumnRule::Unused),
    }
}

/// Tables side by side under one header (see [`Header::side_by_side`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideBySide {
    /// Where each copy of the first table starts, after the first.
    pub copies: Vec<u32>,
    /// Where another list beside the table starts, and the group that names it.
    pub other_list: Option<(u32, String)>,
}

/// Whether a group label over a list names people who are not the unit's officials: the
/// month's leavers ("Giảm", "Nghỉ việc"), relatives ("Vợ hoặc chồng", "Cha, mẹ").
fn names_other_people(label: &str) -> bool {
    let folded = fold_words(label);
    // Phrases anywhere; a relative's word only as the whole label ("Vợ", "Chồng"): "bộ" is
    // also "Cán bộ", "Bộ Nội vụ".
    const PHRASES: [&str; 14] = [
        "bien dong",
        "tang giam",
        "giam",
        "nghi viec",
        "nghi huu",
        "chuyen di",
        "thoi viec",
        "vo hoac chong",
        "vo chong",
        "cha me",
        "bo me",
        "nguoi than",
        "than nhan",
        "gia dinh",
    ];
    const RELATIVES: [&str; 6] = ["vo", "chong", "con", "cha", "me", "bo"];
    PHRASES.iter().any(|w| tonghop_model::text::find_words(&folded, w).is_some())
        || RELATIVES.contains(&folded.as_str())
        || folded
            .strip_prefix("ho ten ")
            .or_else(|| folded.strip_prefix("ho va ten "))
            .is_some_and(|who| RELATIVES.contains(&who))
}

/// A located header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// First header row (absolute, 0-based).
    pub first_row: u32,
    /// Last header row, including column-number or letter rows under it.
    pub last_row: u32,
    /// Every labelled column, in order, used or not.
    pub columns: Vec<Column>,
    /// When each person takes two rows, what the second row holds, column by column (the
    /// header's second row: "Họ và tên" over "Chức vụ", "Ngày sinh" over "Trình độ chuyên
    /// môn"); empty for records of one row.
    pub second_line: Vec<Column>,
    /// When each person takes three rows, what the third holds (a third header row under
    /// the second: "Quê quán", "Tôn giáo", "Quản lý nhà nước"); empty otherwise.
    pub third_line: Vec<Column>,
}

impl Header {
    /// Whether the labels are on one row (the rows under it, if any, number the columns).
    pub fn labels_on_one_row(&self, grid: &SheetGrid) -> bool {
        (self.first_row + 1..=self.last_row).all(|r| is_column_number_row(grid, r))
    }

    /// The column of the first occurrence of `field`.
    pub fn column_of(&self, field: Field) -> Option<u32> {
        self.columns.iter().find(|c| c.field == Some(field)).map(|c| c.col)
    }

    /// The unit's column: of several ("Mã đơn vị" and "Tên đơn vị", "Mã ĐV" and "Đơn vị"),
    /// the one naming units rather than coding them.
    pub fn unit_column(&self) -> Option<u32> {
        let units = || self.columns.iter().filter(|c| c.field == Some(Field::Unit));
        units().find(|c| !fold_words(&c.header).starts_with("ma ")).or_else(|| units().next()).map(|c| c.col)
    }

    /// The used columns, in order.
    pub fn mapped(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.field.is_some())
    }

    /// Where the same table starts again to the right, when the header is one table's
    /// printed twice or more side by side ("STT | Họ và tên | Năm sinh | Chức vụ" twice, to
    /// fill a landscape page): the first column of each copy after the first. A copy repeats
    /// every field of the first at the same offset, the name and one other field at least.
    /// A copy under a group naming other people ("Giảm", "Vợ hoặc chồng") is another list
    /// beside the table: where it starts, and its group.
    pub fn side_by_side(&self, grid: &SheetGrid) -> SideBySide {
        let anchor = |c: &&Column| {
            c.field == Some(Field::FullName) && c.rule != ColumnRule::GenderedName || c.field == Some(Field::FamilyName)
        };
        let names: Vec<&Column> = self.columns.iter().filter(anchor).collect();
        let mut found = SideBySide::default();
        let (Some(first_name), Some(start)) = (names.first(), self.columns.first().map(|c| c.col)) else {
            return found;
        };
        // A column's groups: its labels above its own, and the text over it on the row above
        // the header (a group the header search left as a title: "Cán bộ │ Vợ hoặc chồng").
        // The text over a copy is looked for over its first column and its name's (merged
        // ranges are not always read), up to three rows above the header ("BIẾN ĐỘNG TRONG
        // THÁNG" over a table beside the roster).
        let group = |c: &Column, copy_start: u32| {
            let mut labels = c.path[..c.path.len().saturating_sub(1)].to_vec();
            let above = self.first_row.saturating_sub(3).max(grid.origin.0)..self.first_row;
            let over = above.rev().find_map(|row| {
                [copy_start, c.col].into_iter().find_map(|col| {
                    let (r, col) = grid.merge_at(row, col).map_or((row, col), |m| (m.start.0, m.start.1));
                    match grid.get(r, col) {
                        CellValue::Text(t) => Some(tonghop_model::text::clean(t)),
                        _ => None,
                    }
                })
            });
            labels.extend(over);
            labels
        };
        let first_group = group(first_name, start);
        let lead = first_name.col - start;
        let field_at = |col: u32| self.columns.iter().find(|c| c.col == col).and_then(|c| c.field);
        // The first copy's mapped columns, by their offset from its first column.
        let first_copy = |width: u32| -> Vec<(u32, Field)> {
            self.columns
                .iter()
                .filter(|c| c.col < start + width)
                .filter_map(|c| c.field.map(|f| (c.col - start, f)))
                .collect()
        };
        let mut width: Option<u32> = None;
        for name in &names[1..] {
            let Some(copy) = name.col.checked_sub(lead).filter(|&c| c > start) else { continue };
            let w = width.unwrap_or(copy - start);
            // Copies follow each other at the first one's width.
            if (copy - start) % w != 0 || w < 2 {
                continue;
            }
            let first = first_copy(w);
            if first.len() < 2 || !first.iter().all(|&(offset, f)| field_at(copy + offset) == Some(f)) {
                continue;
            }
            let its_group = group(name, copy);
            if its_group != first_group && its_group.iter().any(|g| names_other_people(g)) {
                found.other_list = Some((copy, its_group.join(" › ")));
                break;
            }
            width = Some(w);
            found.copies.push(copy);
        }
        // Another table beside, not a copy, under a title naming other people ("BIẾN ĐỘNG
        // TRONG THÁNG": its own "Họ và tên", "Chức vụ").
        if found.other_list.is_none() {
            for name in &names[1..] {
                let before = name.col.checked_sub(1).and_then(field_at);
                let start = if before == Some(Field::RowNumber) { name.col - 1 } else { name.col };
                let its_group = group(name, start);
                if its_group != first_group && its_group.iter().any(|g| names_other_people(g)) {
                    found.copies.retain(|&c| c < start);
                    found.other_list = Some((start, its_group.join(" › ")));
                    break;
                }
            }
        }
        found
    }

    /// Whether the header names people: a full name, or a split name.
    fn has_name(&self) -> bool {
        self.column_of(Field::FullName).is_some()
            || (self.column_of(Field::FamilyName).is_some() && self.column_of(Field::GivenName).is_some())
    }

    /// The distinct fields mapped.
    fn distinct_fields(&self) -> usize {
        let set: std::collections::BTreeSet<Field> = self.mapped().filter_map(|c| c.field).collect();
        set.len()
    }

    /// How many columns read a level a column before them already reads, without an option
    /// of its own to tell them apart (two "Lý luận chính trị" columns).
    fn repeated_fields(&self) -> usize {
        let levels = [Field::Professional, Field::PoliticalTheory, Field::StateManagement];
        let read: Vec<Field> = self
            .mapped()
            .filter(|c| c.option.is_none())
            .filter_map(|c| c.field)
            .filter(|f| levels.contains(f))
            .collect();
        let distinct: std::collections::BTreeSet<&Field> = read.iter().collect();
        read.len() - distinct.len()
    }
}

/// The merged range that holds a cell, if any.
fn merge_of(grid: &SheetGrid, row: u32, col: u32) -> Option<&calamine::Dimensions> {
    grid.merge_at(row, col)
}

/// The text of a cell, with merged regions filled from their top-left cell.
fn header_str(grid: &SheetGrid, row: u32, col: u32) -> Option<&str> {
    let value = match grid.get(row, col) {
        CellValue::Empty => merge_of(grid, row, col).map_or(&CellValue::Empty, |m| grid.get(m.start.0, m.start.1)),
        v => v,
    };
    match value {
        CellValue::Text(s) if !s.trim().is_empty() && s.len() <= MAX_HEADER_CHARS * 4 => Some(s),
        _ => None,
    }
}

/// Whether a row holds column numbers or letters (1, 2, 3...; "(1)", "(2)"...; A, B, C...).
pub(crate) fn is_column_number_row(grid: &SheetGrid, row: u32) -> bool {
    let mut expected = 1.0;
    let mut seen = 0;
    for col in grid.origin.1..grid.end_col() {
        let n = match grid.get(row, col) {
            CellValue::Empty => continue,
            CellValue::Number(n) => *n,
            CellValue::Text(s) => {
                let t = s.trim().trim_matches(|c| c == '(' || c == ')');
                if let Ok(n) = t.parse::<f64>() {
                    n
                } else if t.chars().count() == 1 && t.chars().all(|c| c.is_ascii_alphabetic()) {
                    seen += 1;
                    continue;
                } else {
                    return false;
                }
            }
            _ => return false,
        };
        if (n - expected).abs() > f64::EPSILON && n <= expected {
            return false;
        }
        expected = n + 1.0;
        seen += 1;
    }
    seen >= 3
}

/// The header path of every column for header rows `first..=last`: merged cells filled
/// from their top-left cell, a group label without merge information carried right over
/// the columns that have a label below it, repeated labels of a vertical merge kept once.
fn levels(grid: &SheetGrid, first: u32, last: u32) -> Vec<Vec<String>> {
    let (c0, end_col) = (grid.origin.1, grid.end_col());
    let mut out: Vec<Vec<String>> = vec![Vec::new(); (end_col - c0) as usize];
    for row in first..=last {
        let mut carried: Option<&str> = None;
        for col in c0..end_col {
            let i = (col - c0) as usize;
            let text = header_str(grid, row, col);
            let below = row < last && (row + 1..=last).any(|r| header_str(grid, r, col).is_some());
            let text = match text {
                Some(t) => {
                    // Only a group label written in one cell is carried: a merged one says
                    // its own extent.
                    carried = merge_of(grid, row, col).is_none().then_some(t);
                    Some(t)
                }
                None if below => carried,
                None => {
                    carried = None;
                    None
                }
            };
            if let Some(t) = text
                && out[i].last().map(String::as_str) != Some(t)
            {
                out[i].push(t.to_owned());
            }
        }
    }
    out
}

/// Whether a cell's text reads as a header label (short, no date or number).
fn is_label_like(text: &str) -> bool {
    let words = fold_words(text);
    !words.is_empty() && words.split(' ').count() <= 10 && !text.chars().all(|c| c.is_ascii_digit() || c == ' ')
}

/// Whether two labels are the same words, spaces and punctuation aside ("so_dien_thoai",
/// "sodienthoai", "Số điện thoại").
fn same_words(a: &str, b: &str) -> bool {
    let compact = |s: &str| fold_words(s).replace(' ', "");
    compact(a) == compact(b)
}

/// Whether `row` continues the header block `first..=last` whose name column is
/// `name_col`: nothing but labels, nothing (or a name part's label) under the name.
fn continues_header(grid: &SheetGrid, row: u32, first: u32, last: u32, name_col: u32, config: &Config) -> bool {
    if row >= grid.end_row() || is_column_number_row(grid, row) {
        return false;
    }
    // A row of hints under the labels ("(dd/mm/yyyy)", "(ghi Có/Không)"): how to write
    // each column, part of the header.
    let values: Vec<&CellValue> =
        (grid.origin.1..grid.end_col()).map(|col| grid.get(row, col)).filter(|v| !v.is_empty()).collect();
    if !values.is_empty() && values.iter().all(|v| matches!(v, CellValue::Text(t) if is_hint(t))) {
        return true;
    }
    // Under the name: nothing, a name part's label, or the name's label again (a row of
    // labels under a row of software keys: "hoten" over "Họ tên").
    match grid.get(row, name_col) {
        CellValue::Empty => {}
        CellValue::Text(t) if matches!(field_of(t), Some(Field::FamilyName | Field::GivenName | Field::FullName)) => {}
        _ => return false,
    }
    let above = levels(grid, first, last);
    let c0 = grid.origin.1;
    let mut named = 0;
    for col in c0..grid.end_col() {
        match grid.get(row, col) {
            CellValue::Empty => {}
            CellValue::Text(t) => {
                if !is_label_like(t) {
                    return false;
                }
                let mut path = above[(col - c0) as usize].clone();
                let shallow = column_role(&path, config);
                path.push(t.clone());
                let deeper = column_role(&path, config);
                let under_group = (first..=last).any(|r| merge_of(grid, r, col).is_some_and(|m| m.end.1 > m.start.1));
                if (deeper.0.is_some() && (deeper.0, &deeper.1) != (shallow.0, &shallow.1)) || under_group {
                    named += 1;
                } else if (shallow.0.is_some() && field_of(t) == shallow.0)
                    || above[(col - c0) as usize].last().is_some_and(|key| same_words(key, t))
                {
                    // The column's label said again in words ("ngaysinh" over "Ngày sinh
                    // (dd/mm/yyyy)", "sodienthoai" over "Số điện thoại"), however long: a
                    // label, not data.
                } else if fold_words(t).split(' ').count() >= 3 && !above[(col - c0) as usize].is_empty() {
                    // A long text under a column that already has its label is data.
                    return false;
                }
            }
            _ => return false,
        }
    }
    named > 0
}

/// Whether a header row names a person: a full-name label or a split name's label.
fn name_column(grid: &SheetGrid, row: u32, config: &Config) -> Option<u32> {
    let (c0, end_col) = (grid.origin.1, grid.end_col());
    let (mut family, mut given) = (None, None);
    for col in c0..end_col {
        match header_str(grid, row, col).and_then(|t| mapped(t, config)).map(|m| m.0) {
            Some(Field::FullName) => return Some(col),
            Some(Field::FamilyName) if family.is_none() => family = Some(col),
            Some(Field::GivenName) if given.is_none() => given = Some(col),
            _ => {}
        }
    }
    family.or(given)
}

/// The header of a sheet whose merged ranges are not read yet, or `None` when they may
/// change it and are worth reading (they cost a second pass over the sheet's part).
/// Without merges, group labels are carried right over the labels under them, which reads
/// most multi-row headers; a merge still matters when no header is found although a row
/// names a name column, when the row under the header holds no name (a header row that is
/// all merged cells), or when the first data row has values under no label (a label merged
/// over two columns). `Some(None)`: no header, and merges would not make one.
pub fn header_without_merges(grid: &SheetGrid, config: &Config) -> Option<Option<Header>> {
    let Some(h) = find_header(grid, config) else {
        let (r0, _) = grid.origin;
        let last_search = (r0 + HEADER_SEARCH_ROWS).min(grid.end_row());
        return if (r0..last_search).any(|row| name_column(grid, row, config).is_some()) { None } else { Some(None) };
    };
    if header_needs_merges(grid, &h) { None } else { Some(Some(h)) }
}

fn header_needs_merges(grid: &SheetGrid, h: &Header) -> bool {
    let name_col = h.column_of(Field::FullName).or_else(|| h.column_of(Field::FamilyName)).unwrap_or(grid.origin.1);
    // The first row with a name, past section rows ("I. CÁN BỘ") and blank ones; a header
    // row that is all merged cells shows as a row without one.
    let rows = h.last_row + 1..grid.end_row().min(h.last_row + 4);
    let Some(data_row) = rows.clone().find(|&r| !grid.get(r, name_col).is_empty()) else {
        return rows.start < grid.end_row();
    };
    let nonblank = |r: u32| (grid.origin.1..grid.end_col()).any(|c| !grid.get(r, c).is_empty());
    if (rows.start..data_row)
        .any(|r| nonblank(r) && (grid.origin.1..grid.end_col()).filter(|&c| !grid.get(r, c).is_empty()).count() > 1)
    {
        // A row of several values and no name between the header and the first name: a
        // header row read as data.
        return true;
    }
    let (Some(first), Some(last)) = (h.columns.first().map(|c| c.col), h.columns.last().map(|c| c.col)) else {
        return false;
    };
    (first..=last).any(|c| !grid.get(data_row, c).is_empty() && !h.columns.iter().any(|col| col.col == c))
}

/// Finds the header: the first row, within [`HEADER_SEARCH_ROWS`] of `from`, that names
/// people and, with the rows under it, at least one other field. The block runs down to
/// the end of the vertical merges that start on its first row, then over the rows that
/// hold only sub-labels, then over column-number or letter rows.
///
/// A sheet with no header in its first rows is searched down to [`DEEP_HEADER_ROWS`]: a
/// report written first in words, its list under it ("Báo cáo … | Danh sách kèm theo").
pub fn find_header(grid: &SheetGrid, config: &Config) -> Option<Header> {
    find_header_within(grid, grid.origin.0, HEADER_SEARCH_ROWS, config).or_else(|| {
        let below = grid.origin.0 + HEADER_SEARCH_ROWS;
        (below < grid.end_row()).then(|| find_header_within(grid, below, DEEP_HEADER_ROWS, config)).flatten()
    })
}

/// How far below the first rows a header is looked for, when none is there.
pub const DEEP_HEADER_ROWS: u32 = 300;

/// [`find_header`] from row `from` down (a second table stacked under the first).
pub fn find_header_from(grid: &SheetGrid, from: u32, config: &Config) -> Option<Header> {
    find_header_within(grid, from, HEADER_SEARCH_ROWS, config)
}

/// The header within `rows` rows from `from`.
fn find_header_within(grid: &SheetGrid, from: u32, rows: u32, config: &Config) -> Option<Header> {
    let last_search = from.saturating_add(rows).min(grid.end_row());
    for row in from..last_search {
        let Some(name_col) = name_column(grid, row, config) else { continue };
        // The block starts where the name cell's merge starts, and reaches at least the end
        // of the merges that start on that row.
        let first = merge_of(grid, row, name_col).map_or(row, |m| m.start.0.max(from));
        let mut last = grid
            .merges
            .iter()
            .filter(|m| m.start.0 == first && m.end.0 > first)
            .map(|m| m.end.0)
            .max()
            .unwrap_or(first)
            .max(row)
            .min(first + MAX_HEADER_ROWS - 1)
            .min(grid.end_row().saturating_sub(1));
        while last + 1 < first + MAX_HEADER_ROWS && continues_header(grid, last + 1, first, last, name_col, config) {
            last += 1;
        }
        let mut header = Header {
            first_row: first,
            last_row: last,
            columns: resolve_columns(grid, first, last, config),
            second_line: Vec::new(),
            third_line: Vec::new(),
        };
        if !header.has_name() && last > row {
            // The rows below changed what the name column means: they are not header rows,
            // unless the one row below labels each person's second row.
            let second_line = if last == row + 1 { second_line_of(grid, row, last, config) } else { Vec::new() };
            header = Header {
                first_row: first,
                last_row: if second_line.is_empty() { row } else { last },
                columns: resolve_columns(grid, first, row, config),
                second_line,
                third_line: Vec::new(),
            };
        }
        if !header.has_name() || header.distinct_fields() < 2 || is_relatives_table(&header) {
            continue;
        }
        // Labels on the row above the name's, in cells of their own, over columns the block
        // leaves unlabelled ("TT", "Ghi chú" beside "Thông tin cá nhân" over "Họ và tên"):
        // that row is the header's first, its group labels carried over their columns.
        // So does a row of group labels over columns the header reads as the same field twice
        // ("Tiêu chuẩn theo quy định" and "Trình độ hiện có" over "Lý luận chính trị"): the
        // groups tell them apart.
        if header.first_row > from
            && header.last_row - header.first_row + 1 < MAX_HEADER_ROWS
            && (labels_above_belong(grid, header.first_row - 1, &header, config)
                || (header.repeated_fields() > 0 && only_labels(grid, header.first_row - 1)))
        {
            let extended = Header {
                first_row: header.first_row - 1,
                last_row: header.last_row,
                columns: resolve_columns(grid, header.first_row - 1, header.last_row, config),
                second_line: Vec::new(),
                third_line: Vec::new(),
            };
            if extended.has_name()
                && (extended.distinct_fields() > header.distinct_fields()
                    || (extended.distinct_fields() == header.distinct_fields()
                        && extended.repeated_fields() < header.repeated_fields()))
            {
                header = extended;
            }
        }
        // A row of labels under the header for each person's second row (where no merge
        // joined it to the header, it reads as a first row of data naming no one).
        if header.second_line.is_empty() && header.last_row + 1 < grid.end_row() {
            let second_line = second_line_of(grid, header.last_row, header.last_row + 1, config);
            if !second_line.is_empty() {
                header.last_row += 1;
                header.second_line = second_line;
            }
        }
        // And a row of labels under the second line's for each person's third row.
        if !header.second_line.is_empty() && header.last_row + 1 < grid.end_row() {
            let third_line = third_line_of(grid, header.last_row + 1, &header, config);
            if !third_line.is_empty() {
                header.last_row += 1;
                header.third_line = third_line;
            }
        }
        // Or each label of one row written on two lines, the second line's for the second
        // row ("Họ và tên⏎Chức vụ").
        if header.second_line.is_empty() && header.labels_on_one_row(grid) {
            split_two_line_labels(grid, &mut header, config);
        }
        // The rows below say whether the second header row is one: the first row with data
        // names a person, the next names no one and has no row number. A section under the
        // header ("I | Cơ quan Đảng") or cells holding a name and a post on two lines read
        // as labels, but the data under them is one row per person.
        // Labels on two lines may also say that each cell holds its two values on two lines
        // ("Lục Văn Thỏa⏎Bí thư Đảng ủy"): one row per person, each line its label's.
        let values_on_two_lines = header.labels_on_one_row(grid) && values_on_two_lines_below(grid, &header);
        if !header.third_line.is_empty() && !two_row_records_below(grid, &header) {
            header.last_row -= 1;
            header.third_line.clear();
        }
        if !header.second_line.is_empty() && !values_on_two_lines && !two_row_records_below(grid, &header) {
            if header.labels_on_one_row(grid) {
                // Labels on two lines: each column's label is its whole text again.
                header.columns = resolve_columns(grid, header.first_row, header.last_row, config);
            } else {
                header.last_row -= 1;
            }
            header.second_line.clear();
        }
        let mut numbering = 0;
        while numbering < 2 && header.last_row + 1 < grid.end_row() && is_column_number_row(grid, header.last_row + 1) {
            header.last_row += 1;
            numbering += 1;
        }
        return Some(header);
    }
    None
}

/// A table of a person's relatives ("Mối quan hệ | Họ và tên | Năm sinh"): names, but not
/// of officials.
fn is_relatives_table(header: &Header) -> bool {
    header.columns.iter().any(|c| {
        c.path.iter().any(|label| {
            let folded = fold_words(label);
            folded == "quan he" || folded == "moi quan he" || folded.starts_with("quan he voi")
        })
    })
}

/// The header of rows `first..=last` (0-based) as a configuration gives them, without
/// searching; column-number rows among them are left out of the paths.
pub fn header_at(grid: &SheetGrid, first: u32, last: u32, config: &Config) -> Header {
    let last = last.min(grid.end_row().saturating_sub(1)).max(first);
    let mut label_last = last;
    while label_last > first && is_column_number_row(grid, label_last) {
        label_last -= 1;
    }
    Header {
        first_row: first,
        last_row: last,
        columns: resolve_columns(grid, first, label_last, config),
        second_line: Vec::new(),
        third_line: Vec::new(),
    }
}

/// What a label under another makes of a column, for a second line (see
/// [`second_line_of`]).
enum SecondLabel {
    /// The label above said again ("TT" under "TT", "Họ tên" under "Họ và tên").
    Same,
    /// The second line's column, and the field of the label above it.
    Column(Field, Column),
    /// No second line: a hint, no label above, a label over no field, a name said again.
    Not,
}

/// What label `lower` under label `upper` (of column `col`) makes of it: a second line's
/// column when both name fields, and different ones. A label naming no field ("Quê quán")
/// is a column the second row fills and nobody reads; under the name it is no second line.
fn second_label(col: u32, upper: Option<&str>, lower: &str, config: &Config) -> SecondLabel {
    // A hint ("(dd/mm/yyyy)") says how to write the column, not what a second row holds.
    if is_hint(lower) || !is_label_like(lower) {
        return SecondLabel::Not;
    }
    let Some(upper) = upper.and_then(|t| mapped(t, config)).map(|m| m.0) else { return SecondLabel::Not };
    let field = mapped(lower, config).map(|m| m.0);
    if field == Some(upper) {
        return SecondLabel::Same;
    }
    if upper == Field::FullName && field.is_none() {
        return SecondLabel::Not;
    }
    SecondLabel::Column(upper, line_column(col, lower, field))
}

/// The column of a person's second or third row labelled `label` (reading `field`).
fn line_column(col: u32, label: &str, field: Option<Field>) -> Column {
    let header = tonghop_model::text::clean(label);
    Column {
        col,
        legend: legend_of(&header),
        path: vec![header.clone()],
        header,
        field,
        option: None,
        rule: if field.is_some() { ColumnRule::SecondLine } else { ColumnRule::Unused },
        packed: Vec::new(),
    }
}

/// The second line's columns when they make one: under the name a field of its own (a
/// second row names no one), and another column beside it.
fn named_second_line(columns: &[(Field, Column)]) -> bool {
    columns.len() >= 2 && columns.iter().any(|(upper, _)| *upper == Field::FullName)
}

/// The labels of each person's second row, when header row `below` is one: under the
/// labels of row `above`, in cells of their own, labels that name other fields than the
/// ones above them ("Họ và tên" over "Chức vụ", "Ngày sinh" over "Trình độ chuyên môn"),
/// the name's column among them ([`second_label`]). A label merged down from `above`
/// belongs to both rows (the row number, a note). Empty for anything else: sub-labels of a
/// group, a hint, a label under no label, a name said again.
fn second_line_of(grid: &SheetGrid, above: u32, below: u32, config: &Config) -> Vec<Column> {
    let mut columns = Vec::new();
    for col in grid.origin.1..grid.end_col() {
        if merge_of(grid, below, col).is_some_and(|m| m.start.0 < below) {
            continue;
        }
        let Some(label) = header_str(grid, below, col) else { continue };
        // A label over several columns has sub-labels, not a second line.
        if merge_of(grid, above, col).is_some_and(|m| m.end.1 > m.start.1) {
            return Vec::new();
        }
        match second_label(col, header_str(grid, above, col), label, config) {
            SecondLabel::Same => {}
            SecondLabel::Column(upper, column) => columns.push((upper, column)),
            SecondLabel::Not => return Vec::new(),
        }
    }
    if named_second_line(&columns) { columns.into_iter().map(|(_, c)| c).collect() } else { Vec::new() }
}

/// The labels of each person's third row, when header row `row` (under the second line's)
/// is one: labels in cells of their own, none merged down from above (those belong to
/// every row: the number, a note), none naming the name, and two at least naming fields
/// that neither the first nor the second line names in their column ("Quê quán | Ngạch |
/// Tôn giáo | Quản lý nhà nước" under "Ngày sinh | Ngày bổ nhiệm | Dân tộc | Lý luận chính
/// trị"). Empty for anything else.
fn third_line_of(grid: &SheetGrid, row: u32, header: &Header, config: &Config) -> Vec<Column> {
    let mut columns = Vec::new();
    for col in grid.origin.1..grid.end_col() {
        if merge_of(grid, row, col).is_some_and(|m| m.start.0 < row) {
            continue;
        }
        let Some(label) = header_str(grid, row, col) else { continue };
        if is_hint(label) || !is_label_like(label) {
            return Vec::new();
        }
        let field = mapped(label, config).map(|m| m.0);
        let above = |line: &[Column]| line.iter().find(|c| c.col == col).and_then(|c| c.field);
        let first = header.columns.iter().find(|c| c.col == col).and_then(|c| c.field);
        if matches!(field, Some(Field::FullName | Field::FamilyName | Field::GivenName))
            || field.is_some_and(|f| Some(f) == first || Some(f) == above(&header.second_line))
        {
            return Vec::new();
        }
        columns.push(line_column(col, label, field));
    }
    if columns.iter().filter(|c| c.field.is_some()).count() >= 2 { columns } else { Vec::new() }
}

/// Whether row `above` holds labels that belong to `header` below it: labels only
/// ([`only_labels`]), and a field's label over a column the header leaves unlabelled.
fn labels_above_belong(grid: &SheetGrid, above: u32, header: &Header, config: &Config) -> bool {
    only_labels(grid, above)
        && (grid.origin.1..grid.end_col()).any(|col| {
            matches!(grid.get(above, col), CellValue::Text(t) if mapped(t, config).is_some())
                && !header.columns.iter().any(|c| c.col == col)
        })
}

/// Whether a row holds short labels only (no title, no data, no hint), none merged over
/// most of the table, and no column numbers.
fn only_labels(grid: &SheetGrid, row: u32) -> bool {
    if is_column_number_row(grid, row) {
        return false;
    }
    let width = grid.end_col() - grid.origin.1;
    let mut any = false;
    for col in grid.origin.1..grid.end_col() {
        match grid.get(row, col) {
            CellValue::Empty => {}
            CellValue::Text(t) if is_label_like(t) && !is_hint(t) => {
                if merge_of(grid, row, col).is_some_and(|m| (m.end.1 - m.start.1 + 1) * 2 > width) {
                    return false;
                }
                any = true;
            }
            _ => return false,
        }
    }
    any
}

/// Whether the data under `header` (with a second line) starts as records of two rows do:
/// the row under the first that names a person (sections may come first) has no row
/// number, names no one in the name's column ([`crate::rows::names_no_one`]) and holds
/// something in a column the second line labels.
fn two_row_records_below(grid: &SheetGrid, header: &Header) -> bool {
    let Some(name_col) = header.column_of(Field::FullName) else { return false };
    // A person's first row: a name and something beside it (a section "CÁN BỘ" is alone).
    let names_someone = |row: u32| {
        matches!(grid.get(row, name_col), CellValue::Text(t) if crate::rows::is_name_like(t.trim()))
            && (grid.origin.1..grid.end_col()).any(|c| c != name_col && !grid.get(row, c).is_empty())
    };
    let last = grid.end_row().min(header.last_row + 1 + HEADER_SEARCH_ROWS);
    let Some(first) = (header.last_row + 1..last).find(|&r| names_someone(r)) else { return false };
    let second = first + 1;
    let numbered = header.column_of(Field::RowNumber).is_some_and(|c| !grid.get(second, c).is_empty());
    let second_line = header.second_line.iter().any(|s| !grid.get(second, s.col).is_empty());
    let two_rows =
        second < grid.end_row() && !numbered && second_line && crate::rows::names_no_one(grid.get(second, name_col));
    if header.third_line.is_empty() || !two_rows {
        return two_rows;
    }
    // Three rows: the third has something its labels say, no number, and the row after it
    // is the next person's (numbered, or naming someone) or the end.
    let third = second + 1;
    let fourth = third + 1;
    let third_numbered = header.column_of(Field::RowNumber).is_some_and(|c| !grid.get(third, c).is_empty());
    let third_line = header.third_line.iter().any(|s| !grid.get(third, s.col).is_empty());
    let next_person = fourth >= grid.end_row()
        || header.column_of(Field::RowNumber).is_some_and(|c| !grid.get(fourth, c).is_empty())
        || names_someone(fourth);
    third < grid.end_row() && !third_numbered && third_line && next_person
}

/// Whether people under `header` (labels written on two lines) have their values on two
/// lines in its cells: a name's cell holds a name, then another line. One of the first
/// rows is enough: a person without a post has a name alone.
fn values_on_two_lines_below(grid: &SheetGrid, header: &Header) -> bool {
    let Some(name_col) = header.column_of(Field::FullName) else { return false };
    let last = grid.end_row().min(header.last_row + 1 + HEADER_SEARCH_ROWS);
    (header.last_row + 1..last).any(|row| match grid.get(row, name_col) {
        CellValue::Text(t) => t
            .trim()
            .split_once('\n')
            .is_some_and(|(first, rest)| crate::rows::is_name_like(first.trim()) && !rest.trim().is_empty()),
        _ => false,
    })
}

/// Labels of one header row written on two lines, each line naming a field ("Họ và
/// tên⏎Chức vụ", "Ngày sinh⏎Quê quán"), the name's among them: each person takes two rows,
/// the first read by the first lines, the second by the second lines (see
/// [`second_line_of`]). Leaves the header as it is for anything else: a hint on the second
/// line ("Ngày sinh⏎(dd/mm/yyyy)"), a name whose second line names no field.
fn split_two_line_labels(grid: &SheetGrid, header: &mut Header, config: &Config) {
    let row = header.first_row;
    let mut columns = Vec::new();
    let mut firsts = Vec::new();
    for column in &header.columns {
        let Some(label) = header_str(grid, row, column.col) else { continue };
        let lines: Vec<&str> = label.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let [first, second] = lines[..] else { continue };
        // A hint on the second line ("Trình độ⏎(chuyên môn, LLCT, QLNN)") says how to fill
        // the column: no second line there, and no say over the others.
        if is_hint(second) || second.starts_with('(') {
            continue;
        }
        // A label wrapped over two lines ("Trình độ⏎chuyên môn", "Trình độ⏎LLCT"): its first
        // line alone names no field, or its second names the field the whole label does.
        if mapped(first, config).is_none()
            || (column.field.is_some() && mapped(second, config).map(|m| m.0) == column.field)
        {
            continue;
        }
        match second_label(column.col, Some(first), second, config) {
            SecondLabel::Same => {}
            SecondLabel::Column(upper, second) => {
                firsts.push((column.col, upper, tonghop_model::text::clean(first)));
                columns.push((upper, second));
            }
            SecondLabel::Not => return,
        }
    }
    // Or the name's label alone over a field's ("Họ và tên⏎Ngày, tháng, năm sinh"): the
    // values below say whether each cell holds both (`values_on_two_lines_below`).
    let name_over_field = matches!(&columns[..], [(Field::FullName, second)] if second.field.is_some());
    if !named_second_line(&columns) && !name_over_field {
        return;
    }
    for (col, field, label) in firsts {
        if let Some(column) = header.columns.iter_mut().find(|c| c.col == col) {
            column.field = Some(field);
            column.legend = legend_of(&label);
            column.header.clone_from(&label);
            column.path = vec![label];
            column.option = None;
            column.rule = ColumnRule::Label;
        }
    }
    header.second_line = columns.into_iter().map(|(_, c)| c).collect();
}

/// Applies a layout correction's columns: by letter (a column without a label gets one) or
/// by header text (its own label or its whole path, folded).
pub fn apply_layout(header: &mut Header, layout: &tonghop_model::config::Layout) {
    use tonghop_model::config::ColumnRef;
    for (at, field, option) in &layout.columns {
        let found = match at {
            ColumnRef::Letter(col) => {
                if !header.columns.iter().any(|c| c.col == *col) {
                    // A column without a label of its own.
                    header.columns.push(Column {
                        col: *col,
                        path: Vec::new(),
                        header: String::new(),
                        field: None,
                        option: None,
                        legend: Vec::new(),
                        rule: ColumnRule::Unused,
                        packed: Vec::new(),
                    });
                    header.columns.sort_by_key(|c| c.col);
                }
                header.columns.iter().position(|c| c.col == *col).into_iter().collect::<Vec<usize>>()
            }
            ColumnRef::Header(folded) => header
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    c.path.last().is_some_and(|l| fold_words(l) == *folded) || fold_words(&c.path.join(" ")) == *folded
                })
                .map(|(i, _)| i)
                .collect(),
        };
        for i in found {
            let c = &mut header.columns[i];
            c.field = *field;
            c.option.clone_from(option);
            c.rule = ColumnRule::Config;
        }
    }
}

/// Every labelled column of header rows `first..=last`, resolved.
fn resolve_columns(grid: &SheetGrid, first: u32, last: u32, config: &Config) -> Vec<Column> {
    let c0 = grid.origin.1;
    let all = levels(grid, first, last);
    let mut columns: Vec<Column> = Vec::new();
    for (i, labels) in all.iter().enumerate() {
        // A level that is only a bracketed hint ("(ngày/tháng/năm)") says how to write the
        // value, not what it is.
        let labels: Vec<String> = labels.iter().filter(|l| !is_hint(l)).cloned().collect();
        if labels.is_empty() {
            continue;
        }
        let labels = &labels;
        let (field, option, rule) = column_role(labels, config);
        let path: Vec<String> = labels.iter().map(|l| tonghop_model::text::clean(l)).collect();
        let header = path.join(" › ");
        let legend = path.last().map_or_else(Vec::new, |label| legend_of(label));
        let packed = path.last().map_or_else(Vec::new, |label| packed_fields(label));
        let (field, rule) = match packed.first() {
            Some(&first) if rule != ColumnRule::Config => (Some(first), ColumnRule::Packed),
            _ => (field, rule),
        };
        columns.push(Column { col: c0 + i as u32, path, header, field, option, legend, rule, packed });
    }
    for c in &mut columns {
        if c.field.is_none() && c.rule == ColumnRule::Unused && c.path.last().is_some_and(|l| looks_like_field(l)) {
            c.rule = ColumnRule::LooksLikeField;
        }
    }
    split_merged_name(grid, first, last, &mut columns);
    split_date(&mut columns, config);
    // One "Tên" column alone; several (a form repeated side by side) are no roster.
    if columns.iter().all(|c| c.field != Some(Field::FullName) && c.field != Some(Field::FamilyName))
        && columns.iter().filter(|c| c.field == Some(Field::GivenName)).count() == 1
        && let Some(given) = columns.iter_mut().find(|c| c.field == Some(Field::GivenName))
    {
        given.field = Some(Field::FullName);
        given.rule = ColumnRule::LoneGivenName;
    }
    columns
}

/// "Ngày | Tháng | Năm" under a birth date: the date in three columns, each column's
/// option saying its part.
fn split_date(columns: &mut [Column], config: &Config) {
    let part = |c: &Column| -> Option<&'static str> {
        let (group, leaf) = c.path.split_last().map(|(l, g)| (g, l))?;
        if !group.iter().any(|g| mapped(g, config).is_some_and(|m| m.0 == Field::BirthDate)) {
            return None;
        }
        // "Ngày sinh │ Tháng │ Năm": the first says "sinh" again.
        match fold_words(leaf).as_str() {
            "ngay" | "ngay sinh" => Some("ngày"),
            "thang" | "thang sinh" => Some("tháng"),
            "nam" | "nam sinh" => Some("năm"),
            _ => None,
        }
    };
    let parts: Vec<Option<&'static str>> = columns.iter().map(part).collect();
    // "Nam" beside "Ngày" and "Tháng" is the year, accents or not; without them it is a
    // man's birth date ("Nam | Nữ").
    let days_or_months = parts.iter().flatten().filter(|p| **p != "năm").count();
    if days_or_months == 0 {
        return;
    }
    for (c, p) in columns.iter_mut().zip(parts) {
        if let Some(p) = p {
            c.field = Some(Field::BirthDate);
            c.option = Some(p.to_owned());
            c.rule = ColumnRule::DateParts;
        }
    }
}

/// A name header merged over two columns with nothing under it holds family name | given
/// name.
fn split_merged_name(grid: &SheetGrid, first: u32, last: u32, columns: &mut [Column]) {
    for i in 0..columns.len().saturating_sub(1) {
        let (a, b) = (&columns[i], &columns[i + 1]);
        if a.field != Some(Field::FullName)
            || b.field != Some(Field::FullName)
            || a.path != b.path
            || b.col != a.col + 1
        {
            continue;
        }
        let same_merge = (first..=last).any(|r| {
            merge_of(grid, r, a.col).is_some_and(|m| m.start.1 <= a.col && b.col <= m.end.1 && m.end.1 == b.col)
        });
        if same_merge {
            columns[i].field = Some(Field::FamilyName);
            columns[i].rule = ColumnRule::NameParts;
            columns[i + 1].field = Some(Field::GivenName);
            columns[i + 1].rule = ColumnRule::NameParts;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Dimensions;

    #[test]
    fn an_online_forms_questions_name_their_fields() {
        assert_eq!(question_core("dong chi co phai la dang vien khong").as_deref(), Some("dang vien"));
        assert_eq!(question_core("lanh dao khong").as_deref(), Some("lanh dao"), "whole words only");
        assert_eq!(question_core("ho va ten"), None);
        assert_eq!(field_of("Đồng chí có phải là đảng viên không?"), Some(Field::PartyMember));
        assert_eq!(field_of("Cơ quan, đơn vị công tác"), Some(Field::Unit));
        assert_eq!(field_of("Họ và tên (viết đầy đủ, có dấu)"), Some(Field::FullName));
        // A question that states what was done ("Đã được …") names what it was done of.
        assert_eq!(field_of("Đã được bồi dưỡng kiến thức QLNN chương trình"), Some(Field::StateManagement));
        assert_eq!(field_of("Đã được bồi dưỡng kiến thức quản lý nhà nước chưa?"), Some(Field::StateManagement));
        assert_eq!(field_of("Trình độ chuyên môn cao nhất"), Some(Field::Professional));
    }

    #[test]
    fn a_group_naming_other_people() {
        for others in ["Vợ hoặc chồng", "Vợ", "Họ tên vợ", "BIẾN ĐỘNG TRONG THÁNG", "Giảm", "Cha, mẹ"]
        {
            assert!(names_other_people(others), "{others}");
        }
        for officials in ["CÁN BỘ CHUYÊN TRÁCH", "CÔNG CHỨC", "Mẫu 2C-BNV/2008 (của Bộ Nội vụ)", "Còn lại", "Tăng"]
        {
            assert!(!names_other_people(officials), "{officials}");
        }
    }

    #[test]
    fn an_english_templates_labels() {
        assert_eq!(field_of("Current position(s)"), Some(Field::Positions));
        assert_eq!(field_of("CPV member"), Some(Field::PartyMember));
        assert_eq!(field_of("Date of joining CPV"), Some(Field::PartyJoinDate));
    }

    #[test]
    fn under_a_name_and_its_birth_the_genders_are_birth_dates() {
        let role = |group: &str, leaf: &str| {
            let (field, option, rule) = column_role(&[group.to_owned(), leaf.to_owned()], &Config::default());
            (field, option, rule)
        };
        assert_eq!(role("Họ và tên", "Nữ"), (Some(Field::FullName), Some("Nữ".to_owned()), ColumnRule::GenderedName));
        assert_eq!(
            role("Họ và tên, năm sinh", "Nam"),
            (Some(Field::BirthDateMale), None, ColumnRule::GenderedBirthDate)
        );
        assert_eq!(
            role("Họ tên - Ngày sinh", "Nữ"),
            (Some(Field::BirthDateFemale), None, ColumnRule::GenderedBirthDate)
        );
    }

    #[test]
    fn a_label_listing_its_fields_packs_them() {
        use Field::*;
        assert_eq!(packed_fields("Trình độ (CM/LLCT/QLNN)"), [Professional, PoliticalTheory, StateManagement]);
        assert_eq!(packed_fields("Dân tộc/Tôn giáo"), [Ethnicity, Religion]);
        // Alternatives of one field, hints and dates are not packs.
        assert_eq!(packed_fields("Chức vụ/Chức danh"), []);
        assert_eq!(packed_fields("Ngày sinh (dd/mm/yyyy)"), []);
        assert_eq!(packed_fields("Ngày/tháng/năm sinh"), []);
        assert_eq!(packed_fields("Đảng viên (Có/Không)"), []);
        assert_eq!(packed_fields("Giới tính (Nam/Nữ)"), []);
        assert_eq!(packed_fields("Trình độ CM"), []);
        // A date, a post or a unit has slashes of its own.
        assert_eq!(packed_fields("Năm sinh/Năm vào Đảng"), []);
        assert_eq!(packed_fields("Chức vụ/Đơn vị công tác"), []);
        assert_eq!(packed_fields("Tin học/Ngoại ngữ"), [It, ForeignLanguage]);
    }

    fn text(s: &str) -> CellValue {
        if s.is_empty() { CellValue::Empty } else { CellValue::Text(s.to_owned()) }
    }

    fn grid(rows: &[&[&str]]) -> SheetGrid {
        SheetGrid::new("S", rows.iter().map(|r| r.iter().map(|s| text(s)).collect()).collect())
    }

    fn fields(h: &Header) -> Vec<Option<Field>> {
        h.columns.iter().map(|c| c.field).collect()
    }

    fn roles(h: &Header) -> Vec<(Option<Field>, Option<&str>)> {
        h.columns.iter().map(|c| (c.field, c.option.as_deref())).collect()
    }

    #[test]
    fn remembered_header_fields_equal_fresh_ones_across_the_memo_restart() {
        let texts: Vec<String> = (0..tonghop_model::memo::REMEMBERED + 10)
            .map(|i| match i % 4 {
                0 => "Họ và tên".to_owned(),
                1 => format!("Trình độ lý luận chính trị {i}"),
                2 => "Ngày, tháng, năm sinh".to_owned(),
                _ => format!("Cột {i}"),
            })
            .collect();
        for text in texts.iter().chain(&texts) {
            assert_eq!(field_of(text), field_of_uncached(text), "{text}");
        }
        assert_eq!(field_of("Họ và tên"), Some(Field::FullName));
    }

    #[test]
    fn header_spellings() {
        for s in [
            "Họ và tên",
            "Họ tên",
            "HỌ VÀ TÊN",
            "Ho va ten",
            "Họ, tên",
            "Họ và\ntên ",
            "HỌ VÀ TÊN\nHọ và tên khai sinh",
            "Họ tên viên chức",
            "HỌ TÊN ĐANG DÙNG",
            "hoten",
            "Ho_va_Ten",
            "Họ và tên*",
        ] {
            assert_eq!(field_of(s), Some(Field::FullName), "{s}");
        }
        for s in ["Họ tên bố", "Họ tên viên chức hỗ trợ (Email)", "Tên đơn vị"] {
            assert_ne!(field_of(s), Some(Field::FullName), "{s}");
        }
        for s in ["Trình độ LLCT", "Lý luận chính trị", "LLCT", "Chính trị", "LÝ LUẬN CHÍNH TRỊ (CC, TC, SC)"]
        {
            assert_eq!(field_of(s), Some(Field::PoliticalTheory), "{s}");
        }
        for s in ["Ngày, tháng, năm sinh", "Ngày sinh (d/m/Y)", "Ngày, tháng, năm sinh (định dạng dd-mm-yyyy)"]
        {
            assert_eq!(field_of(s), Some(Field::BirthDate), "{s}");
        }
        assert_eq!(field_of("Số CCCD/CMND"), Some(Field::NationalId));
        assert_eq!(field_of("Trình độ đào tạo"), Some(Field::Professional));
        assert_eq!(field_of("Chức vụ chính quyền, đoàn thể"), Some(Field::Positions));
        // The committee's own column, beside the positions column, is the committee.
        assert_eq!(field_of("CHỨC VỤ TRONG CẤP ỦY"), Some(Field::Committee));
        assert_eq!(field_of("Chức vụ cấp ủy"), Some(Field::Committee));
        assert_eq!(field_of("Chức danh quy hoạch"), Some(Field::Planning));
        assert_eq!(field_of("Đơn vị/ Vị trí công tác"), Some(Field::Unit));
        assert_eq!(field_of("Phòng (Đơn Vị)"), Some(Field::Unit));
        assert_eq!(field_of("Họ"), Some(Field::FamilyName));
        assert_eq!(field_of("Chữ đệm"), Some(Field::FamilyName), "the middle name joins the family name");
        assert_eq!(field_of("Tên đệm"), Some(Field::FamilyName));
        assert_eq!(field_of("Tên"), Some(Field::GivenName));
        for (s, f) in [
            ("TĐ CM", Field::Professional),
            ("TĐLLCT", Field::PoliticalTheory),
            ("Trình độ LL", Field::PoliticalTheory),
            ("CV hiện nay", Field::Positions),
            ("Ngày vào ĐCS", Field::PartyJoinDate),
            ("Năm vào Đảng", Field::PartyJoinDate),
            ("Q.Hoạch", Field::Planning),
            ("VH", Field::GeneralEducation),
            ("Full name", Field::FullName),
            ("Date of birth", Field::BirthDate),
            ("ngaysinh", Field::BirthDate),
            ("trinhdo_cm", Field::Professional),
        ] {
            assert_eq!(field_of(s), Some(f), "{s}");
        }
        assert_eq!(field_of("CV"), None, "a grade as much as a position");
        assert_eq!(field_of("lý luận ct"), Some(Field::PoliticalTheory));
        assert_eq!(field_of("Chưc vụ Đảng, chính quyền, đoàn thể"), Some(Field::Positions));
        for s in [
            "Trình độ chuyên môn đang học",
            "Chức vụ quy hoạch",
            "Chức vụ cũ",
            "Chức vụ trước khi nghỉ hưu",
            "Chức vụ đề nghị bổ nhiệm",
            "Ngày sinh hoạt Đảng",
            "Đang học đại học",
            "Đơn vị tính",
            "Đơn vị cũ",
            "Cấp ủy cũ",
        ] {
            assert!(
                !matches!(
                    field_of(s),
                    Some(
                        Field::Professional
                            | Field::Positions
                            | Field::BirthDate
                            | Field::PoliticalTheoryStudying
                            | Field::Unit
                            | Field::Committee
                    )
                ),
                "{s}: {:?}",
                field_of(s)
            );
        }
        assert_eq!(field_of("Chức danh dự kiến quy hoạch"), Some(Field::Planning));
        assert_eq!(field_of("Ngày vào Đảng chính thức"), Some(Field::PartyMember));
        for s in ["Sở thích", "PC chức vụ", "Đảng viên hoàn thành tốt nhiệm vụ", "Số thẻ Đảng viên", "Ngày cấp CMND"]
        {
            assert_eq!(field_of(s), None, "{s}");
        }
    }

    #[test]
    fn a_legend_of_codes_in_a_label_is_read_and_hints_are_not_legends() {
        let pairs = |label: &str| -> Vec<(String, String)> { legend_of(label) };
        let owned = |v: &[(&str, &str)]| v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect::<Vec<_>>();
        assert_eq!(pairs("Giới tính\n(1: Nam; 2: Nữ)"), owned(&[("1", "Nam"), ("2", "Nữ")]));
        assert_eq!(pairs("Đảng viên (1 = Có, 0 = Không)"), owned(&[("1", "Có"), ("0", "Không")]));
        assert_eq!(
            pairs("LLCT (0: Chưa; 1: Sơ cấp; 2: Trung cấp; 3: Cao cấp; 4: Cử nhân)").len(),
            5,
            "every level of the legend"
        );
        for hint in [
            "Ngày sinh (*)\n(dd/mm/yyyy)",
            "Chức vụ (1)",
            "Ghi chú (nếu có: lý do)",
            "Họ và tên",
            // The other way round: words are no codes.
            "Giới tính (Nam: 1; Nữ: 2)",
        ] {
            assert!(pairs(hint).is_empty(), "{hint}");
        }
    }

    #[test]
    fn words_cut_short_by_a_dot_are_the_words_they_begin() {
        for (label, field) in [
            ("Ng.sinh", Some(Field::BirthDate)),
            ("G.tính", Some(Field::Gender)),
            ("D.tộc", Some(Field::Ethnicity)),
            ("T.độ CM", Some(Field::Professional)),
            ("Tr.độ LLCT", Some(Field::PoliticalTheory)),
            ("T.độ QLNN", Some(Field::StateManagement)),
            ("Ng.vào Đảng", Some(Field::PartyJoinDate)),
            ("Ch.ngành", Some(Field::ProfessionalField)),
            // Nothing the cut word could begin, or a word that begins too many.
            ("X.sinh", None),
            ("Ng.", None),
            // A level alone is its group's; words that name no field beside one that does.
            ("Tr.độ", None),
            ("Đ.học", None),
            ("N.sinh", None),
            ("Đ.viên", None),
            ("STT.", Some(Field::RowNumber)),
        ] {
            assert_eq!(field_of(label), field, "{label}");
        }
    }

    #[test]
    fn header_below_a_title_block() {
        let g = grid(&[
            &["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", ""],
            &["ĐẢNG BỘ XÃ SƠN HÀ", "", ""],
            &["", "", ""],
            &["STT", "Họ và tên", "Ngày sinh", "Sở thích"],
            &["1", "Nguyễn Văn A", "12/05/1978", "x"],
        ]);
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (3, 3));
        assert_eq!(h.column_of(Field::FullName), Some(1));
        assert_eq!(h.column_of(Field::BirthDate), Some(2));
        let unused: Vec<&str> = h.columns.iter().filter(|c| c.field.is_none()).map(|c| c.header.as_str()).collect();
        assert_eq!(unused, vec!["Sở thích"]);
    }

    #[test]
    fn two_row_header_with_merged_groups_and_column_numbers() {
        let mut g = grid(&[
            &["STT", "Họ và tên", "Ngày, tháng, năm sinh", "", "Trình độ", ""],
            &["", "", "Nam", "Nữ", "LLCT", "Chuyên môn"],
            &["1", "2", "3", "4", "5", "6"],
            &["1", "Lò Thị B", "", "1980", "TC", "ĐH"],
        ]);
        g.merges = vec![
            Dimensions { start: (0, 2), end: (0, 3) },
            Dimensions { start: (0, 4), end: (0, 5) },
            Dimensions { start: (0, 0), end: (1, 0) },
            Dimensions { start: (0, 1), end: (1, 1) },
        ];
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 2));
        assert_eq!(
            fields(&h),
            [
                Field::RowNumber,
                Field::FullName,
                Field::BirthDateMale,
                Field::BirthDateFemale,
                Field::PoliticalTheory,
                Field::Professional
            ]
            .map(Some)
        );
        assert_eq!(h.columns[3].header, "Ngày, tháng, năm sinh › Nữ");
        assert_eq!(h.columns[3].rule, ColumnRule::GenderedBirthDate);
    }

    #[test]
    fn the_same_sub_labels_mean_what_their_group_says() {
        let mut g = grid(&[
            &["Họ và tên", "Ngày sinh", "", "Giới tính", "", "Lý luận chính trị", "", "Chuyên môn", ""],
            &["", "Nam", "Nữ", "Nam", "Nữ", "TC", "CC", "Trình độ", "Ngành"],
            &["Lò Thị B", "", "1980", "", "x", "x", "", "ĐH", "Luật"],
        ]);
        g.merges = vec![
            Dimensions { start: (0, 1), end: (0, 2) },
            Dimensions { start: (0, 3), end: (0, 4) },
            Dimensions { start: (0, 5), end: (0, 6) },
            Dimensions { start: (0, 7), end: (0, 8) },
        ];
        let h = find_header(&g, &Config::default()).unwrap();
        let roles = roles(&h);
        assert_eq!(
            roles,
            vec![
                (Some(Field::FullName), None),
                (Some(Field::BirthDateMale), None),
                (Some(Field::BirthDateFemale), None),
                (Some(Field::Gender), Some("Nam")),
                (Some(Field::Gender), Some("Nữ")),
                (Some(Field::PoliticalTheory), Some("TC")),
                (Some(Field::PoliticalTheory), Some("CC")),
                (Some(Field::Professional), None),
                (Some(Field::ProfessionalField), None),
            ]
        );
    }

    #[test]
    fn a_birth_date_in_day_month_year_columns_with_or_without_accents() {
        for (day, month, year) in [("Ngày", "Tháng", "Năm"), ("Ngay", "Thang", "Nam")] {
            let mut g = grid(&[&["Họ và tên", "Ngày sinh", "", "", "Giới tính"], &["", day, month, year, ""]]);
            g.merges = vec![Dimensions { start: (0, 1), end: (0, 3) }];
            let h = find_header(&g, &Config::default()).unwrap();
            let roles = roles(&h);
            assert_eq!(
                roles,
                vec![
                    (Some(Field::FullName), None),
                    (Some(Field::BirthDate), Some("ngày")),
                    (Some(Field::BirthDate), Some("tháng")),
                    (Some(Field::BirthDate), Some("năm")),
                    (Some(Field::Gender), None),
                ],
                "{year}"
            );
        }
    }

    #[test]
    fn a_planning_group_of_marked_posts_and_a_lone_column_of_women() {
        let mut g = grid(&[
            &["Họ và tên", "Trong đó", "Quy hoạch vào chức danh", ""],
            &["", "Nữ", "Bí thư", "CT UBND"],
            &["Lò Thị A", "x", "", "x"],
        ]);
        g.merges = vec![Dimensions { start: (0, 2), end: (0, 3) }, Dimensions { start: (0, 0), end: (1, 0) }];
        let h = find_header(&g, &Config::default()).unwrap();
        let roles = roles(&h);
        assert_eq!(
            roles,
            vec![
                (Some(Field::FullName), None),
                (Some(Field::Gender), Some("Nữ")),
                (Some(Field::Planning), Some("Bí thư")),
                (Some(Field::Planning), Some("CT UBND")),
            ]
        );
    }

    #[test]
    fn a_general_label_keeps_its_meaning_under_a_group_that_is_no_level() {
        let mut g = grid(&[&["Họ và tên", "Đào tạo", ""], &["", "Trình độ", "Ngành"]]);
        g.merges = vec![Dimensions { start: (0, 1), end: (0, 2) }];
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!(fields(&h), [Field::FullName, Field::Professional, Field::ProfessionalField].map(Some));
    }

    #[test]
    fn group_label_carries_right_without_merge_information() {
        let g = grid(&[&["Họ và tên", "Ngày sinh", "", "Dân tộc"], &["", "Nam", "Nữ", ""]]);
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!(
            fields(&h),
            [Field::FullName, Field::BirthDateMale, Field::BirthDateFemale, Field::Ethnicity].map(Some)
        );
    }

    #[test]
    fn a_name_split_in_two_columns() {
        // "Họ | Tên" as two labels.
        let g = grid(&[&["Họ", "Tên", "Ngày sinh"], &["Hoàng Minh", "Đức", "1970"]]);
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!(fields(&h), [Field::FamilyName, Field::GivenName, Field::BirthDate].map(Some));
        // "Họ và tên" over "Họ | Tên".
        let mut g = grid(&[&["Họ và tên", "", "Ngày sinh"], &["Họ", "Tên", ""], &["Hoàng Minh", "Đức", "1970"]]);
        g.merges = vec![Dimensions { start: (0, 0), end: (0, 1) }, Dimensions { start: (0, 2), end: (1, 2) }];
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        assert_eq!(fields(&h), [Field::FamilyName, Field::GivenName, Field::BirthDate].map(Some));
        // "Họ và tên" merged over two cells with nothing under it.
        let mut g = grid(&[&["Họ và tên", "", "Ngày sinh"], &["Hoàng Minh", "Đức", "1970"]]);
        g.merges = vec![Dimensions { start: (0, 0), end: (0, 1) }];
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!(fields(&h), [Field::FamilyName, Field::GivenName, Field::BirthDate].map(Some));
        assert_eq!(h.columns[0].rule, ColumnRule::NameParts);
        // A lone "Tên" column is the full name.
        let g = grid(&[&["Tên", "Ngày sinh"], &["Hoàng Minh Đức", "1970"]]);
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!(h.columns[0].field, Some(Field::FullName));
        assert_eq!(h.columns[0].rule, ColumnRule::LoneGivenName);
    }

    #[test]
    fn a_row_of_labels_under_software_keys_is_header_however_long_its_labels() {
        // "Ngày sinh (dd/mm/yyyy)" restates "ngaysinh" in words: the row is the header's,
        // and the values under "llct_sc › Sơ cấp" are marks of a level.
        let g = grid(&[
            &["stt", "hoten", "ngaysinh", "llct_sc", "llct_tc", "sodienthoai"],
            &["STT", "Họ tên", "Ngày sinh (dd/mm/yyyy)", "Sơ cấp", "Trung cấp", "Số điện thoại"],
            &["1", "Nông Văn Thiêm", "03/04/1968", "", "x", "0912345678"],
        ]);
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        assert_eq!(
            roles(&h),
            vec![
                (Some(Field::RowNumber), None),
                (Some(Field::FullName), None),
                (Some(Field::BirthDate), None),
                (Some(Field::PoliticalTheory), Some("Sơ cấp")),
                (Some(Field::PoliticalTheory), Some("Trung cấp")),
                (None, None),
            ]
        );
    }

    #[test]
    fn a_post_under_a_group_of_posts_is_read_with_the_groups_body() {
        assert_eq!(post_under("Chức vụ Đảng", "Bí thư").as_deref(), Some("Bí thư"));
        assert_eq!(post_under("Chức vụ HĐND", "Phó Chủ tịch").as_deref(), Some("Phó Chủ tịch HĐND"));
        assert_eq!(post_under("Chức vụ chính quyền, MTTQ", "Chủ tịch UBND").as_deref(), Some("Chủ tịch UBND"));
        // The mass organisations' secretary is the Youth Union's, not the Party's.
        let post = post_under("Chức vụ đoàn thể", "Bí thư").unwrap();
        let parsed = tonghop_model::codes::parse_positions(&post, tonghop_model::UnitKind::Xa).positions;
        assert_eq!(parsed, [tonghop_model::codes::Position::BiThuDoan]);
    }

    #[test]
    fn groups_over_a_level_read_twice_belong_to_the_header() {
        // The number and the post merged down over both rows label their columns from the
        // name's row; the row above still tells the post's standard from the holder's level.
        let mut g = grid(&[
            &["TT", "Chức danh", "Tiêu chuẩn theo quy định", "", "Người đảm nhiệm", "", "Trình độ hiện có", ""],
            &["", "", "Chuyên môn", "Lý luận chính trị", "Họ và tên", "Ngày sinh", "Chuyên môn", "Lý luận chính trị"],
            &["1", "Bí thư Đảng ủy", "Đại học", "Cao cấp", "Hoàng Minh Tuệ", "1970", "Đại học", "Trung cấp"],
        ]);
        g.merges = vec![
            Dimensions { start: (0, 0), end: (1, 0) },
            Dimensions { start: (0, 1), end: (1, 1) },
            Dimensions { start: (0, 2), end: (0, 3) },
            Dimensions { start: (0, 4), end: (0, 5) },
            Dimensions { start: (0, 6), end: (0, 7) },
        ];
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        let fields: Vec<Option<Field>> = h.columns.iter().map(|c| c.field).collect();
        assert_eq!(fields[2..4], [None, None], "the standard is the post's");
        assert_eq!(fields[6..8], [Some(Field::Professional), Some(Field::PoliticalTheory)]);
    }

    #[test]
    fn labels_split_over_two_rows_without_merges_are_read_whole() {
        // A PDF made back into a sheet: each label cut where its line ended, nothing merged.
        let g = grid(&[
            &["STT", "Họ và tên", "Ngày", "Giới", "Dân", "Trình độ", "Lý luận", "Ngày vào", "Ghi"],
            &["", "", "sinh", "tính", "tộc", "chuyên môn", "chính trị", "Đảng", "chú"],
            &["1", "Lành Văn Quyết", "05/09/1975", "Nam", "Tày", "Đại học", "Cao cấp", "12/10/1997", ""],
        ]);
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        let fields: Vec<Option<Field>> = h.columns.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            [
                Some(Field::RowNumber),
                Some(Field::FullName),
                Some(Field::BirthDate),
                Some(Field::Gender),
                Some(Field::Ethnicity),
                Some(Field::Professional),
                Some(Field::PoliticalTheory),
                Some(Field::PartyJoinDate),
                Some(Field::Note),
            ]
        );
    }

    #[test]
    fn one_hot_groups_and_three_header_rows() {
        let mut g = grid(&[
            &["STT", "Họ và tên", "Giới tính", "", "Trình độ", "", "", "", ""],
            &["", "", "Nam", "Nữ", "Chuyên môn", "Lý luận chính trị", "", "", ""],
            &["", "", "", "", "", "SC", "TC", "CC", "CN"],
            &["1", "Lò Văn A", "x", "", "ĐH", "", "x", "", ""],
        ]);
        g.merges = vec![Dimensions { start: (0, 4), end: (0, 8) }, Dimensions { start: (1, 5), end: (1, 8) }];
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 2));
        let roles = roles(&h);
        assert_eq!(
            roles,
            vec![
                (Some(Field::RowNumber), None),
                (Some(Field::FullName), None),
                (Some(Field::Gender), Some("Nam")),
                (Some(Field::Gender), Some("Nữ")),
                (Some(Field::Professional), None),
                (Some(Field::PoliticalTheory), Some("SC")),
                (Some(Field::PoliticalTheory), Some("TC")),
                (Some(Field::PoliticalTheory), Some("CC")),
                (Some(Field::PoliticalTheory), Some("CN")),
            ]
        );
    }

    #[test]
    fn a_rating_over_letters_is_not_a_field() {
        let mut g = grid(&[
            &["TT", "HỌ VÀ TÊN", "CHỨC VỤ", "PHÂN LOẠI", "", "", ""],
            &["", "", "", "A", "B", "C", "D"],
            &["1", "Lò Văn A", "Đội trưởng", "x", "", "", ""],
        ]);
        g.merges = vec![
            Dimensions { start: (0, 3), end: (0, 6) },
            Dimensions { start: (0, 0), end: (1, 0) },
            Dimensions { start: (0, 1), end: (1, 1) },
            Dimensions { start: (0, 2), end: (1, 2) },
        ];
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        assert_eq!(
            fields(&h),
            vec![Some(Field::RowNumber), Some(Field::FullName), Some(Field::Positions), None, None, None, None]
        );
    }

    #[test]
    fn unused_labels_that_look_like_a_field_are_flagged() {
        let g = grid(&[&["Họ và tên", "Ngày sinh", "Họ tên viên chức hỗ trợ (Email)", "PC chức vụ", "Sở thích"]]);
        let h = find_header(&g, &Config::default()).unwrap();
        let rules: Vec<ColumnRule> = h.columns.iter().map(|c| c.rule).collect();
        assert_eq!(
            rules,
            vec![
                ColumnRule::Label,
                ColumnRule::Label,
                ColumnRule::LooksLikeField,
                ColumnRule::Unused,
                ColumnRule::Unused
            ]
        );
    }

    #[test]
    fn a_data_row_is_not_a_second_header_row() {
        let g = grid(&[&["Họ và tên", "LLCT"], &["Lò Văn A", "TC"]]);
        let h = find_header(&g, &Config::default()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 0));
        assert_eq!(h.columns[1].option, None);
    }

    #[test]
    fn configured_synonyms_map_headers() {
        let g = grid(&[&["Cán bộ", "Trình độ chính trị hiện nay"], &["Lò Văn A", "TC"]]);
        assert!(find_header(&g, &Config::default()).is_none());
        let config = Config::from_toml_str(
            "[headers]\nfull_name = ['Cán bộ']\npolitical_theory = ['Trình độ chính trị hiện nay']",
            "c.toml",
        )
        .unwrap();
        let h = find_header(&g, &config).unwrap();
        assert_eq!(fields(&h), [Field::FullName, Field::PoliticalTheory].map(Some));
        assert_eq!(h.columns[0].rule, ColumnRule::Config);
    }

    #[test]
    fn no_header_no_roster() {
        assert!(find_header(&grid(&[&["a", "b"], &["1", "2"]]), &Config::default()).is_none());
        assert!(find_header(&SheetGrid::default(), &Config::default()).is_none());
    }
}
