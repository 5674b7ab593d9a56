"""The demo's service guides: the subdistrict's guide library with its 15 guides (their words
are in services/demo_guides.py), each area's services page, who has been trained on which
service (the 全科 matrix), and the subdistrict's guide editor."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.rich_text import RichText

from portal.demo import Account, account, child_page, template, translation
from services import demo_guides
from services.models import (
    ServiceGuidePage,
    ServiceIndexPage,
    ServiceLibraryPage,
    ServiceTraining,
)
from services.roles import ensure_guide_editors
from staff.demo import STAFF
from staff.models import StaffMember

GUIDE_EDITOR = Account("guide-editor", "zhinan2026", last_name="吴", first_name="晓燕")

# The 全科 matrix: every staff member is trained on every service but these, so that staff
# see who still needs training (services.ServiceTraining). By member key (staff.demo.STAFF).
TRAINING_GAPS = {
    "xuhuiyuan": {
        "li": ["disability-certificate", "birth-registration", "employment-assistance", "flexible-employment"],
        "wang": ["temporary-assistance"],
    },
    "wanliu": {
        "sun": ["long-term-care-insurance", "serious-illness-outpatient", "medical-assistance"],
        "wu": ["residence-permit"],
    },
}


def build_guide_editor():
    """The subdistrict's editor of the service guides, as (Account, role) for the report."""
    editor = account(GUIDE_EDITOR)
    editor.groups.add(ensure_guide_editors())
    return GUIDE_EDITOR, _("subdistrict editor of the 15 service guides")


def build_guides(zh, en):
    """The subdistrict's guide library outside every site, its 15 Chinese guides (sample content
    for the editors to check, with no online service link) and two of them in English."""
    library = ServiceLibraryPage.objects.filter(locale=zh).first()
    if library is None:
        library = ServiceLibraryPage(locale=zh, **demo_guides.LIBRARY)
        Page.get_first_root_node().add_child(instance=library)
        library.save_revision().publish()
    existing = {guide.slug: guide for guide in ServiceGuidePage.objects.child_of(library)}
    guides = []
    for spec in demo_guides.GUIDES:
        guide = existing.get(spec["slug"])
        if guide is None:
            guide = ServiceGuidePage(
                slug=spec["slug"],
                locale=zh,
                theme=spec["theme"],
                popular=spec["popular"],
                sample_content=True,
                **guide_text(spec),
            )
            library.add_child(instance=guide)
            guide.save_revision().publish()
        guides.append(guide)
    translation(library, en, demo_guides.LIBRARY_EN)
    for guide in guides:
        if guide.slug in demo_guides.GUIDES_EN:
            translation(guide, en, guide_text(demo_guides.GUIDES_EN[guide.slug]))
    return guides


def guide_text(spec):
    """A guide's words, from the plain data of services.demo_guides, as the page's fields."""
    return {
        "title": spec["title"],
        "summary": spec["summary"],
        "eligibility": spec["eligibility"],
        "materials": [
            (
                "checklist",
                {
                    "title": checklist["title"],
                    "items": [{"item": item, "note": note} for item, note in checklist["items"]],
                },
            )
            for checklist in spec["materials"]
        ],
        "steps": [("step", {"title": title, "text": RichText(text)}) for title, text in spec["steps"]],
        "processing_time": spec["processing_time"],
        "fees": spec["fees"],
        "notes": spec["notes"],
    }


def build_services_page(area, zh, en):
    """The area's 办事指南 page in Chinese and English: the shared guides with the area's own
    reception hours and phone."""
    services = child_page(area.site.root_page, ServiceIndexPage, demo_guides.SERVICES_PAGE, zh)
    translation(services, en, demo_guides.SERVICES_PAGE_EN)
    return services


def build_training(area, guides):
    """Who has been trained on which service, and when last (within the past year)."""
    if ServiceTraining.objects.filter(staff_member__area=area).exists():
        return
    keys = {member.name: member.key for member in STAFF[template(area.slug)].members}
    gaps = TRAINING_GAPS[template(area.slug)]
    today = timezone.localdate()
    ServiceTraining.objects.bulk_create(
        ServiceTraining(
            staff_member=member,
            service=guide,
            trained_on=today - dt.timedelta(days=20 + (37 * m + 23 * g) % 320),  # spread over the year
        )
        for m, member in enumerate(StaffMember.objects.filter(area=area).order_by("sort_order"))
        for g, guide in enumerate(guides)
        if guide.slug not in gaps.get(keys[member.name], ())
    )
