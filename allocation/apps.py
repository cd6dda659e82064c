from django.apps import AppConfig


class AllocationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "allocation"
    verbose_name = "Recommended allocation"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
