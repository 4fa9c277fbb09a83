"""The month's control lists: blacklist, auto-unbind candidates, overdue rebinding."""

from __future__ import annotations

import pandas as pd

from etm_desktop.compliance.result import AutoUnbindEntry, BlacklistEntry, OverdueRebinding
from etm_desktop.domain.calendar import add_months
from etm_desktop.domain.people import rub
from etm_desktop.norms.schema import NormSetView


def _month(day) -> str:
    return day.strftime("%m.%Y")


def _pairs(cards: pd.DataFrame, inputs) -> pd.DataFrame:
    """One row per (manager, group): the group's head code and potential, the manager's tab no."""
    pairs = cards[["employee_id", "group_id", "specialization"]].drop_duplicates(["employee_id", "group_id"])
    heads = inputs.clients[["code", "potential"]]
    pairs = pairs.join(heads, on="group_id")
    tab = inputs.employees.set_index("id")["tab_no"]
    return pairs.assign(manager=pairs["employee_id"].map(tab))


def blacklist(cards: pd.DataFrame, turnover: pd.DataFrame, inputs, norms: NormSetView) -> list[BlacklistEntry]:
    """Bound groups whose purchases fell under the holder's blacklist threshold (I7)."""
    pairs = _pairs(cards, inputs)
    entries: list[BlacklistEntry] = []
    by_spec = pairs.groupby("specialization", sort=False).indices  # one pass, not a comparison per spec
    judged_month = _month(inputs.months[0])
    for name, spec in norms.specs.items():
        rule = spec.blacklist
        if name not in by_spec:
            continue
        mine = pairs.take(by_spec[name])
        amounts = turnover.reindex(mine["group_id"]).fillna(0.0)
        amounts.index = mine.index
        if rule.rule == "each_month_below":
            window = list(range(rule.months))
            below = (amounts[window] < rule.threshold).all(axis=1)
            months = ", ".join(_month(inputs.months[i]) for i in reversed(window))
            reason = f"ТО за {months} — менее {rub(rule.threshold)} в каждом месяце"
            chosen = mine[below]
            entries.extend(BlacklistEntry(code, manager, reason)
                           for code, manager in zip(chosen["code"].tolist(), chosen["manager"].tolist()))
        else:
            limit = mine["potential"].map(rule.by_potential)
            below = limit.notna() & (amounts[0] < limit)
            chosen = mine[below]
            for code, manager, potential, bought, cap in zip(
                    chosen["code"].tolist(), chosen["manager"].tolist(), chosen["potential"].tolist(),
                    amounts[0][below].tolist(), limit[below].tolist()):
                entries.append(BlacklistEntry(code, manager, "ТО за {0} — {1}, менее {2} для потенциала {3}".format(
                    judged_month, rub(bought), rub(cap), potential)))
    return sorted(entries, key=lambda e: (e.manager, e.client))


def auto_unbind(cards: pd.DataFrame, turnover: pd.DataFrame, receivables: pd.Series, inputs,
                norms: NormSetView) -> list[AutoUnbindEntry]:
    """Bound groups with no turnover for the norm's months and no ПДЗ."""
    pairs = _pairs(cards, inputs)
    window = list(range(norms.common.auto_unbind_months))
    bought = turnover.reindex(pairs["group_id"]).fillna(0.0)[window].max(axis=1).to_numpy()
    owed = receivables.reindex(pairs["group_id"]).fillna(0.0).to_numpy()
    chosen = pairs[(bought <= 0) & (owed <= 0)]
    return sorted((AutoUnbindEntry(code, manager)
                   for code, manager in zip(chosen["code"].tolist(), chosen["manager"].tolist())),
                  key=lambda e: (e.manager, e.client))


def overdue_rebinding(cards: pd.DataFrame, staff: pd.DataFrame, inputs, norms: NormSetView) -> list[OverdueRebinding]:
    """Dismissed holders still holding clients after a month; re-specialized ones after two."""
    out: list[OverdueRebinding] = []
    day = inputs.as_of
    held = inputs.bindings.join(inputs.clients["group_id"], on="client_id")
    held_groups = held.groupby("employee_id")["group_id"].nunique()
    gone = staff[staff["dismissal"].notna() & (staff["dismissal"] < day)]
    for employee in gone.itertuples():
        deadline = add_months(employee.dismissal, norms.common.rebinding_months_dismissal)
        count = int(held_groups.get(employee.id, 0))
        if count and day > deadline:
            out.append(OverdueRebinding(employee.tab_no, count, employee.dismissal, deadline, "увольнение"))
    old = cards[cards["from_old_base"]]
    for employee_id, frame in old.groupby("employee_id"):
        deadline = frame["rebinding_deadline"].min()
        if day > deadline:
            since = frame["spec_since"].min()
            out.append(OverdueRebinding(staff.loc[employee_id, "tab_no"], int(frame["group_id"].nunique()), since,
                                        deadline, "смена специализации"))
    return sorted(out, key=lambda o: (o.deadline, o.manager))
