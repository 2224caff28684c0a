//! Returns sent as archives (a commune often e-mails a .zip): the spreadsheets inside a
//! .zip are listed and read as files of their own, named by the archive's path and theirs
//! ("Son Ha.zip/BC thang 02.xlsx", whose folders still name the unit), within the limits of
//! any file (size, unpacked size, ratio). One level only: an archive inside is reported,
//! as is a name that climbs out of the archive and any other kind of archive (.rar, .7z).
//! Nothing is written to disk: an entry is read into memory.

use std::io::Read as _;
use std::path::Path;
use std::time::SystemTime;

use crate::discover::{FoundFile, is_spreadsheet_name};
use crate::workbook::{IngestErrorKind, Limits};

/// Most entries of one archive looked at (a commune's return is a handful of files).
pub const MAX_ARCHIVE_ENTRIES: usize = 1_000;

/// Entries of at least this many unpacked bytes are checked for their ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// The archive kind a file's name says, lower case, if it is one.
pub fn archive_extension(rel_path: &str) -> Option<String> {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    ["zip", "rar", "7z", "tar", "gz", "tgz", "bz2", "xz"].contains(&ext.as_str()).then_some(ext)
}

/// An entry for the archive itself, with its problem.
pub(crate) fn reported(path: &Path, rel_path: &str, problem: IngestErrorKind) -> FoundFile {
    FoundFile {
        index: 0,
        rel_path: rel_path.to_owned(),
        abs_path: path.to_path_buf(),
        size: 0,
        modified: None,
        is_spreadsheet: true,
        problem: Some(problem),
        archive_entry: None,
    }
}

/// The entries an archive stands for (`rel_path` names it; `None` when the name is not an
/// archive's): a .zip's listed ([`list`]), another kind reported as one tonghop does not open.
pub fn entries(path: &Path, rel_path: &str, modified: Option<SystemTime>) -> Option<Vec<FoundFile>> {
    let ext = archive_extension(rel_path)?;
    Some(if ext == "zip" {
        list(path, rel_path, modified)
    } else {
        vec![reported(path, rel_path, IngestErrorKind::ArchiveUnsupported(ext))]
    })
}

fn open(path: &Path) -> Result<zip::ZipArchive<std::fs::File>, IngestErrorKind> {
    let file = tonghop_model::files::open_regular_file(path).map_err(|e| IngestErrorKind::Io(e.to_string()))?;
    zip::ZipArchive::new(file).map_err(|e| IngestErrorKind::ArchiveUnreadable(e.to_string()))
}

/// The entries of the .zip at `path` (`rel_path` below the returns folder): each
/// spreadsheet as a file to read, each other file as one not read, each nested archive or
/// unsafe name with its problem; the archive alone with its problem when it cannot be
/// listed or holds no file.
pub fn list(path: &Path, rel_path: &str, modified: Option<SystemTime>) -> Vec<FoundFile> {
    let mut archive = match open(path) {
        Ok(archive) => archive,
        Err(problem) => return vec![reported(path, rel_path, problem)],
    };
    if archive.len() > MAX_ARCHIVE_ENTRIES {
        return vec![reported(path, rel_path, IngestErrorKind::TooManyEntries { limit: MAX_ARCHIVE_ENTRIES })];
    }
    let mut found = Vec::new();
    for i in 0..archive.len() {
        // The directory only: nothing is unpacked to list.
        let Ok(entry) = archive.by_index_raw(i) else {
            found.push(reported(path, rel_path, IngestErrorKind::ArchiveUnreadable(format!("entry {i}"))));
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        let Ok(name) = entry.name().map(std::borrow::Cow::into_owned) else {
            found.push(reported(path, rel_path, IngestErrorKind::ArchiveUnreadable(format!("entry {i}: name"))));
            continue;
        };
        let entry_path = format!("{rel_path}/{name}");
        let problem = if entry.enclosed_name().is_none() || name.split(['/', '\\']).any(|c| c == "..") {
            Some(IngestErrorKind::ArchiveUnsafeName)
        } else if archive_extension(&name).is_some() {
            Some(IngestErrorKind::ArchiveNested)
        } else {
            None
        };
        let is_spreadsheet = problem.is_some() || is_spreadsheet_name(&name);
        found.push(FoundFile {
            index: 0,
            rel_path: entry_path,
            abs_path: path.to_path_buf(),
            size: entry.size(),
            modified,
            is_spreadsheet,
            archive_entry: (problem.is_none() && is_spreadsheet).then_some(name),
            problem,
        });
    }
    if found.is_empty() {
        return vec![reported(path, rel_path, IngestErrorKind::NoRoster)];
    }
    found
}

/// The bytes of entry `name` of the .zip at `path`, within `limits`: its declared and its
/// actual size under the file limit, its unpacked size under the ratio limit.
pub fn read_entry(path: &Path, name: &str, limits: &Limits) -> Result<Vec<u8>, IngestErrorKind> {
    let mut archive = open(path)?;
    let entry = archive.by_name(name).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => IngestErrorKind::Encrypted,
        e => IngestErrorKind::ArchiveUnreadable(e.to_string()),
    })?;
    let (declared, packed) = (entry.size(), entry.compressed_size().max(1));
    if declared > limits.max_file_bytes {
        return Err(IngestErrorKind::TooLarge { size: declared, limit: limits.max_file_bytes });
    }
    let ratio_of = |unpacked: u64| unpacked / packed;
    if declared >= RATIO_FLOOR && ratio_of(declared) > limits.max_zip_ratio {
        return Err(IngestErrorKind::ZipRatio {
            part: name.to_owned(),
            ratio: ratio_of(declared),
            limit: limits.max_zip_ratio,
        });
    }
    // A directory may lie about sizes: the bytes are counted as they come.
    let mut bytes = Vec::with_capacity(usize::try_from(declared.min(limits.max_file_bytes)).unwrap_or(0));
    entry.take(limits.max_file_bytes + 1).read_to_end(&mut bytes).map_err(|e| {
        if e.to_string().contains("assword") {
            IngestErrorKind::Encrypted
        } else {
            IngestErrorKind::ArchiveUnreadable(e.to_string())
        }
    })?;
    let read = bytes.len() as u64;
    if read > limits.max_file_bytes {
        return Err(IngestErrorKind::TooLarge { size: read, limit: limits.max_file_bytes });
    }
    if read >= RATIO_FLOOR && ratio_of(read) > limits.max_zip_ratio {
        return Err(IngestErrorKind::ZipRatio {
            part: name.to_owned(),
            ratio: ratio_of(read),
            limit: limits.max_zip_ratio,
        });
    }
    Ok(bytes)
}
