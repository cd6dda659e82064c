"""Supply against demand: where India's supplier base falls short of the facilities' needs.

For each cluster × process: open needs, suppliers within the cluster's radius, suppliers that
match and near misses by the rule they miss, with the gaps (needs with no or few matches); the
same per facility; a national view of which processes each cluster lacks. Staff read it under
``/insights/``; the public cluster pages show the aggregates only, never a supplier.

The figures are read from a snapshot (``models.Snapshot``) that ``services.snapshot_refresh``
computes set-based in the database and a Celery beat task refreshes every few minutes: live
aggregates over millions of match rows take seconds, a snapshot's rows milliseconds.

Above the matcher in the house (beside ``portal``): it reads matching, schemes, vendors and
clusters, and nothing imports it except ``config``.
"""
