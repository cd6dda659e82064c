from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    """Owns the vocabulary: processes, certification types, units, sectors, MSME limits."""

    name = "taxonomy"
    verbose_name = "Taxonomy and MSME limits"

    def ready(self) -> None:
        from . import history  # noqa: F401  (connects the history path stamp)
