#!/usr/bin/env bash
# Renders a report workbook to PNG pages, to look at every sheet as the standing committee
# will print it: LibreOffice headless → PDF → pdftoppm. Needs Debian's libreoffice-calc-nogui
# and poppler-utils (apt-get install -y --no-install-recommends libreoffice-calc-nogui poppler-utils).
set -euo pipefail
report=${1:?usage: scripts/render-report.sh REPORT.xlsx [OUT_DIR]}
out=${2:-out/render}
mkdir -p "$out"
soffice --headless --convert-to pdf --outdir "$out" "$report" >/dev/null
pdf="$out/$(basename "${report%.*}").pdf"
pdftoppm -png -r "${DPI:-70}" "$pdf" "$out/page"
ls "$out"/page*.png
