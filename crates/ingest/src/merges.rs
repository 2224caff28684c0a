//! The merged ranges of an xlsx sheet, read without an XML parser.
//!
//! calamine reads merged ranges by parsing the whole sheet's XML a second time, which
//! costs about as much as reading its cells. The ranges sit in one element after the
//! cells (`<mergeCells><mergeCell ref="A1:B2"/>…`), so the sheet's part is inflated and
//! the element found with a byte search. Only a sheet whose header may span rows asks for
//! them. Anything unexpected gives no ranges: the header reader then carries group labels
//! right instead.

use std::io::{Cursor, Read as _};

use calamine::Dimensions;

/// Most bytes read from `workbook.xml` or its relationships (names of sheets only).
const MAX_INDEX_BYTES: u64 = 4 * 1024 * 1024;

/// The sheets of an xlsx package, by name, with their worksheet part.
#[derive(Debug, Default, Clone)]
pub struct SheetParts {
    parts: Vec<(String, String)>,
}

impl SheetParts {
    /// Reads the sheet names and their parts from `xl/workbook.xml` and its relationships.
    pub fn read(bytes: &[u8]) -> Self {
        Self::try_read(bytes).unwrap_or_default()
    }

    fn try_read(bytes: &[u8]) -> Option<Self> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let workbook = read_entry(&mut archive, "xl/workbook.xml", MAX_INDEX_BYTES)?;
        let rels = read_entry(&mut archive, "xl/_rels/workbook.xml.rels", MAX_INDEX_BYTES)?;
        let (workbook, rels) = (String::from_utf8_lossy(&workbook), String::from_utf8_lossy(&rels));
        let targets: Vec<(String, String)> = elements(&rels, "Relationship")
            .filter_map(|e| Some((attribute(e, "Id")?, attribute(e, "Target")?)))
            .collect();
        let parts = elements(&workbook, "sheet")
            .filter_map(|e| {
                let name = attribute(e, "name")?;
                let id = attribute_ending(e, ":id")?;
                let target = &targets.iter().find(|(i, _)| *i == id)?.1;
                let part = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_owned(),
                    None => format!("xl/{target}"),
                };
                Some((name, part))
            })
            .collect();
        Some(Self { parts })
    }

    /// The merged ranges of sheet `name`. The part is inflated as a stream and only the
    /// `<mergeCells>` element kept, at most `MAX_MERGE_BYTES` of it.
    pub fn merges(&self, bytes: &[u8], name: &str) -> Vec<Dimensions> {
        const OPEN: &[u8] = b"<mergeCells";
        const CLOSE: &[u8] = b"</mergeCells>";
        let Some((_, part)) = self.parts.iter().find(|(n, _)| n == name) else { return Vec::new() };
        let Some(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)).ok() else { return Vec::new() };
        let Ok(mut entry) = archive.by_name(part) else { return Vec::new() };
        let mut chunk = vec![0u8; 64 * 1024];
        // Before the element: the chunk's tail that may hold the start of "<mergeCells";
        // from it on: the element itself.
        let mut held: Vec<u8> = Vec::new();
        let mut inside = false;
        loop {
            let n = match entry.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            held.extend_from_slice(&chunk[..n]);
            if !inside {
                if let Some(at) = memchr::memmem::find(&held, OPEN) {
                    held.drain(..at);
                    inside = true;
                } else {
                    let keep = held.len().saturating_sub(OPEN.len());
                    held.drain(..keep);
                    continue;
                }
            }
            if memchr::memmem::find(&held, CLOSE).is_some() || held.len() > MAX_MERGE_BYTES {
                break;
            }
        }
        if !inside {
            return Vec::new();
        }
        let end = memchr::memmem::find(&held, CLOSE).unwrap_or(held.len()).min(MAX_MERGE_BYTES);
        let text = String::from_utf8_lossy(&held[..end]);
        elements(&text, "mergeCell").filter_map(|e| attribute(e, "ref")).filter_map(|r| range(&r)).collect()
    }
}

/// The most bytes of a `<mergeCells>` element read (about 100,000 ranges).
const MAX_MERGE_BYTES: usize = 4 * 1024 * 1024;

fn read_entry(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let entry = archive.by_name(name).ok()?;
    let mut out = Vec::with_capacity(entry.size().min(limit) as usize);
    entry.take(limit).read_to_end(&mut out).ok()?;
    Some(out)
}

/// The attribute texts of every `<tag …>` element (not `<tags>`).
fn elements<'a>(xml: &'a str, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = format!("<{tag}");
    let mut rest = xml;
    std::iter::from_fn(move || {
        loop {
            let at = rest.find(&open)?;
            let after = &rest[at + open.len()..];
            let end = after.find('>')?;
            rest = &after[end..];
            if after.starts_with(|c: char| c.is_whitespace() || c == '/') {
                return Some(&after[..end]);
            }
        }
    })
}

/// The value of attribute `name` (exactly), entities decoded.
fn attribute(element: &str, name: &str) -> Option<String> {
    attributes(element).find(|(n, _)| *n == name).map(|(_, v)| unescape(v))
}

/// The value of the first attribute whose name ends with `suffix` (`r:id`, `x:id`).
fn attribute_ending(element: &str, suffix: &str) -> Option<String> {
    attributes(element).find(|(n, _)| n.ends_with(suffix)).map(|(_, v)| unescape(v))
}

fn attributes(element: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = element;
    std::iter::from_fn(move || {
        let eq = rest.find('=')?;
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value_end = after[1..].find(quote)?;
        let value = &after[1..=value_end];
        rest = &after[value_end + 2..];
        Some((name, value))
    })
}

fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find(';') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let entity = &rest[at + 1..at + end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[at..=at + end]),
        }
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// "B2:D3" → 0-based rows and columns; a single cell "B2" is a range of one.
fn range(reference: &str) -> Option<Dimensions> {
    let (a, b) = reference.split_once(':').unwrap_or((reference, reference));
    let (start, end) = (cell(a)?, cell(b)?);
    (start.0 <= end.0 && start.1 <= end.1).then_some(Dimensions { start, end })
}

fn cell(reference: &str) -> Option<(u32, u32)> {
    let reference = reference.trim().trim_start_matches('$');
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = reference.split_at(letters);
    let col = tonghop_model::config::column_index(&col.replace('$', "").to_ascii_uppercase())?;
    let row: u32 = row.trim_start_matches('$').parse().ok()?;
    (1..=1_048_576).contains(&row).then(|| (row - 1, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_ranges_as_calamine_reads_them() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let format = rust_xlsxwriter::Format::new();
        for name in ["Bìa & ghi chú", "DS"] {
            let ws = wb.add_worksheet().set_name(name).unwrap();
            ws.write_string(0, 0, "x").unwrap();
            for r in 1..200 {
                ws.write_string(r, 1, "Lò Văn A").unwrap();
            }
            if name == "DS" {
                ws.merge_range(0, 2, 0, 5, "Trình độ", &format).unwrap();
                ws.merge_range(0, 0, 2, 0, "STT", &format).unwrap();
                ws.merge_range(10, 27, 11, 30, "", &format).unwrap();
            }
        }
        let bytes = wb.save_to_buffer().unwrap();
        let parts = SheetParts::read(&bytes);
        let ours = parts.merges(&bytes, "DS");
        let mut theirs = {
            let mut x: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
            x.merge_cells_by_sheet_name("DS").unwrap()
        };
        let key = |d: &Dimensions| (d.start, d.end);
        let mut ours_sorted = ours.clone();
        ours_sorted.sort_by_key(key);
        theirs.sort_by_key(key);
        assert_eq!(ours_sorted, theirs);
        assert_eq!(ours.len(), 3);
        assert!(parts.merges(&bytes, "Bìa & ghi chú").is_empty());
        assert!(parts.merges(&bytes, "missing").is_empty());
        assert!(SheetParts::read(b"not a zip").merges(b"not a zip", "DS").is_empty());
    }

    #[test]
    fn references_and_entities() {
        assert_eq!(range("A1:B2"), Some(Dimensions { start: (0, 0), end: (1, 1) }));
        assert_eq!(range("$C$3"), Some(Dimensions { start: (2, 2), end: (2, 2) }));
        assert_eq!(range("B2:A1"), None);
        assert_eq!(range("A0:B2"), None);
        assert_eq!(unescape("Bìa &amp; ghi &#273;&#x1EA7;"), "Bìa & ghi đầ");
        let e: Vec<&str> =
            elements("<sheets><sheet name='a' r:id=\"rId1\"/><sheet name=\"b\"/></sheets>", "sheet").collect();
        assert_eq!(e.len(), 2);
        assert_eq!(attribute_ending(e[0], ":id").as_deref(), Some("rId1"));
    }
}
