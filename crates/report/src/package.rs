//! The workbook file as a zip package, with one sheet's rows supplied already compressed.
//!
//! rust_xlsxwriter writes every part of the workbook; for the one sheet that is nearly all
//! of its bytes (the roster), the rows are made and deflated in blocks on every worker at
//! once ([`Segment`]) and inserted here into that sheet's `<sheetData>`. The other parts are
//! copied as rust_xlsxwriter compressed them. A deflate stream may be cut into pieces that
//! each end on a byte boundary without being final (a "sync flush"), so pieces compressed
//! apart follow one another in one stream; their CRC-32s combine.

use std::io::{Read as _, Write};

use flate2::{Compress, Compression, FlushCompress, Status};

use crate::ReportError;

/// A package that could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PackageError {
    /// Writing the output failed (a full disk, a removed folder).
    #[error(transparent)]
    Write(#[from] std::io::Error),
    /// The parts given cannot make the package.
    #[error("{0}")]
    Invalid(String),
}

impl PackageError {
    /// The report error of writing the package to `path`.
    pub(crate) fn at(self, path: &std::path::Path) -> ReportError {
        match self {
            Self::Write(source) => ReportError::Io { path: path.display().to_string(), source },
            Self::Invalid(what) => ReportError::Package(what),
        }
    }
}

impl From<PackageError> for ReportError {
    fn from(e: PackageError) -> Self {
        e.at(std::path::Path::new("(the workbook in memory)"))
    }
}

/// Compression level of the inserted rows and of the rest of the workbook: the fastest, since
/// a reader inflates the same XML whatever the level and the time is the month's (the
/// measured trade-off is in docs/scaling.md).
pub(crate) const LEVEL: u32 = 1;

/// A piece of a part's deflate stream, with the CRC-32 and length of what it holds.
pub(crate) struct Segment {
    deflated: Vec<u8>,
    crc: crc32fast::Hasher,
    len: u64,
}

impl Segment {
    /// Compresses `data` on its own. A piece that is not `last` ends on a byte boundary
    /// without closing the stream, so that the next piece may follow it.
    pub(crate) fn compress(data: &[u8], last: bool) -> Result<Self, PackageError> {
        let mut deflate = Compress::new(Compression::new(LEVEL), false);
        let flush = if last { FlushCompress::Finish } else { FlushCompress::Sync };
        let mut deflated = Vec::with_capacity(data.len() / 6 + 64);
        loop {
            if deflated.capacity() - deflated.len() < 64 {
                deflated.reserve(deflated.capacity().max(4096));
            }
            let consumed = usize::try_from(deflate.total_in()).unwrap_or(usize::MAX).min(data.len());
            let status = deflate
                .compress_vec(&data[consumed..], &mut deflated, flush)
                .map_err(|e| PackageError::Invalid(format!("deflate: {e}")))?;
            let all_in = usize::try_from(deflate.total_in()).is_ok_and(|n| n == data.len());
            // A flush is complete once all input is in and the output had room to spare.
            let flushed =
                if last { status == Status::StreamEnd } else { all_in && deflated.len() < deflated.capacity() };
            if flushed {
                break;
            }
        }
        let mut crc = crc32fast::Hasher::new();
        crc.update(data);
        Ok(Self { deflated, crc, len: data.len() as u64 })
    }
}

/// What `segments` hold, decompressed: for tests.
#[cfg(test)]
pub(crate) fn inflate(segments: &[Segment]) -> String {
    let mut stream: Vec<u8> = segments.iter().flat_map(|s| s.deflated.iter().copied()).collect();
    stream.extend(Segment::compress(b"", true).unwrap().deflated);
    let mut text = String::new();
    flate2::read::DeflateDecoder::new(stream.as_slice()).read_to_string(&mut text).unwrap();
    text
}

/// Rows to insert into one sheet part of the package.
pub(crate) struct SheetRows {
    /// The part's name, e.g. `xl/worksheets/sheet6.xml`.
    pub part: String,
    /// Blocks of rows, in row order, each with its first row (1-based) and its XML
    /// compressed in pieces, none of them last. A block goes before the first of the part's
    /// own rows at or after its first row, or at the end of `<sheetData>`.
    pub blocks: Vec<(u32, Vec<Segment>)>,
    /// The sheet's used range once the rows are in, e.g. `A1:Z250001`, when the part's
    /// own does not cover them.
    pub dimension: Option<String>,
    /// The sheet's `<cols>` element fitted to the rows, when it replaces the part's own.
    pub columns: Option<String>,
    /// How many of the rows' cells refer to the shared strings: the shared strings part
    /// states the count of all references, its own sheets' and these.
    pub shared_references: u64,
}

/// The shared strings part, whose count of references the inserted rows add to.
const SHARED_STRINGS: &str = "xl/sharedStrings.xml";

/// One entry of the package as written.
struct Entry {
    name: String,
    method: u16,
    time: u16,
    date: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// Writes the package `skeleton` (a zip, as rust_xlsxwriter saved it) to `out`, with
/// each of `sheets` rows inserted into its part's `<sheetData>`.
pub(crate) fn write_with_rows(
    skeleton: &[u8],
    sheets: Vec<SheetRows>,
    out: &mut impl Write,
) -> Result<(), PackageError> {
    let bad = PackageError::Invalid;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(skeleton)).map_err(|e| bad(e.to_string()))?;
    let mut out = Counting { inner: out, written: 0 };
    let mut entries = Vec::with_capacity(archive.len());
    let mut shared_references: u64 = sheets.iter().map(|s| s.shared_references).sum();
    let mut sheets: Vec<Option<SheetRows>> = sheets.into_iter().map(Some).collect();
    for i in 0..archive.len() {
        let mut file = archive.by_index_raw(i).map_err(|e| bad(e.to_string()))?;
        let name = file.name().map_err(|e| bad(e.to_string()))?.into_owned();
        let (time, date) = file.last_modified().map_or((0, 0x21), |t| (t.timepart(), t.datepart()));
        let method = match file.compression() {
            zip::CompressionMethod::Stored => 0,
            zip::CompressionMethod::Deflated => 8,
            other => return Err(bad(format!("{name}: unexpected compression {other}"))),
        };
        let mut raw = Vec::with_capacity(usize::try_from(file.compressed_size()).unwrap_or(0));
        file.read_to_end(&mut raw).map_err(|e| bad(format!("{name}: {e}")))?;
        let mut entry = Entry {
            name,
            method,
            time,
            date,
            crc: file.crc32(),
            compressed: raw.len() as u64,
            size: file.size(),
            offset: out.written,
        };
        drop(file);
        if entry.name == SHARED_STRINGS && shared_references > 0 {
            let xml = part_text(&entry, raw)?;
            let xml = with_more_references(&xml, shared_references)
                .ok_or_else(|| bad(format!("{}: no count of references in <sst>", entry.name)))?;
            let whole = Segment::compress(xml.as_bytes(), true)?;
            write_rewritten(&mut out, &mut entry, &[&whole])?;
            shared_references = 0;
        } else if let Some(rows) = sheets.iter_mut().find_map(|s| s.take_if(|r| r.part == entry.name)) {
            let xml = part_text(&entry, raw)?;
            let firsts: Vec<u32> = rows.blocks.iter().map(|(first, _)| *first).collect();
            let around = around_rows(&xml, &firsts, rows.dimension.as_deref(), rows.columns.as_deref())
                .ok_or_else(|| bad(format!("{}: no <sheetData>", entry.name)))?;
            let last = around.len() - 1;
            let around = around
                .iter()
                .enumerate()
                .map(|(k, piece)| Segment::compress(piece.as_bytes(), k == last))
                .collect::<Result<Vec<_>, _>>()?;
            let mut pieces: Vec<&Segment> = Vec::new();
            for (k, piece) in around.iter().enumerate() {
                pieces.push(piece);
                if let Some((_, segments)) = rows.blocks.get(k) {
                    pieces.extend(segments);
                }
            }
            write_rewritten(&mut out, &mut entry, &pieces)?;
        } else {
            out.write_all(&local_header(&entry)?)?;
            out.write_all(&raw)?;
        }
        entries.push(entry);
    }
    if let Some(rows) = sheets.into_iter().flatten().next() {
        return Err(bad(format!("{}: no such part", rows.part)));
    }
    if shared_references > 0 {
        return Err(bad(format!("{SHARED_STRINGS}: no such part, though the rows refer to it")));
    }
    let directory_at = out.written;
    for e in &entries {
        out.write_all(&directory_entry(e)?)?;
    }
    let directory_len = out.written - directory_at;
    let count = u16::try_from(entries.len()).map_err(|_| bad("too many parts".into()))?;
    let mut end = Vec::with_capacity(22);
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    end.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&small(directory_len)?.to_le_bytes());
    end.extend_from_slice(&small(directory_at)?.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes()); // comment
    out.write_all(&end)?;
    Ok(out.inner.flush()?)
}

/// A part's XML, inflated if it is stored deflated.
fn part_text(entry: &Entry, raw: Vec<u8>) -> Result<String, PackageError> {
    let bad = |e: &dyn std::fmt::Display| PackageError::Invalid(format!("{}: {e}", entry.name));
    let xml = if entry.method == 8 {
        let mut xml = Vec::new();
        flate2::read::DeflateDecoder::new(raw.as_slice()).read_to_end(&mut xml).map_err(|e| bad(&e))?;
        xml
    } else {
        raw
    };
    String::from_utf8(xml).map_err(|e| bad(&e))
}

/// Writes `entry` anew as the deflated `pieces` (the last one closing the stream).
fn write_rewritten<W: Write>(
    out: &mut Counting<'_, W>,
    entry: &mut Entry,
    pieces: &[&Segment],
) -> Result<(), PackageError> {
    let mut crc = crc32fast::Hasher::new();
    for s in pieces {
        crc.combine(&s.crc);
    }
    entry.method = 8;
    entry.crc = crc.finalize();
    entry.compressed = pieces.iter().map(|s| s.deflated.len() as u64).sum();
    entry.size = pieces.iter().map(|s| s.len).sum();
    out.write_all(&local_header(entry)?)?;
    for s in pieces {
        out.write_all(&s.deflated)?;
    }
    Ok(())
}

/// The shared strings' XML with `more` references added to the `count` its `<sst>` states.
fn with_more_references(xml: &str, more: u64) -> Option<String> {
    let sst = xml.find("<sst")?;
    let tag_end = sst + xml[sst..].find('>')?;
    let from = sst + xml[sst..tag_end].find(" count=\"")? + " count=\"".len();
    let to = from + xml[from..tag_end].find('"')?;
    let count: u64 = xml[from..to].parse().ok()?;
    Some(format!("{}{}{}", &xml[..from], count.checked_add(more)?, &xml[to..]))
}

/// The sheet XML cut where each block of rows goes (blocks given by their first rows, in
/// order), with its dimension and columns set: one piece more than there are blocks.
fn around_rows(xml: &str, firsts: &[u32], dimension: Option<&str>, columns: Option<&str>) -> Option<Vec<String>> {
    let mut xml = if xml.contains("<sheetData>") {
        xml.to_owned()
    } else {
        xml.replacen("<sheetData/>", "<sheetData></sheetData>", 1)
    };
    if let Some(dimension) = dimension
        && let Some(at) = xml.find("<dimension ref=\"")
    {
        let from = at + "<dimension ref=\"".len();
        let to = from + xml[from..].find('"')?;
        xml.replace_range(from..to, dimension);
    }
    if let Some(columns) = columns {
        // <cols> comes just before <sheetData>.
        if let (Some(from), Some(to)) = (xml.find("<cols>"), xml.find("</cols>")) {
            xml.replace_range(from..to + "</cols>".len(), columns);
        } else {
            let at = xml.find("<sheetData>")?;
            xml.insert_str(at, columns);
        }
    }
    let data_start = xml.find("<sheetData>")? + "<sheetData>".len();
    let data_end = xml.rfind("</sheetData>")?;
    let mut cuts = Vec::with_capacity(firsts.len());
    let mut from = data_start;
    for &first in firsts {
        let mut at = data_end;
        let mut search = from;
        while let Some(k) = xml[search..data_end].find("<row r=\"") {
            let number_at = search + k + "<row r=\"".len();
            let digits = xml[number_at..].find('"')?;
            if xml[number_at..number_at + digits].parse::<u32>().ok()? >= first {
                at = search + k;
                break;
            }
            search = number_at;
        }
        cuts.push(at);
        from = at;
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts {
        pieces.push(xml[start..cut].to_owned());
        start = cut;
    }
    pieces.push(xml[start..].to_owned());
    Some(pieces)
}

/// The package has no zip64 records: Excel's row limit keeps the roster far below 4 GiB.
fn small(v: u64) -> Result<u32, PackageError> {
    u32::try_from(v)
        .map_err(|_| PackageError::Invalid(format!("{v} bytes is past the 4 GiB a zip without zip64 holds")))
}

fn local_header(e: &Entry) -> Result<Vec<u8>, PackageError> {
    let mut h = Vec::with_capacity(30 + e.name.len());
    h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    h.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
    shared_fields(&mut h, e)?;
    h.extend_from_slice(&0u16.to_le_bytes()); // extra field
    h.extend_from_slice(e.name.as_bytes());
    Ok(h)
}

fn directory_entry(e: &Entry) -> Result<Vec<u8>, PackageError> {
    let mut h = Vec::with_capacity(46 + e.name.len());
    h.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    h.extend_from_slice(&20u16.to_le_bytes()); // made by: 2.0, MS-DOS attributes
    h.extend_from_slice(&20u16.to_le_bytes()); // version needed
    shared_fields(&mut h, e)?;
    h.extend_from_slice(&[0; 8]); // extra field, comment, disk, internal attributes
    h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
    h.extend_from_slice(&small(e.offset)?.to_le_bytes());
    h.extend_from_slice(e.name.as_bytes());
    Ok(h)
}

/// The fields a local header and a directory entry share, in the same order: flags,
/// method, time, date, CRC-32, sizes, name length.
fn shared_fields(h: &mut Vec<u8>, e: &Entry) -> Result<(), PackageError> {
    h.extend_from_slice(&flags(&e.name).to_le_bytes());
    h.extend_from_slice(&e.method.to_le_bytes());
    h.extend_from_slice(&e.time.to_le_bytes());
    h.extend_from_slice(&e.date.to_le_bytes());
    h.extend_from_slice(&e.crc.to_le_bytes());
    h.extend_from_slice(&small(e.compressed)?.to_le_bytes());
    h.extend_from_slice(&small(e.size)?.to_le_bytes());
    h.extend_from_slice(&name_len(&e.name)?.to_le_bytes());
    Ok(())
}

/// General purpose flags: bit 11 when the name is UTF-8 beyond ASCII.
fn flags(name: &str) -> u16 {
    if name.is_ascii() { 0 } else { 1 << 11 }
}

fn name_len(name: &str) -> Result<u16, PackageError> {
    u16::try_from(name.len()).map_err(|_| PackageError::Invalid(format!("part name too long: {name}")))
}

/// A writer that counts what passed through it: the offsets of the zip's directory.
struct Counting<'a, W: Write> {
    inner: &'a mut W,
    written: u64,
}

impl<W: Write> Counting<'_, W> {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// A package of two parts, the second a sheet, as rust_xlsxwriter would write it.
    fn skeleton(sheet: &str) -> Vec<u8> {
        skeleton_with(&[("xl/worksheets/sheet1.xml", sheet)])
    }

    /// A package of `[Content_Types].xml` and `parts`.
    fn skeleton_with(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", deflated).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        for (name, xml) in parts {
            zip.start_file(*name, deflated).unwrap();
            zip.write_all(xml.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn read_part(package: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
        let mut text = String::new();
        // Reading to the end checks the CRC-32 the directory gives.
        archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn rows_compressed_apart_read_back_as_one_part_between_the_sheets_own_xml() {
        let sheet = r#"<worksheet><dimension ref="A1:B1"/><cols><col min="1" max="1" width="9"/></cols><sheetData><row r="1"><c r="A1"/></row></sheetData><autoFilter ref="A1:B3"/></worksheet>"#;
        // Several blocks, one of them empty and one large enough to need more than one
        // round of output.
        let blocks = [
            r#"<row r="2"><c r="A2"><v>1</v></c></row>"#.to_string(),
            String::new(),
            (3..3000).fold(String::new(), |mut rows, r| {
                let _ = write!(rows, r#"<row r="{r}"><c r="A{r}"><v>{}</v></c></row>"#, r * 7919 % 104_729);
                rows
            }),
        ];
        let rows = SheetRows {
            part: "xl/worksheets/sheet1.xml".into(),
            blocks: vec![(2, blocks.iter().map(|b| Segment::compress(b.as_bytes(), false).unwrap()).collect())],
            dimension: Some("A1:B2999".into()),
            columns: Some(r#"<cols><col min="1" max="1" width="12"/></cols>"#.into()),
            shared_references: 0,
        };
        let mut out = Vec::new();
        write_with_rows(&skeleton(sheet), vec![rows], &mut out).unwrap();
        let expected = format!(
            r#"<worksheet><dimension ref="A1:B2999"/><cols><col min="1" max="1" width="12"/></cols><sheetData><row r="1"><c r="A1"/></row>{}</sheetData><autoFilter ref="A1:B3"/></worksheet>"#,
            blocks.concat()
        );
        assert_eq!(read_part(&out, "xl/worksheets/sheet1.xml"), expected);
        assert_eq!(read_part(&out, "[Content_Types].xml"), "<Types/>");
    }

    #[test]
    fn an_empty_sheet_data_gets_its_rows_and_columns_too() {
        let sheet = "<worksheet><sheetData/></worksheet>";
        let rows = SheetRows {
            part: "xl/worksheets/sheet1.xml".into(),
            blocks: vec![(1, vec![Segment::compress(br#"<row r="1"/>"#, false).unwrap()])],
            dimension: Some("A1".into()),
            columns: Some(r#"<cols><col min="1" max="1" width="5"/></cols>"#.into()),
            shared_references: 0,
        };
        let mut out = Vec::new();
        write_with_rows(&skeleton(sheet), vec![rows], &mut out).unwrap();
        assert_eq!(
            read_part(&out, "xl/worksheets/sheet1.xml"),
            r#"<worksheet><cols><col min="1" max="1" width="5"/></cols><sheetData><row r="1"/></sheetData></worksheet>"#
        );
    }

    #[test]
    fn rows_for_a_part_the_package_lacks_are_an_error_not_a_silent_loss() {
        let rows = SheetRows {
            part: "xl/worksheets/sheet9.xml".into(),
            blocks: vec![],
            dimension: None,
            columns: None,
            shared_references: 0,
        };
        let err =
            write_with_rows(&skeleton("<worksheet><sheetData/></worksheet>"), vec![rows], &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("sheet9.xml"), "{err}");
    }

    #[test]
    fn the_shared_strings_count_the_references_of_the_inserted_rows_too() {
        let sst = r#"<?xml version="1.0"?><sst xmlns="x" count="3" uniqueCount="2"><si><t>Nam</t></si><si><t>count="9"</t></si></sst>"#;
        let sheet = "<worksheet><sheetData/></worksheet>";
        let rows = |shared_references| {
            vec![SheetRows {
                part: "xl/worksheets/sheet1.xml".into(),
                blocks: vec![(
                    1,
                    vec![Segment::compress(br#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, false).unwrap()],
                )],
                dimension: None,
                columns: None,
                shared_references,
            }]
        };
        // Before and after the sheet in the package.
        for parts in [
            [("xl/sharedStrings.xml", sst), ("xl/worksheets/sheet1.xml", sheet)],
            [("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", sst)],
        ] {
            let mut out = Vec::new();
            write_with_rows(&skeleton_with(&parts), rows(4), &mut out).unwrap();
            assert_eq!(read_part(&out, "xl/sharedStrings.xml"), sst.replace(r#"count="3""#, r#"count="7""#));
            assert!(read_part(&out, "xl/worksheets/sheet1.xml").contains(r#"t="s"><v>0</v>"#));
        }
        // Rows without shared strings leave the part as it is.
        let mut out = Vec::new();
        write_with_rows(
            &skeleton_with(&[("xl/sharedStrings.xml", sst), ("xl/worksheets/sheet1.xml", sheet)]),
            rows(0),
            &mut out,
        )
        .unwrap();
        assert_eq!(read_part(&out, "xl/sharedStrings.xml"), sst);
        // Rows that refer to shared strings a package lacks would read as other text or none.
        let err = write_with_rows(&skeleton(sheet), rows(1), &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("sharedStrings.xml"), "{err}");
    }
}
