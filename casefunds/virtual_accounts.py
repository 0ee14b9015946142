"""Virtual sub-account numbers (虚拟子账号): court prefix + 8-digit serial + 2 check digits.

The check digits are ISO 7064 MOD 97-10 (as in IBAN), so a single mistyped digit or a swap of
two neighbours is detected and the money goes to suspense instead of to the wrong case.
"""

from __future__ import annotations

import re

from stdnum.iso7064 import mod_97_10

SERIAL_DIGITS = 8


def compose(prefix: str, serial: int) -> str:
    body = f"{prefix}{serial:0{SERIAL_DIGITS}d}"
    return body + mod_97_10.calc_check_digits(body)


def clean(value: str) -> str:
    """Digits only: banks and payers add spaces and dashes."""
    return re.sub(r"[\s\-]", "", value or "")


def is_well_formed(value: str) -> bool:
    number = clean(value)
    return number.isdigit() and len(number) > SERIAL_DIGITS + 2 and mod_97_10.is_valid(number)


def grouped(number: str) -> str:
    """For people: groups of four digits."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
