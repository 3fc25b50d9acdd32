#!/usr/bin/env bash
# A real PostgreSQL hot standby of the local server, on this machine, for
# DATABASE_READ_URL: a second cluster on another port, made with
# pg_basebackup and kept current by streaming replication.
#
#   scripts/standby.sh start    make it if missing (idempotent) and start it
#   scripts/standby.sh stop     stop it
#   scripts/standby.sh status   is it up, and how far behind the primary
#   scripts/standby.sh destroy  stop it and delete its data directory
#
#   STANDBY_PORT    default 5433
#   STANDBY_DIR     default /var/lib/postgresql/<major>/billtriage-standby
#   PRIMARY_PORT    default 5432 (the server `make db` set up, on 127.0.0.1)
#   STANDBY_SLOT    the primary's replication slot, default billtriage_standby
#
# Then: DATABASE_READ_URL=postgres://billtriage_app@127.0.0.1:5433/billtriage?sslmode=disable
# The standby replicates the whole server (roles, the database, its
# schemas); it refuses writes. Runs as root (Debian's server, user postgres).
# The primary must let the replication connection in: this adds
# `host replication all 127.0.0.1/32 trust` to its pg_hba.conf if missing
# (trust, like the rest of this local setup; use a replication role with a
# password anywhere else).
set -euo pipefail

PORT="${STANDBY_PORT:-5433}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
MAJOR="$(ls /etc/postgresql | sort -n | tail -1)"
BIN="/usr/lib/postgresql/$MAJOR/bin"
DIR="${STANDBY_DIR:-/var/lib/postgresql/$MAJOR/billtriage-standby}"
HBA="/etc/postgresql/$MAJOR/main/pg_hba.conf"
SLOT="${STANDBY_SLOT:-billtriage_standby}"

log() { printf 'standby: %s\n' "$*" >&2; }
die() { printf 'standby: ERROR: %s\n' "$*" >&2; exit 1; }
as_pg() { runuser -u postgres -- "$@"; }

up() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; }

drop_slot() {
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc \
    "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null
}

allow_replication() {
  if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$HBA"; then
    log "letting local replication connections into the primary ($HBA)"
    printf 'host replication all 127.0.0.1/32 trust\n' >>"$HBA"
    psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc 'SELECT pg_reload_conf()' >/dev/null
  fi
}

make_standby() {
  log "copying the primary (127.0.0.1:$PRIMARY_PORT) into $DIR with pg_basebackup"
  rm -rf "$DIR"
  install -d -o postgres -g postgres -m 700 "$DIR"
  # A replication slot keeps the primary's WAL until the standby has it, so
  # a bulk load cannot outrun the standby; max_slot_wal_keep_size bounds
  # what a stopped standby can make the primary keep.
  drop_slot
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAt >/dev/null \
    -c "ALTER SYSTEM SET max_slot_wal_keep_size = '8GB'" -c 'SELECT pg_reload_conf()'
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR" \
    --wal-method=stream --write-recovery-conf --checkpoint=fast --create-slot --slot="$SLOT"
  # Debian keeps the configuration outside the data directory, so the copy
  # has none: give the standby its own, minimal one.
  as_pg tee "$DIR/postgresql.conf" >/dev/null <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
# Report what the standby's queries read, so the primary's vacuum keeps it
# and long kNN reads are not cancelled by recovery conflicts.
hot_standby_feedback = on
max_standby_streaming_delay = 30s
shared_buffers = 128MB
EOF
  as_pg tee "$DIR/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  as_pg touch "$DIR/pg_ident.conf"
}

start() {
  if up; then log "already running on 127.0.0.1:$PORT"; return; fi
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PRIMARY_PORT" || die "no primary on 127.0.0.1:$PRIMARY_PORT (run make db)"
  allow_replication
  [[ -f "$DIR/standby.signal" ]] || make_standby
  as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/standby.log" -w -t 60 start >/dev/null ||
    { tail -20 "$DIR/standby.log" >&2; die "the standby did not start"; }
  log "running on 127.0.0.1:$PORT ($DIR)"
}

stop() {
  if [[ -f "$DIR/postmaster.pid" ]]; then as_pg "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null; fi
  log "stopped"
}

status() {
  up || { log "not running on 127.0.0.1:$PORT"; return 1; }
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc \
    "SELECT 'replication: ' || state || ', replay lag ' || coalesce(replay_lag::text, '0') FROM pg_stat_replication"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  destroy) stop; rm -rf "$DIR"; drop_slot; log "deleted $DIR and the primary's slot $SLOT" ;;
  *) die "usage: $0 start|stop|status|destroy" ;;
esac
