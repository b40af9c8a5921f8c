"""Fieldhub: an automation hub for tanks, factories and everything in between."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fieldhub")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
