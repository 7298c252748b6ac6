"""What every describe command does with a decoded JWT once it has one: pick the view (table,
JSON, raw token or one field) and write it to stdout or to ``--output-file``."""

from __future__ import annotations

from pathlib import Path

from pynsc._fs import atomic_write
from pynsc.claims import Decoded
from pynsc.claims._codec import go_json, pretty_json
from pynsc.cli.app import App
from pynsc.cli.jsonpath import extract_field
from pynsc.cli.options import DescribeView
from pynsc.cli.output import display_path
from pynsc.cli.render import describe_claims, render_tables
from pynsc.keys import decorate_jwt

__all__ = ["show_jwt"]

STDOUT = ("--", "-")


def show_jwt(
    app: App,
    decoded: Decoded,
    view: DescribeView,
    output_file: str | None,
    *,
    names: dict[str, str] | None = None,
) -> None:
    to_file = output_file is not None and output_file not in STDOUT
    kind = decoded.claim_type
    if view.field:
        text = go_json(extract_field(decoded.payload, view.field)).decode("utf-8") + "\n"
    elif view.json:
        text = pretty_json(decoded.payload) + "\n"
    elif view.raw:
        text = decorate_jwt(decoded.token, kind) if to_file else decoded.token + "\n"
    else:
        tables = describe_claims(decoded.claims, names, long_ids=view.long_ids)
        if not to_file:
            app.output.table(tables)
            return
        text = render_tables(tables)
    if not to_file:
        app.output.data(text, end="")
        return
    assert output_file is not None
    path = Path(output_file).expanduser().absolute()
    atomic_write(path, text)
    what = "jwt" if view.raw else "description"
    app.output.ok(f"wrote {kind} {what} to {display_path(path)}")
