#!/usr/bin/env bash
# Compiles src, test and bench into build/ (dist/ is the package's: src and the web page only), then runs the
# compiled test files (node 20's --test has no globs). Extra args go to node --test.
# `--fast` runs the fast tier only: no MongoDB server, no child processes, no listening server (unit, collector,
# SQLite store, and the HTTP files that reach the app by app.inject, i.e. never call startTestServer, in one
# process); the full run is everything, each file in its own process, real sockets, FerretDB and whole-process
# tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
tier=full
if [[ "${1:-}" == "--fast" ]]; then
  tier=fast
  shift
fi
npx tsc -p tsconfig.json
# What ships runs TypeBox from one file (src/schemas/typebox.ts): the tests run that file too.
node scripts/bundle-typebox.mjs build
# The full run tests the page as built from web/ now (test/browser reads dist/web).
if [[ $tier == full ]]; then
  node scripts/build-web.mjs
fi
if [[ $tier == fast ]]; then
  # The HTTP files that need no socket run together in one process (test/support/inject-tier.ts picks them),
  # started first: it is the longest.
  mapfile -t files < <(
    echo build/test/support/inject-tier.js
    find build/test/unit build/test/collector build/test/store -name '*.test.js' | grep -v -e mongo -e migrate | sort
  )
else
  mapfile -t files < <(find build/test -name '*.test.js' | sort)
fi
exec node --test --test-concurrency="${HOLODULE_TEST_CONCURRENCY:-2}" "$@" "${files[@]}"
