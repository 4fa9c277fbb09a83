"""Client cards for the planned groups: codes, names, INNs, признак 140 links."""

from __future__ import annotations

from dataclasses import dataclass

from etm_desktop.demo.names import company, legal_inn, person_inn, related_company
from etm_desktop.demo.plan import Context, Group


@dataclass
class GeneratedClient:
    code: str
    inn: str
    name: str
    ckg: str
    potential: str | None
    territory: str | None
    head: str | None  # the head's code for a related payer


def client_code(number: int) -> str:
    return f"K{number:06d}"


def make_cards(ctx: Context, groups: list[Group]) -> list[GeneratedClient]:
    """Cards for every group (head first, then related payers), codes in random group order.

    Fills ``Group.codes``. INNs are unique; an ИП never heads an organisation
    with related payers.
    """
    rng = ctx.rng
    order = list(range(len(groups)))
    rng.shuffle(order)
    used_inns: set[str] = set()
    cards: list[GeneratedClient] = []

    def fresh(maker) -> str:
        inn = maker(rng)
        while inn in used_inns:
            inn = maker(rng)
        used_inns.add(inn)
        return inn

    number = 1
    for index in order:
        group = groups[index]
        name, is_person, base = company(rng, group.ckg)
        while is_person and group.size > 1:
            name, is_person, base = company(rng, group.ckg)
        head = client_code(number)
        number += 1
        cards.append(GeneratedClient(head, fresh(person_inn if is_person else legal_inn), name,
                                group.ckg, group.potential, group.territory, None))
        group.codes = [head]
        names: set[str] = {name}
        for _ in range(group.size - 1):
            code = client_code(number)
            number += 1
            cards.append(GeneratedClient(code, fresh(legal_inn), related_company(rng, base, names),
                                    group.ckg, group.potential, group.territory, head))
            group.codes.append(code)
    return cards
