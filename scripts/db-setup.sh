#!/usr/bin/env bash
# Make the PostgreSQL database in DATABASE_URL ready for billtriage:
#   - installs and starts a local PostgreSQL server if needed (Debian, as root),
#   - lets local TCP connections in without a password (adds trust lines if not),
#   - builds pgvector from Debian trixie's source package if the server lacks it
#     (bookworm ships no pgvector package),
#   - creates the database and the extensions vector and pg_trgm,
#   - creates the two roles: the owner (BILLTRIAGE_MIGRATE_URL's user), which owns
#     the schema and runs migrations, and the service's (DATABASE_URL's user),
#     which owns nothing and gets only the table privileges `billtriage migrate`
#     grants it. Neither is a superuser; neither may create roles or databases.
# Idempotent; a re-run on a ready machine takes about a second. Never prompts.
#
#   DATABASE_URL            default postgres://billtriage_app@127.0.0.1:5432/billtriage?sslmode=disable
#   BILLTRIAGE_MIGRATE_URL  default postgres://billtriage_owner@127.0.0.1:5432/billtriage?sslmode=disable
#   DB_ADMIN_URL            the superuser this script works as; default DATABASE_URL's
#                           server and database as user postgres (DB_ADMIN_USER)
#   Not on Debian? `docker compose up -d db` and
#   DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/billtriage?sslmode=disable
#   (one superuser role for everything: no roles are made, nothing is separated)
set -euo pipefail

DEFAULT_URL='postgres://billtriage_app@127.0.0.1:5432/billtriage?sslmode=disable'
DEFAULT_MIGRATE_URL='postgres://billtriage_owner@127.0.0.1:5432/billtriage?sslmode=disable'
APP_URL="${DATABASE_URL:-$DEFAULT_URL}"
OWNER_URL="${BILLTRIAGE_MIGRATE_URL:-$DEFAULT_MIGRATE_URL}"
ADMIN_USER="${DB_ADMIN_USER:-postgres}"
BUILD_DIR="${PGVECTOR_BUILD_DIR:-/var/cache/billtriage/pgvector-build}"
APT_SRC_FILE="${BUILD_DIR%/*}/trixie-src.sources"

export DEBIAN_FRONTEND=noninteractive
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"

log() { printf 'db-setup: %s\n' "$*" >&2; }
die() { printf 'db-setup: ERROR: %s\n' "$*" >&2; exit 1; }
urldecode() { local s="${1//+/ }"; printf '%b' "${s//%/\\x}"; }

# ---- parse postgres://user[:pass]@host[:port]/db?params ----------------------
# parse_url sets scheme, authority, hostport, query, db, user, host and port.
parse_url() {
  local url="$1" name="$2" rest userinfo
  case "$url" in
    postgres://* | postgresql://*) ;;
    *) die "$name must look like postgres://user[:pass]@host[:port]/db?params (got '${url%%@*}...')" ;;
  esac
  scheme="${url%%://*}"
  rest="${url#*://}"
  query=""
  if [[ "$rest" == *\?* ]]; then query="?${rest#*\?}"; rest="${rest%%\?*}"; fi
  authority="${rest%%/*}"
  db=""
  [[ "$rest" == */* ]] && db="$(urldecode "${rest#*/}")"
  userinfo=""
  hostport="$authority"
  if [[ "$authority" == *@* ]]; then userinfo="${authority%@*}"; hostport="${authority##*@}"; fi
  user="$(urldecode "${userinfo%%:*}")"
  if [[ "$hostport" == \[* ]]; then          # [::1]:5432
    host="${hostport#\[}"; host="${host%%\]*}"
    port="${hostport##*\]}"; port="${port#:}"
  else
    host="${hostport%%:*}"
    port=""; [[ "$hostport" == *:* ]] && port="${hostport#*:}"
  fi
  port="${port:-5432}"
  user="${user:-${PGUSER:-$(id -un)}}"
  db="${db:-$user}"
}

parse_url "$OWNER_URL" BILLTRIAGE_MIGRATE_URL
owner_user="$user"
parse_url "$APP_URL" DATABASE_URL
app_user="$user"
# URL is whom this script works as: a superuser of DATABASE_URL's server and
# database. When DATABASE_URL already names that superuser (docker compose), it
# is a one-role setup and no roles are made.
one_role=false
if [[ -n "${DB_ADMIN_URL:-}" ]]; then
  URL="$DB_ADMIN_URL"
elif [[ "$app_user" == "$ADMIN_USER" ]]; then
  URL="$APP_URL"; one_role=true
else
  URL="${scheme}://${ADMIN_USER}@${hostport}/${db}${query}"
fi
parse_url "$URL" DB_ADMIN_URL
[[ "$app_user" == "$user" ]] && one_role=true
MAINT_URL="${scheme}://${authority}/postgres${query}"

is_local=false
case "$host" in 127.0.0.1 | localhost | ::1 | "" | /*) is_local=true ;; esac
is_root=false
[[ "$(id -u)" == 0 ]] && is_root=true
host_args=(-p "$port")
[[ -n "$host" ]] && host_args+=(-h "$host")

# One run at a time (another `make test` may be running this too).
lock="${TMPDIR:-/tmp}/billtriage-db-setup.lock"
if [[ -w "$lock" || ( ! -e "$lock" && -w "${lock%/*}" ) ]]; then
  exec 9>>"$lock"
  flock -w 900 9 || die "timed out waiting for another db-setup run (lock $lock)"
fi

psql_maint() { psql "$MAINT_URL" -w -X -v ON_ERROR_STOP=1 -Atq "$@"; }
ready() { pg_isready "${host_args[@]}" -t 3 >/dev/null 2>&1; }
apt_updated=false
apt_install() {
  if ! $apt_updated; then apt-get update -qq; apt_updated=true; fi
  # 9>&-: a server that apt starts must not inherit (and keep) our lock.
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null 9>&-
}
server_installed() {
  command -v pg_ctlcluster >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# ---- 1. server installed? ------------------------------------------------------
if ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1 \
   || { $is_local && ! server_installed && ! ready; }; then
  if $is_local && $is_root; then
    log "installing PostgreSQL from Debian (apt-get install postgresql postgresql-contrib)"
    apt_install postgresql postgresql-contrib
  elif ! command -v psql >/dev/null 2>&1; then
    die "psql is not installed. Install the PostgreSQL client (apt-get install postgresql-client), or run this script as root."
  elif $is_local && ! ready; then
    die "no PostgreSQL server on $host:$port and it is not installed. Run this script as root (sudo) to install it,
  or start one with 'docker compose up -d db' and set
  DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/billtriage?sslmode=disable,
  or point DATABASE_URL at an existing server with pgvector."
  fi
fi

# ---- 2. server running and letting us in? -------------------------------------
cluster_ver="" cluster_name=""
find_cluster() {  # sets cluster_ver/cluster_name of the local cluster on $port
  cluster_ver="" cluster_name=""
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  local v n p _
  while read -r v n p _; do
    if [[ "$p" == "$port" ]]; then cluster_ver="$v"; cluster_name="$n"; return 0; fi
  done < <(pg_lsclusters -h 2>/dev/null)
}

if ! ready; then
  $is_local || die "PostgreSQL at $host:$port is not accepting connections (pg_isready). Start it, or fix DATABASE_URL."
  $is_root || die "local PostgreSQL on port $port is not running. Start it as root:
  pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql | sort -V | tail -1) main start
  (or run this script as root, or use 'docker compose up -d db')."
  find_cluster
  if [[ -z "$cluster_ver" ]]; then
    if [[ -n "$(pg_lsclusters -h 2>/dev/null)" ]]; then
      die "local PostgreSQL clusters exist but none on port $port:
$(pg_lsclusters)
Set DATABASE_URL to the right port."
    fi
    cluster_ver="$(ls /usr/lib/postgresql | sort -V | tail -1)"
    cluster_name=main
    log "creating cluster $cluster_ver/$cluster_name on port $port"
    pg_createcluster --port "$port" "$cluster_ver" "$cluster_name" >/dev/null
  fi
  log "starting PostgreSQL cluster $cluster_ver/$cluster_name"
  pg_ctlcluster --skip-systemctl-redirect "$cluster_ver" "$cluster_name" start 9>&-  # server must not keep our lock
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
  ready || die "PostgreSQL $cluster_ver/$cluster_name did not become ready on port $port within 30 s;
  see /var/log/postgresql/postgresql-$cluster_ver-$cluster_name.log"
fi

if ! err="$(psql_maint -c 'SELECT 1' 2>&1 >/dev/null)"; then
  if $is_local && $is_root && grep -qiE 'authentication failed|no password supplied|pg_hba.conf' <<<"$err"; then
    find_cluster
    hba="/etc/postgresql/$cluster_ver/$cluster_name/pg_hba.conf"
    [[ -n "$cluster_ver" && -f "$hba" ]] || die "cannot connect ($err) and cannot find pg_hba.conf for port $port"
    if ! grep -q 'billtriage db-setup' "$hba"; then
      { printf '# added by billtriage scripts/db-setup.sh: passwordless local TCP for development\n'
        printf 'host all all 127.0.0.1/32 trust  # billtriage db-setup\n'
        printf 'host all all ::1/128 trust  # billtriage db-setup\n'
        cat "$hba"; } >"$hba.billtriage.tmp"
      chown --reference="$hba" "$hba.billtriage.tmp"; chmod --reference="$hba" "$hba.billtriage.tmp"
      mv "$hba.billtriage.tmp" "$hba"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$cluster_ver" "$cluster_name" reload 9>&-
    log "added 'host all all 127.0.0.1/32 trust' and '::1/128 trust' at the top of $hba and reloaded"
    sleep 0.5
    err="$(psql_maint -c 'SELECT 1' 2>&1 >/dev/null)" || die "still cannot connect after allowing trust auth: $err"
  else
    die "cannot connect to $MAINT_URL: $err
  If the server needs a password, put it in DATABASE_URL or ~/.pgpass."
  fi
fi

# ---- 3. pgvector available? ----------------------------------------------------
vector_available() { psql_maint -c "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'"; }

build_pgvector() {
  local major="$1" pgc="/usr/lib/postgresql/$1/bin/pg_config" apt_opts srcdir
  log "pgvector is missing: building it from Debian trixie's source package for PostgreSQL $major (about 30 s)"
  apt_install build-essential dpkg-dev "postgresql-server-dev-$major"
  [[ -x "$pgc" ]] || die "$pgc not found after installing postgresql-server-dev-$major"
  mkdir -p "$BUILD_DIR"
  # A private deb-src list, used only by the two commands below: no trixie binary
  # can ever be installed through it, and the machine's apt sources stay as they are.
  cat >"$APT_SRC_FILE" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt_opts=(-o "Dir::Etc::sourcelist=$APT_SRC_FILE" -o Dir::Etc::sourceparts=-
            -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update -qq \
    || die "apt-get update of Debian trixie's sources failed (is debian-archive-keyring >= 2023.3 installed? it holds the trixie keys)"
  (cd "$BUILD_DIR" && rm -rf pgvector-* pgvector_* && apt-get "${apt_opts[@]}" source -qq pgvector >/dev/null)
  srcdir="$(find "$BUILD_DIR" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | sort -V | tail -1)"
  [[ -n "$srcdir" ]] || die "apt-get source pgvector produced no source tree in $BUILD_DIR"
  log "building $(basename "$srcdir")"
  # OPTFLAGS= as in Debian's own build: no -march=native, so the library runs on any x86-64.
  make -C "$srcdir" -s -j"$(nproc)" PG_CONFIG="$pgc" OPTFLAGS= >"$BUILD_DIR/build.log" 2>&1 \
    || { tail -30 "$BUILD_DIR/build.log" >&2; die "pgvector build failed (log: $BUILD_DIR/build.log)"; }
  make -C "$srcdir" -s PG_CONFIG="$pgc" OPTFLAGS= install >>"$BUILD_DIR/build.log" 2>&1 \
    || { tail -30 "$BUILD_DIR/build.log" >&2; die "pgvector install failed (log: $BUILD_DIR/build.log)"; }
}

server_num="$(psql_maint -c 'SHOW server_version_num')"
server_ver="$(psql_maint -c 'SHOW server_version')"
major=$((server_num / 10000))
vec_avail="$(vector_available)"
if [[ -z "$vec_avail" ]]; then
  if ! $is_local; then
    die "the server at $host:$port has no pgvector extension (vector). Install pgvector on that server,
  or use the local setup (DATABASE_URL on 127.0.0.1) or 'docker compose up -d db' (image pgvector/pgvector)."
  fi
  $is_root || die "PostgreSQL $major has no pgvector extension (vector). Run this script as root (sudo) so it can
  build pgvector from Debian's trixie source package, or use 'docker compose up -d db'."
  build_pgvector "$major"
  vec_avail="$(vector_available)"
  [[ -n "$vec_avail" ]] || die "pgvector was built and installed, but the server still lists no 'vector' extension"
  log "installed pgvector $vec_avail into PostgreSQL $major"
fi

# ---- 4. database and extensions ------------------------------------------------
psql_maint -v db="$db" >/dev/null <<'SQL'
SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
psql "$URL" -w -X -v ON_ERROR_STOP=1 -Atq >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL
# ---- 5. roles --------------------------------------------------------------------
# The owner owns the schema's objects and runs the migrations; the service's
# role owns nothing, so it can neither drop nor disable audit_log's append-only
# triggers, and as no superuser it cannot set session_replication_role to skip
# them. `billtriage migrate` grants it its table privileges. ALTER ROLE runs
# every time so that a role made by hand with more rights is brought back down.
# Passwords: none here (local trust); on a real server set them yourself.
roles_made=""
is_super() { [[ "$(psql "$URL" -w -X -Atq -v r="$1" <<<"SELECT rolsuper FROM pg_roles WHERE rolname = :'r'")" == t ]]; }
if ! $one_role && is_super "$app_user"; then
  # Never demote someone's existing superuser: treat it as a one-role setup.
  log "WARNING: DATABASE_URL's role $app_user is a superuser: the service will not be held to least privilege"
  one_role=true
fi
if ! $one_role; then
  manage_owner=true
  if [[ "$owner_user" == "$user" ]] || is_super "$owner_user"; then manage_owner=false; fi  # a superuser migrates: leave it be
  psql "$URL" -w -X -v ON_ERROR_STOP=1 -Atq -v app="$app_user" -v owner="$owner_user" \
      -v db="$db" -v manage_owner="$manage_owner" >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN', r) FROM (VALUES (:'app'), (:'owner')) v(r)
WHERE (r = :'app' OR :'manage_owner'::boolean) AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r)
FROM (VALUES (:'app'), (:'owner')) v(r) WHERE r = :'app' OR :'manage_owner'::boolean \gexec
-- The service's role must not inherit or assume the owner's rights.
SELECT format('REVOKE %I FROM %I', :'owner', :'app')
WHERE pg_has_role(:'app', :'owner', 'MEMBER') AND :'app' <> :'owner' \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'app') \gexec
-- The owner creates schemas (tests and eval isolate themselves in their own)
-- and, for the default schema, tables in public.
SELECT format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', :'db', :'owner') WHERE :'manage_owner'::boolean \gexec
SELECT format('GRANT USAGE, CREATE ON SCHEMA public TO %I', :'owner') WHERE :'manage_owner'::boolean \gexec
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app') \gexec
-- PostgreSQL 15's default, made explicit for older servers: nobody else
-- creates objects in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- A database migrated before the roles existed has its tables and functions
-- in public owned by whoever migrated (often postgres): hand them to the
-- owner, or its migrations could not read goose's version table. Extension
-- members (vector's, pg_trgm's functions) stay as they are.
SELECT format('ALTER TABLE public.%I OWNER TO %I', c.relname, :'owner')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE :'manage_owner'::boolean AND n.nspname = 'public' AND c.relkind IN ('r', 'p')
  AND pg_get_userbyid(c.relowner) <> :'owner'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  AND to_regclass('public.goose_db_version') IS NOT NULL \gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE :'manage_owner'::boolean AND n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :'owner'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  AND to_regclass('public.goose_db_version') IS NOT NULL \gexec
SQL
  roles_made=", roles $owner_user (owner) and $app_user (service)"
fi

exts="$(psql "$URL" -w -X -v ON_ERROR_STOP=1 -Atq -F ' ' \
  -c "SELECT extname, extversion FROM pg_extension WHERE extname IN ('vector','pg_trgm') ORDER BY 1" | paste -sd, -)"

# ---- 6. summary ----------------------------------------------------------------
log "ok: PostgreSQL $server_ver at ${host:-local socket}:$port, vector $vec_avail available, database '$db' has ${exts//,/, }$roles_made"
