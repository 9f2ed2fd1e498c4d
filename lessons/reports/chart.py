"""The chart beside the report: horizontal bars of the share completed, drawn as SVG on the
server (no JavaScript). It is an image with a title and a description for screen readers; the
same numbers are in the table beside it, so nothing is only in the picture."""

from dataclasses import dataclass

from .queries import ReportRow

MAX_BARS = 30
LABEL_WIDTH = 260
BAR_AREA = 360
BAR_HEIGHT = 22
GAP = 8
TOP = 28


@dataclass(frozen=True)
class Bar:
    label: str
    percent: int
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    width: int
    label_width: int
    bar_area: int
    shown: int
    total: int
    ticks: list[tuple[int, int]]

    @property
    def truncated(self) -> bool:
        return self.shown < self.total


def completion_chart(rows: list[ReportRow]) -> Chart:
    bars = []
    for i, row in enumerate(rows[:MAX_BARS]):
        y = TOP + i * (BAR_HEIGHT + GAP)
        width = round(BAR_AREA * row.share_completed)
        bars.append(
            Bar(
                label=f"{row.group_label} – {row.module_title}",
                percent=row.share_percent,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT // 2 + 5,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    ticks = [(p, LABEL_WIDTH + round(BAR_AREA * p / 100)) for p in (0, 25, 50, 75, 100)]
    return Chart(
        bars=bars,
        height=TOP + len(bars) * (BAR_HEIGHT + GAP) + 10,
        width=LABEL_WIDTH + BAR_AREA + 60,
        label_width=LABEL_WIDTH,
        bar_area=BAR_AREA,
        shown=len(bars),
        total=len(rows),
        ticks=ticks,
    )
