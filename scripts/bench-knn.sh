#!/usr/bin/env bash
# `make bench-knn`: recall and latency of the history's nearest-neighbour
# search (issue 16). Generates ROWS labelled records (`generate --seed 11
# --invoices 50000`, cached in var/bench-knn/) and, unless KEEP=1 and the
# schema already holds them, loads them with the owner's URL (so the
# indexes are built in bulk) into schema BENCH_SCHEMA of the scratch
# database BENCH_DB. Then TestBenchKNN (triage/postgres/bench_knn_test.go, build tag benchknn) embeds query texts
# of another seed and, per type, times Store.Nearest against an exact
# search: own-type queries and far ones (another type's text searched
# under this type). Not part of `make test`.
#   make bench-knn ROWS=1000000 PER_TYPE=100 FAR=30
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-common.sh knn
if [[ ! -s $DIR/queries/exceptions.jsonl ]]; then
  $BIN generate --seed 12 --exceptions 10000 --invoices 100 --out "$DIR/queries" >/dev/null
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; PostgreSQL $(psql -Atc 'SHOW server_version' "$OWNER_URL" | cut -d' ' -f1), pgvector $(psql -Atc "SELECT extversion FROM pg_extension WHERE extname='vector'" "$OWNER_URL"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
have=$(psql -Atc "SELECT count(*) FROM $SCHEMA.resolutions" "$OWNER_URL" 2>/dev/null || echo 0)
if [[ ${KEEP:-0} != 1 || $have != "$ROWS" ]]; then
  PGOPTIONS="-c client_min_messages=warning" psql -q "$OWNER_URL" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
  $BIN migrate >/dev/null
  /usr/bin/time -f '%e s' -o "$DIR/load.time" $BIN load --quiet --exceptions "$data/exceptions.jsonl" >"$DIR/load.out"
  echo "loaded $ROWS rows into $BENCH_DB.$SCHEMA in $(cat "$DIR/load.time")"
fi
psql -Atc "SELECT 'indexes: ' || string_agg(indexname, ', ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = '$SCHEMA' AND indexdef LIKE '%USING hnsw%'" "$OWNER_URL"
DATABASE_URL=$APP_URL BILLTRIAGE_SCHEMA=$SCHEMA BENCH_KNN_QUERIES=$PWD/$DIR/queries/exceptions.jsonl \
  BENCH_KNN_PER_TYPE=${PER_TYPE:-100} BENCH_KNN_FAR=${FAR:-30} \
  go test -tags benchknn -run '^TestBenchKNN$' -count=1 -v -timeout 60m ./triage/postgres/
