"""Import a municipality's delivery: read what people actually send, validate every row, then commit all or nothing.

`import_file` ties the steps together: `ratc.ingest.reading` reads the file, `ratc.ingest.checking` checks its rows
and `ratc.ingest.commit` keeps a valid file all or nothing, with the ledger as the commit point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ratc.ingest import checking, commit, reading
from ratc.warehouse import lineage


@dataclass(frozen=True)
class ImportResult:
    """What `import_file` did: the validation, and the ledger record when the file was accepted."""

    validation: checking.Validation
    record: lineage.ImportRecord | None
    notes: tuple[str, ...] = ()


def import_file(
    path: Path | str,
    replace: bool = False,
    source: str | None = None,
    data_dir: Path | None = None,
    target: Path | None = None,
    progress: commit.Progress | None = None,
    layout: str = reading.AUTOMATIC,
) -> ImportResult:
    """Read, validate and (when valid) accept one file; DeliveryError when it cannot be read at all.

    `layout` is "automatisch" (recognised from the file's header; the default), "aanlevering" (the delivery
    template), "rivm" (RIVM's COVID-19 file per municipality, cumulative or per day, turned into weekly counts
    including the national total) or "cbs" (a CBS OData table as written by `python -m ratc fetch cbs TABLE` or
    as CBS's own v3/v4 response, such a table written out as CSV, a StatLine CSV export, or a CBS table per
    municipality code; columns are mapped onto indicators by `data/cbs_columns.csv`).
    """
    location = Path(path)
    try:
        content = location.read_bytes()
    except OSError as exc:
        reason = (
            "het bestaat niet"
            if isinstance(exc, FileNotFoundError)
            else ("er zijn geen leesrechten" if isinstance(exc, PermissionError) else "het is geen leesbaar bestand")
        )
        raise reading.DeliveryError([f"Het bestand {location} kan niet worden gelezen: {reason}."]) from exc
    layout_read = reading.read_layout(content, location.name, layout, data_dir)
    validation = checking.validate(
        layout_read.rows, data_dir=data_dir, replace=replace, allow_national=layout_read.allow_national
    )
    if not validation.ok:
        return ImportResult(validation, None, layout_read.notes)
    source = source or layout_read.source or location.name
    record = commit.accept(validation, content, location.name, source, data_dir, target, progress)
    return ImportResult(validation, record, layout_read.notes)
