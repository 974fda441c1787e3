"""The forecast chart: monthly net as bars and cumulative cash as a line, the phases shaded,
break-even and payback marked, the SEK axis with Swedish thousands separators (a space)."""

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: charts are rendered in web and flow processes

import matplotlib.pyplot as plt  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

PHASE_COLOURS = {"preparation": "#f3e2c7", "startup": "#dbe9f6", "operations": "#e3f1df"}


def swedish_thousands(value: float) -> str:
    """12 345 678 (a narrow no-break space groups thousands, as Swedish writes them)."""
    return f"{value:,.0f}".replace(",", "\u202f").replace("-", "\u2212")


def _phase_labels() -> dict[str, str]:
    return {
        "preparation": _("Förberedelser"),
        "startup": _("Uppstart"),
        "operations": _("Drift"),
    }


def render_forecast_chart(
    months: list[dict[str, Any]],
    *,
    title: str,
    break_even_month: int | None,
    payback_month: int | None,
    language: str = "sv",
) -> bytes:
    """The chart of one forecast's monthly rows as a PNG, its words in ``language``."""
    with translation.override(language):
        numbers = [row["month"] for row in months]
        figure, axis = plt.subplots(figsize=(9, 4.5), dpi=100)
        try:
            start = 0
            for index in range(1, len(months) + 1):
                if index == len(months) or months[index]["phase"] != months[start]["phase"]:
                    phase = months[start]["phase"]
                    axis.axvspan(
                        numbers[start] - 0.5,
                        numbers[index - 1] + 0.5,
                        color=PHASE_COLOURS[phase],
                        label=_phase_labels()[phase],
                        zorder=0,
                    )
                    start = index
            axis.bar(
                numbers,
                [row["net"] for row in months],
                color="#4a6fa5",
                label=_("Nettoresultat per månad"),
                zorder=2,
            )
            axis.plot(
                numbers,
                [row["cumulative_cash"] for row in months],
                color="#1b1b1b",
                linewidth=2,
                label=_("Ackumulerad kassa"),
                zorder=3,
            )
            axis.axhline(0, color="#555555", linewidth=0.8)
            for month, label, style in (
                (break_even_month, _("Break even"), "--"),
                (payback_month, _("Återbetald"), ":"),
            ):
                if month is not None:
                    axis.axvline(month, color="#b03a2e", linestyle=style, label=label, zorder=4)
            axis.yaxis.set_major_formatter(
                FuncFormatter(lambda value, _p: swedish_thousands(value))
            )
            axis.set_ylabel(_("kronor"))
            axis.set_xlabel(_("Månad"))
            axis.set_title(title)
            handles, labels = axis.get_legend_handles_labels()
            unique = dict(zip(labels, handles, strict=True))
            axis.legend(unique.values(), unique.keys(), loc="best", fontsize="small")
            figure.tight_layout()
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png")
        finally:
            plt.close(figure)
    return buffer.getvalue()
