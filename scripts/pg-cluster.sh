#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for tests and benchmarks, on a free loopback port in a temporary
# directory, with trust authentication for the local user `gazelle`.
#   scripts/pg-cluster.sh start DIR   prints the server URL (postgresql://gazelle@127.0.0.1:PORT/postgres)
#   scripts/pg-cluster.sh stop DIR    stops it and removes DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$bin/initdb" -D "$dir/data" -U gazelle --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -h 127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
    echo "$port" > "$dir/port"
    echo "postgresql://gazelle@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
esac
