//! Reading a file the user named, safely: only a regular file (a FIFO would block for
//! ever, a device would be read without end), opened once, read to a limit (a file that
//! grows after it was listed is not read whole first).

use std::io::Read as _;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Not a regular file: a folder, a FIFO, a device, a socket.
    #[error("not a regular file")]
    NotAFile,
    /// Larger than the limit.
    #[error("larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
}

impl ReadError {
    /// The problem in the clerk's words.
    pub fn message_vi(&self) -> String {
        match self {
            Self::Io(e) => match e.kind() {
                std::io::ErrorKind::NotFound => "không có tệp này".to_owned(),
                std::io::ErrorKind::PermissionDenied => "không có quyền đọc tệp".to_owned(),
                _ => "hệ thống không cho đọc tệp".to_owned(),
            },
            Self::NotAFile => "không phải một tệp (là thư mục, liên kết hỏng hoặc thiết bị)".to_owned(),
            Self::TooLarge { limit } => format!("tệp lớn quá {} MB", limit / (1024 * 1024)),
        }
    }
}

/// The regular file at `path`, opened for reading without waiting.
pub fn open_regular_file(path: &Path) -> Result<std::fs::File, ReadError> {
    // Asked of the path first, so that a FIFO is never opened (opening one waits for a
    // writer); asked of the open file again, in case the path changed in between.
    if !std::fs::metadata(path)?.is_file() {
        return Err(ReadError::NotAFile);
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // O_NONBLOCK: should the path have become a FIFO, opening it does not wait.
        options.custom_flags(0o4000);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(ReadError::NotAFile);
    }
    Ok(file)
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular_file(path)?;
    let meta = file.metadata()?;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_regular_file_is_read_and_only_to_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_regular_file(&file, 10).unwrap(), b"0123456789");
        assert!(matches!(read_regular_file(&file, 9), Err(ReadError::TooLarge { limit: 9 })));
        assert!(matches!(read_regular_file(dir.path(), 10), Err(ReadError::NotAFile)));
        assert!(matches!(read_regular_file(&dir.path().join("missing"), 10), Err(ReadError::Io(_))));
        #[cfg(unix)]
        {
            // A FIFO: refused at once, never waited on.
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                assert!(matches!(read_regular_file(&fifo, 10), Err(ReadError::NotAFile)));
            }
            assert!(matches!(read_regular_file(Path::new("/dev/zero"), 10), Err(ReadError::NotAFile)));
        }
    }
}

/// How a path is shown in the report and the JSON summary: as given when it is relative and
/// stays below where the job ran, else by its last component (a report is handed over; it
/// carries no layout of the machine that made it).
pub fn shown(path: &Path) -> String {
    let climbs = path.components().any(|c| matches!(c, std::path::Component::ParentDir));
    if path.is_relative() && !climbs {
        return path.display().to_string();
    }
    // "…/Cai Kinh/.." names its parent: its last component that is a name is as far as the
    // path shows.
    let resolved = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut names: Vec<&std::ffi::OsStr> = Vec::new();
    for c in resolved.components() {
        match c {
            std::path::Component::Normal(n) => names.push(n),
            std::path::Component::ParentDir => {
                names.pop();
            }
            _ => {}
        }
    }
    names.last().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod shown_tests {
    use super::*;

    #[test]
    fn a_path_is_shown_without_the_machines_folders() {
        assert_eq!(shown(Path::new("fixtures/returns/2024-02")), "fixtures/returns/2024-02");
        assert_eq!(shown(Path::new("/home/btc/data/returns/2024-02")), "2024-02");
        assert_eq!(shown(Path::new("../../srv/so theo doi.xlsx")), "so theo doi.xlsx");
        assert_eq!(shown(Path::new("/tmp/leak/2024-02/Cai Kinh/..")), "2024-02");
    }
}
