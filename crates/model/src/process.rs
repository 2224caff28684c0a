//! What the running process can tell of itself, for the logs and the benchmarks.

/// The process's peak resident memory so far, in KiB, from Linux's `/proc` (`None`
/// elsewhere).
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_running_process_has_used_some_memory_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(super::peak_memory_kib().is_some_and(|k| k > 100));
        }
    }
}
