from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the enqueue-only receivers)
