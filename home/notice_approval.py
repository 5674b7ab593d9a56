"""Each area's notice boards are under the area's workflow: a staff member submits a notice,
a lead approves it (home.models.NoticePermissionTester says who may publish directly)."""

from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from home.models import NoticeIndexPage
from portal.models import Area
from portal.roles import lead_group_name


def require_notice_approval(area, index):
    """Put the area's notice board under its workflow: a staff member submits, a lead approves."""
    workflow, created = Workflow.objects.get_or_create(name=f"{area.name}通知审核")
    if created:
        task = GroupApprovalTask.objects.create(name=f"{lead_group_name(area)}审核")
        task.groups.set([area.lead_group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})


def for_the_area(sender, area, **kwargs):
    """When an area is set up: its notice boards, in every language."""
    for locale_root in area.site.root_page.get_translations(inclusive=True):
        for index in NoticeIndexPage.objects.child_of(locale_root):
            require_notice_approval(area, index)


def for_a_new_board(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    area = Area.objects.for_page(instance)
    if area is not None and area.lead_group is not None:
        require_notice_approval(area, instance)
