"""How people write a number, a period or an area name in a delivery's cell, and numbers written back in Dutch.

A number is read into every value it can mean, never into a guess: `1.234,5` and `1,234.5` mean one value each,
but `3,000` means three thousand to English Excel and three to Dutch Excel, so it has two readings and the
checks decide (`ratc.ingest.values`). Excel's numeric cells are read as Excel shows them (15 significant digits).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Excel keeps and shows 15 significant digits; a float's binary noise beyond them is not what anyone typed.
EXCEL_DIGITS = 15
GROUP_SPACES = " \u00a0\u202f\u2009"
_SPACE_GROUPS = re.compile(rf"(?<=\d)[{GROUP_SPACES}](?=\d{{3}}(?!\d))")
_DATE = re.compile(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")
SEPARATOR_NAMES = {",": "de komma", ".": "de punt"}
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober")
MONTHS_NL += ("november", "december")


@dataclass(frozen=True)
class Reading:
    """One value a written number can mean, with how its separator was read (Dutch, for messages)."""

    value: Decimal
    meaning: str = ""


@dataclass(frozen=True)
class Number:
    """A cell read as a number: its readings (none: no number, two: ambiguous) and, if none, why in Dutch."""

    shown: str
    readings: tuple[Reading, ...]
    problem: str = ""

    @property
    def is_empty(self) -> bool:
        """True when the cell holds nothing."""
        return not self.shown


def read_number(cell: object) -> Number:
    """Every value a cell can mean: text as Dutch and English spreadsheets write it, or an Excel number or date."""
    if cell is None:
        return Number("", ())
    if isinstance(cell, bool):
        return Number(str(cell), (), "is een ja/nee-waarde, geen getal")
    if isinstance(cell, dt.datetime | dt.date):
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return Number(
            day.isoformat(),
            (),
            f"is in Excel een datum ({day.day}-{day.month}-{day.year}); Excel maakt van een getal als 3.10 of 3-10 "
            "soms een datum. Zet de kolom op Getal of Tekst en typ het getal opnieuw",
        )
    if isinstance(cell, int):
        return Number(str(cell), (Reading(Decimal(cell)),))
    if isinstance(cell, float | Decimal):
        value = excel_decimal(cell)
        if value is None:
            return Number(str(cell), (), "is geen eindig getal")
        return Number(plain_dutch(value), (Reading(value),))
    return _read_text(str(cell))


def excel_decimal(number: float | Decimal) -> Decimal | None:
    """A numeric cell's value as Excel shows it: at most 15 significant digits, so 0.1+0.2 is 0.3; None if infinite."""
    if isinstance(number, float) and not math.isfinite(number):
        return None
    if isinstance(number, Decimal) and not number.is_finite():
        return None
    return Decimal(format(number, f".{EXCEL_DIGITS}g"))


def _read_text(text: str) -> Number:
    shown = text.strip()
    if not shown:
        return Number("", ())
    compact = _SPACE_GROUPS.sub("", shown.replace("\u2212", "-"))
    sign, body = ("-", compact[1:]) if compact[:1] == "-" else ("", compact.removeprefix("+"))
    readings = _readings(body)
    if readings:
        return Number(shown, tuple(Reading(_signed(sign, reading.value), reading.meaning) for reading in readings))
    return Number(shown, (), _why_no_number(compact))


def _readings(body: str) -> list[Reading]:
    """The values a number without sign can mean; empty when it is no number."""
    if re.fullmatch(r"\d+", body):
        return [Reading(Decimal(body))]
    for thousands, decimal in ((".", ","), (",", ".")):
        group = re.escape(thousands)
        if re.fullmatch(rf"[1-9]\d{{0,2}}({group}\d{{3}})+{re.escape(decimal)}\d+", body):
            return [Reading(Decimal(body.replace(thousands, "").replace(decimal, ".")))]
        if re.fullmatch(rf"[1-9]\d{{0,2}}({group}\d{{3}}){{2,}}", body):
            return [Reading(Decimal(body.replace(thousands, "")))]
    match = re.fullmatch(r"(\d*)([.,])(\d+)", body)
    if not match:
        return []
    whole, separator, fraction = match.groups()
    as_decimal = Decimal(f"{whole or '0'}.{fraction}")
    if re.fullmatch(r"[1-9]\d{0,2}", whole) and len(fraction) == 3:
        name = SEPARATOR_NAMES[separator]
        english = ", zoals in Engelse Excel"
        thousands = f"als {name} duizendtallen scheidt" + (english if separator == "," else "")
        decimal = f"als {name} het decimaalteken is" + (english if separator == "." else "")
        return [Reading(Decimal(whole + fraction), thousands), Reading(as_decimal, decimal)]
    return [Reading(as_decimal)]


def _signed(sign: str, value: Decimal) -> Decimal:
    return -value if sign == "-" else value


def _why_no_number(text: str) -> str:
    """Why a text is no number, in Dutch, when a common cause can be named; else empty."""
    if text.endswith("%"):
        return "eindigt op een %-teken; lever het getal zonder %"
    if any(symbol in text for symbol in "€$£"):
        return "bevat een valutateken; lever alleen het getal"
    if _SCIENTIFIC.fullmatch(text):
        return "staat in wetenschappelijke notatie; zet de kolom in Excel op Getal zonder decimalen en lever opnieuw"
    if _DATE.fullmatch(text):
        return "lijkt een datum; Excel maakt van een getal als 3.10 of 3-10 soms een datum"
    if re.fullmatch(r"\(\s*[\d.,\s]+\)", text):
        return "staat tussen haakjes; schrijf een negatief getal met een minteken"
    return ""


def decimals_of(value: Decimal) -> int:
    """The number of significant decimals: 12.50 has one, 1500 none."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def significant_digits(value: Decimal) -> int:
    """How many significant digits a value has (trailing zeros of a whole number not counted)."""
    return len(value.normalize().as_tuple().digits) if value else 1


def plain_dutch(value: Decimal | float) -> str:
    """A value with a decimal comma and without thousands separators, which no reader can misread: '2355,5'."""
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def parse_number(text: str) -> float | None:
    """A number written in one unambiguous way ('1.234,5', '12,5', '1234.5', '1 234'); None if none or ambiguous."""
    number = read_number(text)
    return float(number.readings[0].value) if len(number.readings) == 1 else None


def normalise_period(text: str) -> tuple[str, int, int] | None:
    """(frequency, year, number) of a period written as 2020-W14, 2020W14, 2020-04, 2020M04, 2020-Q2, 2020 K2, 2020."""
    compact = re.sub(r"\s+", "", text.upper())
    patterns = (
        ("week", r"(\d{4})-?W(\d{1,2})"),
        ("kwartaal", r"(\d{4})-?(?:Q|K|KW)0?(\d)"),
        ("maand", r"(\d{4})-(\d{1,2})"),
        ("maand", r"(\d{4})MM?(\d{2})"),
        ("maand", r"(\d{4})(\d{2})"),
        # Excel turns a typed 2020-04 into the date 1 April 2020
        ("maand", r"(\d{4})-(\d{2})-01(?:T?00:00(?::00)?)?"),
        ("jaar", r"(\d{4})()"),
    )
    for frequency, pattern in patterns:
        match = re.fullmatch(pattern, compact)
        if match:
            return frequency, int(match.group(1)), int(match.group(2) or 1)
    return None


def area_keys(code: str, name: str, slug: str) -> set[str]:
    """Every normalised way a delivery may name an area: code with or without GM and zeros, name, slug."""
    keys = {normalise_name(code), normalise_name(name), normalise_name(slug)}
    if re.fullmatch(r"GM\d+", code):
        digits = code[2:]
        keys |= {digits, digits.lstrip("0"), "gm" + digits.lstrip("0")}
    return keys


def normalise_name(text: str) -> str:
    """Lowercase without spacing, hyphens and a leading 'gemeente', so 'Hendrik Ido Ambacht' matches."""
    lowered = re.sub(r"\s+", " ", str(text).strip().lower())
    lowered = re.sub(r"^gemeente\s+", "", lowered)
    compact = re.sub(r"[\s\-_.']+", "", lowered)
    if re.fullmatch(r"(gm)?0*\d+", compact):
        compact = re.sub(r"^(gm)?0*", lambda match: match.group(1) or "", compact)
    return compact


def dutch_int(number: float) -> str:
    """12345 -> '12.345'."""
    return f"{int(number):,}".replace(",", ".")


def dutch_number(number: float) -> str:
    """A value as the user wrote it in Dutch: '2.345' or '12,5'."""
    if float(number).is_integer():
        return dutch_int(number)
    return f"{number:,}".replace(",", " ").replace(".", ",").replace(" ", ".")
