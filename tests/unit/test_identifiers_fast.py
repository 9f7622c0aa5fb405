"""The fast IBAN and Steuer-ID checks (``plausibility.identifiers``) say what
python-stdnum says, on valid numbers, near misses and random input."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.de import idnr as stdnum_idnr
from stdnum.exceptions import ValidationError

from plausibility import identifiers


def stdnum_says(module, value) -> bool:
    try:
        module.validate(value)
    except ValidationError:
        return False
    return True


def _valid_ibans() -> list[str]:
    rng = random.Random(7)
    found = []
    for country, structure in sorted(identifiers._IBAN_COUNTRIES.items()):
        pattern = structure.pattern.strip("^$")
        bban = ""
        for chars, count in __import__("re").findall(r"\[([^\]]+)\]\{(\d+)\}", pattern):
            alphabet = {"0-9": "0123456789", "A-Z": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                        "A-Za-z0-9": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}[chars]
            bban += "".join(rng.choice(alphabet) for _ in range(int(count)))
        number = country + "00" + bban
        found.append(country + stdnum_iban.calc_check_digits(number) + bban)
    return found


VALID = _valid_ibans() + ["DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606"]


def test_the_country_table_was_read():
    assert len(identifiers._IBAN_COUNTRIES) > 70 and "DE" in identifiers._IBAN_COUNTRIES


def test_valid_ibans_of_every_country_and_their_near_misses():
    for number in VALID:
        variants = [number, number.lower(), " ".join(number[i:i + 4] for i in range(0, len(number), 4)),
                    number[:-1], number + "0", number[:5] + ("1" if number[5] != "1" else "2") + number[6:],
                    number[2:4] + number[:2] + number[4:], f" {number}\t", number.replace("0", "O", 1),
                    number[:4] + "-" + number[4:], number[:4] + "." + number[4:], number[:4] + "/" + number[4:]]
        for value in variants:
            assert identifiers.valid_iban(value) == stdnum_says(stdnum_iban, value), value


@settings(max_examples=2000, deadline=None)
@given(st.one_of(
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef -.+_\t\n`'äÄ０", max_size=34),
    st.sampled_from(VALID).flatmap(lambda v: st.tuples(st.just(v), st.integers(0, len(v)), st.sampled_from(" -.+_0AZ`")).map(
        lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:])),
))
def test_random_ibans_agree_with_python_stdnum(value):
    assert identifiers.valid_iban(value) == stdnum_says(stdnum_iban, value)


def test_steuer_ids():
    for value in ("86095742719", "47036892816", "65929970489", "57549285017", "25768131411", "12345678901", "8609574271",
                  "01234567890", "86 095 742 719", "86/095/742/719", "860957427190", "11111111111", "86095742718",
                  "", "abc", "8609574271 9", " 86095742719 "):
        assert identifiers.valid_steuer_id(value) == stdnum_says(stdnum_idnr, value), value


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789 -./,+_\t`ä٣", max_size=14),
                 st.from_regex(r"\A[1-9][0-9]{10}\Z"),
                 st.lists(st.sampled_from("0123456789"), min_size=11, max_size=11).map("".join)))
def test_random_steuer_ids_agree_with_python_stdnum(value):
    assert identifiers.valid_steuer_id(value) == stdnum_says(stdnum_idnr, value)
