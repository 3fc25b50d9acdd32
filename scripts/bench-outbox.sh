#!/usr/bin/env bash
# `make bench-outbox`: events per second through the outbox to a local
# webhook receiver, and the latency the outbox adds to POST /v1/exceptions
# against the last commit before it (d30a53f), built here from git and run
# in the same process tree on its own schema. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE_COMMIT=${BEFORE_COMMIT:-d30a53f}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git archive "$BEFORE_COMMIT" | tar -x -C "$tmp/"
(cd "$tmp" && go build -o "$tmp/billtriage-before" ./cmd/billtriage)
BENCH_OUTBOX_BEFORE=$tmp/billtriage-before go test -count=1 -tags benchoutbox -run '^TestBenchOutbox$' -v -timeout 20m ./cmd/billtriage
