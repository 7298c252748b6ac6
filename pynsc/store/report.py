"""What a multi-step command did: a tree of OK / WARN / ERR entries (nsc's ``store.Report``).

A command builds one :class:`Report`, adds an entry per step (``ok``, ``warn``, ``error``) or a
whole sub-report per job (``add``), and hands it to the CLI, which prints it as nsc does::

    [ OK ] generated and stored account key "AB…"
    [ OK ] push jwt to account server:
           [ OK ] pushed account jwt to the account server
           > server says hello

or, with ``--json``, as :meth:`Report.to_dict`. The status of an entry is the worst of its own
level and its children's; :meth:`Report.summary` counts the direct children the way nsc does.

Nothing here prints: :meth:`Report.lines` only lays the text out.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any

from pynsc.errors import NscError

__all__ = ["Display", "Level", "Report", "ReportError"]

INDENT = " " * 7
"""How far each level of children is indented: the width of ``[ OK ]`` plus one space."""


class Level(enum.IntEnum):
    """Severity of an entry; a report's status is the highest level found in it."""

    OK = 1
    WARN = 2
    ERR = 3

    @property
    def tag(self) -> str:
        """nsc's line prefix: ``[ OK ]``, ``[WARN]`` or ``[ERR ]``."""
        return _TAGS[self]

    @property
    def label(self) -> str:
        """The JSON name: ``ok``, ``warning`` or ``error``."""
        return _LABELS[self]


_TAGS = {Level.OK: "[ OK ]", Level.WARN: "[WARN]", Level.ERR: "[ERR ]"}
_LABELS = {Level.OK: "ok", Level.WARN: "warning", Level.ERR: "error"}


class Display(enum.Enum):
    """Which lines of an entry :meth:`Report.lines` shows (nsc's ``PrintOption``)."""

    ALL = "all"
    """The entry's own line (ending in ``:`` when it has children), then its children."""
    DETAILS = "details"
    """Only the children, one per line: the usual top-level report of a command."""
    DETAILS_ON_PROBLEM = "details-on-problem"
    """The entry's own line; its children only when it is not OK or carries server messages."""


class ReportError(NscError):
    """A report with errors, raised by :meth:`Report.raise_for_errors`; the message is its
    summary (``all jobs failed`` …)."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary() or _first_error(report))
        self.report = report


class Report:
    """One entry: a level, a text, children, and the server messages that came with it.

    The root of a command's report usually has no text (it is only a list of entries, shown as
    :attr:`Display.DETAILS`); an entry with a text shows its own line (:attr:`Display.ALL`).
    ``summarize`` asks for a summary line even when nothing failed (see :meth:`summary`).
    ``data`` is the command's payload: text (a JWT, creds, a table) that the CLI prints on
    stdout, or a JSON-able value that appears as ``"data"`` under ``--json``.
    """

    def __init__(
        self,
        text: str = "",
        *,
        level: Level = Level.OK,
        display: Display | None = None,
        summarize: bool = False,
        data: Any = None,
    ) -> None:
        self.text = text
        self.level = level
        if display is None:
            display = Display.ALL if text else Display.DETAILS
        self.display = display
        self.summarize = summarize
        self.data = data
        self.children: list[Report] = []
        self.server_messages: list[str] = []

    def __repr__(self) -> str:
        return (
            f"Report({self.text!r}, status={self.status.name}, "
            f"children={len(self.children)}, server_messages={len(self.server_messages)})"
        )

    # Building ----------------------------------------------------------------------------

    def add(self, child: Report) -> Report:
        """Append ``child`` (an entry or a whole sub-report) and return it."""
        self.children.append(child)
        return child

    def entry(self, level: Level, text: str) -> Report:
        """Append a new entry with ``level`` and ``text`` and return it (to nest under it)."""
        return self.add(Report(text, level=level))

    def ok(self, text: str) -> Report:
        """Append an OK entry and return it."""
        return self.entry(Level.OK, text)

    def warn(self, text: str) -> Report:
        """Append a warning entry and return it."""
        return self.entry(Level.WARN, text)

    def error(self, text: str) -> Report:
        """Append an error entry and return it."""
        return self.entry(Level.ERR, text)

    def add_server_message(self, text: str) -> None:
        """Attach what a server answered; shown below the entry as ``> `` lines. Blank messages
        are dropped."""
        message = text.strip()
        if message:
            self.server_messages.append(message)

    # Reading ------------------------------------------------------------------------------

    @property
    def status(self) -> Level:
        """The worst of this entry's own level and its children's statuses."""
        return max([self.level, *(child.status for child in self.children)])

    @property
    def has_errors(self) -> bool:
        return self.status is Level.ERR

    def walk(self) -> Iterator[tuple[int, Report]]:
        """Every entry below this one, depth first, with its depth (children are 1)."""
        for child in self.children:
            yield 1, child
            for depth, entry in child.walk():
                yield depth + 1, entry

    def summary(self) -> str | None:
        """nsc's summary of the direct children, or ``None`` when there is nothing to say.

        With an error among them it is always ``all jobs failed`` or ``N job(s) failed - K
        job(s) succeeded and W had warnings`` (the command then fails: see
        :meth:`raise_for_errors`). Otherwise only a ``summarize`` report has one, and only for
        more than one child: ``all jobs succeeded``, ``all jobs had warnings`` or ``N job(s)
        succeeded - M have warnings``.
        """
        counts = {level: 0 for level in Level}
        for child in self.children:
            counts[child.status] += 1
        ok, warn, err = counts[Level.OK], counts[Level.WARN], counts[Level.ERR]
        total = len(self.children)
        if err:
            if err == total:
                return "all jobs failed"
            return f"{_jobs(err)} failed - {_jobs(ok)} succeeded and {warn} had warnings"
        if not self.summarize or total < 2:
            return None
        if ok == total:
            return "all jobs succeeded"
        if warn == total:
            return "all jobs had warnings"
        return f"{_jobs(ok)} succeeded - {warn} have warnings"

    def raise_for_errors(self) -> None:
        """Raise :class:`ReportError` (exit code 1, message = :meth:`summary`) if anything
        failed."""
        if self.has_errors:
            raise ReportError(self)

    # Rendering ----------------------------------------------------------------------------

    def lines(self) -> list[str]:
        """The report as nsc prints it, one string per line, without newlines."""
        out: list[str] = []
        self._format(out, "")
        return out

    def _shows_details(self) -> bool:
        if self.display is Display.DETAILS_ON_PROBLEM:
            return self.status is not Level.OK or bool(self.server_messages)
        return True

    def _format(self, out: list[str], indent: str) -> None:
        details = self._shows_details()
        if self.display is not Display.DETAILS:
            has_details = bool(self.children or self.server_messages)
            label = f"{self.status.tag} {self.text}"
            if has_details and details:
                label += ":"
            out.extend(_indented(label, indent))
            indent += INDENT
        if not details:
            return
        for child in self.children:
            child._format(out, indent)
        for message in self.server_messages:
            out.extend(_indented(message, indent + "> "))

    def to_dict(self) -> dict[str, Any]:
        """``{"ok": bool, "messages": [{"level", "text"}, …], "data": …}``.

        ``messages`` are the root's children (or the root itself when it has a text); an entry
        with children carries them as its own ``"messages"``, and server answers as
        ``"server_messages"`` (as does a text-less root). Every entry is included, whatever its
        :class:`Display`.
        """
        if self.text:
            return {"ok": not self.has_errors, "messages": [self._message()], "data": self.data}
        result: dict[str, Any] = {
            "ok": not self.has_errors,
            "messages": [child._message() for child in self.children],
            "data": self.data,
        }
        if self.server_messages:
            result["server_messages"] = list(self.server_messages)
        return result

    def _message(self) -> dict[str, Any]:
        message: dict[str, Any] = {"level": self.status.label, "text": self.text}
        if self.children:
            message["messages"] = [child._message() for child in self.children]
        if self.server_messages:
            message["server_messages"] = list(self.server_messages)
        return message


def _first_error(report: Report) -> str:
    failed = [entry for _, entry in [(0, report), *report.walk()] if entry.level is Level.ERR]
    return failed[0].text if failed and failed[0].text else "failed"


def _jobs(count: int) -> str:
    return f"{count} job" if count == 1 else f"{count} jobs"


def _indented(text: str, prefix: str) -> list[str]:
    """Every non-blank line of ``text`` prefixed (nsc's ``IndentMessage``)."""
    return [prefix + line if line.strip() else line for line in text.split("\n")]
