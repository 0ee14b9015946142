"""Point a Redis URL at another logical database, whatever its form.

Forms: ``redis://host:port/db``, ``rediss://…``, ``unix:///path?db=N`` (redis-py) and
``redis+socket:///path?virtual_host=N`` (kombu/Celery). Logical databases keep the broker,
the cache and the test suite apart on one server; kombu prefixes its fan-out channels with
the database number, so even Celery's broadcast (ping) stays within one.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit


def with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    if parts.scheme in {"unix", "redis+socket", "socket"}:
        key = "db" if parts.scheme == "unix" else "virtual_host"
        query = dict(parse_qsl(parts.query))
        query.pop("db", None)
        query.pop("virtual_host", None)
        query[key] = str(db)
        return f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query)}"
    return parts._replace(path=f"/{db}").geturl()


def db_of(url: str) -> int:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    value = query.get("db") or query.get("virtual_host") or parts.path.strip("/") or "0"
    return int(value)
