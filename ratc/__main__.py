"""Command line: `build` the warehouse, regenerate the `demo` data, `fetch` public source data into `data/`."""

from __future__ import annotations

import argparse
import sys

from ratc import paths, warehouse


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
    """Regenerate the demo observations, record them in the ledger and rebuild."""
    from ratc import demo

    record = demo.write_and_register()
    print(f"demo data: {record.file_path} ({record.rows_accepted} rows, import {record.import_id})")
    warehouse.ensure(progress=_print_progress)
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download one kind of public source data into data/; a clear message and exit status 1 when that fails."""
    from ratc import fetch

    try:
        if args.what == "boundaries":
            target = fetch.download_boundaries(year=args.year, url=args.url)
            print(f"boundaries {args.year}: {target} (the ten municipalities; Bron: {fetch.SOURCE})")
    except fetch.FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m ratc", description="RAT-C monitor tools")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help=f"build the DuckDB warehouse from {paths.data_dir()}")
    build.add_argument("--if-stale", action="store_true", help="only when the sources changed")
    build.set_defaults(func=cmd_build)
    commands.add_parser("demo", help="regenerate the deterministic demo dataset").set_defaults(func=cmd_demo)
    fetch = commands.add_parser("fetch", help="download public source data into data/")
    fetch.add_argument(
        "what", choices=["boundaries"], help="boundaries: CBS's generalised municipality boundaries from PDOK"
    )
    fetch.add_argument("--year", type=int, default=2020, help="boundaries: the year of the division (default 2020)")
    fetch.add_argument("--url", help="download from this URL instead of PDOK (a mirror or a test server)")
    fetch.set_defaults(func=cmd_fetch)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
