"""Where certificate scans are kept: outside the public media path, served only through
``portal.views.certificate_document`` (the owner and staff)."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """The "private" storage of settings.STORAGES (a callable, so tests can swap it)."""
    return storages["private"]
