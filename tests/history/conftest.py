"""The profile form's references, shared with the MSME pages' tests."""

from tests.portal.conftest import world  # noqa: F401
