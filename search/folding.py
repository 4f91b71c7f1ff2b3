"""Re-export of the ground-floor folding module (``reports/folding.py``).

``search/analysis.py`` (whose ``ArchiveAnalyzer`` class Whoosh pickles into the index schema by
its path ``search.analysis.ArchiveAnalyzer``) imports ``fold`` from here; the pickled state holds
only the analyzer's ``subwords`` flag, never a reference to this module, so existing indexes keep
loading.  New code imports ``reports.folding`` directly.
"""

from reports.folding import fold, to_simplified

__all__ = ["fold", "to_simplified"]
