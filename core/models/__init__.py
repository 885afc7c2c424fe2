"""Models shared by every section: home, the content parent, mixins, taxonomy, the outbox."""

from .audiences import Audience, audience_is_narrowing
from .background import OutboundEmail, WorkerHeartbeat
from .communities import CommunityIndexPage, CommunityMembership, CommunityPage
from .content import ContentPage, ContentPageTag
from .home import HomePage
from .information import InformationPage
from .mixins import (
    AudienceMixin,
    AuthorshipMixin,
    BodyMixin,
    IntroMixin,
    MedicalReviewMixin,
    SharingChoiceMixin,
    SummaryMixin,
)
from .sections import SectionIndexPage
from .site_settings import CommunitySettings
from .submissions import SubmissionReceipt
from .taxonomy import Condition

__all__ = [
    "Audience",
    "AudienceMixin",
    "AuthorshipMixin",
    "BodyMixin",
    "CommunityIndexPage",
    "CommunityMembership",
    "CommunityPage",
    "CommunitySettings",
    "Condition",
    "ContentPage",
    "ContentPageTag",
    "HomePage",
    "InformationPage",
    "IntroMixin",
    "MedicalReviewMixin",
    "OutboundEmail",
    "SectionIndexPage",
    "SubmissionReceipt",
    "SharingChoiceMixin",
    "SummaryMixin",
    "WorkerHeartbeat",
    "audience_is_narrowing",
]
