"""Fast, isolated settings for the test suite: never touches ./var.

Honours DATABASE_URL (config.settings parses it), which is how the PostgreSQL pass of
``make test`` (tests/pg/) points the same tests at a real server; without it, SQLite.
"""

import atexit
import os
import shutil
import tempfile

os.environ["DEBUG"] = "0"  # the suite tests production behaviour; pytest-django keeps DEBUG off
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
if os.environ.get("TEST_ARCHIVE_DATA_DIR"):
    os.environ["ARCHIVE_DATA_DIR"] = os.environ["TEST_ARCHIVE_DATA_DIR"]
else:
    os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="fazhi-test-")
    atexit.register(shutil.rmtree, os.environ["ARCHIVE_DATA_DIR"], ignore_errors=True)
os.environ.pop("ARCHIVE_INDEX_DIR", None)  # the index lives in the temporary data dir too

from config.settings import *  # noqa: E402,F401,F403
from config.settings import ARCHIVE_DATA_DIR, DATABASES  # noqa: E402

DATABASES["default"]["CONN_MAX_AGE"] = 0  # live_server threads must not keep connections open

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files from the finders, no collectstatic needed (as in DEBUG).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = ARCHIVE_DATA_DIR / "originals"
