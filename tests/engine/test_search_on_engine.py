"""The whole search suite (tests/search/test_search.py) on the real engine.

The same functions run here with ``search_backend`` switched to the engine by
tests/engine/conftest.py; nothing about the tests changes with the backend.
"""

from tests.search.test_search import *  # noqa: F403
