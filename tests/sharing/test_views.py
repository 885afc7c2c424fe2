"""The share endpoint and the continue page, against hostile and ordinary input."""

from urllib.parse import parse_qs, urlsplit

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from core.models import Audience
from sharing.models import ShareCount, SharingRule
from sharing.networks import NETWORKS
from sharing.views import CONTINUE_SALT
from tests.factories import BlogPageFactory, CommunityPageFactory, ExpertArticlePageFactory
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(expert_index, expert):
    return ExpertArticlePageFactory(
        parent=expert_index, author=expert, title="Fatigue: what helps", may_be_shared=True
    )


def share_url(page_id, network):
    return reverse("sharing:share", args=[page_id, network])


def counted(page, network=None):
    rows = ShareCount.objects.filter(page_id=page.pk)
    if network:
        rows = rows.filter(network=network)
    return sum(rows.values_list("count", flat=True))


def test_a_share_is_counted_and_redirected_to_the_network(client, article, settings):
    response = client.post(share_url(article.pk, "x"))

    assert response.status_code == 303
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "x.com", "/intent/post")
    query = parse_qs(target.query)
    assert query["url"] == [f"{settings.KINDRED_BASE_URL.rstrip('/')}{article.url}?via=share"]
    assert query["text"] == ["Fatigue: what helps"]
    row = ShareCount.objects.get(page_id=article.pk, network="x")
    assert (row.count, row.day, row.community_id) == (1, timezone.localdate(), None)


def test_shares_on_one_day_add_up_in_one_row(client, article):
    for _ in range(3):
        client.post(share_url(article.pk, "facebook"))
    client.post(share_url(article.pk, "linkedin"))

    assert ShareCount.objects.filter(page_id=article.pk).count() == 2
    assert counted(article, "facebook") == 3
    assert counted(article, "linkedin") == 1


@pytest.mark.parametrize(
    ("network", "host"),
    [
        ("facebook", "www.facebook.com"),
        ("x", "x.com"),
        ("linkedin", "www.linkedin.com"),
        ("xing", "www.xing.com"),
        ("whatsapp", "api.whatsapp.com"),
    ],
)
def test_each_fixed_network_is_sent_to_its_own_origin_only(client, article, network, host):
    response = client.post(share_url(article.pk, network))

    assert response.status_code == 303
    assert urlsplit(response["Location"]).netloc == host
    assert f"https://{host}" in " ".join(_form_action(client, article))


def _form_action(client, page):
    policy = client.get(page.url)["Content-Security-Policy"]
    directive = next(part for part in policy.split(";") if part.strip().startswith("form-action"))
    return directive.split()[1:]


def test_the_form_action_origins_are_the_networks_own(settings):
    from sharing.networks import FORM_ACTION_ORIGINS

    assert settings.SHARING_FORM_ACTION_ORIGINS == FORM_ACTION_ORIGINS


@pytest.mark.parametrize("network", ["mastodon", "email", "copy"])
def test_networks_without_one_origin_go_through_the_continue_page(client, article, network):
    data = {"instance": "mastodon.social"} if network == "mastodon" else {}
    response = client.post(share_url(article.pk, network), data)

    assert response.status_code == 303
    continue_url = response["Location"]
    assert continue_url.startswith(reverse("sharing:continue"))
    page = client.get(continue_url)
    assert page.status_code == 200
    html = page.content.decode()
    expected = {
        "mastodon": "https://mastodon.social/share?text=",
        "email": "mailto:?subject=",
        "copy": f"{article.url}?via=share",
    }[network]
    assert expected in html
    assert counted(article, network) == 1


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        ("mastodon.social", "mastodon.social"),
        ("https://Mastodon.Social/", "mastodon.social"),
        ("@someone@social.example.org", "social.example.org"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_a_mastodon_server_is_named_by_its_host(client, article, raw, host):
    response = client.post(share_url(article.pk, "mastodon"), {"instance": raw})

    target = client.get(response["Location"]).context["target"]
    assert urlsplit(target).netloc == host
    assert target.startswith(f"https://{host}/share?text=")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "evil.example/path",
        "evil.example:8443",
        "user:pass@evil.example",
        "javascript:alert(1)",
        "http://evil.example",
        "127.0.0.1",
        "localhost",
        "evil.example\x00.org",
        "a" * 300 + ".example",
        *PAYLOADS[:3],
    ],
)
def test_a_bad_mastodon_server_is_refused_and_nothing_is_counted(client, article, raw):
    response = client.post(share_url(article.pk, "mastodon"), {"instance": raw})

    assert response.status_code == 400
    assert "Mastodon server" in response.content.decode()
    assert_harmless(response.content.decode())
    assert counted(article) == 0


def test_a_get_changes_nothing(client, article):
    response = client.get(share_url(article.pk, "x"))

    assert response.status_code == 405
    assert counted(article) == 0


def test_without_a_csrf_token_nothing_is_shared(article):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(share_url(article.pk, "x"))

    assert response.status_code == 403
    assert counted(article) == 0


@pytest.mark.parametrize("network", ["myspace", "X", "facebook.com", "%00", "a" * 500])
def test_an_unknown_network_is_not_found(client, article, network):
    response = client.post(f"/share/{article.pk}/{network}/")

    assert response.status_code == 404
    assert counted(article) == 0


@pytest.mark.parametrize("page_id", ["0", "99999999", "2147483648", "99999999999999999999999"])
def test_a_made_up_id_is_not_found(client, article, page_id):
    response = client.post(f"/share/{page_id}/x/")

    assert response.status_code == 404
    assert ShareCount.objects.count() == 0


def test_a_draft_is_not_found_as_if_missing(client, blog_index, member):
    draft = BlogPageFactory(parent=blog_index, author=member, publish=False, may_be_shared=True)

    client.force_login(member)  # even for its author
    response = client.post(share_url(draft.pk, "x"))

    assert response.status_code == 404
    assert counted(draft) == 0


def test_someone_elses_community_item_is_not_found_for_outsiders(client, portal, blog_index):
    from core.models import CommunityIndexPage

    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get(), is_listed=False)
    item = BlogPageFactory(
        parent=blog_index, audience=Audience.COMMUNITY, community=community, may_be_shared=True
    )

    response = client.post(share_url(item.pk, "x"))

    assert response.status_code == 404
    assert counted(item) == 0


def test_a_members_only_item_is_refused_to_its_reader_and_nothing_is_counted(
    client, blog_index, member
):
    item = BlogPageFactory(parent=blog_index, audience=Audience.MEMBERS, may_be_shared=True)

    client.force_login(member)
    response = client.post(share_url(item.pk, "x"))

    assert response.status_code == 403
    assert "Never shared" in response.content.decode()
    assert counted(item) == 0


def test_a_page_under_a_view_restriction_is_never_shared(client, blog_index, member):
    item = BlogPageFactory(parent=blog_index, may_be_shared=True)
    PageViewRestriction.objects.create(page=item, restriction_type=PageViewRestriction.LOGIN)

    client.force_login(member)
    response = client.post(share_url(item.pk, "x"))

    # core.selectors.readable_content treats a restricted page as unreadable
    # (it is never listed): so it answers as a missing page does.
    assert response.status_code == 404
    assert counted(item) == 0


def test_a_refusal_by_the_policy_answers_403_and_counts_nothing(client, article):
    SharingRule.objects.create(network="x", allowed=False, note="Not on X")

    response = client.post(share_url(article.pk, "x"))

    assert response.status_code == 403
    assert "may not be shared there" in response.content.decode()
    assert counted(article) == 0
    # Another network is still allowed.
    assert client.post(share_url(article.pk, "facebook")).status_code == 303


def test_a_section_or_the_home_page_is_never_shared(client, blog_index, home):
    for page in (blog_index, home):
        response = client.post(share_url(page.pk, "x"))
        assert response.status_code == 403
    assert ShareCount.objects.count() == 0


def test_a_community_page_is_counted_with_its_community(client, portal):
    from core.models import CommunityIndexPage

    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())

    response = client.post(share_url(community.pk, "linkedin"))

    assert response.status_code == 303
    assert ShareCount.objects.get(page_id=community.pk).community_id == community.pk


def test_too_many_shares_from_one_client_still_redirect_but_stop_counting(
    client, article, settings
):
    settings.SHARING_THROTTLE_RATE = "2/m"

    statuses = [client.post(share_url(article.pk, "x")).status_code for _ in range(4)]

    assert statuses == [303] * 4
    assert counted(article, "x") == 2


def test_the_continue_page_refuses_a_forged_or_old_token(client, article):
    forged = signing.dumps({"to": "https://evil.example/", "network": "copy"}, salt="other")
    for token in (forged, "garbage", "x" * 5000, ""):
        response = client.get(reverse("sharing:continue"), {"t": token})
        assert response.status_code == 400
        assert "evil.example" not in response.content.decode()


def test_the_continue_page_shows_only_what_kindred_signed(client):
    token = signing.dumps(
        {"to": "https://mastodon.social/share?text=a", "network": "nope"}, salt=CONTINUE_SALT
    )
    assert client.get(reverse("sharing:continue"), {"t": token}).status_code == 400
    token = signing.dumps(["not", "a", "dict"], salt=CONTINUE_SALT)
    assert client.get(reverse("sharing:continue"), {"t": token}).status_code == 400


def test_every_network_has_a_share_address_that_carries_the_item(article):
    for network in NETWORKS.values():
        address = network.share_address(
            url="https://kindred.example/a/?via=share", title="T", instance="mastodon.social"
        )
        assert "kindred.example" in address
