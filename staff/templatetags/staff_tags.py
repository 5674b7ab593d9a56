"""The staff plan on other pages (the home page's "on duty" card) and the small pieces every
schedule template shares: a shift's times, what residents may read of its note."""

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.sites import area_section, reader_home, site_area
from staff import plans
from staff.models import Duty, StaffSchedulePage

register = template.Library()


def _area(context):
    return site_area(context.get("request"))


@register.simple_tag(takes_context=True)
def reception_now(context):
    """Who is at each reception desk this minute (computed on every request, never cached)."""
    area = _area(context)
    return plans.on_duty(area) if area else None


@register.simple_tag(takes_context=True)
def today_plan(context):
    area = _area(context)
    return plans.day_plan(area, timezone.localdate(), photos=False) if area else None


@register.simple_tag(takes_context=True)
def staff_schedule_page(context):
    """The area's live schedule page in the reader's language (else the Chinese one)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    return area_section(StaffSchedulePage, reader_home(context, site), site)


@register.filter
def hours(shift):
    """08:30–12:00"""
    return f"{timezone.localtime(shift.start):%H:%M}–{timezone.localtime(shift.end):%H:%M}"


@register.filter
def public_note(shift):
    """A shift's note as residents read it: never for a home visit, whose note may say whose
    home it is (docs/architecture.md, personal data)."""
    return "" if shift.duty == Duty.HOME_VISITS else shift.note


@register.filter
def short_label(shift):
    """What a shift is, in as few words as a week poster's narrow column needs: the desk alone
    for reception duty (it says reception), else the duty and where."""
    if shift.duty == Duty.RECEPTION and shift.desk:
        return shift.where
    return " · ".join(str(part) for part in (shift.get_duty_display(), shift.where) if part)


@register.filter
def is_now(shift, now):
    return now is not None and shift.start <= now < shift.end


@register.filter
def next_time(moment):
    """When something starts next, in words: 今天 13:00, 明天 08:30, 5月4日 周一 08:30."""
    local = timezone.localtime(moment)
    today = timezone.localdate()
    time = f"{local:%H:%M}"
    if local.date() == today:
        return _("today at %(time)s") % {"time": time}
    if local.date() == today + dt.timedelta(days=1):
        return _("tomorrow at %(time)s") % {"time": time}
    day = f"{formats.date_format(local, 'MONTH_DAY_FORMAT')} {formats.date_format(local, 'l')}"
    return _("%(day)s at %(time)s") % {"day": day, "time": time}
