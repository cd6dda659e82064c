from django.apps import AppConfig


class ConsortiaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consortia"
    verbose_name = "Consortia"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the enqueue-only receiver)
