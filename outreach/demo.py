"""The demo's quarter of records in 徐汇苑: about 40 suggestions in every state (among them the
bicycle-parking one, answered on the third visit within two weeks), 150 home visits, 200
reception cases across the 15 services, residents' ratings, last quarter's finished spot check
and the lead's review of one staff member.

Drawn from a fixed seed, so every run builds the same records relative to the day it runs.
Built once: an area that has records is left alone.
"""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from outreach import reviews, spotchecks, suggestions
from outreach.models import QuarterReview, ReceptionCase, Suggestion, SuggestionCategory, Visit
from portal.dates import Quarter
from portal.localtime import at, local_day
from portal.models import Building, User
from portal.workdays import Calendar
from services.models import ServiceGuidePage
from staff.models import StaffMember

SEED = 2026
DAYS = 90  # suggestions span the 90 days before the demo is built


def record_span(now):
    """Visits and cases span the days since the last ended quarter began (90 to 183), so that
    quarter has records to check whatever day the demo is built."""
    today = local_day(now)
    return (today - Quarter.last_ended(today).first).days


VISITS = 150
CASES = 200

FOUND = {
    Visit.Purpose.CARE: [
        "独居老人，身体尚可，冰箱里菜不多，已联系助餐点。",
        "老人腿脚不便，希望楼道加装扶手。",
        "高龄老人由保姆照顾，家属每周来一次，情况稳定。",
        "老人反映晚上常睡不好，已介绍社区卫生服务中心的家庭医生。",
        "老两口互相照顾，希望参加社区的健康讲座。",
    ],
    Visit.Purpose.MEDIATION: [
        "楼上楼下因空调滴水发生争执，双方同意物业来看。",
        "邻居在楼道堆放杂物，已劝说清理，约定周末前处理。",
        "宠物狗夜间吠叫，邻居有意见，已与狗主人沟通。",
    ],
    Visit.Purpose.POLICY: [
        "上门讲解长护险申请条件，家属准备材料。",
        "介绍老年人助餐补贴，老人表示下月开始订餐。",
        "宣传垃圾分类新时间，居民表示了解。",
    ],
    Visit.Purpose.SAFETY: [
        "检查燃气软管，已老化，提醒尽快更换。",
        "楼道电动车充电，已劝离并告知集中充电点。",
        "独居老人家中烟感报警器电池没电，已更换。",
    ],
    Visit.Purpose.OTHER: ["回访上次反映的问题，居民表示已解决。", "登记家中有无需要帮助的困难情况。"],
}
FOLLOW_UPS = ["下周再去看看", "联系物业上门", "两周后电话回访", ""]
CASE_NOTES = {
    ReceptionCase.Outcome.DONE: ["当场办结。", "材料齐全，已受理。", "已解答，居民满意。"],
    ReceptionCase.Outcome.TRANSFERRED: ["已转街道社区事务受理中心。", "已转物业处理。"],
    ReceptionCase.Outcome.MISSING: ["缺户口本复印件，约定补交。", "缺租赁合同，下次带来。"],
}
HOUSEHOLD_NAMES = "王秀英 李桂兰 张建国 刘玉珍 陈志明 杨淑华 赵德胜 黄美玲 周志强 吴桂芳".split()

# Staff who do not sign in to the demo, so that the quarter has more than two rows to compare.
COLLEAGUES = [("xhy-zhangxy", "张", "晓燕"), ("xhy-lijh", "李", "建华"), ("xhy-wangm", "王", "敏")]

# (category, text, place, public, what happens to it)
SUGGESTIONS = [
    ("environment", "垃圾房周边异味大，夏天尤其明显，希望增加清运次数。", "3号楼垃圾房", True, "closed"),
    ("environment", "绿化带里有人种菜，影响美观。", "7号楼南侧", True, "answered"),
    ("environment", "小区东门的落叶好几天没人扫。", "东门", True, "in_progress"),
    ("environment", "楼道里小广告太多了。", "9号楼", False, "accepted"),
    ("environment", "雨水井盖堵了，下雨积水。", "2号楼前", True, "submitted"),
    ("parking", "晚上外来车辆停在消防通道上。", "1号楼消防通道", True, "transferred"),
    ("parking", "地面停车位划线看不清了。", "中心花园旁", True, "closed"),
    ("parking", "希望增加访客临时停车位。", "西门", True, "rejected"),
    ("parking", "电动自行车充电桩不够，经常排队。", "11号楼车棚", True, "in_progress"),
    ("safety", "路灯坏了，晚上回家很黑。", "5号楼到6号楼之间", True, "closed"),
    ("safety", "单元门禁坏了，谁都能进。", "8号楼2单元", True, "answered"),
    ("safety", "楼道堆放纸板，担心火灾。", "4号楼", False, "accepted"),
    ("safety", "小区北门监控好像不亮了。", "北门", True, "submitted"),
    ("repairs", "健身器材螺丝松了，老人用着不安全。", "健身角", True, "closed"),
    ("repairs", "屋顶漏水，顶楼住户家里墙面发霉。", "10号楼", False, "in_progress"),
    ("repairs", "电梯经常停在一楼不动。", "12号楼", True, "accepted"),
    ("repairs", "活动室的钢琴有几个键不响了。", "活动室", True, "answered"),
    ("repairs", "信报箱锁坏了好几个。", "6号楼", True, "submitted"),
    ("neighbours", "楼上装修噪音，周末早上七点就开始。", "3号楼", False, "closed"),
    ("neighbours", "有人在楼道里抽烟，味道飘进家里。", "5号楼", False, "answered"),
    ("activities", "希望旗袍班增加一个晚上的班次，上班族也能参加。", "", True, "closed"),
    ("activities", "能不能办一期智能手机使用课，教老人用健康码和挂号。", "", True, "in_progress"),
    ("activities", "建议暑假给孩子们开放阅览室。", "阅览室", True, "answered"),
    ("activities", "合唱团想借活动室多排练一次。", "活动室", False, "rejected"),
    ("services", "希望接待室周日下午也有人值班。", "", True, "accepted"),
    ("services", "办事指南能不能印成大字版放在大厅。", "", True, "closed"),
    ("services", "助餐点的菜单能不能提前一周公布。", "", True, "submitted"),
    ("other", "建议在中心花园多放几把长椅。", "中心花园", True, "closed"),
    ("other", "快递柜太少，包裹经常放在门卫。", "南门", True, "transferred"),
    ("other", "小区里流浪猫越来越多了。", "", True, "accepted"),
    ("environment", "垃圾房的垃圾桶盖子坏了。", "3号楼垃圾房", True, "closed"),
    ("parking", "共享单车堆在小区门口，进出不方便。", "南门", True, "closed"),
    ("safety", "儿童游乐区地面破损，孩子容易绊倒。", "游乐区", True, "in_progress"),
    ("repairs", "楼道灯是声控的，老人拍不亮。", "2号楼", True, "closed"),
    ("services", "希望能在网上预约活动室。", "", True, "closed"),
    ("other", "小区公告栏的通知字太小。", "大门", True, "answered"),
    ("environment", "河边步道有垃圾。", "河边步道", True, "closed"),
    ("activities", "想报名书法班但名额满了，能否加开。", "", True, "submitted"),
    ("parking", "地下车库入口的减速带太高。", "地下车库", True, "closed"),
]
BICYCLE_PARKING = "5号楼东侧车棚电动自行车乱停，老人推车进出很困难，希望重新规划停放区并划线。"


def build_records(area, residents):
    """A quarter of 徐汇苑's records (see the module's docstring). Idempotent."""
    if Visit.objects.filter(area=area).exists():
        return
    chance = random.Random(SEED)
    now = timezone.now()
    staff = _staff(area)
    lead = User.objects.get(username="xhy-lead")
    buildings = list(Building.objects.of_area(area))
    _suggestions(area, residents, staff, buildings, chance, now)
    _visits(area, residents, staff, buildings, chance, now)
    _cases(area, residents, staff, buildings, chance, now)
    last_quarter = Quarter.of(local_day(now)).previous
    _spot_check(area, last_quarter)
    reviews.review(
        area,
        staff[0],
        last_quarter,
        QuarterReview.Verdict.PRAISE,
        "走访记录详实，电动自行车停放问题三次上门、两周内答复，居民满意。",
        lead,
    )


def build_many_records(area, residents, staff):
    """A generated area's records: the visits and reception cases of a quarter, as 徐汇苑's,
    by its `staff` accounts. Drawn from a fixed seed; built once."""
    if Visit.objects.filter(area=area).exists():
        return
    chance = random.Random(f"{SEED}-{area.slug}")
    now = timezone.now()
    buildings = list(Building.objects.of_area(area))
    _visits(area, residents, staff, buildings, chance, now)
    _cases(area, residents, staff, buildings, chance, now)


def _staff(area):
    """The area's staff accounts: the demo's staff member first, then three who do not sign in."""
    password = make_password(None)  # they do not sign in
    people = [User.objects.get(username="xhy-staff")]
    for username, last, first in COLLEAGUES:
        user, _created = User.objects.get_or_create(
            username=username, defaults={"last_name": last, "first_name": first, "area": area, "password": password}
        )
        user.groups.add(area.staff_group)
        people.append(user)
    for user in [*people, User.objects.get(username="xhy-lead")]:
        StaffMember.objects.filter(area=area, name=user.get_full_name(), account__isnull=True).update(account=user)
    return people


def _moment(now, chance, days_back):
    """A working-hours moment `days_back` days before now (a weekday, 8:30–17:00)."""
    day = local_day(now) - dt.timedelta(days=days_back)
    while day.weekday() == 6:
        day -= dt.timedelta(days=1)
    return at(day, dt.time(chance.randint(8, 16), chance.choice([0, 15, 30, 45])))


def _bicycle_parking(area, resident, handler, buildings, filed):
    """The story's suggestion: filed at the desk, three visits to the shed, answered on the third
    within two weeks, and the resident satisfied."""
    parking = SuggestionCategory.objects.get(slug="parking")
    suggestion = suggestions.submit(
        area=area,
        category=parking,
        text=BICYCLE_PARKING,
        place="5号楼东侧车棚",
        public=True,
        resident=resident,
        recorded_by=handler,
        channel=Suggestion.Channel.DESK,
        now=filed,
    )
    suggestions.accept(suggestion, handler, now=filed + dt.timedelta(hours=2))
    suggestions.start(suggestion, handler, now=filed + dt.timedelta(days=1))
    shed = next(b for b in buildings if b.name == "5号楼")
    findings = [
        "第一次到车棚查看：电动车横七竖八，通道只剩半米，拍照记录，约物业下周一起看。",
        "第二次与物业一起测量车棚，商定东侧划出老年人推车通道，西侧集中停放。",
        "第三次现场：划线完成，通道畅通，当面向居民答复，居民表示满意。",
    ]
    for number, found in enumerate(findings):
        visit = Visit(
            building=shed,
            resident=resident,
            at=filed + dt.timedelta(days=2 + 4 * number, hours=5),
            minutes=30,
            purpose=Visit.Purpose.OTHER,
            found=found,
            suggestion=suggestion,
        )
        Visit.objects.bulk_create([_filled(visit, area, handler)])
    answered_at = filed + dt.timedelta(days=10, hours=6)
    suggestion = suggestions.answer(
        suggestion,
        handler,
        "已与物业一起重新规划5号楼东侧车棚：东侧留出1.2米老年人推车通道并划线，电动自行车集中停放在西侧，"
        "物业每周巡查一次。感谢您的建议。",
        now=answered_at,
    )
    suggestions.approve_wording(
        suggestion, handler, "5号楼东侧车棚电动自行车乱停，老人推车进出困难，建议重新规划并划线。", now=answered_at
    )
    suggestions.rate(
        suggestion,
        resident,
        Suggestion.Rating.SATISFIED,
        "划线以后方便多了，谢谢！",
        now=answered_at + dt.timedelta(days=1),
    )


def _filled(record, area, staff):
    record.area, record.staff = area, staff
    if isinstance(record, Visit) and record.follow_up:
        record.follow_up_by = staff
    return record


def _suggestions(area, residents, staff, buildings, chance, now):
    """Filed in date order, so that numbers run with the dates; the bicycle-parking one among them."""
    categories = {category.slug: category for category in SuggestionCategory.objects.all()}
    filed = []
    for index, spec in enumerate(SUGGESTIONS):
        days_back = chance.randint(0, 1) if spec[-1] == "submitted" else DAYS - 2 * index
        filed.append((_moment(now, chance, days_back), index, spec))
    bicycle_day = local_day(now) - dt.timedelta(days=20)
    while not Calendar().is_working_day(bicycle_day):
        bicycle_day -= dt.timedelta(days=1)
    filed.append((at(bicycle_day, dt.time(9, 30)), -1, None))
    for received, index, spec in sorted(filed, key=lambda entry: entry[:2]):
        if spec is None:
            _bicycle_parking(area, residents[0], staff[0], buildings, received)
            continue
        slug, text, place, public, fate = spec
        handler = staff[index % len(staff)]
        resident = residents[(index * 7) % len(residents)]
        suggestion = suggestions.submit(
            area=area, category=categories[slug], text=text, place=place, public=public, resident=resident, now=received
        )
        _advance(suggestion, fate, handler, resident, received, chance)


def _advance(suggestion, fate, handler, resident, received, chance):
    """Take a suggestion to its demo state, a plausible number of hours and days per step."""
    step = received
    if fate == "submitted":
        return
    if fate == "rejected":
        suggestions.reject(
            suggestion, handler, "属于业主大会表决事项，已告知居民通过业委会提出。", now=step + dt.timedelta(hours=3)
        )
        return
    if fate == "transferred":
        suggestions.transfer(suggestion, handler, "物业", now=step + dt.timedelta(hours=5))
        return
    step += dt.timedelta(hours=chance.randint(2, 20))
    suggestions.accept(suggestion, handler, now=step)
    if fate == "accepted":
        return
    step += dt.timedelta(days=1)
    suggestions.start(suggestion, handler, now=step)
    if fate == "in_progress":
        return
    step += dt.timedelta(days=chance.randint(2, 6))
    answer = "已联系物业处理，预计一周内完成，完成后我们会上门回访。"
    suggestion = suggestions.answer(suggestion, handler, answer, now=step)
    if suggestion.public:
        suggestions.approve_wording(suggestion, handler, suggestion.text, now=step)
    if fate == "closed":
        rating = chance.choice([Suggestion.Rating.SATISFIED] * 4 + [Suggestion.Rating.FAIR])
        suggestions.rate(suggestion, resident, rating, now=step + dt.timedelta(days=1))


def _household(record, residents, buildings, chance):
    """Half the households have an account on the portal; the others are a building, a room and a name."""
    if chance.random() < 0.5:
        resident = chance.choice(residents)
        record.resident = resident
        record.building = Building.objects.of_area(resident.area).matching(resident.building)
        record.room_number = resident.room_number
    else:
        record.building = chance.choice(buildings)
        record.room_number = f"{chance.randint(1, 6)}0{chance.randint(1, 3)}室"
        record.household_name = chance.choice(HOUSEHOLD_NAMES)
        record.household_phone = f"139{chance.randint(10000000, 99999999)}"


def _rating(record, chance, now):
    """About half are rated, mostly well; a few on a callback."""
    if chance.random() < 0.5:
        record.rating = chance.choice(["satisfied"] * 6 + ["fair"] * 3 + ["unsatisfied"])
        record.rated_at = min(record.at + dt.timedelta(days=1), now)
        record.rated_on_callback = record.resident_id is None


def _visits(area, residents, staff, buildings, chance, now):
    rows = []
    for _number in range(VISITS - 3):
        purpose = chance.choice(list(FOUND))
        visit = Visit(
            at=_moment(now, chance, chance.randint(0, record_span(now))),
            minutes=chance.choice([15, 20, 30, 40, 60]),
            purpose=purpose,
            found=chance.choice(FOUND[purpose]),
            follow_up=chance.choice(FOLLOW_UPS),
        )
        _household(visit, residents, buildings, chance)
        _rating(visit, chance, now)
        if purpose == Visit.Purpose.CARE and chance.random() < 0.1:
            visit.sensitive = "患高血压，需按时服药；家属同意记录。"
            visit.sensitive_consent_at = visit.at
        rows.append(_filled(visit, area, chance.choice(staff)))
    Visit.objects.bulk_create(rows)


def _cases(area, residents, staff, buildings, chance, now):
    services = list(ServiceGuidePage.objects.live().order_by("pk"))
    rows = []
    for _number in range(CASES):
        outcome = chance.choice(
            [ReceptionCase.Outcome.DONE] * 6
            + [ReceptionCase.Outcome.TRANSFERRED] * 2
            + [ReceptionCase.Outcome.MISSING] * 2
        )
        case = ReceptionCase(
            at=_moment(now, chance, chance.randint(0, record_span(now))),
            minutes=chance.choice([5, 10, 15, 20, 30]),
            service=chance.choice(services) if services else None,
            outcome=outcome,
            note=chance.choice(CASE_NOTES[outcome]),
        )
        _household(case, residents, buildings, chance)
        _rating(case, chance, now)
        rows.append(_filled(case, area, chance.choice(staff)))
    ReceptionCase.objects.bulk_create(rows)


def _spot_check(area, quarter):
    """Last quarter's check, drawn by the supervisor and every record marked."""
    supervisor = User.objects.get(username="supervisor")
    check, _drawn_now = spotchecks.draw(area, quarter, per_staff=3, seed=SEED, by=supervisor)
    for number, item in enumerate(check.items.all()):
        if number == 4:
            spotchecks.mark(
                item,
                supervisor,
                "problem",
                finding="户主称当天无人上门，记录时间与排班不符。",
                called_back=True,
                callback_result="户主：那天没人来过",
            )
        elif number == 7:
            spotchecks.mark(item, supervisor, "unverifiable", called_back=True, callback_result="电话无人接听")
        else:
            spotchecks.mark(
                item,
                supervisor,
                "confirmed",
                called_back=number % 2 == 0,
                callback_result="属实" if number % 2 == 0 else "",
            )
    spotchecks.finish(check, supervisor)
