"""The one place research/ takes its text folding from (script, width and case).

Folding's home may move (search/ → reports/); only this import changes when it does.
"""

from search.folding import fold, to_simplified  # noqa: F401
