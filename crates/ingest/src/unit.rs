//! Decides which registry unit a sheet or file belongs to, in the order of `inputs.md` §2:
//! a unit column (per row, see [`crate::rows`]), the title cells above the table, the
//! sheet name, the file name, the folder names. Two equal candidates or none: not guessed.

use tonghop_model::intake::UnitFoundBy;
use tonghop_model::units::{UnitId, UnitMatch, UnitMatcher};

use crate::IngestContext;
use crate::discover::FoundFile;

/// The outcome of deciding a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// One unit, and where it was found.
    Found(UnitId, UnitFoundBy),
    /// None, or several equally: what was seen, for the intake sheet.
    Unclear(String),
}

/// Decides from an ordered list of (source, text); an ambiguous source narrows the
/// candidates for the later ones, it never picks one of them by itself.
pub fn decide(sources: &[(UnitFoundBy, String)], matcher: &UnitMatcher) -> Decision {
    // What was seen is only written out when no unit is found.
    let mut seen: Vec<(UnitFoundBy, &str, Option<String>)> = Vec::new();
    let mut narrowed: Option<Vec<UnitId>> = None;
    for (by, text) in sources {
        if text.trim().is_empty() {
            continue;
        }
        match matcher.match_text(text) {
            UnitMatch::Found(id) => {
                if narrowed.as_ref().is_none_or(|c| c.contains(&id)) {
                    return Decision::Found(id, *by);
                }
                seen.push((*by, text, Some("khác với các đơn vị đã thấy".to_owned())));
            }
            UnitMatch::Ambiguous(ids) => {
                seen.push((*by, text, Some(format!("khớp {} đơn vị", ids.len()))));
                narrowed = Some(match narrowed {
                    Some(previous) => previous.into_iter().filter(|id| ids.contains(id)).collect(),
                    None => ids,
                });
            }
            UnitMatch::NotFound => seen.push((*by, text, None)),
        }
    }
    let seen: Vec<String> = seen
        .into_iter()
        .map(|(by, text, note)| match note {
            Some(note) => format!("{}: \"{}\" ({note})", by.label(), short(text)),
            None => format!("{}: \"{}\"", by.label(), short(text)),
        })
        .collect();
    Decision::Unclear(seen.join("; "))
}

fn short(text: &str) -> String {
    let clean = tonghop_model::text::clean(text);
    if clean.chars().count() > 80 { format!("{}…", clean.chars().take(80).collect::<String>()) } else { clean }
}

/// The file-name and folder-name sources of a file, innermost first.
pub fn path_sources(file: &FoundFile) -> Vec<(UnitFoundBy, String)> {
    let mut parts: Vec<&str> = file.rel_path.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut sources = vec![(UnitFoundBy::FileName, stem.to_owned())];
    sources.extend(parts.iter().rev().map(|p| (UnitFoundBy::FolderName, (*p).to_owned())));
    sources
}

/// The unit a configuration pin gives the file, if one matches.
fn pinned(file: &FoundFile, ctx: &IngestContext<'_>) -> Option<Decision> {
    let code = ctx.config.pinned_unit(&file.rel_path)?;
    ctx.registry.find_code(code, ctx.period).map(|id| Decision::Found(id, UnitFoundBy::Config))
}

/// Decides from a pin, then the file and folder names alone (for a file that cannot be
/// opened).
pub fn from_path(file: &FoundFile, ctx: &IngestContext<'_>) -> Decision {
    pinned(file, ctx).unwrap_or_else(|| decide(&path_sources(file), ctx.matcher()))
}

/// Decides for a sheet: a pin of its file, its title cells, its name, then the file's path.
pub fn for_sheet(title: &str, sheet_name: &str, file: &FoundFile, ctx: &IngestContext<'_>) -> Decision {
    if let Some(d) = pinned(file, ctx) {
        return d;
    }
    let (senders, references) = senders_words(title);
    let mut sources = vec![(UnitFoundBy::Title, senders), (UnitFoundBy::SheetName, sheet_name.to_owned())];
    sources.extend(path_sources(file));
    // The document a list is attached to is often the sender's own ("Kèm theo Báo cáo số
    // 46-BC/ĐU … của Đảng ủy xã Thanh Sơn"): its words count when nothing else names a unit.
    sources.push((UnitFoundBy::Title, references));
    decide(&sources, ctx.matcher())
}

/// The title cells (joined by " | ") without the words that name another body than the
/// sender, and those words apart: the instruction a list is attached to or answers ("(Kèm
/// theo Công văn số 215-CV/BTCHU … của Ban Tổ chức Huyện ủy)", "Thực hiện Công văn…", "Căn
/// cứ…"); a report of the sender's own it is attached to stays. A template sent down by the Board names the Board there, and the return
/// is a commune's. The addressee ("Kính gửi: Ban Tổ chức Huyện ủy") is never the sender: it
/// is left out of both.
fn senders_words(title: &str) -> (String, String) {
    use tonghop_model::text::{find_words, fold_words};
    // A reference to another document ("Kèm theo…", "Thực hiện…", "Căn cứ…"); a list
    // attached to the sender's own report or submission names the sender there ("Kèm theo
    // Báo cáo số 46-BC/ĐU … của Đảng ủy xã Thanh Sơn"), so it is no reference.
    let is_reference = |text: &str| {
        let folded = fold_words(text);
        ["kem theo", "thuc hien", "can cu", "theo cong van", "theo huong dan"].iter().any(|w| folded.starts_with(w))
            && !["bao cao", "to trinh"].iter().any(|own| find_words(&folded, own).is_some())
    };
    let (mut kept, mut references) = (Vec::new(), Vec::new());
    for cell in title.split(" | ") {
        if fold_words(cell).starts_with("kinh gui") {
            continue;
        }
        if is_reference(cell) {
            references.push(cell.to_owned());
            continue;
        }
        // A reference in brackets inside a cell goes apart; the rest of the cell stays.
        let mut own = String::new();
        let mut rest = cell;
        while let Some(open) = rest.find('(') {
            let (inside, after) = match rest[open + 1..].find(')') {
                Some(close) => (&rest[open + 1..open + 1 + close], open + close + 2),
                None => (&rest[open + 1..], rest.len()),
            };
            own.push_str(&rest[..open]);
            if is_reference(inside) {
                references.push(inside.to_owned());
            } else {
                own.push_str(&rest[open..after]);
            }
            rest = &rest[after..];
        }
        own.push_str(rest);
        if !own.trim().is_empty() {
            kept.push(own);
        }
    }
    (kept.join(" | "), references.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonghop_model::Registry;

    fn file(rel: &str) -> FoundFile {
        FoundFile {
            index: 0,
            rel_path: rel.into(),
            abs_path: rel.into(),
            size: 1,
            modified: None,
            is_spreadsheet: true,
            problem: None,
            archive_entry: None,
        }
    }

    fn ctx(registry: &Registry) -> IngestContext<'_> {
        IngestContext::new(registry, "2024-02".parse().unwrap())
    }

    fn decided(registry: &Registry, d: &Decision) -> String {
        match d {
            Decision::Found(id, by) => format!("{} by {}", registry.unit(*id).name, by.key()),
            Decision::Unclear(seen) => format!("unclear: {seen}"),
        }
    }

    #[test]
    fn order_is_title_sheet_file_folder() {
        let r = Registry::embedded();
        let m = ctx(&r);
        let f = file("Yen Binh/BC thang 2 - Son Ha (sua lan 2).xlsx");
        assert_eq!(decided(&r, &for_sheet("ĐẢNG BỘ XÃ CAI KINH", "Sheet1", &f, &m)), "Xã Cai Kinh by title");
        assert_eq!(decided(&r, &for_sheet("DANH SÁCH", "Hòa Lạc", &f, &m)), "Xã Hòa Lạc by sheet_name");
        assert_eq!(decided(&r, &for_sheet("", "Sheet1", &f, &m)), "Xã Sơn Hà by file_name");
        assert_eq!(decided(&r, &from_path(&file("Yen Binh/bao cao.xls"), &m)), "Xã Yên Bình by folder_name");
    }

    #[test]
    fn the_body_a_list_is_attached_to_or_sent_to_is_not_its_sender() {
        let r = Registry::embedded();
        let m = ctx(&r);
        // The Board's template, the unit line left as dots: the file name says whose it is.
        let title = "ĐẢNG BỘ HUYỆN HỮU LŨNG | ĐẢNG ỦY ...................... | DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ | \
                     (Kèm theo Công văn số 215-CV/BTCHU ngày 05/02/2024 của Ban Tổ chức Huyện ủy Hữu Lũng)";
        assert_eq!(decided(&r, &for_sheet(title, "Sheet1", &file("Hoa Son.xls"), &m)), "Xã Hòa Sơn by file_name");
        // A bracket left open is a reference still.
        let title = "DANH SÁCH CÁN BỘ (Kèm theo Công văn số 215-CV/BTCHU của Ban Tổ chức Huyện ủy";
        assert_eq!(decided(&r, &for_sheet(title, "Sheet1", &file("Hoa Son.xls"), &m)), "Xã Hòa Sơn by file_name");
        let title = "Kính gửi: Ban Tổ chức Huyện ủy Hữu Lũng | DANH SÁCH CÁN BỘ";
        assert_eq!(decided(&r, &for_sheet(title, "Sheet1", &file("Son Ha.xlsx"), &m)), "Xã Sơn Hà by file_name");
        // The sender's own name stays beside a reference.
        let title = "ĐẢNG ỦY XÃ THANH SƠN | DANH SÁCH (kèm theo Công văn số 215-CV/BTCHU của Ban Tổ chức Huyện ủy)";
        assert_eq!(decided(&r, &for_sheet(title, "Sheet1", &file("bao cao.xlsx"), &m)), "Xã Thanh Sơn by title");
        // The sender's own report it is attached to names the sender, ahead of the file's name.
        let title = "DANH SÁCH CÁN BỘ | (Kèm theo Báo cáo số 46-BC/ĐU của Đảng ủy xã Thanh Sơn)";
        assert_eq!(decided(&r, &for_sheet(title, "Sheet1", &file("Hoa Son.xlsx"), &m)), "Xã Thanh Sơn by title");
        // An instruction's words still name a unit when nothing else does.
        let title = "DANH SÁCH CÁN BỘ | (Thực hiện Công văn số 215-CV/BTCHU của Ban Tổ chức Huyện ủy)";
        assert_eq!(
            decided(&r, &for_sheet(title, "Sheet1", &file("bao cao.xlsx"), &m)),
            "Ban Tổ chức Huyện ủy by title"
        );
    }

    #[test]
    fn nothing_found_says_what_was_seen() {
        let r = Registry::embedded();
        let m = ctx(&r);
        let d = for_sheet("DANH SÁCH CÁN BỘ", "Sheet1", &file("bao cao thang 2.xlsx"), &m);
        let text = decided(&r, &d);
        assert!(
            text.starts_with("unclear") && text.contains("bao cao thang 2") && text.contains("DANH SÁCH CÁN BỘ"),
            "{text}"
        );
    }

    #[test]
    fn a_pin_wins_over_everything() {
        let r = Registry::embedded();
        let config =
            tonghop_model::Config::from_toml_str("[[pin]]\npattern = 'bao cao*'\nunit = '06427'", "c.toml").unwrap();
        let m = ctx(&r).with_config(config);
        let d = for_sheet("ĐẢNG BỘ XÃ SƠN HÀ", "Sheet1", &file("bao cao thang 2.xlsx"), &m);
        assert_eq!(decided(&r, &d), "Xã Cai Kinh by config");
    }

    #[test]
    fn ambiguous_title_is_narrowed_not_guessed() {
        let r = Registry::embedded();
        let m = ctx(&r);
        let two = "XÃ SƠN HÀ - XÃ HÒA SƠN";
        assert_eq!(decided(&r, &for_sheet(two, "Sheet1", &file("son_ha.xlsx"), &m)), "Xã Sơn Hà by file_name");
        let d = for_sheet(two, "Sheet1", &file("cai kinh.xlsx"), &m);
        assert!(matches!(d, Decision::Unclear(_)), "{d:?}");
    }
}
