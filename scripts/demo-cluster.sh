#!/usr/bin/env bash
# `make demo-cluster`: the demo's history on one database, served by three
# replicas on 127.0.0.1:8081-8083 (REPLICAS and BASE_PORT to change that),
# to put behind any load balancer. Everything they share is in PostgreSQL;
# see "Several replicas" in the README. `make demo-cluster-stop` (this
# script with "stop") stops them. Safe to run again: loading is idempotent
# and running replicas are restarted.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=var/demo-cluster
KEYS=$DIR/keys.env
REPLICAS=${REPLICAS:-3}
BASE_PORT=${BASE_PORT:-8081}
BIN=bin/billtriage

stop() {
  local pidfile pid
  for pidfile in $DIR/serve-*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      echo "replica ${pidfile#$DIR/serve-} stopped (pid $pid)" | sed 's/\.pid//'
    fi
    rm -f "$pidfile"
  done
}

# start runs replica $1 on port $2 and waits until it answers /readyz.
start() {
  local n=$1 addr=127.0.0.1:$2
  nohup $BIN serve --addr "$addr" >$DIR/serve-$n.log 2>&1 &
  echo $! >$DIR/serve-$n.pid
  for _ in $(seq 100); do
    curl -fsS "http://$addr/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$(cat $DIR/serve-$n.pid)" 2>/dev/null || break
    sleep 0.1
  done
  cat $DIR/serve-$n.log
  exit 1
}

if [[ ${1:-} == stop ]]; then stop; exit 0; fi

mkdir -p $DIR
$BIN generate --seed 42 --exceptions 5000 --invoices 3000 --out $DIR
$BIN load --exceptions $DIR/exceptions.jsonl --invoices $DIR/invoices.csv
if ! $BIN models list 2>/dev/null | grep -q ' true$'; then
  $BIN train --from-db --activate
fi
stop
for n in $(seq "$REPLICAS"); do start "$n" $((BASE_PORT + n - 1)); done
# Keys live in the database, so one key works on every replica.
if [[ -f $KEYS ]]; then source $KEYS; fi
if [[ -z ${BILLTRIAGE_KEY:-} ]] || ! curl -fsS -H "Authorization: Bearer $BILLTRIAGE_KEY" "http://127.0.0.1:$BASE_PORT/v1/policy" >/dev/null 2>&1; then
  echo "BILLTRIAGE_KEY=$($BIN keys create --role admin --name demo-cluster 2>/dev/null)" >$KEYS
fi

echo
echo "billtriage: $REPLICAS replicas on one database"
for n in $(seq "$REPLICAS"); do
  echo "  http://127.0.0.1:$((BASE_PORT + n - 1))  (log: $DIR/serve-$n.log)"
done
cat <<MSG

An admin key for all of them is in $KEYS (source it). Put any load balancer
in front of the ports above; an exception posted to one replica is at once
visible, decided once, and delivered once from all of them:

  source $KEYS
  curl -s -X POST http://127.0.0.1:$BASE_PORT/v1/exceptions -H "Authorization: Bearer \$BILLTRIAGE_KEY" \\
    -H 'Content-Type: application/json' \\
    -d '{"id":"cluster-1","source":"erp-connector","type":"erp_posting_failure","text":"[NetSuite] Revenue line for SKU SKU-API-412 (Usage Overage) has no GL mapping in entity US01; invoice INV-10417 held in staging.","invoice_id":"INV-10417","customer_id":"C-1146","amount":5037.14,"currency":"EUR","occurred_at":"2025-02-25T10:00:00Z"}'
  # and read it back from another replica (the numeric id from the answer above):
  curl -s -H "Authorization: Bearer \$BILLTRIAGE_KEY" http://127.0.0.1:$((BASE_PORT + 1))/v1/exceptions/ID

Stop them with: make demo-cluster-stop
MSG
