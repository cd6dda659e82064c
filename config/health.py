"""Checks behind /healthz: can we talk to the database and, if configured, Redis?"""

import logging

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)


def services_status(connection: BaseDatabaseWrapper) -> dict[str, str]:
    status = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "down"; the log keeps the detail
        logger.exception("Health check: database unavailable")
        status["database"] = "error"
    if settings.REDIS_URL:
        import redis

        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
            client.ping()
            status["redis"] = "ok"
        except redis.RedisError:
            logger.exception("Health check: Redis unavailable")
            status["redis"] = "error"
    return status
