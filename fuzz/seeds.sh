#!/usr/bin/env bash
# Fills fuzz/corpus/ingest/ (gitignored) with the seed corpus of the `ingest` fuzz target:
#   1. the small spreadsheets (< 64 KiB; xlsx, xlsm, xls, ods, xlsb) of the shared robustness
#      corpus (shared/corpus, beside the repository; SHARED_CORPUS=DIR to point elsewhere);
#   2. the repository's own fixtures of the same kinds and size (returns, layouts, hostile
#      files earlier fuzzing found, the training register);
#   3. two tiny hand-made OpenDocument returns (a header row "Họ và tên" and one person),
#      one of them with table:number-rows-repeated / table:number-columns-repeated on rows
#      and cells, so that mutations reach the repeat counts the ingest measures.
# Idempotent: files are named after their source path, so a rerun overwrites them.
# Usage: fuzz/seeds.sh [CORPUS_DIR]
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$fuzz_dir/.." && pwd)"
out="${1:-$fuzz_dir/corpus/ingest}"
max_bytes=65535
mkdir -p "$out"

shared="${SHARED_CORPUS:-}"
if [[ -z "$shared" ]]; then
    for candidate in "$repo/../shared/corpus" /work/shared/corpus; do
        if [[ -d "$candidate" ]]; then shared="$candidate"; break; fi
    done
fi

# copy_small SRC_ROOT PREFIX: every small spreadsheet below SRC_ROOT, named PREFIX + its
# path with '/' and spaces turned into '_'.
copy_small() {
    local root="$1" prefix="$2" n=0 rel name
    while IFS= read -r -d '' f; do
        rel="${f#"$root"/}"
        name="$prefix$(printf '%s' "$rel" | tr '/ ' '__')"
        cp -f -- "$f" "$out/$name"
        n=$((n + 1))
    done < <(find "$root" -type f \( -iname '*.xlsx' -o -iname '*.xlsm' -o -iname '*.xls' -o -iname '*.ods' \
        -o -iname '*.xlsb' \) -size -$((max_bytes + 1))c -print0)
    echo "seeds: $n from $root"
}

if [[ -n "$shared" && -d "$shared" ]]; then
    copy_small "$(cd "$shared" && pwd)" "shared_"
else
    echo "seeds: no shared corpus found (set SHARED_CORPUS), skipped" >&2
fi
copy_small "$repo/fixtures" "fixture_"

python3 - "$out" <<'PY'
import sys, zipfile, pathlib

out = pathlib.Path(sys.argv[1])
MIME = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIME}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)

def cell(text, extra=""):
    return (f'<table:table-cell office:value-type="string"{extra}>'
            f"<text:p>{text}</text:p></table:table-cell>")

def content(rows):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="DS">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )

header = "<table:table-row>" + cell("STT") + cell("Họ và tên") + cell("Ngày sinh") + "</table:table-row>"
person = "<table:table-row>" + cell("1") + cell("Lò Văn Páo") + cell("12/05/1978") + "</table:table-row>"
plain = header + person
repeated = (
    '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/>'
    "</table:table-row>"
    + header
    + "<table:table-row>" + cell("1") + cell("Lò Văn Páo", ' table:number-columns-spanned="1"')
    + '<table:table-cell table:number-columns-repeated="2"/>' + cell("1978") + "</table:table-row>"
    + '<table:table-row table:number-rows-repeated="3">'
    + '<table:table-cell office:value-type="string" table:number-columns-repeated="2"><text:p>x</text:p>'
    + "</table:table-cell></table:table-row>"
    + '<table:table-row table:number-rows-repeated="1048570">'
    + '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
)

for name, rows in [("handmade_ods_plain.ods", plain), ("handmade_ods_repeats.ods", repeated)]:
    path = out / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        # The mimetype first and stored, as the OpenDocument package rules ask.
        z.writestr("mimetype", MIME)
        z.writestr("META-INF/manifest.xml", MANIFEST)
        z.writestr("content.xml", content(rows))
    print(f"seeds: {path.name} ({path.stat().st_size} bytes)")
PY

echo "seeds: $(find "$out" -type f | wc -l) files in $out"
