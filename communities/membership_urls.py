"""Join, leave, request, invite, decide: each a POST under the community's address.

Every action answers with a redirect (303) to the community's page and a
message, or a refusal (``core.refusals.Refused``: 400/403/404/409) in the
same words. The forms that post here are on the community page.
"""

from django.urls import path

from . import views

urlpatterns = [
    # The person themselves.
    path("<str:slug>/join/", views.join, name="join"),
    path("<str:slug>/leave/", views.leave, name="leave"),
    path("<str:slug>/rules/accept/", views.rules_accept, name="rules_accept"),
    path("<str:slug>/invitation/accept/", views.invitation_accept, name="invitation_accept"),
    path("<str:slug>/invitation/decline/", views.invitation_decline, name="invitation_decline"),
    path("<str:slug>/profile-listing/", views.profile_listing, name="profile_listing"),
    # The community's moderators.
    path("<str:slug>/invite/", views.invite, name="invite"),
    path("<str:slug>/requests/decide/", views.request_decide, name="request_decide"),
    path("<str:slug>/members/remove/", views.member_remove, name="member_remove"),
]
