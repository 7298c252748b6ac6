"""``pynsc generate nkey``: printing and storing keys, and where the keystore is."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pynsc.keys import KeyKind, from_seed
from tests.cli.conftest import Pynsc, stdout_lines

KINDS = [
    ("--operator", KeyKind.OPERATOR),
    ("-o", KeyKind.OPERATOR),
    ("--account", KeyKind.ACCOUNT),
    ("-a", KeyKind.ACCOUNT),
    ("--user", KeyKind.USER),
    ("-u", KeyKind.USER),
    ("--curve", KeyKind.CURVE),
    ("-x", KeyKind.CURVE),
]


def _stored(root: Path) -> list[Path]:
    return sorted((root / "keys").glob("?/??/*.nk"))


@pytest.mark.parametrize(("flag", "kind"), KINDS)
def test_prints_seed_then_public_key(pynsc: Pynsc, flag: str, kind: KeyKind) -> None:
    seed, public_key = stdout_lines(pynsc("generate", "nkey", flag))
    pair = from_seed(seed)
    assert pair.kind is kind
    assert pair.public_key == public_key
    assert seed.startswith("S" + kind.letter)
    assert public_key.startswith(kind.letter)


def test_every_kind_in_order(pynsc: Pynsc) -> None:
    lines = stdout_lines(pynsc("generate", "nkey", "-x", "-u", "-a", "-o"))
    assert [line[0] for line in lines[1::2]] == ["O", "A", "U", "X"]
    for seed, public_key in zip(lines[::2], lines[1::2], strict=True):
        assert from_seed(seed).public_key == public_key


def test_nothing_is_stored_without_store(pynsc: Pynsc, tmp_path: Path) -> None:
    stdout_lines(pynsc("generate", "nkey", "-u", "--keystore-dir", str(tmp_path / "ks")))
    assert not (tmp_path / "ks").exists()


@pytest.mark.parametrize(("flag", "kind"), KINDS[::2])
def test_store(pynsc: Pynsc, tmp_path: Path, flag: str, kind: KeyKind) -> None:
    root = tmp_path / "ks"
    result = pynsc("generate", "nkey", flag, "--store", "--keystore-dir", str(root))
    (public_key,) = stdout_lines(result)
    path = root / "keys" / public_key[0] / public_key[1:3] / f"{public_key}.nk"
    assert _stored(root) == [path]
    assert from_seed(path.read_text()).public_key == public_key
    assert from_seed(path.read_text()).kind is kind
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for directory in (path.parent, path.parent.parent, root / "keys", root):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert path.read_text() not in result.stdout + result.stderr  # never the seed
    assert f"{kind.value} key stored `{path}`" in result.stderr


def test_store_several(pynsc: Pynsc, tmp_path: Path) -> None:
    root = tmp_path / "ks"
    result = pynsc("generate", "nkey", "-S", "-o", "-a", "-u", "--keystore-dir", str(root))
    lines = stdout_lines(result)
    assert len(lines) == 3
    assert [p.stem for p in _stored(root)] == sorted(lines)


def test_json(pynsc: Pynsc) -> None:
    result = pynsc("generate", "nkey", "-a", "-u", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    keys = report["data"]
    assert [k["kind"] for k in keys] == ["account", "user"]
    for key in keys:
        assert set(key) == {"kind", "public_key", "seed"}
        assert from_seed(key["seed"]).public_key == key["public_key"]


def test_json_store(pynsc: Pynsc, tmp_path: Path) -> None:
    result = pynsc("generate", "nkey", "-o", "-S", "-J", "-H", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    (key,) = json.loads(result.stdout)["data"]
    assert set(key) == {"kind", "public_key", "path"}
    assert Path(key["path"]) == _stored(tmp_path)[0]
    assert key["public_key"] == Path(key["path"]).stem


def test_a_kind_is_required(pynsc: Pynsc) -> None:
    result = pynsc("generate", "nkey")
    assert result.exit_code == 2
    assert "specify at least one of" in result.stderr
    assert result.stdout == ""


def test_store_alone_is_not_enough(pynsc: Pynsc) -> None:
    assert pynsc("generate", "nkey", "--store").exit_code == 2


# Where the keystore is: the global flags, before or after the subcommand ---------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--keystore-dir", "{ks}", "generate", "nkey", "-u", "-S"],
        ["generate", "--keystore-dir", "{ks}", "nkey", "-u", "-S"],
        ["generate", "nkey", "-u", "-S", "--keystore-dir", "{ks}"],
        ["generate", "nkey", "--keystore-dir={ks}", "-u", "-S"],
        ["-H", "{ks}", "generate", "nkey", "-u", "-S"],
        ["generate", "nkey", "-u", "-S", "--all-dirs", "{ks}"],
    ],
)
def test_global_flag_anywhere(pynsc: Pynsc, tmp_path: Path, args: list[str]) -> None:
    root = tmp_path / "ks"
    (public_key,) = stdout_lines(pynsc(*(a.format(ks=root) for a in args)))
    assert [p.stem for p in _stored(root)] == [public_key]


def test_flag_after_subcommand_wins(pynsc: Pynsc, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    stdout_lines(
        pynsc("--keystore-dir", str(first), "generate", "nkey", "-u", "-S",
              "--keystore-dir", str(second))
    )
    assert not first.exists()
    assert len(_stored(second)) == 1


def test_keystore_dir_beats_all_dirs(pynsc: Pynsc, tmp_path: Path) -> None:
    stdout_lines(
        pynsc("-H", str(tmp_path / "all"), "generate", "nkey", "-a", "-S",
              "--keystore-dir", str(tmp_path / "keys"))
    )
    assert len(_stored(tmp_path / "keys")) == 1
    assert not (tmp_path / "all").exists()


def test_nkeys_path(pynsc: Pynsc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKEYS_PATH", str(tmp_path / "env"))
    stdout_lines(pynsc("generate", "nkey", "-u", "-S"))
    assert len(_stored(tmp_path / "env")) == 1


def test_default_keystore_is_xdg(pynsc: Pynsc, tmp_path: Path) -> None:
    stdout_lines(pynsc("generate", "nkey", "-u", "-S"))
    assert len(_stored(tmp_path / "home" / ".local" / "share" / "nats" / "nsc" / "keys")) == 1


def test_relative_and_home_dirs(
    pynsc: Pynsc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    stdout_lines(pynsc("generate", "nkey", "-u", "-S", "--keystore-dir", "rel"))
    stdout_lines(pynsc("generate", "nkey", "-u", "-S", "--keystore-dir", "~/tilde"))
    assert len(_stored(tmp_path / "rel")) == 1
    assert len(_stored(tmp_path / "home" / "tilde")) == 1
