from .communities import CommunityMembershipFactory, CommunityPageFactory
from .pages import BlogPageFactory, ExperienceStoryPageFactory, ExpertArticlePageFactory
from .profiles import ProfileFactory
from .questions import AnswerPageFactory, ExpertVerificationFactory, QuestionPageFactory
from .users import UserFactory

__all__ = [
    "AnswerPageFactory",
    "BlogPageFactory",
    "CommunityMembershipFactory",
    "CommunityPageFactory",
    "ExperienceStoryPageFactory",
    "ExpertArticlePageFactory",
    "ExpertVerificationFactory",
    "ProfileFactory",
    "QuestionPageFactory",
    "UserFactory",
]
