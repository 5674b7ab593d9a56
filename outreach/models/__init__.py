"""The committee's own records: suggestions (suggestions.py), the visit diary and reception log
(records.py), spot checks and quarterly reviews (checks.py)."""

from outreach.models.checks import AnswerTemplate, CorrectionRequest, QuarterReview, SpotCheck, SpotCheckItem
from outreach.models.records import ReceptionCase, RecordAccess, Visit
from outreach.models.suggestions import Rating, Suggestion, SuggestionCategory, SuggestionEvent

__all__ = [
    "AnswerTemplate",
    "CorrectionRequest",
    "QuarterReview",
    "Rating",
    "ReceptionCase",
    "RecordAccess",
    "SpotCheck",
    "SpotCheckItem",
    "Suggestion",
    "SuggestionCategory",
    "SuggestionEvent",
    "Visit",
]
