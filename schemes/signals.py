"""Signals of the scheme's room, for the rooms above it (the matcher).

``facilities_changed`` is sent with ``facility_ids`` (a list) by services that change many
facilities at once with ``update()``, which sends no ``post_save``. ``needs_imported`` is sent
once per import (``imports.py``) with ``need_ids`` (a list) of the needs it added or changed, in
bulk writes that send no ``post_save``.
"""

from django.dispatch import Signal

facilities_changed = Signal()

# Sent with ``need_ids`` (a list) by services that change or create many needs at once with the
# bulk helpers (``bulk_update_with_history``, ``bulk_create_with_history``), which send no
# ``post_save``: the matcher rematches them together, once.
needs_changed = Signal()

# Sent with ``need_ids`` by an import (schemes.imports), once, after its transaction.
needs_imported = Signal()
