"""What the initiatives page shows: the filters and the filtered list, the suggestions, the coalitions, and the
exports of the registry and the coalitions (CSV and Excel that read back the same). The map is in `map_view`.
No Streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.core import export, fmt, metadata
from ratc.initiatives import weights as matching_weights
from ratc.initiatives.matching import suggestions
from ratc.initiatives.registry import DIRECTIONS, Registry, catalogue

SOURCE = "Register van initiatieven, RAT-C Zuid-Holland-Zuid"
EXPORT_NUMERIC = {"register": ("Capaciteit", "Nog over"), "coalities": ("Hoeveelheid",)}


@dataclass(frozen=True)
class Filters:
    """What the list and the map show: categories, offers or needs, one area, party types and a search text."""

    categories: tuple[str, ...] = ()
    direction: str | None = None
    area: str | None = None  # a municipality (its region-wide initiatives included) or the region code
    party_types: tuple[str, ...] = ()
    search: str = ""

    @property
    def is_set(self) -> bool:
        """Whether anything is filtered."""
        return bool(self.categories or self.direction or self.area or self.party_types or self.search.strip())


def filtered_items(registry: Registry, filters: Filters) -> pd.DataFrame:
    """The offers and needs that pass the filters (an initiative shows with the items that match)."""
    key = ("filtered", filters)
    if key not in registry.memo:
        registry.memo[key] = _filtered_items(registry, filters)
    return registry.memo[key]


def _filtered_items(registry: Registry, filters: Filters) -> pd.DataFrame:
    """`filtered_items`, computed."""
    items = registry.items
    keep = pd.Series(True, index=items.index)
    if filters.categories:
        keep &= items["category_id"].isin(filters.categories)
    if filters.direction:
        keep &= items["direction"] == filters.direction
    if filters.area:
        keep &= items["area_code"].isin({filters.area, metadata.REGION_CODE})
    if filters.party_types:
        keep &= items["party_type"].isin(filters.party_types)
    needle = " ".join(filters.search.split()).casefold()
    if needle:
        about = registry.initiatives.set_index("initiative_id")["description"]
        haystack = (items["name"] + " " + items["neighbourhood"] + " " + items["description"] + " "
                    + items["initiative_id"].map(about).fillna("")).str.casefold()  # fmt: skip
        keep &= haystack.str.contains(needle, regex=False)
    return items[keep]


def item_texts(items: pd.DataFrame, units: dict[str, str], categories: dict[str, str]) -> list[str]:
    """Per item: 'Voedsel: 40 huishoudens per week (nog 10)'."""
    return [
        f"{categories[category]}: {fmt.number(capacity, 0)} {units[category]}"
        + (f" (nog {fmt.number(remaining, 0)})" if remaining < capacity else "")
        for category, capacity, remaining in zip(items["category_id"], items["capacity"], items["remaining"],
                                                 strict=True)
    ]  # fmt: skip


def listing(registry: Registry, filters: Filters, data_dir: Path | None = None) -> pd.DataFrame:
    """One row per initiative that passes the filters: who, where, what it offers and needs, and how to reach it."""
    vocabulary = catalogue(data_dir)
    items = filtered_items(registry, filters)
    columns = ["Initiatief", "Soort partij", "Gemeente", "Wijk of kern", "Biedt", "Vraagt", "Contactpersoon",
               "E-mail", "Telefoon", "Website"]  # fmt: skip
    if items.empty:
        return pd.DataFrame(columns=columns)
    joined: dict[str, dict[str, list[str]]] = {}
    for initiative, direction, text in zip(
        items["initiative_id"],
        items["direction"],
        item_texts(items, vocabulary.units, vocabulary.categories),
        strict=True,
    ):
        joined.setdefault(initiative, {"aanbod": [], "vraag": []})[direction].append(text)  # fmt: skip
    chosen = registry.initiatives[registry.initiatives["initiative_id"].isin(joined.keys())]
    return pd.DataFrame({
        "Initiatief": chosen["name"],
        "Soort partij": chosen["party_type"].map(vocabulary.party_types),
        "Gemeente": chosen["area_code"].map(vocabulary.areas),
        "Wijk of kern": chosen["neighbourhood"],
        "Biedt": ["; ".join(joined[initiative]["aanbod"]) for initiative in chosen["initiative_id"]],
        "Vraagt": ["; ".join(joined[initiative]["vraag"]) for initiative in chosen["initiative_id"]],
        "Contactpersoon": chosen["contact_name"],
        "E-mail": chosen["email"],
        "Telefoon": chosen["phone"],
        "Website": chosen["website"].replace("", None),
    }).reset_index(drop=True)  # fmt: skip


def counts(registry: Registry, filters: Filters, data_dir: Path | None = None) -> dict[str, int]:
    """Initiatives, offers, open needs and coalitions in view."""
    items = filtered_items(registry, filters)
    return {
        "initiatieven": items["initiative_id"].nunique(),
        "aanbod": int((items["direction"] == "aanbod").sum()),
        "open_vragen": int(((items["direction"] == "vraag") & (items["remaining"] > 0)).sum()),
        "coalities": len(registry.coalitions),
    }


def counts_text(numbers: dict[str, int]) -> str:
    """'**30** initiatieven · **31** keer aanbod · **23** open vragen · **6** coalities' (markdown, our own counts)."""
    return " · ".join([
        f"**{numbers['initiatieven']}** {'initiatief' if numbers['initiatieven'] == 1 else 'initiatieven'}",
        f"**{numbers['aanbod']}** keer aanbod",
        f"**{numbers['open_vragen']}** {'open vraag' if numbers['open_vragen'] == 1 else 'open vragen'}",
        f"**{numbers['coalities']}** {'coalitie' if numbers['coalities'] == 1 else 'coalities'}",
    ])  # fmt: skip


def suggestion_options(registry: Registry, data_dir: Path | None = None) -> dict[str, str]:
    """Every need with at least one suggestion: its item id and a one-line plain-text label."""
    vocabulary = catalogue(data_dir)
    found = suggestions(registry, top=1, data_dir=data_dir)
    items = registry.items[registry.items["item_id"].isin(set(found["need_item_id"]))]
    rows = {row["item_id"]: row for row in items.to_dict("records")}
    options = {}
    for item_id in dict.fromkeys(found["need_item_id"]):
        row = rows[item_id]
        category = row["category_id"]
        options[item_id] = _shorten(
            f"{row['name']} ({vocabulary.areas[row['area_code']]}) vraagt {vocabulary.categories[category].lower()}: "
            f"{row['description']} · nog {fmt.number(row['remaining'], 0)} {vocabulary.units[category]}", 160
        )  # fmt: skip
    return options


def suggestion_table(registry: Registry, need_item_id: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The ranked offers for one need, in Dutch, with the score and why."""
    vocabulary = catalogue(data_dir)
    found = suggestions(registry, top=None, need_item_id=need_item_id, data_dir=data_dir)
    return pd.DataFrame({
        "Rang": found["rang"].astype("int64"),
        "Aanbieder": found["offer_name"],
        "Gemeente": found["offer_area"].map(vocabulary.areas),
        "Aanbod": found["offer_description"],
        "Nog beschikbaar": [f"{fmt.number(left, 0)} {unit}" for left, unit in
                            zip(found["offer_remaining"], found["category_id"].map(vocabulary.units), strict=True)],
        "Score": [fmt.number(score, 1) for score in found["score"]],
        "Waarom": found["uitleg"],
    }).reset_index(drop=True)  # fmt: skip


def weights_tables(data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How the score is made, in Dutch: the points per parameter and the related categories, each explained."""
    weights = matching_weights.load(data_dir)
    categories = catalogue(data_dir).categories
    points = weights.table.rename(columns={"naam": "Wat", "waarde": "Punten", "uitleg": "Uitleg"})
    points["Punten"] = [fmt.number(float(value), 1, trim=True) for value in points["Punten"]]
    related = pd.DataFrame({
        "Vraag": weights.related_table["vraag_categorie"].map(categories),
        "Aanbod": weights.related_table["aanbod_categorie"].map(categories),
        "Telt voor": [f"{fmt.number(100 * float(value), 0)}%" for value in weights.related_table["gewicht"]],
        "Uitleg": weights.related_table["uitleg"],
    })  # fmt: skip
    return points[["Wat", "Punten", "Uitleg"]], related


def offer_options(registry: Registry, need_item_id: str, data_dir: Path | None = None) -> dict[str, str]:
    """The suggested offers for one need, best first: item id and 'rank. Initiative: offer'."""
    found = suggestions(registry, top=None, need_item_id=need_item_id, data_dir=data_dir)
    return {
        row.offer_item_id: _shorten(f"{row.rang}. {row.offer_name}: {row.offer_description} (score "
                                    f"{fmt.number(row.score, 1)})", 160)
        for row in found.itertuples()
    }  # fmt: skip


def proposed_amount(registry: Registry, need_item_id: str, offer_item_id: str) -> float:
    """What can still be committed between a need and an offer: the smaller of both remainders."""
    items = registry.items.set_index("item_id")
    return float(min(items.loc[need_item_id, "remaining"], items.loc[offer_item_id, "remaining"]))


def coalitions_frame(registry: Registry, data_dir: Path | None = None) -> pd.DataFrame:
    """Every recorded coalition with both sides' names, areas and the amount in the category's unit."""
    vocabulary = catalogue(data_dir)
    items = registry.items.set_index("item_id")
    frame = registry.coalitions
    need, offer = items.reindex(frame["need_item_id"]), items.reindex(frame["offer_item_id"])
    return pd.DataFrame({
        "Vastgelegd": [fmt.moment(value) for value in frame["recorded_at"]],
        "Vraag van": need["name"].to_numpy(),
        "Gemeente vraag": need["area_code"].map(vocabulary.areas).to_numpy(),
        "Vraag": need["description"].to_numpy(),
        "Aanbod van": offer["name"].to_numpy(),
        "Gemeente aanbod": offer["area_code"].map(vocabulary.areas).to_numpy(),
        "Aanbod": offer["description"].to_numpy(),
        "Categorie": need["category_id"].map(vocabulary.categories).to_numpy(),
        "Hoeveelheid": frame["amount"].astype("float64").to_numpy(),
        "Eenheid": need["category_id"].map(vocabulary.units).to_numpy(),
        "Notitie": frame["note"].to_numpy(),
        "Door": frame["recorded_by"].to_numpy(),
    })  # fmt: skip


def coalition_groups(registry: Registry, data_dir: Path | None = None) -> pd.DataFrame:
    """Coalitions per need: who asked, which partners joined, and how much of the need is now covered."""
    vocabulary = catalogue(data_dir)
    if registry.coalitions.empty:
        return pd.DataFrame(columns=["Vraag van", "Gemeente", "Categorie", "Vraag", "Partners", "Gedekt"])
    items = registry.items.set_index("item_id")
    rows = []
    for need_id, group in registry.coalitions.groupby("need_item_id", sort=False):
        need = items.loc[need_id]
        partners = items.reindex(group["offer_item_id"])["name"].tolist()
        unit = vocabulary.units[need["category_id"]]
        covered = float(group["amount"].sum())
        rows.append({
            "Vraag van": need["name"], "Gemeente": vocabulary.areas[need["area_code"]],
            "Categorie": vocabulary.categories[need["category_id"]], "Vraag": need["description"],
            "Partners": ", ".join(sorted(set(partners), key=str.casefold)),
            "Gedekt": f"{fmt.number(covered, 0)} van {fmt.number(need['capacity'], 0)} {unit} "
                      f"({fmt.number(100 * covered / need['capacity'], 0)}%)",
        })  # fmt: skip
    return pd.DataFrame(rows)


def registry_export(registry: Registry, filters: Filters, data_dir: Path | None = None) -> pd.DataFrame:
    """The registry as a flat table for download: a row per offer or need, with the initiative's details."""
    vocabulary = catalogue(data_dir)
    items = filtered_items(registry, filters)
    about = registry.initiatives.set_index("initiative_id").reindex(items["initiative_id"])
    return pd.DataFrame({
        "Initiatief": items["name"].to_numpy(),
        "Soort partij": items["party_type"].map(vocabulary.party_types).to_numpy(),
        "Gemeentecode": items["area_code"].to_numpy(),
        "Gemeente": items["area_code"].map(vocabulary.areas).to_numpy(),
        "Wijk of kern": items["neighbourhood"].to_numpy(),
        "Omschrijving initiatief": about["description"].to_numpy(),
        "Contactpersoon": about["contact_name"].to_numpy(),
        "E-mail": about["email"].to_numpy(),
        "Telefoon": about["phone"].to_numpy(),
        "Website": about["website"].to_numpy(),
        "Biedt of vraagt": items["direction"].map(DIRECTIONS).to_numpy(),
        "Categorie": items["category_id"].map(vocabulary.categories).to_numpy(),
        "Omschrijving": items["description"].to_numpy(),
        "Capaciteit": items["capacity"].astype("float64").to_numpy(),
        "Nog over": items["remaining"].astype("float64").to_numpy(),
        "Eenheid": items["category_id"].map(vocabulary.units).to_numpy(),
        "Aangemeld": [fmt.moment(value) for value in about["registered_at"]],
        "Demodata": "ja" if registry.demo else "nee",
    })  # fmt: skip


def coalitions_export(registry: Registry, data_dir: Path | None = None) -> pd.DataFrame:
    """The coalitions as a flat table for download."""
    return coalitions_frame(registry, data_dir).assign(Demodata="ja" if registry.demo else "nee")


def export_about(kind: str, registry: Registry, filters: Filters, made_on: dt.date | None = None) -> dict[str, str]:
    """What the Verantwoording sheet of an export says: title, filters, source and date."""
    title = "Register van initiatieven" if kind == "register" else "Coalities tussen initiatieven"
    made_on = made_on or dt.date.today()
    return {
        "Titel": title,
        "Toelichting": "Selectie: " + (describe_filters(filters) if kind == "register" else "alle coalities"),
        "Bron": SOURCE + (" (Demodata)" if registry.demo else ""),
        "Gemaakt op": fmt.date_long(made_on),
    }


def export_files(kind: str, registry: Registry, filters: Filters, made_on: dt.date | None = None) -> dict[str, bytes]:
    """The CSV and Excel downloads of the registry ('register') or the coalitions ('coalities')."""
    frame = registry_export(registry, filters) if kind == "register" else coalitions_export(registry)
    about = export_about(kind, registry, filters, made_on)
    return {"csv": export.table_csv(frame), "xlsx": export.table_xlsx(frame, about)}


def lazy_export_files(kind: str, registry: Registry, filters: Filters) -> dict[str, Callable[[], bytes]]:
    """`export_files`, each file made only when someone asks for it (a download click)."""
    return {
        extension: (lambda extension=extension: export_files(kind, registry, filters)[extension])
        for extension in ("csv", "xlsx")
    }


def read_export(content: bytes, kind: str, file_kind: str) -> pd.DataFrame:
    """Read a downloaded register or coalitions file back (its numbers as numbers, text as typed)."""
    return export.read_table(content, file_kind, EXPORT_NUMERIC[kind])


def file_stem(kind: str, registry: Registry) -> str:
    """'initiatieven-register_demodata': what the download holds, without extension."""
    return export.file_stem(f"initiatieven-{kind}", "demodata" if registry.demo else "")


def unit_of(registry: Registry, item_id: str, data_dir: Path | None = None) -> str:
    """The unit an item's capacity is counted in ('huishoudens per week')."""
    category = registry.items.set_index("item_id").loc[item_id, "category_id"]
    return catalogue(data_dir).units[category]


def describe_filters(filters: Filters, data_dir: Path | None = None) -> str:
    """The filters in words: 'categorie voedsel, zorg · alleen vraag · Dordrecht' or 'alles'."""
    vocabulary = catalogue(data_dir)
    parts = []
    if filters.categories:
        parts.append("categorie " + ", ".join(vocabulary.categories[c].lower() for c in filters.categories))
    if filters.direction:
        parts.append("alleen aanbod" if filters.direction == "aanbod" else "alleen vragen")
    if filters.area:
        parts.append(vocabulary.areas[filters.area])
    if filters.party_types:
        parts.append(", ".join(vocabulary.party_types[p].lower() for p in filters.party_types))
    if filters.search.strip():
        parts.append(f"zoekterm '{' '.join(filters.search.split())}'")
    return " · ".join(parts) or "alles"


def _shorten(label: str, limit: int) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    flat = " ".join(str(label).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
