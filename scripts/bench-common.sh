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
