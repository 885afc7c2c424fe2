"""What an unreachable or failing search engine looks like to Kindred."""

# The engine clients raise their own exception types. Connection refused,
# timeouts and 5xx answers are "the engine is unavailable"; anything else is a
# bug and should surface as one.
_errors = []
try:
    from elastic_transport import TransportError
    from elasticsearch import ApiError as ElasticsearchApiError

    _errors += [TransportError, ElasticsearchApiError]
except ImportError:  # pragma: no cover - the client is a dependency
    pass
try:  # OpenSearch's client, when a deployment uses opensearch2/3.
    from opensearchpy.exceptions import OpenSearchException

    _errors.append(OpenSearchException)
except ImportError:
    pass

ENGINE_ERRORS = tuple(_errors)


class SearchUnavailable(Exception):
    """The search backend cannot answer right now (the engine is down or failing)."""
