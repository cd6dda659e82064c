from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """Owns seed_reference, seed_demo and seed_demo_accounts; has no models of its own."""

    name = "seeding"
    verbose_name = "Reference and demo data"
