"""Questions asked with ``-i``, on the terminal only.

Without a terminal on stdin (a pipe, ``</dev/null``, a CI job) a question cannot be answered;
instead of click's bare ``Aborted!`` the command fails with one ``Error:`` line naming the
question and a hint to give the answer as a flag.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from pynsc.errors import UsageError

__all__ = ["ask", "confirm", "stdin_is_terminal"]


def stdin_is_terminal() -> bool:
    """Whether stdin is a terminal someone can answer on."""
    return sys.stdin.isatty()


def _need_terminal(question: str, flag: str) -> None:
    if not stdin_is_terminal():
        raise UsageError(
            f"-i needs a terminal to ask {question!r}, and stdin is not one",
            hint=f"give the answer with {flag} instead of -i" if flag else "run it without -i",
        )


def ask(question: str, *, flag: str, default: Any = None, type: Any = None) -> Any:
    """The answer to ``question`` (``flag`` is how to give it without ``-i``)."""
    _need_terminal(question, flag)
    return click.prompt(question, default=default, type=type, err=True)


def confirm(question: str) -> bool:
    """Whether the user agrees to ``question`` (default no)."""
    _need_terminal(question, "")
    return click.confirm(question, default=False, err=True)
