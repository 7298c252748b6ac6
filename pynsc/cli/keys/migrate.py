"""``pynsc keys migrate``: convert a pre-2.0 keystore to the sharded layout.

Parses flags and renders; the rules are :func:`pynsc.actions.keys.migrate_keystore`'s.
"""

from __future__ import annotations

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option

__all__ = ["keys_migrate"]


@command("migrate", short_help="Migrate a pre-2.0 keystore to the current layout.")
@json_option
@pass_app
def keys_migrate(app: App, *, as_json: bool) -> None:
    """Migrate the keystore to the sharded layout; the original is kept, renamed."""
    from pynsc.actions.keys import migrate_keystore

    result = migrate_keystore(app.nsc)
    app.output.report(result.report, as_json=as_json)
