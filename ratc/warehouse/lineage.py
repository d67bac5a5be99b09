"""The import ledger `data/imports.csv`: every accepted source file with its checksum, time and row count."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ratc.core import paths

LEDGER_FILE = "imports.csv"
# One writer of the ledger at a time per data folder: an import, or the removal of the demo data.
LOCK_FILE = "imports/.lock"


@dataclass(frozen=True)
class ImportRecord:
    """One accepted source file as recorded in the ledger."""

    import_id: int
    file_path: str
    source: str
    checksum_sha256: str
    imported_at: str
    rows_accepted: int
    is_demo: bool
    description: str


class LedgerError(RuntimeError):
    """The ledger and the files on disk disagree."""


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_ledger(data_dir: Path | None = None) -> list[ImportRecord]:
    """All ledger records in import order; an absent ledger is empty."""
    ledger = (data_dir or paths.data_dir()) / LEDGER_FILE
    if not ledger.exists():
        return []
    with open(ledger, newline="", encoding="utf-8") as handle:
        return [
            ImportRecord(
                import_id=int(row["import_id"]),
                file_path=row["file_path"],
                source=row["source"],
                checksum_sha256=row["checksum_sha256"],
                imported_at=row["imported_at"],
                rows_accepted=int(row["rows_accepted"]),
                is_demo=row["is_demo"] == "true",
                description=row["description"],
            )
            for row in csv.DictReader(handle)
        ]


def verify(records: list[ImportRecord], data_dir: Path | None = None) -> None:
    """Raise when a recorded file is missing or its bytes changed since it was accepted."""
    base = data_dir or paths.data_dir()
    for record in records:
        path = base / record.file_path
        if not path.exists():
            raise LedgerError(f"Bronbestand ontbreekt: {record.file_path} (import {record.import_id}).")
        if sha256_of(path) != record.checksum_sha256:
            raise LedgerError(
                f"Bronbestand {record.file_path} is gewijzigd na import {record.import_id}: "
                "de controlesom klopt niet meer."
            )


def register(
    file_path: str,
    source: str,
    rows_accepted: int,
    *,
    is_demo: bool,
    description: str,
    data_dir: Path | None = None,
) -> ImportRecord:
    """Append a file to the ledger, or return its existing record when the same bytes are already there."""
    base = data_dir or paths.data_dir()
    checksum = sha256_of(base / file_path)
    records = read_ledger(base)
    for record in records:
        if record.file_path == file_path and record.checksum_sha256 == checksum:
            return record
    record = ImportRecord(
        import_id=max((r.import_id for r in records), default=0) + 1,
        file_path=file_path,
        source=source,
        checksum_sha256=checksum,
        imported_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        rows_accepted=rows_accepted,
        is_demo=is_demo,
        description=description,
    )
    _write_ledger([r for r in records if r.file_path != file_path] + [record], base)
    return record


def unregister_demo(data_dir: Path | None = None) -> list[ImportRecord]:
    """Take every demo import out of the ledger (one atomic write); the records removed.

    Call it under `ledger_lock`. The files stay on disk: without a ledger entry the build never reads them.
    """
    base = data_dir or paths.data_dir()
    records = read_ledger(base)
    demo = [record for record in records if record.is_demo]
    if demo:
        _write_ledger([record for record in records if not record.is_demo], base)
    return demo


@contextlib.contextmanager
def ledger_lock(data_dir: Path | None = None) -> Iterator[None]:
    """Hold the data folder's ledger lock, so numbering, clean-up and ledger writes never race."""
    lock = (data_dir or paths.data_dir()) / LOCK_FILE
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_ledger(records: list[ImportRecord], data_dir: Path) -> None:
    """Write the ledger atomically."""
    target = data_dir / LEDGER_FILE
    temporary = target.with_suffix(".csv.tmp")
    names = [field.name for field in fields(ImportRecord)]
    with open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for record in records:
            row = asdict(record)
            row["is_demo"] = "true" if record.is_demo else "false"
            writer.writerow(row)
    temporary.replace(target)
