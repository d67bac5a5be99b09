"""A delivery as the upload page sees it: read and validated in one go, with file-level problems kept apart."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ratc.ingest import checking, reading


@dataclass(frozen=True)
class DeliveryCheck:
    """The outcome of checking an uploaded file: its validation, or the reasons it could not be read at all."""

    validation: checking.Validation | None
    file_errors: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    source: str | None = None


def check(content: bytes, file_name: str, replace: bool, layout: str = reading.AUTOMATIC) -> DeliveryCheck:
    """Read a file of the given layout and validate it against the metadata and the data already in the monitor."""
    try:
        read = reading.read_layout(content, file_name, layout)
    except reading.DeliveryError as exc:
        return DeliveryCheck(None, list(exc.messages))
    validation = checking.validate(
        read.rows, existing=checking.existing_observations(), replace=replace, allow_national=read.allow_national
    )
    return DeliveryCheck(validation, notes=read.notes, source=read.source)


def error_table(validation: checking.Validation) -> pd.DataFrame:
    """The row errors as a Dutch table, in file order."""
    return pd.DataFrame(
        {
            "Rij": [error.row for error in validation.errors],
            "Kolom": [error.column for error in validation.errors],
            "Probleem": [error.message for error in validation.errors],
        }
    )


def summary(validation: checking.Validation) -> pd.DataFrame:
    """What a valid delivery holds: rows per indicator with its first and last period."""
    rows = validation.rows
    grouped = rows.groupby("indicator_id").agg(
        rijen=("value", "size"), gemeenten=("area_code", "nunique"), van=("period", "min"), tot=("period", "max")
    )
    return grouped.reset_index().rename(
        columns={
            "indicator_id": "Indicator",
            "rijen": "Rijen",
            "gemeenten": "Gemeenten",
            "van": "Van",
            "tot": "Tot en met",
        }
    )
