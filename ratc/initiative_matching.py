"""Matching in the initiatives registry: each open need with the offers of other initiatives in the same category,
ranked by how close they are and how much of the need they can cover, with a score a person can check."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ratc import fmt, metadata, neighbours
from ratc.initiatives import Registry, catalogue

# Points for where an offer is, seen from the need (closer is better); coverage adds up to COVERAGE_POINTS.
AREA_POINTS = {"wijk": 3.0, "gemeente": 2.0, "regio_aanbod": 1.5, "regio_vraag": 1.0, "buren": 1.0, "regio": 0.5}
COVERAGE_POINTS = 2.0
COLUMNS = ["need_item_id", "offer_item_id", "category_id", "need_initiative", "offer_initiative", "need_name",
           "offer_name", "need_area", "offer_area", "need_description", "offer_description", "need_remaining",
           "offer_remaining", "voorstel", "score", "rang", "uitleg"]  # fmt: skip


def area_fit(need_area: str, need_place: str, offer_area: str, offer_place: str) -> tuple[str, str]:
    """How close an offer is to a need: a key of AREA_POINTS and the Dutch phrase for it."""
    region = metadata.REGION_CODE
    if need_area == region:
        return ("regio_aanbod", "vraag en aanbod voor de hele regio") if offer_area == region else (
            "regio_vraag", "aanbod in één gemeente, vraag voor de hele regio")  # fmt: skip
    if offer_area == region:
        return "regio_aanbod", "het aanbod geldt in de hele regio"
    if offer_area == need_area:
        if need_place and offer_place and need_place.casefold() == offer_place.casefold():
            return "wijk", f"zelfde wijk of kern ({offer_place})"
        return "gemeente", "zelfde gemeente"
    if neighbours.are_neighbours(need_area, offer_area):
        return "buren", "buurgemeente"
    return "regio", "elders in de regio"


def suggestions(registry: Registry, top: int | None = 5, data_dir: Path | None = None) -> pd.DataFrame:
    """For every need with something left: the offers of other initiatives in its category, best first.

    Score = where (same neighbourhood 3, same municipality 2, region-wide offer 1.5, region-wide need 1,
    neighbouring municipality 1, elsewhere 0.5) + 2 × the share of what is left of the need that the offer can
    still cover. Pairs already in a coalition, used-up offers and covered needs are left out.
    """
    vocabulary = catalogue(data_dir)
    items = registry.items
    wanted = items[(items["direction"] == "vraag") & (items["remaining"] > 0)]
    offered = items[(items["direction"] == "aanbod") & (items["remaining"] > 0)]
    if wanted.empty or offered.empty:
        return pd.DataFrame(columns=COLUMNS)
    pairs = wanted.merge(offered, on="category_id", suffixes=("_need", "_offer"))
    pairs = pairs[pairs["initiative_id_need"] != pairs["initiative_id_offer"]]
    taken = set(zip(registry.coalitions["need_item_id"], registry.coalitions["offer_item_id"], strict=True))
    pairs = pairs[[(need, offer) not in taken for need, offer in
                   zip(pairs["item_id_need"], pairs["item_id_offer"], strict=True)]]  # fmt: skip
    if pairs.empty:
        return pd.DataFrame(columns=COLUMNS)
    scores, reasons = [], []
    for row in pairs.itertuples():
        fit, phrase = area_fit(row.area_code_need, row.neighbourhood_need, row.area_code_offer, row.neighbourhood_offer)
        share = min(1.0, row.remaining_offer / row.remaining_need)
        unit = vocabulary.units[row.category_id]
        scores.append(round(AREA_POINTS[fit] + COVERAGE_POINTS * share, 2))
        reasons.append(
            f"zelfde categorie ({vocabulary.categories[row.category_id].lower()}) · {phrase} "
            f"(+{fmt.number(AREA_POINTS[fit], 1)}) · kan {fmt.number(min(row.remaining_offer, row.remaining_need), 0)} "
            f"van de {fmt.number(row.remaining_need, 0)} {unit} leveren: {fmt.number(100 * share, 0)}% "
            f"(+{fmt.number(COVERAGE_POINTS * share, 1)})"
        )
    frame = pd.DataFrame({
        "need_item_id": pairs["item_id_need"].to_numpy(),
        "offer_item_id": pairs["item_id_offer"].to_numpy(),
        "category_id": pairs["category_id"].to_numpy(),
        "need_initiative": pairs["initiative_id_need"].to_numpy(),
        "offer_initiative": pairs["initiative_id_offer"].to_numpy(),
        "need_name": pairs["name_need"].to_numpy(),
        "offer_name": pairs["name_offer"].to_numpy(),
        "need_area": pairs["area_code_need"].to_numpy(),
        "offer_area": pairs["area_code_offer"].to_numpy(),
        "need_description": pairs["description_need"].to_numpy(),
        "offer_description": pairs["description_offer"].to_numpy(),
        "need_remaining": pairs["remaining_need"].to_numpy(),
        "offer_remaining": pairs["remaining_offer"].to_numpy(),
        "voorstel": [min(need, offer) for need, offer in
                     zip(pairs["remaining_need"], pairs["remaining_offer"], strict=True)],
        "score": scores,
        "uitleg": reasons,
    })  # fmt: skip
    frame = frame.sort_values(["need_item_id", "score", "offer_remaining", "offer_name"],
                              ascending=[True, False, False, True], kind="stable")  # fmt: skip
    frame["rang"] = frame.groupby("need_item_id").cumcount() + 1
    if top is not None:
        frame = frame[frame["rang"] <= top]
    order = {item: number for number, item in enumerate(wanted.sort_values(["name", "position"])["item_id"])}
    frame = frame.assign(order=frame["need_item_id"].map(order)).sort_values(["order", "rang"])
    return frame[COLUMNS].reset_index(drop=True)
