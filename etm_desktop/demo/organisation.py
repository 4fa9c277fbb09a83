"""The centre's structure (clusters, offices, territories) and a factory for staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from etm_desktop.demo.names import person_name
from etm_desktop.demo.plan import Context, Office, Person, Territory
from etm_desktop.domain.vocabulary import Status

CENTRE_NAME = "РЦ Екатеринбург"

# Districts and microdistricts of Екатеринбург (in the city).
CITY = (
    "Ленинский район", "Кировский район", "Октябрьский район", "Верх-Исетский район",
    "Железнодорожный район", "Орджоникидзевский район", "Чкаловский район", "Академический район",
    "Уралмаш", "Эльмаш", "Химмаш", "Вторчермет", "Сортировка", "ЖБИ", "Пионерский",
    "Широкая Речка", "Юго-Западный", "Ботанический", "Компрессорный", "Шарташ",
)
# Towns of Свердловская область (outside the city).
OUTSIDE = (
    "Верхняя Пышма", "Берёзовский", "Среднеуральск", "Арамиль", "Сысерть", "Полевской", "Ревда",
    "Первоуральск", "Асбест", "Каменск-Уральский", "Нижний Тагил", "Серов", "Краснотурьинск",
    "Ирбит", "Камышлов", "Богданович", "Реж", "Невьянск", "Кировград", "Верхняя Салда",
    "Алапаевск", "Артёмовский", "Сухой Лог", "Красноуфимск", "Новоуральск", "Качканар",
    "Карпинск", "Талица", "Тавда", "Туринск", "Нижняя Тура", "Белоярский", "Заречный",
    "Дегтярск", "Михайловск", "Бисерть", "Ачит", "Артинск", "Верхотурье", "Лесной",
)

SMALL_OFFICES = (
    ("101", "ОП Екатеринбург-Центр", "Куст Центральный"),
    ("102", "ОП Екатеринбург-Север", "Куст Центральный"),
    ("201", "ОП Екатеринбург-Юг", "Куст Южный"),
)
LARGE_OFFICES = (
    ("101", "ОП Екатеринбург-Центр", "Куст Центральный"),
    ("102", "ОП Екатеринбург-Север", "Куст Центральный"),
    ("103", "ОП Уралмаш", "Куст Центральный"),
    ("104", "ОП Эльмаш", "Куст Центральный"),
    ("201", "ОП Екатеринбург-Юг", "Куст Южный"),
    ("202", "ОП Химмаш", "Куст Южный"),
    ("203", "ОП Ботанический", "Куст Южный"),
    ("301", "ОП Екатеринбург-Запад", "Куст Западный"),
    ("302", "ОП Верх-Исетский", "Куст Западный"),
    ("303", "ОП Академический", "Куст Западный"),
)


@dataclass
class Structure:
    """Offices and territories, with the territory pools the rosters draw from."""

    offices: list[Office]
    territories: list[Territory]
    territorial: list[str] = field(default_factory=list)  # codes reserved for territorial МОПП
    city_free: list[str] = field(default_factory=list)  # in the city, nobody's
    outside_free: list[str] = field(default_factory=list)  # outside the city, nobody's

    def territory(self, code: str) -> Territory:
        for territory in self.territories:
            if territory.code == code:
                return territory
        raise KeyError(code)


def build_structure(scale: str) -> Structure:
    """Offices and territories; some territories (in and outside the city) go to territorials."""
    large = scale == "large"
    offices = [Office(code, name, cluster) for code, name, cluster in (LARGE_OFFICES if large else SMALL_OFFICES)]
    city = CITY if large else CITY[:8]
    outside = OUTSIDE if large else OUTSIDE[:14]
    territories = [Territory(f"ЕКБ-{i:02d}", f"Екатеринбург, {name}", True) for i, name in enumerate(city, 1)]
    territories += [Territory(f"СО-{i:02d}", name, False) for i, name in enumerate(outside, 1)]
    structure = Structure(offices, territories)
    # The last city districts and most towns are assigned to territorial МОПП;
    # a few towns stay nobody's (clients there are "outside the city").
    city_reserved = 6 if large else 1
    outside_free = 8 if large else 3
    for territory in territories:
        if territory.in_city:
            index = int(territory.code.split("-")[1])
            pool = structure.territorial if index > len(city) - city_reserved else structure.city_free
        else:
            index = int(territory.code.split("-")[1])
            pool = structure.outside_free if index > len(outside) - outside_free else structure.territorial
        pool.append(territory.code)
    return structure


class Staff:
    """Hands out tab numbers and builds people with dates that give a wanted status."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.people: list[Person] = []
        self._next_tab = 1001

    def add(
        self,
        position: str,
        office: str,
        *,
        spec: str | None = None,
        status: str = Status.VETERAN,
        whole_months: int | None = None,
        lead: str | None = None,
        role: str = "",
    ) -> Person:
        """A new employee whose status at the end of M is ``status``.

        ``whole_months`` fixes the whole months since the novice date (for the
        novice KB minimum ramp); otherwise it is drawn within the status.
        """
        ctx, rng = self.ctx, self.ctx.rng
        novice_date = None
        if status == Status.TRAINEE:
            hire = ctx.month_end - timedelta(days=rng.randint(20, 75))
        else:
            if whole_months is None:
                whole_months = self.whole_months_for(status)
            novice_date = ctx.month_back(whole_months).replace(day=rng.randint(1, 15))
            hire = novice_date - timedelta(days=rng.randint(45, 100))
        name, female = person_name(rng)
        person = Person(
            tab_no=str(self._next_tab),
            full_name=name,
            position=position,
            office=office,
            hire_date=hire,
            novice_date=novice_date,
            lead=lead,
            specs=[(hire, spec)] if spec else [],
            role=role,
            female=female,
        )
        self._next_tab += 1
        self.people.append(person)
        return person

    def whole_months_for(self, status: str) -> int:
        """Whole months since the novice date, drawn so that the status comes out right."""
        common, rng = self.ctx.norms.common, self.ctx.rng
        if status == Status.NOVICE:
            return rng.randint(0, common.novice_last_month - 1)
        if status == Status.EXPERIENCED:
            return rng.randint(common.novice_last_month, common.experienced_last_month - 1)
        return rng.randint(common.experienced_last_month, 96)


def assign_territories(people: list[Person], pool: list[str], per_person: int) -> None:
    """Give each territorial МОПП ``per_person`` territories from ``pool``, round robin."""
    if not pool:
        return
    index = 0
    for person in people:
        person.territories = []
        for _ in range(per_person):
            code = pool[index % len(pool)]
            if code not in person.territories:
                person.territories.append(code)
            index += 1
