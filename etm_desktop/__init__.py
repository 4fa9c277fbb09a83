"""ETM Desktop: keeps ETM's client base (classifier 37 bindings) within the regulation."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("etm-desktop")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+src"
