"""Celery tasks for the vocabulary: none yet (nothing here runs in the background)."""
