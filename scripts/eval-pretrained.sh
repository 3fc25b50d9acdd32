#!/usr/bin/env bash
# Runs the real-data benchmarks with a pretrained embedder: the Universal
# Sentence Encoder behind a local OpenAI-compatible endpoint
# (scripts/use-embedder), so the classifier's dense channel and the
# precedents use a model that knows what words mean. Needs node and npm
# (packages from the npm registry) and the database of `make db`.
#
#   scripts/eval-pretrained.sh [datasets...]   (default: banking77 cfpb)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/billtriage}
SHARED_DATA=${SHARED_DATA:-../shared/data}
EVAL_DIR=${EVAL_DIR:-var/eval}
ADDR=${USE_ADDR:-127.0.0.1:8089}
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(banking77 cfpb)

mkdir -p "$EVAL_DIR/data"
(cd scripts/use-embedder && npm ci --no-audit --no-fund --silent)
node scripts/use-embedder/server.mjs "$ADDR" >"$EVAL_DIR/use-embedder.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
	curl -sf -XPOST "http://$ADDR/v1/embeddings" -d '{"input":"ready?"}' >/dev/null && break
	kill -0 $server 2>/dev/null || { cat "$EVAL_DIR/use-embedder.log"; exit 1; }
	sleep 1
done

for name in "${sets[@]}"; do
	case $name in
	banking77) src=$SHARED_DATA/banking77 ;;
	cfpb) src=$SHARED_DATA/cfpb-complaints-sample ;;
	*) echo "eval-pretrained: unknown set $name (banking77 or cfpb)" >&2; exit 2 ;;
	esac
	"$BIN" convert "$name" "$src" --out "$EVAL_DIR/data/$name.jsonl"
	# The key is never checked by the local endpoint; the client wants one.
	OPENAI_API_KEY=${OPENAI_API_KEY:-local} "$BIN" eval --embedder openai --openai-base-url "http://$ADDR/v1" \
		--openai-model use-lite --embed-dims 512 --openai-timeout 5m --classifier-embeddings \
		--exceptions "$EVAL_DIR/data/$name.jsonl" --split 0.8 --out "$EVAL_DIR/$name-use"
done
for name in "${sets[@]}"; do echo "report: $EVAL_DIR/$name-use/report.md"; done
