"""What a new web worker prepares before its first request (``search.service.warm_up``).

Without it the first visit to a page in each worker paid for importing every template tag
library, compiling the page's templates (and those it extends and includes), loading the
translation catalogs and the locale's formats: 0.2-0.7 s on a section permalink, where the
second visit takes a few milliseconds.  Compiled templates stay in the cached loader of the
worker (production settings); in DEBUG nothing is cached and this only costs the time.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def _template_names(engine) -> list[str]:
    """Every ``.html`` template of the project's and the apps' template directories."""
    from django.template.utils import get_app_template_dirs

    dirs = [Path(d) for d in engine.dirs]
    if engine.app_dirs:
        dirs += [Path(d) for d in get_app_template_dirs("templates")]
    names: set[str] = set()
    for base in dirs:
        if base.is_dir():
            names.update(str(p.relative_to(base)) for p in base.rglob("*.html"))
    return sorted(names)


def warm_pages() -> int:
    """Compile every template, load the catalogs and formats; returns templates compiled."""
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import formats, translation

    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    import django.contrib.sessions.serializers  # noqa: F401  (the first session read)

    import search.similar  # noqa: F401  (the section page's similar-sections panel)
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Home")  # loads the catalogs of every installed app
        formats.get_format("DATE_FORMAT")
    compiled = 0
    for backend in engines.all():
        engine = getattr(backend, "engine", None)
        if engine is None:
            continue
        engine.template_context_processors  # noqa: B018  (imports them)
        for name in _template_names(engine):
            try:
                backend.get_template(name)
                compiled += 1
            except Exception:  # a template that does not compile alone (a fragment): skip it
                log.debug("warm-up: template %s not compiled", name, exc_info=True)
    return compiled
