# CourtExec image: the web, worker and beat services of docker-compose.yml all run from it.
# It always talks to real PostgreSQL and Redis (DATABASE_URL, REDIS_URL), so the `embedded`
# and `dev` dependency groups are left out.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH

RUN pip install --no-cache-dir --disable-pip-version-check "uv>=0.5"

WORKDIR /app

# The locked dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-group dev --no-group embedded --no-cache

COPY . .

# Compile the zh-hans catalogue (polib, no gettext needed; works without settings), then make
# var/ writable for collectstatic and uploads, and drop root.
RUN python -c "from courtexec.management.commands.compiletranslations import compile_all; compile_all()" \
    && useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin courtexec \
    && mkdir -p var/media var/staticfiles \
    && chown -R courtexec:courtexec var

USER courtexec
EXPOSE 8000
CMD ["gunicorn", "courtexec.wsgi:application", "--bind", "0.0.0.0:8000"]
