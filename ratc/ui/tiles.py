"""KPI tiles and signal sentences: a domain's row of bordered metrics, tiles folded per domain, and the signals.

Each domain's tiles' definitions and provenance stand in one place under its tiles (`access.tile_definitions`):
one tab stop, not a help button per tile.
"""

from __future__ import annotations

import streamlit as st

from ratc.core import text
from ratc.monitor.signals import Signal
from ratc.monitor.tiles import Tile, TileBoard
from ratc.ui import access
from ratc.ui.components import DEMO_BADGE, EMPTY_ICON


def show_page_tiles(board: TileBoard) -> None:
    """KPI tiles whose domains are the page's sections (h2 under the page's h1, as on Regio-overzicht)."""
    show_tiles(board, heading=st.header)


def show_tiles(board: TileBoard, per_row: int = 4, heading=st.subheader) -> None:
    """KPI tiles, a row of bordered metrics per domain; a domain's indicators without a figure in a sentence."""
    for domain, tiles in board.tiles.items():
        heading(domain, divider="gray")
        if domain in board.empty:
            st.caption(f"{EMPTY_ICON} {board.empty[domain]}")
        show_tile_rows(tiles, per_row)
        access.tile_definitions(domain, tiles)


def show_folded_tiles(board: TileBoard) -> None:
    """KPI tiles folded per domain: one closed expander per domain (open when the board holds one domain), then
    all their definitions in one place after them (Streamlit's expanders do not nest)."""
    for domain, tiles in board.tiles.items():
        with st.expander(f"{domain} ({len(tiles)})", expanded=len(board.tiles) == 1):
            if domain in board.empty:
                st.caption(f"{EMPTY_ICON} {board.empty[domain]}")
            show_tile_rows(tiles)
    domains = list(board.tiles)
    title = domains[0] if len(domains) == 1 else "alle kerncijfers"
    access.tile_definitions(title, [tile for tiles in board.tiles.values() for tile in tiles])


def show_tile_rows(tiles: list[Tile], per_row: int = 4) -> None:
    """Tiles in rows of `per_row` bordered boxes (on a phone Streamlit stacks them)."""
    for start in range(0, len(tiles), per_row):
        row = tiles[start : start + per_row]
        if len(row) == per_row:  # bordered columns are the boxes: one element less per tile to send
            for column, tile in zip(st.columns(per_row, border=True), row, strict=True):
                show_tile(tile, column)
        else:
            for column, tile in zip(st.columns(per_row), row, strict=False):
                show_tile(tile, column.container(border=True))


def show_tile(tile: Tile, box=None) -> None:
    """One KPI tile in a bordered box: value, change, sparkline and previous period (provenance: `show_tiles`)."""
    box = st.container(border=True) if box is None else box
    box.metric(
        tile.label,
        tile.value_text,
        delta=tile.delta_text,
        delta_color=tile.delta_color,
        delta_arrow="off" if (tile.delta_text or "").startswith("±") else "auto",
        chart_data=tile.sparkline or None,
        chart_type="line",
    )
    lines = [tile.period_label, tile.delta_description, tile.comparison_text, tile.previous_text]
    shown = "  \n".join(line for line in lines if line)
    box.caption(f"{DEMO_BADGE}  \n{shown}" if tile.is_demo else shown)


def show_signals(
    signals: list[Signal],
    profile_page: str | None = None,
    empty_text: str = "Geen duidelijke afwijkingen.",
) -> None:
    """Signal sentences, each with a link to the municipality's profile when a profile page is given."""
    if not signals:
        st.write(empty_text)
        return
    for signal in signals:
        arrow = ":material/north_east:" if signal.deviation > 0 else ":material/south_east:"
        colour = {True: "red", False: "blue", None: "gray"}[signal.is_worse]
        line = f":{colour}[{arrow}] {text.escape_markdown(signal.sentence)}"
        if not profile_page:
            st.markdown(line)
            continue
        text_col, link_col = st.columns([5, 1], vertical_alignment="center")
        text_col.markdown(line)
        link_col.page_link(
            profile_page,
            label=signal.area_name,
            icon=":material/arrow_forward:",
            query_params={**st.session_state.get("_context_url", {}), "gemeente": signal.area_code},
        )
