"""The sponsor's declaration: in every page's footer and under expert articles, from the
cache (no query when warm), gone when blank, changed at once when the setting is saved."""

from django.core.cache import cache

from wagtail.models import Site

import pytest

from safety import declarations
from safety.models import DEFAULT_DECLARATION, SafetySettings
from tests.factories import BlogPageFactory, ExpertArticlePageFactory

pytestmark = pytest.mark.django_db

DECLARATION = "Kindred is funded by Acme Pharma, which has no editorial control."
# tests/blogs/test_pages.py's ceiling for a blog post: the footer adds nothing to it.
DETAIL_QUERIES = 21


@pytest.fixture(autouse=True)
def _connected():
    # safety.signals.connect() calls it in ready(); idempotent (dispatch_uid).
    declarations.connect()


@pytest.fixture
def site(portal):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def safety_settings(site):
    settings = SafetySettings.for_site(site)
    settings.sponsor_declaration = DECLARATION
    settings.save()
    return settings


@pytest.fixture
def post(blog_index):
    return BlogPageFactory(parent=blog_index, title="Pacing my energy")


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') :]


def test_a_fresh_site_shows_the_default_declaration_and_the_report_link(client, post):
    html = client.get(post.url).content.decode()

    assert "Sponsor’s declaration" in footer(html)
    assert DEFAULT_DECLARATION in footer(html)
    assert 'href="/safety/report/"' in footer(html)
    # Reading does not write: no settings row is made by a page view.
    assert not SafetySettings.objects.exists()


def test_the_footer_shows_the_sites_declaration(client, post, safety_settings):
    html = client.get(post.url).content.decode()

    assert DECLARATION in footer(html)
    assert DEFAULT_DECLARATION not in html


def test_a_blank_declaration_shows_nothing(client, post, safety_settings):
    safety_settings.sponsor_declaration = "  "
    safety_settings.save()

    html = client.get(post.url).content.decode()

    assert "Sponsor’s declaration" not in html
    assert "footer-declaration" not in html


def test_a_saved_change_shows_at_once(client, post, safety_settings):
    client.get(post.url)  # warms the cache
    safety_settings.sponsor_declaration = "A new declaration, as of today."
    safety_settings.save()

    html = client.get(post.url).content.decode()

    assert "A new declaration, as of today." in html
    assert DECLARATION not in html


def test_a_warm_cache_reads_without_a_query(site, safety_settings, django_assert_num_queries):
    declarations.safety_settings_for(site)

    with django_assert_num_queries(0):
        settings = declarations.safety_settings_for(site)

    assert settings.sponsor_declaration == DECLARATION
    assert settings.reporting_scheme_url == safety_settings.reporting_scheme_url


def test_the_cache_keeps_the_helplines(site, safety_settings):
    safety_settings.helplines = [
        ("helpline", {"country": "Ireland", "name": "Samaritans Ireland", "phone": "116 123"})
    ]
    safety_settings.save()
    declarations.safety_settings_for(site)

    cached = declarations.safety_settings_for(site)

    assert [block.value["name"] for block in cached.helplines] == ["Samaritans Ireland"]


def test_deleting_the_setting_forgets_it(site, safety_settings):
    declarations.safety_settings_for(site)
    safety_settings.delete()

    assert declarations.safety_settings_for(site).sponsor_declaration == DEFAULT_DECLARATION


def test_each_site_has_its_own_cache_entry(site, safety_settings):
    declarations.safety_settings_for(site)

    assert cache.get(declarations.CACHE_KEY.format(site_id=site.pk)) is not None
    assert cache.get(declarations.CACHE_KEY.format(site_id=site.pk + 1)) is None


def test_the_footer_costs_one_query_on_a_cold_cache_and_none_when_warm(
    client, post, safety_settings, django_assert_max_num_queries
):
    # Cold (the first page after a save or a restart): the setting's one query, still
    # under the ceiling tests/blogs holds for a blog post.
    with django_assert_max_num_queries(DETAIL_QUERIES) as cold:
        cold_response = client.get(post.url)
    with django_assert_max_num_queries(DETAIL_QUERIES) as warm:
        warm_response = client.get(post.url)

    def setting_queries(context):
        return [q for q in context.captured_queries if "safety_safetysettings" in q["sql"]]

    assert len(setting_queries(cold)) == 1
    assert setting_queries(warm) == []
    assert DECLARATION in cold_response.content.decode()
    assert DECLARATION in warm_response.content.decode()


def test_an_expert_article_carries_a_labelled_declaration(client, expert_index, expert):
    article = ExpertArticlePageFactory(parent=expert_index, author=expert)

    html = client.get(article.url).content.decode()
    article_html = html[html.index("<article") : html.index("</article>")]

    assert 'id="sponsor-declaration-heading">Sponsor’s declaration</h2>' in article_html
    assert DEFAULT_DECLARATION in article_html


def test_a_blog_post_has_no_declaration_in_the_article(client, post):
    html = client.get(post.url).content.decode()

    assert "sponsor-declaration-heading" not in html


def test_the_declaration_is_escaped(client, post, safety_settings):
    safety_settings.sponsor_declaration = "<script>alert(1)</script> Funded by Acme."
    safety_settings.save()

    html = client.get(post.url).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Funded by Acme." in html
