#!/usr/bin/env bash
# `make bench-scale` (issue 16): one run that generates a history of ROWS
# resolutions (default 100000; `generate --seed 11 --invoices 50000`,
# cached in var/bench-scale/), loads it with the owner's URL into a fresh
# schema of the scratch database BENCH_DB, measures kNN recall and latency
# against exact search (TestBenchKNN), starts serve on it and drives the API
# at 1, 4 and 16 clients and in batches of 100 (TestBenchTriage), and
# prints one table with each figure beside its raw anchor from the same
# run: psql \copy of the same rows, Nearest's statement sent alone, GET
# /healthz. The figures are also kept in var/bench-scale/figures-ROWS.tsv.
# Not part of `make test`.
#   make bench-scale                 # 100k
#   make bench-scale ROWS=1000000    # the million
#   knobs: PER_TYPE, FAR (kNN queries per type), SINGLES, SECONDS, BATCHES
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_SCHEMA=bench_triage_scale  # TestBenchTriage's schema for label "scale"
source scripts/bench-common.sh scale
figs=$PWD/$DIR/figures-$ROWS.tsv
rm -f "$figs"
if [[ ! -s $DIR/fresh/exceptions.jsonl ]]; then  # what clients post and kNN asks: another seed
  $BIN generate --seed 12 --exceptions 10000 --invoices 10 --out "$DIR/fresh" >/dev/null
fi
machine=$(machine_line)
echo "$machine"
# go_seconds turns a Go duration as load prints it (1m2.5s, 850ms) into seconds.
go_seconds() {
  awk -v d="$1" 'BEGIN { s = 0
    while (match(d, /^[0-9.]+(h|ms|µs|m|s)/)) { part = substr(d, 1, RLENGTH); d = substr(d, RLENGTH + 1)
      n = part + 0; u = part; sub(/^[0-9.]+/, "", u)
      s += n * (u == "h" ? 3600 : u == "m" ? 60 : u == "s" ? 1 : u == "ms" ? 0.001 : 0.000001) }
    printf "%.1f", s }'
}
fig() { printf '%s\t%s\n' "$1" "$2" >>"$figs"; }
val() { awk -F'\t' -v k="$1" '$1 == k {v = $2} END {print v}' "$figs"; }

echo "== load"
PGOPTIONS="-c client_min_messages=warning" psql -q "$OWNER_URL" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
$BIN migrate >/dev/null
/usr/bin/time -f '%e %M' -o "$DIR/load.time" $BIN load --quiet --exceptions "$data/exceptions.jsonl" \
  --invoices "$data/invoices.csv" >"$DIR/load.out" 2>"$DIR/load.err" || { cat "$DIR/load.err"; exit 1; }
sed 's/^/    /' "$DIR/load.out"
read -r secs rss <"$DIR/load.time"
fig load_s "$secs"
fig load_rss_mb $((rss / 1024))
fig load_write_rows_s "$(sed -n 's/.*written in [^(]*(\([0-9]*\) rows\/s.*/\1/p' "$DIR/load.out")"
fig load_index_s "$(go_seconds "$(sed -n 's/.*index and statistics in \([0-9hms.µ]*\).*/\1/p' "$DIR/load.out")")"
read -r asecs arows < <(copy_anchor)
fig anchor_copy_s "$asecs"
fig anchor_copy_rows_s "$(echo "$arows / $asecs" | bc)"

echo "== kNN"
BILLTRIAGE_SCHEMA=$SCHEMA BENCH_KNN_QUERIES=$PWD/$DIR/fresh/exceptions.jsonl BENCH_FIGURES=$figs \
  BENCH_KNN_PER_TYPE=${PER_TYPE:-100} BENCH_KNN_FAR=${FAR:-30} \
  go test -tags benchknn -run '^TestBenchKNN$' -count=1 -v -timeout 60m ./triage/postgres/ | grep -v '^=== RUN\|^--- PASS\|^PASS\|^ok'

echo "== triage"
BENCH_TRIAGE_BINS="scale=$PWD/$BIN" BENCH_TRIAGE_REUSE=1 BENCH_TRIAGE_DATA=$PWD/$data BENCH_TRIAGE_FRESH=$PWD/$DIR/fresh \
  BENCH_TRIAGE_APP_URL=$APP_URL BENCH_TRIAGE_OWNER_URL=$OWNER_URL BENCH_FIGURES=$figs \
  BENCH_TRIAGE_SINGLES=${SINGLES:-1000} BENCH_TRIAGE_SECONDS=${SECONDS_EACH:-10} BENCH_TRIAGE_BATCHES=${BATCHES:-10} \
  go test -count=1 -tags benchtriage -run '^TestBenchTriage$' -v -timeout 60m ./cmd/billtriage >"$DIR/triage.out" || { cat "$DIR/triage.out"; exit 1; }

cat <<TABLE

$machine
| what | measured | goal | anchor, same run |
|---|---:|---|---|
| load of $ROWS labelled records: wall (s) | $(val load_s) | 1M in ≤ 900 | \`\\copy\` of the stored rows: $(printf '%.1f' "$(val anchor_copy_s)") s |
| load: rows/s while reading, embedding and writing | $(val load_write_rows_s) | ≥ 20,000 | \`\\copy\`: $(val anchor_copy_rows_s) rows/s (no embedding, no index) |
| load: index build and ANALYZE (s) | $(val load_index_s) | | |
| load: peak RSS (MB) | $(val load_rss_mb) | | |
| kNN recall@10 (ties counted), own type | $(val knn_own_recall) | ≥ 0.98 | exact search p50 $(val knn_own_exact_p50) ms |
| kNN recall@10 (ties counted), far queries | $(val knn_far_recall) | | |
| kNN p50 / p99 / max (ms), own type | $(val knn_own_p50) / $(val knn_own_p99) / $(val knn_own_max) | p99 ≤ 30 every type; max ≤ 100 | raw statement p50 $(val knn_raw_p50), p99 $(val knn_raw_p99) ms |
| kNN worst type's p99 (ms): own / far | $(val knn_own_worst_type_p99) / $(val knn_far_worst_type_p99) | ≤ 30 | |
| kNN p50 / p99 / max (ms), far queries | $(val knn_far_p50) / $(val knn_far_p99) / $(val knn_far_max) | ≤ 100 | exact search p50 $(val knn_far_exact_p50) ms |
| serve ready after the load / on restart (s) | $(val scale_ready_first_s) / $(val scale_ready_again_s) | ≤ 3 | |
| serve RSS ready / peak (MB) | $(val scale_rss_ready_mb) / $(val scale_rss_peak_mb) | ≤ 300 | |
| POST, 1 client: p50 / p90 / p99 (ms) | $(val scale_post_p50) / $(val scale_post_p90) / $(val scale_post_p99) | p50 ≤ 4, p99 ≤ 20 (≤ 40 at 1M) | GET /healthz p50 $(val scale_healthz_p50), p99 $(val scale_healthz_p99) ms |
| POST, 4 clients: req/s (p99 ms) | $(val scale_rps4) ($(val scale_p99at4)) | | |
| POST, 16 clients: req/s (p99 ms) | $(val scale_rps16) ($(val scale_p99at16)) | ≥ 300 | |
| batches of 100, 2 clients: items/s | $(val scale_batch_items_s) | ≥ 1,000 | |
TABLE
