"""Seeding: the reference data every room ships and the synthetic demo data, at the top.

It writes into every room below (taxonomy, clusters, schemes, vendors) and nothing imports it.
``services.py`` holds the three actions (``reference_load``, ``demo_seed``, ``demo_clear``);
``reference.py`` the reference loaders; ``demo/`` the demo generator, one module per job.
"""
