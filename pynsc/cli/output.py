"""The only place pynsc writes to the terminal.

Data (JWTs, keys, JSON, tables) goes to stdout, written verbatim; status lines, warnings and errors
go to stderr. Both consoles run with markup, emoji and highlighting off, so user data such as
``nats://host:4222`` or ``[a.b]`` is never mangled, and both are created without ``file=`` so the
stream is looked up at write time (CliRunner swaps ``sys.stdout``/``sys.stderr`` per call).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from pynsc.text import display_path

if TYPE_CHECKING:
    from rich.console import Console

    from pynsc.cli.table import Table
    from pynsc.store.report import Report

__all__ = ["Output", "display_path", "one_line"]

# Characters that would break a message's line or the terminal: C0 and C1 controls (newline,
# carriage return, escape), line and paragraph separators, bidirectional overrides and
# isolates, and lone surrogates (undecodable bytes of a command line).
_UNSAFE_CHARS = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


@functools.cache
def _unsafe() -> re.Pattern[str]:
    """The pattern of :data:`_UNSAFE_CHARS`, compiled on first use (about a millisecond, which
    a run that prints only data never spends)."""
    return re.compile(_UNSAFE_CHARS)


_SHORT_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                  "\t": "\\t", "\v": "\\v"}  # fmt: skip


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (surrogateescape)
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with every character that could break its line or the terminal escaped as Go
    escapes it (``\\n``, ``\\x1b``, ``\\u2028``): a message quoting user input stays one line."""
    unsafe = _unsafe()
    return text if unsafe.search(text) is None else unsafe.sub(_escape, text)


def _console(*, stderr: bool) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


class Output:
    """stdout for data, stderr for everything else.

    ``stdout``/``stderr`` may be injected (tests); by default rich Consoles are made on first use,
    so merely importing the CLI does not import rich.
    """

    def __init__(self, *, stdout: Console | None = None, stderr: Console | None = None) -> None:
        self._stdout = stdout
        self._stderr = stderr
        #: whether a JSON document went to stdout (a later failure must not print a second one)
        self.wrote_json = False

    @property
    def stdout(self) -> Console:
        if self._stdout is None:
            self._stdout = _console(stderr=False)
        return self._stdout

    @property
    def stderr(self) -> Console:
        if self._stderr is None:
            self._stderr = _console(stderr=True)
        return self._stderr

    # Data: stdout, byte for byte ----------------------------------------------------------

    def _stream(self, *, stderr: bool) -> IO[str]:
        """The stream to write to: an injected Console's, else the current ``sys`` stream
        (plain text needs no Console, and not importing rich saves ~20 ms per run)."""
        console = self._stderr if stderr else self._stdout
        if console is not None:
            return console.file
        return sys.stderr if stderr else sys.stdout

    def data(self, text: str, *, end: str = "\n") -> None:
        """Write ``text`` and ``end`` to stdout as given: no wrapping, no tab expansion."""
        stream = self._stream(stderr=False)
        stream.write(text + end)
        stream.flush()

    def json(self, value: Any, *, indent: int = 1) -> None:
        """``value`` as indented JSON (nsc's 1-space indent, no HTML escaping) on stdout."""
        from pynsc.claims._codec import pretty_json

        self.data(pretty_json(value, indent=indent))
        self.wrote_json = True

    def table(self, tables: Table | Iterable[Table]) -> None:
        """One or more tables on stdout, separated by a blank line."""
        from pynsc.cli.table import render_tables

        self.data(render_tables(tables), end="")

    def report(self, report: Report, *, as_json: bool) -> None:
        """A command's :class:`~pynsc.store.report.Report`.

        Without ``as_json``: its ``[ OK ]``/``[WARN]``/``[ERR ]`` lines and any summary that is
        not a failure (a failing command raises it as its error) on stderr, then its ``data``
        on stdout when that is text (a JWT, creds, a table). With ``as_json``: only
        ``report.to_dict()`` as 2-space indented JSON on stdout.
        """
        if as_json:
            import json

            self.data(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
            self.wrote_json = True
            return
        lines = report.lines()
        if lines:
            self.status("\n".join(lines))
        summary = report.summary()
        if summary and not report.has_errors:
            self.status(summary)
        if isinstance(report.data, str) and report.data:
            self.data(report.data, end="" if report.data.endswith("\n") else "\n")

    # Diagnostics: stderr ------------------------------------------------------------------

    def status(self, message: str) -> None:
        """A progress or confirmation line on stderr."""
        if self._stderr is not None:
            self._stderr.print(message, soft_wrap=True)
            return
        stream = self._stream(stderr=True)
        stream.write(message + "\n")
        stream.flush()

    def ok(self, message: str) -> None:
        """``[ OK ] message`` on stderr."""
        self.status(f"[ OK ] {message}")

    def warning(self, message: str) -> None:
        """``[WARN] message`` on stderr, on one line (see :func:`one_line`)."""
        self.status(f"[WARN] {one_line(message)}")

    def error(self, message: str, *, hint: str | None = None) -> None:
        """``Error: message`` on stderr, and ``Hint: hint`` on the next line when there is one.

        Both stay on their one line whatever user input they quote: control characters are
        shown escaped (see :func:`one_line`)."""
        self.status(f"Error: {one_line(message)}")
        if hint:
            self.status(f"Hint: {one_line(hint)}")

    def traceback(self) -> None:
        """The exception being handled, as a plain traceback on stderr (``--debug`` only)."""
        import traceback

        stream = self._stream(stderr=True)
        stream.write(traceback.format_exc())
        stream.flush()
