#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start DIR PORT` initializes DIR (trust auth, loopback
# only, as the postgres user: initdb refuses root) and starts it; `stop DIR` stops it. Prints the URL
# the tests read from TEST_DATABASE_URL. Installs Debian's postgresql when it is missing.
set -euo pipefail

BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
command="${1:-}"
dir="${2:-}"
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }
dir=$(realpath -m "$dir")

as_user() {
  # from /, which the postgres user can always enter (the caller's folder may be private)
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$command" in
  start)
    port="${3:?usage: $0 start DIR PORT}"
    if [ ! -x "$BIN/initdb" ]; then
      echo "== installing Debian's postgresql" >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      # The package starts a cluster of its own on 5432; the tests do not use it.
      pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    chmod 700 "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_user "$BIN/initdb" -D "$dir" -U postgres --auth=trust --no-sync -E UTF8 >"$dir.initdb.log" 2>&1 || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    as_user "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_user "$BIN/pg_ctl" -D "$dir" -m fast -w stop >&2 || true
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
