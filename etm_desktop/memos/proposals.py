"""Memo drafts from the control lists, and the distribution assistant.

For a departing (dismissed or re-specialized) manager, :func:`departure_proposal`
proposes who takes each client: every candidate × client pair is judged by the
engine's own client rules (ЦКГ, territory, potential, newcomer territory), then
clients are placed greedily — best turnover first — on the candidate who fits:
same office first, then same cluster; someone under his minimum before someone
comfortable; never over a maximum, never pushing a paying share under its
minimum. A client no one may take goes to ООК with the reason, so the donor
always reaches zero. The draft is then checked like any memo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from etm_desktop.compliance import client_rules
from etm_desktop.compliance.engine import NEWCOMERS, evaluate, group_turnover
from etm_desktop.compliance.manager_norms import manager_requirements
from etm_desktop.compliance.service import month_grid, prepared_inputs
from etm_desktop.compliance.staff import staff_on
from etm_desktop.domain.calendar import last_completed_month, month_end
from etm_desktop.domain.vocabulary import SPECIALIZED_POSITIONS
from etm_desktop.memos.draft import MemoDraft, MemoLineDraft
from etm_desktop.memos.problems import MemoCheck
from etm_desktop.memos.store import MemoError
from etm_desktop.memos.validation import check_memo
from etm_desktop.norms.store import NormBook


@dataclass(frozen=True)
class Placement:
    client: str
    client_name: str
    to_manager: str | None  # None: to ООК
    to_name: str | None
    why: str


@dataclass
class Proposal:
    draft: MemoDraft
    placements: list[Placement] = field(default_factory=list)
    check: MemoCheck | None = None

    @property
    def unplaced(self) -> list[Placement]:
        return [p for p in self.placements if p.to_manager is None]


def held_cards(database, month: date, entries) -> dict[tuple[str, str], list[str]]:
    """(group client, manager) → codes of that group's cards the manager holds at the month's end (I9)."""
    norms = NormBook.load(database).in_force(month_end(month))
    inputs = prepared_inputs(database, month_end(month), month, norms)
    clients, bindings = inputs.clients, inputs.bindings
    tabs = dict(zip(inputs.employees["tab_no"], inputs.employees["id"]))
    result = {}
    for client, manager in entries:
        found = clients.index[clients["code"] == client]
        if len(found) == 0 or manager not in tabs:
            result[(client, manager)] = []
            continue
        members = clients.index[clients["group_id"] == clients.at[found[0], "group_id"]]
        held = bindings[(bindings["employee_id"] == tabs[manager]) & bindings["client_id"].isin(members)]
        result[(client, manager)] = sorted(clients.loc[held["client_id"], "code"])
    return result


def auto_unbind_draft(database, month: date, on: date | None = None, only=None) -> MemoDraft:
    """An открепление draft for the month's auto-unbind candidates: every bound card of each group.

    ``only``: the (client, manager) rows to keep (the analyst's selection); default all.
    """
    grid = month_grid(database, month)
    norms = NormBook.load(database).in_force(month_end(month))
    entries = [(e.client, e.manager) for e in grid.auto_unbind]
    if only is not None:
        wanted = set(only)
        entries = [e for e in entries if e in wanted]
    reason = "Нет товарооборота {0} мес. и нет ПДЗ".format(norms.common.auto_unbind_months)
    cards = held_cards(database, month, entries)
    lines = []
    for client, manager in entries:
        for code in cards[(client, manager)]:
            lines.append(MemoLineDraft(len(lines) + 1, "unbind", code, from_manager=manager, reason=reason))
    if not lines:
        raise MemoError("В списке автооткрепления за этот месяц нет выбранных клиентов" if only is not None
                        else "В списке автооткрепления за этот месяц нет клиентов")
    return MemoDraft(number=None, memo_date=on or date.today(), lines=tuple(lines),
                     subject="Об откреплении клиентов без товарооборота")


def _candidate_cards(cards: pd.DataFrame, candidates: pd.DataFrame, inputs, staff, norms) -> pd.DataFrame:
    """Every donor card paired with every candidate, judged by the engine's client rules."""
    pairs = cards[["client_id", "code", "ckg", "potential", "territory_id", "group_id", "in_city"]].merge(
        candidates[["id", "specialization", "status"]].rename(columns={"id": "employee_id"}), how="cross")
    pairs["valid_from"] = inputs.as_of
    pairs["spec_since"] = inputs.as_of
    pairs["previous_specialization"] = None
    pairs = client_rules.classify_ckg(pairs, norms)
    pairs = client_rules.judge_territory(pairs, inputs.territories_assigned, norms)
    pairs = client_rules.judge_potential(pairs, norms)
    pairs = client_rules.judge_new_hire_territory(pairs, staff, inputs.territories_assigned, norms, NEWCOMERS)
    return pairs


def _refusal(pairs: pd.DataFrame) -> str:
    """Why none of the candidates may take a group, in the analyst's words."""
    if pairs.empty:
        return "нет МОПП, которым можно передать клиента"
    if not pairs["ckg_class"].isin(["profile", "allowed"]).any():
        return "нет МОПП, работающих с ЦКГ «{0}»".format(pairs["ckg"].iloc[0])
    fitting = pairs[pairs["ckg_class"].isin(["profile", "allowed"])]
    if fitting["potential_breach"].all():
        return "потенциал «{0}» не целевой ни для одного подходящего МОПП".format(fitting["potential"].iloc[0])
    if fitting["territory_breach"].all():
        return "территория клиента не закреплена ни за одним подходящим МОПП"
    return "у всех подходящих МОПП нет места в КБ, исчерпан предел клиентов этой ЦКГ или упала бы доля платящих"


def _allowed_caps(inputs, candidates: pd.DataFrame, norms) -> dict[int, dict[str, list[int]]]:
    """Per candidate: {ЦКГ: [cap, groups held]} for the allowed ЦКГ he may hold only up to a cap."""
    capped = {name: {ckg: cap for ckg, cap in spec.allowed_max.items() if spec.ckg_class(ckg) == "allowed"}
              for name, spec in norms.specs.items()}
    held = inputs.bindings[inputs.bindings["employee_id"].isin(candidates["id"])].join(
        inputs.clients[["ckg", "group_id"]], on="client_id")
    counts = held.groupby(["employee_id", "ckg"])["group_id"].nunique().to_dict()
    return {
        c.id: {ckg: [cap, int(counts.get((c.id, ckg), 0))] for ckg, cap in capped.get(c.specialization, {}).items()}
        for c in candidates.itertuples()
    }


def departure_proposal(database, tab_no: str, on: date | None = None) -> Proposal:
    """A transfer draft distributing a departing manager's clients (see module doc)."""
    on = on or date.today()
    norms = NormBook.load(database).in_force(on)
    month = last_completed_month(on)
    inputs = prepared_inputs(database, on, month, norms)
    staff = staff_on(inputs, norms.common)
    donor = staff[staff["tab_no"] == tab_no]
    if donor.empty:
        raise MemoError(f"Сотрудник «{tab_no}» не найден")
    donor = donor.iloc[0]
    cards = inputs.bindings[inputs.bindings["employee_id"] == donor["id"]].join(
        inputs.clients[["code", "name", "ckg", "potential", "territory_id", "group_id", "in_city"]], on="client_id")
    leaving = not donor["employed"] or pd.notna(donor["dismissal"])
    if not leaving and pd.notna(donor["previous_specialization"]):
        fit = cards.assign(specialization=donor["specialization"], spec_since=donor["spec_since"],
                           previous_specialization=donor["previous_specialization"], employee_id=donor["id"])
        fit = client_rules.mark_rebinding_grace(client_rules.classify_ckg(fit, norms), norms, on)
        cards = cards[fit["from_old_base"].to_numpy()]
        subject, reason = "О перезакреплении клиентов", "Смена специализации МОПП"
    else:
        subject, reason = "О перезакреплении клиентов", "Увольнение / перевод МОПП"
    if cards.empty:
        raise MemoError(f"У сотрудника {tab_no} нет клиентов, которых нужно перезакрепить")

    specialized = {p.value for p in SPECIALIZED_POSITIONS}
    candidates = staff[staff["employed"] & staff["dismissal"].isna()  # not one who is leaving himself
                       & staff["position"].isin(specialized) & staff["specialization"].notna()
                       & (staff["id"] != donor["id"])]
    rows = {r.id: r for r in evaluate(inputs, norms, candidates["id"], with_lists=False).managers}
    caps = _allowed_caps(inputs, candidates, norms)
    state = {}
    for c in candidates.itertuples():
        row = rows.get(c.tab_no)
        req = manager_requirements(c, norms, row.kb_size if row else 0)
        state[c.id] = {"kb": row.kb_size if row else 0, "paying": row.paying if row else 0,
                       "max": req.kb_max, "min": req.kb_min or 0, "share": req.paying_min,
                       "caps": caps[c.id]}
    pairs = _candidate_cards(cards, candidates, inputs, staff, norms)
    pairs["fits"] = (pairs["ckg_class"].isin(["profile", "allowed"]) & ~pairs["territory_breach"]
                     & ~pairs["potential_breach"] & ~pairs["new_hire_territorial"])
    turnover = group_turnover(inputs, pd.Index(cards["group_id"].unique()))
    paying_groups = set(turnover.index[turnover[0] > norms.common.paying_threshold])
    order = turnover[0].sort_values(ascending=False).index
    by_id = candidates.set_index("id")

    placements: list[Placement] = []
    lines: list[MemoLineDraft] = []
    for group_id in order:
        group_pairs = pairs[pairs["group_id"] == group_id]
        ok_ids = set(group_pairs.groupby("employee_id")["fits"].all().loc[lambda s: s].index)
        paying = group_id in paying_groups
        group_cards = cards[cards["group_id"] == group_id].sort_values("code")
        capped = set(group_cards["ckg"])
        best, best_key = None, None
        for employee_id in ok_ids:
            s = state[employee_id]
            if s["max"] is not None and s["kb"] + 1 > s["max"]:
                continue
            if any(held + 1 > cap for ckg, (cap, held) in s["caps"].items() if ckg in capped):
                continue  # an allowed ЦКГ beyond its cap (МРС: at most 5 dealers) is off-profile
            if s["share"] is not None and not paying and s["paying"] < s["share"] * (s["kb"] + 1) - 1e-9:
                continue
            person = by_id.loc[employee_id]
            place = 0 if person["office_id"] == donor["office_id"] else 1 if person["cluster_id"] == donor[
                "cluster_id"] else 2
            need = -(s["min"] - s["kb"]) if s["kb"] < s["min"] else 0
            room = s["kb"] / s["max"] if s["max"] else 0
            key = (place, need, room, person["tab_no"])
            if best_key is None or key < best_key:
                best, best_key = employee_id, key
        for card in group_cards.itertuples():
            if best is None:
                why = _refusal(group_pairs)
                lines.append(MemoLineDraft(len(lines) + 1, "to_ook", card.code, from_manager=tab_no,
                                           reason=f"{reason}; передаётся в ООК: {why}"))
                placements.append(Placement(card.code, card.name, None, None, why))
            else:
                person = by_id.loc[best]
                where = ("тот же ОП", "тот же куст", "другой куст")[best_key[0]]
                why = "{0}; КБ {1} из {2}".format(where, state[best]["kb"] + 1, state[best]["max"] or "—")
                lines.append(MemoLineDraft(len(lines) + 1, "transfer", card.code, from_manager=tab_no,
                                           to_manager=person["tab_no"], reason=reason))
                placements.append(Placement(card.code, card.name, person["tab_no"], person["full_name"], why))
        if best is not None:
            state[best]["kb"] += 1
            state[best]["paying"] += int(paying)
            for ckg in capped & set(state[best]["caps"]):
                state[best]["caps"][ckg][1] += 1
    draft = MemoDraft(number=None, memo_date=on, lines=tuple(lines), subject=subject)
    return Proposal(draft=draft, placements=placements, check=check_memo(database, draft))
