"""Turning one manager's figures and requirements into breaches and warnings."""

from __future__ import annotations

from datetime import date
from typing import Callable

from etm_desktop.compliance.manager_norms import Requirements
from etm_desktop.compliance.result import Breach

# Counts are integers and shares come from integer ratios; a tolerance keeps
# "exactly 35%" (7 of 20) from failing on floating-point noise.
EPSILON = 1e-9


def _fmt(value: float) -> str:
    return "{0:g}".format(round(value, 2))


def judged_norms(req: Requirements, newcomer: bool, kb_size: int) -> list[str]:
    """The norm codes that apply to a manager with these requirements (for "в норме" cells)."""
    spec = req.spec
    applies = {
        "kb_size_max": req.kb_max is not None,
        "kb_size_min": req.kb_min is not None,
        "paying_share": req.paying_min is not None and kb_size > 0,
        "off_profile": spec is not None,
        "forbidden_ckg": spec is not None,
        "meetings": req.meetings_required is not None,
        "cold_calls": req.calls_required is not None,
        "territory": spec is not None and spec.territory.rule != "none",
        "potential": spec is not None,
        "new_universal_territory": spec is not None and spec.new_hire_not_in_territorial and newcomer,
        "head_meetings": req.head_meetings_required is not None,
        "group_meetings": req.group_meetings_required is not None,
        "rebinding_overdue": spec is not None,
    }
    return [code for code, yes in applies.items() if yes]


def breaches_for(
    employee,
    req: Requirements,
    value: Callable[[str], int],
    kb_size: int,
    paying: int,
    old_base_deadline: date | None,
    as_of: date,
    drill: dict[str, tuple[str, ...]],
) -> list[Breach]:
    """Every norm ``employee`` fails (breach) or tolerably deviates from (warning)."""
    out: list[Breach] = []

    def add(norm, severity, actual, required, message, clients=()):
        out.append(Breach(norm, severity, actual, required, message, tuple(clients)))

    if req.kb_max is not None and kb_size > req.kb_max:
        add("kb_size_max", "breach", kb_size, req.kb_max, f"В КБ {kb_size} клиентов, максимум {req.kb_max}")
    if req.kb_min is not None and kb_size < req.kb_min:
        add("kb_size_min", "breach", kb_size, req.kb_min, f"В КБ {kb_size} клиентов, минимум {req.kb_min}")
    if req.paying_min is not None and kb_size > 0 and paying < req.paying_min * kb_size - EPSILON:
        share = round(paying / kb_size, 3)
        add("paying_share", "breach", share, req.paying_min,
            f"Платящих свыше порога {paying} из {kb_size} ({share:.1%}), нужно не менее {req.paying_min:.0%}")
    spec = req.spec
    if spec is not None:
        off = value("off_flag")
        if spec.off_profile_max is not None and off > spec.off_profile_max:
            add("off_profile", "breach", off, spec.off_profile_max,
                f"Непрофильных клиентов {off}, допускается {spec.off_profile_max}", drill["off_flag"])
        elif not spec.off_profile_new_allowed and value("off_profile_new") > 0:  # I3: the ban on new ones stays
            add("off_profile", "breach", value("off_profile_new"), 0,
                "Закреплены новые непрофильные клиенты, а это запрещено", drill["off_flag"])
        forbidden = value("forbidden_flag")
        if forbidden > 0:
            add("forbidden_ckg", "breach", forbidden, 0, f"Клиентов запрещённых ЦКГ: {forbidden}",
                drill["forbidden_flag"])
        for kind in ("territory", "potential"):
            strict, tolerated = value(f"{kind}_breach"), value(f"{kind}_warning")
            noun = "вне целевых территорий" if kind == "territory" else "с нецелевым потенциалом"
            if strict:
                add(kind, "breach", strict, 0, f"Клиентов {noun}: {strict}", drill[f"{kind}_breach"])
            if tolerated:
                add(kind, "warning", tolerated, 0, f"Клиентов {noun} (допускается): {tolerated}",
                    drill[f"{kind}_warning"])
        newcomer = value("new_hire_territorial")
        if newcomer:
            add("new_universal_territory", "breach", newcomer, 0,
                f"У нового МОПП {newcomer} клиентов на территориях территориальных МОПП",
                drill["new_hire_territorial"])
        old_base = value("from_old_base")
        if old_base and old_base_deadline is not None:
            overdue = as_of > old_base_deadline
            add("rebinding_overdue", "breach" if overdue else "warning", old_base, 0,
                "После смены специализации не перезакреплено клиентов: {0}; срок — {1}".format(
                    old_base, old_base_deadline.strftime("%d.%m.%Y")), drill["from_old_base"])
    own_meetings = value("meetings_all") - value("meetings_group")
    if req.meetings_required is not None and own_meetings < req.meetings_required - EPSILON:
        add("meetings", "breach", own_meetings, req.meetings_required,
            f"Встреч вне ОП {own_meetings}, нужно {_fmt(req.meetings_required)} ({req.meetings_rule})")
    if req.calls_required is not None and value("cold_calls") < req.calls_required:
        add("cold_calls", "breach", value("cold_calls"), req.calls_required,
            f"Холодных звонков {value('cold_calls')}, нужно не менее {req.calls_required}")
    if req.head_meetings_required is not None and value("meetings_all") < req.head_meetings_required:
        add("head_meetings", "breach", value("meetings_all"), req.head_meetings_required,
            f"Встреч вне офиса {value('meetings_all')}, нужно не менее {req.head_meetings_required}")
    if req.group_meetings_required is not None and value("meetings_group") < req.group_meetings_required:
        add("group_meetings", "breach", value("meetings_group"), req.group_meetings_required,
            f"Встреч по КБ МОПП группы {value('meetings_group')}, нужно не менее {req.group_meetings_required}")
    return out
