//! `tonghop`: consolidates a district's monthly cadre returns into one workbook.
//!
//! The binary is thin: [`args`] defines the command line, [`run`] binds ingest,
//! transform and report together, and `main` maps the outcome to the exit codes of
//! [`exit`] (`outputs.md` §2: 0 complete, 3 incomplete, 1 failed, 2 usage).

mod args;
mod check;
mod exit;
mod progress;
mod run;

use std::process::ExitCode;

use clap::Parser as _;
use clap::error::{ContextKind, ContextValue, ErrorKind};

// mimalloc instead of glibc's malloc: on the national month (250,000 people) the run is
// 15-20 % faster, with a fifth less peak memory and half the system time. Built without
// transparent huge pages (`no_thp`): with them, purging freed memory split and refaulted
// huge pages, and the run was no faster than with glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return refused(&e),
    };
    // A panic's English text and place are for `-v` and the log, not the clerk's screen:
    // the libraries' panics tonghop contains (a reader's on a hostile file, the workbook
    // writer's on a full disk) are said as errors of their own, any other as below.
    // Only the place is logged: a reader's panic message may quote a cell of a return, and
    // nothing personal goes to the log (docs/privacy.md).
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        tracing::debug!("panic{place} (its message is not logged: it may quote a return's cells)");
    }));
    let outcome = std::panic::catch_unwind(|| run::dispatch(cli));
    let Ok(outcome) = outcome else {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("tonghop: lỗi: chương trình gặp lỗi nội bộ và đã dừng (chạy với -v để xem chi tiết)");
        }
        return ExitCode::from(exit::FAILED);
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // The clerk's line: what was not done, and why in their words; the English chain
            // of causes is for `-v` and the log.
            tracing::debug!("{err:#}");
            #[allow(clippy::print_stderr)]
            {
                eprintln!("tonghop: lỗi: {}", said(&err));
            }
            ExitCode::from(exit::FAILED)
        }
    }
}

/// A command line clap refuses, said in Vietnamese (clap's own messages are English), with
/// where to read how; help and version are printed as asked.
fn refused(e: &clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::from(exit::COMPLETE);
    }
    let context = |kind: ContextKind| -> String {
        match e.get(kind) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join(", "),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let (arg, value) = (context(ContextKind::InvalidArg), context(ContextKind::InvalidValue));
    let mut message = match e.kind() {
        ErrorKind::UnknownArgument => format!("không có tùy chọn {arg}"),
        ErrorKind::InvalidSubcommand => format!("không có lệnh '{}'", context(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "thiếu lệnh: run, check, template, completions hoặc man".to_owned()
        }
        ErrorKind::MissingRequiredArgument => format!("thiếu {arg}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = context(ContextKind::ValidValue);
            let choose = if valid.is_empty() { String::new() } else { format!(" (chọn một trong: {valid})") };
            if value.is_empty() {
                format!("thiếu giá trị cho {arg}{choose}")
            } else {
                format!("giá trị '{value}' không dùng được cho {arg}{choose}")
            }
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} không dùng cùng với {}", context(ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("số giá trị cho {arg} không đúng")
        }
        ErrorKind::InvalidUtf8 => "tham số có ký tự không đọc được (không phải UTF-8)".to_owned(),
        _ => "dòng lệnh không hợp lệ".to_owned(),
    };
    let suggested = context(ContextKind::SuggestedArg) + &context(ContextKind::SuggestedSubcommand);
    if !suggested.is_empty() {
        message = format!("{message} (có phải {suggested}?)");
    }
    // The subcommand given, for the help that fits.
    // Arguments as the system gave them: one that is not UTF-8 must not stop this message.
    let command = std::env::args_os().skip(1).find_map(|a| {
        a.to_str().filter(|a| ["run", "check", "template", "completions", "man"].contains(a)).map(str::to_owned)
    });
    let help = command.map_or_else(|| "tonghop --help".to_owned(), |c| format!("tonghop {c} --help"));
    #[allow(clippy::print_stderr)]
    {
        eprintln!("tonghop: lỗi: {message}\n\nXem hướng dẫn: {help}");
    }
    ExitCode::from(exit::USAGE)
}

/// An error as the clerk reads it: each message of the chain that tonghop wrote (they are
/// Vietnamese), and an operating system's cause by its kind, in Vietnamese.
fn said(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut unsaid = false;
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            parts.push(
                match io.kind() {
                    std::io::ErrorKind::NotFound => "không có tệp hoặc thư mục này",
                    std::io::ErrorKind::PermissionDenied => "không có quyền truy cập",
                    std::io::ErrorKind::StorageFull => "ổ đĩa đã đầy",
                    std::io::ErrorKind::AlreadyExists => "đã có tệp cùng tên",
                    std::io::ErrorKind::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc",
                    std::io::ErrorKind::FileTooLarge => "tệp vượt quá giới hạn kích thước của hệ thống",
                    std::io::ErrorKind::QuotaExceeded => "đã hết hạn mức dung lượng",
                    std::io::ErrorKind::BrokenPipe => "chương trình nhận đã đóng trước khi nhận hết",
                    _ => "hệ thống báo lỗi khi đọc hoặc ghi (chạy với -v để xem chi tiết)",
                }
                .to_owned(),
            );
            return parts.join(": ");
        }
        let text = cause.to_string();
        // Messages from the libraries below are English, even with a Vietnamese name in
        // them (a path, a sheet): not the clerk's words (-v shows them).
        if !parts.is_empty() && !vietnamese(&text) {
            unsaid = true;
        } else if !text.is_empty() {
            parts.push(text);
        }
    }
    if unsaid {
        parts.push("chạy với -v để xem chi tiết".to_owned());
    }
    parts.join(": ")
}

/// Whether a message is tonghop's Vietnamese: some of its words outside names (paths, file
/// names) are common Vietnamese words, which a library's English message carrying a
/// Vietnamese file name has not.
fn vietnamese(text: &str) -> bool {
    const WORDS: [&str; 20] = [
        "không", "được", "tệp", "thư", "mục", "đã", "có", "của", "là", "chưa", "bảng", "cột", "dòng", "trang", "lỗi",
        "ghi", "đọc", "hỏng", "quá", "dừng",
    ];
    text.split_whitespace()
        .filter(|token| !token.contains(['/', '\\', '.']))
        .map(|token| token.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .any(|word| WORDS.contains(&word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clerk_reads_tonghops_words_and_the_systems_cause_not_a_librarys_english() {
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let err = anyhow::Error::new(io)
            .context("cannot write /dữ liệu/Báo cáo tháng.xlsx")
            .context("không ghi được /dữ liệu/Báo cáo tháng.xlsx")
            .context("chưa ghi được báo cáo");
        assert_eq!(said(&err), "chưa ghi được báo cáo: không ghi được /dữ liệu/Báo cáo tháng.xlsx: ổ đĩa đã đầy");
        let err = anyhow::anyhow!("sheet name 'Danh sách cán bộ' is too long").context("không lập được bảng tính");
        assert_eq!(said(&err), "không lập được bảng tính: chạy với -v để xem chi tiết");
    }
}
