"""Bar charts drawn on the server as SVG geometry: no script, no CDN, numbers in a table beside.

The template draws rectangles and text from these figures; sizes are in viewBox units, so the
chart scales to the phone's width. Heights are proportional to the amounts (the axis starts at 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.web.templating import format_money

# viewBox of a column chart and of a bar chart; text sizes fit these.
COLUMN_WIDTH, COLUMN_HEIGHT = 640, 260
BAR_WIDTH, BAR_ROW = 640, 34
_PLOT_TOP, _PLOT_BOTTOM, _PLOT_LEFT = 20, 40, 8
_LABEL_WIDTH = 150  # room for a department's name left of its bar
_VALUE_ROOM = 120  # room for the amount right of the longest bar


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str  # ¥1,234.00
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    baseline_y: float
    empty: bool


def column_chart(points: list[tuple[str, Decimal]], lang: str = "zh-CN") -> Chart:
    """Vertical bars left to right (e.g. months), labelled below, amounts above."""
    top = max((amount for _label, amount in points), default=Decimal(0))
    plot_height = COLUMN_HEIGHT - _PLOT_TOP - _PLOT_BOTTOM
    slot = (COLUMN_WIDTH - 2 * _PLOT_LEFT) / max(len(points), 1)
    baseline = COLUMN_HEIGHT - _PLOT_BOTTOM
    bars = []
    for index, (label, amount) in enumerate(points):
        height = float(amount / top) * plot_height if top > 0 else 0.0
        x = _PLOT_LEFT + index * slot + slot * 0.15
        width = slot * 0.7
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                label=label,
                value=_short_money(amount, lang),
                label_x=round(x + width / 2, 1),
                label_y=baseline + 18,
                value_x=round(x + width / 2, 1),
                value_y=round(baseline - height - 5, 1),
            )
        )
    return Chart(COLUMN_WIDTH, COLUMN_HEIGHT, bars, baseline, top <= 0)


def bar_chart(points: list[tuple[str, Decimal]]) -> Chart:
    """Horizontal bars top to bottom (e.g. departments), names left, amounts right."""
    top = max((amount for _label, amount in points), default=Decimal(0))
    room = BAR_WIDTH - _LABEL_WIDTH - _VALUE_ROOM
    bars = []
    for index, (label, amount) in enumerate(points):
        length = float(amount / top) * room if top > 0 else 0.0
        y = index * BAR_ROW + 6
        bars.append(
            Bar(
                x=_LABEL_WIDTH,
                y=y,
                width=round(length, 1),
                height=BAR_ROW - 12,
                label=label,
                value=format_money(amount),
                label_x=_LABEL_WIDTH - 8,
                label_y=y + BAR_ROW / 2,
                value_x=round(_LABEL_WIDTH + length + 6, 1),
                value_y=y + BAR_ROW / 2,
            )
        )
    height = max(len(points), 1) * BAR_ROW + 6
    return Chart(BAR_WIDTH, height, bars, height, top <= 0)


def _short_money(amount: Decimal, lang: str) -> str:
    """Amounts above a column, short enough for twelve columns on a phone (¥1.2万, ¥12.3k)."""
    if amount >= 10_000:
        return f"¥{amount / 10_000:,.1f}万" if lang != "en" else f"¥{amount / 1000:,.1f}k"
    return f"¥{amount:,.0f}"
