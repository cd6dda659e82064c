from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = "Suppliers (MSMEs)"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the enqueue-only receivers)
