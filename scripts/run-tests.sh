#!/usr/bin/env bash
# Builds, then runs every compiled test file (node 20's --test has no globs). Extra args go to node --test.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
mapfile -t files < <(find dist/test -name '*.test.js' | sort)
exec node --test --test-concurrency="${HOLODULE_TEST_CONCURRENCY:-2}" "$@" "${files[@]}"
