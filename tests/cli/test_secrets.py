"""Seeds stay secret: 0600 files in 0700 dirs, and never on stdout unless asked for.

Asked for means `generate nkey` without `--store`, `list keys --show-seeds`, `generate profile`
with a seed option, and `generate creds` (a creds file holds the user's seed by definition; it
is what `pynsc generate creds > u.creds` is for).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from tests.cli.conftest import Pynsc

SEED = re.compile(r"\bS[OAUNCX][A-Z2-7]{56}\b")


def test_no_seed_on_stdout_and_private_modes(tmp_path: Path, pynsc: Pynsc) -> None:
    home = tmp_path / "nsc"

    def run(*args: str) -> str:
        result = pynsc("-H", str(home), *args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result.stdout

    quiet = [
        ("init", "-n", "O"),
        ("add", "account", "B"),
        ("edit", "account", "B", "--sk", "generate"),
        ("add", "user", "-a", "B", "u"),
        ("add", "user", "-a", "B", "w", "--json"),
        ("edit", "user", "-a", "B", "u", "--bearer"),
        ("generate", "nkey", "--user", "--store"),
        ("generate", "nkey", "--account", "--store", "--json"),
        ("describe", "user", "-a", "B", "u", "--json"),
        ("describe", "account", "B"),
        ("list", "keys", "--all"),
        ("list", "keys", "--all", "--json"),
        ("env",),
        ("validate", "--all-accounts"),
        ("generate", "config", "--mem-resolver"),
    ]
    for args in quiet:
        out = run(*args)
        assert not SEED.search(out), f"a seed was printed by: pynsc {' '.join(args)}"
    w_key = run("describe", "user", "-a", "B", "w", "-F", "sub").strip().strip('"')
    out = run("edit", "authcallout", "-a", "B", "--auth-user", w_key, "-x", "generate")
    assert not SEED.search(out), "a seed was printed by: pynsc edit authcallout -x generate"

    asked = [
        ("generate", "nkey", "--user"),
        ("list", "keys", "--all", "--show-seeds"),
        ("generate", "creds", "-a", "B", "-n", "u"),
    ]
    for args in asked:
        assert SEED.search(run(*args)), f"pynsc {' '.join(args)} should show the seed"

    secrets = [p for p in home.rglob("*") if p.suffix in (".nk", ".creds")]
    assert len(secrets) >= 8
    for path in secrets:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for directory in [p for p in home.rglob("*") if p.is_dir()]:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory


def test_a_seed_given_where_a_public_key_belongs_is_not_echoed(
    tmp_path: Path, pynsc: Pynsc
) -> None:
    home = tmp_path / "nsc"
    for args in (("init", "-n", "O"), ("add", "account", "B"), ("add", "user", "-a", "B", "u"),
                 ("add", "export", "-a", "B", "--subject", "s.>", "--private")):  # fmt: skip
        assert pynsc("-H", str(home), *args).exit_code == 0, args
    user_seed = pynsc("-H", str(home), "generate", "nkey", "--user").stdout.split()[0]
    account_seed = pynsc("-H", str(home), "generate", "nkey", "--account").stdout.split()[0]
    mistyped = user_seed[:-1] + ("A" if user_seed[-1] != "A" else "B")
    attempts = [
        ("edit", "authcallout", "-a", "B", "--auth-user", user_seed[:-3]),
        ("edit", "authcallout", "-a", "B", "--auth-user", account_seed),
        ("revocations", "add-user", "-a", "B", "--user-public-key", user_seed),
        ("revocations", "add-user", "-a", "B", "--user-public-key", mistyped),
        ("revocations", "add-activation", "-a", "B", "--subject", "s.>",
         "--target-account", account_seed),
        ("edit", "signing-key", "-a", "B", "--sk", mistyped, "--role", "r"),
    ]  # fmt: skip
    for args in attempts:
        result = pynsc("-H", str(home), *args)
        assert result.exit_code != 0, args
        shown = result.stdout + result.stderr
        for secret in (user_seed, account_seed, mistyped, user_seed[:-3]):
            assert secret[4:20] not in shown, (args, shown)
