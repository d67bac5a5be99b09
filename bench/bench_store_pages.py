"""Bedrijfsvoering regio and Initiatieven: what a widget change costs, at the demo's size and at a larger one.

Run from the repo root:  python bench/bench_store_pages.py [--repeat N] [--weeks 104] [--initiatives 2000]

For a store with the demo content, and for a generated store with two years of weekly reports of the ten
municipalities and thousands of initiatives, it prints in one run:
- the overview's and the registry's questions through `ratc` (reading the current and previous reports
  with window functions in SQL, then pandas), uncached;
- a plain-pandas baseline that reads every table whole on every run and answers the same questions
  (checked to give the same escalation list and the same matched pairs);
- the script time of a widget change on both pages under AppTest (Streamlit caches warm);
and the ratio of each to the baseline. Prints a table; never fails on a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402
import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")

from streamlit.testing.v1 import AppTest  # noqa: E402

from ratc.continuity import matching as continuity_matching  # noqa: E402
from ratc.continuity import region as continuity_region  # noqa: E402
from ratc.continuity import reports as continuity  # noqa: E402
from ratc.core import keys, store  # noqa: E402
from ratc.demo import store_content as demo_store  # noqa: E402
from ratc.initiatives import matching as initiative_matching  # noqa: E402
from ratc.initiatives import registry as initiatives  # noqa: E402
from ratc.initiatives import view as initiative_view  # noqa: E402


def median_ms(function, repeat: int) -> float:
    """Median wall time of `function()` in ms over `repeat` runs after one warm-up."""
    function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def scaled_store(url: str, weeks: int, registry_size: int) -> None:
    """The demo content, plus `weeks` more weeks of reports (2018-2019) and `registry_size` more initiatives."""
    demo_store.load(url, key=keys.TRUSTED)  # an operator's script, like the command line
    vocabulary = continuity.catalogue()
    processes, kinds = list(vocabulary.processes), list(vocabulary.help_kinds)
    statuses = ("groen", "groen", "oranje", "rood")
    with store.begin(url) as connection:
        for number in range(weeks):
            week = (dt.date(2018, 1, 1) + dt.timedelta(weeks=number)).isocalendar()
            for offset, area in enumerate(vocabulary.municipalities):
                report_id = connection.execute(
                    continuity.REPORTS.insert().values(
                        area_code=area, week=f"{week[0]}-W{week[1]:02d}", staff_absence_pct=4.0 + offset % 5,
                        reporter="bench", note="", reported_at=store.now(), is_demo=True,
                    )
                ).inserted_primary_key[0]  # fmt: skip
                connection.execute(continuity.STATUS_ROWS.insert(), [
                    {"report_id": report_id, "process_id": process, "status": statuses[(number + offset + i) % 4],
                     "note": ""} for i, process in enumerate(processes)])  # fmt: skip
                connection.execute(continuity.BOTTLENECKS.insert(), [
                    {"report_id": report_id, "bottleneck_key": f"b{area}{i}", "process_id": processes[i],
                     "description": f"knelpunt {i}", "since": dt.date(2018, 1, 1), "solution": ("nee", "deels")[i % 2],
                     "help_needed": True, "help_kind": kinds[i % len(kinds)]} for i in range(4)])  # fmt: skip
                connection.execute(continuity.OFFERS.insert(), [
                    {"report_id": report_id, "offer_key": f"o{area}{i}", "process_id": processes[i],
                     "help_kind": kinds[i % len(kinds)], "description": f"aanbod {i}", "capacity": "1 fte",
                     "capacity_amount": 1 + i % 3, "capacity_unit": "medewerkers"}
                    for i in range(4, 8)])  # fmt: skip
        categories = list(initiatives.catalogue().categories)
        towns = list(vocabulary.municipalities)
        for number in range(registry_size):
            initiative_id = f"bench{number:06d}"
            connection.execute(initiatives.INITIATIVES.insert().values(
                initiative_id=initiative_id, name=f"Initiatief {number}", name_key=f"initiatief {number}",
                party_type="wijkinitiatief", area_code=towns[number % 10], neighbourhood=f"Wijk {number % 7}",
                description="", contact_name="", email="x@y.example", phone="", website="", registered_at=store.now(),
                is_demo=True))  # fmt: skip
            connection.execute(initiatives.ITEMS.insert(), [
                {"item_id": initiatives.item_id(initiative_id, position), "initiative_id": initiative_id,
                 "position": position, "direction": ("aanbod", "vraag")[(number + position) % 2],
                 "category_id": categories[(number * 3 + position) % len(categories)], "description": "x",
                 "capacity": 5.0 + number % 20} for position in (1, 2)])  # fmt: skip


def pandas_overview(url: str) -> tuple[set, set]:
    """Plain pandas: read every continuity table whole, answer escalations and matches (as pairs)."""
    engine = store.engine(url)
    with engine.connect() as connection:
        tables = {name: pd.read_sql_table(name, connection) for name in (
            "continuity_reports", "continuity_statuses", "continuity_bottlenecks", "continuity_offers",
            "continuity_couplings")}  # fmt: skip
    reports = tables["continuity_reports"]
    reports = reports[reports["is_demo"]]
    final = reports.sort_values("report_id").drop_duplicates(["area_code", "week"], keep="last")
    final = final.sort_values(["area_code", "week"], ascending=[True, False])
    final["week_rank"] = final.groupby("area_code").cumcount() + 1
    current = final[final["week_rank"] == 1][["report_id", "area_code", "week"]]
    shown = final[final["week_rank"] <= 2][["report_id", "area_code", "week_rank"]]
    matrix = (
        tables["continuity_statuses"]
        .merge(shown, on="report_id")
        .pivot_table(index=["area_code", "process_id"], columns="week_rank", values="status", aggfunc="first")
    )
    stuck = tables["continuity_bottlenecks"].merge(current, on="report_id")
    escalated = set(stuck.loc[stuck["solution"] == "nee", "bottleneck_key"])
    wanted = stuck[stuck["help_needed"] & (stuck["solution"] != "ja")]
    offered = tables["continuity_offers"].merge(current, on="report_id")
    pairs = wanted.merge(offered, on=["process_id", "help_kind"], suffixes=("_need", "_offer"))
    pairs = pairs[pairs["area_code_need"] != pairs["area_code_offer"]]
    # what ratc.continuity.matching leaves out: a helper on red, an offer too old, an offer used up (unless coupled)
    status = tables["continuity_statuses"].merge(current, on="report_id").set_index(["area_code", "process_id"])
    helper_status = [status["status"].get(key) for key in zip(pairs["area_code_offer"], pairs["process_id"],
                                                               strict=True)]  # fmt: skip
    newest = dt.date.fromisocalendar(int(current["week"].max()[:4]), int(current["week"].max()[6:]), 1)
    age = [
        (newest - dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1)).days // 7 for week in pairs["week_offer"]
    ]
    couplings = tables["continuity_couplings"]
    used = couplings.assign(units=couplings["units"].fillna(1)).groupby("offer_key")["units"].sum()
    left = pairs["capacity_amount"].fillna(1) - pairs["offer_key"].map(used).fillna(0)
    coupled = [pair in set(zip(couplings["bottleneck_key"], couplings["offer_key"], strict=True))
               for pair in zip(pairs["bottleneck_key"], pairs["offer_key"], strict=True)]  # fmt: skip
    keep = pd.Series(coupled, index=pairs.index) | (
        (pd.Series(helper_status, index=pairs.index) != "rood") & (pd.Series(age, index=pairs.index) <= 4) & (left > 0)
    )
    pairs = pairs[keep]
    assert len(matrix) > 0
    return escalated, set(zip(pairs["bottleneck_key"], pairs["offer_key"], strict=True))


def ratc_overview(url: str) -> tuple[set, set]:
    """The overview's questions through ratc: picture, matrix, escalations, matches, needs."""
    view = continuity_region.picture(demo=True, url=url)
    continuity_region.matrix(view)
    escalated = set(continuity_region.escalations(view)["bottleneck_key"])
    found = continuity_matching.matches(view)
    return escalated, set(zip(found["bottleneck_key"], found["offer_key"], strict=True))


def pandas_pairs(url: str) -> set:
    """Plain pandas: read the registry whole, compute what is left, list it and pair needs with offers."""
    engine = store.engine(url)
    with engine.connect() as connection:
        found = {name: pd.read_sql_table(name, connection) for name in (
            "initiatives", "initiative_items", "initiative_coalitions")}  # fmt: skip
    items = found["initiative_items"].merge(found["initiatives"], on="initiative_id")
    items = items[items["is_demo"]]
    coalitions = found["initiative_coalitions"]
    used = pd.concat([coalitions.groupby("need_item_id")["amount"].sum(),
                      coalitions.groupby("offer_item_id")["amount"].sum()]).groupby(level=0).sum()  # fmt: skip
    items = items.assign(remaining=items["capacity"] - items["item_id"].map(used).fillna(0))
    items.groupby(["initiative_id", "direction"])["description_x"].agg("; ".join)
    wanted = items[(items["direction"] == "vraag") & (items["remaining"] > 0)]
    offered = items[(items["direction"] == "aanbod") & (items["remaining"] > 0)]
    # the same category, or one that data/initiatives/related_categories.csv relates to it
    related = pd.read_csv(ROOT / "data" / "initiatives" / "related_categories.csv", dtype=str)
    serving = pd.concat([pd.DataFrame({"category_id": items["category_id"].unique()}).assign(
        offer_category=lambda frame: frame["category_id"]),
        related.rename(columns={"vraag_categorie": "category_id", "aanbod_categorie": "offer_category"})[
            ["category_id", "offer_category"]]])  # fmt: skip
    pairs = wanted.merge(serving, on="category_id").merge(
        offered.rename(columns={"category_id": "offer_category"}), on="offer_category", suffixes=("_need", "_offer")
    )
    pairs = pairs[pairs["initiative_id_need"] != pairs["initiative_id_offer"]]
    taken = set(zip(coalitions["need_item_id"], coalitions["offer_item_id"], strict=True))
    return {pair for pair in zip(pairs["item_id_need"], pairs["item_id_offer"], strict=True) if pair not in taken}


def pandas_registry(url: str) -> set:
    """Plain pandas answering the page's questions: the needs with at least one suggested offer."""
    return {need for need, _ in pandas_pairs(url)}


def ratc_registry(url: str) -> set:
    """The registry page's questions through ratc: registry, listing, the needs with a suggestion, and the
    ranked offers for the first of them."""
    registry = initiatives.registry(demo=True, url=url)
    initiative_view.listing(registry, initiative_view.Filters())
    options = initiative_view.suggestion_options(registry)
    initiative_view.suggestion_table(registry, next(iter(options)))
    return set(options)


def ratc_pairs(url: str) -> set:
    """Every suggested pair through ratc, to check against the baseline (not timed)."""
    found = initiative_matching.suggestions(initiatives.registry(demo=True, url=url), top=None)
    return set(zip(found["need_item_id"], found["offer_item_id"], strict=True))


def page_ms(url: str, page: str, changes, repeat: int) -> float:
    """Median script time of a widget change on a page under AppTest (caches warm)."""
    os.environ[store.URL_VARIABLE] = url
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    app.run()
    app.switch_page(page).run()
    samples = []
    for round_number in range(repeat + 1):
        for change in changes:
            start = time.perf_counter()
            change(app)
            app.run()
            if round_number:
                samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    """Measure both scales and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--initiatives", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ratc-bench-store-"))
    rows = []
    for label, weeks, size in (("demo", 0, 0), (f"+{args.weeks} weken, +{args.initiatives} initiatieven",
                                                args.weeks, args.initiatives)):  # fmt: skip
        url = f"sqlite:///{folder / f'store-{weeks}.sqlite'}"
        scaled_store(url, weeks, size)
        assert ratc_overview(url) == pandas_overview(url), "escalations or matches differ from the baseline"
        assert ratc_pairs(url) == pandas_pairs(url), "suggested pairs differ from the baseline"
        assert ratc_registry(url) == pandas_registry(url), "needs with a suggestion differ from the baseline"
        view = continuity_region.picture(demo=True, url=url)
        needs = list(dict.fromkeys(continuity_matching.matches(view)["bottleneck_key"]))[:4]
        overview = {
            "baseline": median_ms(lambda url=url: pandas_overview(url), args.repeat),
            "ratc": median_ms(lambda url=url: ratc_overview(url), args.repeat),
            "page": page_ms(url, "pages/continuity_overview.py",
                            [lambda app, need=need: app.selectbox(key="koppeling_knelpunt").set_value(need)
                             for need in needs], args.repeat),
        }  # fmt: skip
        categories = (["voedsel"], ["geld", "zorg"], [], ["vrijwilligers"])
        registry = {
            "baseline": median_ms(lambda url=url: pandas_registry(url), args.repeat),
            "ratc": median_ms(lambda url=url: ratc_registry(url), args.repeat),
            "page": page_ms(url, "pages/initiatives_page.py",
                            [lambda app, chosen=chosen: app.multiselect(key="initiatieven_categorie").set_value(chosen)
                             for chosen in categories], args.repeat),
        }  # fmt: skip
        with store.read(url) as connection:
            reports = connection.execute(sa.select(sa.func.count()).select_from(continuity.REPORTS)).scalar_one()
            items = connection.execute(sa.select(sa.func.count()).select_from(initiatives.ITEMS)).scalar_one()
        rows.append((label, reports, items, overview, registry))
        store.dispose()
    print(f"{'store':<38} {'rows':>15}  {'page: question':<62} {'median ms':>9} {'÷ pandas':>8}")
    for label, reports, items, overview, registry in rows:
        for name, timings, count in (("Bedrijfsvoering regio", overview, f"{reports} meldingen"),
                                     ("Initiatieven", registry, f"{items} regels")):  # fmt: skip
            for kind, text in (("baseline", "plain pandas, whole tables every run"),
                               ("ratc", "ratc, uncached (reads only what it shows)"),
                               ("page", "widget change, AppTest, caches warm")):  # fmt: skip
                ratio = timings[kind] / timings["baseline"]
                print(f"{label:<38} {count:>15}  {name + ': ' + text:<62} {timings[kind]:>9.1f} {ratio:>8.2f}")
    print("Same escalation lists and matched pairs as the baseline at both sizes.")


if __name__ == "__main__":
    main()
