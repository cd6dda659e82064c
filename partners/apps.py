from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partners of the scheme (anchor companies, state agencies, associations) and their API."""

    name = "partners"
    verbose_name = "Partners and the API"
