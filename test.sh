#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL cluster and Redis server.
#   ./test.sh                                  everything
#   ./test.sh --filter "FullyQualifiedName~Feeds"   extra arguments go to `dotnet test`
# Installs PostgreSQL, redis-server and Chromium with apt-get when they are missing, exports
# WEBINARS_TEST_POSTGRES / WEBINARS_TEST_REDIS / WEBINARS_TEST_CHROMIUM, and ends with a line
# "N passed, N failed[, N skipped]" counted from the TRX files in .test-run/results.
# Exit status: dotnet test's; non-zero as well when no test ran.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
# No MSBuild worker nodes or compiler server left running after the script on CI.
build_args=()
if [ -n "${CI:-}" ]; then
    export MSBUILDDISABLENODEREUSE=1
    build_args=(-p:UseSharedCompilation=false)
fi

# shellcheck source=infra/services.sh
. infra/services.sh

if ! command -v dotnet >/dev/null 2>&1; then
    echo "test.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2
    exit 1
fi
webinars_install_missing

services_dir=$(mktemp -d /tmp/webinars-test.XXXXXX)
trap 'webinars_services_stop "$services_dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

webinars_services_start "$services_dir"
eval "$(webinars_services_env "$services_dir")"

results=.test-run/results
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet test Webinars.sln -c Release --results-directory "$results" \
    --logger "trx;LogFilePrefix=webinars" \
    --blame-hang-timeout 10m --blame-hang-dump-type none \
    "${build_args[@]}" "$@" || status=$?

webinars_services_stop "$services_dir"

# Sum the <Counters .../> of every TRX file (one per test project).
counter() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1) || continue
    passed=$((passed + $(counter passed "$counters")))
    failed=$((failed + $(counter failed "$counters") + $(counter error "$counters") \
        + $(counter timeout "$counters") + $(counter aborted "$counters")))
    skipped=$((skipped + $(counter total "$counters") - $(counter executed "$counters")))
done

if [ $((passed + failed)) -eq 0 ]; then
    echo "test.sh: no tests ran" >&2
    [ "$status" -ne 0 ] || status=1
fi
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
exit "$status"
