"""The session report as one self-contained HTML file: images as data URIs, no scripts, no external references, and
every text escaped.
"""

from __future__ import annotations

import base64
import html

from ratc.hangout import views
from ratc.hangout.report import (
    DEFAULT_INTRODUCTION,
    Report,
    action_rows,
    card_rows,
    colophon,
    group_title,
    headline_table,
    participant_lines,
    participant_sentence,
    placement_rows,
    subtitle,
)


def to_html(report: Report) -> str:
    """The report as one self-contained HTML file: images as data URIs, no scripts, no external references."""
    info = report.session
    out = [f"<h1>Verslag hang-out: {_e(info.title)}</h1>", f"<p class='sub'>{_e(subtitle(report))}</p>"]
    if report.is_demo:
        out.append("<p class='demo'>Demodata: cijfers in dit verslag zijn gegenereerd voor demonstratie en "
                   "training; elke grafiek met demodata zegt het in haar bronregel.</p>")  # fmt: skip
    out.append("<h2>Inleiding</h2>")
    out += [f"<p>{_e(part)}</p>" for part in (info.introduction or DEFAULT_INTRODUCTION).split("\n\n")]
    out.append("<h2>Deelnemers</h2>")
    named, anonymous = participant_lines(report)
    if named:
        out.append(_html_table(["Naam", "Rol"], named))
    out.append(f"<p>{_e(participant_sentence(len(report.participants), anonymous))}</p>")
    for section in report.themes:
        out.append(f"<h2>Thema: {_e(section.name)}</h2>")
        if section.description:
            out.append(f"<p>{_e(section.description)}</p>")
        if section.views:
            out.append("<h3>Beelden uit de monitor</h3>")
        for view in section.views:
            out.append(f"<h4>{_e(view.pinned.title)}</h4>")
            if view.png:
                figure = view.rendered.figure
                out.append(f"<figure><img alt='{_e(figure.description)}' src='{_data_uri(view.png)}'></figure>")
            else:
                out.append(f"<p class='note'>Deze weergave kon niet worden getekend: {_e(view.problem)}</p>")
            if view.pinned.note:
                out.append(f"<p>{_e(view.pinned.note)}</p>")
            if view.rendered:
                out.append(_html_table(["Instelling", "Waarde"], [list(item) for item in view.rendered.settings]))
                out.append(_headline_html(view.rendered))
        out.append("<h3>Kaarten</h3>")
        if not section.groups:
            out.append("<p>Bij dit thema zijn geen kaarten geschreven.</p>")
        for group in section.groups:
            if group.name or len(section.groups) > 1:
                out.append(f"<h4>{_e(group_title(group))}</h4>")
            out.append(_html_table(["Stippen", "Soort", "Kaart"], card_rows(report, group)))
        if section.placement_png:
            out.append("<h3>Impact × invloed</h3>")
            out.append(f"<figure><img class='square' alt='Impact × invloed' "
                       f"src='{_data_uri(section.placement_png)}'></figure>")  # fmt: skip
            out.append(_html_table(["Nr.", "Kaart", "Kwadrant", "Impact", "Invloed"],
                                   placement_rows(section.placement_table)))  # fmt: skip
        if section.actions:
            out.append("<h3>Afgesproken bij dit thema</h3><ul>")
            out += [f"<li>{_e(action.description)} — {_e(action.owner)}</li>" for action in section.actions]
            out.append("</ul>")
    out.append("<h2>Afgesproken acties</h2>")
    rows = action_rows(report)
    out.append(_html_table(["Actie", "Eigenaar", "Uiterlijk", "Thema"], rows) if rows
               else "<p>Er zijn geen acties vastgelegd.</p>")  # fmt: skip
    if report.practices:
        out.append("<h2>Goede praktijken</h2>")
        for practice in report.practices:
            out.append(f"<h4>{_e(practice.label)}</h4><p>{_e(practice.description)}</p>")
            details = [("Thema", practice.theme), ("Contact", practice.contact), ("Link", practice.link)]
            out.append(_html_table(["", ""], [[label, value] for label, value in details if value]))
    out.append(f"<p class='colophon'>{_e(colophon(report))}</p>")
    title = _e(f"Verslag hang-out: {info.title}")
    return (
        "<!DOCTYPE html>\n<html lang='nl'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{title}</title><style>{STYLE}</style></head><body><main>\n"
        + "\n".join(out)
        + "\n</main></body></html>\n"
    )


STYLE = (
    "body{font-family:Calibri,Helvetica,Arial,sans-serif;color:#1F2933;line-height:1.45;margin:0;background:#fff}"
    "main{max-width:860px;margin:0 auto;padding:24px}h1{font-size:1.9em}h2{border-bottom:2px solid #E69F00;"
    "padding-bottom:4px;margin-top:2em}p.sub{color:#52606D}p.demo{background:#FFF4E5;padding:8px 12px}"
    "p.note{color:#9A3412}figure{margin:1em 0}img{max-width:100%;height:auto}img.square{max-width:480px}"
    "table{border-collapse:collapse;width:100%;"
    "margin:.5em 0 1em}th,td{border:1px solid #CBD2D9;padding:4px 8px;text-align:left;vertical-align:top;"
    "white-space:pre-wrap}th{background:#F0F4F8}p.colophon{margin-top:3em;font-size:.85em;color:#52606D}"
)


def _headline_html(rendered: views.Rendered) -> str:
    """Headline numbers under a view, as HTML."""
    table = headline_table(rendered)
    if table is not None:
        return _html_table(*table)
    if rendered.figure is not None:
        return f"<p><strong>Kern:</strong> {_e(rendered.figure.description)}</p>"
    return ""


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    """An HTML table with every cell escaped."""
    head = "".join(f"<th>{_e(title)}</th>" for title in header) if any(header) else ""
    body = "".join("<tr>" + "".join(f"<td>{_e(value)}</td>" for value in row) + "</tr>" for row in rows)
    return f"<table>{f'<thead><tr>{head}</tr></thead>' if head else ''}<tbody>{body}</tbody></table>"


def _data_uri(png: bytes) -> str:
    """A PNG as a data URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _e(value: object) -> str:
    """Text escaped for HTML, quotes included."""
    return html.escape(str(value), quote=True)
