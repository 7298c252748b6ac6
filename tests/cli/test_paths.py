"""``pynsc.paths``: where config, stores and keys live, from flags, environment and legacy dirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc.paths import Paths


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"  # made by the autouse isolation fixture, with XDG dirs beneath it


def test_defaults_follow_xdg(home: Path) -> None:
    paths = Paths.resolve()
    assert paths.config_dir == home / ".config" / "nats" / "nsc"
    assert paths.data_dir == home / ".local" / "share" / "nats" / "nsc" / "stores"
    assert paths.keystore_dir == home / ".local" / "share" / "nats" / "nsc" / "keys"
    assert paths.nats_context_dir == home / ".config" / "nats" / "context"
    assert paths.config_file == paths.config_dir / "nsc.json"
    assert not paths.data_dir_forced


def test_resolution_creates_nothing(home: Path) -> None:
    before = sorted(home.rglob("*"))
    Paths.resolve()
    Paths.resolve(all_dirs=str(home / "x"))
    assert sorted(home.rglob("*")) == before


def test_without_xdg_variables(home: Path) -> None:
    env = {"HOME": str(home)}
    paths = Paths.resolve(env=env)
    assert paths.config_dir == home / ".config" / "nats" / "nsc"
    assert paths.keystore_dir == home / ".local" / "share" / "nats" / "nsc" / "keys"


def test_relative_xdg_is_ignored(home: Path) -> None:
    paths = Paths.resolve(env={"HOME": str(home), "XDG_CONFIG_HOME": "rel", "XDG_DATA_HOME": ""})
    assert paths.config_dir == home / ".config" / "nats" / "nsc"
    assert paths.data_dir == home / ".local" / "share" / "nats" / "nsc" / "stores"


def test_environment(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSC_HOME", "~/nsc-home")
    monkeypatch.setenv("NKEYS_PATH", str(home / "nkeys"))
    paths = Paths.resolve()
    assert paths.config_dir == home / "nsc-home"
    assert paths.keystore_dir == home / "nkeys"


def test_empty_environment_values_are_unset(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSC_HOME", "")
    monkeypatch.setenv("NKEYS_PATH", "")
    assert Paths.resolve() == Paths.resolve(env={"HOME": str(home),
                                                 "XDG_CONFIG_HOME": str(home / ".config"),
                                                 "XDG_DATA_HOME": str(home / ".local/share")})


def test_flags_beat_environment(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSC_HOME", "/env/config")
    monkeypatch.setenv("NKEYS_PATH", "/env/keys")
    paths = Paths.resolve(config_dir="/flag/config", keystore_dir="/flag/keys", data_dir="/d")
    assert paths.config_dir == Path("/flag/config")
    assert paths.keystore_dir == Path("/flag/keys")
    assert paths.data_dir == Path("/d")
    assert paths.data_dir_forced


def test_all_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSC_HOME", "/env/config")
    monkeypatch.setenv("NKEYS_PATH", "/env/keys")
    paths = Paths.resolve(all_dirs="/all")
    assert paths.config_dir == paths.data_dir == paths.keystore_dir == Path("/all")
    assert paths.data_dir_forced


def test_specific_flag_beats_all_dirs() -> None:
    paths = Paths.resolve(all_dirs="/all", keystore_dir="/keys")
    assert paths.keystore_dir == Path("/keys")
    assert paths.config_dir == paths.data_dir == Path("/all")


def test_expanded_and_absolute(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    paths = Paths.resolve(config_dir="~", data_dir="rel/../data", keystore_dir="~/keys/")
    assert paths.config_dir == home
    assert paths.data_dir == tmp_path / "data"
    assert paths.keystore_dir == home / "keys"


def test_legacy_config_dir(home: Path) -> None:
    legacy = home / ".nsc"
    legacy.mkdir()
    (legacy / "nsc.json").write_text("{}")
    assert Paths.resolve().config_dir == legacy
    new = home / ".config" / "nats" / "nsc"
    new.mkdir(parents=True)
    assert Paths.resolve().config_dir == legacy  # the new dir has no nsc.json yet
    (new / "nsc.json").write_text("{}")
    assert Paths.resolve().config_dir == new


def test_legacy_dir_without_config_file_is_ignored(home: Path) -> None:
    (home / ".nsc").mkdir()
    assert Paths.resolve().config_dir == home / ".config" / "nats" / "nsc"


def test_legacy_data_and_keys(home: Path) -> None:
    (home / ".nsc" / "nats").mkdir(parents=True)
    (home / ".nkeys").mkdir()
    paths = Paths.resolve()
    assert paths.data_dir == home / ".nsc" / "nats"
    assert paths.keystore_dir == home / ".nkeys"
    (home / ".local" / "share" / "nats" / "nsc" / "stores").mkdir(parents=True)
    (home / ".local" / "share" / "nats" / "nsc" / "keys").mkdir(parents=True)
    paths = Paths.resolve()
    assert paths.data_dir == home / ".local" / "share" / "nats" / "nsc" / "stores"
    assert paths.keystore_dir == home / ".local" / "share" / "nats" / "nsc" / "keys"


def test_frozen() -> None:
    paths = Paths.resolve()
    with pytest.raises(AttributeError):
        paths.config_dir = Path("/x")  # type: ignore[misc]
