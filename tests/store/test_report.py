"""``Report``: levels, status promotion, nsc's summaries and layout, and the JSON shape."""

from __future__ import annotations

import json

import pytest

from pynsc.errors import NscError
from pynsc.store.report import Display, Level, Report, ReportError


def _report(*levels: Level, summarize: bool = True) -> Report:
    report = Report(summarize=summarize)
    for i, level in enumerate(levels):
        report.entry(level, f"job {i}")
    return report


OK, WARN, ERR = Level.OK, Level.WARN, Level.ERR


def test_levels_order_tags_and_labels() -> None:
    assert OK < WARN < ERR
    assert [level.tag for level in Level] == ["[ OK ]", "[WARN]", "[ERR ]"]
    assert [level.label for level in Level] == ["ok", "warning", "error"]


def test_builders_return_the_new_entry() -> None:
    report = Report()
    child = report.ok("a")
    assert report.children == [child]
    assert (child.text, child.level) == ("a", OK)
    assert report.warn("b").level is WARN
    assert report.error("c").level is ERR
    sub = Report("job")
    assert report.add(sub) is sub
    assert len(report.children) == 4


@pytest.mark.parametrize(
    ("levels", "status"),
    [((), OK), ((OK,), OK), ((OK, WARN), WARN), ((WARN, ERR, OK), ERR), ((OK, OK), OK)],
)
def test_status_is_the_worst_child(levels: tuple[Level, ...], status: Level) -> None:
    report = _report(*levels)
    assert report.status is status
    assert report.has_errors is (status is ERR)


def test_status_is_promoted_through_nested_reports() -> None:
    root = Report()
    job = root.add(Report("job"))
    job.ok("step one")
    assert root.status is OK
    job.add(Report("deeper")).warn("careful")
    assert job.status is WARN
    assert root.status is WARN
    job.error("broken")
    assert root.status is ERR
    assert root.has_errors


def test_own_level_counts_too() -> None:
    entry = Report("failed alone", level=ERR)
    assert entry.status is ERR
    entry.ok("but a child worked")
    assert entry.status is ERR


@pytest.mark.parametrize(
    ("levels", "summarize", "summary"),
    [
        ((), True, None),
        ((OK,), True, None),  # the single line says it all
        ((WARN,), True, None),
        ((OK, OK), True, "all jobs succeeded"),
        ((OK, OK), False, None),
        ((WARN, WARN, WARN), True, "all jobs had warnings"),
        ((OK, OK, WARN), True, "2 jobs succeeded - 1 have warnings"),
        ((OK, WARN, WARN), True, "1 job succeeded - 2 have warnings"),
        ((ERR,), True, "all jobs failed"),
        ((ERR, ERR), False, "all jobs failed"),  # failures are summarized regardless
        ((ERR, OK), False, "1 job failed - 1 job succeeded and 0 had warnings"),
        ((ERR, ERR, OK, OK, WARN), True, "2 jobs failed - 2 jobs succeeded and 1 had warnings"),
        ((ERR, WARN), True, "1 job failed - 0 jobs succeeded and 1 had warnings"),
    ],
)
def test_summary(levels: tuple[Level, ...], summarize: bool, summary: str | None) -> None:
    assert _report(*levels, summarize=summarize).summary() == summary


def test_summary_counts_sub_reports_by_their_status() -> None:
    root = Report(summarize=True)
    for name in ("A", "B"):
        job = root.add(Report(f"push {name}"))
        job.ok("pushed")
    root.children[1].warn("accepted, not yet applied")
    assert root.summary() == "1 job succeeded - 1 have warnings"


def test_raise_for_errors() -> None:
    _report(OK, WARN).raise_for_errors()
    failing = _report(OK, ERR)
    with pytest.raises(ReportError) as caught:
        failing.raise_for_errors()
    assert isinstance(caught.value, NscError)
    assert caught.value.exit_code == 1
    assert str(caught.value) == "1 job failed - 1 job succeeded and 0 had warnings"
    assert caught.value.report is failing


def test_raise_for_errors_of_a_lone_failed_entry_uses_its_text() -> None:
    with pytest.raises(ReportError) as caught:
        Report("cannot write", level=ERR).raise_for_errors()
    assert str(caught.value) == "cannot write"


# Layout ------------------------------------------------------------------------------------------


def test_detailed_report_prints_only_its_entries() -> None:
    report = Report()
    report.ok('generated and stored account key "AB"')
    report.warn("careful")
    report.error("broken")
    assert report.lines() == [
        '[ OK ] generated and stored account key "AB"',
        "[WARN] careful",
        "[ERR ] broken",
    ]


def test_empty_report_prints_nothing() -> None:
    assert Report().lines() == []


def test_labelled_report_indents_children_seven_spaces_per_level() -> None:
    root = Report()
    job = root.add(Report("push to servers"))
    server = job.add(Report("server A"))
    server.ok("pushed")
    server.add_server_message("jwt updated\n\n  and stored")
    job.warn("server B did not answer")
    root.ok("done")
    assert root.lines() == [
        "[WARN] push to servers:",
        "       [ OK ] server A:",
        "              [ OK ] pushed",
        "              > jwt updated",
        "",
        "              >   and stored",
        "       [WARN] server B did not answer",
        "[ OK ] done",
    ]


def test_labelled_root_shows_its_label() -> None:
    root = Report("edited account")
    assert root.display is Display.ALL
    assert root.lines() == ["[ OK ] edited account"]
    root.ok("set max data")
    assert root.lines() == ["[ OK ] edited account:", "       [ OK ] set max data"]


def test_details_only_on_problems() -> None:
    job = Report("push jwt to account server", display=Display.DETAILS_ON_PROBLEM)
    job.ok("pushed account jwt")
    assert job.lines() == ["[ OK ] push jwt to account server"]
    job.add_server_message("operator says hi")
    assert job.lines() == [
        "[ OK ] push jwt to account server:",
        "       [ OK ] pushed account jwt",
        "       > operator says hi",
    ]
    failing = Report("pull", display=Display.DETAILS_ON_PROBLEM)
    failing.error("404")
    assert failing.lines() == ["[ERR ] pull:", "       [ERR ] 404"]


def test_multiline_text_is_indented_line_by_line() -> None:
    root = Report()
    root.add(Report("job")).ok("first\nsecond")
    assert root.lines() == ["[ OK ] job:", "       [ OK ] first", "       second"]


def test_blank_server_messages_are_dropped() -> None:
    entry = Report("x")
    entry.add_server_message("  \n ")
    assert entry.server_messages == []


def test_walk_is_depth_first_with_depths() -> None:
    root = Report()
    job = root.add(Report("a"))
    job.ok("a1")
    root.ok("b")
    assert [(depth, entry.text) for depth, entry in root.walk()] == [(1, "a"), (2, "a1"), (1, "b")]


# JSON --------------------------------------------------------------------------------------------


def test_to_dict_shape() -> None:
    report = Report()
    report.ok('added account "A"')
    report.warn("no signing key")
    report.data = {"name": "A"}
    assert report.to_dict() == {
        "ok": True,
        "messages": [
            {"level": "ok", "text": 'added account "A"'},
            {"level": "warning", "text": "no signing key"},
        ],
        "data": {"name": "A"},
    }
    json.dumps(report.to_dict())


def test_to_dict_nests_children_and_server_messages_and_ignores_display() -> None:
    root = Report()
    job = root.add(Report("push", display=Display.DETAILS_ON_PROBLEM))
    job.ok("pushed")
    job.add_server_message("jwt updated")
    root.error("broken")
    assert root.to_dict() == {
        "ok": False,
        "messages": [
            {
                "level": "ok",
                "text": "push",
                "messages": [{"level": "ok", "text": "pushed"}],
                "server_messages": ["jwt updated"],
            },
            {"level": "error", "text": "broken"},
        ],
        "data": None,
    }


def test_to_dict_of_labelled_root_and_root_server_messages() -> None:
    labelled = Report("edited user", data="jwt")
    labelled.ok("changed bearer to true")
    assert labelled.to_dict() == {
        "ok": True,
        "messages": [
            {
                "level": "ok",
                "text": "edited user",
                "messages": [{"level": "ok", "text": "changed bearer to true"}],
            }
        ],
        "data": "jwt",
    }
    root = Report()
    root.add_server_message("hello")
    assert root.to_dict() == {
        "ok": True,
        "messages": [],
        "data": None,
        "server_messages": ["hello"],
    }


def test_warnings_are_still_ok() -> None:
    assert _report(WARN, WARN).to_dict()["ok"] is True
    assert _report(OK, ERR).to_dict()["ok"] is False
