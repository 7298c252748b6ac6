"""``pynsc select``: Set the current operator or account."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from pynsc.cli.base import group

if TYPE_CHECKING:
    from pynsc.cli.app import App
    from pynsc.store import Context


@group(
    "select",
    lazy_subcommands={
        "operator": "pynsc.cli.select.operator:select_operator",
        "account": "pynsc.cli.select.account:select_account",
    },
)
def select_group() -> None:
    """Set the current operator or account."""


def save_selection(
    app: App,
    what: Literal["operator", "account"],
    choose: Callable[[Context], Context],
    *,
    as_json: bool,
) -> None:
    """Save the context ``choose`` makes of the current one in nsc.json, and report it."""
    from pynsc.errors import StoreError
    from pynsc.store.report import Report

    context = app.context
    if context.cwd_only:
        raise StoreError("$NSC_CWD_ONLY is set - change your cwd to change context")
    selected = choose(context)
    selected.save(operator=selected.operator, account=selected.account)
    app.refresh_context()
    report = Report(data={"operator": selected.operator, "account": selected.account})
    report.ok(f'current {what} set to "{getattr(selected, what)}"')
    app.output.report(report, as_json=as_json)
