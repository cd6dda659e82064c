from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class SeedingConfig(AppConfig):
    """Owns seed_reference, seed_demo and seed_demo_accounts, and the admin's roles; has no
    models of its own."""

    name = "seeding"
    verbose_name = "Reference and demo data"

    def ready(self) -> None:
        post_migrate.connect(roles_synced_after_migrate, dispatch_uid="seeding.roles_sync")


def roles_synced_after_migrate(app_config: AppConfig, **kwargs: Any) -> None:
    """After every migrate (and flush): the admin's groups hold exactly their roles' permissions.

    post_migrate is sent once per app with models, this one included only if it had any: act
    on the last one's, when every app's permissions exist (Django creates them, idempotently,
    on each app's signal)."""
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if not with_models or app_config is not with_models[-1]:
        return
    from .services import roles_sync

    roles_sync()
