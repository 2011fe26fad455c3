# pg.sh — sourced by tests and benchmarks after lib.sh (or with TMP set):
# pg_start starts a private PostgreSQL server from Debian's postgresql
# package on a Unix socket in a temporary folder (no TCP listener), as an
# unprivileged user when run as root (initdb refuses root), and stops it
# when the script exits. It returns 1, printing why, only when the server
# binaries are missing. pg_newdb NAME makes a database and prints its
# connection string; pg_sql URL SQL runs SQL through psql.

pg_start() { # pg_start [fsync: on|off]
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ] ||
    ! command -v psql >/dev/null; then
    echo "SKIP: the PostgreSQL server (initdb, pg_ctl, psql from Debian's postgresql package) is not installed" >&2
    return 1
  fi
  PG_DIR=$(mktemp -d /tmp/missive-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  PG_AS=()
  if [ "$(id -u)" -eq 0 ]; then
    local user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$PG_DIR"
    PG_AS=(runuser -u "$user" --)
  fi
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U missive --auth=trust -E UTF8 --locale=C \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 2; }
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-k $PG_DIR -c listen_addresses='' -c fsync=${1:-off} -c max_connections=40" \
    start >/dev/null 2>&1 || { cat "$PG_DIR/server.log" >&2; return 2; }
  trap 'pg_stop; rm -rf "${TMP:-/nonexistent}"' EXIT
  PG_ADMIN="host=$PG_DIR user=missive dbname=postgres"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$PG_DIR"
  PG_DIR=
}

pg_sql() { # pg_sql URL SQL...
  local url=$1; shift
  psql "$url" -X -q -A -t -v ON_ERROR_STOP=1 -c "$*"
}

pg_newdb() { # pg_newdb NAME: prints the new database's connection string
  pg_sql "$PG_ADMIN" "CREATE DATABASE $1" >/dev/null && echo "host=$PG_DIR user=missive dbname=$1"
}
