"""The end-to-end tests reuse the portal's fixture: a commune offering birth registration."""
from tests.portal.conftest import birth  # noqa: F401
