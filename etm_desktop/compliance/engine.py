"""Judging a month: the whole centre's grid from prepared frames, in pandas.

:func:`evaluate` never touches the database; it takes :class:`GridInputs` and a
norm set, so the same code serves the month's grid and a memo's what-if (with
other bindings, restricted to the managers the memo touches).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from etm_desktop.compliance import client_rules, lists
from etm_desktop.compliance.inputs import COLD_CALL, MEETING, GridInputs, gc_paused
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
    # an inner join on the clients' index, by position (the index's lookup table is built once)
    at = inputs.clients.index.get_indexer(bindings["client_id"])
    if (at < 0).any():
        bindings, at = bindings[at >= 0], at[at >= 0]
    attributes = inputs.clients.take(at)[["code", "ckg", "potential", "territory_id", "group_id", "in_city"]]
    attributes.index = bindings.index
    holder = staff.reindex(bindings["employee_id"])[["specialization", "spec_since", "previous_specialization",
                                                     "status"]]
    holder.index = bindings.index
    cards = pd.concat([bindings, attributes, holder], axis=1)
    # rules.md: a group (I9) is judged by its head's ЦКГ, whichever of its entities is bound
    cards["ckg"] = cards["group_id"].map(inputs.clients["ckg"]).fillna(cards["ckg"])
    return cards


def group_turnover(inputs: GridInputs, groups) -> pd.DataFrame:
    """Summed turnover of each group (head + related, I9), one column per month back."""
    members = inputs.clients["group_id"]
    members = members[members.isin(groups)]
    amounts = inputs.turnover.reindex(members.index).fillna(0.0)
    return amounts.groupby(members).sum().reindex(groups, fill_value=0.0)


def group_receivables(inputs: GridInputs, groups) -> pd.Series:
    members = inputs.clients["group_id"]
    members = members[members.isin(groups)]
    # an entity's credit (a negative amount) does not cancel another entity's overdue debt
    amounts = inputs.receivables.reindex(members.index).fillna(0.0).clip(lower=0.0)
    return amounts.groupby(members).sum().reindex(groups, fill_value=0.0)


def meeting_counts(inputs: GridInputs, staff: pd.DataFrame, employee_ids=None) -> pd.DataFrame:
    """Per employee: outside meetings (all, and those with his group's clients) and cold calls.

    With ``employee_ids`` (a what-if) only their meetings and the holders of their
    clients are looked at.
    """
    meetings, counts = _activity_counts(inputs)
    if employee_ids is not None:
        meetings = meetings[meetings["employee_id"].isin(employee_ids)]
    bindings = inputs.bindings
    if employee_ids is not None:
        bindings = bindings[bindings["client_id"].isin(meetings["client_id"])]
    group = _group_flags(meetings, bindings, staff)
    return counts.assign(meetings_group=meetings["employee_id"][group].value_counts()).fillna(0).astype("int64")


def _activity_counts(inputs: GridInputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's outside meetings (employee_id, client_id; -1 for none) and the counts that do not
    depend on bindings, per employee: all outside meetings and cold calls (computed once per inputs)."""
    key = ("activity",)
    if key not in inputs.derived:
        activity = inputs.activity
        outside = activity[(activity["kind"] == MEETING) & activity["outside_office"].astype(bool)]
        meetings = pd.DataFrame({"employee_id": outside["employee_id"].to_numpy(),
                                 "client_id": outside["client_id"].fillna(-1).astype("int64").to_numpy()})
        counts = pd.DataFrame({
            "meetings_all": meetings.groupby("employee_id").size(),
            "cold_calls": activity[activity["kind"] == COLD_CALL].groupby("employee_id").size(),
        })
        inputs.derived[key] = (meetings, counts)
    return inputs.derived[key]


def _group_flags(meetings: pd.DataFrame, bindings: pd.DataFrame, staff: pd.DataFrame) -> list[bool]:
    """True for a meeting whose client is held by a МОПП of the meeting person's group."""
    leads = bindings["employee_id"].map(staff["lead_id"])
    known = leads.notna()
    pairs = set(zip(bindings["client_id"][known].tolist(), leads[known].astype("int64").tolist()))
    return [pair in pairs for pair in zip(meetings["client_id"].tolist(), meetings["employee_id"].tolist())]


FLAGS = ("off_flag", "forbidden_flag", "territory_breach", "territory_warning", "potential_breach",
         "potential_warning", "new_hire_territorial", "from_old_base")


def per_manager_counts(cards: pd.DataFrame, turnover: pd.DataFrame, paying_threshold: float) -> pd.DataFrame:
    """KB size and the counted client groups per manager: distinct groups, I9.

    A group counts for a flag when any of its bound cards carries the flag.
    (Sorted arrays and ``reduceat``: a pandas groupby costs milliseconds even on
    the few cards of a memo's what-if.)
    """
    columns = [*FLAGS, "paying"]
    if cards.empty:
        return pd.DataFrame(columns=[*columns, "kb_size"], index=pd.Index([], name="employee_id"), dtype="int64")
    paying_groups = turnover.index[turnover[0] > paying_threshold]
    flags = [cards[f] if cards[f].dtype == bool else cards[f].fillna(False).astype(bool) for f in FLAGS]
    flags = np.column_stack([f.to_numpy() for f in flags] + [cards["group_id"].isin(paying_groups).to_numpy()])
    employees = cards["employee_id"].to_numpy(dtype="int64")
    groups = cards["group_id"].to_numpy(dtype="int64")
    order = np.lexsort((groups, employees))
    employees, groups, flags = employees[order], groups[order], flags[order]
    pair_starts = np.flatnonzero(np.r_[True, (employees[1:] != employees[:-1]) | (groups[1:] != groups[:-1])])
    per_group = np.logical_or.reduceat(flags, pair_starts, axis=0)
    pair_employees = employees[pair_starts]
    starts = np.flatnonzero(np.r_[True, pair_employees[1:] != pair_employees[:-1]])
    counts = pd.DataFrame(np.add.reduceat(per_group.astype("int64"), starts, axis=0), columns=columns,
                          index=pd.Index(pair_employees[starts], name="employee_id"))
    counts["kb_size"] = np.diff(np.r_[starts, len(pair_employees)]).astype("int64")
    return counts


def client_codes(cards: pd.DataFrame, flags=FLAGS) -> dict[str, dict[int, tuple[str, ...]]]:
    """Per flag, the client codes behind it per manager (for drill-down)."""
    flagged = cards[cards[list(flags)].any(axis=1)]
    employees, codes = flagged["employee_id"].tolist(), flagged["code"].tolist()
    out: dict[str, dict[int, tuple[str, ...]]] = {}
    for flag in flags:
        per: dict[int, list[str]] = {}
        for employee_id, code, yes in zip(employees, codes, flagged[flag].tolist()):
            if yes:
                per.setdefault(employee_id, []).append(code)
        out[flag] = {employee_id: tuple(sorted(found)) for employee_id, found in per.items()}
    return out


def norms_key(norms: NormSetView) -> str:
    """A value key of a norm set (its full repr): equal norms judge equally."""
    return repr(norms)


def evaluate(inputs: GridInputs, norms: NormSetView, employee_ids=None, *, with_lists: bool = True) -> Grid:
    """The grid for ``inputs.months[0]`` as at ``inputs.as_of``.

    ``employee_ids`` restricts the managers judged (a what-if); ``with_lists``
    adds blacklist, auto-unbind and overdue-rebinding lists. The whole grid is
    computed once per inputs and norm set (``inputs.derived``); each call gets its
    own copy of it.
    """
    if employee_ids is not None:
        return _judge(inputs, norms, employee_ids, with_lists)[0]
    key = ("grid", norms_key(norms), with_lists)
    grid = inputs.derived.get(key)
    if grid is None:
        with gc_paused():
            grid, ids = _judge(inputs, norms, None, with_lists)
        inputs.derived[key] = grid
        rows = inputs.derived.setdefault(("rows", norms_key(norms)), {})
        rows.update(zip(ids, grid.managers))
        rows.update({employee_id: None for employee_id in _grid_ids(inputs, norms) if employee_id not in rows})
    return _copy_grid(grid)


def manager_rows(inputs: GridInputs, norms: NormSetView, employee_ids) -> dict:
    """employee id → his grid row on ``inputs`` as they are (None if the grid does not judge him).

    A manager's row depends only on his own cards and activity, so rows judged
    for a few managers equal the whole grid's; they are kept per inputs and norm
    set, and a memo's what-if re-judges only the managers it changes.
    """
    rows = inputs.derived.setdefault(("rows", norms_key(norms)), {})
    missing = sorted({int(e) for e in employee_ids} - rows.keys())
    if missing:
        grid, ids = _judge(inputs, norms, missing, False)
        found = dict(zip(ids, grid.managers))
        rows.update({employee_id: found.get(employee_id) for employee_id in missing})
    return {int(e): rows[int(e)] for e in employee_ids}


def _grid_order(inputs: GridInputs, staff: pd.DataFrame, norms: NormSetView) -> tuple[pd.DataFrame, list]:
    """The staff the grid judges, in the grid's row order, as a frame and as ``itertuples`` records
    (once per inputs and status bounds)."""
    key = ("staff", "grid order", norms.common.novice_last_month, norms.common.experienced_last_month)
    if key not in inputs.derived:
        judged = staff[staff["in_grid"]].sort_values(["office", "full_name"], na_position="last")
        inputs.derived[key] = (judged, list(judged.itertuples()))
    return inputs.derived[key]


def _grid_ids(inputs: GridInputs, norms: NormSetView):
    staff = staff_on(inputs, norms.common)
    return staff.index[staff["in_grid"]].tolist()


def _copy_grid(grid: Grid) -> Grid:
    """A copy a caller may change without changing the cached grid (breaches are frozen)."""
    rows = [replace(row, breaches=list(row.breaches), judged=list(row.judged)) for row in grid.managers]
    return replace(grid, managers=rows, blacklist=list(grid.blacklist), auto_unbind=list(grid.auto_unbind),
                   overdue_rebinding=list(grid.overdue_rebinding))


def _judge(inputs: GridInputs, norms: NormSetView, employee_ids, with_lists: bool) -> tuple[Grid, list[int]]:
    """The grid of the judged managers and their employee ids, in the grid's row order."""
    staff = staff_on(inputs, norms.common)
    judged, records = _grid_order(inputs, staff, norms)
    if employee_ids is not None:
        wanted = {int(e) for e in employee_ids}
        judged = judged[judged["id"].isin(wanted)]
        records = [r for r in records if r.id in wanted]
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
    counts = per_manager_counts(cards, turnover, norms.common.paying_threshold).to_dict("index")
    activity = meeting_counts(inputs, staff, None if employee_ids is None else judged["id"]).to_dict("index")
    new_off = cards[cards["off_flag"] & (cards["valid_from"] >= norms.effective_from)]
    off_groups: dict[int, set] = {}
    for employee_id, group_id in zip(new_off["employee_id"].tolist(), new_off["group_id"].tolist()):
        off_groups.setdefault(employee_id, set()).add(group_id)
    off_profile_new = {employee_id: len(found) for employee_id, found in off_groups.items()}
    old_base = cards[cards["from_old_base"]]
    deadlines: dict = {}
    for employee_id, deadline in zip(old_base["employee_id"].tolist(), old_base["rebinding_deadline"].tolist()):
        deadlines[employee_id] = min(deadlines.get(employee_id, deadline), deadline)

    drill = client_codes(cards)
    rows: list[ManagerRow] = []
    ids: list[int] = []
    for employee in records:
        figures = {**counts.get(employee.id, {}), **activity.get(employee.id, {}),
                   "off_profile_new": off_profile_new.get(employee.id, 0)}
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
        ids.append(int(employee.id))

    grid = Grid(month=inputs.months[0], norm_set=norms.name, managers=rows, blacklist=[], auto_unbind=[],
                overdue_rebinding=[])
    if with_lists:
        receivables = group_receivables(inputs, groups)
        grid.blacklist = lists.blacklist(cards, turnover, inputs, norms)
        grid.auto_unbind = lists.auto_unbind(cards, turnover, receivables, inputs, norms)
        grid.overdue_rebinding = lists.overdue_rebinding(cards, staff, inputs, norms)
    return grid, ids
