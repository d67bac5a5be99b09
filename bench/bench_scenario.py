"""Slider-change script time on the Scenario's page: the fragment, a full-page rerun, and plain pandas.

Run from the repo root:  python bench/bench_scenario.py [--repeat N]

Replays a cycle of slider changes (GDP 2020 and 2021, duration, support, sensitivity) on the page under
AppTest, each change twice: once as a rerun of only the `st.fragment` that holds the sliders and the charts (what
the browser asks for when a slider inside it moves), once as a full-page rerun (app.py frame and the whole page).
Times are *script time*: the execution of the script or fragment measured inside Streamlit's script runner,
without AppTest's thread start and tree parsing. Beside them: the model logic alone
(`ratc.scenario.municipal.project` and `headline`, on numpy) and a plain-pandas implementation of the same projection
that reads the CSVs on every change, as a simple page would; its numbers are checked against the model's. All
measured in this run; the table prints medians, p90 and ratios to the pandas baseline. Never fails on a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib import parse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")

from streamlit.runtime.scriptrunner import RerunData, script_runner  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit.testing.v1.element_tree import parse_tree_from_messages  # noqa: E402
from streamlit.testing.v1.local_script_runner import LocalScriptRunner, require_widgets_deltas  # noqa: E402

from ratc.core import metadata, paths  # noqa: E402
from ratc.scenario import municipal, national  # noqa: E402
from ratc.scenario import parameters as scenario_data  # noqa: E402
from ratc.scenario import settings as scenario_settings  # noqa: E402
from ratc.warehouse import builder as warehouse  # noqa: E402
from ratc.warehouse import db  # noqa: E402

PAGE = "pages/scenario_explorer.py"
TARGET_MS = 150
CHANGES = [
    ("sc_bbp2020", -3.0),
    ("sc_bbp2020", -9.5),
    ("sc_bbp2021", 0.5),
    ("sc_duur", 9),
    ("sc_steun", 20),
    ("sc_bbp2021", 4.0),
    ("sc_gv_GM0505", 1.5),
    ("sc_duur", 4),
]
SCRIPT_TIMES: list[float] = []
FRAGMENT_IDS: list[str] = []


def timed_exec(original):
    """Streamlit's script execution, timed: the script time of every (full or fragment) run."""

    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SCRIPT_TIMES.append((time.perf_counter() - start) * 1000)

    return run


def fragment_run(self, widget_state=None, query_params=None, timeout=3, page_hash="", context_info=None):
    """LocalScriptRunner.run, asking for a rerun of only the fragments in FRAGMENT_IDS when there are any."""
    if not FRAGMENT_IDS:
        return ORIGINAL_RUN(self, widget_state, query_params, timeout, page_hash, context_info)
    rerun_data = RerunData(
        widget_states=widget_state,
        query_string=parse.urlencode(query_params or {}, doseq=True),
        page_script_hash=page_hash,
        context_info=context_info,
        fragment_id_queue=list(FRAGMENT_IDS),
    )
    # the runner is created with a pending full rerun; a fragment request would fold into it
    self._requests = ScriptRequests()
    self.request_rerun(rerun_data)
    try:
        if not self._script_thread:
            self.start()
        require_widgets_deltas(self, timeout)
    finally:
        self.join()
    return parse_tree_from_messages(self.forward_msgs())


def shared_bytecode(original):
    """ScriptCache.get_bytecode kept across AppTest runs, as a server keeps it for its lifetime (AppTest makes a new
    cache per run, so every full rerun would otherwise pay ~60 ms of compiling app.py and the page)."""
    compiled: dict[str, object] = {}

    def get_bytecode(self, script_path: str):
        if script_path not in compiled:
            compiled[script_path] = original(self, script_path)
        return compiled[script_path]

    return get_bytecode


ORIGINAL_RUN = LocalScriptRunner.run
LocalScriptRunner.run = fragment_run
script_runner.exec_func_with_error_handling = timed_exec(script_runner.exec_func_with_error_handling)
ScriptCache.get_bytecode = shared_bytecode(ScriptCache.get_bytecode)


def scenario_fragment_id(app: AppTest) -> str:
    """The id of the page's fragment that holds the sliders and the charts."""
    for fragment_id, wrapped in app._fragment_storage._fragments.items():
        for cell in wrapped.__closure__ or ():
            if getattr(cell.cell_contents, "__name__", "") == "scenario_section":
                return fragment_id
    raise LookupError("scenario_section fragment not found")


def outcome(app: AppTest) -> tuple:
    """What a change shows: the sentence and the main chart's data."""
    sentence = next(element.value for element in app.markdown if element.value.startswith("##### "))
    return sentence, app.get("vega_lite_chart")[0].proto.datasets[0].data.data


def percentile(values: list[float], fraction: float) -> float:
    """The fraction-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def set_slider(app: AppTest, key: str, value: float) -> None:
    """Move a slider, whatever its kind."""
    app.slider(key=key).set_value(value)


def time_page(repeat: int) -> dict[str, list[float]]:
    """Script times (ms) of the same slider changes as a fragment rerun and as a full rerun, interleaved."""
    fragment = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    full = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for app in (fragment, full):
        app.run()
        app.switch_page(PAGE).run()
    samples = {"fragment": [], "full": []}
    fragment_id = scenario_fragment_id(fragment)
    for round_number in range(repeat + 1):  # the first round warms the caches and is not counted
        for key, value in CHANGES:
            for name, app in (("fragment", fragment), ("full", full)):
                FRAGMENT_IDS[:] = [fragment_id] if name == "fragment" else []
                SCRIPT_TIMES.clear()
                set_slider(app, key, value)
                app.run()
                assert not app.exception, [exception.value for exception in app.exception]
                if round_number:
                    samples[name].append(sum(SCRIPT_TIMES))
            FRAGMENT_IDS.clear()
            # the fragment rerun did the same work: the same sentence and the same chart data as the full rerun
            assert outcome(fragment) == outcome(full), (key, value)
        for app in (fragment, full):  # back to the start so every round replays the same changes
            app.session_state["sc_preset"] = "cpb-juni"
            FRAGMENT_IDS.clear()
            app.run()
    assert fragment.session_state["sc_bbp2020"] == full.session_state["sc_bbp2020"]
    return samples


def pandas_projection(data_dir: Path, settings: scenario_settings.Settings, start: str) -> pd.DataFrame:
    """The same projection as `municipal.project` + `headline`, the simple way: read the CSVs, then pandas."""
    parameters = scenario_data.load(data_dir).parameters
    observations = pd.read_csv(data_dir / "demo" / "observations.csv", dtype={"period": str})
    areas = pd.read_csv(data_dir / "areas.csv")
    indicators = pd.read_csv(data_dir / "indicators.csv").set_index("indicator_id")
    codes = areas.loc[areas["area_type"] == "gemeente", "area_code"].tolist()
    rows = observations[
        observations["indicator_id"].isin(scenario_data.INDICATORS) & observations["area_code"].isin(codes)
    ]
    window = int(parameters.value("aansluiting_maanden", "regio"))
    effects = {variant: national.indicator_effects(settings, scenario_data.load(data_dir), variant)
               for variant in national.VARIANTS}  # fmt: skip
    months = pd.DataFrame({"period": national.MONTHS, "number": range(len(national.MONTHS))})
    start_number = national.MONTHS.index(start)
    half_life = parameters.value("aansluiting_halveringstijd", "regio")
    results = []
    for indicator in scenario_data.INDICATORS:
        own = rows[rows["indicator_id"] == indicator]
        is_stock = str(indicators.loc[indicator, "is_stock"]).lower() == "true"
        if is_stock:
            base = own[own["period"] == "2020-02"].set_index("area_code")["value"]
            anchor = own[own["period"] == start].set_index("area_code")["value"]
        else:
            base = own[(own["period"] >= "2019-03") & (own["period"] <= "2020-02")].groupby("area_code")["value"].mean()
            recent = sorted(own.loc[own["period"] <= start, "period"].unique())[-window:]
            anchor = own[own["period"].isin(recent)].groupby("area_code")["value"].mean()
        grid = months.merge(pd.DataFrame({"area_code": codes}), how="cross")
        grid["base"] = grid["area_code"].map(base)
        grid["anchor"] = grid["area_code"].map(anchor)
        grid["sensitivity"] = grid["area_code"].map(dict(settings.gevoeligheid))
        grid["fade"] = 0.5 ** ((grid["number"] - start_number) / half_life)
        series = {}
        for name, effect in [("zonder_crisis", np.zeros(len(national.MONTHS)))] + [
            (variant, effects[variant][indicator]) for variant in national.VARIANTS
        ]:
            model = grid["base"] * (1 + grid["sensitivity"] * grid["number"].map(dict(enumerate(effect))))
            frame = grid.assign(model=model)
            if is_stock:
                level = frame[frame["number"] == start_number].set_index("area_code")["model"]
            else:
                before = pd.DataFrame({"area_code": codes, "model": base.reindex(codes).to_numpy()})
                padded = pd.concat([before.assign(number=-offset) for offset in range(1, window + 1)] + [frame])
                chosen = padded[(padded["number"] > start_number - window) & (padded["number"] <= start_number)]
                level = chosen.groupby("area_code")["model"].mean()
            gap = (frame["anchor"] - frame["area_code"].map(level)).fillna(0)
            series[name] = (frame["model"] + gap * frame["fade"]).clip(lower=0)
        projected = grid.assign(**series)
        projected = projected[projected["number"] > start_number]
        runs = projected[list(national.VARIANTS)]
        projected = projected.assign(scenario=runs["centraal"], laag=runs.min(axis=1), hoog=runs.max(axis=1))
        region = projected.groupby("period", as_index=False)[["zonder_crisis", "scenario", "laag", "hoog"]].sum()
        projected = pd.concat([projected, region.assign(area_code=metadata.REGION_CODE)])
        columns = ["zonder_crisis", "scenario", "laag", "hoog"]
        if is_stock:
            headline = projected[projected["period"] == municipal.HORIZON_END][["area_code", *columns]]
        else:
            headline = projected.groupby("area_code", as_index=False)[columns].sum()
        results.append(headline.assign(indicator_id=indicator))
    return pd.concat(results, ignore_index=True)


def time_logic(repeat: int) -> tuple[dict[str, list[float]], float]:
    """Model logic alone (numpy) against the plain-pandas implementation, same settings; and their largest gap."""
    data = scenario_data.load()
    connection = db.open_warehouse()
    query = lambda name, **params: db.run_query(connection, name, **params)  # noqa: E731
    observed = municipal.observed(query, "2021-12")
    base = scenario_settings.default(data)
    samples = {"logic": [], "pandas": []}
    largest_gap = 0.0
    for round_number in range(repeat + 1):
        for key, value in CHANGES:
            field = {"sc_bbp2020": "bbp_2020", "sc_bbp2021": "bbp_2021", "sc_duur": "duur", "sc_steun": "steun"}.get(
                key
            )
            settings = scenario_settings.from_widget_state(
                {**scenario_settings.widget_state(base, data), key: value}, data
            ) if field is None else scenario_settings.Settings(**{**base.__dict__, field: value})  # fmt: skip
            start = time.perf_counter()
            model = municipal.headline(municipal.project(observed, settings, data))
            logic_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            plain = pandas_projection(paths.data_dir(), settings, observed.start)
            pandas_ms = (time.perf_counter() - start) * 1000
            if round_number:
                samples["logic"].append(logic_ms)
                samples["pandas"].append(pandas_ms)
            merged = model.merge(plain, on=["area_code", "indicator_id"], suffixes=("", "_pandas"))
            assert len(merged) == len(model) == len(plain)
            for column in ("zonder_crisis", "scenario", "laag", "hoog"):
                largest_gap = max(largest_gap, float((merged[column] - merged[f"{column}_pandas"]).abs().max()))
    return samples, largest_gap


def main() -> None:
    """Measure and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cycles of eight slider changes per row (default 3)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["RATC_WAREHOUSE"] = str(Path(folder) / "warehouse.duckdb")
        os.environ["RATC_STORE_URL"] = f"sqlite:///{Path(folder) / 'store.sqlite'}"
        warehouse.build(target=Path(os.environ["RATC_WAREHOUSE"]))
        page = time_page(arguments.repeat)
        logic, gap = time_logic(arguments.repeat)
    rows = [
        ("Fragment rerun (slider change), script time", page["fragment"]),
        ("Full-page rerun (same change), script time", page["full"]),
        ("Model logic only (ratc.scenario, numpy)", logic["logic"]),
        ("Plain pandas, CSVs read on every change", logic["pandas"]),
    ]
    baseline = statistics.median(logic["pandas"])
    print(f"Scenario's page, {len(page['fragment'])} slider changes per row (median and p90 in ms)\n")
    print(f"{'':46} {'median':>8} {'p90':>8} {'÷ pandas':>9}")
    for label, values in rows:
        median = statistics.median(values)
        print(f"{label:46} {median:8.1f} {percentile(values, 0.9):8.1f} {median / baseline:9.2f}")
    fragment, full = statistics.median(page["fragment"]), statistics.median(page["full"])
    print(f"\nFull rerun ÷ fragment rerun: {full / fragment:.1f}×; target for the fragment: under {TARGET_MS} ms "
          f"({'met' if fragment < TARGET_MS else 'NOT met'}).")  # fmt: skip
    print(f"Plain pandas against the model: largest difference {gap:.2e} (same numbers).")


if __name__ == "__main__":
    main()
