"""Nothing to administer: snapshots are computed (``services.snapshot_refresh``), never edited.
The admin's index links to ``/insights/`` (``templates/admin/index.html``)."""
