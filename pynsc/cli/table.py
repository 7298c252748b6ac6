"""ASCII tables shaped like nsc's (xlab/tablewriter).

``+``/``-``/``|`` borders, one space of padding, a title row centred across the whole table, an
optional header row, separators between row groups. A table's width follows its content, never
the terminal, so the output is the same piped or not::

    +----------------------------------------+
    |                  User                  |
    +--------------+-------------------------+
    | Name         | U                       |
    ...
    +--------------+-------------------------+
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["SEPARATOR", "Table", "render_tables"]


class _Separator:
    def __repr__(self) -> str:
        return "SEPARATOR"


SEPARATOR = _Separator()


@dataclass(slots=True)
class Table:
    """A titled table: optional headers, rows of cells and separators between row groups."""

    title: str = ""
    headers: Sequence[str] = ()
    rows: list[tuple[str, ...] | _Separator] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append(tuple(_cell(c) for c in cells))

    def add_separator(self) -> None:
        self.rows.append(SEPARATOR)

    def add_list(self, label: str, values: Iterable[str]) -> None:
        """``label`` beside the first value, blank beside the others (nothing when empty)."""
        for i, value in enumerate(values):
            self.add(label if i == 0 else "", value)

    def render(self) -> str:
        """The table as text; every line ends with a newline."""
        body = _tidy(self.rows)
        sizes = [len(row) for row in body if not isinstance(row, _Separator)]
        columns = max([len(self.headers), *sizes])
        if columns == 0:
            columns = 1
            body = [("",)]
        widths = [0] * columns
        for row in [tuple(self.headers), *body]:
            if not isinstance(row, _Separator):
                for i, cell in enumerate(row):
                    widths[i] = max(widths[i], len(cell))
        inner = sum(widths) + 3 * columns - 1
        if len(self.title) + 2 > inner:
            widths[-1] += len(self.title) + 2 - inner
            inner = len(self.title) + 2
        rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        lines: list[str] = []
        if self.title:
            lines.append("+" + "-" * inner + "+")
            space = inner - len(self.title)
            left = space // 2
            lines.append("|" + " " * left + self.title + " " * (space - left) + "|")
        lines.append(rule)
        if self.headers:
            lines.append(_line(tuple(self.headers), widths))
            lines.append(rule)
        for row in body:
            lines.append(rule if isinstance(row, _Separator) else _line(row, widths))
        lines.append(rule)
        return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    return str(value).replace("\r\n", " ").replace("\n", " ")


def _tidy(rows: list[tuple[str, ...] | _Separator]) -> list[tuple[str, ...] | _Separator]:
    """Drop leading, trailing and doubled separators."""
    out: list[tuple[str, ...] | _Separator] = []
    for row in rows:
        if row is SEPARATOR and (not out or out[-1] is SEPARATOR):
            continue
        out.append(row)
    while out and out[-1] is SEPARATOR:
        out.pop()
    return out


def _line(row: tuple[str, ...], widths: list[int]) -> str:
    cells = list(row) + [""] * (len(widths) - len(row))
    return "|" + "|".join(f" {c.ljust(w)} " for c, w in zip(cells, widths, strict=True)) + "|"


def render_tables(tables: Table | Iterable[Table]) -> str:
    """Tables one after another, a blank line between two."""
    if isinstance(tables, Table):
        tables = [tables]
    return "\n".join(t.render() for t in tables)
