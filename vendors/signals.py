"""Signals only enqueue work, after commit; the work itself is a service.

``suppliers_changed`` is how this room tells the rooms above it (the matcher) that services
changed many suppliers' data at once with ``update()``, which sends no ``post_save``;
``suppliers_imported`` that an import (``imports.py``) added or changed them, in bulk writes that
send no ``post_save`` either.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from taxonomy.models import MsmeLimit

from .tasks import suppliers_reclassify

# Sent with ``supplier_ids`` (a list) inside the transaction that changed them.
suppliers_changed = Signal()
# Sent once per import with ``supplier_ids`` (a list), inside the import's transaction.
suppliers_imported = Signal()


@receiver([post_save, post_delete], sender=MsmeLimit)
def msme_limits_changed(sender: type[MsmeLimit], **kwargs: Any) -> None:
    """A limits revision is a data change: reclassify every supplier once it is committed."""
    suppliers_reclassify.delay_on_commit()
