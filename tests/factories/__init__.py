from .communities import CommunityMembershipFactory, CommunityPageFactory
from .pages import BlogPageFactory, ExperienceStoryPageFactory, ExpertArticlePageFactory
from .profiles import ProfileFactory
from .users import UserFactory

__all__ = [
    "BlogPageFactory",
    "CommunityMembershipFactory",
    "CommunityPageFactory",
    "ExperienceStoryPageFactory",
    "ExpertArticlePageFactory",
    "ProfileFactory",
    "UserFactory",
]
