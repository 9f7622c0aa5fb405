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
    return _ok(_iban, value)


def valid_german_iban(value: object) -> bool:
    """A German IBAN: DE, 22 characters, mod 97 (and the German BBAN format)."""
    return valid_iban(value) and _iban.compact(value).startswith("DE")


def valid_steuer_id(value: object) -> bool:
    """The 11-digit Steuerliche Identifikationsnummer (digit rules and check digit)."""
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


def compact_rvnr(value: str) -> str:
    return re.sub(r"[\s/-]", "", value).upper()


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
    return rvnr_check_digit(number[:11]) == int(match["check"])
