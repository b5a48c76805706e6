from __future__ import annotations

from pathlib import Path

import pytest

from checks.lexicon import BUILTIN, Lexicon, load, parse_line, read_tsv
from core.errors import CheckError


def _hits(lexicon: Lexicon, text: str) -> list[str]:
    return [text[start:end] for _, start, end in lexicon.scan(text)]


def test_lexicon_builtin_matches_the_shipped_seed(shared_dir: Path) -> None:
    assert BUILTIN.read_bytes() == (shared_dir / "data" / "lexicon-seed.tsv").read_bytes()
    lexicon = load([])
    assert lexicon.problems == [] and len(lexicon) >= 150


def test_lexicon_except_strings_and_longer_terms_win() -> None:
    lexicon = load([])
    assert _hits(lexicon, "农业部门和农业部") == ["农业部"]
    assert _hits(lexicon, "搭建数据中台，加强中台交流") == ["中台"]
    assert _hits(lexicon, "台湾总统选举") == ["台湾总统选举"]


def test_lexicon_user_file_extends_and_bad_lines_are_skipped(tmp_path: Path) -> None:
    user = tmp_path / "mine.tsv"
    user.write_bytes(
        "term\tsuggestion\tcategory\tsince\texcept\tsource\n"
        "# a comment\n"
        "某某局\t某某中心\toutdated\t2020-01-01\t\tlocal\n"
        "只有两列\tx\n"
        "坏类别\tx\tweird\n"
        "坏日期\tx\toutdated\t2020-13-01\n"
        "甲\tx\ttypo\n"
        "乙丙\tx\ttypo\t\t丁戊\n".encode() + b"\xff\xfe\tbad\ttypo\n"
    )
    lexicon = load([user])
    assert "某某局" in lexicon.terms and lexicon.terms["某某局"].origin == f"{user}:3"
    reasons = [p.split(": ", 1)[1] for p in lexicon.problems]
    assert [p.split(": ", 1)[0] for p in lexicon.problems] == [f"{user}:{n}" for n in (4, 5, 6, 7, 8, 9)]
    assert reasons[0].startswith("expected at least 3") and "weird" in reasons[1]
    assert "2020-13-01" in reasons[2] and "shorter" in reasons[3] and "丁戊" in reasons[4]
    assert reasons[5] == "not UTF-8 text"


def test_lexicon_missing_file_is_one_line_check_error(tmp_path: Path) -> None:
    with pytest.raises(CheckError, match="lexicon file not found") as info:
        load([tmp_path / "nope.tsv"])
    assert "\n" not in str(info.value)


def test_lexicon_allow_terms_remove_terms_and_shield_longer_text() -> None:
    lexicon = load([], allow=["文化部", "工商局大楼"])
    assert _hits(lexicon, "文化部与工商局大楼、工商局") == ["工商局"]


def test_lexicon_suggestion_note_is_split_off() -> None:
    term = parse_line("截止\t截至 (before a date: 截至2023年底)\tsuspect", "x:1")
    assert term.suggestion == "截至" and term.note == "before a date: 截至2023年底"


def test_read_tsv_unreadable_path_is_check_error(tmp_path: Path) -> None:
    with pytest.raises(CheckError):
        read_tsv(tmp_path, [])


def test_lexicon_agency_name_before_men_is_the_word_department() -> None:
    lexicon = load([])
    assert _hits(lexicon, "环境保护部门实施监管，环境保护部发文") == ["环境保护部"]
