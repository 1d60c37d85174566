#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server for the storage-jdbc tests.
#
#   postgres.sh start DIR [PORT]   install PostgreSQL from Debian's packages if absent, initdb (as
#                                  user postgres, trust auth) in DIR/data, start on 127.0.0.1:PORT,
#                                  create database "bilevel"; prints the port; PID in DIR/pid
#   postgres.sh stop DIR           fast shutdown of the server whose PID is in DIR/pid, then wait
#
# DIR must be an empty (or absent) scratch folder; it is made readable by user postgres.
set -euo pipefail

cmd=${1:?usage: postgres.sh start|stop DIR [PORT]}
dir=${2:?usage: postgres.sh start|stop DIR [PORT]}

find_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  echo ""
}

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    port=${3:-}
    bin=$(find_bin)
    if [[ -z "$bin" ]]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
      bin=$(find_bin)
    fi
    [[ -n "$bin" ]] || { echo "PostgreSQL binaries not found after installation" >&2; exit 1; }
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    if [[ -z "$port" ]]; then
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >"$dir/pg_ctl.log" 2>&1
    head -n 1 "$dir/data/postmaster.pid" >"$dir/pid"
    echo "$port" >"$dir/port"
    as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres bilevel
    echo "$port"
    ;;
  stop)
    [[ -f "$dir/pid" ]] || exit 0
    pid=$(cat "$dir/pid")
    if kill -INT "$pid" 2>/dev/null; then
      for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
    rm -f "$dir/pid"
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
