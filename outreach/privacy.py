"""What the committee's own records hold about a resident, on their "My data" page and in their
download (PIPL: a resident may see, copy and have corrected what is kept about them).

- the suggestions they filed, with the answer and their rating; those they support (附议) only
  as the public board words and answers them, since the text is another resident's;
- the home visits and reception cases recorded for their account, with what was found, the
  follow-up and their rating, and the sensitive details they agreed to: these are about them,
  so they read them too (staff of other cases never do: outreach/records.py);
- their requests for a correction and the replies.

The staff member's name is left out: it is not the resident's data. Records already anonymised
(outreach/retention.py) no longer point to anyone, so they are not here.
"""

import functools

from django.utils.translation import gettext as _

from outreach import records, suggestions
from outreach.forms import CorrectionForm
from outreach.models import CorrectionRequest, ReceptionCase, RecordAccess, Suggestion, Visit
from portal.privacy import Section, contributes, moment


def filed(user):
    return Suggestion.objects.filter(resident=user).select_related("category").order_by("received_at", "pk")


def supported(user):
    return (
        Suggestion.objects.of_resident(user)
        .exclude(resident=user)
        .select_related("category")
        .order_by("received_at", "pk")
    )


def visits(user):
    return Visit.objects.filter(resident=user).select_related("building", "suggestion").order_by("at", "pk")


def cases(user):
    return ReceptionCase.objects.filter(resident=user).select_related("building", "service").order_by("at", "pk")


def corrections(user):
    return CorrectionRequest.objects.filter(resident=user).order_by("at", "pk")


def rating_data(record):
    return {
        "rating": record.get_rating_display() or None,
        "comment": record.rating_comment,
        "at": moment(record.rated_at),
    }


def suggestion_data(suggestion):
    return {
        "number": suggestion.number,
        "category": suggestion.category.display_name,
        "text": suggestion.text,
        "place": suggestion.place,
        "has_photo": bool(suggestion.photo),
        "may_be_shown_publicly": suggestion.public,
        "received": suggestion.get_channel_display(),
        "status": suggestion.get_status_display(),
        "received_at": moment(suggestion.received_at),
        "accepted_at": moment(suggestion.accepted_at),
        "answered_at": moment(suggestion.answered_at),
        "closed_at": moment(suggestion.closed_at),
        "answer": suggestion.answer,
        "reason_not_accepted": suggestion.reason,
        "transferred_to": suggestion.transferred_to,
        "your_rating": rating_data(suggestion) if suggestion.rated_at else None,
    }


def supported_data(suggestion, names):
    """A suggestion the resident supports, as the board shows it; `names` gives the names to mask
    in its answer for an area (suggestions.known_names)."""
    return {
        "number": suggestion.number,
        "category": suggestion.category.display_name,
        "public_wording": suggestion.public_text,
        "status": suggestion.get_status_display(),
        "answer": suggestions.public_answer(suggestion, names(suggestion.area_id)),
    }


def household_data(record):
    """What the record says about the household, as staff wrote it down."""
    return {
        "building": str(record.building or ""),
        "room_number": record.room_number,
        "name": record.household_name,
        "phone": record.household_phone,
    }


def sensitive_data(record):
    if not record.sensitive:
        return None
    return {"details": record.sensitive, "consent_given_at": moment(record.sensitive_consent_at)}


def visit_data(visit):
    return {
        "at": moment(visit.at),
        "minutes": visit.minutes,
        "purpose": visit.get_purpose_display(),
        "household": household_data(visit),
        "found": visit.found,
        "follow_up": visit.follow_up,
        "follow_up_done_at": moment(visit.follow_up_done_at),
        "about_suggestion": visit.suggestion.number if visit.suggestion else None,
        "sensitive_details": sensitive_data(visit),
        "your_rating": rating_data(visit) if visit.rated_at else None,
    }


def case_data(case):
    return {
        "at": moment(case.at),
        "minutes": case.minutes,
        "service": case.service.title if case.service else None,
        "outcome": case.get_outcome_display(),
        "household": household_data(case),
        "what_was_asked_and_done": case.note,
        "sensitive_details": sensitive_data(case),
        "your_rating": rating_data(case) if case.rated_at else None,
    }


def correction_data(correction):
    return {
        "asked_at": moment(correction.at),
        "text": correction.text,
        "handled_at": moment(correction.handled_at),
        "reply": correction.reply,
    }


def download(user):
    """The resident's copy of their outreach records; handing out the visit and reception records
    is logged on each, like any export (docs/architecture.md, personal data)."""
    own_visits, own_cases = list(visits(user)), list(cases(user))
    names = functools.cache(suggestions.known_names)
    records.log([*own_visits, *own_cases], user, RecordAccess.Action.EXPORTED, note=_("The resident's own copy"))
    return {
        "suggestions": [suggestion_data(suggestion) for suggestion in filed(user)],
        "suggestions_supported": [supported_data(suggestion, names) for suggestion in supported(user)],
        "home_visits": [visit_data(visit) for visit in own_visits],
        "reception_cases": [case_data(case) for case in own_cases],
        "correction_requests": [correction_data(correction) for correction in corrections(user)],
    }


def page(user):
    """What "My data" shows of the records (outreach/includes/my_data.html), newest first."""
    return {
        "suggestions": filed(user).reverse(),
        "supported": supported(user).reverse(),
        "visits": visits(user).reverse(),
        "cases": cases(user).reverse(),
        "corrections": corrections(user).reverse(),
        "form": CorrectionForm(),
    }


def register():
    """Called when the app is ready: portal's "My data" and download take in this section."""
    contributes("outreach", Section(data=download, template="outreach/includes/my_data.html", context=page))
