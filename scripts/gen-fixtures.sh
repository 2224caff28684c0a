#!/usr/bin/env bash
# Regenerates the bundled sample month, its truth file and the cell specifications of its
# .xls/.ods files (deterministic: seed 2024), then renders those with Python (xlwt, odfpy
# from PyPI, in a throw-away virtual environment). The end-to-end test
# `committed_fixtures_are_what_the_generator_makes` fails when committed files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet -p tonghop-fixtures --bin gen-fixtures -- \
  --seed 2024 --period 2024-02 --out fixtures/returns/2024-02 \
  --truth fixtures/truth/2024-02.json --specs fixtures/specs/2024-02.json \
  --training fixtures/training/2024-02.xlsx --training-truth fixtures/truth/training-2024-02.json
venv="${TMPDIR:-/tmp}/tonghop-fixtures-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet xlwt==1.3.0 odfpy==1.4.1
"$venv/bin/python" scripts/render-fixtures.py 2024-02
