#!/usr/bin/env bash
# The README demo: generate a synthetic history, load it, run the service in
# the background on :8080, make one API key per role and print what to try.
# Safe to run again: the data is regenerated identically, loading is
# idempotent, the previous demo service is restarted and working demo keys
# are reused.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=var/demo
PIDFILE=$DIR/billtriage.pid
KEYS=$DIR/keys.env
ADDR=${BILLTRIAGE_ADDR:-127.0.0.1:8080}
BIN=bin/billtriage

stop() {
  if [[ -f $PIDFILE ]] && kill -0 "$(cat $PIDFILE)" 2>/dev/null; then
    kill "$(cat $PIDFILE)"
    for _ in $(seq 50); do kill -0 "$(cat $PIDFILE)" 2>/dev/null || break; sleep 0.1; done
    echo "demo service stopped"
  fi
  rm -f $PIDFILE
}

start() {
  nohup $BIN serve --addr "$ADDR" >$DIR/serve.log 2>&1 &
  echo $! >$PIDFILE
  for _ in $(seq 100); do
    curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$(cat $PIDFILE)" 2>/dev/null || break
    sleep 0.1
  done
  cat $DIR/serve.log
  exit 1
}

# keys makes one demo key per role, reusing the previous ones while they work.
keys() {
  if [[ -f $KEYS ]]; then source $KEYS; fi
  if [[ -n ${KEY_ADMIN:-} ]] && curl -fsS -H "Authorization: Bearer $KEY_ADMIN" "http://$ADDR/v1/policy" >/dev/null 2>&1; then
    return 0
  fi
  : >$KEYS
  for role in admin finance revops tax support analyst integration; do
    echo "KEY_${role^^}=$($BIN keys create --role $role --name demo-$role 2>/dev/null)" >>$KEYS
  done
  echo 'BILLTRIAGE_KEY=$KEY_ADMIN' >>$KEYS
}

if [[ ${1:-} == stop ]]; then stop; exit 0; fi

mkdir -p $DIR
$BIN generate --seed 42 --exceptions 5000 --invoices 3000 --out $DIR
$BIN load --exceptions $DIR/exceptions.jsonl --invoices $DIR/invoices.csv
# The collection-risk model: trained once on the loaded invoices.
if ! $BIN models list 2>/dev/null | grep -q ' true$'; then
  $BIN train --from-db --activate
fi
stop
start
keys

cat <<MSG

billtriage is running on http://$ADDR (log: $DIR/serve.log, stop: make demo-stop)

Web UI: http://$ADDR/ui/  (sign in with one of the keys below; each role sees its own queues)

Demo API keys, one per role (saved in $KEYS):
$(grep '^KEY_' $KEYS | sed 's/^/  /')

Try (every /v1 call needs a key; this sets \$BILLTRIAGE_KEY to the admin one):
  source $KEYS

  # an ERP posting failure the history knows well: auto-enriched with the GL mapping action
  curl -s -X POST http://$ADDR/v1/exceptions -H "Authorization: Bearer \$BILLTRIAGE_KEY" \\
    -H 'Content-Type: application/json' \\
    -d '{"id":"demo-1","source":"erp-connector","type":"erp_posting_failure","text":"[NetSuite] Revenue line for SKU SKU-API-412 (Usage Overage) has no GL mapping in entity US01; invoice INV-10417 held in staging.","invoice_id":"INV-10417","customer_id":"C-1146","amount":5037.14,"currency":"EUR","occurred_at":"2025-02-25T10:00:00Z"}'

  # a dispute email: a refund moves money, so it goes to a person whatever the confidence
  curl -s -X POST http://$ADDR/v1/exceptions -H "Authorization: Bearer \$BILLTRIAGE_KEY" \\
    -H 'Content-Type: application/json' \\
    -d '{"id":"demo-2","source":"support-inbox","type":"billing_dispute","text":"Hi team, we were charged twice for invoice INV-10418 (GBP 761.72) this month. Please refund the duplicate. Thanks, Dana","invoice_id":"INV-10418","customer_id":"C-1050","amount":761.72,"currency":"GBP","occurred_at":"2025-02-27T09:30:00Z"}'

  # the support queue, highest priority first (a support key sees only its own queue)
  curl -s -H "Authorization: Bearer \$KEY_SUPPORT" 'http://$ADDR/v1/queues/support?limit=5'

  # one exception (the id from an answer above) with its decision, precedents and audit trail
  curl -s -H "Authorization: Bearer \$BILLTRIAGE_KEY" http://$ADDR/v1/exceptions/1

  # support accepts the suggestion for exception 2; the resolution joins the history at once
  curl -s -X POST http://$ADDR/v1/exceptions/2/resolution -H "Authorization: Bearer \$KEY_SUPPORT" \\
    -H 'Content-Type: application/json' -d '{"verdict":"accept","note":"refund approved"}'
MSG
