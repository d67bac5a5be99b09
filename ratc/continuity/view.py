"""What the continuity pages show: the status matrix as a published figure, and Dutch tables of the escalation
list, the matches, the couplings and a municipality's history. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import altair as alt
import pandas as pd

from ratc.continuity.matching import capacity_text, matches
from ratc.continuity.region import CHANGES, Picture, escalations, matrix, needs, open_bottlenecks, picture
from ratc.continuity.reports import SOLUTIONS, STATUS_MEANING, catalogue
from ratc.core import charts, export, fmt, periods

SOURCE = "wekelijkse meldingen bedrijfsvoering van de gemeenten"
# Okabe-Ito hues, darkened where white text sits on them so it reads (contrast at least 4.5:1); every cell
# also says its status in words, so nobody has to tell colours apart.
STATUS_COLOURS = {"groen": "#00805C", "oranje": "#E69F00", "rood": "#C03C00"}
NO_REPORT_COLOUR = "#E4E7EB"
TEXT_ON = {"groen": "#FFFFFF", "oranje": "#1F2933", "rood": "#FFFFFF"}
NO_REPORT = "geen melding"
CELL_WIDTH, CELL_HEIGHT = 58, 26


def legend_label(status: str | None) -> str:
    """'rood: kritiek', or 'geen melding'."""
    return f"{status}: {STATUS_MEANING[status]}" if status else NO_REPORT


def week_label(week: str | None) -> str:
    """'week 14 2020', or '–'."""
    return periods.parse_period(week, "week").label if week else "–"


def week_options(today: dt.date | None = None, count: int = 8) -> dict[str, str]:
    """The weeks a report can be for: this week and the `count - 1` before it, newest first, with Dutch labels."""
    current = periods.period_containing(today or dt.date.today(), "week")
    options = {}
    for back in range(count):
        week = periods.period_containing(current.start - dt.timedelta(weeks=back), "week")
        suffix = " (deze week)" if back == 0 else " (vorige week)" if back == 1 else ""
        options[week.key] = f"{week.label}: {fmt.date_short(week.start)} – {fmt.date_short(week.end)}{suffix}"
    return options


def previous_text(previous) -> str:
    """What the form was prefilled with: 'Ingevuld met de melding van week 24 2020 (gemeld 12 jun 2020 10:00).'"""
    if previous is None:
        return "Dit is de eerste melding van deze gemeente: het formulier is leeg. Geef elk proces een status."
    who = f" door {previous.report.reporter}" if previous.report.reporter else ""
    return (
        f"Het formulier is ingevuld met de vorige melding: {week_label(previous.report.week)} (gemeld "
        f"{fmt.moment(previous.reported_at)}{who}). Pas aan wat veranderd is; de vorige melding blijft bewaard."
    )


def matrix_frame(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """The matrix with what the chart draws: cell text, colours, row label and tooltip texts."""
    frame = matrix(view, data_dir)
    frame["legenda"] = [legend_label(status) for status in frame["status"]]
    frame["cel"] = [
        f"{status} {CHANGES[change]}".strip() if status else "–"
        for status, change in zip(frame["status"], frame["verandering"], strict=True)
    ]
    frame["tekstkleur"] = [TEXT_ON.get(status, "#1F2933") for status in frame["status"]]
    frame["rij"] = [
        f"{name} · wk {periods.parse_period(week, 'week').number}" if week else f"{name} · {NO_REPORT}"
        for name, week in zip(frame["gemeente"], frame["week"], strict=True)
    ]
    frame["status_tekst"] = [legend_label(status) for status in frame["status"]]
    frame["vorige_tekst"] = [
        f"{legend_label(before)} ({week_label(week)})" if week else "geen eerdere melding"
        for before, week in zip(frame["vorige_status"], frame["vorige_week"], strict=True)
    ]
    frame["verandering_tekst"] = [
        {"beter": "beter", "slechter": "slechter", "gelijk": "gelijk", "nieuw": "eerste melding"}.get(change, "–")
        for change in frame["verandering"]
    ]
    frame["week_tekst"] = [week_label(week) for week in frame["week"]]
    frame["verzuim_tekst"] = [
        "–" if value is None or pd.isna(value) else f"{fmt.number(value, 1)}%" for value in frame["ziekteverzuim_pct"]
    ]
    return frame


def matrix_chart(frame: pd.DataFrame) -> alt.HConcatChart:
    """Municipalities × processes coloured by status with the status in words, beside each row its staff absence."""
    rows = list(dict.fromkeys(frame["rij"]))
    columns = list(dict.fromkeys(frame["proces_kort"]))
    y = alt.Y("rij:N", sort=rows, title=None, axis=alt.Axis(domain=False, ticks=False, labelLimit=220,
                                                           labelFontSize=12))  # fmt: skip
    x = alt.X("proces_kort:N", sort=columns, title=None,
              axis=alt.Axis(orient="top", labelAngle=-40, labelAlign="left", domain=False, ticks=False,
                            labelFontSize=12, labelLimit=0))  # fmt: skip
    legend_order = [legend_label(status) for status in STATUS_COLOURS] + [NO_REPORT]
    colour = alt.Color(
        "legenda:N",
        title=None,
        scale=alt.Scale(domain=legend_order, range=[*STATUS_COLOURS.values(), NO_REPORT_COLOUR]),
        legend=alt.Legend(orient="top", direction="horizontal", symbolType="square", symbolSize=200,
                          labelFontSize=12, offset=6),
    )  # fmt: skip
    tooltip = [
        alt.Tooltip("gemeente:N", title="Gemeente"),
        alt.Tooltip("proces:N", title="Proces"),
        alt.Tooltip("status_tekst:N", title="Status"),
        alt.Tooltip("week_tekst:N", title="Melding"),
        alt.Tooltip("vorige_tekst:N", title="Vorige melding"),
        alt.Tooltip("verandering_tekst:N", title="Verandering"),
    ]
    base = alt.Chart(frame)
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(x=x, y=y, color=colour, tooltip=tooltip)
    words = base.mark_text(fontSize=11, fontWeight=600).encode(
        x=x, y=y, text="cel:N", color=alt.Color("tekstkleur:N", scale=None, legend=None), tooltip=tooltip
    )
    grid = alt.layer(cells, words).properties(width=alt.Step(CELL_WIDTH), height=alt.Step(CELL_HEIGHT))
    per_row = frame.drop_duplicates("rij")
    absence = (
        alt.Chart(per_row)
        .mark_text(fontSize=12, align="right")
        .encode(
            y=alt.Y("rij:N", sort=rows, title=None, axis=None),
            x=alt.value(44),
            text="verzuim_tekst:N",
            tooltip=[alt.Tooltip("gemeente:N", title="Gemeente"), alt.Tooltip("verzuim_tekst:N", title="Verzuim")],
        )
        .properties(width=48, height=alt.Step(CELL_HEIGHT), title=alt.TitleParams("Verzuim", fontSize=12,
                                                                                  fontWeight=400, anchor="end"))
    )  # fmt: skip
    return alt.hconcat(grid, absence, spacing=4).resolve_scale(color="independent")


def matrix_figure(view: Picture, made_on: dt.date | None = None, data_dir: Path | None = None) -> charts.Figure:
    """The matrix as a published figure: chart, data for download, a text description and a wide table."""
    frame = matrix_frame(view, data_dir)
    latest = max((week for week in frame["week"] if week), default=None)
    subtitle = (
        f"Laatste melding per gemeente, t/m {week_label(latest)} · ↑ beter, ↓ slechter dan de vorige melding · "
        "rechts het ziekteverzuim"
    )
    meta = charts.ChartMeta(
        title="Continuïteit van de bedrijfsvoering",
        subtitle=subtitle,
        source=SOURCE,
        file_stem=export.file_stem("bedrijfsvoering", week_label(latest) if latest else ""),
        is_demo=view.demo,
        made_on=made_on,
    )
    data = pd.DataFrame({
        "gemeentecode": frame["area_code"], "gemeente": frame["gemeente"], "week": frame["week"],
        "proces": frame["proces"], "status": frame["status"], "vorige_week": frame["vorige_week"],
        "vorige_status": frame["vorige_status"], "verandering": frame["verandering"],
        "ziekteverzuim_pct": frame["ziekteverzuim_pct"].astype("float64"),
    })  # fmt: skip
    return charts.make_figure(matrix_chart(frame), data, meta, describe_matrix(frame), matrix_table(frame))


def matrix_key(view: Picture) -> tuple:
    """What the matrix figure depends on: today's date (in its source line) and the reports it shows, which
    never change once stored; a new report or correction changes the key."""
    return (dt.date.today().isoformat(), view.demo, *sorted(int(number) for number in view.reports["report_id"]))


def stored_matrix_figure(demo: bool) -> charts.Figure:
    """The matrix figure read from the store, for `cache.stored(stored_matrix_figure, matrix_key(view), demo)`."""
    return matrix_figure(picture(demo))


def describe_matrix(frame: pd.DataFrame) -> str:
    """The matrix in sentences: how many processes are red and orange, the most red process, changes, gaps."""
    reported = frame[frame["status"].notna()]
    if reported.empty:
        return "Er zijn nog geen meldingen over de bedrijfsvoering."
    counts = reported["status"].value_counts()
    parts = [
        f"In de laatste meldingen staan {counts.get('rood', 0)} processen op rood, {counts.get('oranje', 0)} op "
        f"oranje en {counts.get('groen', 0)} op groen."
    ]
    red = reported[reported["status"] == "rood"]["proces"].value_counts()
    if not red.empty:
        most = red[red == red.max()].index.tolist()
        parts.append(f"Het vaakst rood: {_join(most)} ({_municipalities(int(red.max()))}).")
    changes = reported["verandering"].value_counts()
    parts.append(
        f"Ten opzichte van de vorige melding {changes.get('slechter', 0)} keer slechter en "
        f"{changes.get('beter', 0)} keer beter."
    )
    missing = sorted(set(frame.loc[frame["week"].isna(), "gemeente"]))
    if missing:
        parts.append(f"Nog geen melding van {_join(missing)}.")
    return " ".join(parts)


def cell_text(row: dict) -> str:
    """A matrix cell in words for the table: 'rood (slechter; was oranje)', 'groen', or '–' without a report."""
    if row["status"] is None:
        return "–"
    if row["verandering"] in ("gelijk", "nieuw"):
        return row["status"]
    return f"{row['status']} ({row['verandering']}; was {row['vorige_status']})"


def matrix_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The matrix as a Dutch table: a row per municipality, a column per process with status and change in words."""
    cells = frame.assign(tekst=[cell_text(row) for row in frame.to_dict("records")])
    wide = cells.pivot(index="gemeente", columns="proces", values="tekst")
    wide = wide.reindex(list(dict.fromkeys(frame["gemeente"])))[list(dict.fromkeys(frame["proces"]))]
    first = cells.drop_duplicates("gemeente").set_index("gemeente")
    wide.insert(0, "Verzuim", first["verzuim_tekst"])
    wide.insert(0, "Melding", first["week_tekst"])
    return wide.rename_axis(columns=None).reset_index().rename(columns={"gemeente": "Gemeente"})


def escalation_table(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """The escalation list in Dutch: the open knelpunten without a solution, the longest open first."""
    frame = escalations(view, data_dir)
    return pd.DataFrame({
        "Gemeente": frame["gemeente"],
        "Proces": frame["proces"],
        "Sinds": [_day(since) for since in frame["since"]],
        "Weken open": frame["weken_open"].astype("int64"),
        "Hulp nodig": ["ja" if needed else "nee" for needed in frame["help_needed"]],
        "Soort hulp": frame["soort_hulp_naam"].fillna("–"),
        "Melding": [week_label(week) for week in frame["week"]],
        "Knelpunt": frame["description"],
    })  # fmt: skip


def escalation_files(table: pd.DataFrame, demo: bool, made_on: dt.date | None = None) -> dict[str, Callable]:
    """The escalation list as CSV and Excel (with a sheet that says what it is, from where and when), each made
    by a function when it is asked for."""
    about = {
        "Titel": "Escalatielijst bedrijfsvoering: open knelpunten zonder oplossing",
        "Bron": SOURCE + (" (Demodata)" if demo else ""),
        "Gemaakt op": fmt.date_long(made_on or dt.date.today()),
    }
    return {"csv": lambda: export.table_csv(table), "xlsx": lambda: export.table_xlsx(table, about)}


def escalation_file_stem(demo: bool) -> str:
    """'escalatielijst' or 'escalatielijst_demodata'."""
    return export.file_stem("escalatielijst", "demodata" if demo else "")


def bottleneck_counts(view: Picture, data_dir: Path | None = None) -> dict[str, int]:
    """How many knelpunten are open, escalated (no solution), partly solved and asking for help."""
    frame = open_bottlenecks(view, data_dir)
    return {
        "open": len(frame),
        "zonder_oplossing": int((frame["solution"] == "nee").sum()) if len(frame) else 0,
        "deels": int((frame["solution"] == "deels").sum()) if len(frame) else 0,
        "hulpvragen": len(needs(view, data_dir)),
    }


def need_options(view: Picture, data_dir: Path | None = None) -> dict[str, str]:
    """Every need that has at least one uncoupled match: its key and a one-line label (plain text for a select box)."""
    vocabulary = catalogue(data_dir)
    found = matches(view, data_dir)
    open_pairs = found[~found["is_gekoppeld"].astype(bool)]
    wanted = needs(view, data_dir).set_index("bottleneck_key")
    options = {}
    for key in dict.fromkeys(open_pairs["bottleneck_key"]):
        row = wanted.loc[key]
        label = f"{row['gemeente']} · {row['proces']} · {vocabulary.help_kinds[row['help_kind']]}: {row['description']}"
        options[key] = _shorten(label, 140)
    return options


def offer_options(view: Picture, bottleneck_key: str, data_dir: Path | None = None) -> dict[str, str]:
    """The uncoupled offers for one need, best first: key and 'rank. Municipality: offer (nog 1 van 2 medewerkers
    vrij; week 20 2020; score 3,9)'."""
    vocabulary = catalogue(data_dir)
    found = matches(view, data_dir)
    found = found[(found["bottleneck_key"] == bottleneck_key) & ~found["is_gekoppeld"].astype(bool)]
    return {
        row.offer_key: _shorten(f"{row.rang}. {vocabulary.municipalities[row.offer_area]}: {row.offer_description} "
                                f"(nog {row.capaciteit_over} van {capacity_text(row.capaciteit_aantal, row.eenheid)} "
                                f"vrij; {week_label(row.offer_week)}; score {fmt.number(row.score, 1)})", 200)
        for row in found.itertuples()
    }  # fmt: skip


def needs_table(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """Every open request for help, in Dutch: who asks what, the best offer from another municipality, how many
    municipalities offer this kind of help, and who was already coupled. 'geen aanbod' shows where nobody can help."""
    vocabulary = catalogue(data_dir)
    wanted = needs(view, data_dir)
    found = matches(view, data_dir)
    best = found[found["rang"] == 1].set_index("bottleneck_key")
    offering = found.groupby("bottleneck_key")["offer_area"].nunique()
    coupled = (
        found[found["is_gekoppeld"].astype(bool)]
        .groupby("bottleneck_key")["offer_area"]
        .agg(lambda codes: ", ".join(vocabulary.municipalities[code] for code in codes))
    )
    keys = wanted["bottleneck_key"]
    scores = [float(best.loc[key, "score"]) if key in best.index else -1.0 for key in keys]
    table = pd.DataFrame({
        "Gemeente": wanted["gemeente"],
        "Proces": wanted["proces"],
        "Soort hulp": wanted["soort_hulp_naam"],
        "Oplossing": wanted["solution"].map(SOLUTIONS),
        "Beste aanbod van": [vocabulary.municipalities[best.loc[key, "offer_area"]] if key in best.index
                             else "geen aanbod" for key in keys],
        "Score": [fmt.number(score, 1) if score >= 0 else "–" for score in scores],
        "Aanbieders": [int(offering.get(key, 0)) for key in keys],
        "Gekoppeld met": [coupled.get(key, "") for key in keys],
        "Knelpunt": wanted["description"],
        "volgorde": scores,
    })  # fmt: skip
    # the best chances of help first; requests nobody can answer now at the end
    return table.sort_values("volgorde", ascending=False, kind="stable").drop(columns="volgorde").reset_index(drop=True)


def offers_table(view: Picture, bottleneck_key: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The ranked offers for one request for help, in Dutch, with the score and why."""
    vocabulary = catalogue(data_dir)
    found = matches(view, data_dir)
    found = found[found["bottleneck_key"] == bottleneck_key]
    return pd.DataFrame({
        "Rang": found["rang"].astype("int64"),
        "Aanbieder": found["offer_area"].map(vocabulary.municipalities),
        "Aanbod": found["offer_description"],
        "Capaciteit": [capacity_text(amount, unit, note) for amount, unit, note in
                       zip(found["capaciteit_aantal"], found["eenheid"], found["capacity"], strict=True)],
        "Nog vrij": found["capaciteit_over"].astype("int64"),
        "Melding": [week_label(week) for week in found["offer_week"]],
        "Score": [fmt.number(score, 1) for score in found["score"]],
        "Waarom": found["uitleg"],
        "Gekoppeld": ["ja" if coupled else "" for coupled in found["is_gekoppeld"]],
    }).reset_index(drop=True)  # fmt: skip


def couplings_table(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """The recorded couplings, newest first, in Dutch."""
    vocabulary = catalogue(data_dir)
    frame = view.couplings
    return pd.DataFrame({
        "Vastgelegd": [fmt.moment(value) for value in frame["recorded_at"]],
        "Gemeente met knelpunt": frame["need_area"].map(vocabulary.municipalities),
        "Helpende gemeente": frame["offer_area"].map(vocabulary.municipalities),
        "Proces": frame["process_id"].map(vocabulary.processes),
        "Soort hulp": frame["help_kind"].map(vocabulary.help_kinds),
        "Aantal": frame["units"].fillna(1).astype("int64"),
        "Notitie": frame["note"],
        "Door": frame["recorded_by"],
    })  # fmt: skip


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A municipality's reports, newest first, in Dutch; a corrected version says so."""
    return pd.DataFrame({
        "Week": [week_label(week) for week in frame["week"]],
        "Gemeld": [fmt.moment(value) for value in frame["reported_at"]],
        "Melder": frame["reporter"].replace("", "–"),
        "Verzuim": [f"{fmt.number(value, 1)}%" for value in frame["staff_absence_pct"]],
        "Groen": frame["groen"].fillna(0).astype("int64"),
        "Oranje": frame["oranje"].fillna(0).astype("int64"),
        "Rood": frame["rood"].fillna(0).astype("int64"),
        "Knelpunten": frame["knelpunten"].astype("int64"),
        "Zonder oplossing": frame["zonder_oplossing"].astype("int64"),
        "Versie": ["vervangen door een correctie" if old else "geldend" for old in frame["is_vervangen"]],
    })  # fmt: skip


def solution_label(code: str) -> str:
    """'Ja', 'Deels', 'Nee'."""
    return SOLUTIONS.get(code, code)


def _day(value: object) -> str:
    """A date as 31-03-2020."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day:%d-%m-%Y}"


def _join(names: list[str]) -> str:
    """'A', 'A en B', 'A, B en C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def _municipalities(count: int) -> str:
    """'1 gemeente', '3 gemeenten'."""
    return "1 gemeente" if count == 1 else f"{count} gemeenten"


def _shorten(label: str, limit: int) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    flat = " ".join(label.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
