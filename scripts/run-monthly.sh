#!/usr/bin/env bash
# The monthly job, for cron: consolidates data/returns/<period>/ into
# data/reports/<period>/BaoCao_<period>.xlsx and summary.json, logging to data/logs/<period>.log.
# Keeps period snapshots in data/history/ (the previous month's figures and Biến động), and
# reads the training centre's register data/training/classes.xlsx when it is there.
#
#   scripts/run-monthly.sh [--period YYYY-MM] [--data DIR] [--demo] [--help]
#
# Works from any directory and under cron's bare environment. The period defaults to the
# previous month (run on the 5th for last month). Two runs never overlap (a lock in the data
# folder). Exit codes are tonghop's: 0 complete, 3 report written but a unit is missing or
# unreadable, 1 failed, 2 wrong usage. The last line printed is a one-line result for the
# cron mail.
set -uo pipefail
export PATH="/usr/bin:/bin:$HOME/.cargo/bin:/usr/local/bin${PATH:+:$PATH}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$repo/data"
period=""
demo=0
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    # An option without its value (an unset variable in a crontab) stops here: "shift 2"
    # would fail and loop for ever.
    --period|--data)
      if [ $# -lt 2 ] || [ -z "$2" ]; then
        echo "run-monthly: thiếu giá trị sau $1" >&2
        exit 2
      fi
      if [ "$1" = --period ]; then period=$2; else data=$2; fi
      shift 2 ;;
    --demo) demo=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-monthly: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ "$demo" = 1 ]; then
  data="$(mktemp -d "${TMPDIR:-/tmp}/tonghop-demo.XXXXXX")"
  period="2024-02"
  mkdir -p "$data/returns"
  cp -r "$repo/fixtures/returns/2024-02" "$data/returns/"
  mkdir -p "$data/training"
  cp "$repo/fixtures/training/2024-02.xlsx" "$data/training/classes.xlsx"
fi
if [ -z "$period" ]; then
  period="$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)"
fi
case "$period" in
  [0-9][0-9][0-9][0-9]-[0-1][0-9]) ;;
  *) echo "run-monthly: --period must be YYYY-MM, not '$period'" >&2; exit 2 ;;
esac
mkdir -p "$data/logs" "$data/reports/$period" || { echo "run-monthly: cannot create folders under $data" >&2; exit 1; }
log="$data/logs/$period.log"
# Appended to, never truncated, and never through a link (its target would be written).
if [ -L "$data/.tonghop.lock" ]; then
  echo "run-monthly: the lock $data/.tonghop.lock is a link; remove it and run again" >&2
  exit 1
fi
exec 9>>"$data/.tonghop.lock"
if ! flock -n 9; then
  echo "run-monthly: another run is in progress (lock $data/.tonghop.lock); not starting" | tee -a "$log" >&2
  exit 1
fi
bin="$repo/target/release/tonghop"
# Build when missing or older than the sources (a no-op in a second when up to date); a
# machine without cargo runs the binary it has.
if command -v cargo >/dev/null 2>&1; then
  [ -x "$bin" ] || echo "run-monthly: building tonghop (first run only, several minutes)..." | tee -a "$log" >&2
  (cd "$repo" && CARGO_TARGET_DIR="$repo/target" cargo build --release --locked --quiet) >>"$log" 2>&1 \
    || { echo "run-monthly: build failed, see $log" >&2; exit 1; }
elif [ ! -x "$bin" ]; then
  echo "run-monthly: no tonghop binary at $bin and no cargo to build it" | tee -a "$log" >&2
  exit 1
fi
report="$data/reports/$period/BaoCao_$period.xlsx"
summary="$data/reports/$period/summary.json"
extra=(--history "$data/history")
# Pairs the clerk decided in last month's report (Trùng lặp, "Quyết định") are read, and
# kept in the history's decisions.toml.
previous="$(date -d "$period-01 -1 month" +%Y-%m 2>/dev/null)"
if [ -n "$previous" ] && [ -f "$data/reports/$previous/BaoCao_$previous.xlsx" ]; then
  extra+=(--decisions "$data/reports/$previous/BaoCao_$previous.xlsx")
fi
if [ -f "$data/training/classes.xlsx" ]; then
  extra+=(--training "$data/training/classes.xlsx")
fi
{
  echo "=== $(date '+%Y-%m-%d %H:%M:%S') tonghop run $period"
  "$bin" run "$data/returns/$period" --period "$period" --out "$report" --summary-json "$summary" "${extra[@]}"
} 2>&1 | tee -a "$log" >&2
code=${PIPESTATUS[0]}
case "$code" in
  0) echo "tonghop $period: complete; report $report" ;;
  3) echo "tonghop $period: report written but the month is incomplete (a unit missing, unreadable or doubtful, or a damaged snapshot or register; see 'Tổng hợp' and 'Tiếp nhận'); report $report" ;;
  2) echo "tonghop $period: wrong usage; see $log" ;;
  *) echo "tonghop $period: FAILED (exit $code); no report written; see $log" ;;
esac
exit "$code"
