"""Fan charts for the report, drawn with matplotlib (Agg backend) and returned as PNG bytes."""
import dataclasses
import datetime
import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402  (after choosing the backend)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import (FixedFormatter, FixedLocator, FuncFormatter,  # noqa: E402
                               MaxNLocator, NullFormatter)
from PIL import Image  # noqa: E402  (Pillow: a dependency of matplotlib)

from report_data import band  # noqa: E402

SCENARIO_COLOUR = "#1d5fa6"
BASELINE_COLOUR = "#d9731a"
INK, GRID, SHADE = "#333333", "#e4e6ea", "#f5f6f8"
MARK = "#6b7280"  # pit-stop lines and numbers
DPI = 150
WIDTH_IN = 10.0

plt.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 9, "axes.edgecolor": "#9aa0a8",
    "axes.labelcolor": INK, "xtick.color": "#555555", "ytick.color": "#555555",
    "axes.titlesize": 9.5, "axes.titleweight": "bold", "axes.titlecolor": INK,
})


@dataclasses.dataclass
class Fan:
    """One run's values to draw: its name, colour, the months and a (replicate, month) array."""
    label: str
    colour: str
    dates: list
    values: np.ndarray


def month_dates(labels):
    """Mid-month dates for 'YYYY-MM' labels (where a monthly value is drawn)."""
    return [datetime.date(int(p[:4]), int(p[5:7]), 15) for p in labels]


def _thousands(value, _pos):
    """Tick labels with thousands separators and no needless decimals."""
    if abs(value) >= 1000 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2g}" if abs(value) < 1 else f"{value:,.1f}"


def _financial_years(first, last):
    """(start, end, label) of each financial year (April–March) overlapping [first, last]."""
    y = first.year if first.month >= 4 else first.year - 1
    years = []
    while datetime.date(y, 4, 1) <= last:
        years.append((datetime.date(y, 4, 1), datetime.date(y + 1, 4, 1),
                      f"{y}/{(y + 1) % 100:02d}"))
        y += 1
    return years


def _financial_year_axis(ax, first, last, max_labels):
    """An x axis of financial years: ticks at each 1 April, alternate years shaded, each year
    labelled at the middle of its visible part (thinned to at most max_labels labels)."""
    years = _financial_years(first, last)
    ax.set_xlim(first, last)
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num([s for s, _, _ in years[1:]])))
    ax.xaxis.set_major_formatter(NullFormatter())
    ax.tick_params(axis="x", which="major", length=6)
    step = max(1, math.ceil(len(years) / max_labels))
    mids, labels = [], []
    for i, (start, end, label) in enumerate(years):
        lo, hi = max(start, first), min(end, last)
        if (start.year - years[0][0].year) % 2 == 1:
            ax.axvspan(start, end, color=SHADE, zorder=0, lw=0)
        if i % step == 0 and (hi - lo).days >= 90:
            mids.append(mdates.date2num(lo + (hi - lo) / 2))
            labels.append(label)
    ax.xaxis.set_minor_locator(FixedLocator(mids))
    ax.xaxis.set_minor_formatter(FixedFormatter(labels))
    ax.tick_params(axis="x", which="minor", length=0, pad=5)


def _style(ax, dates, max_labels):
    """Quiet axes: light grid, no top/right frame, an x axis of financial years."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color=GRID, lw=0.8)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.tick_params(axis="y", length=3)
    if dates:
        pad = datetime.timedelta(days=20)
        _financial_year_axis(ax, min(dates) - pad, max(dates) + pad, max_labels)


def _draw(ax, fan):
    """The 5–95% band across replicates and the median line of one run."""
    if len(fan.dates) == 0:
        return
    p5, p50, p95 = band(fan.values)
    ax.fill_between(fan.dates, p5, p95, color=fan.colour, alpha=0.18, lw=0)
    ax.plot(fan.dates, p50, color=fan.colour, lw=1.8, solid_capstyle="round")


def _floor_at_zero(ax, fans):
    """Starts the y axis at zero, with headroom, when no value is negative (counts, places).
    NaN values (a share with a zero denominator) are left out."""
    lows = [np.nanmin(f.values) for f in fans if np.any(~np.isnan(f.values))]
    highs = [np.nanmax(f.values) for f in fans if np.any(~np.isnan(f.values))]
    if lows and min(lows) >= 0:
        ax.set_ylim(0, max(highs) * 1.08 if max(highs) > 0 else 1)


def _legend(ax, fans):
    """A key naming each run: its colour band and median line."""
    shown = list(reversed(fans))  # the scenario first (it is drawn last, on top)
    handles = [(Patch(color=f.colour, alpha=0.25, lw=0), Line2D([], [], color=f.colour, lw=1.8))
               for f in shown]
    labels = [f.label for f in shown]
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(fans),
              frameon=False, fontsize=8.5, handlelength=2.4,
              title="median and 5–95% of replicates", title_fontsize=8,
              alignment="left")


def png(fig):
    """The figure as PNG bytes (and closes it)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    plt.close(fig)
    buf.seek(0)
    with Image.open(buf) as im:  # a 256-colour palette: a third of the bytes, no visible loss
        small = io.BytesIO()
        im.convert("RGB").quantize(colors=256).save(small, format="PNG", optimize=True)
    return small.getvalue()


def _pit_stop_marks(ax, pit_stops, dates):
    """A dotted line at each pit stop's date inside the chart, numbered as in the Runs card."""
    if not dates:
        return
    first, last = min(dates), max(dates)
    for n, (date, _name, _why) in enumerate(pit_stops, start=1):
        if not first <= date <= last:
            continue
        ax.axvline(date, color=MARK, lw=0.9, ls=(0, (2, 2)), zorder=0)
        ax.annotate(str(n), xy=(date, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(2, -2), textcoords="offset points", ha="left", va="top",
                    fontsize=7.5, color=MARK)


def fan_chart(fans, ylabel, pit_stops=()):
    """One fan chart of the total, with a legend and the scenario's pit stops: PNG bytes."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.4), layout="constrained")
    dates = [d for f in fans for d in f.dates]
    _style(ax, dates, max_labels=12)
    for fan in fans:
        _draw(ax, fan)
    _floor_at_zero(ax, fans)
    _pit_stop_marks(ax, pit_stops, dates)
    ax.set_ylabel(ylabel)
    _legend(ax, fans)
    return png(fig)


def small_multiples(panels, ylabel, columns=4):
    """A grid of small fan charts, one per breakdown label: panels = [(title, [Fan])]."""
    cols = min(columns, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(WIDTH_IN, 1.9 * rows + 0.3), sharex=True,
                             squeeze=False, layout="constrained")
    for ax, (title, fans) in zip(axes.flat, panels):
        _style(ax, [d for f in fans for d in f.dates], max_labels=max(2, 12 // cols))
        for fan in fans:
            _draw(ax, fan)
        _floor_at_zero(ax, fans)
        ax.set_title(title, loc="left", pad=4)
        ax.tick_params(labelsize=7.5)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    fig.supylabel(ylabel, fontsize=8.5, color=INK)
    return png(fig)
