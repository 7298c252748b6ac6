"""A minimal web backend giving each browser session a bearer NATS JWT in an HTTP-only cookie.

    ACCOUNT_SIGNING_SEED=SA… ACCOUNT_JWT=eyJ… python examples/web_backend/server.py \\
        [--host 127.0.0.1] [--port 8000] [--nats-ws ws://127.0.0.1:8080] [--ttl 3600]

``POST /session?project=<id>`` issues a short-lived bearer user JWT limited to
``projects.<id>.>`` (plus its own inbox prefix ``_INBOX.<session>``, websocket connections only)
and sets it in an ``HttpOnly; Secure; SameSite=Strict`` cookie named ``jwt``; the JSON answer
holds no credentials. The page (``index.html`` and ``app.js``, with nats.ws from npm) then
connects to nats-server over a websocket with no credentials of its own: the browser sends the
cookie on the websocket upgrade, since the page and nats-server share the host (cookies are
not port-scoped), and nats-server's ``jwt_cookie`` reads it. ``POST /logout`` drops it.

The account key comes from the environment (or ``--account-seed`` and ``--account-jwt``): an
account signing-key seed plus the account's JWT (or the account's own seed, and no JWT). A real
backend authenticates its users first and checks they may see the project; this one lets anyone
in, so run it on loopback only. Standard library only, besides pynsc.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import sys
from datetime import timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pynsc

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "node_modules" / "nats.ws" / "esm" / "nats.js"
PROJECT = re.compile(r"[A-Za-z0-9_-]{1,64}")  # one subject token: no dots, wildcards or spaces
STATIC = {
    "/": (HERE / "index.html", "text/html; charset=utf-8"),
    "/app.js": (HERE / "app.js", "text/javascript; charset=utf-8"),
    "/nats.js": (BUNDLE, "text/javascript; charset=utf-8"),
}


class Backend:
    """What the handlers share: the issuer, where nats-server is, the cookie settings."""

    def __init__(self, issuer: pynsc.Issuer, nats_ws: str, ttl: int, cookie_name: str) -> None:
        self.issuer = issuer
        self.nats_ws = nats_ws
        self.ttl = ttl
        self.cookie_name = cookie_name

    def new_session(self, project: str) -> tuple[dict[str, object], pynsc.JwtCookie]:
        """A bearer JWT for one browser session of ``project``: the answer and the cookie."""
        session = f"session-{secrets.token_hex(6)}"
        inbox = f"_INBOX.{session}"
        creds = self.issuer.issue_user(
            session,
            bearer=True,
            allow_pub=[f"projects.{project}.>"],
            allow_sub=[f"projects.{project}.>", f"{inbox}.>"],
            connection_types=["WEBSOCKET"],
            expiry=timedelta(seconds=self.ttl),
        )
        cookie = pynsc.jwt_cookie(creds.jwt, self.cookie_name)
        answer: dict[str, object] = {
            "session": session,
            "project": project,
            "subjects": f"projects.{project}.>",
            "inbox_prefix": inbox,
            "expires_in": cookie.max_age,
            "nats_ws": self.nats_ws,
        }
        return answer, cookie  # the seed (creds.seed) is never needed: the JWT is a bearer token


class Handler(BaseHTTPRequestHandler):
    server: BackendServer

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/config.json":
            self._json(HTTPStatus.OK, {"nats_ws": self.server.backend.nats_ws})
            return
        found = STATIC.get(path)
        if found is None or not found[0].is_file():
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no {path}"})
            return
        body = found[0].read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", found[1])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if not self._same_origin():
            self._json(HTTPStatus.FORBIDDEN, {"error": "cross-origin request"})
            return
        if url.path == "/session":
            project = parse_qs(url.query).get("project", [""])[0]
            if not PROJECT.fullmatch(project):
                self._json(HTTPStatus.BAD_REQUEST, {"error": "project: letters, digits, - and _"})
                return
            answer, cookie = self.server.backend.new_session(project)
            self._json(HTTPStatus.OK, answer, cookie=cookie.header())
        elif url.path == "/logout":
            gone = pynsc.JwtCookie(self.server.backend.cookie_name, "", max_age=0)
            self._json(HTTPStatus.OK, {"ok": True}, cookie=gone.header())
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no {url.path}"})

    def _same_origin(self) -> bool:
        """Browsers send ``Origin`` on POST: refuse another site's page posting here."""
        origin = self.headers.get("Origin")
        return origin is None or origin == f"http://{self.headers.get('Host', '')}"

    def _json(self, status: HTTPStatus, data: object, *, cookie: str | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if cookie is not None:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        self.wfile.write(body)


class BackendServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], backend: Backend) -> None:
        super().__init__(address, Handler)
        self.backend = backend


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--nats-ws", default="ws://127.0.0.1:8080",
                        help="nats-server's websocket URL, on the same host as this page")
    parser.add_argument("--ttl", type=int, default=3600, help="session JWT lifetime (seconds)")
    parser.add_argument("--cookie-name", default="jwt", help="nats-server's jwt_cookie")
    parser.add_argument("--account-seed", default=os.environ.get("ACCOUNT_SIGNING_SEED", ""),
                        help="[env: ACCOUNT_SIGNING_SEED] an account signing-key seed (or the "
                             "account's seed)")
    parser.add_argument("--account-jwt", default=os.environ.get("ACCOUNT_JWT", ""),
                        help="[env: ACCOUNT_JWT] the account's JWT, or a file holding it")
    args = parser.parse_args(argv)
    if not args.account_seed:
        parser.error("set ACCOUNT_SIGNING_SEED (or pass --account-seed)")
    account = args.account_jwt.strip()
    if account and not account.startswith("eyJ"):
        account = Path(account).read_text().strip()
    try:
        issuer = pynsc.Issuer.from_seed(args.account_seed, account=account or None)
    except pynsc.NscError as error:
        parser.error(f"cannot issue users: {error}")
    if not BUNDLE.is_file():
        print(f"warning: {BUNDLE} is missing: run 'npm ci' in {HERE}", file=sys.stderr)

    backend = Backend(issuer, args.nats_ws, args.ttl, args.cookie_name)
    with BackendServer((args.host, args.port), backend) as server:
        host, port = server.server_address[:2]
        print(f"serving http://{host!s}:{port} (nats-server at {args.nats_ws})", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
