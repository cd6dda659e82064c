"""Closed vocabularies kept in code: units, materials and MSME categories.

They are choices, not tables, because adding one means new matching rules or new law, never an
administrator's edit.
"""

from django.db import models


class Unit(models.TextChoices):
    """Units for quantities and monthly capacities; matching compares like with like only."""

    PIECES = "pieces", "pieces"
    KG = "kg", "kg"
    TONNES = "tonnes", "tonnes"
    SETS = "sets", "sets"
    TESTS = "tests", "tests"
    MACHINE_HOURS = "machine_hours", "machine-hours"
    SQ_METRES = "sq_m", "m²"


class Material(models.TextChoices):
    """Magnet materials a process handles."""

    NDFEB_SINTERED = "ndfeb_sintered", "NdFeB sintered"
    NDFEB_BONDED = "ndfeb_bonded", "NdFeB bonded"
    SMCO = "smco", "SmCo"
    FERRITE = "ferrite", "Ferrite"


class MsmeCategory(models.TextChoices):
    MICRO = "micro", "Micro"
    SMALL = "small", "Small"
    MEDIUM = "medium", "Medium"
    NOT_MSME = "not_msme", "Not an MSME"


# Smallest first: the category is the smallest whose limits both hold.
CATEGORY_ORDER = (MsmeCategory.MICRO, MsmeCategory.SMALL, MsmeCategory.MEDIUM)
# The categories a limit, a need's preference or an eligibility rule can name.
MSME_CATEGORY_CHOICES = [
    (value, label) for value, label in MsmeCategory.choices if value in CATEGORY_ORDER
]
