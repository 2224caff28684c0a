#!/usr/bin/env bash
# Regenerates the bundled sample month and its truth file (deterministic: seed 2024).
# The end-to-end test `committed_fixtures_are_what_the_generator_makes` fails when the
# committed files and the generator disagree; run this script and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet -p tonghop-fixtures --bin gen-fixtures -- \
  --seed 2024 --period 2024-02 --out fixtures/returns/2024-02 --truth fixtures/truth/2024-02.json
