"""A made-up regional centre for trying the program: ``generate(database, scale=…)``.

``small`` plants one case of every norm breach (see ``scenarios``); ``large``
is a realistic centre of 300 managers for performance work.
"""

from etm_desktop.demo.generator import DemoSummary, generate
from etm_desktop.demo.plan import DemoError

__all__ = ["DemoError", "DemoSummary", "generate"]
