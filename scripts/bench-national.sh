#!/usr/bin/env bash
# The scale benchmark: a national-size month generated with the fixture generator
# (10,000 communes of 25 officials in the recommended template, a generated registry, and
# the same 250,000 people as one consolidated file), timed in one run on the same files:
#   - tonghop run, end to end, with its stage profile (from its log lines);
#   - the raw calamine floor (examples/floor.rs: open every file, visit every cell);
#   - the ingest alone against the same floor (examples/ingest_bench.rs), since the run
#     normalises each file's rows as soon as it is read;
#   - polars + fastexcel and pandas + openpyxl reading the same files and counting people
#     by unit (installed from PyPI into a throw-away virtual environment).
# Runs go round by round (floor, tonghop, polars, then again), so that the machine's drift
# weighs on all alike. Prints medians, the ratios and peak memory (maximum resident set size).
#
#   scripts/bench-national.sh [--units N] [--rows R] [--runs K] [--dir DIR] [--no-pandas]
#
# Defaults: 10,000 units, 25 rows, 3 runs (pandas once: it takes minutes), data in a
# temporary folder (kept with --dir, so that a second run skips the generation).
set -euo pipefail
cd "$(dirname "$0")/.."
units=10000 rows=25 runs=3 dir="" pandas=1
while [ $# -gt 0 ]; do
  case "$1" in
    --units) units=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --no-pandas) pandas=0; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-national: unknown option $1" >&2; exit 2 ;;
  esac
done
target=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release --locked --quiet --bin tonghop
cargo build --release --locked --quiet -p tonghop-fixtures --bin gen-national
cargo build --release --locked --quiet -p tonghop-ingest --example floor --example ingest_bench
bin="$target/release"
[ -n "$dir" ] || dir="$(mktemp -d "${TMPDIR:-/tmp}/tonghop-national.XXXXXX")"
mkdir -p "$dir"
if [ ! -f "$dir/units.toml" ] || [ "$(grep -c '^\[\[unit\]\]' "$dir/units.toml")" != "$units" ]; then
  rm -rf "$dir/returns" "$dir/single"
  echo "generating $units returns of $rows rows and one file of $((units * rows)) rows in $dir ..." >&2
  /usr/bin/time -f "  generated in %e s" "$bin/gen-national" --out "$dir" --units "$units" --rows "$rows"
fi
venv="${TMPDIR:-/tmp}/tonghop-bench-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet polars==2.1.0 fastexcel==0.21.0 pandas==3.1.1 openpyxl==3.1.5 2>/dev/null \
  || "$venv/bin/pip" install --quiet polars fastexcel pandas openpyxl
py="$venv/bin/python"

# once NAME I CMD...: runs CMD once as run I of NAME; records its wall seconds and peak RSS
# (KiB), its output and standard error (tonghop's stage log).
declare -A wall peak times
once() {
  local name=$1 i=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$dir/.time" "$@" >"$dir/$name.$i.out" 2>"$dir/$name.$i.log" || true
  # /usr/bin/time says first when the command failed: the figures are on the last line.
  local t m
  read -r t m < <(tail -1 "$dir/.time")
  times[$name]+="$t $i"$'\n'
  [ "$m" -gt "${peak[$name]:-0}" ] && peak[$name]=$m
  return 0
}

# median NAME N: the median of NAME's N runs, whose output and log are kept as NAME.out/.log.
median() {
  local name=$1 n=$2 m
  m=$(printf '%s' "${times[$name]}" | sort -n | sed -n "$(((n + 1) / 2))p")
  wall[$name]=${m% *}
  cp "$dir/$name.${m#* }.log" "$dir/$name.log"
  cp "$dir/$name.${m#* }.out" "$dir/$name.out"
}

# round_wall NAME I: the wall seconds of NAME's run I.
round_wall() { printf '%s' "${times[$1]}" | awk -v i="$2" '$2 == i { print $1 }'; }

# stage SECONDS-AT: the cumulative time a log line of tonghop ends with, "(1.23 s)".
stage() { grep -F "$2" "$dir/$1.log" | sed -E 's/.*\(([0-9.]+) s\)$/\1/' | tail -1; }

report() {
  local scenario=$1 folder=$2 how=$3
  # Round by round, each tool once a round: the machine's speed drifts over minutes, and a
  # drift then weighs on every tool alike instead of on whichever ran during it.
  for i in $(seq 1 "$runs"); do
    once "floor-$scenario" "$i" "$bin/examples/floor" "$folder"
    once "tonghop-$scenario" "$i" "$bin/tonghop" run "$folder" --units "$dir/units.toml" \
      --out "$dir/BaoCao-$scenario.xlsx" --summary-json "$dir/summary-$scenario.json" --progress never
    once "polars-$scenario" "$i" "$py" scripts/bench_python.py polars "$folder" "$how"
  done
  for tool in floor tonghop polars; do median "$tool-$scenario" "$runs"; done
  if [ "$pandas" = 1 ]; then
    once "pandas-$scenario" 1 "$py" scripts/bench_python.py pandas "$folder" "$how"
    median "pandas-$scenario" 1
  fi
  BENCH_UNITS="$dir/units.toml" "$bin/examples/ingest_bench" "$folder" 1 "$runs" >"$dir/ingest-$scenario.out" 2>&1
  local ingest_alone
  ingest_alone=$(sed -nE 's/^ratio of the medians: ([0-9.]+)$/\1/p' "$dir/ingest-$scenario.out")
  local floor_in ingest consolidated written
  floor_in=$(sed -E 's/.*, ([0-9.]+) s$/\1/' "$dir/floor-$scenario.out")
  local started
  started=$(stage "tonghop-$scenario" " tệp trong ")
  ingest=$(stage "tonghop-$scenario" "đã đọc và chuẩn hóa")
  consolidated=$(stage "tonghop-$scenario" "đã tổng hợp:")
  written=$(stage "tonghop-$scenario" "đã ghi báo cáo:")
  python3 - "$scenario" "$floor_in" "$started" "$ingest" "$consolidated" "$written" "$ingest_alone" \
    "${wall[floor-$scenario]}" "${wall[tonghop-$scenario]}" "${wall[polars-$scenario]}" "${wall[pandas-$scenario]:-}" \
    "${peak[floor-$scenario]}" "${peak[tonghop-$scenario]}" "${peak[polars-$scenario]}" "${peak[pandas-$scenario]:-}" \
    "$(cat "$dir/floor-$scenario.out")" "$(tail -1 "$dir/polars-$scenario.out")" <<'EOF'
import sys
(scenario, floor_in, started, ingest, consolidated, written, ingest_alone, w_floor, w_tonghop, w_polars, w_pandas,
 m_floor, m_tonghop, m_polars, m_pandas, floor_out, polars_out) = sys.argv[1:]
f = lambda s: float(s) if s else None
floor_in, started, ingest, consolidated, written = map(f, (floor_in, started, ingest, consolidated, written))
w_floor, w_tonghop, w_polars, w_pandas = map(f, (w_floor, w_tonghop, w_polars, w_pandas))
mb = lambda k: f"{int(k) / 1024:.0f} MiB" if k else "-"
print(f"\n== {scenario}: {floor_out}")
print(f"  calamine floor        median {w_floor:7.2f} s (in-process {floor_in:.2f} s)  peak {mb(m_floor)}")
print(f"  tonghop run           median {w_tonghop:7.2f} s  peak {mb(m_tonghop)}")
print(f"    stages (median run): start {started:.2f} s, ingest and normalise {ingest - started:.2f} s, "
      f"dedup+indicators {consolidated - ingest:.2f} s, workbook {written - consolidated:.2f} s")
print(f"  polars + fastexcel    median {w_polars:7.2f} s  peak {mb(m_polars)}  ({polars_out})")
if w_pandas:
    print(f"  pandas + openpyxl     once   {w_pandas:7.2f} s  peak {mb(m_pandas)}")
print(f"  ratios: tonghop end to end / floor {w_tonghop / w_floor:.2f} (target <= 3); "
      f"ingest alone / floor (ingest_bench) {ingest_alone} (target <= 1.5), "
      f"ingest and normalise / floor (in-process) {(ingest - started) / floor_in:.2f}; "
      f"polars / tonghop {w_polars / w_tonghop:.2f} (target >= 5)"
      + (f"; pandas / tonghop {w_pandas / w_tonghop:.1f}" if w_pandas else ""))
EOF
  # Each round's own ratio: the drift between rounds does not enter it.
  local i line="  round by round (wall s): "
  for i in $(seq 1 "$runs"); do
    local f t p
    f=$(round_wall "floor-$scenario" "$i") t=$(round_wall "tonghop-$scenario" "$i") p=$(round_wall "polars-$scenario" "$i")
    line+=$(awk -v i="$i" -v f="$f" -v t="$t" -v p="$p" \
      'BEGIN { printf "%s%s: floor %.2f, tonghop %.2f (%.2f x floor), polars %.2f (%.2f x tonghop)", (i > 1 ? "; " : ""), i, f, t, t / f, p, p / t }')
  done
  echo "$line"
}

echo "$(nproc) cores; $units units x $rows rows; $runs runs; data in $dir" >&2
report "many-files" "$dir/returns/2024-02" title
report "one-file" "$dir/single/2024-02" column
