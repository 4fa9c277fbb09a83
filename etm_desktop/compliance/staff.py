"""Who is judged, and as what: employment, status and specialization on a day (I8)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from etm_desktop.domain.calendar import whole_months_between
from etm_desktop.domain.vocabulary import GRID_POSITIONS, Status
from etm_desktop.norms.schema import CommonNorms


def status_on(novice_date: date | None, day: date, common: CommonNorms) -> tuple[str, int | None]:
    """Status from seniority and whole months since the novice date.

    Month n = whole calendar months since the novice date + 1: новичок n ≤ 6,
    опытный 7…12, ветеран ≥ 13 (bounds from the norms). No novice date, or one
    still ahead, is a стажер.
    """
    if novice_date is None or pd.isna(novice_date) or novice_date > day:
        return Status.TRAINEE.value, None
    months = whole_months_between(novice_date, day)
    n = months + 1
    if n <= common.novice_last_month:
        return Status.NOVICE.value, months
    if n <= common.experienced_last_month:
        return Status.EXPERIENCED.value, months
    return Status.VETERAN.value, months


def employed_on(employees: pd.DataFrame, day: date) -> pd.Series:
    """Hired on or before ``day`` and not dismissed before it (dismissal = last working day)."""
    hired = employees["hire"].isna() | (employees["hire"] <= day)
    staying = employees["dismissal"].isna() | (employees["dismissal"] >= day)
    return hired & staying


def specialization_on(periods: pd.DataFrame, day: date) -> pd.DataFrame:
    """Per employee: the specialization held on ``day``, since when, and the one before.

    Columns: employee_id, specialization, spec_since, previous_specialization.
    """
    started = periods[periods["start_date"] <= day].sort_values(["employee_id", "start_date"])
    if started.empty:
        return pd.DataFrame(columns=["employee_id", "specialization", "spec_since", "previous_specialization"])
    started = started.assign(previous_specialization=started.groupby("employee_id")["specialization"].shift(1))
    current = started.groupby("employee_id").tail(1)
    return current.rename(columns={"start_date": "spec_since"})[
        ["employee_id", "specialization", "spec_since", "previous_specialization"]
    ]


def staff_on(inputs, common: CommonNorms) -> pd.DataFrame:
    """Every employee with ``employed``, ``status``, ``novice_months`` and specialization columns.

    Depends on the day and the status bounds only, so it is computed once per inputs.
    """
    key = ("staff", common.novice_last_month, common.experienced_last_month)
    if key not in inputs.derived:
        inputs.derived[key] = _staff_on(inputs, common)
    return inputs.derived[key]


def _staff_on(inputs, common: CommonNorms) -> pd.DataFrame:
    day = inputs.as_of
    staff = inputs.employees.copy()
    staff["employed"] = employed_on(staff, day)
    statuses = [status_on(d, day, common) for d in staff["novice"]]
    staff["status"] = [s for s, _ in statuses]
    staff["novice_months"] = [m for _, m in statuses]
    staff = staff.merge(specialization_on(inputs.specializations, day), how="left", left_on="id", right_on="employee_id")
    staff["in_grid"] = staff["employed"] & staff["position"].isin([p.value for p in GRID_POSITIONS])
    return staff.drop(columns=["employee_id"]).set_index("id", drop=False)
