"""The ``Oversikt`` sheet: the run (date, version, inputs, documents read and failed), one row per
region (documents, decisions adopted and proposed, persons, main themes; the rows of
:func:`pipeline.summary.region_stats`) with a region x theme grid under a colour scale, and a bar
chart of decisions per region."""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.export.xlsx.cells import chars_per_line, clean_text, run_time, text_lines, unique_headers
from pipeline.export.xlsx.style import LINE_HEIGHT, STATUS_COLOURS, Book, column_pixels, fit_scale, print_layout
from pipeline.summary import NO_REGION, RegionStats

#: Regions shown in the bar chart (the ones with most decisions); the table lists all.
CHART_REGIONS = 15
THEME_WIDTH = 34  # the main themes column of the overview
REGION_WIDTH = 36  # at most, the region column
CHART_COLUMN, CHART_OFFSET = 3, 10  # the chart's left edge: column D, and pixels into it
CHART_WIDTH, CHART_MIN_WIDTH = 620, 360  # pixels
GRID_WIDTH = 5.4  # a column of the region x theme grid: a theme name turned, on two lines
#: The fixed columns of the region table (the theme grid follows them).
FIXED = ("region", "docs", "adopted", "proposed", "persons", "mentioned", "themes")
NUMBERS = range(1, 6)  # the columns of counts among them


class _Cells:
    """Cells collected in any order and written row by row (constant_memory needs rows in order)."""

    def __init__(self) -> None:
        self.cells: dict[int, list[tuple[int, str, Any, Any]]] = defaultdict(list)
        self.heights: dict[int, float] = {}

    def put(self, r: int, c: int, value: Any, fmt: Any = None, kind: str = "") -> None:
        self.cells[r].append((c, kind, value, fmt))

    def flush(self, ws: Any) -> None:
        for r in sorted(set(self.cells) | set(self.heights)):
            if r in self.heights:
                ws.set_row(r, self.heights[r])
            for c, kind, value, fmt in sorted(self.cells.get(r, []), key=lambda cell: cell[0]):
                if kind == "url":
                    ws.write_url(r, c, value[0], fmt, value[1])
                elif value is None or value == "":
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value, fmt)
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, c, value, fmt)
                else:
                    ws.write_string(r, c, clean_text(str(value)), fmt)


def _longer_half(name: str) -> int:
    """The length of the longer line of ``name`` broken at the space that makes its lines most even
    (a name of one word: its length).

    >>> _longer_half("Samferdsel og mobilitet"), _longer_half("Kommuneøkonomi")
    (12, 14)
    """
    cuts = [k for k, ch in enumerate(name) if ch == " "]
    return min([max(k, len(name) - k - 1) for k in cuts] + [len(name)])


def write_overview(book: Book, ws: Any, stats: Sequence[RegionStats], run: Mapping[str, Any],
                   themes_names: Mapping[str, str], checked: int | None = None) -> None:
    """The overview on ``ws``: the ``run`` row, the number of documents with checks (``checked``;
    they are listed on the checks sheet), and ``stats`` (one an owner region, in their order)."""
    text = book.text
    name = ws.get_name()
    cells = _Cells()
    bold = book.fmt(bold=True, valign="top")
    title = book.fmt(bold=True, font_size=16)
    value_fmt = book.fmt(align="left", valign="top")
    when = book.fmt(align="left", valign="top", num_format="yyyy-mm-dd hh:mm")
    cells.put(0, 0, text["title"], title)
    cells.heights[0] = 24
    r = 2
    for key in ("started", "finished"):
        moment = run_time(run.get(key, ""))
        if moment is not None:
            cells.put(r, 0, f"{text[key]} ({text['time']})", bold)
            cells.put(r, 1, moment, when)
            r += 1
    for key in ("version", "inputs", "documents", "ok", "failed", "seconds", "workers"):
        if key in run:
            value = run[key]
            fmt = value_fmt
            if key == "failed" and isinstance(value, int) and value > 0:
                fmt = book.fmt(align="left", valign="top", bold=True, font_color="#C00000")
            cells.put(r, 0, text[key], bold)
            cells.put(r, 1, value if isinstance(value, (int, float)) else clean_text(str(value)), fmt)
            r += 1
    if checked is not None:
        cells.put(r, 0, text["with_checks"], bold)
        cells.put(r, 1, checked, book.fmt(align="left", valign="top", bold=checked > 0))
        r += 1
    r += 1
    cells.put(r, 0, text["colours"], bold)
    for k, status in enumerate(STATUS_COLOURS):
        legend = book.fmt(bg_color=STATUS_COLOURS[status], border=1, align="center")
        cells.put(r, 1 + k, text[status], legend)
    r += 2


    def shown(s: RegionStats) -> str:
        return s.region if s.region != NO_REGION else text["no_region"]

    order = {t: k for k, t in enumerate(themes_names)}
    theme_ids = sorted({t for s in stats for t in s.themes}, key=lambda t: (order.get(t, len(order)), t))
    # regions with decisions of their own, from the top of the table (sorted by decisions)
    chart_rows = [s for s in stats if s.region != NO_REGION and s.decisions][:CHART_REGIONS]
    chart_height = max(300, 36 * len(chart_rows) + 110)  # room for every region name, on two lines
    top = max(r, 2 + math.ceil(chart_height / 20) + 1) if chart_rows else r  # the region table: below the chart

    label_width = max(len(text["started"]) + len(text["time"]) + 3, len(text["with_checks"]))
    region_width = min(REGION_WIDTH, max([len(shown(s)) for s in stats] + [label_width, 14]) + 2)
    widths = [region_width, 17.0, 9.0, 9.0, 9.0, 12.0, THEME_WIDTH]  # column B also holds the run's date and time
    # the chart stands beside the run, from column D to the main themes (the first printed page)
    beside = column_pixels(widths[CHART_COLUMN:]) - CHART_OFFSET
    chart_width = int(max(CHART_MIN_WIDTH, min(CHART_WIDTH, beside)))
    extra = max(0.0, chart_width - beside) if chart_rows else 0.0
    # too wide to print on one page: the theme grid prints on pages of its own, with the region names
    # again in a column of its own before it
    split = bool(theme_ids) and fit_scale(widths + [GRID_WIDTH] * len(theme_ids), extra) is None
    fixed = [text[k] for k in FIXED] + ([text["region_again"]] if split else [])
    grid = len(fixed)
    widths += [region_width] * split + [GRID_WIDTH] * len(theme_ids)
    columns = unique_headers(fixed + [themes_names.get(t, t) for t in theme_ids])
    head = book.fmt(bold=True, text_wrap=True, valign="bottom")
    head_number = book.fmt(bold=True, text_wrap=True, valign="bottom", align="right")  # over its numbers
    head_themes = book.fmt(bold=True, text_wrap=True, valign="bottom", indent=1)
    head_rot = book.fmt(bold=True, rotation=90, align="center", valign="bottom", text_wrap=True)  # on two lines
    for k, col in enumerate(columns):
        cells.put(top, k, col, head_rot if k >= grid else head_number if k in NUMBERS else
                  head_themes if k == len(FIXED) - 1 else head)
    if theme_ids:
        # the theme names, turned and on two lines: the row is as high as the longest line (8 points a
        # character: wider where Calibri is missing), not as the longest name (half a printed page)
        longest = max(_longer_half(c) for c in columns[grid:])
        cells.heights[top] = min(300, 8 * longest + 12)
        cells.put(top - 1, 0, text["grid"], book.fmt(italic=True))
    number = book.fmt(valign="top")
    grid_fmt = book.fmt(valign="top", align="center", num_format="0;-0;;@")
    wrap = book.fmt(valign="top", text_wrap=True)
    themes_fmt = book.fmt(valign="top", text_wrap=True, indent=1)  # apart from the numbers before it
    for i, s in enumerate(stats, start=top + 1):
        ranked = sorted(s.themes.items(), key=lambda x: (-x[1], x[0]))[:3]
        main = ", ".join(themes_names.get(t, t) for t, _ in ranked)
        lines = max(text_lines(shown(s), chars_per_line(region_width)),
                    text_lines(main, chars_per_line(THEME_WIDTH)))
        if lines > 1:
            cells.heights[i] = LINE_HEIGHT * lines
        values = (shown(s), len(s.docs), s.adopted, s.proposed, s.person_count, s.mentioned, main) + (shown(s),) * split
        for k, value in enumerate(values):
            cells.put(i, k, value, number if k in NUMBERS else themes_fmt if k == len(FIXED) - 1 else wrap)
        for k, t in enumerate(theme_ids, start=grid):
            cells.put(i, k, s.themes.get(t, 0), grid_fmt)
    cells.flush(ws)
    book.add_table(ws, top, 0, len(stats), columns)
    last = top + max(len(stats), 1)
    if theme_ids:
        ws.conditional_format(top + 1, grid, last, grid - 1 + len(theme_ids),
                              {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#5B9BD5"})

    for k, w in enumerate(widths):
        ws.set_column(k, k, w)
    if chart_rows and theme_ids:  # the run and chart on the first page, the region table from the next
        ws.set_h_pagebreaks([top])
    if split:  # the region table on a page, its theme grid on the next
        print_layout(ws, widths[:len(FIXED)], (top, top), extra_px=extra)
        ws.print_across()
        ws.set_v_pagebreaks([len(FIXED)])
    else:
        print_layout(ws, widths, (top, top), extra_px=extra)
    ws.hide_gridlines(2)
    ws.activate()

    if chart_rows:
        chart = book.wb.add_chart({"type": "bar", "subtype": "stacked"})
        n = len(chart_rows)
        for k, status in enumerate(STATUS_COLOURS, start=2):
            chart.add_series({
                "name": [name, top, k],
                "categories": [name, top + 1, 0, top + n, 0],
                "values": [name, top + 1, k, top + n, k],
                "fill": {"color": {"adopted": "#70AD47", "proposed": "#FFC000"}[status]},
                "border": {"none": True},
                "gap": 60,
            })
        # fonts of 11 points, as the cells: printed at 75 % or more they stay above 8 points
        chart.set_title({"name": text["chart"], "name_font": {"size": 12}})
        chart.set_y_axis({"reverse": True, "num_font": {"size": 11}, "interval_unit": 1})  # categories: every name
        chart.set_x_axis({"min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                          "num_format": "0", "num_font": {"size": 11}})
        chart.set_legend({"position": "bottom", "font": {"size": 11}})
        chart.set_size({"width": chart_width, "height": chart_height})
        ws.insert_chart(1, CHART_COLUMN, chart, {"x_offset": CHART_OFFSET, "y_offset": 5, "object_position": 3})
