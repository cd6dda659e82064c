"""Closed vocabularies kept in code: units, materials and MSME categories.

They are choices, not tables, because adding one means new matching rules or new law, never an
administrator's edit.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """Units for quantities and monthly capacities; matching compares like with like only."""

    PIECES = "pieces", _("pieces")
    KG = "kg", _("kg")
    TONNES = "tonnes", _("tonnes")
    SETS = "sets", _("sets")
    TESTS = "tests", _("tests")
    MACHINE_HOURS = "machine_hours", _("machine-hours")
    SQ_METRES = "sq_m", _("m²")


class Material(models.TextChoices):
    """Magnet materials a process handles."""

    NDFEB_SINTERED = "ndfeb_sintered", _("NdFeB sintered")
    NDFEB_BONDED = "ndfeb_bonded", _("NdFeB bonded")
    SMCO = "smco", _("SmCo")
    FERRITE = "ferrite", _("Ferrite")


class MsmeCategory(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    NOT_MSME = "not_msme", _("Not an MSME")


# Smallest first: the category is the smallest whose limits both hold.
CATEGORY_ORDER = (MsmeCategory.MICRO, MsmeCategory.SMALL, MsmeCategory.MEDIUM)
# The categories a limit, a need's preference or an eligibility rule can name.
MSME_CATEGORY_CHOICES = [
    (value, label) for value, label in MsmeCategory.choices if value in CATEGORY_ORDER
]
