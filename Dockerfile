# railclaim service image: slim Python, non-root user, migrations then the server.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    RAILCLAIM_STORAGE_DIR=/data/storage \
    RAILCLAIM_DATABASE_URL=sqlite:////data/railclaim.db

RUN useradd --create-home --uid 10001 railclaim && mkdir -p /data && chown railclaim /data
WORKDIR /srv/railclaim
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
# Editable, so `railclaim migrate` finds alembic.ini and migrations/ beside the package.
RUN pip install --no-compile --quiet -e .

USER railclaim
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "railclaim migrate && exec railclaim serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2}"]
