"""Describers and the table renderer, as pure functions."""

from __future__ import annotations

import pytest

from pynsc.claims import (
    AccountClaims,
    GenericClaims,
    OperatorClaims,
    ResponsePermission,
    UserClaims,
    decode_token,
)
from pynsc.cli.render import (
    Table,
    describe_claims,
    go_duration,
    human_bytes,
    render_date,
    render_tables,
)
from pynsc.keys import generate
from tests.conftest import GO_FIXTURES


def test_table_like_tablewriter() -> None:
    table = Table("Example", headers=("Name", "Value"))
    for name, value in (("hey", "you"), ("ken", 1234), ("derek", "3.14"), ("derek too", "3.15")):
        table.add(name, value)
    assert table.render() == (
        "+-------------------+\n"
        "|      Example      |\n"
        "+-----------+-------+\n"
        "| Name      | Value |\n"
        "+-----------+-------+\n"
        "| hey       | you   |\n"
        "| ken       | 1234  |\n"
        "| derek     | 3.14  |\n"
        "| derek too | 3.15  |\n"
        "+-----------+-------+\n"
    )


def test_wide_title_widens_the_last_column() -> None:
    table = Table("Example My Foo Bar'd Test")
    table.add("hey", "you")
    assert table.render() == (
        "+---------------------------+\n"
        "| Example My Foo Bar'd Test |\n"
        "+-----+---------------------+\n"
        "| hey | you                 |\n"
        "+-----+---------------------+\n"
    )


def test_separators_are_tidied_and_lists_labelled() -> None:
    table = Table()
    table.add_separator()
    table.add_list("Keys", ["a", "b"])
    table.add_separator()
    table.add_separator()
    table.add("x", "multi\nline")
    table.add_separator()
    table.add_list("Empty", [])
    assert table.render() == (
        "+------+------------+\n"
        "| Keys | a          |\n"
        "|      | b          |\n"
        "+------+------------+\n"
        "| x    | multi line |\n"
        "+------+------------+\n"
    )


def test_render_tables_blank_line_between() -> None:
    one, two = Table("A"), Table("B")
    one.add("a", "1")
    two.add("b", "2")
    text = render_tables([one, two])
    assert text == one.render() + "\n" + two.render()
    assert render_tables(one) == one.render()


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (9, "9 B"), (10, "10 B"), (999, "999 B"), (1000, "1.0 kB"), (1024, "1.0 kB"),
     (65536, "66 kB"), (1048576, "1.0 MB"), (10485760, "10 MB"), (17 * 10**6, "17 MB"),
     (10**12, "1.0 TB")],
)
def test_human_bytes(size: int, text: str) -> None:
    assert human_bytes(size) == text


@pytest.mark.parametrize(
    ("ns", "text"),
    [(0, "0s"), (1, "1ns"), (1500, "1.5µs"), (2_000_000, "2ms"), (1_500_000, "1.5ms"),
     (1_000_000_000, "1s"), (60_000_000_000, "1m0s"), (3_600_500_000_000, "1h0m0.5s"),
     (-2_000_000_000, "-2s"), (90 * 60 * 10**9, "1h30m0s")],
)
def test_go_duration(ns: int, text: str) -> None:
    assert go_duration(ns) == text


def test_render_date() -> None:
    assert render_date(0) == ""
    assert render_date(1795396741) == "2026-11-23 01:19:01 UTC"


def test_every_fixture_describes() -> None:
    for path in sorted(GO_FIXTURES.glob("*.jwt")):
        tables = describe_claims(decode_token(path.read_text()).claims)
        assert tables
        assert all(t.render().endswith("+\n") for t in tables)


def test_operator_system_account_friendly_name() -> None:
    claims = decode_token((GO_FIXTURES / "op.jwt").read_text()).claims
    assert isinstance(claims, OperatorClaims)
    names = {claims.nats.system_account: "SYS"}
    (table,) = describe_claims(claims, names)
    assert f"| System Account        | {claims.nats.system_account} / SYS |" in table.render()


def test_imports_use_friendly_names_unless_long_ids() -> None:
    claims = decode_token((GO_FIXTURES / "acct_B.jwt").read_text()).claims
    assert isinstance(claims, AccountClaims)
    exporter = claims.nats.imports[0].account
    names = {exporter: "A"}
    short = next(t for t in describe_claims(claims, names) if t.title == "Imports")
    wide = next(t for t in describe_claims(claims, names, long_ids=True) if t.title == "Imports")
    assert exporter not in short.render()
    assert "| A " in short.render()
    assert exporter in wide.render()


def test_minimal_account() -> None:
    claims = AccountClaims(sub=generate("account").public_key, name="Z")
    text = render_tables(describe_claims(claims))
    for row in ("| Imports ", "| Exports ", "| Jetstream ", "| Tracing Context "):
        assert row in text
    assert "Unlimited" in text


def test_user_response_permissions() -> None:
    claims = UserClaims(sub=generate("user").public_key, name="u")
    claims.nats.resp = ResponsePermission(max=5, ttl=2_000_000)
    text = render_tables(describe_claims(claims))
    assert "| Max Responses           | 5 " in text
    assert "| Response Permission TTL | 2ms " in text


def test_generic_claims() -> None:
    key = generate("operator").public_key
    claims = GenericClaims(sub=key, iss=key, name="g", aud="x", nats={"accounts": ["A1"]})
    text = render_tables(describe_claims(claims))
    assert "Generic Claims" in text
    assert '| accounts  | ["A1"] ' in text
    assert "| Audience  | x " in text
