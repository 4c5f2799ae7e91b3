#!/usr/bin/env bash
# Proves the Numbers API sandbox against a client nobody here wrote: the official Vonage
# Python SDK (PyPI `vonage` 4.x), over HTTPS with the sandbox's self-signed certificate.
#
#   scripts/python-sdk-check.sh             build (cargo build --release), then check
#   scripts/python-sdk-check.sh --no-build  use the existing target/release/switchboard
#
# The SDK goes into a virtualenv in target/sdk-venv. The exit code is the Python check's
# (0 = every step passed); 1 also when the set-up itself fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BIN=target/release/switchboard
VENV=target/sdk-venv
OWNED=250
API_KEY=sdk-check
API_SECRET="sdk-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

build=1
for arg in "$@"; do
    case "$arg" in
        --no-build) build=0 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 1 ;;
    esac
done

say() { printf '==> %s\n' "$*" >&2; }

if [[ $build == 1 ]] && command -v cargo >/dev/null; then
    say "cargo build --release"
    if ! cargo build --release --quiet; then
        echo "cargo build --release failed; --no-build checks the existing $BIN instead" >&2
        exit 1
    fi
fi
if [[ ! -x $BIN ]]; then
    echo "no $BIN: build it with cargo build --release" >&2
    exit 1
fi

if [[ ! -x $VENV/bin/python ]]; then
    say "creating the virtualenv $VENV"
    python3 -m venv "$VENV"
fi
say "pip install 'vonage>=4,<5' into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'vonage>=4,<5'

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sdk-check.XXXXXX")
LOG=$WORK/sandbox.out
PID=
PEM=

cleanup() {
    if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
        kill -INT "$PID" 2>/dev/null || true   # the sandbox stops gracefully on Ctrl-C
        for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    # The certificate directory is the sandbox's own (named after the port).
    if [[ -n $PEM && $(basename "$(dirname "$PEM")") == switchboard-sandbox-* ]]; then
        rm -rf "$(dirname "$PEM")"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting $BIN sandbox --tls --port $PORT --owned $OWNED"
"$BIN" sandbox --tls --port "$PORT" --owned "$OWNED" \
    --api-key "$API_KEY" --api-secret "$API_SECRET" >"$LOG" 2>&1 &
PID=$!

# Wait for "listening on https://..." and "certificate: /path/cert.pem" on its stdout.
URL=
for _ in $(seq 300); do
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "the sandbox exited before it was ready:" >&2
        cat "$LOG" >&2
        PID=
        exit 1
    fi
    URL=$(sed -n 's/^Numbers API sandbox listening on \(https:\/\/[^ ]*\)$/\1/p' "$LOG")
    PEM=$(sed -n 's/^ *certificate: \(.*\)$/\1/p' "$LOG")
    [[ -n $URL && -n $PEM && -s $PEM ]] && break
    sleep 0.1
done
if [[ -z $URL || -z $PEM || ! -s $PEM ]]; then
    echo "the sandbox did not print its https URL and certificate within 30 s:" >&2
    cat "$LOG" >&2
    exit 1
fi
if [[ ${URL##*:} != "$PORT" ]]; then
    echo "the sandbox says $URL, but was asked for port $PORT" >&2
    exit 1
fi
say "sandbox at $URL, certificate $PEM"

status=0
SANDBOX_PORT=$PORT SANDBOX_API_KEY=$API_KEY SANDBOX_API_SECRET=$API_SECRET SANDBOX_OWNED=$OWNED \
    REQUESTS_CA_BUNDLE=$PEM "$VENV/bin/python" scripts/python_sdk_check.py || status=$?
exit "$status"
