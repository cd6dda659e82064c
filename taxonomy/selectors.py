"""Read queries for the vocabulary, each with the joins its callers need."""

from django.db.models import QuerySet

from .models import Process


def process_list() -> QuerySet[Process]:
    """Every process with its category, in the taxonomy's order (labels name the category)."""
    return Process.objects.select_related("category").order_by("category__order", "order", "name")
