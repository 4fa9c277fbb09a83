"""The services the command line and the GUI call for compliance."""

from __future__ import annotations

from datetime import date

from etm_desktop.compliance.engine import evaluate
from etm_desktop.compliance.inputs import GridInputs, InputsCache
from etm_desktop.compliance.result import Grid
from etm_desktop.domain.calendar import month_end, month_start
from etm_desktop.norms.schema import NormSetView
from etm_desktop.norms.store import NormBook

_cache = InputsCache()


def history_months(norms: NormSetView) -> int:
    """How many months back a judgement reads (auto-unbind window, blacklist window)."""
    return max([norms.common.auto_unbind_months] + [s.blacklist.months for s in norms.specs.values()])


def prepared_inputs(database, as_of: date, month: date, norms: NormSetView) -> GridInputs:
    """Frames for judging ``month`` as at ``as_of``, cached on the data version."""
    return _cache.get(database, as_of, month, history_months(norms))


def month_grid(database, month: date) -> Grid:
    """The compliance grid of ``month`` for the whole centre, judged as at its last day (I8)."""
    as_of = month_end(month)
    norms = NormBook.load(database).in_force(as_of)
    return evaluate(prepared_inputs(database, as_of, month_start(month), norms), norms)
