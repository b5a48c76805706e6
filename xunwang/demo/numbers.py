"""The personal numbers the demo plants, built from their check algorithms, and their masks.

Every number here is computed, not typed: a planted ID number carries a correct GB 11643
check character, a planted bank card passes Luhn, and each trap fails exactly the check
that would make it a finding.
"""

from __future__ import annotations

from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a resident ID."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_is_valid(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and id_check_char(number[:17]) == number[17]


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the digit that makes the whole pass Luhn."""
    return next(prefix + d for d in "0123456789" if luhn_is_valid(prefix + d))


def resident_id(region: str, birth: date, sequence: int) -> str:
    """A valid ID that is NOT also Luhn-valid, so no bank-card rule can claim it."""
    for seq in range(sequence, sequence + 200):
        first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
        number = first17 + id_check_char(first17)
        if number[-1].isdigit() and not luhn_is_valid(number):
            return number
    raise ValueError("no suitable sequence number")  # pragma: no cover - 200 tries suffice


def broken_resident_id(region: str, birth: date, sequence: int) -> str:
    """18 digits that look like an ID but fail the GB 11643 check (and Luhn)."""
    valid = resident_id(region, birth, sequence)
    for wrong in "0123456789":
        candidate = valid[:17] + wrong
        if wrong != valid[17] and not luhn_is_valid(candidate):
            return candidate
    raise ValueError("no broken variant")  # pragma: no cover


def non_luhn(prefix: str) -> str:
    """``prefix`` plus a last digit that makes the number FAIL Luhn."""
    good = luhn_complete(prefix)
    return prefix + str((int(good[-1]) + 1) % 10)


def mask(number: str, keep_head: int, keep_tail: int) -> str:
    hidden = len(number) - keep_head - keep_tail
    return number[:keep_head] + "*" * hidden + number[-keep_tail:]


def mask_id(number: str) -> str:
    return mask(number, 6, 4)


def mask_phone(number: str) -> str:
    return mask(number, 3, 4)


def mask_card(number: str) -> str:
    return mask(number, 6, 4)


REGION = "330106"
ARTICLE_ID = resident_id(REGION, date(1985, 3, 12), 123)
ATTACHMENT_ID = resident_id(REGION, date(1992, 7, 8), 456)
BROKEN_ID = broken_resident_id(REGION, date(1979, 11, 2), 321)
BANK_CARD = luhn_complete("622202123456789")  # 16 digits, 622xxx issuer prefix
NON_LUHN_CARD = non_luhn("622848012345678")
MOBILE = "13912345678"
ACCOUNT_MOBILE = "15867781234"
LANDLINE = "0571-88001234"
# 25 digits: contains 13912345678 but is one longer run (an order number), never a phone.
LONG_RUN = "2026051213912345678000172"
