# Fazhi Archive: gunicorn + whitenoise, data under the /data volume, running as a non-root user.
#   docker compose up --build   (see compose.yaml; secrets come from .env, never committed)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ARCHIVE_DATA_DIR=/data \
    STATIC_ROOT=/app/staticfiles \
    GUNICORN_BIND=0.0.0.0:8000

WORKDIR /app

# Intake tools from Debian: Tesseract + Chinese models (OCR of scanned PDFs and images) and
# LibreOffice Writer without GUI (.doc/.wps conversion).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra libreoffice-writer-nogui \
    && rm -rf /var/lib/apt/lists/*

# Runtime dependencies only (no test extra), in a layer rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps))" \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

RUN groupadd --system --gid 10001 archive \
    && useradd --system --uid 10001 --gid archive --home-dir /app --no-create-home --shell /usr/sbin/nologin archive \
    && mkdir -p /data \
    && chown archive:archive /data

# Application code, owned by root and read-only for the app user.
COPY . .
# Hashed, compressed static files for whitenoise.  The key here only lets settings load.
RUN DEBUG=0 SECRET_KEY=build-time-collectstatic-only ARCHIVE_DATA_DIR=/tmp/build-data \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build-data \
    && chmod 0755 docker/entrypoint.sh

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
