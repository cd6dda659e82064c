from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partners of the scheme (anchor companies, state agencies, associations) and their API."""

    name = "partners"
    verbose_name = "Partners and the API"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models, selectors

        # A key checked lately (selectors.credentials_for) is checked afresh after any change.
        for model in (models.ApiKey, models.Partner):
            post_save.connect(selectors.forget_checked_keys, sender=model, weak=False)
            post_delete.connect(selectors.forget_checked_keys, sender=model, weak=False)
        m2m_changed.connect(
            selectors.forget_checked_keys, sender=models.Partner.facilities.through, weak=False
        )
