"""Matching in the initiatives registry: each open need with the offers of other initiatives in the same or a
related category, ranked first by how much of the need they can cover and then by how close they are, with a
score a person can check. The weights are data (`ratc.initiatives.weights`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ratc.core import fmt, metadata, neighbours
from ratc.initiatives import weights as matching_weights
from ratc.initiatives.registry import Registry, catalogue

AREA_PHRASES = {
    "wijk": "zelfde wijk of kern",
    "gemeente": "zelfde gemeente",
    "regio_aanbod": "het aanbod geldt in de hele regio",
    "regio_vraag": "aanbod in één gemeente, vraag voor de hele regio",
    "buren": "buurgemeente",
    "regio": "elders in de regio",
}
COLUMNS = ["need_item_id", "offer_item_id", "category_id", "need_initiative", "offer_initiative", "need_name",
           "offer_name", "need_area", "offer_area", "need_description", "offer_description", "need_remaining",
           "offer_remaining", "voorstel", "score", "rang", "uitleg"]  # fmt: skip


def suggestions(registry: Registry, top: int | None = 5, need_item_id: str | None = None,
                data_dir: Path | None = None) -> pd.DataFrame:  # fmt: skip
    """For every need with something left (or just one need): offers of other initiatives in its category or a
    related one (`related_categories.csv`), best first.

    Score = coverage × the share of what is left of the need that the offer can still cover (× the relation's
    weight for a related category) + the points of where the offer is, seen from the need (same neighbourhood,
    same municipality, region-wide offer, region-wide need, neighbouring municipality, elsewhere); the numbers are
    in `data/initiatives/matching_weights.csv`, where coverage outweighs place. Pairs already in a coalition,
    used-up offers and covered needs are left out. `top` keeps the best so many per need.
    """
    key = ("suggestions", top, need_item_id)
    if data_dir is None and key in registry.memo:
        return registry.memo[key]
    found = _suggestions(registry, top, need_item_id, data_dir)
    if data_dir is None:
        registry.memo[key] = found
    return found


def _suggestions(registry: Registry, top: int | None, need_item_id: str | None, data_dir: Path | None) -> pd.DataFrame:
    """`suggestions`, computed on integer codes (thousands of initiatives make hundreds of thousands of pairs),
    explained in words only for the pairs that are kept."""
    vocabulary, weights = catalogue(data_dir), matching_weights.load(data_dir)
    items = registry.items[registry.items["remaining"] > 0].reset_index(drop=True)
    wanted = items.index[
        (items["direction"] == "vraag") & ((items["item_id"] == need_item_id) | (need_item_id is None))
    ]
    offered = items.index[items["direction"] == "aanbod"]
    if wanted.empty or offered.empty:
        return pd.DataFrame(columns=COLUMNS)
    category, category_names = pd.factorize(items["category_id"])
    initiative = pd.factorize(items["initiative_id"])[0]
    relations = _relations(weights, list(category_names))
    pairs = (
        pd.DataFrame({"need": wanted, "need_category": category[wanted]})
        .merge(relations, on="need_category")
        .merge(pd.DataFrame({"offer": offered, "offer_category": category[offered]}), on="offer_category")
    )
    need, offer, relation = pairs["need"].to_numpy(), pairs["offer"].to_numpy(), pairs["weight"].to_numpy()
    keep = initiative[need] != initiative[offer]
    if not registry.coalitions.empty:
        position = {item: number for number, item in enumerate(items["item_id"])}
        taken = [position[a] * len(items) + position[b] for a, b in
                 zip(registry.coalitions["need_item_id"], registry.coalitions["offer_item_id"], strict=True)
                 if a in position and b in position]  # fmt: skip
        keep &= ~np.isin(need * len(items) + offer, taken)
    need, offer, relation = need[keep], offer[keep], relation[keep]
    if not len(need):
        return pd.DataFrame(columns=COLUMNS)
    remaining = items["remaining"].to_numpy(dtype=float)
    place = _places(items, need, offer)
    covered = np.minimum(remaining[need], remaining[offer])
    share = covered / remaining[need]
    score = np.round(weights.coverage * share * relation + pd.Series(place).map(weights.place).to_numpy(), 2)
    # best first within each need; needs in the order of their initiative's name
    need_order = np.empty(len(items), dtype=int)
    need_order[items.loc[wanted].sort_values(["name", "position"]).index] = np.arange(len(wanted))
    name_rank = items["name"].str.casefold().rank(method="dense").to_numpy()
    order = np.lexsort((name_rank[offer], -remaining[offer], -score, need_order[need]))
    need, offer, place, covered, share, score, relation = (
        values[order] for values in (need, offer, place, covered, share, score, relation)
    )
    starts = np.r_[True, need[1:] != need[:-1]]
    rank = np.arange(len(need)) - np.maximum.accumulate(np.where(starts, np.arange(len(need)), 0)) + 1
    kept = rank <= top if top is not None else np.ones(len(need), dtype=bool)
    need, offer, place, covered, share, score, relation, rank = (
        values[kept] for values in (need, offer, place, covered, share, score, relation, rank)
    )
    needs, offers = items.iloc[need].reset_index(drop=True), items.iloc[offer].reset_index(drop=True)
    frame = pd.DataFrame({
        "need_item_id": needs["item_id"], "offer_item_id": offers["item_id"], "category_id": needs["category_id"],
        "need_initiative": needs["initiative_id"], "offer_initiative": offers["initiative_id"],
        "need_name": needs["name"], "offer_name": offers["name"], "need_area": needs["area_code"],
        "offer_area": offers["area_code"], "need_description": needs["description"],
        "offer_description": offers["description"], "need_remaining": needs["remaining"].astype(float),
        "offer_remaining": offers["remaining"].astype(float), "voorstel": covered, "score": score, "rang": rank,
    })  # fmt: skip
    frame["uitleg"] = [
        _explain(vocabulary, weights, *values)
        for values in zip(frame["category_id"], offers["category_id"], relation, place, offers["neighbourhood"],
                          covered, frame["need_remaining"], share, strict=True)
    ]  # fmt: skip
    return frame[COLUMNS]


def _relations(weights: matching_weights.Weights, names: list[str]) -> pd.DataFrame:
    """Per need category code, the offer category codes that can serve it, with how much they count."""
    rows = [(code, code, 1.0) for code in range(len(names))]
    rows += [(names.index(need), names.index(offer), weight) for (need, offer), weight in weights.related.items()
             if need in names and offer in names]  # fmt: skip
    return pd.DataFrame(rows, columns=["need_category", "offer_category", "weight"])


def _places(items: pd.DataFrame, need: np.ndarray, offer: np.ndarray) -> np.ndarray:
    """For every pair of item positions, how close the offer is to the need: a key of AREA_POINTS.

    Both for the whole region, or only the offer: 'regio_aanbod'; only the need: 'regio_vraag'; the same
    municipality and neighbourhood: 'wijk'; the same municipality: 'gemeente'; sharing a border: 'buren';
    anything else: 'regio'.
    """
    area, names = pd.factorize(items["area_code"])
    region = list(names).index(metadata.REGION_CODE) if metadata.REGION_CODE in set(names) else -1
    bordering = np.array([[neighbours.are_neighbours(a, b) for b in names] for a in names], dtype=bool)
    place = pd.factorize(items["neighbourhood"].fillna("").str.casefold().replace("", None), use_na_sentinel=True)[0]
    need_region, offer_region = area[need] == region, area[offer] == region
    same_area = area[need] == area[offer]
    same_place = same_area & (place[need] >= 0) & (place[need] == place[offer])
    return np.select(
        [offer_region, need_region, same_place, same_area, bordering[area[need], area[offer]]],
        ["regio_aanbod", "regio_vraag", "wijk", "gemeente", "buren"],
        default="regio",
    )


def _explain(vocabulary, weights: matching_weights.Weights, category: str, offer_category: str, relation: float,
             place: str, offer_place: str, covered: float, needed: float, share: float) -> str:  # fmt: skip
    """Why a pair scores what it does, in Dutch: category, coverage (+points), then place (+points)."""
    if offer_category == category:
        kind = f"zelfde categorie ({vocabulary.categories[category].lower()})"
    else:
        kind = (f"verwante categorie: {vocabulary.categories[offer_category].lower()} voor "
                f"{vocabulary.categories[category].lower()} (telt voor {fmt.number(100 * relation, 0)}%)")  # fmt: skip
    where = AREA_PHRASES[place] + (f" ({offer_place})" if place == "wijk" else "")
    return (
        f"{kind} · kan {fmt.number(covered, 0)} van de {fmt.number(needed, 0)} {vocabulary.units[category]} "
        f"leveren: {fmt.number(100 * share, 0)}% (+{fmt.number(weights.coverage * share * relation, 1)}) · {where} "
        f"(+{fmt.number(weights.place[place], 1)})"
    )
