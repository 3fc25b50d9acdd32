#!/usr/bin/env bash
# The README demo: generate a synthetic history that ends now, load its
# labelled part, triage its newest part so that every queue has open items,
# run the service in the background on :8080, make one API key per role and
# print what to try.
# Safe to run again: the history's end is kept in $DIR/end, so the data is
# regenerated identically; loading and triaging are idempotent (what was
# added and what was already present is printed); the previous demo service
# is restarted and working demo keys are reused.
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
  source $KEYS
}

if [[ ${1:-} == stop ]]; then stop; exit 0; fi

mkdir -p $DIR
# The history ends when the demo first ran, so that its open items are
# hours to days old; later runs reuse that end and add nothing. Delete
# $DIR/end and empty the database for a history that ends at a new now.
[[ -s $DIR/end ]] || date -u +%Y-%m-%dT%H:%M:%SZ >$DIR/end
END=$(cat $DIR/end)
# A year of history; the newest 300 exceptions (about three weeks' worth)
# and any not yet resolved at the end stay open, in open.jsonl.
$BIN generate --seed 42 --exceptions 5000 --invoices 3000 --end "$END" --open 300 --out $DIR
# Without $DIR/end (make clean) the history is regenerated with a new end,
# and its records would clash with those a previous run stored under the
# same ids: say so before loading anything, rather than mix two histories.
if command -v psql >/dev/null 2>&1; then
  newest=$(tail -1 $DIR/open.jsonl)
  held=$(psql "$DATABASE_URL" -w -X -Atq -v id="$(jq -r .id <<<"$newest")" -v src="$(jq -r .source <<<"$newest")" 2>/dev/null <<'SQL' || true
SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM exceptions WHERE external_id = :'id' AND source = :'src'
SQL
)
  if [[ -n $held && $held != "$(jq -r .occurred_at <<<"$newest")" ]]; then
    # Loading this run's data would mix two histories: start the service
    # on the demo already there instead, and read the examples from it.
    cat >&2 <<MSG
make demo: the database already holds a demo whose history ends at another time
(its newest open item occurred at $held); starting the service on it as it is.
For a demo that ends now, empty the database first (as PostgreSQL's superuser:
dropdb billtriage) and run make demo again.
MSG
    REUSE=1 HELD_END=$held
  fi
fi
if [[ -z ${REUSE:-} ]]; then
  $BIN load --exceptions $DIR/exceptions.jsonl --invoices $DIR/invoices.csv
  # The collection-risk model: trained once on the loaded invoices, before
  # the open items are triaged, so that their priority counts their risk.
  if ! $BIN models list 2>/dev/null | grep -q ' true$'; then
    $BIN train --from-db --activate
  fi
  # The open items, unlabelled, through the same pipeline as POST
  # /v1/exceptions; one already in the database is reported, not added.
  $BIN triage --in $DIR/open.jsonl >$DIR/open-decisions.jsonl
  jq -rs '"open items: \(map(select(.created)) | length) added, \(map(select(.created | not)) | length) already present; " +
    "\(map(select(.status == "queued")) | length) queued, \(map(select(.status != "queued")) | length) handled automatically or resolved"' \
    $DIR/open-decisions.jsonl
fi
stop
start
keys

# The examples use the generated world: the newest USD invoice for an ERP
# failure the history has corrected many times (SKU-SUP-078 in US01), and
# an invoice from a few days before the end for the dispute.
if [[ -z ${REUSE:-} ]]; then
  IFS=, read -r ERP_INV ERP_CUST _ _ ERP_AMOUNT _ < <(awk -F, '$6 == "USD"' $DIR/invoices.csv | tail -1)
  IFS=, read -r DSP_INV DSP_CUST _ _ DSP_AMOUNT DSP_CUR _ < <(tail -40 $DIR/invoices.csv | head -1)
  # Support's most confident refund still in its queue, for the accept example.
  ACCEPT_ID=$(jq -rs 'map(select(.status == "queued" and .queue == "support")) | sort_by(.decision.action != "refund_duplicate_charge", -.decision.confidence) | first.exception_id // 1' $DIR/open-decisions.jsonl)
else
  # The same choices, read from the demo in the database.
  IFS='|' read -r ERP_INV ERP_CUST ERP_AMOUNT < <(psql "$DATABASE_URL" -w -X -Atq -c \
    "SELECT invoice_id, customer_id, amount::float8 FROM invoices WHERE currency = 'USD' ORDER BY issued_at DESC, invoice_id DESC LIMIT 1")
  IFS='|' read -r DSP_INV DSP_CUST DSP_AMOUNT DSP_CUR < <(psql "$DATABASE_URL" -w -X -Atq -c \
    "SELECT invoice_id, customer_id, amount::float8, currency FROM invoices ORDER BY issued_at DESC, invoice_id DESC OFFSET 39 LIMIT 1")
  ACCEPT_ID=$(curl -fsS -H "Authorization: Bearer $KEY_SUPPORT" "http://$ADDR/v1/queues/support?limit=1" | jq -r '.items[0].id // 1')
fi
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# What is waiting, by queue and type, as the open items' triage left it.
summary() {
  if [[ -n ${REUSE:-} ]]; then
    for q in finance revops tax support; do
      echo "  $q: $(curl -fsS -H "Authorization: Bearer $KEY_ADMIN" "http://$ADDR/v1/queues/$q?limit=1" | jq -r .total) queued"
    done
    return
  fi
  jq -rn --slurpfile d $DIR/open-decisions.jsonl --slurpfile r $DIR/open.jsonl '
    ($r | map({(.id): .type}) | add) as $type
    | $d | map(select(.status == "queued")) | group_by(.queue)[]
    | "  \(.[0].queue): \(length) queued (" + (group_by($type[.id]) | map("\($type[.[0].id]) \(length)") | join(", ")) + ")"'
}

cat <<MSG

billtriage is running on http://$ADDR (log: $DIR/serve.log, stop: make demo-stop)
The history ends ${REUSE:+after its newest open item, }${HELD_END:-at $END}; its newest exceptions are open, hours to weeks old:
$(summary)

Web UI: http://$ADDR/ui/  (sign in with one of the keys below; each role sees its own queues)

Demo API keys, one per role (saved in $KEYS):
$(grep '^KEY_' $KEYS | sed 's/^/  /')

Try (every /v1 call needs a key; this sets \$BILLTRIAGE_KEY to the admin one):
  source $KEYS

  # an ERP posting failure the history knows well: auto-enriched, its GL account filled in from past corrections
  curl -s -X POST http://$ADDR/v1/exceptions -H "Authorization: Bearer \$BILLTRIAGE_KEY" \\
    -H 'Content-Type: application/json' \\
    -d '{"id":"demo-1","source":"erp-connector","type":"erp_posting_failure","text":"[NetSuite] Revenue line for SKU SKU-SUP-078 (Data Sync) has no GL mapping in entity US01; invoice $ERP_INV held in staging.","invoice_id":"$ERP_INV","customer_id":"$ERP_CUST","amount":$ERP_AMOUNT,"currency":"USD","region":"NA","attributes":{"erp":"netsuite","entity":"US01","sku":"SKU-SUP-078","error_code":"INVALID_KEY_OR_REF"},"occurred_at":"$NOW"}'

  # a dispute email: a refund moves money, so it goes to a person whatever the confidence
  curl -s -X POST http://$ADDR/v1/exceptions -H "Authorization: Bearer \$BILLTRIAGE_KEY" \\
    -H 'Content-Type: application/json' \\
    -d '{"id":"demo-2","source":"support-inbox","type":"billing_dispute","text":"Hi team, we were charged twice for invoice $DSP_INV ($DSP_CUR $DSP_AMOUNT) this month. Please refund the duplicate. Thanks, Dana","invoice_id":"$DSP_INV","customer_id":"$DSP_CUST","amount":$DSP_AMOUNT,"currency":"$DSP_CUR","attributes":{"channel":"email"},"occurred_at":"$NOW"}'

  # the support queue, highest priority first (a support key sees only its own queue)
  curl -s -H "Authorization: Bearer \$KEY_SUPPORT" 'http://$ADDR/v1/queues/support?limit=5'

  # one of support's open refunds with its decision, precedents and audit trail
  curl -s -H "Authorization: Bearer \$BILLTRIAGE_KEY" http://$ADDR/v1/exceptions/$ACCEPT_ID

  # support accepts that suggestion; the resolution joins the history at once
  curl -s -X POST http://$ADDR/v1/exceptions/$ACCEPT_ID/resolution -H "Authorization: Bearer \$KEY_SUPPORT" \\
    -H 'Content-Type: application/json' -d '{"verdict":"accept","note":"refund approved"}'
MSG
