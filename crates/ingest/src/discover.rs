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
}

/// Every file below `root`, recursively, sorted by relative path. Symbolic links are not
/// followed (a link cycle must not hang the month).
pub fn discover(root: &Path) -> Result<Vec<FoundFile>, IngestError> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| IngestError::io(&dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| IngestError::io(&dir, &e))?;
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).map_err(|e| IngestError::io(&path, &e))?;
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let rel_path = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push(FoundFile {
                    index: 0,
                    is_spreadsheet: is_spreadsheet_name(&rel_path),
                    rel_path,
                    abs_path: path,
                    size: meta.len(),
                    modified: meta.modified().ok(),
                });
            }
        }
    }
    found.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    for (i, f) in found.iter_mut().enumerate() {
        f.index = i;
    }
    if found.is_empty() && !root.is_dir() {
        return Err(IngestError::new(root.display().to_string(), IngestErrorKind::NotADirectory));
    }
    Ok(found)
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

    #[test]
    fn missing_folder_is_an_error() {
        let err = discover(Path::new("/nonexistent/returns/2024-02")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/returns/2024-02"), "{err}");
    }
}
