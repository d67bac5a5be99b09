"""Command line: `python -m ratc build` builds the warehouse, `python -m ratc demo` regenerates the demo data."""

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


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m ratc", description="RAT-C monitor tools")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help=f"build the DuckDB warehouse from {paths.data_dir()}")
    build.add_argument("--if-stale", action="store_true", help="only when the sources changed")
    build.set_defaults(func=cmd_build)
    commands.add_parser("demo", help="regenerate the deterministic demo dataset").set_defaults(func=cmd_demo)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
