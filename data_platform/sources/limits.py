"""Resource limits a delivered record must respect before any parser sees it.

A parser handed hostile JSON fails in ways that are not per line: Python's ``json`` raises
``RecursionError`` on deep nesting and ``ValueError`` on integers over 4,300 digits, and Arrow's
JSON reader can crash the process on a deeply nested value. So every JSON text is measured first
by one compiled pass over its bytes (nesting depth, the longest run of digits and the longest
string outside and inside quotes), and a line over a source's limits is quarantined with the
limit it broke; only lines within every limit are parsed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

OK, TOO_DEEP, NUMBER_TOO_LONG, FIELD_TOO_LARGE = 0, 1, 2, 3
REASONS = {TOO_DEEP: "too_deep", NUMBER_TOO_LONG: "number_too_long", FIELD_TOO_LARGE: "field_too_large"}


@dataclass(frozen=True)
class JsonLimits:
    """How deep, how many digits and how long a string a JSON text may hold."""

    max_depth: int = 64
    max_number_digits: int = 256
    max_field_bytes: int = 1_000_000

    def describe(self, code: int, measured: int) -> str:
        limit, what = {
            TOO_DEEP: (self.max_depth, "nesting depth"),
            NUMBER_TOO_LONG: (self.max_number_digits, "digits in one number"),
            FIELD_TOO_LARGE: (self.max_field_bytes, "bytes in one string"),
        }[code]
        return f"{what} {measured} exceeds the limit of {limit}"


@numba.njit(cache=True, nogil=True)
def _measure(
    buffer: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    max_depth: int,
    max_digits: int,
    max_string: int,
    codes: np.ndarray,
    measured: np.ndarray,
) -> None:
    """Per text ``[starts[i], ends[i])``: the first limit it breaks and the value measured."""
    for i in range(len(starts)):
        depth = 0
        digits = 0
        string = 0
        in_string = False
        escaped = False
        code = 0
        value = 0
        for position in range(starts[i], ends[i]):
            byte = buffer[position]
            if in_string:
                string += 1
                if escaped:
                    escaped = False
                elif byte == 92:  # backslash
                    escaped = True
                elif byte == 34:  # closing quote
                    in_string = False
                    string -= 1
                if string > max_string:
                    code, value = 3, string
                    break
                continue
            if 48 <= byte <= 57:
                digits += 1
                if digits > max_digits:
                    code, value = 2, digits
                    break
                continue
            digits = 0
            if byte == 34:
                in_string, string = True, 0
            elif byte == 91 or byte == 123:  # [ {
                depth += 1
                if depth > max_depth:
                    code, value = 1, depth
                    break
            elif byte == 93 or byte == 125:  # ] }
                depth -= 1
        codes[i] = code
        measured[i] = value


def measure_lines(
    buffer: bytes, starts: np.ndarray, ends: np.ndarray, limits: JsonLimits
) -> tuple[np.ndarray, np.ndarray]:
    """Limit codes (``OK`` or the first limit broken) and measured values for each text
    ``buffer[starts[i]:ends[i]]``. Depth counts only brackets outside strings."""
    codes = np.zeros(len(starts), dtype=np.int8)
    measured = np.zeros(len(starts), dtype=np.int64)
    if len(starts):
        _measure(
            np.frombuffer(buffer, dtype=np.uint8),
            starts.astype(np.int64),
            ends.astype(np.int64),
            limits.max_depth,
            limits.max_number_digits,
            limits.max_field_bytes,
            codes,
            measured,
        )
    return codes, measured


def violation(text: bytes, limits: JsonLimits) -> tuple[str, str] | None:
    """The reason code and detail of the first limit ``text`` breaks, or None."""
    codes, measured = measure_lines(text, np.zeros(1, np.int64), np.array([len(text)]), limits)
    if codes[0] == OK:
        return None
    return REASONS[int(codes[0])], limits.describe(int(codes[0]), int(measured[0]))
