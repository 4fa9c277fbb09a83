"""Per bound client card: its ЦКГ class, territory and potential verdicts (vectorised).

Each function takes the frame of bound cards (one row per binding, with the
holder's specialization) and adds boolean columns; counting distinct groups
per manager happens in :mod:`engine`.
"""

from __future__ import annotations

import pandas as pd

from etm_desktop.domain.calendar import add_months
from etm_desktop.norms.schema import NormSetView


def spec_ckg_table(norms: NormSetView) -> pd.DataFrame:
    """(specialization, ckg) → class: profile / allowed / forbidden / off."""
    rows = [(name, ckg, ckg_class) for (name, ckg), ckg_class in _ckg_classes(norms).items()]
    return pd.DataFrame(rows, columns=["specialization", "ckg", "ckg_class"])


def _ckg_classes(norms: NormSetView) -> dict[tuple[str, str], str]:
    """(specialization, ckg) → class, as a dict."""
    from etm_desktop.domain.vocabulary import Ckg

    return {(name, ckg.value): spec.ckg_class(ckg.value) for name, spec in norms.specs.items() for ckg in Ckg}


def classify_ckg(bound: pd.DataFrame, norms: NormSetView) -> pd.DataFrame:
    """Add ``ckg_class`` and ``over_allowed_cap`` (allowed ЦКГ beyond its cap, e.g. МРС dealers)."""
    table = _ckg_classes(norms)
    bound = bound.reset_index(drop=True)
    bound["ckg_class"] = [table.get(pair, "off")
                          for pair in zip(bound["specialization"].tolist(), bound["ckg"].tolist())]
    bound["over_allowed_cap"] = False
    caps = [(name, ckg, cap) for name, spec in norms.specs.items() for ckg, cap in spec.allowed_max.items()]
    for name, ckg, cap in caps:
        mask = (bound["specialization"] == name) & (bound["ckg"] == ckg) & (bound["ckg_class"] == "allowed")
        if not mask.any():
            continue
        # the groups bound latest are the ones beyond the cap
        candidates = bound[mask].sort_values("valid_from")
        seen: dict = {}  # employee → {group: its order of first binding}, as pd.factorize per employee
        rank = pd.Series([seen.setdefault(e, {}).setdefault(g, len(seen[e]) + 1) for e, g in
                          zip(candidates["employee_id"].tolist(), candidates["group_id"].tolist())],
                         index=candidates.index)
        bound.loc[rank[rank > cap].index, "over_allowed_cap"] = True
    return bound


def mark_rebinding_grace(bound: pd.DataFrame, norms: NormSetView, as_of) -> pd.DataFrame:
    """Flag cards left from the old specialization: ``from_old_base`` and ``rebinding_deadline``.

    A card bound before the current specialization started, of a ЦКГ the new one
    does not work with, must be re-bound within the norm's months.
    """
    months = norms.common.rebinding_months_specialization
    changed = bound["previous_specialization"].notna() & (bound["valid_from"] < bound["spec_since"])
    unfit = bound["ckg_class"].isin(["off", "forbidden"]) | bound["over_allowed_cap"]
    bound["from_old_base"] = changed & unfit
    bound["rebinding_deadline"] = [
        add_months(s, months) if flag else None
        for s, flag in zip(bound["spec_since"].tolist(), bound["from_old_base"].tolist())
    ]
    bound["in_grace"] = bound["from_old_base"] & pd.Series(
        [d is not None and as_of <= d for d in bound["rebinding_deadline"].tolist()], index=bound.index, dtype=bool
    )
    return bound


def judge_territory(bound: pd.DataFrame, assigned: pd.DataFrame, norms: NormSetView) -> pd.DataFrame:
    """Add ``territory_breach`` and ``territory_warning`` per card (I5).

    Rule ``city``: outside the city is tolerated (warning) for the listed ЦКГ, a
    breach otherwise; rule ``assigned``: a territory not assigned to the holder
    is a breach. Cards with no territory are not judged.
    """
    rule = bound["specialization"].map({n: s.territory.rule for n, s in norms.specs.items()})
    has_territory = bound["territory_id"].notna()
    outside_city = has_territory & (bound["in_city"] == False)  # noqa: E712 - pandas elementwise
    tolerate_all = {n for n, s in norms.specs.items() if s.territory.tolerate_all}
    tolerated_ckg = {n: set(s.territory.tolerated_ckg) for n, s in norms.specs.items()
                     if not s.territory.tolerate_all and s.territory.tolerated_ckg}
    tolerated = pd.Series([spec in tolerate_all or (spec in tolerated_ckg and ckg in tolerated_ckg[spec])
                           for spec, ckg in zip(bound["specialization"].tolist(), bound["ckg"].tolist())],
                          index=bound.index, dtype=bool)
    city_rule = rule == "city"
    keys = set(zip(assigned["employee_id"].tolist(), assigned["territory_id"].tolist()))
    probe = zip(bound["employee_id"].tolist(), bound["territory_id"].fillna(-1).astype("int64").tolist())
    own = pd.Series([pair in keys for pair in probe], index=bound.index, dtype=bool)
    assigned_rule = (rule == "assigned") & has_territory
    bound["territory_warning"] = city_rule & outside_city & tolerated
    bound["territory_breach"] = (city_rule & outside_city & ~tolerated) | (assigned_rule & ~own)
    return bound


def judge_potential(bound: pd.DataFrame, norms: NormSetView) -> pd.DataFrame:
    """Add ``potential_breach`` / ``potential_warning``; an empty potential is not judged."""
    target = {n: s.potential_target for n, s in norms.specs.items()}
    tolerated = {n: s.potential_tolerated for n, s in norms.specs.items()}
    known = bound["potential"].notna() & bound["specialization"].notna()
    cards = list(zip(bound["potential"].tolist(), bound["specialization"].tolist(), known.tolist()))
    in_target = pd.Series([known_ and p in target.get(s) for p, s, known_ in cards], index=bound.index, dtype=bool)
    in_tolerated = pd.Series([known_ and p in tolerated.get(s) for p, s, known_ in cards], index=bound.index,
                             dtype=bool)
    bound["potential_warning"] = known & ~in_target & in_tolerated
    bound["potential_breach"] = known & ~in_target & ~in_tolerated
    return bound


def judge_new_hire_territory(bound: pd.DataFrame, staff: pd.DataFrame, assigned: pd.DataFrame, norms: NormSetView,
                             newcomer_statuses: set[str]) -> pd.DataFrame:
    """Add ``new_hire_territorial``: a newcomer's card in a territorial МОПП's territory.

    Which specializations the rule binds (Универсальный) and which ones own
    territories (rule ``assigned``) both come from the norms.
    """
    bound_specs = {n for n, s in norms.specs.items() if s.new_hire_not_in_territorial}
    owner_specs = {n for n, s in norms.specs.items() if s.territory.rule == "assigned"}
    owners = staff[staff["employed"] & staff["specialization"].isin(owner_specs)]["id"]
    taken = set(assigned[assigned["employee_id"].isin(owners)]["territory_id"])
    bound["new_hire_territorial"] = (
        bound["specialization"].isin(bound_specs)
        & bound["status"].isin(newcomer_statuses)
        & bound["territory_id"].isin(taken)
    )
    return bound
