"""No Celery tasks: a check is evaluated in the request, in a few queries."""
