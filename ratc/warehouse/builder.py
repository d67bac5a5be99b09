"""Build the DuckDB warehouse from the sources in `data/`: idempotent, atomic, and only when the sources changed.

Every build runs under one lock, a file beside the warehouse (`.warehouse.duckdb.lock`) held with flock(2): it
holds between threads, processes and replicas that share the folder, so two of them never build at once and
the second finds the warehouse current when the first is done. A build writes a temporary file of its own
(process id and a random part in its name) and swaps the pointer in one rename.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd

from ratc.core import metadata, paths
from ratc.core.periods import parse_period
from ratc.warehouse import baseline, lineage

# Bump when the warehouse layout changes, so existing warehouses are rebuilt.
SCHEMA_VERSION = "2"
BUILD_STEPS_DIR = paths.queries_dir() / "build"
METADATA_FILES = ("areas.csv", "domains.csv", "indicators.csv", lineage.LEDGER_FILE)
BUILD_MODULES = (
    "warehouse/builder.py",
    "core/metadata.py",
    "warehouse/baseline.py",
    "core/periods.py",
    "warehouse/lineage.py",
)

# "0" on replicas that only read the warehouse (docs/DEPLOY.md): a page view then never builds.
BUILD_IN_APP_VARIABLE = "RATC_BUILD_IN_APP"

Progress = Callable[[float, str], None]


class Outcome(enum.Enum):
    """What `refresh` did: the warehouse was current, it built a new one, or another build was running."""

    CURRENT = "current"
    BUILT = "built"
    BUSY = "busy"


def fingerprint(data_dir: Path | None = None) -> str:
    """A hash of everything a build reads: metadata, the ledger (with its checksums), build SQL and build code."""
    base = data_dir or paths.data_dir()
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in METADATA_FILES:
        path = base / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    for step in sorted(BUILD_STEPS_DIR.glob("*.sql")):
        digest.update(step.read_bytes())
    for module in BUILD_MODULES:  # code that shapes the tables: a change there must rebuild too
        digest.update((Path(__file__).parents[1] / module).read_bytes())
    return digest.hexdigest()


def built_fingerprint(target: Path | None = None) -> str | None:
    """The fingerprint the current warehouse was built from, or None when it is missing or unreadable."""
    location = _resolve(target or paths.warehouse_path())
    if location is None:
        return None
    try:
        with duckdb.connect(str(location), read_only=True) as con:
            return con.execute("select fingerprint from build_info").fetchone()[0]
    except (duckdb.Error, TypeError):
        return None


def is_current(data_dir: Path | None = None, target: Path | None = None) -> bool:
    """Whether the warehouse file was built from the current sources (judged by its fingerprinted name)."""
    location = _resolve(target or paths.warehouse_path())
    return location is not None and location.name == _versioned_name(
        target or paths.warehouse_path(), fingerprint(data_dir)
    )


def ensure(data_dir: Path | None = None, target: Path | None = None, progress: Progress | None = None) -> bool:
    """Build the warehouse when it is missing, unreadable or older than its sources; True when it built.

    When another process is building, this waits for it and then finds the warehouse current.
    """
    return refresh(data_dir, target, progress) is Outcome.BUILT


def refresh(data_dir: Path | None = None, target: Path | None = None, progress: Progress | None = None,
            *, wait: bool = True) -> Outcome:  # fmt: skip
    """Bring the warehouse up to date under the build lock: CURRENT, BUILT, or (only with `wait=False`) BUSY when
    another thread, process or replica holds the lock; the current file then stays in use."""
    base, pointer = data_dir or paths.data_dir(), target or paths.warehouse_path()
    wanted = fingerprint(base)
    if built_fingerprint(pointer) == wanted:
        return Outcome.CURRENT
    with _build_lock(pointer, wait=wait) as held:
        if not held:
            return Outcome.BUSY
        if built_fingerprint(pointer) == wanted:  # the build we waited for made it
            return Outcome.CURRENT
        _build(base, pointer, progress)
    return Outcome.BUILT


def build(data_dir: Path | None = None, target: Path | None = None, progress: Progress | None = None) -> Path:
    """Build a fresh warehouse file and swap it in atomically, under the build lock; the file the pointer names."""
    base, pointer = data_dir or paths.data_dir(), target or paths.warehouse_path()
    with _build_lock(pointer, wait=True):
        return _build(base, pointer, progress)


def may_build_in_app(target: Path | None = None) -> bool:
    """Whether a page view may build: not when RATC_BUILD_IN_APP is 0 or the warehouse folder is read-only."""
    if os.environ.get(BUILD_IN_APP_VARIABLE, "1").strip().lower() in ("0", "false", "nee", "no"):
        return False
    folder = (target or paths.warehouse_path()).parent
    while not folder.exists() and folder != folder.parent:  # a first build creates the folder
        folder = folder.parent
    return os.access(folder, os.W_OK)


def _build(base: Path, pointer: Path, progress: Progress | None) -> Path:
    """`build` itself; the caller holds the build lock."""
    report = progress or (lambda fraction, message: None)
    pointer.parent.mkdir(parents=True, exist_ok=True)
    wanted = fingerprint(base)
    final = pointer.with_name(_versioned_name(pointer, wanted))
    _remove_leftovers(pointer)
    # unique per build, not per process: sessions of one replica are threads of one process
    scratch = final.with_name(f"{final.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        _write(base, scratch, wanted, report)
        report(0.95, "Nieuwe versie in gebruik nemen")
        os.replace(scratch, final)
    finally:
        for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
            leftover.unlink(missing_ok=True)
    _swap_pointer(pointer, final)
    _remove_old_versions(pointer, keep=final)
    report(1.0, "Klaar")
    return final


def _write(base: Path, scratch: Path, wanted: str, report: Progress) -> None:
    """Read the sources and write every table of the warehouse into the file `scratch`."""
    report(0.05, "Metadata lezen")
    areas, indicators = metadata.read_areas(base), metadata.read_indicators(base)
    records = lineage.read_ledger(base)
    report(0.15, "Controlesommen van de bronbestanden controleren")
    lineage.verify(records, base)
    report(0.3, "Bronbestanden inlezen")
    raw = _read_sources(records, base)
    periods = _periods_frame(raw, indicators)

    report(0.5, "Warehouse opbouwen")
    with duckdb.connect(str(scratch)) as con:
        con.execute("set enable_progress_bar = false")  # a build of millions of rows drew bars into the server log
        for name, frame in {
            "areas": areas,
            "domains": metadata.read_domains(base),
            "indicators": indicators,
            "imports": _imports_frame(records),
            "raw_observations": raw,
            "periods": periods,
            "baseline_windows": baseline.windows_frame(),
            "build_info": pd.DataFrame({"fingerprint": [wanted], "schema_version": [SCHEMA_VERSION]}),
        }.items():
            con.from_df(frame).create(name)
        steps = sorted(BUILD_STEPS_DIR.glob("*.sql"))
        for number, step in enumerate(steps, start=1):
            report(0.5 + 0.4 * number / len(steps), f"Stap {number} van {len(steps)}: {step.stem}")
            con.execute(step.read_text(encoding="utf-8"))
        con.execute("checkpoint")


def current_file(target: Path | None = None) -> Path | None:
    """The warehouse file the pointer currently names, if it exists."""
    return _resolve(target or paths.warehouse_path())


def _read_sources(records: list[lineage.ImportRecord], data_dir: Path) -> pd.DataFrame:
    """All accepted observation files in the canonical layout, tagged with their import id and whether it is demo."""
    frames = [
        pd.read_csv(
            data_dir / record.file_path,
            dtype={"area_code": str, "indicator_id": str, "period": str, "value": "float64"},
        ).assign(import_id=record.import_id, is_demo=record.is_demo)
        for record in records
    ]
    columns = ["indicator_id", "area_code", "period_key", "value", "import_id", "is_demo"]
    types = {"indicator_id": str, "area_code": str, "period_key": str, "value": "float64", "import_id": "int64",
             "is_demo": bool}  # fmt: skip
    if not frames:
        return pd.DataFrame({column: pd.Series(dtype=kind) for column, kind in types.items()})
    combined = pd.concat(frames, ignore_index=True).rename(columns={"period": "period_key"})
    return combined[columns].astype(types)


def _periods_frame(raw: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Dates, year and number of every period that occurs in the sources."""
    frequency_of = dict(zip(indicators["indicator_id"], indicators["frequency"], strict=True))
    # distinct pairs first: a Python loop over every row took 20 s for 4 million rows (bench/run.py)
    distinct = raw[["indicator_id", "period_key"]].drop_duplicates()
    pairs = {
        (frequency_of[indicator], key)
        for indicator, key in zip(distinct["indicator_id"], distinct["period_key"], strict=True)
        if indicator in frequency_of
    }
    rows = []
    for frequency, key in sorted(pairs):
        period = parse_period(key, frequency)
        rows.append((frequency, key, period.start, period.end, period.year, period.number))
    frame = pd.DataFrame(
        rows,
        columns=["frequency", "period_key", "period_start_date", "period_end_date", "period_year", "period_number"],
    )
    return frame.astype({"period_start_date": "datetime64[s]", "period_end_date": "datetime64[s]"})


def _imports_frame(records: list[lineage.ImportRecord]) -> pd.DataFrame:
    """The ledger as a table."""
    columns = [
        "import_id",
        "file_path",
        "source",
        "checksum_sha256",
        "imported_at",
        "rows_accepted",
        "is_demo",
        "description",
    ]
    return pd.DataFrame([[getattr(record, column) for column in columns] for record in records], columns=columns)


def _versioned_name(pointer: Path, wanted: str) -> str:
    """The file name of a build: the pointer's name plus the start of the source fingerprint."""
    return f"{pointer.stem}-{wanted[:16]}{pointer.suffix}"


def _resolve(pointer: Path) -> Path | None:
    """Follow the pointer to the warehouse file, or None."""
    if pointer.is_symlink() or pointer.exists():
        real = Path(os.path.realpath(pointer))
        return real if real.exists() else None
    return None


def _swap_pointer(pointer: Path, final: Path) -> None:
    """Point the stable warehouse path at the new file in one rename."""
    temporary = pointer.with_name(f".{pointer.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.link")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(final.name)
    os.replace(temporary, pointer)


def _remove_old_versions(pointer: Path, keep: Path) -> None:
    """Delete earlier warehouse files; connections that still have one open keep reading it."""
    for old in pointer.parent.glob(f"{pointer.stem}-*{pointer.suffix}"):
        if old != keep:
            old.unlink(missing_ok=True)


def _remove_leftovers(pointer: Path) -> None:
    """Delete temporary files of builds that died (the caller holds the lock, so no build is writing them)."""
    for pattern in (f"{pointer.stem}-*{pointer.suffix}.*.tmp*", f".{pointer.name}.*.link"):
        for leftover in pointer.parent.glob(pattern):
            leftover.unlink(missing_ok=True)


def lock_path(target: Path | None = None) -> Path:
    """The lock file beside the warehouse that every build holds."""
    pointer = target or paths.warehouse_path()
    return pointer.with_name(f".{pointer.name}.lock")


@contextlib.contextmanager
def _build_lock(pointer: Path, wait: bool = True) -> Iterator[bool]:
    """Hold the exclusive build lock; yields False (holding nothing) when `wait` is False and another holds it.

    flock(2) locks belong to an open file, so two threads of one process that each open the file exclude each
    other as two processes do; the kernel releases the lock when its holder dies.
    """
    pointer.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(pointer), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
