# Sourced by the bench-*.sh scripts: a scratch database BENCH_DB (made by
# db-setup with the two roles), a schema per benchmark and size, and the
# generated history they measure on, cached under var/.
# Usage: source scripts/bench-common.sh NAME   (NAME: knn, load, ...)
ROWS=${ROWS:-100000}
BENCH_DB=${BENCH_DB:-billtriage_bench}
SCHEMA=${BENCH_SCHEMA:-bench_$1_$ROWS}
BIN=${BIN:-bin/billtriage}
DIR=var/bench-$1
APP_URL="postgres://billtriage_app@127.0.0.1:5432/$BENCH_DB?sslmode=disable"
OWNER_URL="postgres://billtriage_owner@127.0.0.1:5432/$BENCH_DB?sslmode=disable"
export DATABASE_URL=$APP_URL BILLTRIAGE_MIGRATE_URL=$OWNER_URL BILLTRIAGE_SCHEMA=$SCHEMA BILLTRIAGE_LOG_LEVEL=error

DATABASE_URL=$APP_URL BILLTRIAGE_MIGRATE_URL=$OWNER_URL scripts/db-setup.sh >/dev/null
mkdir -p "$DIR"
data=$DIR/seed11-$ROWS
if [[ ! -s $data/exceptions.jsonl ]]; then
  echo "generating $ROWS records in $data"
  $BIN generate --seed 11 --exceptions "$ROWS" --invoices 50000 --out "$data" >/dev/null
fi

# copy_anchor: psql \copy of the schema's stored resolutions into a table
# of the same shape (no embedding, no dedup, no index): the raw write rate
# of this server in this run. Prints "SECONDS ROWS".
copy_anchor() {
  local cols="exception_id, external_id, type, text, root_cause, action, params, queue, verdict, resolved_by, note, occurred_at, resolved_at, embedder, embedding, match_text"
  local ms
  ms=$(psql -q "$OWNER_URL" -v ON_ERROR_STOP=1 <<SQL 2>&1 | awk '/^Time:/ {t=$2} END {print t}'
SET search_path = $SCHEMA, public;
DROP TABLE IF EXISTS anchor;
\copy (SELECT $cols FROM resolutions) TO '$PWD/$DIR/anchor.copy'
CREATE TABLE anchor (LIKE resolutions INCLUDING DEFAULTS);
\timing on
\copy anchor ($cols) FROM '$PWD/$DIR/anchor.copy'
SQL
)
  rm -f "$DIR/anchor.copy"
  psql -q "$OWNER_URL" -c "DROP TABLE IF EXISTS $SCHEMA.anchor"
  echo "$(echo "$ms / 1000" | bc -l) $(psql -Atc "SELECT count(*) FROM $SCHEMA.resolutions" "$OWNER_URL")"
}

# machine_line describes the machine and server a figure was measured on.
machine_line() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; PostgreSQL $(psql -Atc 'SHOW server_version' "$OWNER_URL" | cut -d' ' -f1), pgvector $(psql -Atc "SELECT extversion FROM pg_extension WHERE extname='vector'" "$OWNER_URL"), $(go version | cut -d' ' -f3); load average $(cut -d' ' -f1-3 /proc/loadavg); history $ROWS"
}
