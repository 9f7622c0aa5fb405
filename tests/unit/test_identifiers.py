"""German identifiers: valid and invalid numbers, check-digit edge cases."""

import pytest

from plausibility import identifiers as ids


@pytest.mark.parametrize("value, valid", [
    ("DE89370400440532013000", True),
    ("DE89 3704 0044 0532 0130 00", True),       # printed with spaces
    ("de89370400440532013000", True),            # lower case is compacted
    ("DE89370400440532013001", False),           # wrong check digits (mod 97)
    ("DE8937040044053201300", False),            # 21 characters: German IBANs have 22
    ("GB82WEST12345698765432", True),            # other countries are IBANs too
    ("XX89370400440532013000", False),           # unknown country
    ("", False), (None, False), (12345, False),
])
def test_iban(value, valid):
    assert ids.valid_iban(value) is valid


def test_german_iban_requires_de():
    assert ids.valid_german_iban("DE89370400440532013000")
    assert not ids.valid_german_iban("GB82WEST12345698765432")


@pytest.mark.parametrize("value, valid", [
    ("36574261809", True),
    ("36574261808", False),   # wrong check digit
    ("02476291358", False),   # leading zero is not allowed
    ("3657426180", False),    # 10 digits
    ("11111111111", False),   # a digit may not occur that often
    ("x", False), (None, False),
])
def test_steuer_id(value, valid):
    assert ids.valid_steuer_id(value) is valid


@pytest.mark.parametrize("value, valid", [
    ("18181508155", True),          # Bayern, state format
    ("9181081508155", True),        # federal 13-digit format
    ("123", False), ("abcdefghijk", False),
])
def test_steuernummer(value, valid):
    assert ids.valid_steuernummer(value) is valid


@pytest.mark.parametrize("value, valid", [
    ("DE136695976", True), ("DE136695978", False), ("ATU13585627", True), ("DE12345", False),
])
def test_vat_id(value, valid):
    assert ids.valid_vat_id(value) is valid


def test_german_vat_id():
    assert ids.valid_german_vat_id("DE136695976") and not ids.valid_german_vat_id("ATU13585627")


@pytest.mark.parametrize("value, valid", [
    ("10010490A443", True),          # published example (check digit 3)
    ("10 010490 A 443", True),       # printed with spaces
    ("10010490a443", True),          # letter in lower case
    ("10010490A442", False),         # wrong check digit
    ("10310490A443", False),         # day 31.04. does not exist
    ("10011390A443", False),         # month 13
    ("01010490A443", False),         # 01 is not a Bereichsnummer
    ("10010490443", False),          # letter missing
    ("1001049AA443", False),
    (None, False),
])
def test_rentenversicherungsnummer(value, valid):
    assert ids.valid_rvnr(value) is valid


def test_rvnr_check_digit_follows_vkvv():
    # A = 01: digits 1 0 0 1 0 4 9 0 0 1 4 4, weights 2 1 2 5 7 1 2 1 2 1 2 1,
    # products 2 0 0 5 0 4 18 0 0 1 8 4, cross sums 2+0+0+5+0+4+9+0+0+1+8+4 = 33 -> 3
    assert ids.rvnr_check_digit("10010490A44") == 3


def test_rvnr_second_number_adds_50_to_the_day_and_leap_days_exist():
    serial = "10510490A44"  # day 51 = 1st, second number with the same data
    assert ids.valid_rvnr(serial + str(ids.rvnr_check_digit(serial)))
    leap = "10290200B12"
    assert ids.valid_rvnr(leap + str(ids.rvnr_check_digit(leap)))


@pytest.mark.parametrize("value, valid", [("10115", True), ("01067", True), ("00123", False), ("1011", False), ("1011a", False), (10115, False)])
def test_postleitzahl(value, valid):
    assert ids.valid_plz(value) is valid


def test_the_rvnr_check_digit_table_agrees_with_the_rule():
    """``valid_rvnr`` reads the check digit's cross sums from a table: the
    same digit as ``rvnr_check_digit`` on every letter and random digits."""
    import random
    import string

    rng = random.Random(20261125)
    for letter in string.ascii_uppercase:
        for _ in range(200):
            number = "".join(rng.choice(string.digits) for _ in range(8)) + letter + \
                "".join(rng.choice(string.digits) for _ in range(3))
            assert ids._check_digit(number) == ids.rvnr_check_digit(number[:11])
            if ids.valid_rvnr(number):
                assert ids.rvnr_check_digit(number[:11]) == int(number[-1])
    assert ids.valid_rvnr("10 010490 a 443") and ids.valid_rvnr("10-010490/A443") and not ids.valid_rvnr("10010490A444")
