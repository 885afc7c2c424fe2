"""Bring a database to the state Kindred needs: site, page tree, groups, workflow.

Every step reads what exists and changes only what differs, so running it
again changes nothing (``manage.py setup_portal``).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from blogs.models import BlogIndexPage, ExpertArticleIndexPage
from core import roles
from core.languages import (
    content_languages,
    default_content_language,
    locales_ensure,
)
from core.models import CommunityIndexPage, HomePage, InformationPage
from experience_stories.models import StoryIndexPage
from moderation.models import ReviewTask
from portal.site_pages import SITE_PAGES
from questions.models import ANSWER_WORKFLOW_NAME, QUESTION_WORKFLOW_NAME, QuestionIndexPage

SITE_NAME = "Kindred"
HOME_TITLE = "Kindred: living with MS, together"
HOME_INTRO = (
    "<p>Stories, blogs and expert articles from people living with multiple sclerosis, "
    "the people who care for them, and the clinicians who treat them. Everything is "
    "reviewed by our editorial and medical teams before it is published.</p>"
)

SECTIONS = {
    roles.BLOGS: (BlogIndexPage, "Blogs", "<p>Members write about life with MS.</p>"),
    roles.EXPERT_ARTICLES: (
        ExpertArticleIndexPage,
        "Expert articles",
        "<p>Verified clinicians explain, medically reviewed before publication.</p>",
    ),
    roles.EXPERIENCES: (
        StoryIndexPage,
        "Experiences",
        "<p>Members share what happened to them, in their own words.</p>",
    ),
    roles.QUESTIONS: (
        QuestionIndexPage,
        "Questions",
        "<p>Members ask, verified clinicians answer. Every answer is medically reviewed "
        "before it is published.</p>",
    ),
}

# Not a section of items: the directory of communities, outside the review
# workflow (community managers publish community pages themselves).
COMMUNITIES_INDEX = (
    CommunityIndexPage,
    "Communities",
    "<p>Closed groups of people who share a condition or a role. What is written in a "
    "community is read by its members only.</p>",
)

WORKFLOW_NAME = "Editorial and medical review"
EDITORIAL_STEP = ("Editorial review", ReviewTask.Stage.EDITORIAL, roles.EDITORS)
MEDICAL_STEP = ("Medical review", ReviewTask.Stage.MEDICAL, roles.MEDICAL_REVIEWERS)
REVIEW_STEPS = [EDITORIAL_STEP, MEDICAL_STEP]
# Questions pass the editorial step alone (guidelines, personal data, safety:
# a question gives no medical advice); answers the medical step alone
# (questions.models.AnswerPage.get_workflow). The steps are the same tasks,
# so one review queue shows them all.
WORKFLOWS = {
    WORKFLOW_NAME: REVIEW_STEPS,
    QUESTION_WORKFLOW_NAME: [EDITORIAL_STEP],
    ANSWER_WORKFLOW_NAME: [MEDICAL_STEP],
}

# What Wagtail's own migrations create and Kindred does not use: a group that
# may publish anything and a one-step workflow on the whole tree.
WAGTAIL_DEFAULT_GROUPS = ["Moderators"]
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


@transaction.atomic
def portal_setup(*, site_pages=True):
    """Create or correct the whole set-up; returns the home page and sections by key.

    ``site_pages=False`` leaves out the site's own pages (about, privacy…),
    which only the test suite does: they cost a few Wagtail page saves that
    most tests do not need (those that do ask for them).
    """
    home = _ensure_home()
    _ensure_site(home)
    sections = {key: _ensure_section(home, key, *spec) for key, spec in SECTIONS.items()}
    communities = _ensure_section(home, roles.COMMUNITIES, *COMMUNITIES_INDEX)
    _ensure_groups({**sections, roles.COMMUNITIES: communities})
    _ensure_workflow(sections)
    if site_pages:
        _ensure_site_pages(home)
    return home, sections


def _publish_new(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ensure_roots():
    """The locales, root collection and root page the migrations normally make.

    A database that was flushed (as transactional tests do) has none of them.
    A locale for each content language (core/migrations/0008; one added to
    the settings later gets its locale here).
    """
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    locales_ensure()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


def _ensure_home():
    root = _ensure_roots()
    # The site's home, not its German translation (a draft outside every site that
    # holds the site pages' translations, _ensure_site_page_translations).
    home = HomePage.objects.filter(locale__language_code=default_content_language()).first()
    if home is not None:
        return home
    # Wagtail's migrations leave a plain "Welcome" page where our home belongs.
    for placeholder in root.get_children().exact_type(Page):
        if placeholder.numchild == 0:
            placeholder.delete()
    return _publish_new(root, HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO))


def _site_address():
    """Wagtail's ``(hostname, port)`` for the public address, ``KINDRED_BASE_URL``.

    So that the links Wagtail builds from its Site (``page.full_url``, the
    admin's "View live") agree with those in emails: `make run PORT=8001`
    exports the address and runs this again.
    """
    address = urlsplit(settings.KINDRED_BASE_URL)
    return address.hostname or "localhost", address.port or (
        443 if address.scheme == "https" else 80
    )


def _ensure_site(home):
    hostname, port = _site_address()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    wanted = {"root_page_id": home.pk, "site_name": SITE_NAME, "hostname": hostname, "port": port}
    if any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()


def _ensure_section(home, key, model, title, intro):
    section = model.objects.child_of(home).first()
    if section is None:
        section = _publish_new(home, model(title=title, slug=key, intro=intro, show_in_menus=True))
    return section


def _free_slug(parent, slug):
    """``slug``, or ``slug-2``, ``slug-3``… if an editor already uses it under ``parent``."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _ensure_site_pages(home):
    """Create each of the site's own pages (about, privacy…) that does not exist yet.

    A page is found by its setup key, drafts included and wherever an editor
    moved or renamed it, and is never changed once it exists: running setup
    again neither duplicates a page nor overwrites an editor's work. A page
    that was deleted is made again (the privacy notice, terms and consent
    texts must exist); to retire one, unpublish it or take it out of the footer.
    Each page is written in the site's default language, and then in every
    other content language (``_ensure_site_page_translations``).
    """
    pages = {page.setup_key: page for page in InformationPage.objects.exclude(setup_key="")}
    default = default_content_language()
    for spec in SITE_PAGES:
        if spec.key in pages:
            continue
        parent = pages.get(spec.parent, home) if spec.parent else home
        page = _site_page(spec, parent, default, setup_key=spec.key, consent_kind=spec.consent_kind)
        pages[spec.key] = _publish_new(parent, page)
    for locale in Locale.objects.filter(language_code__in=content_languages()).exclude(
        language_code=default
    ):
        _ensure_site_page_translations(home, pages, locale)


def _site_page(spec, parent, language, **fields):
    """A new, unsaved site page under ``parent`` from ``spec``'s texts in ``language``."""
    with translation.override(language):
        return InformationPage(
            title=spec.title,
            slug=_free_slug(parent, spec.slug),
            intro=spec.intro_html,
            body=spec.body,
            show_in_menus=False,
            **fields,
        )


def _ensure_site_page_translations(home, pages, locale):
    """Each site page's translation into ``locale`` (German), made once from the starting texts.

    Wagtail's translations (issue 18): the same ``translation_key`` as the
    English page, in ``locale``, in a tree of its own under the home page's
    translation. That tree belongs to no site, so none of its pages has an
    address: ``InformationPage.serve`` shows a translation at its original's
    address to a reader in its language. A translation that exists, published
    or not, is the editors' and is left as it is; a deleted one is made again
    (from the texts as translated in the catalogue). It keeps ``setup_key`` and
    ``consent_kind`` empty: they name the English page, and are unique.
    """
    translated_home = home.get_translation_or_none(locale) or home.copy_for_translation(locale)
    made = set(
        Page.objects.filter(
            locale=locale, translation_key__in=[page.translation_key for page in pages.values()]
        ).values_list("translation_key", flat=True)
    )
    for spec in SITE_PAGES:
        page = pages[spec.key]
        if page.translation_key in made:
            continue
        parent = _translated_parent(page, locale) or translated_home
        translated = _site_page(
            spec, parent, locale.language_code, translation_key=page.translation_key, locale=locale
        )
        _publish_new(parent, translated)
        made.add(page.translation_key)


def _translated_parent(page, locale):
    """The translation into ``locale`` of ``page``'s parent, if it is a translated site page
    (the health data page sits under the privacy notice's), else None (the home's)."""
    parent = page.get_parent()
    if parent is None or parent.depth <= 2:
        return None
    return (
        Page.objects.filter(translation_key=parent.translation_key, locale=locale)
        .specific()
        .first()
    )


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _ensure_groups(sections):
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).delete()
    root_collection = Collection.get_first_root_node()
    for name, spec in roles.ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(dotted) for dotted in spec["model"]])

        wanted_pages = {
            (sections[key].pk, f"{codename}_page")
            for key, codenames in spec["pages"].items()
            for codename in codenames
        }
        existing = GroupPagePermission.objects.filter(group=group)
        for grant in existing.select_related("permission"):
            if (grant.page_id, grant.permission.codename) not in wanted_pages:
                grant.delete()
        for page_id, codename in wanted_pages:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=page_id,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )

        wanted_collections = {
            Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)
            for codename in spec["collections"]
        }
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=root_collection, permission__in=wanted_collections
        ).delete()
        for permission in wanted_collections:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


def _ensure_workflow(sections):
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True).update(active=False)
    WorkflowPage.objects.filter(workflow__name=WAGTAIL_DEFAULT_WORKFLOW).delete()

    tasks = {step: _ensure_task(*step) for step in REVIEW_STEPS}
    workflows = {
        name: _ensure_workflow_steps(name, [tasks[step] for step in steps])
        for name, steps in WORKFLOWS.items()
    }
    for key, section in sections.items():
        name = QUESTION_WORKFLOW_NAME if key == roles.QUESTIONS else WORKFLOW_NAME
        WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflows[name]})
    return workflows[WORKFLOW_NAME]


def _ensure_task(name, stage, group_name):
    task, created = ReviewTask.objects.get_or_create(name=name, defaults={"stage": stage})
    if not created and (task.stage != stage or not task.active):
        task.stage, task.active = stage, True
        task.save(update_fields=["stage", "active"])
    task.groups.set([Group.objects.get(name=group_name)])
    return task


def _ensure_workflow_steps(name, tasks):
    workflow, _ = Workflow.objects.get_or_create(name=name)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    current = list(WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order"))
    if [link.task_id for link in current] != [task.pk for task in tasks]:
        WorkflowTask.objects.filter(workflow=workflow).delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow
