//! The zip container of a workbook: parts deflated in pieces on every worker, each piece
//! ending on a byte boundary without closing the stream (a "sync flush"), so that pieces
//! compressed apart follow one another in one part; their CRC-32s combine.

use std::io::Write;

use flate2::{Compress, Compression, FlushCompress, Status};

use super::XlsxError;

/// The fastest deflate: a reader inflates the same XML whatever the level, and for a
/// country the roster is some 250 MB of it (the trade-off is in docs/scaling.md).
const LEVEL: u32 = 1;

/// A piece of a part's deflate stream, with the CRC-32 and length of what it holds.
pub(super) struct Segment {
    deflated: Vec<u8>,
    crc: crc32fast::Hasher,
    len: u64,
}

impl Segment {
    /// Compresses `data` on its own. A piece that is not `last` ends on a byte boundary
    /// without closing the stream, so that the next piece may follow it.
    pub(super) fn compress(data: &[u8], last: bool) -> Result<Self, XlsxError> {
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
                .map_err(|e| XlsxError::Invalid(format!("deflate: {e}")))?;
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

/// One part of the package as written.
struct Entry {
    name: String,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// Writes a zip of `parts` (name, and its deflate stream in pieces, the last closing it)
/// to `out`. Every part is deflated; dates are the zip's earliest (1980-01-01), so that
/// the same workbook gives the same bytes.
pub(super) fn write(parts: &[(String, Vec<Segment>)], out: &mut impl Write) -> Result<(), XlsxError> {
    let mut out = Counting { inner: out, written: 0 };
    let mut entries = Vec::with_capacity(parts.len());
    for (name, pieces) in parts {
        let mut crc = crc32fast::Hasher::new();
        for s in pieces {
            crc.combine(&s.crc);
        }
        let entry = Entry {
            name: name.clone(),
            crc: crc.finalize(),
            compressed: pieces.iter().map(|s| s.deflated.len() as u64).sum(),
            size: pieces.iter().map(|s| s.len).sum(),
            offset: out.written,
        };
        out.write_all(&local_header(&entry)?)?;
        for s in pieces {
            out.write_all(&s.deflated)?;
        }
        entries.push(entry);
    }
    let directory_at = out.written;
    for e in &entries {
        out.write_all(&directory_entry(e)?)?;
    }
    let directory_len = out.written - directory_at;
    let count = u16::try_from(entries.len()).map_err(|_| XlsxError::Invalid("too many parts".into()))?;
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

/// The package has no zip64 records: Excel's row limit keeps a sheet far below 4 GiB.
fn small(v: u64) -> Result<u32, XlsxError> {
    u32::try_from(v).map_err(|_| XlsxError::Invalid(format!("{v} bytes is past the 4 GiB a zip without zip64 holds")))
}

fn local_header(e: &Entry) -> Result<Vec<u8>, XlsxError> {
    let mut h = Vec::with_capacity(30 + e.name.len());
    h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    h.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
    shared_fields(&mut h, e)?;
    h.extend_from_slice(&0u16.to_le_bytes()); // extra field
    h.extend_from_slice(e.name.as_bytes());
    Ok(h)
}

fn directory_entry(e: &Entry) -> Result<Vec<u8>, XlsxError> {
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
/// method (deflate), time and date (1980-01-01 00:00), CRC-32, sizes, name length.
fn shared_fields(h: &mut Vec<u8>, e: &Entry) -> Result<(), XlsxError> {
    // Bit 11: the name is UTF-8.
    let flags: u16 = if e.name.is_ascii() { 0 } else { 1 << 11 };
    h.extend_from_slice(&flags.to_le_bytes());
    h.extend_from_slice(&8u16.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    h.extend_from_slice(&0x21u16.to_le_bytes());
    h.extend_from_slice(&e.crc.to_le_bytes());
    h.extend_from_slice(&small(e.compressed)?.to_le_bytes());
    h.extend_from_slice(&small(e.size)?.to_le_bytes());
    let name_len =
        u16::try_from(e.name.len()).map_err(|_| XlsxError::Invalid(format!("part name too long: {}", e.name)))?;
    h.extend_from_slice(&name_len.to_le_bytes());
    Ok(())
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
    use std::io::Read as _;

    use super::*;

    #[test]
    fn pieces_compressed_apart_read_back_as_one_part() {
        let mut text = String::new();
        for i in 0..20_000 {
            let _ = write!(text, "<row r=\"{i}\"><c><v>{}</v></c></row>", i * 7);
        }
        let (a, b) = text.as_bytes().split_at(text.len() / 3);
        let pieces = vec![
            Segment::compress(a, false).unwrap(),
            Segment::compress(b, false).unwrap(),
            Segment::compress(b"", true).unwrap(),
        ];
        let parts = vec![
            ("xl/a.xml".to_owned(), pieces),
            ("b.xml".to_owned(), vec![Segment::compress(b"<b/>", true).unwrap()]),
        ];
        let mut bytes = Vec::new();
        write(&parts, &mut bytes).unwrap();
        // Another zip reader checks the CRC-32s and sizes as it reads.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = String::new();
        zip.by_name("xl/a.xml").unwrap().read_to_string(&mut read).unwrap();
        assert_eq!(read, text);
        let mut read = String::new();
        zip.by_name("b.xml").unwrap().read_to_string(&mut read).unwrap();
        assert_eq!(read, "<b/>");
    }
}
