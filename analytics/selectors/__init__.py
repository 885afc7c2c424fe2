"""Reads for the analytics; import them from here (``from analytics.selectors import ...``).

``review``: the review queues over time, time to decision per reviewer, requests
for changes, items past the service level. ``community``: weekly activity for the
whole site and each community, top and zero-result searches.
"""

from .community import (
    CommunityActivity,
    ScopeFigures,
    SearchTerm,
    WeekFigures,
    community_activity,
    member_accounts,
    top_searches,
    zero_result_searches,
)
from .review import (
    ChangeRequests,
    DecisionTimes,
    OverdueItem,
    OverdueReport,
    QueueDay,
    percentile,
    review_change_requests,
    review_decision_times,
    review_overdue,
    review_queue_history,
)

__all__ = [
    "ChangeRequests",
    "CommunityActivity",
    "DecisionTimes",
    "OverdueItem",
    "OverdueReport",
    "QueueDay",
    "ScopeFigures",
    "SearchTerm",
    "WeekFigures",
    "community_activity",
    "member_accounts",
    "percentile",
    "review_change_requests",
    "review_decision_times",
    "review_overdue",
    "review_queue_history",
    "top_searches",
    "zero_result_searches",
]
