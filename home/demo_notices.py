"""The demo's notice boards: each area's notices, dated relative to the day the demo is built.

Each notice: slug, title, category, days (its date, days from today), summary, body (stream
blocks), and optionally pinned_days (pinned until today + that many days) and important
(shown in the home page banner; it expires by itself a week after the demo is built).
"""

import datetime as dt

from wagtail.rich_text import RichText

NOTICE_INDEX = {
    "title": "通知公告",
    "slug": "notices",
    "intro": "居委会的通知、活动预告、便民信息和安全提醒，代替原来楼下的公告栏。重要的通知会置顶显示。",
}
IMPORTANT_FOR = dt.timedelta(days=7)
WEEKDAY_NAMES = "一二三四五六日"


def day(date):
    return f"{date.month}月{date.day}日（周{WEEKDAY_NAMES[date.weekday()]}）"


def paragraph(html):
    return ("paragraph", RichText(html))


def table(caption, headings, rows):
    return (
        "table",
        {
            "caption": caption,
            "columns": [{"type": "text", "heading": heading} for heading in headings],
            "rows": [{"values": list(row)} for row in rows],
        },
    )


def notices(area_slug, today):
    return NOTICES[area_slug](today)


def xuhuiyuan(today):
    off = today + dt.timedelta(days=3)
    festival = today + dt.timedelta(days=18)
    return [
        {
            "slug": "water-supply-works",
            "title": "5–8号楼二次供水改造停水通知",
            "category": "notice",
            "days": 0,
            "important": True,
            "summary": f"{day(off)}8:00至16:00，5–8号楼因二次供水设施改造停水，请提前储水。",
            "body": [
                paragraph(
                    f"<p>各位居民：</p><p>为改善小区饮用水水质，自来水公司将对5–8号楼的屋顶水箱和供水管道进行改造。"
                    f"<b>{day(off)}8:00至16:00</b>，5–8号楼将暂停供水，其他楼不受影响。</p>"
                    "<p>请提前储存生活用水，停水期间关好水龙头，以免恢复供水时跑水。"
                    "恢复供水后如果水有点黄，放水一两分钟即可。</p>"
                ),
                (
                    "callout",
                    {
                        "title": "行动不便的老人",
                        "text": RichText("<p>需要帮忙送水的，请提前告诉接待台，工作人员和志愿者会送水上门。</p>"),
                    },
                ),
            ],
        },
        {
            "slug": "services-at-the-reception-desk",
            "title": "15项社区事务在居委会接待台就能办",
            "category": "notice",
            "days": -2,
            "pinned_days": 7,
            "summary": "长护险、敬老卡、居住证、低保等15项社区事务，到一楼接待台找任何一位值班的工作人员都能办理。",
            "body": [
                paragraph(
                    "<p>从本月起，原来要到街道社区事务受理服务中心办理的15项事务，在居委会一楼接待台就能受理，"
                    "包括长期护理保险（长护险）申请、老年综合津贴和敬老卡、居住登记和居住证、门诊大病登记、"
                    "低保和医疗救助、就业失业登记等。</p>"
                    "<p>每位工作人员都经过培训，不用找专门的人，值班的工作人员都能为您办理。"
                    "要带哪些材料，请先看网站上的办事指南，或者打电话问接待台。</p>"
                ),
            ],
        },
        {
            "slug": "waste-sorting-times",
            "title": "垃圾分类定时定点投放时间",
            "category": "convenience",
            "days": -5,
            "summary": "湿垃圾和干垃圾请在规定时间内投放到指定地点，可回收物和有害垃圾全天可投。",
            "body": [
                paragraph("<p>为了保持小区整洁，请大家按下面的时间和地点分类投放生活垃圾：</p>"),
                table(
                    "徐汇苑垃圾投放时间",
                    ["投放点", "早上", "晚上", "可投放"],
                    [
                        ("3号楼北侧", "7:00–9:00", "18:00–20:00", "湿垃圾、干垃圾"),
                        ("8号楼东侧", "7:00–9:00", "18:00–20:00", "湿垃圾、干垃圾"),
                        ("5号楼前小广场", "全天", "全天", "可回收物、有害垃圾"),
                    ],
                ),
                paragraph("<p>大件垃圾和装修垃圾请先到接待台登记，每周六统一清运。</p>"),
            ],
        },
        {
            "slug": "culture-festival",
            "title": "社区文化节邀您看旗袍走秀、报名表演节目",
            "category": "activity",
            "days": -8,
            "summary": f"{festival.month}月{festival.day}日社区文化节在5号楼前小广场举行，欢迎居民报名表演节目。",
            "body": [
                paragraph(
                    f"<p>一年一度的徐汇苑社区文化节将于<b>{day(festival)}下午</b>在5号楼前小广场举行。"
                    "合唱队、太极拳队和旗袍班的阿姨们已经在排练了，我们还想请更多邻居上台：唱歌、乐器、"
                    "朗诵、书画展示都可以。</p>"
                    "<p>报名请到一楼接待台登记节目名称和人数，每个节目不超过8分钟。</p>"
                ),
            ],
        },
        {
            "slug": "e-bike-charging-safety",
            "title": "电动自行车不进楼道、不飞线充电",
            "category": "safety",
            "days": -12,
            "summary": "电动自行车请到小区集中充电棚充电，不要推进楼道和家里，也不要从窗口拉电线充电。",
            "body": [
                paragraph(
                    "<p>电动自行车电池在楼道里起火，浓烟几分钟就能封住整栋楼的楼梯。请大家做到：</p>"
                    "<ul><li>不把电动自行车和电池带进楼道、电梯和家里；</li>"
                    "<li>不从窗口、楼道拉电线充电；</li>"
                    "<li>到2号楼旁的集中充电棚充电，充满自动断电。</li></ul>"
                    "<p>治保委员和志愿者会在巡查时提醒大家，也请邻居之间互相提醒。</p>"
                ),
            ],
        },
        {
            "slug": "pension-phone-scams",
            "title": "警惕冒充社保部门的电话诈骗",
            "category": "safety",
            "days": -19,
            "summary": "社保部门不会打电话让您转账或者说出银行卡密码，接到这类电话请直接挂断。",
            "body": [
                paragraph(
                    "<p>最近有骗子冒充社保部门工作人员打电话，说老人的养老金要“重新认证”或者“账户异常”，"
                    "要求提供银行卡号、密码和短信验证码。</p>"
                    "<p><b>请记住：社保部门不会让您转账，也不会问密码和验证码。</b>拿不准的，挂断后打电话问居委会接待台，"
                    "或者拨打110。</p>"
                ),
            ],
        },
    ]


def wanliu(today):
    works = today + dt.timedelta(days=2)
    checkups = [today + dt.timedelta(days=n) for n in (5, 6, 12)]
    return [
        {
            "slug": "lift-maintenance",
            "title": "20号楼电梯年度检修暂停使用",
            "category": "notice",
            "days": -1,
            "important": True,
            "summary": f"{day(works)}9:00至17:00，20号楼电梯年度检修，暂停使用，请走楼梯。",
            "body": [
                paragraph(
                    f"<p>按照特种设备安全规定，20号楼电梯将于<b>{day(works)}9:00至17:00</b>进行年度检修，"
                    "检修期间电梯停止运行，请走楼梯，注意安全。</p>"
                    "<p>高楼层行动不便的居民，当天需要上下楼的，请提前告诉接待台，我们安排志愿者帮忙。</p>"
                ),
            ],
        },
        {
            "slug": "residents-council-topics",
            "title": "居民议事会征集议题",
            "category": "notice",
            "days": -3,
            "pinned_days": 7,
            "summary": "本季度居民议事会征集议题：停车、绿化、加装电梯……您关心的事，都可以提。",
            "body": [
                paragraph(
                    "<p>本季度的居民议事会将在多功能室召开，现向全体居民征集议题。停车难、绿化养护、"
                    "老楼加装电梯、楼道照明，您关心的事都可以提出来。</p>"
                    "<p>提议题的方式：到接待台填写议题单，或者告诉正在巡查、走访的工作人员。"
                    "议事会的讨论结果会在本栏公布。</p>"
                ),
            ],
        },
        {
            "slug": "free-health-checkups",
            "title": "65岁以上老人免费健康体检安排",
            "category": "convenience",
            "days": -4,
            "summary": "社区卫生服务中心的医生来小区为65岁以上老人免费体检，请按楼号在指定时间参加。",
            "body": [
                paragraph(
                    "<p>枫林社区卫生服务中心的医生将到多功能室为本小区65周岁以上的老人免费体检，"
                    "包括量血压、测血糖、心电图和B超。请按下表的时间参加：</p>"
                ),
                table(
                    "宛六老人体检时间",
                    ["日期", "楼号", "时间"],
                    [
                        (day(checkups[0]), "1–10号楼", "8:00–10:30"),
                        (day(checkups[1]), "11–20号楼", "8:00–10:30"),
                        (day(checkups[2]), "21–30号楼", "8:00–10:30"),
                    ],
                ),
                (
                    "callout",
                    {
                        "title": "体检前请注意",
                        "text": RichText("<p>体检当天早上不要吃早饭、不要喝水，带上身份证和社保卡。</p>"),
                    },
                ),
            ],
        },
        {
            "slug": "double-ninth-gala",
            "title": "敬老联欢会节目征集",
            "category": "activity",
            "days": -7,
            "summary": "敬老联欢会在多功能室举行，欢迎居民报名表演，也欢迎大家来看节目。",
            "body": [
                paragraph(
                    "<p>宛六居民区敬老联欢会将在多功能室举行。书法班会现场写福字送给老人，"
                    "徐汇苑旗袍班的阿姨们也应邀来表演走秀，还有社区卫生服务中心的医生义诊。</p>"
                    "<p>想表演节目的居民，请到接待台报名，写明节目和人数。</p>"
                ),
            ],
        },
        {
            "slug": "stairwell-clearance",
            "title": "楼道堆物清理和消防通道检查",
            "category": "safety",
            "days": -10,
            "summary": "下周起工作人员逐楼检查楼道和消防通道，请把堆放在楼道里的杂物搬回家或清理掉。",
            "body": [
                paragraph(
                    "<p>楼道是着火时逃生的唯一通道。下周起，治保委员和物业将逐楼检查楼道、"
                    "消防通道和消防栓，请大家把堆在楼道里的纸箱、旧家具、花盆搬回家或清理掉。</p>"
                    "<p>搬不动的大件杂物，请告诉接待台，我们联系物业帮忙清运。</p>"
                ),
            ],
        },
        {
            "slug": "elderly-investment-fraud",
            "title": "防范养老诈骗：高额回报不可信",
            "category": "safety",
            "days": -16,
            "summary": "以“养老项目”“保健品”为名许诺高额回报的，多半是骗局，请不要轻易交钱。",
            "body": [
                paragraph(
                    "<p>有人打着“投资养老公寓”“以房养老”“免费旅游送保健品”的旗号，向老人许诺高额回报，骗取钱财。</p>"
                    "<ul><li>许诺高额回报的，不要信；</li><li>让您签合同、抵押房子的，先和子女商量；</li>"
                    "<li>拿不准的，来居委会接待台问一问。</li></ul>"
                ),
            ],
        },
    ]


NOTICES = {"xuhuiyuan": xuhuiyuan, "wanliu": wanliu}
