"""Where to find the staff: the published plan of a day or a week, and an A4 poster of either
for the notice board (宣传栏) with a QR code leading to the live page.

The StaffSchedulePage's `@route`s call these. The area is the site's; every page does a fixed
number of queries whatever the number of staff (staff.plans.plan_between).
"""

import datetime as dt

import segno
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.localtime import monday_of
from portal.sites import area_of, day_from_path
from staff import plans


def parse_day(value):
    """A date from the address (today without one); one that does not exist is a 404."""
    return day_from_path(value) if value else timezone.localdate()


def day_url(page, request, day):
    return page.get_url(request) + page.reverse_subpage("day", kwargs={"day": day.isoformat()})


def week_url(page, request, day):
    return page.get_url(request) + page.reverse_subpage("week", kwargs={"day": monday_of(day).isoformat()})


def poster_url(page, request, day, week=False):
    if week:
        return page.get_url(request) + page.reverse_subpage("week_poster", kwargs={"day": monday_of(day).isoformat()})
    return page.get_url(request) + page.reverse_subpage("day_poster", kwargs={"day": day.isoformat()})


def qr_svg(url, title=""):
    """The QR code of `url` as inline SVG, drawn here (no request leaves the site)."""
    svg = segno.make(url, error="m").svg_inline(
        border=2, omitsize=True, title=title or None, svgclass="qr", lineclass=None
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def day(request, page, day=None):
    date = parse_day(day)
    area = area_of(request)
    plan = plans.day_plan(area, date)
    return page.render(
        request,
        template="staff/staff_schedule_page.html",
        context_overrides={
            "area": area,
            "plan": plan,
            "date": date,
            "today": timezone.localdate(),
            "now": timezone.now(),
            "previous_url": day_url(page, request, date - dt.timedelta(days=1)),
            "next_url": day_url(page, request, date + dt.timedelta(days=1)),
            "today_url": page.get_url(request),
            "week_url": week_url(page, request, date),
            "poster_url": poster_url(page, request, date),
        },
    )


def week(request, page, day):
    date = parse_day(day)
    area = area_of(request)
    plan = plans.week_plan(area, date)
    monday = plan.day
    urls = [day_url(page, request, each) for each in plan.days]
    return page.render(
        request,
        template="staff/staff_week.html",
        context_overrides={
            "area": area,
            "plan": plan,
            "monday": monday,
            "sunday": plan.days[-1],
            "today": timezone.localdate(),
            "columns": list(zip(plan.days, urls, strict=True)),
            "by_day": [
                (each, [(row.staff, row.days[n]) for row in plan.rows if row.days[n]])
                for n, each in enumerate(plan.days)
            ],
            "previous_url": week_url(page, request, monday - dt.timedelta(days=7)),
            "next_url": week_url(page, request, monday + dt.timedelta(days=7)),
            "this_week_url": week_url(page, request, timezone.localdate()),
            "poster_url": poster_url(page, request, monday, week=True),
        },
    )


def poster(request, page, day, week=False):
    date = parse_day(day)
    area = area_of(request)
    if week:
        plan = plans.week_plan(area, date)
        live_url = week_url(page, request, date)
    else:
        plan = plans.day_plan(area, date)
        live_url = day_url(page, request, date)
    live_url = request.build_absolute_uri(live_url)
    return page.render(
        request,
        template="staff/poster.html",
        context_overrides={
            "area": area,
            "plan": plan,
            "week": week,
            "live_url": live_url,
            "qr": qr_svg(live_url, _("QR code of the live schedule")),
            "back_url": live_url,
        },
    )
