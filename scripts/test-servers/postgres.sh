#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server for mnp's tests.
#   postgres.sh start DIR   → prints the database URL on stdout
#   postgres.sh stop DIR
# The cluster lives in DIR, listens on 127.0.0.1 on a free port, trusts local
# connections, and has a superuser `mnp` with a database `mnp`. As root, the
# server runs as the `postgres` system user (PostgreSQL refuses root).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
bin=""
for c in /usr/lib/postgresql/*/bin/pg_ctl $(command -v pg_ctl 2>/dev/null); do
  [ -x "$c" ] && bin=$(dirname "$c") && break
done
[ -n "$bin" ] || { echo "postgres.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 3; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
    echo "$port" >"$dir/port"
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
      "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='mnp') THEN CREATE ROLE mnp SUPERUSER LOGIN; END IF; END\$\$;" >/dev/null
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='mnp'" | grep -q 1 \
      || as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres -O mnp mnp
    echo "postgres://mnp@127.0.0.1:$port/mnp"
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: postgres.sh start|stop DIR" >&2; exit 2 ;;
esac
