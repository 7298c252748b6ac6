"""What every describe command does with a decoded JWT: pick the view (table, JSON, raw token or
one field) and write it to stdout or, with ``--output-file``, to a file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pynsc.claims import Decoded
    from pynsc.cli.app import App
    from pynsc.cli.options import DescribeView
    from pynsc.cli.table import Table

__all__ = ["describe_text", "show_jwt"]

STDOUT = ("--", "-")


def describe_text(
    decoded: Decoded,
    view: DescribeView,
    *,
    decorated: bool = False,
    names: Mapping[str, str] | None = None,
    extra: Sequence[Table] = (),
) -> str:
    """What ``view`` shows of ``decoded``, newline-terminated (``decorated`` armors ``--raw``).

    ``extra`` tables follow the claims' own in the table view (a user's signing-key scope).
    """
    if view.field:
        from pynsc.cli.jsonpath import encode_field, extract_field

        return encode_field(extract_field(decoded.payload, view.field)) + "\n"
    if view.json:
        from pynsc.claims._codec import pretty_json

        return pretty_json(decoded.payload) + "\n"
    if view.raw and decorated:
        from pynsc.keys import decorate_jwt

        return decorate_jwt(decoded.token, decoded.claim_type)
    if view.raw:
        return decoded.token + "\n"
    from pynsc.cli.render import describe_claims, render_tables

    return render_tables(
        [*describe_claims(decoded.claims, names, long_ids=view.long_ids), *extra]
    )


def show_jwt(
    app: App,
    decoded: Decoded,
    view: DescribeView,
    output_file: str | None,
    *,
    names: Mapping[str, str] | None = None,
    extra: Sequence[Table] = (),
) -> None:
    """Print the description on stdout, or write it (atomically) to ``output_file``."""
    if output_file is None or output_file in STDOUT:
        app.output.data(describe_text(decoded, view, names=names, extra=extra), end="")
        return
    from pathlib import Path

    from pynsc._fs import atomic_write
    from pynsc.text import display_path

    path = Path(output_file).expanduser().absolute()
    atomic_write(path, describe_text(decoded, view, decorated=True, names=names, extra=extra))
    what = "jwt" if view.raw else "description"
    app.output.ok(f"wrote {decoded.claim_type} {what} to {display_path(path)}")
