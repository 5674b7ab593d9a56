"""Answer templates every area starts with (their area left empty: offered in every area, kept
by the supervisors), one for any category and one for each of the commonest. Staff add their
area's own beside them. This migration never overwrites one that staff changed."""

from django.db import migrations

TEMPLATES = [
    # category slug (None: any), title, text
    (
        None,
        "已办结",
        "您好，您反映的问题已处理完毕。感谢您对社区工作的关心和支持，如仍有问题，欢迎随时与居委会联系。",
    ),
    (
        "parking",
        "已通知物业规范停车",
        "您好，关于您反映的停车问题，居委会已联系物业加强巡查，对乱停车辆进行劝导和规范，并将持续关注。感谢您的反映。",
    ),
    (
        "environment",
        "已安排清理",
        "您好，关于您反映的环境卫生问题，居委会已通知物业安排保洁人员及时清理，并将加强日常巡查。感谢您的反映。",
    ),
    (
        "repairs",
        "已报修",
        "您好，您反映的设施问题已报物业维修，维修完成后我们会再次上门确认。如仍有问题，请拨打居委会电话告诉我们。",
    ),
    (
        "safety",
        "已现场整改",
        "您好，关于您反映的安全隐患，居委会已会同物业到现场查看并整改，后续将加强巡查。感谢您的提醒。",
    ),
    (
        "neighbours",
        "已上门协调",
        "您好，关于您反映的邻里问题，居委会工作人员已上门了解情况并沟通协调。如再有问题，欢迎随时联系我们。",
    ),
]


def add_templates(apps, schema_editor):
    AnswerTemplate = apps.get_model("outreach", "AnswerTemplate")
    Category = apps.get_model("outreach", "SuggestionCategory")
    for order, (slug, title, text) in enumerate(TEMPLATES):
        category = Category.objects.filter(slug=slug).first() if slug else None
        if slug and category is None:
            continue  # a category staff removed
        AnswerTemplate.objects.get_or_create(
            area=None, title=title, defaults={"category": category, "text": text, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0004_follow_up_by")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
