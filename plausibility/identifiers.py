"""Checks of German identifiers and numbers an application asks for.

python-stdnum does the work where it covers the identifier (IBAN, Steuer-ID,
Steuernummer, USt-IdNr.); the Rentenversicherungsnummer (VSNR) is implemented
here after VKVV §2, because python-stdnum does not cover it."""

from __future__ import annotations

import re
from datetime import date

from stdnum import iban as _iban
from stdnum.de import idnr as _idnr
from stdnum.de import stnr as _stnr
from stdnum.de import vat as _de_vat
from stdnum.eu import vat as _eu_vat
from stdnum.exceptions import ValidationError


def _ok(module, value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        module.validate(value)
    except ValidationError:
        return False
    return True


def valid_iban(value: object) -> bool:
    """Any IBAN: country length and the ISO 13616 mod-97 check digits."""
    if isinstance(value, str) and value.isascii() and "`" not in value:
        return _ascii_iban(value)
    return _ok(_iban, value)


def _ascii_iban(value: str) -> bool:
    """``stdnum.iban.validate`` step by step for ASCII input, whose cleaning
    changes nothing but the separators it deletes (python-stdnum spends most
    of its 35 µs re-reading its country table and rebuilding a regex, which
    depend only on the country). ``tests/unit/test_identifiers_fast.py``
    compares it with python-stdnum on random input."""
    number = value.replace(" ", "").replace("-", "").replace(".", "").strip().upper()
    rotated = number[4:] + number[:4]
    if not rotated.isalnum() or int(rotated.translate(_BASE36)) % 97 != 1:
        return False  # (no digits at all, or a sign or space: python-stdnum's int() fails too)
    structure = _IBAN_COUNTRIES.get(number[:2]) if len(number) > 2 else None
    if structure is None:
        return _ok(_iban, value)  # an unknown or partial country code: as python-stdnum says
    if not structure.match(number[4:]):
        return False
    module = _iban._get_cc_module(number[:2])
    if module is None:
        return True
    return _ok(module, number)


#: A-Z as 10-35 (ISO 7064 mod 97-10); digits stay
_BASE36 = {ord(ch): str(i) for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def _iban_countries() -> dict:
    """Country code -> compiled BBAN structure, from python-stdnum's own table
    and conversion (a table of two-letter prefixes only; else none are kept)."""
    found = {}
    for length, low, high, props, children in _iban._ibandb.prefixes:
        if length != 2 or low != high or children:
            return {}
        if props.get("bban"):
            found[low] = _iban._struct_to_re(props["bban"])
    return found


_IBAN_COUNTRIES = _iban_countries()


def valid_german_iban(value: object) -> bool:
    """A German IBAN: DE, 22 characters, mod 97 (and the German BBAN format)."""
    return valid_iban(value) and _iban.compact(value).startswith("DE")


def valid_steuer_id(value: object) -> bool:
    """The 11-digit Steuerliche Identifikationsnummer (digit rules and check digit)."""
    if isinstance(value, str) and value.isascii() and "`" not in value:
        # stdnum.de.idnr.validate for ASCII input (its cleaning changes nothing else)
        number = value.replace(" ", "").replace("-", "").replace(".", "").replace("/", "").replace(",", "").strip()
        if len(number) != 11 or not number.isdigit() or number[0] == "0":
            return False
        counts = [c for c in (number[:10].count(d) for d in set(number[:10])) if c > 1]
        if len(counts) != 1 or counts[0] not in (2, 3):
            return False
        check = 5
        for digit in number:
            check = (((check or 10) * 2) % 11 + int(digit)) % 10
        return check == 1
    return _ok(_idnr, value)


def valid_steuernummer(value: object) -> bool:
    """A German Steuernummer in a state's format or the 13-digit federal format."""
    return _ok(_stnr, value)


def valid_vat_id(value: object) -> bool:
    """A VAT identification number of any EU state (DE123456789, ATU…, …)."""
    return _ok(_eu_vat, value)


def valid_german_vat_id(value: object) -> bool:
    return _ok(_de_vat, value)


_PLZ = re.compile(r"^(?!00)[0-9]{5}$")


def valid_plz(value: object) -> bool:
    """A German Postleitzahl: five digits, not starting with 00."""
    return isinstance(value, str) and bool(_PLZ.match(value))


# -- Rentenversicherungsnummer (VKVV §2) ------------------------------------------

_RVNR = re.compile(r"^(?P<area>[0-9]{2})(?P<day>[0-9]{2})(?P<month>[0-9]{2})(?P<year>[0-9]{2})"
                   r"(?P<letter>[A-Z])(?P<serial>[0-9]{2})(?P<check>[0-9])$")
# Bereichsnummern of the Rentenversicherungsträger (VKVV Anlage): regional
# carriers, Knappschaft-Bahn-See, and 38/39 assigned by the Datenstelle.
_AREAS = frozenset({2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26,
                    28, 29, 38, 39, 40, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
                    57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
                    77, 78, 79, 80, 81, 82, 85, 86, 87, 88, 89})
_WEIGHTS = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)


_SEPARATORS = re.compile(r"[\s/-]")


def compact_rvnr(value: str) -> str:
    return _SEPARATORS.sub("", value).upper()


def rvnr_check_digit(first_eleven: str) -> int:
    """The check digit of a Rentenversicherungsnummer (VKVV §2 Abs. 3).

    The letter is replaced by its two-digit position in the alphabet (A=01 …
    Z=26), giving 12 digits; each is multiplied by 2,1,2,5,7,1,2,1,2,1,2,1,
    the cross sums of the products are added, and the check digit is that sum
    modulo 10."""
    digits = first_eleven[:8] + f"{ord(first_eleven[8]) - ord('A') + 1:02d}" + first_eleven[9:11]
    total = 0
    for digit, weight in zip(digits, _WEIGHTS, strict=True):
        product = int(digit) * weight
        total += product // 10 + product % 10
    return total % 10


def valid_rvnr(value: object) -> bool:
    """A Rentenversicherungsnummer (Versicherungsnummer): area number, birth
    date (TTMMJJ; day + 50 for a second number with the same data, month up to
    12), initial letter of the birth name, serial number (00–49 male, 50–99
    female) and check digit."""
    if not isinstance(value, str):
        return False
    number = compact_rvnr(value)
    match = _RVNR.match(number)
    if not match:
        return False
    if int(match["area"]) not in _AREAS:
        return False
    day, month = int(match["day"]), int(match["month"])
    if day > 50:
        day -= 50
    try:
        date(2000, month, day)  # a leap year admits 29.02.
    except ValueError:
        return False
    return _check_digit(number) == int(match["check"])


#: per position, the cross sum of each digit times the position's weight (``rvnr_check_digit``)
_CROSS_SUMS = tuple(tuple(d * w // 10 + d * w % 10 for d in range(10)) for w in _WEIGHTS)


def _check_digit(number: str) -> int:
    """``rvnr_check_digit`` of a number ``_RVNR`` matched (ASCII digits, a
    letter A-Z): the same sum, read from a table."""
    digits = number[:8] + f"{ord(number[8]) - 64:02d}" + number[9:11]
    return sum(row[ord(digit) - 48] for row, digit in zip(_CROSS_SUMS, digits)) % 10
