"""Wagtail imports this module of every app; each part registers its own hooks.

- ``communities.page_hooks``: the directory's and each community page's context.
- ``communities.admin_viewsets``: memberships in the admin, for community managers.
"""

from communities import admin_viewsets, page_hooks  # noqa: F401 (they register hooks)
