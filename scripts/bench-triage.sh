#!/usr/bin/env bash
# `make bench-triage` (issue 16): POST latency at one client, req/s at 4
# and 16 clients, items/s in batches of 100, serve's time to ready and its
# RSS, at a history of ROWS (default 100000) generated resolutions
# (`generate --seed 11 --invoices 50000`, cached in var/bench-triage/).
# The binary of BEFORE_COMMIT (default e038516, before the issue-16 triage
# work) and this tree's are each loaded into a schema of their own of the
# scratch database BENCH_DB and measured one after the other in the same
# run. BENCH_TRIAGE_REUSE=1 keeps schemas already loaded (no load figure);
# BENCH_TRIAGE_ONLY=after measures this tree alone. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-100000}
BENCH_DB=${BENCH_DB:-billtriage_bench}
BEFORE_COMMIT=${BEFORE_COMMIT:-e038516}
DIR=var/bench-triage
APP_URL="postgres://billtriage_app@127.0.0.1:5432/$BENCH_DB?sslmode=disable"
OWNER_URL="postgres://billtriage_owner@127.0.0.1:5432/$BENCH_DB?sslmode=disable"
DATABASE_URL=$APP_URL BILLTRIAGE_MIGRATE_URL=$OWNER_URL scripts/db-setup.sh >/dev/null
mkdir -p "$DIR"
go build -o "$DIR/billtriage-after" ./cmd/billtriage
bins="after=$PWD/$DIR/billtriage-after"
if [[ ${BENCH_TRIAGE_ONLY:-} != after ]]; then
  if [[ ! -x $DIR/billtriage-$BEFORE_COMMIT ]]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    git archive "$BEFORE_COMMIT" | tar -x -C "$tmp/"
    (cd "$tmp" && go build -o billtriage ./cmd/billtriage)
    cp "$tmp/billtriage" "$DIR/billtriage-$BEFORE_COMMIT"
  fi
  bins="before=$PWD/$DIR/billtriage-$BEFORE_COMMIT,$bins"
fi
data=$DIR/seed11-$ROWS
if [[ ! -s $data/exceptions.jsonl ]]; then
  "$DIR/billtriage-after" generate --seed 11 --exceptions "$ROWS" --invoices 50000 --out "$data" >/dev/null
fi
if [[ ! -s $DIR/fresh/exceptions.jsonl ]]; then  # what clients post: another seed, unlabelled
  "$DIR/billtriage-after" generate --seed 12 --exceptions 2000 --invoices 10 --out "$DIR/fresh" >/dev/null
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; PostgreSQL $(psql -Atc 'SHOW server_version' "$OWNER_URL" | cut -d' ' -f1), pgvector $(psql -Atc "SELECT extversion FROM pg_extension WHERE extname='vector'" "$OWNER_URL"), $(go version | cut -d' ' -f3); load average $(cut -d' ' -f1-3 /proc/loadavg); history $ROWS"
BENCH_TRIAGE_BINS=$bins BENCH_TRIAGE_DATA=$PWD/$data BENCH_TRIAGE_FRESH=$PWD/$DIR/fresh \
  BENCH_TRIAGE_APP_URL=$APP_URL BENCH_TRIAGE_OWNER_URL=$OWNER_URL \
  go test -count=1 -tags benchtriage -run '^TestBenchTriage$' -v -timeout 60m ./cmd/billtriage
