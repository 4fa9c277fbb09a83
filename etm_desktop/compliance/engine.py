"""Judging a month: the whole centre's grid from prepared frames, in pandas.

:func:`evaluate` never touches the database; it takes :class:`GridInputs` and a
norm set, so the same code serves the month's grid and a memo's what-if (with
other bindings, restricted to the managers the memo touches).
"""

from __future__ import annotations

import pandas as pd

from etm_desktop.compliance import client_rules, lists
from etm_desktop.compliance.inputs import COLD_CALL, MEETING, GridInputs
from etm_desktop.compliance.manager_norms import manager_requirements
from etm_desktop.compliance.result import Grid, ManagerRow
from etm_desktop.compliance.verdicts import breaches_for, judged_norms
from etm_desktop.compliance.staff import staff_on
from etm_desktop.domain.vocabulary import SPECIALIZED_POSITIONS, Position, Status
from etm_desktop.norms.schema import NormSetView

NEWCOMERS = {Status.TRAINEE.value, Status.NOVICE.value}
SPECIALIZED = {p.value for p in SPECIALIZED_POSITIONS}


def bound_cards(inputs: GridInputs, staff: pd.DataFrame, employee_ids) -> pd.DataFrame:
    """Bindings in force of the judged employees, with client and holder attributes."""
    bindings = inputs.bindings
    if employee_ids is not None:
        bindings = bindings[bindings["employee_id"].isin(employee_ids)]
    cards = bindings.join(
        inputs.clients[["code", "ckg", "potential", "territory_id", "group_id", "in_city"]], on="client_id", how="inner"
    )
    # rules.md: a group (I9) is judged by its head's ЦКГ, whichever of its entities is bound
    cards["ckg"] = cards["group_id"].map(inputs.clients["ckg"]).fillna(cards["ckg"])
    holder = staff[["specialization", "spec_since", "previous_specialization", "status"]]
    return cards.join(holder, on="employee_id", how="left")


def group_turnover(inputs: GridInputs, groups) -> pd.DataFrame:
    """Summed turnover of each group (head + related, I9), one column per month back."""
    members = inputs.clients[inputs.clients["group_id"].isin(groups)]
    amounts = inputs.turnover.reindex(members.index).fillna(0.0)
    return amounts.groupby(members["group_id"]).sum().reindex(groups, fill_value=0.0)


def group_receivables(inputs: GridInputs, groups) -> pd.Series:
    members = inputs.clients[inputs.clients["group_id"].isin(groups)]
    # an entity's credit (a negative amount) does not cancel another entity's overdue debt
    amounts = inputs.receivables.reindex(members.index).fillna(0.0).clip(lower=0.0)
    return amounts.groupby(members["group_id"]).sum().reindex(groups, fill_value=0.0)


def meeting_counts(inputs: GridInputs, staff: pd.DataFrame, employee_ids=None) -> pd.DataFrame:
    """Per employee: outside meetings (all, and those with his group's clients) and cold calls.

    With ``employee_ids`` (a what-if) only their activity and its clients are looked at.
    """
    activity = inputs.activity
    if employee_ids is not None:
        activity = activity[activity["employee_id"].isin(employee_ids)]
    meetings = activity[(activity["kind"] == MEETING) & activity["outside_office"].astype(bool)]
    bindings = inputs.bindings
    if employee_ids is not None:
        bindings = bindings[bindings["client_id"].isin(meetings["client_id"].dropna())]
    holders = bindings[["client_id", "employee_id"]].join(staff["lead_id"], on="employee_id")
    meetings = meetings.assign(group=_group_flags(meetings, holders))
    counts = pd.DataFrame(
        {
            "meetings_all": meetings.groupby("employee_id").size(),
            "meetings_group": meetings[meetings["group"]].groupby("employee_id").size(),
            "cold_calls": activity[activity["kind"] == COLD_CALL].groupby("employee_id").size(),
        }
    )
    return counts.fillna(0).astype("int64")


def _group_flags(meetings: pd.DataFrame, holders: pd.DataFrame) -> pd.Series:
    """True for a meeting whose client is held by a МОПП of the meeting person's group."""
    pairs = holders.dropna(subset=["lead_id"])[["client_id", "lead_id"]].drop_duplicates()
    keys = pd.MultiIndex.from_arrays([pairs["client_id"], pairs["lead_id"].astype("int64")])
    probe = pd.MultiIndex.from_arrays([meetings["client_id"].fillna(-1).astype("int64"), meetings["employee_id"]])
    return pd.Series(probe.isin(keys), index=meetings.index)


FLAGS = ("off_flag", "forbidden_flag", "territory_breach", "territory_warning", "potential_breach",
         "potential_warning", "new_hire_territorial", "from_old_base")


def per_manager_counts(cards: pd.DataFrame, turnover: pd.DataFrame, paying_threshold: float) -> pd.DataFrame:
    """KB size and the counted client groups per manager: distinct groups, I9.

    A group counts for a flag when any of its bound cards carries the flag.
    """
    paying_groups = turnover.index[turnover[0] > paying_threshold]
    flagged = cards[["employee_id", "group_id", *FLAGS]].assign(paying=cards["group_id"].isin(paying_groups))
    per_group = flagged.groupby(["employee_id", "group_id"]).any()
    counts = per_group.groupby(level=0).sum()
    counts["kb_size"] = per_group.groupby(level=0).size()
    return counts.astype("int64")


def client_codes(cards: pd.DataFrame, flag: str) -> dict[int, tuple[str, ...]]:
    """Client codes behind a flag, per manager (for drill-down)."""
    flagged = cards[cards[flag]]
    if flagged.empty:
        return {}
    return {k: tuple(sorted(v)) for k, v in flagged.groupby("employee_id")["code"]}


def evaluate(inputs: GridInputs, norms: NormSetView, employee_ids=None, *, with_lists: bool = True) -> Grid:
    """The grid for ``inputs.months[0]`` as at ``inputs.as_of``.

    ``employee_ids`` restricts the managers judged (a what-if); ``with_lists``
    adds blacklist, auto-unbind and overdue-rebinding lists.
    """
    staff = staff_on(inputs, norms.common)
    judged = staff[staff["in_grid"]]
    if employee_ids is not None:
        judged = judged[judged["id"].isin(employee_ids)]
    cards = bound_cards(inputs, staff, judged["id"])
    cards = client_rules.classify_ckg(cards, norms)
    cards = client_rules.mark_rebinding_grace(cards, norms, inputs.as_of)
    cards = client_rules.judge_territory(cards, inputs.territories_assigned, norms)
    cards = client_rules.judge_potential(cards, norms)
    cards = client_rules.judge_new_hire_territory(cards, staff, inputs.territories_assigned, norms, NEWCOMERS)
    cards["off_flag"] = ((cards["ckg_class"] == "off") | cards["over_allowed_cap"]) & ~cards["in_grace"]
    cards["forbidden_flag"] = (cards["ckg_class"] == "forbidden") & ~cards["in_grace"]

    groups = pd.Index(cards["group_id"].unique())
    turnover = group_turnover(inputs, groups)
    counts = per_manager_counts(cards, turnover, norms.common.paying_threshold)
    counts = counts.join(meeting_counts(inputs, staff, None if employee_ids is None else judged["id"]),
                         how="outer").fillna(0).astype("int64")
    new_off = cards[cards["off_flag"] & (cards["valid_from"] >= norms.effective_from)]
    counts["off_profile_new"] = new_off.groupby("employee_id")["group_id"].nunique()
    counts = counts.fillna(0).astype("int64")
    deadlines = cards[cards["from_old_base"]].groupby("employee_id")["rebinding_deadline"].min()

    drill = {flag: client_codes(cards, flag) for flag in FLAGS}
    rows: list[ManagerRow] = []
    per_employee = counts.to_dict("index")
    for employee in judged.sort_values(["office", "full_name"], na_position="last").itertuples():
        figures = per_employee.get(employee.id, {})
        value = (lambda name, figures=figures: int(figures.get(name, 0)))
        kb_size = value("kb_size")
        paying = value("paying")
        requirements = manager_requirements(employee, norms, kb_size)
        row = ManagerRow(
            id=employee.tab_no,
            name=employee.full_name,
            position=employee.position,
            specialization=employee.specialization if isinstance(employee.specialization, str) else None,
            status=employee.status if employee.position in SPECIALIZED else None,
            office=employee.office if isinstance(employee.office, str) else None,
            kb_size=kb_size,
            paying=paying,
            paying_share=round(paying / kb_size, 3) if kb_size else None,
            meetings=value("meetings_all") if employee.position != Position.GROUP_LEAD.value
            else value("meetings_all") - value("meetings_group"),
            cold_calls=value("cold_calls"),
        )
        row.judged = judged_norms(requirements, employee.status in NEWCOMERS, kb_size)
        row.breaches = breaches_for(employee, requirements, value, kb_size, paying, deadlines.get(employee.id),
                                    inputs.as_of, {k: v.get(employee.id, ()) for k, v in drill.items()})
        rows.append(row)

    grid = Grid(month=inputs.months[0], norm_set=norms.name, managers=rows, blacklist=[], auto_unbind=[],
                overdue_rebinding=[])
    if with_lists:
        receivables = group_receivables(inputs, groups)
        grid.blacklist = lists.blacklist(cards, turnover, inputs, norms)
        grid.auto_unbind = lists.auto_unbind(cards, turnover, receivables, inputs, norms)
        grid.overdue_rebinding = lists.overdue_rebinding(cards, staff, inputs, norms)
    return grid
