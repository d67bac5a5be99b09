"""Committing a valid delivery all or nothing: original and canonical rows kept, ledger entry, warehouse rebuilt.

One import at a time per data folder (a file lock); the original and its canonical rows are written append-only.
The ledger (`data/imports.csv`) is the commit point: files written before their ledger entry are ignored by the
build and removed by the next import, so a crash at any moment leaves ledger and warehouse consistent.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ratc.core import paths
from ratc.ingest import checking, reading
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

IMPORTS_DIR = "imports"
ORIGINALS_DIR = "originals"
# Kills the process at a named point inside `accept`, so a test can prove a crash there loses nothing.
CRASH_VARIABLE = "RATC_IMPORT_CRASH_AT"

Progress = Callable[[float, str], None]


def accept(
    validation: checking.Validation,
    original: bytes,
    file_name: str,
    source: str,
    data_dir: Path | None = None,
    target: Path | None = None,
    progress: Progress | None = None,
) -> lineage.ImportRecord:
    """Keep the original and its canonical rows append-only, commit them in the ledger, rebuild the warehouse."""
    if not validation.ok:
        raise reading.DeliveryError(["Het bestand bevat fouten; er is niets opgeslagen."])
    if validation.rows.empty:
        raise reading.DeliveryError(["Het bestand bevat geen waarnemingen; er is niets opgeslagen."])
    base = data_dir or paths.data_dir()
    report = progress or (lambda fraction, message: None)
    folder = base / IMPORTS_DIR
    (folder / ORIGINALS_DIR).mkdir(parents=True, exist_ok=True)
    report(0.02, "Aanlevering opslaan")
    with lineage.ledger_lock(base):
        _remove_orphans(base)
        if not validation.replace:
            # Data may have arrived since the file was validated; the check must hold at the commit point.
            checker = checking.RowChecker(base, allow_national=True)
            late = checking.changed_values(validation.rows, checking.existing_observations(base), checker)
            if len(late):
                raise reading.DeliveryError([error.message for error in checking.conflict_errors(late, checker)])
        records = lineage.read_ledger(base)
        number = max((record.import_id for record in records), default=0) + 1
        while any(folder.glob(f"{number:04d}_*")) or any((folder / ORIGINALS_DIR).glob(f"{number:04d}_*")):
            number += 1
        safe = _safe_name(file_name)
        original_path = folder / ORIGINALS_DIR / f"{number:04d}_{safe}"
        canonical_path = folder / f"{number:04d}_{Path(safe).stem}.csv"
        written: list[Path] = []
        committed = False
        try:
            _write_atomic(original_path, original)
            written.append(original_path)
            _write_atomic(canonical_path, canonical_bytes(validation.rows))
            written.append(canonical_path)
            _crash_point("after_files")
            report(0.08, "Import vastleggen in het importlogboek")
            record = lineage.register(
                canonical_path.relative_to(base).as_posix(),
                source or file_name,
                len(validation.rows),
                is_demo=False,
                description=_description(file_name, original, original_path.relative_to(base), validation),
                data_dir=base,
            )
            committed = True
        finally:
            if not committed:
                for path in written:
                    path.unlink(missing_ok=True)
    _crash_point("after_ledger")

    def build_progress(fraction: float, message: str) -> None:
        if fraction >= 0.95:
            _crash_point("before_swap")
        report(0.1 + 0.9 * fraction, message)

    warehouse.ensure(base, target, progress=build_progress)
    report(1.0, "Klaar")
    return record


def canonical_bytes(rows: pd.DataFrame) -> bytes:
    """The accepted rows in the canonical layout of data/demo/observations.csv."""
    lines = [",".join(checking.CANONICAL_COLUMNS)]
    for row in rows.itertuples():
        value = float(row.value)
        shown = str(int(value)) if value.is_integer() else repr(value)
        lines.append(f"{row.area_code},{row.indicator_id},{row.period},{shown}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _description(file_name: str, original: bytes, original_path: Path, validation: checking.Validation) -> str:
    """The ledger description: the original file, where it is kept, its checksum and what it replaced."""
    checksum = hashlib.sha256(original).hexdigest()
    text = f"Aanlevering {file_name}; origineel bewaard als {original_path.as_posix()} (sha256 {checksum})"
    if len(validation.changes):
        text += f"; vervangt {len(validation.changes)} bestaande waarden"
    return text


def _safe_name(file_name: str) -> str:
    """A file name safe on every file system: letters, digits, dot, dash and underscore."""
    name = Path(str(file_name).replace("\\", "/")).name
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "aanlevering"
    stem, suffix = os.path.splitext(safe)
    return stem[:80] + suffix[:10]


def _write_atomic(path: Path, content: bytes) -> None:
    """Write a new file via a temporary file, fsync and rename; never overwrite an existing one."""
    if path.exists():
        raise FileExistsError(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _remove_orphans(data_dir: Path) -> None:
    """Delete files an interrupted import left without a ledger entry; the build never read them."""
    folder = data_dir / IMPORTS_DIR
    referenced = {record.file_path for record in lineage.read_ledger(data_dir)}
    numbers = {Path(name).name.split("_", 1)[0] for name in referenced if name.startswith(f"{IMPORTS_DIR}/")}
    for path in folder.iterdir():
        if path.is_file() and (
            path.name.endswith(".tmp")
            or (re.match(r"\d{4,}_", path.name) and path.relative_to(data_dir).as_posix() not in referenced)
        ):
            path.unlink(missing_ok=True)
    for path in (folder / ORIGINALS_DIR).iterdir():
        if path.is_file() and (
            path.name.endswith(".tmp")
            or (re.match(r"\d{4,}_", path.name) and path.name.split("_", 1)[0] not in numbers)
        ):
            path.unlink(missing_ok=True)


def _crash_point(name: str) -> None:
    """Die at once, as a killed process would, when a test asks for it at this point."""
    if os.environ.get(CRASH_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
