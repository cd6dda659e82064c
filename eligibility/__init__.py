"""Eligibility: "can I take part, and how?", answered per role from rules kept as data.

Rules are dated, versioned, sourced data that administrators curate (``RuleSet`` and its
``Criterion`` rows, with example profiles that must pass before a version is published). One
engine (``engine.py``) evaluates them for the anonymous self-check at /eligibility/, a signed-in
supplier's dashboard and the API. It sits above the matcher in the house: a result counts the open
needs the profile would match now through the matcher's own engine.
"""
