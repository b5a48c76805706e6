from __future__ import annotations

import pytest

from checks.identifiers import detect, luhn, mask, mask_text, valid_card, valid_id

from .builders import AS_OF

ID = "440304199001011233"  # valid region, birth date and check character
ID_X = "11010519491231002X"
CARD = "6222021001123456789"
PHONE = "13812345678"


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(d.kind, d.number) for d in detect(text, AS_OF)]


@pytest.mark.parametrize("number", [ID, ID_X, ID_X.lower()])
def test_valid_id_accepts_real_numbers(number: str) -> None:
    assert valid_id(number, AS_OF)


@pytest.mark.parametrize("number,why", [
    ("440304199001011234", "check character"),
    ("990304199001011233", "region 99"),
    ("440304199002301233", "30 February"),
    ("110105202403211231", "born after as_of"),
    ("4403041990010112", "too short"),
])
def test_valid_id_rejects(number: str, why: str) -> None:
    assert not valid_id(number, AS_OF), why


def test_detect_ignores_numbers_inside_longer_digit_runs() -> None:
    assert _kinds(f"订单{ID}9") == []
    assert _kinds(f"编号0{PHONE}") == []
    assert _kinds(f"流水{CARD}00") == []
    assert _kinds(f"身份证{ID}，手机{PHONE}。卡号:{CARD}") == [("id", ID), ("phone", PHONE), ("card", CARD)]


def test_detect_never_reports_landlines_or_unissued_cards() -> None:
    assert _kinds("电话：010-65123456，0755-83838383，传真 02988881234") == []
    assert _kinds("1234567890123452") == []  # passes Luhn, no issuer prefix
    assert valid_card("4111111111111111") and not valid_card("4111111111111112")
    assert luhn("79927398713") and not luhn("79927398710")


def test_detect_an_id_is_not_also_a_card() -> None:
    assert [k for k, _ in _kinds(ID)] == ["id"]


def test_mask_keeps_head_and_tail() -> None:
    assert mask("id", ID_X) == "110105********002X"
    assert mask("phone", PHONE) == "138****5678"
    assert mask("card", CARD) == "622202*********6789"
    masked = mask_text(f"甲{ID}乙{PHONE}丙", AS_OF)
    assert masked == "甲440304********1233乙138****5678丙"


def test_detect_full_width_digits_and_hyphenated_mobiles() -> None:
    wide = PHONE.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert _kinds(f"电话{wide}") == [("phone", PHONE)]
    assert _kinds("手机 138-1234-5678。") == [("phone", PHONE)]
    assert _kinds("编号 9-138-1234-5678 与 138-1234-5678-1") == []
    assert _kinds("分组 138 1234 5678") == []
    masked = mask_text(f"甲{wide}乙138-1234-5678丙", AS_OF)
    assert masked == "甲138****5678乙138-****-5678丙"
