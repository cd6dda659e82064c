"""Signals only enqueue work, after commit; the work itself is a service."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from taxonomy.models import MsmeLimit

from .tasks import suppliers_reclassify


@receiver([post_save, post_delete], sender=MsmeLimit)
def msme_limits_changed(sender: type[MsmeLimit], **kwargs: Any) -> None:
    """A limits revision is a data change: reclassify every supplier once it is committed."""
    suppliers_reclassify.delay_on_commit()
