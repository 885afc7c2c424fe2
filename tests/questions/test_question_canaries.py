"""Audience canaries for questions and answers on every surface a reader can reach.

Each private question and its answer carry their own words (``zq<item><part>canary``)
in the question's title, details and tag and in the answer's text; the
asker of the anonymous question carries a name and handle that must never be
shown with it. What each persona may read is written out here (``READS``).
"""

from django.test import Client

import pytest

from core.models import Audience, CommunityIndexPage, CommunityMembership
from questions.models import AcceptedAnswer, HelpfulMark
from social.models import Profile
from tests.communities.conftest import with_consent
from tests.factories import ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import AnswerPageFactory, QuestionPageFactory
from tests.html import without_csrf_tokens
from tests.search.fixtures import search_backend  # noqa: F401 (the database backend)

pytestmark = pytest.mark.django_db

SHARED = "plinthoquestion"
PUBLIC_TAG = "swimming"
ITEMS = ("public", "anon", "members", "a", "u")
PRIVATE = ("members", "a", "u")
PARTS = ("title", "body", "tag", "answer")
PERSONAS = ("visitor", "outsider", "b_member", "leaver", "a_member")
READS = {
    "visitor": {"public", "anon"},
    "outsider": {"public", "anon", "members"},
    "b_member": {"public", "anon", "members"},
    "leaver": {"public", "anon", "members"},
    "a_member": {"public", "anon", "members", "a", "u"},
}
ANON_NAME = "zqanonaskernamecanary"


def word(item, part):
    return f"zq{item}{part}canary"


def hidden(persona, parts=PARTS):
    return {word(item, part) for item in PRIVATE if item not in READS[persona] for part in parts}


def text_of(response):
    return without_csrf_tokens(response.content.decode(errors="replace"))


@pytest.fixture
def world(question_index, expert, search_backend):  # noqa: F811
    index = CommunityIndexPage.objects.get()
    communities = {
        "a": CommunityPageFactory(parent=index, title="Zq listed A", slug="zq-a"),
        "b": CommunityPageFactory(parent=index, title="Zq listed B", slug="zq-b"),
        "u": CommunityPageFactory(parent=index, title="Zq quiet", slug="zq-u", is_listed=False),
    }
    personas = {"visitor": None}
    for name in PERSONAS[1:]:
        personas[name] = with_consent(UserFactory(group="Members", display_name=f"Persona {name}"))
    CommunityMembershipFactory(community=communities["b"], user=personas["b_member"])
    for name in ("a", "u"):
        CommunityMembershipFactory(community=communities[name], user=personas["a_member"])
    CommunityMembershipFactory(community=communities["a"], user=personas["leaver"])

    askers, questions, answers = {}, {}, {}
    for item in ITEMS:
        name = ANON_NAME if item == "anon" else f"Asker {item}"
        asker = with_consent(UserFactory(group="Members", display_name=name))
        ProfileFactory(user=asker, visibility=Profile.Visibility.EVERYONE)
        askers[item] = asker
        audience = {
            "members": {"audience": Audience.MEMBERS},
            "a": {"audience": Audience.COMMUNITY, "community": communities["a"]},
            "u": {"audience": Audience.COMMUNITY, "community": communities["u"]},
        }.get(item, {"audience": Audience.EVERYONE})
        if "community" in audience:
            CommunityMembershipFactory(community=audience["community"], user=asker)
        questions[item] = QuestionPageFactory(
            parent=question_index,
            author=asker,
            title=f"{word(item, 'title')} {SHARED}?",
            body=[("paragraph", f"<p>{word(item, 'body')} {SHARED}</p>")],
            tags=[word(item, "tag"), PUBLIC_TAG],
            is_anonymous=item == "anon",
            **audience,
        )
        answers[item] = AnswerPageFactory(
            parent=questions[item],
            author=expert,
            body=[("paragraph", f"<p>{word(item, 'answer')} {SHARED}</p>")],
        )
        AcceptedAnswer.objects.create(question=questions[item], answer=answers[item])
        HelpfulMark.objects.create(answer=answers[item], user=askers[item])
    ProfileFactory(user=expert, visibility=Profile.Visibility.EVERYONE)
    # The leaver leaves after everything was published (leaving deletes the row).
    CommunityMembership.objects.filter(community=communities["a"], user=personas["leaver"]).delete()
    search_backend.sync()
    return {
        "communities": communities,
        "personas": personas,
        "askers": askers,
        "questions": questions,
        "answers": answers,
        "expert": expert,
        "index": question_index,
    }


def client_for(world, persona):
    client = Client()
    if world["personas"][persona] is not None:
        client.force_login(world["personas"][persona])
    return client


def sweep(world, urls, *, status=(200,), parts=PARTS):
    problems = []
    for persona in PERSONAS:
        client = client_for(world, persona)
        forbidden = hidden(persona, parts)
        for url in urls:
            response = client.get(url)
            if response.status_code not in status:
                problems.append(f"{persona} got {response.status_code} at {url}")
            text = text_of(response)
            found = {canary for canary in forbidden if canary in text}
            if found:
                problems.append(f"{persona} saw {sorted(found)} at {url}")
            if ANON_NAME in text and world["questions"]["anon"].title in text:
                problems.append(f"{persona} saw the anonymous asker's name at {url}")
    return problems


def test_question_and_answer_pages(world):
    problems = []
    for persona in PERSONAS:
        client = client_for(world, persona)
        for item in ITEMS:
            for page in (world["questions"][item], world["answers"][item]):
                response = client.get(page.url)
                text = text_of(response)
                if item in READS[persona]:
                    expected = 302 if page is world["answers"][item] else 200
                elif item == "u":
                    expected = 404
                else:
                    expected = 403
                    for part in ("body", "tag", "answer"):
                        if word(item, part) in text:
                            problems.append(f"{persona}'s teaser of {item} shows its {part}")
                if response.status_code != expected:
                    problems.append(f"{persona} got {response.status_code} at {item} {page.url}")
                if item not in READS[persona] and world["askers"][item].public_name in text:
                    problems.append(f"{persona} saw who asked {item}")
    assert not problems, "\n".join(problems)
    # Positive control: the member of A reads A's question and its answer.
    text = text_of(client_for(world, "a_member").get(world["questions"]["a"].url))
    assert word("a", "body") in text and word("a", "answer") in text


def test_listing_home_and_tags(world):
    index = world["index"].url
    urls = [
        index,
        f"{index}?status=answered",
        f"{index}?status=accepted&sort=helpful",
        f"{index}?community=zq-a",
        f"{index}?community=zq-u",
        "/",
        f"/tags/{PUBLIC_TAG}/",
    ]
    assert not sweep(world, urls)
    problems = []
    for item in PRIVATE:
        problems += [
            p
            for p in sweep(world, [f"/tags/{word(item, 'tag')}/"], status=(200, 404))
            if "saw" in p
        ]
    assert not problems, "\n".join(problems)
    text = text_of(client_for(world, "a_member").get(f"{index}?community=zq-u"))
    assert word("u", "title") in text and word("a", "title") not in text


def test_profiles_and_feeds(world):
    handles = [asker.profile.handle for asker in world["askers"].values()]
    handles.append(world["expert"].profile.handle)
    urls = [asker.profile.get_absolute_url() for asker in world["askers"].values()]
    urls.append(world["expert"].profile.get_absolute_url())
    urls += [f"/feeds/members/{handle}/rss/" for handle in handles]
    urls += [
        f"/feeds/{world['index'].slug}/rss/",
        f"/feeds/{world['index'].slug}/atom/",
        f"/feeds/tags/{PUBLIC_TAG}/rss/",
    ]
    # Profiles and feeds answer 200 or, for a private profile, 404.
    assert not sweep(world, urls, status=(200, 404))
    # The anonymous question is on no profile and in no feed of its asker.
    anon = world["askers"]["anon"]
    for url in (anon.profile.get_absolute_url(), f"/feeds/members/{anon.profile.handle}/rss/"):
        text = text_of(Client().get(url))
        assert word("anon", "title") not in text, url


def test_the_anonymous_asker_is_named_nowhere(world):
    anon = world["askers"]["anon"]
    question = world["questions"]["anon"]
    urls = [
        question.url,
        world["index"].url,
        "/",
        f"/tags/{PUBLIC_TAG}/",
        f"/tags/{word('anon', 'tag')}/",
        f"/search/?q={SHARED}",
        f"/search/?q={word('anon', 'title')}",
        f"/feeds/{world['index'].slug}/rss/",
        f"/feeds/tags/{PUBLIC_TAG}/rss/",
        world["expert"].profile.get_absolute_url(),
    ]
    for persona in PERSONAS:
        client = client_for(world, persona)
        for url in urls:
            text = text_of(client.get(url))
            assert ANON_NAME not in text, (persona, url)
            assert anon.profile.handle not in text, (persona, url)
            assert question.pseudonym not in text, (persona, url)
    assert "Anonymous member" in text_of(Client().get(question.url))


def test_search(world):
    assert not sweep(world, [f"/search/?q={SHARED}", f"/search/?q={SHARED}&type=question"])
    # Searching for a canary echoes it in the search box: the rest must stay hidden,
    # and nothing may match.
    problems = []
    for persona in PERSONAS:
        client = client_for(world, persona)
        for canary in sorted(hidden(persona)):
            text = text_of(client.get(f"/search/?q={canary}"))
            found = {other for other in hidden(persona) - {canary} if other in text}
            if found or "Nothing matched" not in text:
                problems.append(f"{persona} searching {canary} saw {sorted(found)} or a hit")
    assert not problems, "\n".join(problems)
    text = text_of(client_for(world, "a_member").get(f"/search/?q={SHARED}&type=question"))
    assert word("a", "title") in text


def test_accept_and_helpful_endpoints(world):
    problems = []
    for persona in PERSONAS:
        client = client_for(world, persona)
        for item in PRIVATE:
            if item in READS[persona]:
                continue
            answer = world["answers"][item]
            for action in ("accept", "helpful"):
                response = client.post(f"/answers/{answer.pk}/{action}/")
                expected = 303 if persona == "visitor" else 404
                if response.status_code != expected:
                    problems.append(f"{persona} got {response.status_code} at {action} {item}")
                found = {c for c in hidden(persona) if c in text_of(response)}
                if found or word(item, "title") in response.get("Location", ""):
                    problems.append(f"{persona} learned {found} from {action} {item}")
    assert not problems, "\n".join(problems)
    assert HelpfulMark.objects.count() == len(ITEMS)
