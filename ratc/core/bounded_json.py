"""JSON from an untrusted file, read within bounds: size, nesting depth and the size of every number are checked
before anything is built, so a hostile file gets a Dutch message instead of a crash (Python's own parser raises
RecursionError on deep nesting and ValueError on integers of more than 4,300 digits) or a long computation.
"""

from __future__ import annotations

import json
import math

from ratc.core import fmt


class BoundedJsonError(ValueError):
    """JSON that is too large, too deep, holds an outsize number or is no JSON at all; the message is Dutch."""


class NotJson(BoundedJsonError):
    """Content that is no (UTF-8) JSON at all, as opposed to JSON beyond the bounds."""


def loads(content: bytes, max_bytes: int, max_depth: int = 20, max_digits: int = 30, constants: bool = False) -> object:
    """The JSON value in `content` (UTF-8, a BOM allowed), or BoundedJsonError saying in Dutch what is wrong.

    NaN and Infinity are refused unless `constants` (Python writes them for missing values; they are no JSON).
    """
    if len(content) > max_bytes:
        raise BoundedJsonError(
            f"Het bestand is te groot ({fmt.byte_size(len(content))}); hoogstens {fmt.byte_size(max_bytes)}."
        )
    try:
        document = bytes(content).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotJson("Het bestand is geen tekstbestand (UTF-8).") from None
    depth = nesting_depth(document)
    if depth > max_depth:
        raise BoundedJsonError(f"Het bestand is te diep genest ({fmt.number(depth)} niveaus; hoogstens {max_depth}).")

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > max_digits:
            raise BoundedJsonError(
                f"Het bestand bevat een getal van {fmt.number(len(digits.lstrip('-')))} cijfers; "
                f"hoogstens {max_digits}."
            )
        return int(digits)

    def decimal(written: str) -> float:
        number = float(written)
        if len(written) > max_digits + 10 or not math.isfinite(number):
            raise BoundedJsonError(f"Het bestand bevat een getal dat te groot of te lang is: {written[:40]}….")
        return number

    def constant(name: str) -> float:
        if constants:
            return float(name)
        raise BoundedJsonError(f"Het bestand bevat {name}; dat is geen getal in JSON.")

    try:
        return json.loads(document, parse_int=integer, parse_float=decimal, parse_constant=constant)
    except json.JSONDecodeError as error:
        raise NotJson(
            f"Het bestand is geen geldige JSON (regel {error.lineno}, kolom {error.colno}): {error.msg}."
        ) from None
    except RecursionError:  # the depth check makes this unreachable; kept so no input can crash a page
        raise BoundedJsonError("Het bestand is te diep genest.") from None


def nesting_depth(document: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in document:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
