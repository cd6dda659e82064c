"""Actions of the MSME pages: saving the profile an owner describes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm

from vendors.models import Supplier


@transaction.atomic
def profile_save(
    *,
    owner: AbstractBaseUser,
    enterprise: ModelForm,
    capabilities: BaseInlineFormSet,
    certificates: BaseInlineFormSet,
) -> Supplier:
    """Save an owner's enterprise, its capabilities and certificates together (all validated).

    The matcher hears of each save through its signals and rematches the supplier once, after
    the commit (debounced); nothing here computes matches.
    """
    supplier = enterprise.save(commit=False)
    supplier.owner = owner
    supplier.save()
    enterprise.save_m2m()
    for formset in (capabilities, certificates):
        formset.instance = supplier
        formset.save()
    return supplier
