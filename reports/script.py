"""Display conversion between scripts (traditional → simplified) for readers who want it."""

from reports.folding import to_simplified

__all__ = ["to_simplified"]
