from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.language import language_choose
from core import consent, documents
from portal import restrictions, views
from portal.health import health
from portal.security import csp_report

urlpatterns = [
    # Browsers, feed readers and bookmarks ask for /favicon.ico without reading
    # the page's <link rel="icon">. Not permanent: the static address may change.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.ico"), permanent=False)),
    # Load balancers and deploys ask each app server whether it can serve (issue 17).
    path("_health/", health, name="health"),
    # Issue 18: the footer's language switcher (accounts.language).
    path("language/", language_choose, name="language_choose"),
    # Browsers report Content-Security-Policy violations here (issue 10, finding 10).
    path(settings.CSP_REPORT_PATH.lstrip("/"), csp_report, name="csp_report"),
    # Everyone signs in through allauth (throttled, confirmed addresses only);
    # Wagtail's own login forms (the admin's, and the one its private pages and
    # documents send people to) only redirect there. Issue 10, finding 1.
    path("admin/login/", views.sign_in_redirect, name="admin_login_redirect"),
    path("_util/login/", views.sign_in_redirect, name="frontend_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    # Kindred's sessions page, ahead of allauth's own at that address (finding 11).
    path("accounts/sessions/", include("accounts.user_sessions_views")),
    path("accounts/", include("allauth.urls")),
    # The two texts members agree to are Wagtail pages (core.InformationPage)
    # at the addresses accounts.urls names; these routes, ahead of accounts',
    # hand those addresses to the pages (see portal.views.consent_page).
    path("guidelines/", views.consent_page, {"kind": consent.GUIDELINES}),
    path("privacy/health-data/", views.consent_page, {"kind": consent.HEALTH_DATA}),
    path("", include("accounts.urls")),
    path("", include("social.urls")),
    path("", include("authoring.urls")),
    path("ratings/", include("ratings.urls")),
    path("comments/", include("discussion.urls")),
    path("search/", include("search.urls")),
    path("communities/", include("communities.urls")),
    path("share/", include("sharing.urls")),
    path("safety/", include("safety.urls")),
    # Issue 16: who saw my data (/me/access/); download my data, delete my account.
    path("", include("audit.urls")),
    path("", include("compliance.urls")),
    path("", include("questions.urls")),
    path("notifications/", include("social.notifications.urls")),
    path("", include("discovery.urls")),
    path("api/v2/", include("api.urls")),
    # Issue 10, finding 6: no shared-password forms (portal.restrictions).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        restrictions.password_form_gone,
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        restrictions.password_form_gone,
    ),
    # Ahead of Wagtail's own view (same address): a private document answers
    # exactly as a missing one does (core.documents; issue 10, finding 15).
    re_path(r"^documents/(\d+)/(.*)$", documents.serve, name="document_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("tags/<str:slug>/", views.tag_listing, name="tag_listing"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
