"""The key selection flags of ``list keys`` and ``export keys`` (nsc's ``KeyCollectorParams``),
handed to the command as a :class:`~pynsc.actions.listing.KeyQuery`.

Which keys a query selects, and their status, is :func:`pynsc.actions.listing.collect_keys`'s.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import click

from pynsc.actions.listing import KeyQuery

__all__ = ["key_query_options"]


def key_query_options(
    verb: str, *, curves_flags: tuple[str, ...], curve_key: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The key selection flags of ``list keys`` (``verb`` "Show") and ``export keys``
    ("Export"), handed to the command as ``query`` (:class:`KeyQuery`). ``curves_flags`` name
    the flag for every curve key; ``curve_key`` adds ``--curve KEY`` (one curve key)."""

    def flag(decls: tuple[str, ...], dest: str, what: str) -> Callable[[Any], Any]:
        return click.option(*decls, dest, is_flag=True, default=False, help=f"{verb} {what}.")

    def value(decl: str, metavar: str, what: str) -> Callable[[Any], Any]:
        dest = decl.lstrip("-")
        return click.option(decl, dest, metavar=metavar, default=None, help=f"{verb} {what}.")

    options = [
        flag(("-o", "--operator"), "operator", "operator keys"),
        flag(("-a", "--accounts"), "accounts", "account keys"),
        flag(("-u", "--users"), "users", "user keys"),
        flag(curves_flags, "curves", "curve (xkey) keys"),
        value("--account", "NAME|KEY", "the keys of this account only"),
        value("--user", "NAME", "the key of this user only"),
        *([value("--curve", "KEY", "this curve key only")] if curve_key else []),
        flag(("-A", "--all"), "all", "operator, account, user and curve keys"),
        click.option("-f", "--filter", "filter", metavar="TEXT", default="",
                     help=f"{verb} only keys containing TEXT."),
        flag(("--not-referenced",), "unreferenced",
             "keystore keys the current operator context does not reference"),
    ]  # fmt: skip
    names = [f.name for f in fields(KeyQuery)]

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            query = KeyQuery(**{name: kwargs.pop(name) for name in names if name in kwargs})
            return f(*args, query=query, **kwargs)

        decorated: Callable[..., Any] = wrapper
        for add in reversed(options):
            decorated = add(decorated)
        return decorated

    return decorate
