"""How people write a number, a period or an area name in a delivery's cell, and numbers written back in Dutch."""

from __future__ import annotations

import math
import re


def parse_number(text: str) -> float | None:
    """A number as Dutch and English spreadsheets write it ('1.234,5', '12,5', '1234.5', '1 234'); None if not."""
    compact = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))", "", text.strip())
    match = re.fullmatch(r"([+-]?)(.+)", compact)
    if not match:
        return None
    sign, body = match.groups()
    if re.fullmatch(r"\d+", body):
        number = body
    elif re.fullmatch(r"\d*,\d+", body):
        number = body.replace(",", ".")
    elif re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+(,\d+)?", body):
        number = body.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?", body):
        number = body.replace(",", "")
    elif re.fullmatch(r"\d*\.\d+", body):
        number = body
    else:
        return None
    value = float(sign + number)
    return value if math.isfinite(value) else None


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
