"""Celery tasks for geography and clusters: none yet (nothing here runs in the background)."""
