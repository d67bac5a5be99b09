"""Charts as pictures for papers: PNG at 300 dpi at the width they are printed, through vl-convert (offline).

vl-convert's `ppi` writes the density into the PNG and enlarges the picture by ppi/72; `scale` then brings it to
the printed width. A chart's own width is not known before it is drawn (axes, legend, labels and padding add to
it), and a PNG costs 0.3-0.6 s, so a `Renderer` (one per paper) draws the first chart of a kind at an estimate,
learns the kind's width from it and draws the next ones at once at the right scale. A picture a little larger than
300 dpi is kept; one that comes out too small or far too large is drawn once more at the exact scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import vl_convert

from ratc.core import charts
from ratc.papers.document import Picture, png_size

DPI = 300
POINTS_PER_INCH = 72
CM_PER_INCH = 2.54
TOO_SMALL, TOO_LARGE = 0.99, 1.2
LEARNED_MARGIN = 0.97  # the next chart of a kind may have narrower axis labels: rather a little more than 300 dpi


@dataclass
class Renderer:
    """Draws a paper's charts; `widths` holds, per kind of chart, its width in px at scale 1 as last drawn."""

    widths: dict[str, float] = field(default_factory=dict)
    drawn: int = 0

    def png(self, spec: dict, width_cm: float, kind: str, estimated_px: float = charts.WIDTH) -> bytes:
        """The chart as a PNG that is at least `DPI` dots per inch when printed `width_cm` wide."""
        wanted_px = width_cm / CM_PER_INCH * DPI
        base_px = self.widths.get(kind, estimated_px)
        picture, scale = self._draw(spec, wanted_px / base_px * POINTS_PER_INCH / DPI)
        drawn_px = png_size(picture)[0]
        self.widths[kind] = drawn_px / (scale * DPI / POINTS_PER_INCH) * LEARNED_MARGIN
        if not TOO_SMALL <= drawn_px / wanted_px <= TOO_LARGE:
            picture, _ = self._draw(spec, scale * wanted_px / drawn_px)
        return picture

    def picture(
        self, figure: charts.Figure, width_cm: float, caption: str, kind: str, estimated_px: float = charts.WIDTH
    ) -> Picture:
        """A published figure as a paper's picture: 300 dpi, its text description as alt text, and a caption."""
        return Picture(self.png(figure.spec, width_cm, kind, estimated_px), width_cm, figure.description, caption)

    def pictures(self, figures: list[charts.Figure], width_cm: float, captions: list[str], kind: str,
                 estimated_px: float = charts.WIDTH) -> list[Picture]:  # fmt: skip
        """Published figures of one kind as pictures, in order."""
        return [self.picture(figure, width_cm, caption, kind, estimated_px)
                for figure, caption in zip(figures, captions, strict=True)]  # fmt: skip

    def _draw(self, spec: dict, scale: float) -> tuple[bytes, float]:
        """One PNG at this scale."""
        self.drawn += 1
        return vl_convert.vegalite_to_png(spec, scale=scale, ppi=DPI), scale


def density(picture: Picture) -> float:
    """The picture's dots per inch at its printed width (tests: at least 300)."""
    return png_size(picture.png)[0] / (picture.width_cm / CM_PER_INCH)
