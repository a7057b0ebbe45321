#!/usr/bin/env bash
# Throwaway PostgreSQL + Redis for a developer session (the same ones test.sh uses).
#   eval "$(infra/dev-services.sh env)"   start them if needed and export WEBINARS_TEST_*
#   dotnet test --filter ...
#   infra/dev-services.sh stop            stop them and delete their data
# `start` is `env` without needing eval; `status` tells whether they run.
# State lives in $WEBINARS_SERVICES_DIR (default: a per-user, per-checkout folder under /tmp).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=infra/services.sh
. "$here/services.sh"

state=${WEBINARS_SERVICES_DIR:-/tmp/webinars-dev-$(id -u)-$(printf '%s' "$here" | cksum | cut -d ' ' -f 1)}

ensure_running() {
    if webinars_services_running "$state"; then
        return 0
    fi
    webinars_services_stop "$state" # leftovers of a crashed session
    webinars_install_missing
    if ! webinars_services_start "$state"; then
        webinars_services_stop "$state"
        return 1
    fi
}

case ${1:-} in
start | env)
    ensure_running
    webinars_services_env "$state"
    ;;
stop)
    webinars_services_stop "$state"
    ;;
status)
    if webinars_services_running "$state"; then
        echo "running ($state)"
    else
        echo "stopped"
        exit 1
    fi
    ;;
*)
    echo "usage: $0 start|env|stop|status" >&2
    exit 2
    ;;
esac
