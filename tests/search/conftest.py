from tests.search.fixtures import search_backend  # noqa: F401
