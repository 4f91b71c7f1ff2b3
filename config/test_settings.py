"""Fast, isolated settings for the test suite: never touches ./var."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ["ARCHIVE_DATA_DIR"] = os.environ.get("TEST_ARCHIVE_DATA_DIR") or tempfile.mkdtemp(
    prefix="fazhi-test-"
)

from config.settings import *  # noqa: E402,F401,F403
from config.settings import ARCHIVE_DATA_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = ARCHIVE_DATA_DIR / "originals"
