//! Lists the files of a returns folder.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::workbook::{IngestError, IngestErrorKind};

/// Extensions read as spreadsheets.
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "xlsb"];

/// One file found below the returns folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// Position in the sorted list.
    pub index: usize,
    /// Path relative to the returns folder, `/`-separated.
    pub rel_path: String,
    /// Absolute (or as given) path.
    pub abs_path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// File modification time.
    pub modified: Option<SystemTime>,
    /// Whether the name says spreadsheet (and it is not an Office lock file).
    pub is_spreadsheet: bool,
    /// Why the entry could not even be listed (a folder without permission, a file gone
    /// between the listing and its size, a broken link): it is reported unreadable, with
    /// the unit its path names, and the month goes on.
    pub problem: Option<IngestErrorKind>,
    /// For a spreadsheet inside a .zip (`abs_path`), its name there; `rel_path` is then
    /// the archive's path and that name ("Son Ha.zip/BC thang 02.xlsx").
    pub archive_entry: Option<String>,
}

/// Most spreadsheets listed below a returns folder (a country's month is 10,000); a folder
/// holding more is a mistake (a home folder given as the returns folder), reported rather
/// than read for hours.
pub const MAX_ENTRIES: usize = 50_000;

/// Most entries looked at, listed or not.
const MAX_SEEN: usize = 200_000;

/// Most other files listed (scanned pages, letters): past this many they are not listed,
/// and never count against [`MAX_ENTRIES`] (20,000 scans in one commune's folder must not
/// cost the other communes their returns).
pub const MAX_OTHER_FILES: usize = 2_000;

/// Every file below `root`, recursively, sorted by relative path. Only `root` itself
/// must be readable: a subfolder that cannot be read, a file that vanishes while it is
/// listed (an Office lock file `~$x.xlsx` closing), a broken link, each becomes an entry
/// with its problem. Symbolic links are followed, each folder once (a link cycle ends).
// Long on purpose: one walk of the folder, each kind of entry (file, folder, link, device, problem)
// handled where it is met, within the walk's bounds.
pub fn discover(root: &Path) -> Result<Vec<FoundFile>, IngestError> {
    if !std::fs::metadata(root).is_ok_and(|m| m.is_dir()) {
        return Err(IngestError::new(root.display().to_string(), IngestErrorKind::NotADirectory));
    }
    let rel = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    let entry_with_problem = |path: PathBuf, problem: IngestErrorKind| {
        let rel_path = rel(&path);
        FoundFile {
            index: 0,
            is_spreadsheet: true,
            rel_path,
            abs_path: path,
            size: 0,
            modified: None,
            problem: Some(problem),
            archive_entry: None,
        }
    };
    let mut found = Vec::new();
    let (mut spreadsheets, mut others, mut others_unlisted) = (0_usize, 0_usize, 0_usize);
    let mut seen: usize = 0;
    let mut visited = std::collections::HashSet::new();
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if let Some(id) = folder_id(&dir)
            && !visited.insert(id)
        {
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            // In name order, so that of a folder and a link to it the same one is walked
            // on every machine.
            Ok(entries) => {
                let mut entries: Vec<_> = entries.collect();
                entries.sort_by_key(|e| e.as_ref().ok().map(std::fs::DirEntry::file_name));
                entries
            }
            Err(e) if dir == root => return Err(IngestError::io(&dir, &e)),
            Err(e) => {
                found.push(entry_with_problem(dir, IngestErrorKind::FolderUnreadable(io_vi(&e))));
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => {
                    found.push(entry_with_problem(dir.clone(), IngestErrorKind::FolderUnreadable(io_vi(&e))));
                    break;
                }
            };
            seen += 1;
            if spreadsheets >= MAX_ENTRIES || seen > MAX_SEEN {
                found.push(entry_with_problem(dir.clone(), IngestErrorKind::TooManyEntries { limit: MAX_ENTRIES }));
                stack.clear();
                break;
            }
            let lock_file = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("~$"));
            // Followed through a link; a link's own entry only when it points nowhere.
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                // An Office lock file goes when its workbook is closed: nothing was lost.
                Err(_) if lock_file => continue,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                    let problem = if link { IngestErrorKind::BrokenLink } else { IngestErrorKind::Vanished };
                    found.push(entry_with_problem(path, problem));
                    continue;
                }
                Err(e) => {
                    found.push(entry_with_problem(path, IngestErrorKind::Io(io_vi(&e))));
                    continue;
                }
            };
            if meta.is_dir() {
                // A link may lead anywhere: only to a folder inside the returns folder (a
                // link to / would walk the whole machine).
                let inside = std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&real_root));
                if inside {
                    stack.push(path);
                } else {
                    found.push(entry_with_problem(path, IngestErrorKind::LinkOutside));
                }
            } else if !meta.is_file() {
                // A pipe, a device or a socket: never opened (opening a pipe waits).
                if is_spreadsheet_name(&rel(&path)) {
                    found.push(entry_with_problem(path, IngestErrorKind::NotAFile));
                }
            } else {
                let rel_path = rel(&path);
                // A return sent as an archive: the spreadsheets of a .zip are listed one by
                // one under its name; another kind of archive is reported.
                if let Some(listed) = crate::archive::entries(&path, &rel_path, meta.modified().ok()) {
                    spreadsheets += listed.iter().filter(|f| f.is_spreadsheet).count();
                    found.extend(listed);
                    continue;
                }
                let is_spreadsheet = is_spreadsheet_name(&rel_path);
                if is_spreadsheet {
                    spreadsheets += 1;
                } else if others >= MAX_OTHER_FILES {
                    others_unlisted += 1;
                    continue;
                } else {
                    others += 1;
                }
                found.push(FoundFile {
                    index: 0,
                    is_spreadsheet,
                    rel_path,
                    abs_path: path,
                    size: meta.len(),
                    modified: meta.modified().ok(),
                    problem: None,
                    archive_entry: None,
                });
            }
        }
    }
    if others_unlisted > 0 {
        tracing::debug!("{others_unlisted} files that are not spreadsheets were not listed (past {MAX_OTHER_FILES})");
    }
    found.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    for (i, f) in found.iter_mut().enumerate() {
        f.index = i;
    }
    Ok(found)
}

/// A folder's identity (device and inode), so that a link back up is not walked again.
fn folder_id(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(|p| {
            use std::hash::{BuildHasher as _, BuildHasherDefault, DefaultHasher};
            (0, BuildHasherDefault::<DefaultHasher>::default().hash_one(p))
        })
    }
}

/// An operating-system error in the clerk's words.
pub fn io_vi(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "không có quyền đọc".to_owned(),
        std::io::ErrorKind::NotFound => "không tồn tại".to_owned(),
        _ => match e.raw_os_error() {
            Some(code) => format!("lỗi hệ thống, mã {code}"),
            None => "lỗi hệ thống".to_owned(),
        },
    }
}

/// Whether a file name is that of a spreadsheet: a known extension, and not an Office
/// lock file (`~$name.xlsx`) or a hidden file.
pub fn is_spreadsheet_name(rel_path: &str) -> bool {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    SPREADSHEET_EXTENSIONS.contains(&ext.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_names() {
        assert!(is_spreadsheet_name("Son Ha/BC thang 2.XLSX"));
        assert!(is_spreadsheet_name("a.ods"));
        assert!(!is_spreadsheet_name("~$BC thang 2.xlsx"));
        assert!(!is_spreadsheet_name(".DS_Store"));
        assert!(!is_spreadsheet_name("to trinh.docx"));
        assert!(!is_spreadsheet_name("xlsx"));
    }

    #[test]
    fn lists_recursively_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        std::fs::write(dir.path().join("b/c/z.xlsx"), b"x").unwrap();
        std::fs::write(dir.path().join("a.pdf"), b"x").unwrap();
        std::fs::write(dir.path().join("b/a.xls"), b"x").unwrap();
        let files = discover(dir.path()).unwrap();
        let names: Vec<_> = files.iter().map(|f| (f.rel_path.as_str(), f.is_spreadsheet, f.index)).collect();
        assert_eq!(names, vec![("a.pdf", false, 0), ("b/a.xls", true, 1), ("b/c/z.xlsx", true, 2)]);
    }

    #[cfg(unix)]
    #[test]
    #[allow(clippy::print_stderr)]
    fn links_are_followed_once_and_what_cannot_be_listed_is_an_entry_with_its_problem() {
        use std::os::unix::fs::{PermissionsExt as _, symlink};
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("bc.xlsx"), b"x").unwrap();
        std::fs::create_dir_all(dir.path().join("Son Ha")).unwrap();
        // A return kept elsewhere and linked in; a folder linking back to the root.
        symlink(outside.path().join("bc.xlsx"), dir.path().join("Son Ha/bc.xlsx")).unwrap();
        symlink(dir.path(), dir.path().join("Son Ha/vong")).unwrap();
        // A link pointing nowhere; a lock file whose workbook was closed while listing.
        symlink(dir.path().join("gone.xlsx"), dir.path().join("Cai Kinh.xlsx")).unwrap();
        symlink(dir.path().join("gone.xlsx"), dir.path().join("~$bc.xlsx")).unwrap();
        // A link to a folder outside (the whole machine, say); a pipe named as a return.
        symlink(outside.path(), dir.path().join("Yen Son")).unwrap();
        let made = std::process::Command::new("mkfifo").arg(dir.path().join("Hoa Lac.xlsx")).status();
        let fifo = made.is_ok_and(|s| s.success());
        let files = discover(dir.path()).unwrap();
        let listed: Vec<(&str, Option<&IngestErrorKind>, u64)> =
            files.iter().map(|f| (f.rel_path.as_str(), f.problem.as_ref(), f.size)).collect();
        let mut expected = vec![("Cai Kinh.xlsx", Some(&IngestErrorKind::BrokenLink), 0)];
        if fifo {
            expected.push(("Hoa Lac.xlsx", Some(&IngestErrorKind::NotAFile), 0));
        }
        expected.extend([("Son Ha/bc.xlsx", None, 1), ("Yen Son", Some(&IngestErrorKind::LinkOutside), 0)]);
        assert_eq!(listed, expected);
        // A pipe put in place of a listed return after the listing is never opened (opening
        // it would wait for ever), not even to be measured for the month's budget.
        if fifo {
            let mut raced = files.iter().find(|f| f.rel_path == "Son Ha/bc.xlsx").unwrap().clone();
            raced.abs_path = dir.path().join("Hoa Lac.xlsx");
            assert_eq!(crate::workbook::declared_unpacked_bytes(&raced, &crate::Limits::default()), Some(1));
        }
        // A subfolder without permission: an entry, not the end of the listing.
        let locked = dir.path().join("Yen Binh");
        std::fs::create_dir_all(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let before = files.len();
        if std::fs::read_dir(&locked).is_ok() {
            eprintln!("skipped: running as a user who reads any folder (root); the permission case is not testable");
        } else {
            let files = discover(dir.path()).unwrap();
            let yen_binh = files.iter().find(|f| f.rel_path == "Yen Binh").unwrap();
            assert!(
                matches!(yen_binh.problem, Some(IngestErrorKind::FolderUnreadable(ref why)) if why == "không có quyền đọc")
            );
            assert_eq!(files.len(), before + 1);
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn thousands_of_scanned_pages_in_one_folder_cost_no_return() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("A scan")).unwrap();
        for i in 0..MAX_OTHER_FILES + 500 {
            std::fs::write(dir.path().join(format!("A scan/trang {i}.jpg")), b"x").unwrap();
        }
        std::fs::create_dir_all(dir.path().join("Son Ha")).unwrap();
        std::fs::write(dir.path().join("Son Ha/bc.xlsx"), b"x").unwrap();
        let files = discover(dir.path()).unwrap();
        assert_eq!(files.iter().filter(|f| !f.is_spreadsheet).count(), MAX_OTHER_FILES);
        let son_ha = files.iter().find(|f| f.rel_path == "Son Ha/bc.xlsx").unwrap();
        assert!(son_ha.problem.is_none());
        assert!(files.iter().all(|f| f.problem.is_none()));
    }

    #[test]
    fn missing_folder_is_an_error() {
        let err = discover(Path::new("/nonexistent/returns/2024-02")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/returns/2024-02"), "{err}");
    }
}
