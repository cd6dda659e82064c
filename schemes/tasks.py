"""Celery tasks for the scheme's data: none yet.

Needs are rematched when they change, by ``matching.signals`` (the matcher owns that work).
"""
