# Production image: gunicorn serves the portal, WhiteNoise its static files.
#   docker build -t blacklist-portal .
#   docker run -e SECRET_KEY=... -e DATABASE_URL=... -e CELERY_BROKER_URL=... \
#              -e ALLOWED_HOSTS=portal.example.org -p 8000:8000 blacklist-portal
# The same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

# PYTHONPATH: the source tree in /app (templates, static, locale and data files live next to
# the code) is what every process imports, whether started by manage.py, gunicorn or celery.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

WORKDIR /app

# Dependencies first, in their own layer, so that a code change does not reinstall them:
# exactly the packages of the runtime lock, each checked against its hashes.
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --require-hashes -r requirements/runtime.txt

COPY . .

# Static files are collected at build time with a throwaway key: nothing secret is baked
# into the image; the real SECRET_KEY comes from the environment at run time.
# var/ holds the private evidence files (PRIVATE_MEDIA_ROOT, a volume in compose) and
# beat's schedule: the only places the app writes, so the only ones the user owns.
# --no-deps: the project's own dependencies are all in the lock installed above.
RUN pip install --no-deps . \
    && rm -rf build *.egg-info \
    && SECRET_KEY=build-time-dummy-key-not-used-at-run-time DEBUG=0 \
       IDENTITY_NUMBER_KEYS=YnVpbGQtdGltZS1kdW1teS1rZXktbm90LXVzZWQtISE= \
       IDENTITY_NUMBER_HMAC_KEYS=build-time-dummy-hmac-key-not-used-at-run-time \
       python manage.py collectstatic --noinput --verbosity 0 \
    && groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --create-home --home-dir /home/portal \
       --shell /usr/sbin/nologin portal \
    && mkdir -p /app/var/private \
    && chown -R portal:portal /app/var

USER portal
EXPOSE 8000

CMD ["gunicorn", "blacklist_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
