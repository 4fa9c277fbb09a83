"""Malformed memo JSON (issue 7): ``memo check`` and ``memo new`` never show a traceback.

Random JSON of any shape, wrong types in every field, deep nesting, huge strings
and numbers, invalid UTF-8, text that is not JSON: exit 2 with a Russian message
and the database unchanged. A memo of the right form but random content (codes
that exist or not, any action, any date of the allowed years) is judged: exit 0
or 1, never 3. :func:`parse_memo` itself (the memo editor's entry point) only
ever returns a draft or raises :class:`MemoFormatError`.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etm_desktop.memos.draft import ACTIONS, MemoDraft, MemoFormatError, parse_memo
from tests.fuzz_support import assert_clean_refusal, budget, dump, fuzz_settings, is_russian, run_cli, tried

OCT = date(2026, 10, 1)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=20)
FIELDS = ["action", "client", "from", "to", "head", "potential", "reason", "basis"]
wrong = st.one_of(json_values, st.sampled_from([
    "", " ", "x" * 60, "Ж" * 20_000, "\ud800", "\udfff", "a\u0000b", "2026-02-30", "31.12.9999", "0001-01-01",
    10 ** 30, -1, 1.5, True, [], {}, [[[[]]]], {"a": {"b": {}}}]))


@st.composite
def near_memos(draw):
    """A memo whose every field may be of the wrong type, missing or junk."""
    memo = {"date": draw(st.one_of(st.just("2026-11-05"), wrong))}
    for key in ("number", "author", "subject", "override_reason"):
        if draw(st.booleans()):
            memo[key] = draw(wrong)
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(wrong))
            continue
        line = {"action": draw(st.one_of(st.sampled_from(ACTIONS), wrong)), "client": draw(
            st.one_of(st.sampled_from(["K1", "K2", "nope"]), wrong))}
        for key in FIELDS[2:]:
            if draw(st.booleans()):
                line[key] = draw(st.one_of(st.sampled_from(["1001", "1002", "A", "B", "основание"]), wrong))
        lines.append(line)
    if draw(st.integers(0, 5)):
        memo["lines"] = lines
    else:
        memo["lines"] = draw(wrong)
    if draw(st.integers(0, 5)) == 0:
        memo.pop("date")
    return memo


def test_parse_memo_returns_a_draft_or_a_russian_format_error():
    """The memo editor's entry point: any JSON value gives a draft or MemoFormatError, nothing else."""
    count = 0

    @fuzz_settings(300)
    @given(st.one_of(json_values, near_memos()))
    def one(data):
        nonlocal count
        count += 1
        tried("memo: parse_memo on random JSON")
        try:
            draft = parse_memo(data)
        except MemoFormatError as error:
            assert is_russian(str(error)) and len(str(error)) < 500
        else:
            assert isinstance(draft, MemoDraft)

    one()
    assert count >= budget(300)


@pytest.fixture
def shop(centre, database):
    """Two managers with clients K-codes of the builder; the database as a file path."""
    a = centre.manager("1001", "Универсальный")
    b = centre.manager("1002", "Универсальный")
    centre.clients(a, 3, ckg="ЭМО", potential="A", turnover={OCT: 20000})
    centre.clients(b, 3, ckg="ЭМО", potential="A", turnover={OCT: 20000})
    centre.commit()
    path = database.target
    database.dispose()
    return path


def _write(tmp_path, data, name="memo.json"):
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
    return path


def test_near_memos_through_memo_check_and_memo_new(shop, tmp_path):
    """Exit 0/1 for a memo of the right form, else 2 in Russian; ``memo check`` never writes,
    a refused ``memo new`` writes nothing either."""
    count = 0

    @fuzz_settings(60)
    @given(near_memos(), st.sampled_from(["check", "new"]))
    def one(memo, command):
        nonlocal count
        count += 1
        tried("memo: wrong types / junk fields, via the CLI")
        before = dump(shop)
        status, _out, err = run_cli("--db", shop, "memo", command, _write(tmp_path, memo))
        if status == 2:
            assert_clean_refusal(status, err, before=before, after=dump(shop))
        else:
            assert status in (0, 1) and "Traceback" not in err, (status, err)
            if command == "check":
                assert dump(shop) == before

    one()
    assert count >= budget(60)


def test_memos_of_the_right_form_are_always_judged(shop, tmp_path):
    """Any action on any code (known or not), any date of the allowed years: exit 0 or 1."""
    count = 0
    letters = st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
    code = st.one_of(st.sampled_from(["K1", "K2", "K4", "1001", "1002", "9999"]),
                     st.text(letters, min_size=1, max_size=8))
    line = st.fixed_dictionaries({"action": st.sampled_from(ACTIONS), "client": code},
                                 optional={"from": code, "to": code, "head": code,
                                           "potential": st.sampled_from(["S", "A", "B", "C", "Б", "Z"]),
                                           "reason": st.text(letters, max_size=30)})

    @fuzz_settings(40)
    @given(st.dates(date(1950, 1, 1), date(2100, 12, 31)), st.lists(line, min_size=1, max_size=5))
    def one(day, lines):
        nonlocal count
        count += 1
        tried("memo: right form, random content, via the CLI")
        memo = {"date": day.isoformat(), "lines": lines}
        path = _write(tmp_path, memo)
        status, _out, err = run_cli("--db", shop, "memo", "check", path)
        no_norms = status == 2 and err.startswith("Нормы:") and "Traceback" not in err  # before 2020
        assert status in (0, 1) or no_norms, (status, err)

    one()
    assert count >= budget(40)


def test_files_that_are_not_memo_json(shop, tmp_path):
    """Random bytes, invalid UTF-8, text that is not JSON, JSON that is not an object: exit 2."""
    count = 0

    @fuzz_settings(60)
    @given(st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe{\x00}\x00", b"{\"date\": \"2026-11-05\", \"lines\": [",
                         b"\xc3\x28", b"{\"date\": \"\xed\xa0\x80\"}", b"NaN", b"Infinity", b"null"]),
    ))
    def one(content):
        nonlocal count
        count += 1
        tried("memo: not JSON / invalid UTF-8 / not an object")
        before = dump(shop)
        for command in ("check", "new"):
            status, _out, err = run_cli("--db", shop, "memo", command, _write(tmp_path, content))
            assert_clean_refusal(status, err, before=before, after=dump(shop))

    one()
    assert count >= budget(60)


@pytest.mark.parametrize("name, text, words", [
    ("deep list", "[" * 100_000 + "]" * 100_000, "вложенность"),
    ("deep lines", '{"date": "2026-11-05", "lines": ' + "[" * 50_000 + "]" * 50_000 + "}", "вложенность"),
    ("huge integer", '{"date": "2026-11-05", "lines": [{"action": "bind", "client": ' + "9" * 5000 + "}]}",
     "слишком многих цифр"),
    ("long integer", '{"date": "2026-11-05", "lines": [{"action": "bind", "client": ' + "9" * 100 + "}]}",
     "слишком многих цифр"),
    ("huge string", json.dumps({"date": "2026-11-05", "lines": [{"action": "bind", "client": "K" * 5_000_000,
                                                                   "to": "1001"}]}), "слишком длинный"),
    ("huge reason", json.dumps({"date": "2026-11-05", "lines": [{"action": "bind", "client": "K1",
                                                                   "reason": "я" * 100_001}]}), "слишком длинный"),
    ("lone surrogate", '{"date": "2026-11-05", "lines": [{"action": "bind", "client": "\\ud800", "to": "1"}]}',
     "суррогат"),
    ("year 1", '{"date": "0001-01-01", "lines": [{"action": "bind", "client": "K1", "to": "1001"}]}', "вне допустимых"),
    ("year 9999", '{"date": "31.12.9999", "lines": [{"action": "bind", "client": "K1", "to": "1001"}]}',
     "вне допустимых"),
    ("NaN date", '{"date": NaN, "lines": [{"action": "bind", "client": "K1"}]}', "date"),
    ("utf-16", None, "UTF-8"),
])
def test_each_kind_of_bad_memo_exits_2_with_its_reason(shop, tmp_path, name, text, words):
    path = tmp_path / "memo.json"
    if text is None:
        path.write_bytes('{"date": "2026-11-05"}'.encode("utf-16"))
    else:
        path.write_text(text, encoding="utf-8")
    before = dump(shop)
    for command in ("check", "new"):
        tried("memo: named bad memo, via the CLI")
        status, _out, err = run_cli("--db", shop, "memo", command, path)
        assert_clean_refusal(status, err, before=before, after=dump(shop))
        assert words in err, err[:300]


def test_a_deeply_nested_memo_in_a_real_process(shop, tmp_path):
    """As a true process: exit 2, one Russian line, no traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    tried("memo: deep nesting, real process")
    done = subprocess.run([sys.executable, "-m", "etm_desktop", "--db", shop, "memo", "check", str(path)],
                          cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 2, done.stderr
    assert "вложенность" in done.stderr and "Traceback" not in done.stderr
