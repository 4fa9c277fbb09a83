"""Norms are data: the file, its merge of later sets, validation, and the set in force."""

from __future__ import annotations

import json
from datetime import date

import pytest

from etm_desktop.norms.loader import deep_merge, load_norm_documents
from etm_desktop.norms.schema import NormError, parse_norm_set
from etm_desktop.norms.store import NormBook, add_norm_set


def test_every_specialization_has_norms_in_every_set():
    documents = load_norm_documents()
    assert [d["effective_from"] for d in documents] == sorted(d["effective_from"] for d in documents)
    for document in documents:
        view = parse_norm_set(document)
        assert set(view.specs) == {"Универсальный", "Территориальный", "МРПП", "МРЩ", "МРД", "МРС"}


def test_later_sets_change_only_what_they_name():
    documents = {d["effective_from"]: parse_norm_set(d) for d in load_norm_documents()}
    base, april = documents[date(2000, 1, 1)], documents[date(2010, 4, 1)]
    assert base.specs["МРПП"].off_profile_max is None
    assert april.specs["МРПП"].off_profile_max == 3
    assert april.specs["МРПП"].kb == base.specs["МРПП"].kb
    assert april.specs["Универсальный"] == base.specs["Универсальный"]


def test_deep_merge_keeps_untouched_keys():
    assert deep_merge({"a": {"x": 1, "y": 2}, "b": 1}, {"a": {"y": 3}}) == {"a": {"x": 1, "y": 3}, "b": 1}


def test_norm_book_picks_the_set_in_force(database):
    book = NormBook.load(database)
    assert book.in_force(date(2009, 12, 31)).effective_from == date(2000, 1, 1)
    assert book.in_force(date(2010, 1, 1)).effective_from == date(2010, 1, 1)
    assert book.in_force(date(2010, 6, 30)).effective_from == date(2010, 4, 1)
    assert book.in_force(date(2026, 10, 31)).effective_from == date(2010, 7, 1)
    with pytest.raises(NormError):
        book.in_force(date(1999, 12, 31))


@pytest.mark.parametrize(
    "path, value, fragment",
    [
        (("spec", "МРЩ", "paying_share_min"), 70, "доля"),
        (("spec", "МРЩ", "profile"), ["Щитовики", "Космос"], "Космос"),
        (("spec", "МРД", "kb", "ветеран"), [15], "мин, макс"),
        (("spec", "МРС", "blacklist", "rule"), "sometimes", "неизвестное правило"),
        (("spec", "МРС", "territory", "rule"), "everywhere", "неизвестное правило"),
        (("common", "paying_threshold"), "15 000", "число"),
        (("heads", "НОП", "meetings_min"), -1, "неотрицательное"),
    ],
)
def test_a_bad_norm_document_names_the_place(path, value, fragment):
    document = load_norm_documents()[-1]
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(NormError, match=fragment):
        parse_norm_set(document)


def test_a_missing_specialization_is_refused():
    document = load_norm_documents()[-1]
    del document["spec"]["МРС"]
    with pytest.raises(NormError, match="МРС"):
        parse_norm_set(document)


def test_new_norm_set_from_a_date_changes_later_months_only(database, centre):
    from etm_desktop.compliance.service import month_grid

    holder = centre.manager("1001", "МРЩ")
    centre.clients(holder, 15, ckg="Щитовики", potential="A", turnover={date(2026, 10, 1): 400000,
                                                                         date(2026, 11, 1): 400000})
    centre.meetings(holder, date(2026, 10, 10), 10)
    centre.meetings(holder, date(2026, 11, 10), 10)
    centre.commit()
    assert month_grid(database, date(2026, 10, 1)).managers[0].breaches == []
    document = json.loads(json.dumps(load_norm_documents()[-1], default=str))
    document.update(name="Новые нормы МРЩ", effective_from="2026-11-01")
    document["spec"]["МРЩ"]["kb"]["ветеран"] = [10, 12]
    version = database.data_version()
    add_norm_set(database, document, who="test", today=date(2026, 10, 15))
    assert database.data_version() == version + 1  # open windows re-judge on the new norms
    october = month_grid(database, date(2026, 10, 1))
    november = month_grid(database, date(2026, 11, 1))
    assert october.managers[0].breaches == []
    assert [(b.norm, b.actual, b.required) for b in november.managers[0].breaches] == [("kb_size_max", 15, 12)]


def test_a_second_set_on_the_same_date_is_refused(database):
    document = json.loads(json.dumps(load_norm_documents()[-1], default=str))
    with pytest.raises(NormError, match="уже есть"):
        add_norm_set(database, document, today=date(2010, 7, 1))


@pytest.mark.parametrize(("start", "refused"), [("2026-11-30", True), ("2026-12-01", False), ("2027-01-01", False)])
def test_norms_are_never_changed_retroactively(database, start, refused):
    """A new set may not start in a month that has passed: its grid keeps its norms."""
    document = json.loads(json.dumps(load_norm_documents()[-1], default=str))
    document.update(name="Новые", effective_from=start)
    if refused:
        with pytest.raises(NormError, match="задним числом"):
            add_norm_set(database, document, today=date(2026, 12, 3))
        assert len(NormBook.load(database).sets) == 4
    else:
        add_norm_set(database, document, today=date(2026, 12, 3))
        assert len(NormBook.load(database).sets) == 5


def test_a_norm_set_without_any_approval_step_is_refused():
    document = load_norm_documents()[-1]
    document["common"]["approval_always"] = []
    with pytest.raises(NormError, match="approval_always"):
        parse_norm_set(document)
