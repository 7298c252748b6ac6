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

__all__ = ["SEPARATOR", "Table", "render_tables"]


class _Separator:
    def __repr__(self) -> str:
        return "SEPARATOR"


SEPARATOR = _Separator()


class Table:
    """A titled table: optional headers, rows of cells and separators between row groups.

    A plain class, not a dataclass: making a dataclass costs more start-up time than a whole
    ``describe`` spends rendering.
    """

    __slots__ = ("headers", "rows", "title")

    def __init__(
        self,
        title: str = "",
        headers: Sequence[str] = (),
        rows: list[tuple[str, ...] | _Separator] | None = None,
    ) -> None:
        self.title = title
        self.headers = headers
        self.rows: list[tuple[str, ...] | _Separator] = [] if rows is None else rows

    def __repr__(self) -> str:
        return f"Table(title={self.title!r}, headers={self.headers!r}, rows={self.rows!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        return (self.title, self.headers, self.rows) == (other.title, other.headers, other.rows)

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
        line = _line_format(widths)
        if self.headers:
            lines.append(_line(tuple(self.headers), line, columns))
            lines.append(rule)
        for row in body:
            lines.append(rule if isinstance(row, _Separator) else _line(row, line, columns))
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


def _line_format(widths: list[int]) -> str:
    """A format string for one row: each cell left-aligned in its column (one format call per
    row keeps a 100,000-row listing quick)."""
    return "|" + "|".join(f" {{:<{w}}} " for w in widths) + "|"


def _line(row: tuple[str, ...], line: str, columns: int) -> str:
    if len(row) < columns:
        row = row + ("",) * (columns - len(row))
    return line.format(*row)


def render_tables(tables: Table | Iterable[Table]) -> str:
    """Tables one after another, a blank line between two."""
    if isinstance(tables, Table):
        tables = [tables]
    return "\n".join(t.render() for t in tables)
