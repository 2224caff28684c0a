//! Everything the clerk reads from the command line is Vietnamese: every test that runs
//! `tonghop` or its cron script does so through [`Said::said`], which checks each line of its standard output
//! and standard error before the test looks at them.
//!
//! A line fails when it holds a word of English that is no Vietnamese syllable ("error",
//! "file", "cannot"…), outside what is quoted or named: file names and paths, options,
//! codes with digits, text between quotes. The engineers' lines of `-v` ("… debug: …"),
//! `--help` (bilingual by design), the manual page, shell completions, the configuration
//! `check --emit-config` writes (TOML keys), JSON and workbooks on standard output are not
//! prose for the clerk and are not checked.

use std::process::{Command, Output};

/// English words that no Vietnamese syllable spells (so "an", "do", "no", "ban", "con",
/// "to", "the" are not here), enough to catch a message left in English or a cause
/// appended in English.
const ENGLISH: &[&str] = &[
    "error",
    "errors",
    "warning",
    "cannot",
    "could",
    "failed",
    "fail",
    "file",
    "files",
    "sheet",
    "sheets",
    "row",
    "rows",
    "column",
    "columns",
    "cell",
    "cells",
    "not",
    "found",
    "invalid",
    "unknown",
    "missing",
    "and",
    "with",
    "from",
    "which",
    "was",
    "were",
    "is",
    "are",
    "has",
    "have",
    "permission",
    "denied",
    "such",
    "directory",
    "usage",
    "read",
    "write",
    "written",
    "expected",
    "value",
    "values",
    "panic",
    "panicked",
    "thread",
    "internal",
    "unexpected",
    "argument",
    "option",
    "for",
    "of",
    "or",
    "this",
    "that",
    "into",
    "too",
    "many",
    "large",
    "limit",
    "exceeded",
    "unreadable",
    "empty",
    "while",
    "reading",
    "writing",
    "report",
    "summary",
    "history",
    "period",
    "people",
    "person",
    "duplicate",
    "skipped",
    "rejected",
    "accepted",
    "total",
    "done",
    "encrypted",
    "password",
    "corrupt",
    "damaged",
    "header",
    "headers",
    "data",
    "stream",
    "unsupported",
    "format",
    "space",
    "disk",
    "left",
    "device",
    "broken",
    "pipe",
    "operation",
    "interrupted",
    "timed",
    "unit",
    "units",
    "embedded",
    "zip",
    "xml",
    "the",
    "workbook",
    "writer",
    "stopped",
    "type",
    "key",
    "table",
    "registry",
    "given",
    "used",
    "be",
    "at",
    "by",
    "on",
    "should",
    "must",
    "please",
    "see",
    "try",
    "cause",
    "caused",
    "because",
    "without",
    "only",
];

/// The English words of `line` outside what it quotes or names.
pub(crate) fn english_words(line: &str) -> Vec<String> {
    // What is quoted is the return's or the user's text, said as it was. A quote opens at
    // the start of a word and must close: an apostrophe inside a word ("can't") or left
    // open hides nothing.
    let chars: Vec<char> = line.chars().collect();
    let closing = |open: char| match open {
        '‘' => '’',
        '“' => '”',
        '«' => '»',
        c => c,
    };
    let mut unquoted = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_word = i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(';
        if starts_word
            && matches!(c, '\'' | '"' | '‘' | '“' | '«')
            && let Some(end) = chars[i + 1..].iter().position(|&d| d == closing(c))
        {
            unquoted.push(' ');
            i += end + 2;
            continue;
        }
        unquoted.push(c);
        i += 1;
    }
    unquoted
        .split_whitespace()
        // A sentence's last word keeps its stop: "denied." is a word, not a file name.
        .map(|token| token.trim_end_matches(['.', ',', ':', ';', ')', '!', '?']))
        // Names: paths, file names, options, codes and cell references with digits.
        .filter(|token| {
            !token.contains(['/', '\\', '.', '_', '=', '@'])
                && !token.starts_with('-')
                && !token.chars().any(|c| c.is_ascii_digit())
        })
        .flat_map(|token| token.split(|c: char| !c.is_alphabetic()).map(str::to_owned).collect::<Vec<_>>())
        .filter(|word| ENGLISH.contains(&word.to_lowercase().as_str()))
        .collect()
}

/// Runs a command the way the tests do, checking the clerk's language in what `tonghop`
/// says.
pub(crate) trait Said {
    /// [`Command::output`], and the check.
    fn said(&mut self) -> Output;
}

impl Said for Command {
    fn said(&mut self) -> Output {
        let out = self.output().expect("run the command");
        let args: Vec<String> = self.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        // The binary, or the cron script whose mail the clerk reads.
        let is_tonghop = self.get_program().to_string_lossy().ends_with("tonghop")
            || args.first().is_some_and(|a| a.ends_with("run-monthly.sh"));
        let for_engineers = |a: &str| {
            matches!(a, "--help" | "-h" | "help" | "man" | "completions" | "--version" | "-V" | "--emit-config")
        };
        if is_tonghop && !args.iter().any(|a| for_engineers(a)) {
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                let Ok(text) = std::str::from_utf8(bytes) else { continue };
                if serde_json::from_str::<serde_json::Value>(text).is_ok() {
                    continue;
                }
                for line in text.lines().filter(|l| !l.contains(" debug: ")) {
                    let english = english_words(line);
                    assert!(english.is_empty(), "English {english:?} in what tonghop {args:?} said ({stream}): {line}");
                }
            }
        }
        out
    }
}

#[test]
fn the_check_finds_english_and_leaves_names_alone() {
    for english in [
        "tonghop: lỗi: không ghi được báo cáo: No space left on device",
        "error: unexpected argument '--x' found",
        "đã đọc 3 files",
        "tệp hỏng (invalid zip archive)",
        "tonghop: lỗi: không ghi được: Permission denied.",
        "tonghop: lỗi: the workbook writer stopped",
        "can't read the file 'x",
    ] {
        assert!(!english_words(english).is_empty(), "{english}");
    }
    for vietnamese in [
        "tonghop 2024-02: 47/49 đơn vị đã nộp, 599 người; báo cáo: /tmp/r/BaoCao_2024-02.xlsx",
        "  Xã Hữu Liên/BC thang 02.xlsx, trang tính Sheet1, ô C7: 'Data error' không phải ngày",
        "--out và --summary-json không thể cùng ghi ra đầu ra chuẩn (-)",
        "mã hóa: TCVN3 (ABC), đã chuyển sang Unicode",
        "2026-12-05T02:08:38.990+00:00 debug: read / normalise, summed over the workers: 0.009 s",
        "đã ghi báo cáo: đầu ra chuẩn (45994830 byte)",
        "lỗi: tệp 'report.xlsx' đã có và không do tonghop lập",
    ] {
        let words = english_words(vietnamese);
        // The debug line is skipped by `said`, not by the word check.
        assert!(words.is_empty() || vietnamese.contains(" debug: "), "{vietnamese}: {words:?}");
    }
}
