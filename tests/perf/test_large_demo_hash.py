"""The large demo's contents stay the same across refactors of the generator (run explicitly: ``-m perf``).

The pinned hash was taken from the large builder before it was parametrised for
the national scale (seed 2026, today 2026-12-03); see ``demo_hash`` for what is hashed.
"""

from __future__ import annotations

from datetime import date

import pytest

from etm_desktop.demo import generate
from tests.perf.demo_hash import contents_hash

pytestmark = pytest.mark.perf

LARGE_HASH = "d861810538c2b2a38faec15f840848f3bb136c31f328afef7174b4d16de06202"


def test_large_demo_contents_are_unchanged(database):
    generate(database, scale="large", seed=2026, today=date(2026, 12, 3))
    path = database.engine.url.database
    database.dispose()
    assert contents_hash(path) == LARGE_HASH
