"""The matcher: which suppliers fit which needs, how well and why (matches, runs, scoring).

Above both sides of the market (``schemes`` and ``vendors``), which it reads; only seeding and
the project's wiring (``config``) sit above it.
"""
