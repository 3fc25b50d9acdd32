#!/usr/bin/env bash
# `make bench-load`: how fast `billtriage load` builds a history (issue 16).
# Generates ROWS labelled records (`generate --seed 11 --invoices 50000`,
# cached in var/bench-load/), loads
# them into a fresh schema of the scratch database BENCH_DB with the owner's
# URL (so the index is set aside and rebuilt), then:
#   - a raw anchor from the same run: psql \copy of the loaded rows into a
#     table of the same shape (no embedding, no dedup);
#   - an incremental load of 1,000 new records into that history, which
#     must keep the live index;
#   - a reload of those 1,000, which must add none.
# Prints wall time, rows/s and peak RSS of each. Not part of `make test`.
#   make bench-load ROWS=1000000
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-common.sh load
if [[ ! -s $DIR/extra/exceptions.jsonl ]]; then  # other seed: ids EXC-... clash, so rename them
  $BIN generate --seed 12 --exceptions 1000 --invoices 10 --out "$DIR/extra" >/dev/null
  sed -i 's/"id":"EXC-/"id":"EXTRA-/' "$DIR/extra/exceptions.jsonl"
fi
PGOPTIONS="-c client_min_messages=warning" psql -q "$OWNER_URL" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
$BIN migrate >/dev/null

# timed LABEL CMD...: runs CMD under /usr/bin/time, keeps its output in
# $DIR/LABEL.out and prints wall seconds and peak RSS.
timed() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$DIR/$label.time" "$@" >"$DIR/$label.out" 2>"$DIR/$label.err" || {
    cat "$DIR/$label.err"; exit 1; }
  read -r secs rss <"$DIR/$label.time"
  printf '%s\t%s s\t%d MB peak RSS\n' "$label" "$secs" $((rss / 1024))
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(psql -Atc 'SHOW server_version' "$OWNER_URL" | cut -d' ' -f1) PostgreSQL, pgvector $(psql -Atc "SELECT extversion FROM pg_extension WHERE extname='vector'" "$OWNER_URL"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
timed bulk $BIN load --quiet --exceptions "$data/exceptions.jsonl"
sed 's/^/    /' "$DIR/bulk.out"
timed incremental $BIN load --quiet --exceptions "$DIR/extra/exceptions.jsonl"
sed 's/^/    /' "$DIR/incremental.out"
timed reload $BIN load --quiet --exceptions "$DIR/extra/exceptions.jsonl"
sed 's/^/    /' "$DIR/reload.out"

cols="exception_id, external_id, type, text, root_cause, action, params, queue, verdict, resolved_by, note, occurred_at, resolved_at, embedder, embedding, match_text"
anchor=$(psql -q "$OWNER_URL" -v ON_ERROR_STOP=1 <<SQL 2>&1 | awk '/^Time:/ {t=$2} END {print t}'
SET search_path = $SCHEMA, public;
\copy (SELECT $cols FROM resolutions) TO '$PWD/$DIR/anchor.copy'
CREATE TABLE anchor (LIKE resolutions INCLUDING DEFAULTS);
\timing on
\copy anchor ($cols) FROM '$PWD/$DIR/anchor.copy'
SQL
)
rm -f "$DIR/anchor.copy"
printf 'anchor\t%.1f s\t\\copy of the %s stored rows into a table of the same shape (no embedding, no index)\n' "$(echo "$anchor / 1000" | bc -l)" "$(psql -Atc "SELECT count(*) FROM $SCHEMA.resolutions" "$OWNER_URL")"
