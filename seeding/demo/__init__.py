"""Deterministic synthetic MSMEs and facility needs for demos and load tests (``seed_demo``).

The same seed and the same reference data give the same rows (names, Udyam numbers, GSTINs,
capabilities, certificates, needs) on any day and any database: all randomness comes from one
``random.Random(seed)`` (and a Faker seeded with it), reference rows are read in a fixed order,
dates are fixed (never "today + n"), and nothing iterates a set.

One module per job: ``catalogue`` (what is drawn from), ``reference`` (the reference rows, read
once), ``draws`` (shared random draws), ``suppliers`` and ``needs`` (the generators), ``writer``
(COPY on PostgreSQL), ``clearing`` (set-wise cascading deletes). ``seeding.services`` puts them
together. 100,000 suppliers bring ~300,000 capabilities, ~150,000 certificates and ~200,000
sector links.
"""
