"""Wagtail imports this module of every app; each part registers its own hooks.

- ``communities.page_hooks``: the directory's and each community page's context.
- ``communities.admin_viewsets``: memberships in the admin, for community managers.
- ``communities.membership_hooks``: membership's notification kinds and audit-log actions.
"""

from communities import admin_viewsets, membership_hooks, page_hooks  # noqa: F401 (hooks)
