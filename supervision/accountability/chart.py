"""The twelve-month trend as a stacked bar chart drawn on the server (SVG, no script): each
month's publications, on time below and late above, with the on-time share written over the
bar. The page shows the same figures in a table beside it."""

from dataclasses import dataclass

from supervision.accountability.report import MonthPoint

WIDTH = 720
HEIGHT = 260
TOP = 28  # room for the share over the tallest bar
BOTTOM = 36  # room for the month labels
SLOT = WIDTH // 12
BAR = 34


@dataclass(frozen=True)
class ChartBar:
    x: int
    label_x: int
    on_time_y: float
    on_time_height: float
    late_y: float
    late_height: float
    share_y: float
    month_label: str
    year_label: str
    share_label: str


def trend_bars(points: list[MonthPoint]) -> list[ChartBar]:
    top = max((p.published for p in points), default=0) or 1
    plot = HEIGHT - TOP - BOTTOM
    base = HEIGHT - BOTTOM
    bars = []
    for index, point in enumerate(points):
        on_time_height = plot * point.on_time / top
        late_height = plot * point.late / top
        x = index * SLOT + (SLOT - BAR) // 2
        share = point.on_time_share
        bars.append(
            ChartBar(
                x=x,
                label_x=x + BAR // 2,
                on_time_y=round(base - on_time_height, 1),
                on_time_height=round(on_time_height, 1),
                late_y=round(base - on_time_height - late_height, 1),
                late_height=round(late_height, 1),
                share_y=round(base - on_time_height - late_height - 6, 1),
                month_label=f"{point.month.month:02d}",
                year_label=str(point.month.year) if index == 0 or point.month.month == 1 else "",
                share_label="—" if share is None else f"{share:.0%}",
            )
        )
    return bars
