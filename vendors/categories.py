"""MSME categories (no model imports, so schemes and vendors can both use them)."""

from django.db import models


class MsmeCategory(models.TextChoices):
    MICRO = "micro", "Micro"
    SMALL = "small", "Small"
    MEDIUM = "medium", "Medium"
    NOT_MSME = "not_msme", "Not an MSME"


# Smallest first: the category is the smallest whose limits both hold.
CATEGORY_ORDER = [MsmeCategory.MICRO, MsmeCategory.SMALL, MsmeCategory.MEDIUM]
