"""A delivered value against its indicator: the one value the sender meant, or a Dutch reason to refuse it.

Nothing is rounded and nothing is guessed. A count has no decimals, so in `1.500` or `1,500` the separator can
only group thousands (1500); `3,000` and `3.000` can still be 3000 or 3 and are refused, naming both readings.
A figure with decimals refuses every separator followed by exactly three digits (`1.500`: 1500 or 1,5). More
significant decimals than the indicator allows, and more digits than a stored number keeps, are refused too.
"""

from __future__ import annotations

from decimal import Decimal

from ratc.ingest import notation

# A float keeps 15 significant digits exactly; more would be stored as another number.
MAX_DIGITS = 15


def allowed_decimals(indicator) -> int:
    """How many decimals a value of this indicator may have: none for a count, else its `decimals`."""
    return 0 if indicator.is_count else int(indicator.decimals)


def read_value(cell: object, indicator) -> tuple[Decimal | None, str | None]:
    """The value a cell means for this indicator (None when unknown), or a Dutch message without the row prefix."""
    number = notation.read_number(cell)
    shown = number.shown
    if number.is_empty:
        return None, "waarde ontbreekt."
    if not number.readings:
        reason = f": het {number.problem}" if number.problem else ""
        return None, f"waarde '{shown}' is geen getal{reason}."
    candidates = number.readings
    decimals = None if indicator is None else allowed_decimals(indicator)
    if len(candidates) == 2 and decimals == 0:
        candidates = tuple(reading for reading in candidates if notation.decimals_of(reading.value) == 0)
    if len(candidates) > 1:
        return None, _ambiguous(shown, candidates, decimals)
    value = candidates[0].value
    if notation.significant_digits(value) > MAX_DIGITS:
        return None, (
            f"waarde '{shown}' heeft meer dan {MAX_DIGITS} cijfers; zo'n getal kan niet exact worden opgeslagen."
        )
    if indicator is None:
        return value, None
    name = indicator.indicator_id
    if decimals == 0 and notation.decimals_of(value) > 0:
        return None, f"waarde '{shown}' is geen geheel getal; {name} is een aantal. {_not_rounded(value, 0)}"
    if notation.decimals_of(value) > decimals:
        return None, (
            f"waarde '{shown}' heeft {notation.decimals_of(value)} decimalen; {name} heeft er hoogstens {decimals}. "
            + _not_rounded(value, decimals)
        )
    if indicator.is_count and value < 0:
        return None, f"waarde '{shown}' is negatief; {name} is een aantal."
    return value, None


def _ambiguous(shown: str, readings: tuple[notation.Reading, ...], decimals: int | None) -> str:
    first, second = readings
    text = (
        f"waarde '{shown}' is dubbelzinnig: {notation.plain_dutch(first.value)} {first.meaning}, "
        f"of {notation.plain_dutch(second.value)} {second.meaning}."
    )
    if decimals is not None and notation.decimals_of(second.value) > decimals:
        text += f" (In het tweede geval heeft het meer decimalen dan de {decimals} die de indicator toestaat.)"
    return (
        text + f" Schrijf het getal zonder scheidingsteken voor duizendtallen: {notation.plain_dutch(first.value)} "
        f"of {notation.plain_dutch(second.value)}."
    )


def _not_rounded(value: Decimal, decimals: int) -> str:
    """Why the monitor refuses instead of rounding, with a hint when the value is Excel's binary rest."""
    text = "De monitor rondt niet af: lever het getal zoals het bedoeld is"
    rounded = round(value, decimals)
    if abs(value - rounded) < Decimal("1e-6"):
        meant = notation.plain_dutch(rounded)
        text += (
            f". Het lijkt een rekenresultaat van Excel met een afrondingsrest (bedoeld: {meant}?); "
            "rond het in Excel af met AFRONDEN en lever opnieuw"
        )
    return text + "."
