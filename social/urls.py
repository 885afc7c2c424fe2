from django.urls import path

from . import feeds, views

app_name = "social"

urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("people/", views.people, name="people"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/blocked/", views.blocked_and_muted, name="blocked_and_muted"),
    # ``str`` rather than ``slug``: every value, well-formed or not, reaches
    # the same 404 as a hidden profile (see social.selectors.visible_profile).
    path("members/<str:handle>/", views.profile_detail, name="profile_detail"),
    path("members/<str:handle>/followers/", views.followers, name="followers"),
    path("members/<str:handle>/following/", views.following, name="following"),
    path("members/<str:handle>/follow/", views.member_follow, name="member_follow"),
    path("members/<str:handle>/unfollow/", views.member_unfollow, name="member_unfollow"),
    path("members/<str:handle>/block/", views.member_block, name="member_block"),
    path("members/<str:handle>/unblock/", views.member_unblock, name="member_unblock"),
    path("members/<str:handle>/mute/", views.member_mute, name="member_mute"),
    path("members/<str:handle>/unmute/", views.member_unmute, name="member_unmute"),
    # Included before portal's /tags/<slug>/ listing, which would not match
    # these longer paths anyway; kept here with the other follow buttons.
    path("tags/<str:slug>/follow/", views.topic_follow, name="topic_follow"),
    path("tags/<str:slug>/unfollow/", views.topic_unfollow, name="topic_unfollow"),
    # Public RSS 2.0 and Atom feeds (social.feeds); tags and members before sections.
    path("feeds/tags/<str:slug>/rss/", feeds.TagFeed(), name="tag_rss"),
    path("feeds/tags/<str:slug>/atom/", feeds.TagAtomFeed(), name="tag_atom"),
    path("feeds/members/<str:handle>/rss/", feeds.AuthorFeed(), name="author_rss"),
    path("feeds/members/<str:handle>/atom/", feeds.AuthorAtomFeed(), name="author_atom"),
    path("feeds/<str:section_slug>/rss/", feeds.SectionFeed(), name="section_rss"),
    path("feeds/<str:section_slug>/atom/", feeds.SectionAtomFeed(), name="section_atom"),
]
