"""What an account keeps besides Django's user: its preferences and when it last looked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Preferences(models.Model):
    """One account's settings. Created at sign-up; an older account without a row reads the
    defaults (``accounts.selectors.preferences_of``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
    )
    email_language = models.CharField(
        _("Language of emails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The weekly digest and other emails come in this language."),
    )
    # Per account, not per browser: "new since your last visit" counts the same on every device.
    dashboard_visited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"
