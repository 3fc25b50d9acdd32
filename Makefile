# billtriage — run `make help` for the targets.
SHELL := /bin/bash
GO ?= go
BIN := bin/billtriage
# Two roles (made by `make db`): the service connects as billtriage_app, which
# may only read and write rows; migrations run as billtriage_owner, which owns
# the schema. The tests migrate as the owner and work as the service's role.
# A DATABASE_URL of your own comes without a default owner: with no
# BILLTRIAGE_MIGRATE_URL its role does both (one-role setups such as docker
# compose's superuser).
ifeq ($(origin DATABASE_URL),undefined)
export DATABASE_URL := postgres://billtriage_app@127.0.0.1:5432/billtriage?sslmode=disable
export BILLTRIAGE_MIGRATE_URL ?= postgres://billtriage_owner@127.0.0.1:5432/billtriage?sslmode=disable
endif

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: db
db: ## install/start PostgreSQL, build pgvector if missing, create the database
	scripts/db-setup.sh

.PHONY: build
build: ## build bin/billtriage
	$(GO) build -o $(BIN) ./cmd/billtriage

.PHONY: browser
browser: ## install Debian's Chromium for the browser tests if it is missing
	scripts/chromium-setup.sh

.PHONY: standby
standby: db ## start a streaming hot standby of the local server on 127.0.0.1:5433 (for DATABASE_READ_URL and its test)
	scripts/standby.sh start

.PHONY: standby-stop
standby-stop: ## stop the standby (scripts/standby.sh destroy also deletes it and its slot)
	scripts/standby.sh stop

.PHONY: test
test: db browser standby ## bootstrap the database, its standby and Chromium, then run the whole test suite against them, as CI does
	$(GO) vet ./...
	CI=$${CI:-true} $(GO) test -count=1 -timeout 15m ./...

.PHONY: race
race: db ## the test suite under the race detector
	$(GO) test -count=1 -race -timeout 20m ./...

# The chaos run (not part of `make test`): knobs CHAOS_DURATION, CHAOS_CLIENTS,
# CHAOS_SERVER_KILLS, CHAOS_DB_KILLS, CHAOS_SWEEP_WAIT, e.g.
# `make chaos CHAOS_DURATION=120s`. It prints its census and fails on a lost,
# stranded or doubly decided exception.
.PHONY: chaos
chaos: db ## kill -9 the server and its DB connections under a POST stream; fails on lost, stranded or twice-decided exceptions
	$(GO) test -count=1 -tags chaos -run '^TestChaos$$' -v -timeout 30m ./cmd/billtriage

.PHONY: demo
demo: db build ## generate a history, load it, start the service on :8080 and print what to try
	$(BIN) migrate
	BILLTRIAGE_MIGRATE_URL= scripts/demo.sh  # the service never holds the owner's URL

.PHONY: demo-stop
demo-stop: ## stop the demo service
	scripts/demo.sh stop

.PHONY: demo-cluster
demo-cluster: db build ## three replicas on one database, on 127.0.0.1:8081-8083 (logs in var/demo-cluster/)
	$(BIN) migrate
	BILLTRIAGE_MIGRATE_URL= scripts/demo-cluster.sh  # migrated once, above; the replicas never hold the owner's URL

.PHONY: demo-cluster-stop
demo-cluster-stop: ## stop the demo-cluster replicas
	scripts/demo-cluster.sh stop

.PHONY: bench
bench: db ## run the Go benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./...

.PHONY: bench-outbox
bench-outbox: db ## outbox events/s to a local receiver, and POST latency with the outbox vs the commit before it (d30a53f)
	scripts/bench-outbox.sh

# ROWS sets the history size; see the script for BEFORE_COMMIT and reuse.
.PHONY: bench-triage
bench-triage: db ## POST latency (1/4/16 clients, batches of 100), serve time to ready and RSS at a 100k history, before vs now
	ROWS=$${ROWS:-100000} scripts/bench-triage.sh

# ROWS sets the history size, e.g. `make bench-load ROWS=1000000`.
.PHONY: bench-load
bench-load: db build ## time `billtriage load` of a generated history (ROWS, default 100000) into a scratch database, with a \copy anchor
	ROWS=$${ROWS:-100000} scripts/bench-load.sh

.PHONY: fmt
fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

.PHONY: lint
lint: ## go vet and a gofmt check
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

.PHONY: clean
clean: ## remove build and demo output
	rm -rf bin var

# ROWS sets the history size, KEEP=1 reuses a history already loaded, e.g.
# `make bench-knn ROWS=1000000 KEEP=1`.
.PHONY: bench-scale
bench-scale: db build ## generate, load, kNN against exact search, serve and drive the API at 1/4/16 clients and batches (ROWS, default 100000): one table with raw anchors
	scripts/bench-scale.sh

.PHONY: bench-knn
bench-knn: db build ## kNN recall@10 against exact search and latency per type, far queries included, on a generated history (ROWS, default 100000)
	ROWS=$${ROWS:-100000} scripts/bench-knn.sh

# The benchmarks: the generated one (the project's own targets) and the
# public sets in SHARED_DATA, converted to dataset format v1 first.
SHARED_DATA ?= ../shared/data
EVAL_DIR ?= var/eval

.PHONY: eval
eval: build ## run the generated and real benchmarks (after `make db`); reports in var/eval/*/report.md
	$(BIN) generate --seed 42 --exceptions 5000 --invoices 3000 --out $(EVAL_DIR)/gen
	$(BIN) eval --exceptions $(EVAL_DIR)/gen/exceptions.jsonl --invoices $(EVAL_DIR)/gen/invoices.csv --split 0.7 --out $(EVAL_DIR)/generated
	@set -e; for set in banking77:banking77 cfpb:cfpb-complaints-sample; do \
		name=$${set%%:*}; src=$(SHARED_DATA)/$${set#*:}; \
		if [ ! -d "$$src" ]; then echo "eval: $$src not found, $$name skipped (set SHARED_DATA)"; continue; fi; \
		echo "$(BIN) convert $$name $$src --out $(EVAL_DIR)/data/$$name.jsonl"; \
		$(BIN) convert $$name "$$src" --out $(EVAL_DIR)/data/$$name.jsonl; \
		echo "$(BIN) eval --exceptions $(EVAL_DIR)/data/$$name.jsonl --split 0.8 --out $(EVAL_DIR)/$$name"; \
		$(BIN) eval --exceptions $(EVAL_DIR)/data/$$name.jsonl --split 0.8 --out $(EVAL_DIR)/$$name; \
	done
	@echo "reports: $(EVAL_DIR)/{generated,banking77,cfpb}/report.md"

.PHONY: eval-pretrained
eval-pretrained: build ## banking77 and cfpb with a pretrained embedder (USE via npm, local); reports in var/eval/*-use/
	SHARED_DATA=$(SHARED_DATA) EVAL_DIR=$(EVAL_DIR) BIN=$(BIN) scripts/eval-pretrained.sh
