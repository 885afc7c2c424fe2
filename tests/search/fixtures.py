"""Fixtures shared by tests/search (database backend) and tests/engine (a real engine).

The search tests ask for ``search_backend`` and call ``search_backend.sync()``
after creating content: a no-op on the database backend (its index is updated
inside the save), a refresh on the engine (documents become searchable after a
refresh; the background tasks have already sent them). tests/engine/conftest.py
overrides ``search_backend`` to switch the whole test to the engine.
"""

from dataclasses import dataclass

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

import pytest


@dataclass
class SearchBackendHandle:
    name: str
    is_engine: bool = False

    def sync(self):
        """Make what the tasks sent searchable now (engines refresh about once a second)."""
        if self.is_engine:
            get_search_backend().get_index_for_model(Page).refresh()


@pytest.fixture
def search_backend(portal):
    """The backend the settings give: Wagtail's database backend in the test settings."""
    return SearchBackendHandle(name="database")
