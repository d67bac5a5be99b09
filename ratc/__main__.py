"""Command line: `build` the warehouse, regenerate the `demo` data, load `demo-store` content into the shared
store, `fetch` public source data into `data/`, `import` a municipality's delivery, write the delivery
`template`, write a `factsheet` or a scenario `paper`, and `serve` the app."""

from __future__ import annotations

import argparse
import sys

from ratc.core import paths
from ratc.warehouse import builder as warehouse


def _print_progress(fraction: float, message: str) -> None:
    """Show build progress on the terminal."""
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    """Build the warehouse (always, or only when stale with --if-stale)."""
    if args.if_stale:
        built = warehouse.ensure(progress=_print_progress)
        print("warehouse rebuilt" if built else "warehouse up to date")
    else:
        print(f"warehouse built: {warehouse.build(progress=_print_progress)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Regenerate the demo observations, record them in the ledger and rebuild; or with --remove, take them out."""
    from ratc.demo import generator as demo

    if args.remove:
        removed = demo.remove()
        for record in removed:
            print(f"demo data removed: import {record.import_id} ({record.file_path}, {record.rows_accepted} rows)")
        if not removed:
            print("no demo data in the ledger")
        warehouse.ensure(progress=_print_progress)
        print("the monitor now shows only real figures (python -m ratc demo brings the demo data back)")
        return 0
    record = demo.write_and_register()
    print(f"demo data: {record.file_path} ({record.rows_accepted} rows, import {record.import_id})")
    warehouse.ensure(progress=_print_progress)
    return 0


def cmd_demo_store(args: argparse.Namespace) -> int:
    """Load (or with --remove, remove) the demo continuity reports and initiatives in the shared store.

    The command line is trusted: whoever runs it on the server can read RATC_CONTINUITY_KEY and
    RATC_INITIATIVES_KEY anyway, so it passes keys.TRUSTED instead of asking for them.
    """
    from ratc.core import keys, store
    from ratc.demo import store_content as demo_store

    try:
        if args.remove:
            demo_store.remove(key=keys.TRUSTED)
            print(f"demo content removed from {store.describe()}")
            return 0
        loaded = demo_store.load(key=keys.TRUSTED)
    except store.StoreUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"demo content in {store.describe()}: {loaded.reports} continuity reports, {loaded.couplings} couplings, "
        f"{loaded.initiatives} initiatives, {loaded.coalitions} coalitions (earlier demo content replaced; "
        "real content untouched)"
    )
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download one kind of public source data into data/; a clear message and exit status 1 when that fails."""
    from ratc.ingest import fetch

    try:
        if args.what == "boundaries":
            target = fetch.download_boundaries(year=args.year, url=args.url)
            print(f"boundaries {args.year}: {target} (the ten municipalities; Bron: {fetch.SOURCE})")
        elif args.what == "rivm":
            target = fetch.download_rivm(url=args.url or fetch.RIVM_URL)
            print(f"rivm: {target} (Bron: {fetch.RIVM_SOURCE})")
        else:
            if not args.table:
                print("error: fetch cbs needs a table id, e.g. 82522NED", file=sys.stderr)
                return 2
            target = fetch.download_cbs_table(args.table)
            print(f"cbs {args.table}: {target} (Bron: CBS)")
    except fetch.FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Validate a delivery and import it all or nothing; every problem per row and exit status 1 when invalid."""
    from ratc.ingest import importer, reading

    try:
        result = importer.import_file(
            args.file, replace=args.replace, source=args.source, progress=_print_progress, layout=args.layout
        )
    except reading.DeliveryError as exc:
        for message in exc.messages:
            print(f"error: {message}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    if result.record is None:
        for error in result.validation.errors:
            print(f"error: {error.message}", file=sys.stderr)
        hint = " (--replace replaces existing values that differ)" if len(result.validation.changes) else ""
        print(f"{len(result.validation.errors)} problem(s); nothing was written{hint}", file=sys.stderr)
        return 1
    record = result.record
    for note in result.notes:
        print(f"note: {note}")
    print(f"import {record.import_id}: {record.rows_accepted} rows accepted from {args.file} ({record.file_path})")
    changes = result.validation.changes
    if len(changes):
        print(f"{len(changes)} existing value(s) replaced:")
        for change in changes.itertuples():
            print(
                f"  row {change.row}: {change.area_name}, {change.indicator_id}, {change.period}: "
                f"{change.old_value:g} -> {change.new_value:g}"
            )
    else:
        print("no existing values changed")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write the delivery template as CSV or, with --xlsx, as an Excel workbook."""
    from pathlib import Path

    from ratc.ingest import template

    xlsx = args.xlsx or args.out.lower().endswith(".xlsx")
    rows = None
    if args.current:
        from ratc.ingest import checking

        rows = template.rows_in_force(checking.existing_observations())
    Path(args.out).write_bytes(template.template_xlsx(rows=rows) if xlsx else template.template_csv(rows))
    print(f"template ({'xlsx' if xlsx else 'csv'}{f', {len(rows)} rows in force' if rows else ''}): {args.out}")
    return 0


def _paper_query():
    """The query function papers read the warehouse through (built first when it is stale)."""
    import functools

    from ratc.warehouse import db

    warehouse.ensure(progress=_print_progress)
    return functools.partial(db.run_query, db.open_warehouse())


def _write_paper(paper, formats: str, out: str | None) -> None:
    """Write a paper as DOCX and/or PDF into `out` (a folder, or a file whose suffix is replaced)."""
    from pathlib import Path

    from ratc.papers import pdf, word

    target = Path(out or ".")
    stem = target / paper.file_stem if target.is_dir() or not target.suffix else target.with_suffix("")
    writers = {"docx": word.to_docx, "pdf": pdf.to_pdf}
    for kind in writers if formats == "beide" else [formats]:
        path = stem.with_suffix(f".{kind}")
        path.write_bytes(writers[kind](paper))
        print(f"{kind}: {path}")


def cmd_factsheet(args: argparse.Namespace) -> int:
    """Write the factsheet of a municipality or the region, or with `alle` all of them as one zip."""
    from pathlib import Path

    from ratc.papers import bundle, factsheet, request

    query = _paper_query()
    try:
        chosen = request.context_for(query, None if args.area == "alle" else args.area, args.month)
    except request.RequestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.area != "alle":
        _write_paper(factsheet.factsheet(query, chosen, chosen.gemeente), args.format, args.out)
        return 0
    formats = bundle.FORMATS if args.format == "beide" else (args.format,)
    content = bundle.factsheets_zip(query, chosen, formats, progress=_print_progress)
    target = Path(args.out or ".")
    target = target / f"factsheets_{chosen.periode}.zip" if target.is_dir() or not target.suffix else target
    target.write_bytes(content)
    print(f"zip: {target}")
    return 0


def cmd_paper(args: argparse.Namespace) -> int:
    """Write the scenario paper for up to four scenarios, optionally with a hang-out session's conclusions."""
    import getpass

    from ratc.core import store
    from ratc.hangout import access, session
    from ratc.papers import conclusions, request, scenario_choices, scenario_paper
    from ratc.scenario import parameters

    query = _paper_query()
    data = parameters.load()
    try:
        chosen = request.context_for(query, args.area, args.month)
        choices = [scenario_choices.resolve(text, data) for text in args.scenario or ["cpb3"]]
        held = None
        if args.session:
            # asked without echo: a key among the arguments shows in the process list and the shell's history
            key = args.key if args.key is not None else getpass.getpass("Facilitatorsleutel van de sessie: ")
            held = conclusions.from_session(session.open_as_facilitator(args.session, key))
    except (request.RequestError, scenario_choices.ChoiceError, access.AccessDenied, store.StoreUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paper = scenario_paper.scenario_paper(query, choices, chosen.gemeente, chosen.periode, held)
    _write_paper(paper, args.format, args.out)
    return 0


def cmd_serve(options: list[str]) -> int:
    """Start the app, routed by st.navigation from the first request on."""
    from ratc.ui import serve

    return serve.serve(options)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        return cmd_serve(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m ratc", description="RAT-C monitor tools")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help=f"build the DuckDB warehouse from {paths.data_dir()}")
    build.add_argument("--if-stale", action="store_true", help="only when the sources changed")
    build.set_defaults(func=cmd_build)
    demo_data = commands.add_parser(
        "demo", help="regenerate the deterministic demo dataset (an indicator with real figures never uses it)"
    )
    demo_data.add_argument("--remove", action="store_true", help="remove the demo data: a monitor of real figures only")
    demo_data.set_defaults(func=cmd_demo)
    demo_content = commands.add_parser(
        "demo-store",
        help="load the demo continuity reports and initiatives into the shared store (RATC_STORE_URL); trusted: "
        "no RATC_CONTINUITY_KEY / RATC_INITIATIVES_KEY is asked",
    )
    demo_content.add_argument("--remove", action="store_true", help="remove the demo content instead")
    demo_content.set_defaults(func=cmd_demo_store)
    fetch = commands.add_parser("fetch", help="download public source data into data/")
    fetch.add_argument(
        "what",
        choices=["boundaries", "rivm", "cbs"],
        help="boundaries: CBS's generalised municipality boundaries from PDOK; rivm: RIVM COVID-19 per municipality "
        "per day; cbs: a CBS StatLine table through OData",
    )
    fetch.add_argument("table", nargs="?", help="cbs: the table id, e.g. 82522NED")
    fetch.add_argument("--year", type=int, default=2020, help="boundaries: the year of the division (default 2020)")
    fetch.add_argument("--url", help="download from this URL instead of PDOK (a mirror or a test server)")
    fetch.set_defaults(func=cmd_fetch)
    delivery = commands.add_parser("import", help="validate a municipality's delivery (CSV or XLSX) and import it")
    delivery.add_argument("file", help="the delivered file")
    delivery.add_argument("--replace", action="store_true", help="replace existing values that differ")
    delivery.add_argument("--source", help="who delivered it (default: the file name)")
    delivery.add_argument(
        "--layout", choices=["automatisch", "aanlevering", "rivm", "cbs"], default="automatisch",
        help="automatisch (default): recognised from the file's header; aanlevering: the delivery template; "
        "rivm: RIVM's COVID-19 file per municipality; cbs: a CBS OData table (written by `fetch cbs` or CBS's own "
        "v3/v4 response, or written out as CSV), a StatLine CSV export or a CBS table per municipality code "
        "(columns mapped in data/cbs_columns.csv)",
    )  # fmt: skip
    delivery.set_defaults(func=cmd_import)
    # listed for --help; its options go to streamlit unparsed (see main)
    commands.add_parser(
        "serve", help="start the app (streamlit run app.py); further options go to streamlit, e.g. --server.port 8502"
    )
    sheet = commands.add_parser("template", help="write the delivery template")
    sheet.add_argument("out", help="the file to write (.csv or .xlsx)")
    sheet.add_argument("--xlsx", action="store_true", help="an Excel workbook with reference sheets")
    sheet.add_argument(
        "--current", action="store_true", help="filled with the municipalities' figures in force instead of examples"
    )
    sheet.set_defaults(func=cmd_template)
    formats = {"choices": ["docx", "pdf", "beide"], "default": "beide", "help": "docx, pdf or beide (default)"}
    month = {"help": "the 'stand per' month, YYYY-MM (default: the latest)"}
    out = {"help": "a folder, or a file name whose suffix becomes .docx/.pdf (.zip for alle); default: here"}
    sheet = commands.add_parser("factsheet", help="write a municipality's or the region's factsheet (Word and PDF)")
    sheet.add_argument("area", help="a municipality (CBS code or name, e.g. GM0505 or dordrecht), regio, or alle "
                       "(all factsheets in one zip)")  # fmt: skip
    sheet.add_argument("--month", **month)
    sheet.add_argument("--format", **formats)
    sheet.add_argument("--out", **out)
    sheet.set_defaults(func=cmd_factsheet)
    paper = commands.add_parser("paper", help="write the scenario paper (Word and PDF) for up to four scenarios")
    paper.add_argument("--scenario", action="append", help="a preset id (cpb1 … cpb4, cpb-juni, geen-crisis), a "
                       "share link or its parameters (scenario=cpb3&duur=9), or a saved scenario's name or id; "
                       "repeat for up to four (default: cpb3)")  # fmt: skip
    paper.add_argument("--area", help="a municipality (CBS code or name); default: the region")
    paper.add_argument("--month", **month)
    paper.add_argument("--session", help="a hang-out's join code: its ranked cards and actions fill the conclusions")
    paper.add_argument("--key", help="the session's facilitator key (with --session); asked without echo when left "
                       "out, which keeps it out of the process list and the shell's history")  # fmt: skip
    paper.add_argument("--format", **formats)
    paper.add_argument("--out", **out)
    paper.set_defaults(func=cmd_paper)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
