#!/usr/bin/env bash
# `switchboard list --json` of every owned number against the official Python SDK listing the
# same numbers (scripts/python_sdk_list.py), side by side against one `switchboard sandbox
# --tls`, the two run in turn (A B A B ...), each timed as a whole process (wall clock, from
# before its start to its exit).
#
#   scripts/list-vs-sdk.sh [LATENCY_MS [RUNS [OWNED]]]     defaults: 20 5 10000
#
# switchboard runs warm: one run first fills its own cache directory (the learned pace), as a
# second run of a user would be; with COLD=1 every run starts with nothing known instead.
# Needs target/release/switchboard (cargo build --release) and the SDK's virtualenv
# (scripts/python-sdk-check.sh creates target/sdk-venv). Prints each run's seconds, then the
# medians and their ratio.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
LATENCY=${1:-20}
RUNS=${2:-5}
OWNED=${3:-10000}
BIN=target/release/switchboard
PY=target/sdk-venv/bin/python
[[ -x $BIN ]] || { echo "no $BIN: cargo build --release" >&2; exit 1; }
[[ -x $PY ]] || { echo "no $PY: run scripts/python-sdk-check.sh once" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/list-vs-sdk.XXXXXX")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PID=
cleanup() {
    [[ -n $PID ]] && kill -INT "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    rm -rf "$WORK" "${TMPDIR:-/tmp}/switchboard-sandbox-$PORT"
}
trap cleanup EXIT

"$BIN" sandbox --tls --port "$PORT" --owned "$OWNED" --latency-ms "$LATENCY" >"$WORK/sandbox.out" 2>&1 &
PID=$!
PEM=
for _ in $(seq 300); do
    PEM=$(sed -n 's/^ *certificate: \(.*\)$/\1/p' "$WORK/sandbox.out")
    [[ -n $PEM && -s $PEM ]] && break
    sleep 0.1
done
[[ -n $PEM ]] || { cat "$WORK/sandbox.out" >&2; exit 1; }

cache=$WORK/cache
[[ ${COLD:-0} == 1 ]] && cache=/proc/no-cache-here
a() {
    env -i PATH="$PATH" HOME="$WORK" SWITCHBOARD_CONFIG=/nonexistent SWITCHBOARD_CACHE_DIR="$cache" \
        "$BIN" --base-url "https://127.0.0.1:$PORT" --ca-cert "$PEM" \
        --api-key sandbox --api-secret sandbox-secret list --json
}
b() {
    env -i PATH="$PATH" SANDBOX_PORT="$PORT" REQUESTS_CA_BUNDLE="$PEM" "$PY" scripts/python_sdk_list.py
}
timed() {
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "$* failed" >&2; exit 1; }; t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}'
}

a >/dev/null 2>&1   # warm-up: fills the cache (the pace) and the page cache
b >/dev/null 2>&1
: >"$WORK/a"; : >"$WORK/b"
for i in $(seq "$RUNS"); do
    ta=$(timed a); tb=$(timed b)
    echo "run $i: switchboard ${ta} s, Python SDK ${tb} s"
    echo "$ta" >>"$WORK/a"; echo "$tb" >>"$WORK/b"
done
median() { sort -n "$1" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(median "$WORK/a"); mb=$(median "$WORK/b")
echo "latency ${LATENCY} ms, ${OWNED} numbers: switchboard ${ma} s, Python SDK ${mb} s (medians of ${RUNS}), SDK/switchboard $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.1f", b / a}')x"
