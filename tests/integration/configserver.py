"""A nats-server started from a config file as is: ``nats-server -c FILE -a 127.0.0.1 -p P -m H``.

:class:`~tests.integration.natsserver.NatsServer` writes its own config around a body; the files
``pynsc generate config`` writes must work unchanged, so this server only adds the listen and
monitor ports on the command line. Its working directory is ``workdir`` (where a nats resolver's
``dir: './jwt'`` lands) and its log goes there too; :meth:`reload` re-reads the (rewritten) file.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .natsserver import NatsServer, NatsServerError, find_binary

__all__ = ["ConfigFileServer", "config_servers"]


class ConfigFileServer(NatsServer):
    """``nats-server -c config_file`` with ``-a 127.0.0.1 -p <port> -m <monitor port>``."""

    def __init__(
        self,
        config_file: Path,
        workdir: Path,
        *,
        name: str = "nats",
        binary: Path | None = None,
        args: Sequence[str] = (),
    ) -> None:
        super().__init__(workdir, binary=binary, name=name)
        self.config_path = config_file
        self.args = tuple(args)  # more command-line flags, e.g. ("-DV",) to trace a failure

    def config_text(self) -> str:
        return self.config_path.read_text(encoding="utf-8")

    def _write_config(self) -> None:  # the file is used as is
        self.workdir.mkdir(parents=True, exist_ok=True)

    def _spawn(self) -> None:
        command = [
            str(self.binary), "-c", str(self.config_path),
            "-a", "127.0.0.1", "-p", str(self.port), "-m", str(self.http_port), *self.args,
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
            )


@contextmanager
def config_servers(base: Path) -> Iterator[Callable[..., ConfigFileServer]]:
    """``start(config_file, name=...)`` starts a :class:`ConfigFileServer` in ``base/<name>``;
    every server started is stopped when the block ends."""
    binary = find_binary()
    if binary is None:
        raise NatsServerError("nats-server not found on PATH nor next to the Python interpreter")
    servers: list[ConfigFileServer] = []

    def start(
        config_file: Path, *, name: str = "nats", args: Sequence[str] = ()
    ) -> ConfigFileServer:
        server = ConfigFileServer(config_file, base / name, name=name, binary=binary, args=args)
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in reversed(servers):
            server.stop()
