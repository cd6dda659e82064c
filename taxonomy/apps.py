from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    """Owns the vocabulary: processes, certification types, units, sectors, MSME limits."""

    name = "taxonomy"
    verbose_name = "Taxonomy and MSME limits"
