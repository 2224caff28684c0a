#!/usr/bin/env bash
# Việc tổng hợp hằng tháng, chạy bằng cron: tổng hợp data/returns/<kỳ>/ thành
# data/reports/<kỳ>/BaoCao_<kỳ>.xlsx và summary.json, ghi nhật ký vào data/logs/<kỳ>.log.
# Lưu số liệu từng kỳ trong data/history/ (số liệu tháng trước và trang Biến động), đọc sổ
# theo dõi các lớp data/training/classes.xlsx nếu có, và quyết định trùng lặp đã chọn trong báo cáo tháng trước.
#
#   scripts/run-monthly.sh [--period YYYY-MM] [--data THƯ_MỤC] [--demo] [--help]
#
# Chạy được từ thư mục nào cũng được, kể cả trong môi trường tối giản của cron. Kỳ mặc định
# là tháng trước (chạy ngày 5 cho tháng trước). Hai lần chạy không bao giờ chồng nhau (có khóa
# trong thư mục dữ liệu). Mã kết thúc như của tonghop: 0 hoàn tất, 3 đã lập báo cáo nhưng có
# đơn vị chưa nộp hoặc không đọc được, 1 thất bại, 2 lệnh chạy sai. Dòng in cuối cùng là kết
# quả một dòng cho thư cron.
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
    *) echo "run-monthly: không hiểu tùy chọn '$1'" >&2; usage >&2; exit 2 ;;
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
  *) echo "run-monthly: --period phải có dạng YYYY-MM, không phải '$period'" >&2; exit 2 ;;
esac
mkdir -p "$data/logs" "$data/reports/$period" || { echo "run-monthly: không tạo được thư mục trong $data" >&2; exit 1; }
log="$data/logs/$period.log"
# Appended to, never truncated, and never through a link (its target would be written).
if [ -L "$data/.tonghop.lock" ]; then
  echo "run-monthly: tệp khóa $data/.tonghop.lock là một liên kết; xóa nó rồi chạy lại" >&2
  exit 1
fi
exec 9>>"$data/.tonghop.lock"
if ! flock -n 9; then
  echo "run-monthly: một lần chạy khác đang diễn ra (khóa $data/.tonghop.lock); không chạy" | tee -a "$log" >&2
  exit 1
fi
bin="$repo/target/release/tonghop"
# Build when missing or older than the sources (a no-op in a second when up to date); a
# machine without cargo runs the binary it has.
if command -v cargo >/dev/null 2>&1; then
  [ -x "$bin" ] || echo "run-monthly: đang dựng chương trình tonghop (chỉ lần đầu, vài phút)..." | tee -a "$log" >&2
  (cd "$repo" && CARGO_TARGET_DIR="$repo/target" cargo build --release --locked --quiet) >>"$log" 2>&1 \
    || { echo "run-monthly: dựng chương trình không được, xem $log" >&2; exit 1; }
elif [ ! -x "$bin" ]; then
  echo "run-monthly: không có chương trình $bin và không có cargo để dựng" | tee -a "$log" >&2
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
  0) echo "tonghop $period: hoàn tất; báo cáo $report" ;;
  3) echo "tonghop $period: đã lập báo cáo nhưng tháng chưa đủ (có đơn vị chưa nộp, không đọc được hoặc số liệu có thể đọc sai, hoặc số liệu kỳ trước hay sổ theo dõi các lớp hỏng; xem trang Tổng hợp và Tiếp nhận); báo cáo $report" ;;
  2) echo "tonghop $period: lệnh chạy sai; xem $log" ;;
  *) echo "tonghop $period: THẤT BẠI (mã $code); chưa lập được báo cáo; xem $log" ;;
esac
exit "$code"
