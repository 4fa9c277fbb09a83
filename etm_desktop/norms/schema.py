"""Typed, validated view of one norm set's document.

The document is plain data (the merged ``[[norm_set]]`` of ``data/norms.toml``);
:func:`parse_norm_set` checks it and gives the engine typed objects. A bad
document raises :class:`NormError` with a Russian message naming the place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from etm_desktop.domain.vocabulary import Ckg, Potential, Specialization, Status


class NormError(ValueError):
    """A norm document that cannot be used; the message says where, in Russian."""


@dataclass(frozen=True)
class KbRange:
    minimum: int | None
    maximum: int | None


@dataclass(frozen=True)
class NoviceKb:
    min_after_2: int | None
    min_after_4: int | None
    maximum: int | None

    def minimum_at(self, whole_months: int) -> int | None:
        """The minimum KB size after ``whole_months`` since the novice date (ramp)."""
        if whole_months >= 4 and self.min_after_4 is not None:
            return self.min_after_4
        if whole_months >= 2 and self.min_after_2 is not None:
            return self.min_after_2
        return None


@dataclass(frozen=True)
class Blacklist:
    rule: str  # "each_month_below" | "by_potential"
    months: int
    threshold: float | None = None
    by_potential: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class TerritoryRule:
    rule: str  # "city" | "assigned" | "none"
    tolerated_ckg: frozenset[str] = frozenset()
    tolerate_all: bool = False


@dataclass(frozen=True)
class SpecNorms:
    specialization: str
    kb: dict[str, KbRange]
    kb_novice: NoviceKb
    paying_share_min: float | None
    profile: frozenset[str]
    allowed: frozenset[str]
    allowed_max: dict[str, int]
    forbidden: frozenset[str]
    off_profile_max: int | None
    off_profile_new_allowed: bool
    meetings_share_of_kb: float | None
    meetings_novice_min: int | None
    cold_calls_novice_min: int | None
    blacklist: Blacklist
    territory: TerritoryRule
    potential_target: frozenset[str]
    potential_tolerated: frozenset[str]
    new_hire_not_in_territorial: bool
    approval_extra: tuple[str, ...]
    readings: tuple[str, ...]

    def kb_range(self, status: str, novice_whole_months: int | None) -> KbRange:
        """KB bounds for a status; I2: a стажер has only the novice maximum."""
        if status == Status.TRAINEE:
            return KbRange(None, self.kb_novice.maximum)
        if status == Status.NOVICE:
            months = novice_whole_months if novice_whole_months is not None else 0
            return KbRange(self.kb_novice.minimum_at(months), self.kb_novice.maximum)
        found = self.kb.get(status)
        if found is None:
            return KbRange(None, None)
        return found

    def ckg_class(self, ckg: str) -> str:
        """'profile', 'allowed', 'forbidden' or 'off' (off-profile) for a client's ЦКГ."""
        if ckg in self.profile:
            return "profile"
        if ckg in self.forbidden:
            return "forbidden"
        if ckg in self.allowed:
            return "allowed"
        return "off"


@dataclass(frozen=True)
class HeadNorms:
    meetings_min: dict[str, int]  # by position (НОП, НОПП)
    group_lead_own_share_min: float
    group_lead_group_meetings_min: int


@dataclass(frozen=True)
class CommonNorms:
    paying_threshold: float
    auto_unbind_months: int
    rebinding_months_dismissal: int
    rebinding_months_specialization: int
    novice_last_month: int
    experienced_last_month: int
    approval_always: tuple[str, ...]
    multi_bind_other_cluster: str
    multi_bind_same_cluster: str
    ook_transfer_potentials: frozenset[str]


@dataclass(frozen=True)
class NormSetView:
    """One complete norm set, in force from ``effective_from``."""

    name: str
    effective_from: date
    note: str
    common: CommonNorms
    heads: HeadNorms
    specs: dict[str, SpecNorms]

    def spec(self, specialization: str) -> SpecNorms | None:
        return self.specs.get(specialization)


_CKG = {c.value for c in Ckg}
_POT = {p.value for p in Potential}


class _Reader:
    """Pulls typed values out of a dict, naming the path in every error."""

    def __init__(self, data: dict[str, Any], where: str):
        if not isinstance(data, dict):
            raise NormError(f"Нормы: «{where}» должно быть таблицей")
        self.data = data
        self.where = where

    def _fail(self, key: str, what: str) -> NormError:
        return NormError(f"Нормы: «{self.where}.{key}» — {what}")

    def number(self, key: str, *, optional: bool = False) -> float | None:
        value = self.data.get(key)
        if value is None:
            if optional:
                return None
            raise self._fail(key, "не задано")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise self._fail(key, f"ожидалось неотрицательное число, получено {value!r}")
        return value

    def integer(self, key: str, *, optional: bool = False) -> int | None:
        value = self.number(key, optional=optional)
        if value is None:
            return None
        if int(value) != value:
            raise self._fail(key, f"ожидалось целое число, получено {value!r}")
        return int(value)

    def share(self, key: str, *, optional: bool = False) -> float | None:
        value = self.number(key, optional=optional)
        if value is not None and value > 1:
            raise self._fail(key, f"доля должна быть от 0 до 1, получено {value!r}")
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "ожидалось true или false")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "ожидался текст")
        return value

    def words(self, key: str, allowed: set[str] | None, *, star: bool = False) -> list[str]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "ожидался список")
        for item in value:
            if allowed is not None and item not in allowed and not (star and item == "*"):
                raise self._fail(key, f"неизвестное значение «{item}»")
        return list(value)

    def table(self, key: str, *, optional: bool = False) -> _Reader:
        value = self.data.get(key)
        if value is None and optional:
            value = {}
        return _Reader(value, f"{self.where}.{key}")


def _route_start(common: _Reader) -> tuple[str, ...]:
    """The approval steps every memo needs: at least one, or a memo could never be approved."""
    steps = tuple(common.words("approval_always", None))
    if not steps:
        raise NormError("Нормы: «common.approval_always» — нужен хотя бы один шаг согласования (ДП)")
    return steps


def _parse_spec(name: str, raw: dict[str, Any]) -> SpecNorms:
    r = _Reader(raw, f"spec.{name}")
    kb: dict[str, KbRange] = {}
    kb_table = r.table("kb")
    for status in (Status.VETERAN, Status.EXPERIENCED):
        bounds = kb_table.data.get(status.value)
        if not (isinstance(bounds, list) and len(bounds) == 2):
            raise NormError(f"Нормы: «spec.{name}.kb.{status.value}» — ожидалось [мин, макс]")
        low, high = bounds
        kb[status.value] = KbRange(int(low) if low else None, int(high))
    novice = r.table("kb_novice")
    meetings = r.table("meetings")
    blacklist_raw = r.table("blacklist")
    rule = blacklist_raw.text("rule")
    if rule == "each_month_below":
        blacklist = Blacklist(rule, blacklist_raw.integer("months"), blacklist_raw.number("threshold"))
    elif rule == "by_potential":
        thresholds = {p: blacklist_raw.number(p) for p in ("S", "A", "B") if p in blacklist_raw.data}
        blacklist = Blacklist(rule, blacklist_raw.integer("months"), None, thresholds)
    else:
        raise NormError(f"Нормы: «spec.{name}.blacklist.rule» — неизвестное правило «{rule}»")
    territory_raw = r.table("territory")
    territory_rule = territory_raw.text("rule")
    if territory_rule not in ("city", "assigned", "none"):
        raise NormError(f"Нормы: «spec.{name}.territory.rule» — неизвестное правило «{territory_rule}»")
    tolerated = territory_raw.words("tolerated_ckg", _CKG, star=True)
    potential = r.table("potential")
    allowed_max_raw = r.table("allowed_max", optional=True)
    allowed_max = {k: allowed_max_raw.integer(k) for k in allowed_max_raw.data}
    for key in allowed_max:
        if key not in _CKG:
            raise NormError(f"Нормы: «spec.{name}.allowed_max» — неизвестная ЦКГ «{key}»")
    return SpecNorms(
        specialization=name,
        kb=kb,
        kb_novice=NoviceKb(
            novice.integer("min_after_2", optional=True),
            novice.integer("min_after_4", optional=True),
            novice.integer("max", optional=True),
        ),
        paying_share_min=r.share("paying_share_min", optional=True),
        profile=frozenset(r.words("profile", _CKG)),
        allowed=frozenset(r.words("allowed", _CKG)),
        allowed_max=allowed_max,
        forbidden=frozenset(r.words("forbidden", _CKG)),
        off_profile_max=r.integer("off_profile_max", optional=True),
        off_profile_new_allowed=r.flag("off_profile_new_allowed", True),
        meetings_share_of_kb=meetings.share("share_of_kb", optional=True),
        meetings_novice_min=meetings.integer("novice_min", optional=True),
        cold_calls_novice_min=r.integer("cold_calls_novice_min", optional=True),
        blacklist=blacklist,
        territory=TerritoryRule(territory_rule, frozenset(t for t in tolerated if t != "*"), "*" in tolerated),
        potential_target=frozenset(potential.words("target", _POT)),
        potential_tolerated=frozenset(potential.words("tolerated", _POT)),
        new_hire_not_in_territorial=r.flag("new_hire_not_in_territorial", False),
        approval_extra=tuple(r.words("approval_extra", None)),
        readings=tuple(r.words("readings", None)),
    )


def parse_norm_set(document: dict[str, Any]) -> NormSetView:
    """Check a merged norm-set document and return its typed view."""
    r = _Reader(document, "norm_set")
    effective = document.get("effective_from")
    if isinstance(effective, str):
        effective = date.fromisoformat(effective)
    if not isinstance(effective, date):
        raise NormError("Нормы: у набора норм не указана дата начала действия (effective_from)")
    common = r.table("common")
    heads = r.table("heads")
    head_minimums = {}
    for position in ("НОП", "НОПП"):
        head_minimums[position] = heads.table(position).integer("meetings_min")
    specs_raw = r.table("spec")
    missing = [s.value for s in Specialization if s.value not in specs_raw.data]
    if missing:
        raise NormError("Нормы: нет норм для специализаций: " + ", ".join(missing))
    unknown = [s for s in specs_raw.data if s not in {x.value for x in Specialization}]
    if unknown:
        raise NormError("Нормы: неизвестные специализации: " + ", ".join(unknown))
    return NormSetView(
        name=r.text("name", ""),
        effective_from=effective,
        note=r.text("note", ""),
        common=CommonNorms(
            paying_threshold=common.number("paying_threshold"),
            auto_unbind_months=common.integer("auto_unbind_months"),
            rebinding_months_dismissal=common.integer("rebinding_months_dismissal"),
            rebinding_months_specialization=common.integer("rebinding_months_specialization"),
            novice_last_month=common.integer("novice_last_month"),
            experienced_last_month=common.integer("experienced_last_month"),
            approval_always=_route_start(common),
            multi_bind_other_cluster=common.text("multi_bind_other_cluster"),
            multi_bind_same_cluster=common.text("multi_bind_same_cluster"),
            ook_transfer_potentials=frozenset(common.words("ook_transfer_potentials", _POT)),
        ),
        heads=HeadNorms(
            meetings_min=head_minimums,
            group_lead_own_share_min=heads.share("group_lead_own_share_min"),
            group_lead_group_meetings_min=heads.integer("group_lead_group_meetings_min"),
        ),
        specs={name: _parse_spec(name, raw) for name, raw in specs_raw.data.items()},
    )
