"""The national scale: 100 offices of 30 managers (3,000), 300,000 clients, for performance work.

It is the large centre's builder (:func:`demo.large.centre_roster`) with more
offices and clients: the same territories, norms, breach probabilities and
history (36 months of turnover, 12 of activity). Related payers (признак 140)
come from the same group-size draw as the large centre's.
"""

from __future__ import annotations

from etm_desktop.demo.large import centre_roster
from etm_desktop.demo.organisation import Structure, build_structure
from etm_desktop.demo.plan import Context, Group, Office, Person

NATIONAL_CLIENTS = 300_000
CLUSTERS = 10
OFFICES_PER_CLUSTER = 10


def national_offices() -> list[Office]:
    """100 offices in 10 clusters, codes ``CCOO`` (cluster, office)."""
    return [Office(f"{c:02d}{o:02d}", f"ОП Регион {c}-{o}", f"Куст {c}")
            for c in range(1, CLUSTERS + 1) for o in range(1, OFFICES_PER_CLUSTER + 1)]


def national_structure() -> Structure:
    """The large centre's territories with the national offices."""
    structure = build_structure("large")
    structure.offices = national_offices()
    return structure


def national_roster(ctx: Context, structure: Structure) -> tuple[list[Person], list[Group]]:
    return centre_roster(ctx, structure, clients=NATIONAL_CLIENTS)
