# shellcheck shell=bash
# Throwaway PostgreSQL and Redis servers for the test suite and for developer sessions.
# Sourced by test.sh and infra/dev-services.sh; defines functions only, changes no shell options.
#
#   webinars_install_missing     apt-get install PostgreSQL, redis-server, nginx, chromium, fonts-dejavu-core if absent
#   webinars_services_start DIR  start both servers; DIR holds their data, sockets, logs and state
#   webinars_services_running DIR
#   webinars_services_env DIR    print the `export WEBINARS_TEST_...=` lines for the servers in DIR
#   webinars_services_stop DIR   stop both servers and remove DIR (quiet, idempotent)
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user
# (created if absent); as anyone else it belongs to the caller. When DIR sits inside a folder the
# `postgres` user cannot enter (root's mode-700 home, a private mktemp folder), the cluster lives in a
# folder of its own under /tmp and DIR/pg is a symbolic link to it.
#
# nginx is not started here: the proxy tests start it themselves from the shipped infra/nginx.conf
# (tests/Webinars.Tests/Infrastructure/TestNginx.cs) with WEBINARS_TEST_NGINX as the binary.

webinars_log() { printf '[services] %s\n' "$*" >&2; }

# Directory holding initdb/pg_ctl/postgres: PATH first, else the newest Debian /usr/lib/postgresql/N/bin.
webinars_pg_bindir() {
    local initdb dir
    if initdb=$(command -v initdb 2>/dev/null); then
        dirname "$(readlink -f "$initdb")"
        return 0
    fi
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

webinars_nginx_path() {
    command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }
}

webinars_chromium_path() {
    command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null
}

# Debian packages still to install, space separated (empty when everything is there).
webinars_missing_packages() {
    local missing=()
    webinars_pg_bindir >/dev/null || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    # nginx-light: the proxy and upstream modules the tests need, without the mail and stream extras.
    webinars_nginx_path >/dev/null || missing+=(nginx-light)
    webinars_chromium_path >/dev/null || missing+=(chromium)
    if command -v dpkg-query >/dev/null 2>&1 &&
        ! dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q 'ok installed'; then
        missing+=(fonts-dejavu-core)
    fi
    echo "${missing[*]}"
}

webinars_install_missing() {
    local missing sudo=()
    read -ra missing <<<"$(webinars_missing_packages)"
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        webinars_log "missing: ${missing[*]} (no apt-get here: install PostgreSQL, Redis and Chromium yourself)"
        return 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            webinars_log "missing: ${missing[*]}"
            webinars_log "run as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
            return 1
        fi
    fi
    webinars_log "installing ${missing[*]}"
    # Lock::Timeout: wait for another apt/dpkg run instead of failing on its lock.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${missing[@]}"
}

# A TCP port nobody listens on at 127.0.0.1 (a later bind can still race; start retries).
webinars_free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port attempt
    for attempt in $(seq 1 200); do
        port=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    webinars_log "no free port found"
    return 1
}

# Runs a command as the owner of the PostgreSQL cluster, from its folder PG (which that owner can read).
webinars_as_pg() {
    local pg=$1
    shift
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$pg" && runuser -u postgres -- "$@")
    else
        (cd "$pg" && "$@")
    fi
}

# The cluster's folder as its owner reaches it: DIR/pg with symbolic links resolved.
webinars_pg_home() {
    readlink -f "$1/pg"
}

# Creates DIR/pg where the cluster's owner can reach it (see the top of this file).
webinars_make_pg_home() {
    local dir=$1 home
    if [ "$(id -u)" -ne 0 ]; then
        mkdir -p "$dir/pg"
        return 0
    fi
    if runuser -u postgres -- test -x "$dir"; then
        mkdir -p "$dir/pg"
    else
        home=$(mktemp -d /tmp/webinars-pg.XXXXXX) || return 1
        ln -s "$home" "$dir/pg"
    fi
    chown postgres: "$(webinars_pg_home "$dir")"
}

webinars_redis_ping() {
    local reply
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1"
        printf 'PING\r\n' >&3
        IFS= read -r -t 2 reply <&3
        [[ $reply == +PONG* ]]
    ) 2>/dev/null
}

webinars_start_postgres() {
    local dir=$1 bindir port password attempt pg
    bindir=$(webinars_pg_bindir) || { webinars_log "PostgreSQL (initdb, pg_ctl) not found"; return 1; }
    if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
        useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin postgres
    fi
    webinars_make_pg_home "$dir" || return 1
    pg=$(webinars_pg_home "$dir")
    mkdir -p "$pg/sock"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$pg"
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    (umask 077 && printf '%s\n' "$password" >"$pg/pwfile")
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pg/pwfile"
    webinars_as_pg "$pg" "$bindir/initdb" -D "$pg/data" -U postgres --pwfile="$pg/pwfile" \
        --auth-host=scram-sha-256 --auth-local=trust --encoding=UTF8 --no-locale --no-sync \
        >"$pg/initdb.log" 2>&1 || { cat "$pg/initdb.log" >&2; return 1; }
    rm -f "$pg/pwfile"
    # Throwaway cluster: no durability; many connections because tests run in parallel.
    webinars_as_pg "$pg" tee -a "$pg/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg/sock'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    for attempt in 1 2 3; do
        port=$(webinars_free_port)
        if webinars_as_pg "$pg" "$bindir/pg_ctl" -D "$pg/data" -l "$pg/postgres.log" \
            -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
            {
                echo "PG_BINDIR='$bindir'"
                echo "PG_PORT='$port'"
                echo "PG_PASSWORD='$password'"
            } >>"$dir/state"
            webinars_log "PostgreSQL listening on 127.0.0.1:$port (log: $pg/postgres.log)"
            return 0
        fi
        webinars_log "PostgreSQL did not start on port $port (attempt $attempt)"
    done
    tail -n 20 "$pg/postgres.log" >&2 || true
    return 1
}

webinars_start_redis() {
    local dir=$1 port attempt i
    command -v redis-server >/dev/null 2>&1 || { webinars_log "redis-server not found"; return 1; }
    mkdir -p "$dir/redis"
    for attempt in 1 2 3; do
        port=$(webinars_free_port)
        rm -f "$dir/redis/redis.pid"
        # setsid: Ctrl-C in the caller's terminal must not kill it before the cleanup does.
        setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
            --dir "$dir/redis" --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" \
            </dev/null >/dev/null 2>&1 &
        for i in $(seq 1 50); do
            if [ -s "$dir/redis/redis.pid" ] && webinars_redis_ping "$port"; then
                echo "REDIS_PORT='$port'" >>"$dir/state"
                webinars_log "Redis listening on 127.0.0.1:$port"
                return 0
            fi
            sleep 0.2
        done
        webinars_log "Redis did not start on port $port (attempt $attempt)"
        webinars_stop_redis "$dir"
    done
    tail -n 20 "$dir/redis/redis.log" >&2 || true
    return 1
}

webinars_services_start() {
    local dir=$1
    mkdir -p "$dir"
    chmod 755 "$dir" # the postgres user must reach its data directory inside (its parents: see the top)
    (umask 077 && : >"$dir/state")
    webinars_start_postgres "$dir" && webinars_start_redis "$dir"
}

webinars_services_running() {
    local dir=$1 PG_BINDIR='' PG_PORT='' PG_PASSWORD='' REDIS_PORT=''
    [ -f "$dir/state" ] || return 1
    # shellcheck disable=SC1091
    . "$dir/state"
    [ -n "$PG_BINDIR" ] && [ -n "$REDIS_PORT" ] || return 1
    webinars_as_pg "$(webinars_pg_home "$dir")" "$PG_BINDIR/pg_ctl" -D "$(webinars_pg_home "$dir")/data" status >/dev/null 2>&1 &&
        webinars_redis_ping "$REDIS_PORT"
}

webinars_services_env() {
    local dir=$1 PG_BINDIR='' PG_PORT='' PG_PASSWORD='' REDIS_PORT='' chromium nginx
    [ -f "$dir/state" ] || { webinars_log "no services in $dir"; return 1; }
    # shellcheck disable=SC1091
    . "$dir/state"
    echo "export WEBINARS_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=postgres;Include Error Detail=true'"
    echo "export WEBINARS_TEST_REDIS='127.0.0.1:$REDIS_PORT'"
    if nginx=$(webinars_nginx_path); then
        echo "export WEBINARS_TEST_NGINX='$nginx'"
    fi
    if chromium=$(webinars_chromium_path); then
        echo "export WEBINARS_TEST_CHROMIUM='$chromium'"
    fi
    echo "# psql 'postgresql://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres'"
}

webinars_stop_redis() {
    local dir=$1 pid i
    [ -s "$dir/redis/redis.pid" ] || return 0
    pid=$(cat "$dir/redis/redis.pid")
    kill "$pid" 2>/dev/null || return 0
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

webinars_stop_postgres() {
    local dir=$1 PG_BINDIR='' PG_PORT='' PG_PASSWORD='' REDIS_PORT='' pid i pg
    pg=$(webinars_pg_home "$dir") || return 0
    [ -f "$pg/data/postmaster.pid" ] || return 0
    # shellcheck disable=SC1091
    [ -f "$dir/state" ] && . "$dir/state"
    if [ -n "$PG_BINDIR" ]; then
        webinars_as_pg "$pg" "$PG_BINDIR/pg_ctl" -D "$pg/data" -m fast -w -t 20 stop >/dev/null 2>&1 && return 0
        webinars_as_pg "$pg" "$PG_BINDIR/pg_ctl" -D "$pg/data" -m immediate -w -t 10 stop >/dev/null 2>&1 && return 0
    fi
    pid=$(head -n 1 "$pg/data/postmaster.pid" 2>/dev/null) || return 0
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
}

webinars_services_stop() {
    local dir=$1
    [ -d "$dir" ] || return 0
    webinars_stop_redis "$dir" || true
    webinars_stop_postgres "$dir" || true
    # The cluster's own folder under /tmp when DIR/pg is a link to it.
    [ -L "$dir/pg" ] && rm -rf "$(webinars_pg_home "$dir")"
    rm -rf "$dir"
}
