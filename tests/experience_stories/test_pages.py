import pytest

from core.models import Condition
from tests.factories import ExperienceStoryPageFactory

pytestmark = pytest.mark.django_db

# +2 for the rating widget: the summary row and the anonymous-ratings site setting.
# +3 for the discussion: the readable-page gate (view restrictions, the page) and
# the comments with their authors in one query (tests/discussion/test_queries.py).
# +3 for sharing (a public item): view restrictions, the policy's rules, its default.
DETAIL_QUERIES = 23


@pytest.mark.parametrize("treatment_count", [1, 10])
def test_story_renders_its_facts_under_a_fixed_query_ceiling(
    client, story_index, member, django_assert_max_num_queries, treatment_count
):
    condition = Condition.objects.create(name="Relapsing-remitting MS", slug="rrms")
    story = ExperienceStoryPageFactory.build(
        author=member,
        owner=member,
        title="Learning to pace myself",
        condition=condition,
        year_of_diagnosis=2019,
    )
    story.treatments.add(*[f"treatment-{n}" for n in range(treatment_count)])
    story_index.add_child(instance=story)
    story.save_revision().publish()

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(story.url)

    assert response.status_code == 200
    html = response.content.decode()
    for expected in ("Learning to pace myself", "Relapsing-remitting MS", "2019", "treatment-0"):
        assert expected in html
    assert member.display_name in html


def test_story_index_renders(client, portal):
    response = client.get("/experiences/")
    assert response.status_code == 200


def test_year_of_diagnosis_cannot_be_in_the_future(story_index):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    story = ExperienceStoryPageFactory(parent=story_index, publish=False)
    story.year_of_diagnosis = timezone.now().year + 1
    with pytest.raises(ValidationError):
        story.full_clean()
