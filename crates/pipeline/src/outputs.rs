//! Where a month is written, checked before any work: never among what it reads, never over
//! a file tonghop did not write, never while another run writes there.

use std::path::{Path, PathBuf};

use tonghop_model::Period;

use crate::{MonthError, MonthOptions};

/// The absolute form of a path that may not exist yet: its nearest existing ancestor
/// resolved (links, `..`), the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        // The last component, ".." included (which `file_name` does not give).
        let (Some(parent), Some(name)) = (existing.parent(), existing.components().next_back()) else { break };
        rest.push(name.as_os_str().to_owned());
        existing = parent;
    }
    let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    // The part that does not exist yet is resolved by its words: "out/../out" is "out".
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                out.pop();
            }
            Some(".") => {}
            _ => out.push(part),
        }
    }
    out
}

/// Whether `path` lies inside the folder `dir`.
fn within(dir: &Path, path: &Path) -> bool {
    resolved(path).starts_with(resolved(dir))
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    resolved(a) == resolved(b)
}

/// Creates the folder `path` goes in.
pub fn create_parent(path: &Path) -> Result<(), MonthError> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| MonthError::failed(format!("không tạo được thư mục {}", parent.display()), e))?;
    }
    Ok(())
}

/// Refuses, before any work, outputs that would go among the inputs (the next run would
/// read the report as a return), replace one another, replace a file tonghop did not write,
/// or a history folder that is not tonghop's.
pub(crate) fn check(opts: &MonthOptions, period: Period) -> Result<(), MonthError> {
    let usage = |m: String| Err(MonthError::Usage(m));
    if crate::is_stdout(&opts.out) && opts.summary_json.as_deref().is_some_and(crate::is_stdout) {
        return usage(
            "--out và --summary-json không thể cùng ghi ra đầu ra chuẩn (-); cho một trong hai tên tệp".to_owned(),
        );
    }
    // Standard output is nobody's file.
    fn file(path: Option<&PathBuf>) -> Option<&PathBuf> {
        path.filter(|p| !crate::is_stdout(p))
    }
    let written = [("--out", file(Some(&opts.out))), ("--summary-json", file(opts.summary_json.as_ref()))];
    for (option, written) in written {
        let Some(written) = written else { continue };
        if within(&opts.returns_dir, written) {
            return usage(format!(
                "{option} {} nằm trong thư mục báo cáo {}; hãy ghi ra chỗ khác",
                written.display(),
                opts.returns_dir.display()
            ));
        }
        if opts.training.as_ref().is_some_and(|t| same_file(t, written)) {
            return usage(format!("{option} {} chính là sổ theo dõi các lớp", written.display()));
        }
    }
    // Two outputs on one path: the second would replace the first.
    if let (Some(summary), Some(out)) = (written[1].1, written[0].1)
        && same_file(summary, out)
    {
        return usage(format!("--out và --summary-json cùng là tệp {}; đặt hai tên khác nhau", opts.out.display()));
    }
    if let Some(history) = &opts.history {
        for (option, written) in written {
            if let Some(written) = written
                && within(history, written)
            {
                return usage(format!(
                    "{option} {} nằm trong thư mục lưu trữ {}; hãy ghi ra chỗ khác",
                    written.display(),
                    history.display()
                ));
            }
        }
    }
    // tonghop replaces only what it wrote: an existing target must be its own report or
    // summary, a history folder its own (the returns folder given by a slip is refused).
    type Owner = fn(&Path) -> bool;
    let owned: [(&str, Option<&PathBuf>, Owner); 2] = [
        ("--out", written[0].1, tonghop_report::is_tonghop_report),
        ("--summary-json", written[1].1, tonghop_report::is_tonghop_summary),
    ];
    for (option, written, ours) in owned {
        let Some(written) = written else { continue };
        match std::fs::symlink_metadata(written) {
            Ok(meta) if !meta.is_file() => {
                return usage(format!(
                    "{option} {} đã có và không phải tệp thường (là thư mục, liên kết hoặc thiết bị); tonghop chỉ ghi đè tệp do nó lập",
                    written.display()
                ));
            }
            Ok(_) if !ours(written) => {
                return usage(format!(
                    "{option} {} đã có và không do tonghop lập; tonghop chỉ ghi đè tệp do nó lập: chuyển tệp đi hoặc chọn tên khác",
                    written.display()
                ));
            }
            _ => {}
        }
    }
    if let Some(history) = &opts.history {
        if let Err(e) = tonghop_history::check_owned(history, period) {
            return usage(format!("--history: {e}"));
        }
        if within(history, &opts.returns_dir) || within(&opts.returns_dir, history) {
            return usage(format!(
                "--history {} và thư mục báo cáo {} chồng lên nhau; để thư mục lưu trữ riêng",
                history.display(),
                opts.returns_dir.display()
            ));
        }
    }
    Ok(())
}

/// Locks the folder of the report and the history folder for this run (a `.tonghop.lock`
/// in each, opened without following a link and never truncated): two runs writing the
/// same report or history at once would leave the report of one and the snapshot of the
/// other. The locks go with the process, however it ends.
pub(crate) fn lock(out: &Path, history: Option<&Path>) -> Result<Vec<std::fs::File>, MonthError> {
    let mut folders = Vec::new();
    if !crate::is_stdout(out) {
        folders.push(out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf());
    }
    folders.extend(history.map(Path::to_path_buf));
    for folder in &folders {
        std::fs::create_dir_all(folder)
            .map_err(|e| MonthError::failed(format!("không tạo được thư mục {}", folder.display()), e))?;
    }
    // One folder for both is locked once (a second lock of it would wait on the first).
    folders.dedup_by(|a, b| resolved(a) == resolved(b));
    let mut locks = Vec::new();
    for folder in folders {
        let path = folder.join(".tonghop.lock");
        // A lock that is a link is refused, its target never written.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(MonthError::message(format!(
                "tệp khóa {} là một liên kết; xóa nó rồi chạy lại",
                path.display()
            )));
        }
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "x86")))]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            // O_NOFOLLOW (its value on these machines), should a link appear meanwhile.
            options.custom_flags(0o400_000);
        }
        let file = options
            .open(&path)
            .map_err(|e| MonthError::failed(format!("không mở được tệp khóa {}", path.display()), e))?;
        match file.try_lock() {
            Ok(()) => locks.push(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(MonthError::message(format!(
                    "một lần chạy tonghop khác đang ghi vào {} (khóa {}); lần chạy này không bắt đầu",
                    folder.display(),
                    path.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(MonthError::failed(format!("không khóa được {}", path.display()), e));
            }
        }
    }
    Ok(locks)
}
