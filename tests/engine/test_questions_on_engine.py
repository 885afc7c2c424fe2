"""Questions and answers in search on the real engine: the same canaries and type filter as
tests/questions, with ``search_backend`` switched to the engine by tests/engine/conftest.py."""

import pytest

from tests.questions.test_question_canaries import test_search, world  # noqa: F401
from tests.questions.test_question_listing import (  # noqa: F401
    test_search_finds_questions_and_answers_and_filters_by_type,
)

pytestmark = pytest.mark.django_db
