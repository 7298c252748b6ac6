#!/usr/bin/env bash
# Writes the nats-server configuration this example needs, for the current pynsc operator:
#
#   examples/web_backend/nats-config.sh [FILE [PYNSC FLAGS...]]     (FILE: nats-server.conf)
#
# a full nats resolver preloaded with the system account (push the other accounts to it with
# 'pynsc push -A'), and a websocket listener on $WS_HOST:$WS_PORT (127.0.0.1:8080) whose
# clients authenticate with the bearer user JWT server.py sets in the "jwt" cookie. No TLS on
# it: fine on loopback; elsewhere put a proxy terminating TLS in front, or replace --no-tls by
# --websocket-cert FILE --websocket-key FILE. Extra arguments go to pynsc (e.g. -H DIR).
set -euo pipefail
out="${1:-nats-server.conf}"
shift || true
"${PYNSC:-pynsc}" generate config --nats-resolver --config-file "$out" --force \
    --websocket "${WS_PORT:-8080}" --websocket-host "${WS_HOST:-127.0.0.1}" \
    --jwt-cookie jwt --no-tls "$@"
