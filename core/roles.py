"""The groups and exactly what each may do.

``portal.setup`` applies this table; tests read it to prove each group has
nothing more. Publishing is nobody's permission: pages go live only when the
review workflow finishes (superusers aside).
"""

EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"
EXPERTS = "Experts"
MEMBERS = "Members"
COMMUNITY_MANAGERS = "Community managers"
PHARMACOVIGILANCE = "Pharmacovigilance"
# The data-protection officer (issue 16): the consent ledger, the access log and
# the audit trail, with their exports; no content.
DATA_PROTECTION = "Data protection"

# Section keys, as named in portal.setup.SECTIONS.
BLOGS = "blogs"
EXPERT_ARTICLES = "expert-articles"
EXPERIENCES = "experiences"
QUESTIONS = "questions"
ALL_SECTIONS = (BLOGS, EXPERT_ARTICLES, EXPERIENCES, QUESTIONS)
# The communities index (portal.setup), parent of every community page.
COMMUNITIES = "communities"

ROLE_PERMISSIONS = {
    # First review step; may correct tone or remove third-party details.
    # They also moderate comments (the queue in the admin, see discussion/),
    # manage promoted search results and read the search reports (search/).
    EDITORS: {
        "model": {
            "wagtailadmin.access_admin",
            "discussion.moderate_comments",
            "wagtailsearchpromotions.add_searchpromotion",
            "wagtailsearchpromotions.change_searchpromotion",
            "wagtailsearchpromotions.delete_searchpromotion",
            "kindred_search.view_search_reports",
            # The standard replies experts may give (questions).
            "questions.add_standardreply",
            "questions.change_standardreply",
            "questions.delete_standardreply",
            "questions.view_standardreply",
            # The questions waiting longer than the service level (a report).
            "questions.view_waiting_questions",
            # A possible side effect in an item or comment: they open a safety case
            # for the Pharmacovigilance group, which they then cannot see (safety/).
            "safety.open_case",
            # Reports › Review and Community analytics (analytics/), figures only.
            "analytics.view_analytics",
        },
        "pages": {section: {"change"} for section in ALL_SECTIONS},
        "collections": {"add_image", "choose_image"},
    },
    # Second step; reviews through the workflow's own access, edits nothing else.
    # They also verify clinicians (questions.ExpertVerification): a
    # registration is checked by someone who knows what it means.
    MEDICAL_REVIEWERS: {
        "model": {
            "wagtailadmin.access_admin",
            "questions.add_expertverification",
            "questions.change_expertverification",
            "questions.delete_expertverification",
            "questions.view_expertverification",
            # As editors: open a safety case by hand, not see it (safety/).
            "safety.open_case",
        },
        "pages": {},
        "collections": set(),
    },
    # Verified clinicians write their expert articles on the site, like members
    # (authoring): the admin would only show them other people's pages.
    EXPERTS: {
        "model": set(),
        "pages": {},
        "collections": set(),
    },
    # Create communities, set their policies and rules, appoint their
    # moderators (memberships in the admin). Community pages are the
    # organisation's own, not members' content: no review workflow, so
    # managers publish them. They see no member content; their one report
    # is the share log (counts per network and item, nobody in it).
    # They also set the external-sharing policy (sharing/): its rules, the
    # site-wide default, and why a page may or may not be shared.
    COMMUNITY_MANAGERS: {
        "model": {
            "wagtailadmin.access_admin",
            "core.view_communitymembership",
            "core.change_communitymembership",
            "sharing.add_sharingrule",
            "sharing.change_sharingrule",
            "sharing.delete_sharingrule",
            "sharing.view_sharingrule",
            "sharing.change_sharingsettings",
            "sharing.view_share_log",
            # Reports › Review and Community analytics (analytics/): counts, people
            # under five never as a number, no member content.
            "analytics.view_analytics",
        },
        "pages": {COMMUNITIES: {"add", "change", "publish"}},
        "collections": set(),
    },
    # The Safety inbox (safety/): adverse-event cases, their triage, notes and
    # reports. They alone (and superusers) see cases: the excerpts are members'
    # health. No pages, no content: the case carries its excerpt.
    PHARMACOVIGILANCE: {
        "model": {
            "wagtailadmin.access_admin",
            "safety.view_safetycase",
            "safety.change_safetycase",
            "safety.open_case",
        },
        "pages": {},
        "collections": set(),
    },
    # The data-protection officer (issue 16): reads and exports the organisation's
    # records of what happened to members' data; sees no content and no case.
    DATA_PROTECTION: {
        "model": {
            "wagtailadmin.access_admin",
            # audit: the access log ("who saw my data").
            "audit.export_accessrecord",
            # audit: the audit trail (Wagtail's log and Kindred's actions) and its
            # exports; the retention periods (Settings › Retention) are theirs to set.
            "audit.view_audit_trail",
            "audit.change_retentionsettings",
            # accounts: the consent ledger (every grant and withdrawal).
            "accounts.export_consentevent",
        },
        "pages": {},
        "collections": set(),
    },
    # Patients and carers never use the CMS admin.
    MEMBERS: {
        "model": set(),
        "pages": {},
        "collections": set(),
    },
}
