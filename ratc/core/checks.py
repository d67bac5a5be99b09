"""Checks of what people type into the store's forms: cleaned values, or Dutch problems naming the field and row."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from ratc.core import fmt, text

# One address, no spaces, a dot in the domain: strict enough to catch typos, loose enough for real addresses.
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
T = TypeVar("T")
PHONE = re.compile(r"^\+?[0-9 ()-]+$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a form: where it is (field, and row of a table when it is in one) and what is wrong."""

    field: str
    message: str
    row: int | None = None

    @property
    def text(self) -> str:
        """The problem as one Dutch sentence that says where: 'Knelpunt 2 · Omschrijving: vul dit in.'"""
        return f"{self.field}: {self.message}"


class Invalid(ValueError):
    """A form that cannot be stored; `problems` says every field and row that is wrong. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        """An exception carrying every problem of the form."""
        super().__init__("; ".join(problem.text for problem in problems))
        self.problems = problems


class Collector:
    """Collects the problems of one form, so the user sees all of them at once, not one per attempt."""

    def __init__(self) -> None:
        """No problems yet."""
        self.problems: list[Problem] = []

    def add(self, field: str, message: str, row: int | None = None) -> None:
        """Record a problem."""
        self.problems.append(Problem(field, message, row))

    def raise_if_any(self) -> None:
        """Raise Invalid with every collected problem, if there is one."""
        if self.problems:
            raise Invalid(self.problems)


def is_blank(value: object) -> bool:
    """True for None, NaN, NaT and text that is only white space."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if str(value) in ("NaT", "<NA>", "nan"):
        return True
    return not str(value).strip()


def line(problems: Collector, field: str, value: object, limit: int, required: bool = True,
         row: int | None = None) -> str:  # fmt: skip
    """One line of text, cleaned; a problem when required and empty or when it was longer than `limit`."""
    return _cleaned(problems, field, value, limit, required, row, text.clean_line, 100_000)


def block(problems: Collector, field: str, value: object, limit: int, required: bool = False,
          row: int | None = None) -> str:  # fmt: skip
    """A multi-line text, cleaned; a problem when required and empty or longer than `limit`."""
    return _cleaned(problems, field, value, limit, required, row, text.clean_block, 1_000_000)


def _cleaned(problems: Collector, field: str, value: object, limit: int, required: bool, row: int | None,
             clean: Callable[[object, int], str], counted: int) -> str:  # fmt: skip
    """Text cleaned by `clean`; a problem when required and empty or longer than `limit` (counted up to `counted`)."""
    raw = "" if is_blank(value) else str(value)
    if len(raw) > counted:  # refused before cleaning, which would take long on megabytes
        problems.add(field, f"te lang ({fmt.number(len(raw))} tekens, hoogstens {fmt.number(limit)}).", row)
        return ""
    cleaned = clean(raw, limit + 1)
    if required and not cleaned:
        problems.add(field, "vul dit in.", row)
    elif len(cleaned) > limit:
        length = len(clean(raw, counted))
        problems.add(field, f"te lang ({fmt.number(length)} tekens, hoogstens {fmt.number(limit)}).", row)
    return cleaned[:limit]


def number(problems: Collector, field: str, value: object, low: float, high: float, required: bool = True,
           row: int | None = None) -> float | None:  # fmt: skip
    """A number between low and high; Dutch notation (4,5 and 1.250) is read too."""
    parsed = _parsed(problems, field, value, required, row, parse_number, "getal")
    if parsed is not None and not low <= parsed <= high:
        low_text, high_text, given = (fmt.number(value, 2, trim=True) for value in (low, high, parsed))
        problems.add(field, f"moet tussen {low_text} en {high_text} liggen (nu {given}).", row)
        return None
    return parsed


def _parsed(problems: Collector, field: str, value: object, required: bool, row: int | None,
            parse: Callable[[object], T | None], noun: str, hint: str = "") -> T | None:  # fmt: skip
    """A value read by `parse`; a problem when required and empty, or when it is no `noun` (with a `hint`)."""
    if is_blank(value):
        if required:
            problems.add(field, f"vul een {noun} in.", row)
        return None
    parsed = parse(value)
    if parsed is None:
        problems.add(field, f"'{text.clean_line(value, 40)}' is geen {noun}{hint}.", row)
    return parsed


def parse_number(value: object) -> float | None:
    """A float from a number or from text such as '4,5', '1.250' or '1.250,75'; None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    raw = str(value).strip().replace(" ", "").replace("%", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", raw):  # Dutch thousands: 1.250 or 1.250,75
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d+,\d+", raw):
        raw = raw.replace(",", ".")
    try:
        parsed = float(raw)
    except ValueError:
        return None
    return None if math.isnan(parsed) or math.isinf(parsed) else parsed


def choice(problems: Collector, field: str, value: object, allowed: dict[str, str], row: int | None = None,
           required: bool = True) -> str | None:  # fmt: skip
    """One of the allowed codes; the Dutch name of a code is accepted too (as a table column shows it)."""
    if is_blank(value):
        if required:
            problems.add(field, "kies een waarde.", row)
        return None
    raw = str(value).strip()
    by_name = {name.lower(): code for code, name in allowed.items()}
    code = raw if raw in allowed else by_name.get(raw.lower())
    if code is None:
        options = ", ".join(allowed.values())
        problems.add(field, f"'{text.clean_line(raw, 40)}' is geen geldige keuze (kies uit: {options}).", row)
    return code


def date(problems: Collector, field: str, value: object, earliest: dt.date, latest: dt.date,
         row: int | None = None) -> dt.date | None:  # fmt: skip
    """A date (a date, a timestamp, or text as 31-03-2020 or 2020-03-31) between earliest and latest."""
    parsed = _parsed(problems, field, value, True, row, parse_date, "datum", " (schrijf 31-03-2020)")
    if parsed is not None and not earliest <= parsed <= latest:
        problems.add(field, f"moet tussen {earliest:%d-%m-%Y} en {latest:%d-%m-%Y} liggen.", row)
        return None
    return parsed


def parse_date(value: object) -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or text ('31-03-2020', '2020-03-31'); None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    raw = str(value).strip()
    for layout in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%y"):
        try:
            return dt.datetime.strptime(raw[:10] if layout == "%Y-%m-%d" else raw, layout).date()
        except ValueError:
            continue
    return None


def flag(value: object) -> bool:
    """A yes/no cell: True for True, 'ja', 'j', 'yes', '1', 'waar'."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    return str(value).strip().lower() in {"true", "ja", "j", "yes", "y", "1", "waar"}


def email(problems: Collector, field: str, value: object, required: bool = False) -> str:
    """An e-mail address, or '' when left empty and not required."""
    address = line(problems, field, value, 120, required=required)
    if address and not EMAIL.match(address):
        problems.add(field, f"'{address}' is geen geldig e-mailadres.")
    return address


def phone(problems: Collector, field: str, value: object) -> str:
    """A phone number of 10 to 15 digits (spaces, dashes, brackets and a leading + allowed), or ''."""
    number_text = line(problems, field, value, 30, required=False)
    digits = re.sub(r"\D", "", number_text)
    if number_text and (not PHONE.match(number_text) or not 10 <= len(digits) <= 15):
        problems.add(field, f"'{number_text}' is geen geldig telefoonnummer (10 tot 15 cijfers).")
    return number_text


def website(problems: Collector, field: str, value: object) -> str:
    """A web address starting with https:// or http:// (nothing else can be clicked), or ''."""
    address = line(problems, field, value, 300, required=False)
    if not address:
        return ""
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in address or "." not in parts.netloc:
        problems.add(field, f"'{address}' is geen webadres; begin met https://.")
    return address
