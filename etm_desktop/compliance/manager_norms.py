"""What a norm set requires of one manager, given his position, specialization and status."""

from __future__ import annotations

from dataclasses import dataclass

from etm_desktop.domain.vocabulary import Position, Status
from etm_desktop.norms.schema import NormSetView, SpecNorms


@dataclass(frozen=True)
class Requirements:
    spec: SpecNorms | None = None
    kb_min: int | None = None
    kb_max: int | None = None
    paying_min: float | None = None
    meetings_required: float | None = None
    meetings_rule: str = ""
    calls_required: int | None = None
    head_meetings_required: int | None = None
    group_meetings_required: int | None = None


def manager_requirements(employee, norms: NormSetView, kb_size: int) -> Requirements:
    """Requirements for ``employee`` (a row with position, specialization, status, novice_months)."""
    position = employee.position
    if position in norms.heads.meetings_min:
        return Requirements(head_meetings_required=norms.heads.meetings_min[position])
    if position not in (Position.MOPP.value, Position.GROUP_LEAD.value):
        return Requirements()  # Руководитель ВТЦ: his clients are shown, no norm is set
    spec = norms.spec(employee.specialization) if isinstance(employee.specialization, str) else None
    if spec is None:
        return Requirements()
    status = employee.status
    months = None if employee.novice_months is None or employee.novice_months != employee.novice_months \
        else int(employee.novice_months)
    kb = spec.kb_range(status, months)
    is_lead = position == Position.GROUP_LEAD.value
    meetings_required: float | None = None
    meetings_rule = ""
    if status == Status.TRAINEE.value:
        pass  # I2: no norms for a стажер but the novice maximum
    elif is_lead:
        meetings_required = norms.heads.group_lead_own_share_min * kb_size
        meetings_rule = "не менее {0:.0%} от размера своей КБ".format(norms.heads.group_lead_own_share_min)
    elif status == Status.NOVICE.value:
        meetings_required = spec.meetings_novice_min
        meetings_rule = "новичок: не менее {0}".format(spec.meetings_novice_min)
    elif spec.meetings_share_of_kb is not None:
        meetings_required = spec.meetings_share_of_kb * kb_size
        meetings_rule = "не менее {0:.0%} от размера КБ".format(spec.meetings_share_of_kb)
    calls = spec.cold_calls_novice_min if status == Status.NOVICE.value else None
    return Requirements(
        spec=spec,
        kb_min=kb.minimum,
        kb_max=kb.maximum,
        paying_min=None if status == Status.TRAINEE.value else spec.paying_share_min,
        meetings_required=meetings_required,
        meetings_rule=meetings_rule,
        calls_required=calls,
        group_meetings_required=norms.heads.group_lead_group_meetings_min if is_lead else None,
    )
