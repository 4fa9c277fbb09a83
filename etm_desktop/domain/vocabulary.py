"""The regulation's words, spelled once.

Only names live here (positions, specializations, ЦКГ, potentials, statuses);
every number the regulation sets is a norm and lives in ``data/norms.toml``.
"""

from __future__ import annotations

from enum import StrEnum


class Position(StrEnum):
    MOPP = "МОПП"
    GROUP_LEAD = "Старший группы"
    NOP = "НОП"
    NOPP = "НОПП"
    VTC_HEAD = "Руководитель ВТЦ"
    MKA = "МКА"
    DP = "ДП"


#: Positions that may hold clients under classifier 37 (domain.md, binding rule 1).
CLIENT_HOLDERS = frozenset({Position.MOPP, Position.GROUP_LEAD, Position.VTC_HEAD})
#: Positions listed in the compliance grid (interfaces.md, ``managers``).
GRID_POSITIONS = frozenset(
    {Position.MOPP, Position.GROUP_LEAD, Position.NOP, Position.NOPP, Position.VTC_HEAD}
)
#: Positions that carry a specialization.
SPECIALIZED_POSITIONS = frozenset({Position.MOPP, Position.GROUP_LEAD})


class Specialization(StrEnum):
    UNIVERSAL = "Универсальный"
    TERRITORIAL = "Территориальный"
    MRPP = "МРПП"
    MRSH = "МРЩ"  # I1: the regulation's "МРЦ" heading
    MRD = "МРД"
    MRS = "МРС"


class Ckg(StrEnum):
    EMO = "ЭМО"
    DISTRIBUTORS = "Дистрибьюторы"
    INFRASTRUCTURE = "Инфраструктура"
    PP = "ПП"
    PANEL_BUILDERS = "Щитовики"
    DEALERS = "Дилеры"
    CHAINS = "Сети"


class Potential(StrEnum):
    S = "S"
    A = "A"
    B = "B"
    C = "C"


class Status(StrEnum):
    TRAINEE = "стажер"
    NOVICE = "новичок"
    EXPERIENCED = "опытный"
    VETERAN = "ветеран"


class ActivityKind(StrEnum):
    MEETING = "Встреча"
    COLD_CALL = "Холодный звонок"


class ApprovalStep(StrEnum):
    DP = "ДП"
    CP = "ЦП"
    DP_RC = "ДП РЦ"
    UP_CP = "УП ЦП"


#: Words that name the service desk instead of a person; binding to them is forbidden.
OOK_NAMES = frozenset({"ООК", "НООК", "OOK"})

# Cyrillic letters that look like the Latin class letters. In data (an NS2000
# export) a Cyrillic "С" is the look-alike of class C. I6 (the universal row's
# "С,А,В" meaning S, A, B) concerns the regulation's table only, which lives in
# data/norms.toml already written as S, A, B.
_CYRILLIC_TO_LATIN = str.maketrans({"С": "C", "А": "A", "В": "B"})


def normalize_potential(text: str) -> Potential | None:
    """Read a potential class written in Latin or Cyrillic letters; None if empty.

    Raises ValueError for anything that is not one of S, A, B, C.
    """
    cleaned = text.strip().upper().translate(_CYRILLIC_TO_LATIN)
    if not cleaned:
        return None
    try:
        return Potential(cleaned)
    except ValueError:
        raise ValueError(text) from None


def lookup(enum: type[StrEnum], text: str):
    """Find an enum member by its Russian value, ignoring case and surrounding spaces."""
    key = text.strip().casefold()
    for member in enum:
        if member.value.casefold() == key:
            return member
    raise ValueError(text)
