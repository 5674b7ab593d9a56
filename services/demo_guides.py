"""The demo's 15 service guides: what every staff member at a residents' committee reception
handles for the street's community affairs acceptance centre (社区事务受理服务中心).

Sample content for the subdistrict's editors to check (the seed marks it so). It names no
official links and no form files; amounts and time limits say where the official figure rules.

Each guide: slug, title, theme, popular, summary, eligibility (rich text), materials (checklists
of (item, note)), steps ((title, rich text)), processing_time, fees, notes (rich text).
"""

LIBRARY = {
    "title": "枫林路街道办事指南",
    "slug": "service-guides",
    "intro": "枫林路街道各居民区共用的15项社区事务办事指南，由街道统一维护。任何一个居委会的接待台都能办理。",
}
LIBRARY_EN = {
    "title": "Fenglin Road Subdistrict service guides",
    "intro": (
        "The 15 community services, one set of guides for every residents' area of the subdistrict, kept up to "
        "date by the subdistrict. The reception desk of any residents' committee can handle them."
    ),
}

SERVICES_PAGE = {
    "title": "办事指南",
    "slug": "services",
    "intro": (
        "在居委会接待台就能办的15项社区事务：要带什么材料、怎么办、多久办好。"
        "不用找专门的人，任何一位值班的工作人员都能为您办理。"
    ),
}
SERVICES_PAGE_EN = {
    "title": "Services",
    "intro": (
        "The 15 community services you can get done at the reception desk: what to bring, the steps and how "
        "long they take. You need not ask for anyone in particular: any staff member on duty can help you."
    ),
}

AGENT = ("代办人的身份证", "原件")
AUTHORISATION = ("申请人签名的委托书", "接待台可以提供委托书样式")

GUIDES = [
    # 养老
    {
        "slug": "long-term-care-insurance",
        "title": "长期护理保险申请",
        "theme": "elderly",
        "popular": True,
        "summary": (
            "长期护理保险（简称长护险）为生活不能自理的老人提供上门照护、社区日间照护和养老机构照护，"
            "费用大部分由长护险基金支付。先申请老年照护统一需求评估，评估等级达到二级及以上就可以享受服务。"
        ),
        "eligibility": (
            "<p>同时符合以下条件的居民可以申请长期护理保险：</p>"
            "<ul><li>年满60周岁；</li>"
            "<li>参加本市职工基本医疗保险并已按规定办理申领基本养老金手续，或者参加本市城乡居民基本医疗保险；</li>"
            "<li>因年老、疾病、伤残等原因，日常生活需要别人照护。</li></ul>"
            "<p>经老年照护统一需求评估，评估等级为<b>二级至六级</b>的，可以享受长护险待遇。</p>"
        ),
        "materials": [
            {
                "title": "申请人本人的材料",
                "items": [
                    ("身份证", "原件"),
                    ("社会保障卡或医保卡", "原件"),
                    ("近期的病历、出院小结或诊断证明", "有的话请带上，方便评估人员了解病情"),
                ],
            },
            {"title": "家属或他人代办时另带", "items": [AGENT, AUTHORISATION]},
        ],
        "steps": [
            (
                "到接待台提出申请",
                "<p>本人或家属带齐材料到居委会接待台，值班的工作人员帮您核对材料、填写"
                "《老年照护统一需求评估申请表》，提交到街道社区事务受理服务中心。</p>",
            ),
            (
                "评估人员上门评估",
                "<p>评估机构先打电话和您约时间，再派评估人员上门，了解老人的起居、行动和疾病情况。"
                "评估时请家属在场，并准备好病历。</p>",
            ),
            (
                "收到评估结果",
                "<p>评估结果以短信或书面告知书通知您。对结果有异议的，可以按告知书上的时间申请复核。</p>",
            ),
            (
                "选择照护服务",
                "<p>评估等级为二至六级的，可以选择居家照护、社区日间照护或养老机构照护，并挑选定点护理服务机构。"
                "不知道怎么选的，工作人员可以帮您了解附近的机构。</p>",
            ),
        ],
        "processing_time": "受理后约20个工作日内上门评估（以评估机构通知为准）",
        "fees": "申请和评估免费；居家照护费用由长护险基金支付90%，个人自付10%",
        "notes": (
            "<ul><li>评估结果有有效期，到期前需要重新评估；身体情况明显变化的，可以随时申请重新评估。</li>"
            "<li>居家照护每周上门的次数按评估等级确定，等级越高次数越多。</li>"
            "<li>住院期间暂停居家照护服务，出院后可以恢复。</li></ul>"
        ),
    },
    {
        "slug": "senior-allowance",
        "title": "老年综合津贴申领（敬老卡）",
        "theme": "elderly",
        "popular": True,
        "summary": ("本市户籍的老人年满65周岁，可以申领老年综合津贴，每月发到敬老卡或社会保障卡上，年龄越大标准越高。"),
        "eligibility": (
            "<p>具有本市户籍、年满65周岁的老人。</p><p>可以在满65周岁前三个月内提前申请，满65周岁的次月起发放。</p>"
        ),
        "materials": [
            {
                "title": "申请人本人的材料",
                "items": [
                    ("身份证", "原件"),
                    ("户口簿", "原件"),
                    ("社会保障卡", "津贴发到社保卡上的请带上"),
                    ("近期一寸免冠彩色照片1张", "同时申领敬老卡时需要"),
                ],
            },
            {"title": "家属代办时另带", "items": [AGENT]},
        ],
        "steps": [
            ("到接待台申请", "<p>工作人员帮您填写申请表，选择把津贴发到敬老卡还是社会保障卡上。</p>"),
            ("审核", "<p>街道社区事务受理服务中心核对户籍和年龄信息。</p>"),
            (
                "领卡和到账",
                "<p>敬老卡制好后，居委会打电话通知您到接待台领取；津贴每月按时发放，不用每月来办。</p>",
            ),
        ],
        "processing_time": "审核通过后次月起发放；敬老卡制卡约一个月",
        "fees": "免费",
        "notes": (
            "<ul><li>津贴按年龄分档发放：65至69周岁每人每月75元，70至79周岁150元，80至89周岁180元，"
            "90至99周岁350元，100周岁及以上600元（以本市当年公布的标准为准）。</li>"
            "<li>老人户籍迁出本市或去世的，请家属及时告诉居委会，停发津贴。</li>"
            "<li>敬老卡丢了，请先到接待台挂失，再申请补办。</li></ul>"
        ),
    },
    {
        "slug": "residents-pension-insurance",
        "title": "城乡居民基本养老保险参保登记与养老金申领",
        "theme": "elderly",
        "popular": False,
        "summary": (
            "没有参加职工养老保险的本市户籍居民，可以参加城乡居民基本养老保险，按年缴费；"
            "年满60周岁、累计缴费满15年后，按月领取养老金。"
        ),
        "eligibility": (
            "<ul><li>具有本市户籍，年满16周岁（在校学生除外）；</li>"
            "<li>没有参加职工基本养老保险等其他基本养老保险；</li>"
            "<li>申领养老金：年满60周岁，累计缴费满15年（不满15年的，可以按规定补缴）。</li></ul>"
        ),
        "materials": [
            {
                "title": "参保登记",
                "items": [
                    ("身份证", "原件"),
                    ("户口簿", "原件"),
                    ("社会保障卡", "缴费和领取养老金都通过社保卡的银行账户"),
                ],
            },
            {
                "title": "申领养老金时另带",
                "items": [("社会保障卡", "请先确认卡上的银行账户已经激活")],
            },
        ],
        "steps": [
            ("到接待台登记", "<p>工作人员帮您填写参保登记表，并说明各个缴费档次的区别。</p>"),
            ("按年缴费", "<p>每年在规定的缴费期内通过社保卡的银行账户缴费，缴费期内可以调整档次。</p>"),
            (
                "申领养老金",
                "<p>年满60周岁的前一个月到接待台申请，审核通过后从次月起按月发放养老金。</p>",
            ),
            (
                "每年做一次领取资格认证",
                "<p>可以在“随申办”上用人脸识别自助认证；行动不便的，请工作人员上门协助。</p>",
            ),
        ],
        "processing_time": "参保登记当场办理；养老金审核通过后次月发放",
        "fees": "登记免费；保险费按本人选择的缴费档次缴纳",
        "notes": (
            "<ul><li>缴费档次越高、缴费年限越长，将来领取的养老金越多，政府补贴也越多。</li>"
            "<li>领取养老金的老人去世后，请家属及时告诉居委会，办理停发和丧葬补助金申领。</li></ul>"
        ),
    },
    # 医疗
    {
        "slug": "serious-illness-outpatient",
        "title": "门诊大病登记",
        "theme": "medical",
        "popular": True,
        "summary": (
            "患有重症尿毒症、恶性肿瘤等疾病，需要长期在门诊治疗的参保人员，办理门诊大病登记后，"
            "相关门诊费用按门诊大病的标准报销，个人负担明显减轻。"
        ),
        "eligibility": (
            "<p>参加本市职工医保或城乡居民医保，并正在接受以下治疗之一的患者：</p>"
            "<ul><li>重症尿毒症门诊透析；</li>"
            "<li>恶性肿瘤门诊化学治疗、放射治疗、同位素治疗、介入治疗或内分泌特异抗肿瘤治疗；</li>"
            "<li>部分精神病的门诊治疗；</li>"
            "<li>肾移植后的门诊抗排异治疗。</li></ul>"
        ),
        "materials": [
            {
                "title": "患者本人的材料",
                "items": [
                    ("社会保障卡或医保卡", "原件"),
                    ("身份证", "原件"),
                    ("诊断证明或病历", "写明诊断和治疗方案"),
                    ("门诊大病登记申请单", "由就诊医院的主治医生填写"),
                ],
            },
            {"title": "家属代办时另带", "items": [AGENT]},
        ],
        "steps": [
            ("请医生开申请单", "<p>在就诊的定点医疗机构，请主治医生填写门诊大病登记申请单。</p>"),
            (
                "到医院医保办登记",
                "<p>登记在医院办理。不清楚流程、行动不便的，可以先到居委会接待台，"
                "工作人员帮您核对材料、说明到哪个窗口办。</p>",
            ),
            ("凭卡就医", "<p>登记后在登记的医院做门诊大病项目的治疗，刷卡就按门诊大病的标准结算。</p>"),
        ],
        "processing_time": "材料齐全的当场登记",
        "fees": "免费",
        "notes": (
            "<ul><li>门诊大病登记有有效期，各病种不同，到期前请在医院续办。</li>"
            "<li>换一家医院治疗的，需要在新的医院重新登记。</li></ul>"
        ),
    },
    {
        "slug": "residents-medical-insurance",
        "title": "城乡居民基本医疗保险参保登记",
        "theme": "medical",
        "popular": False,
        "summary": (
            "没有职工医保的老人、孩子和其他居民，可以参加城乡居民基本医疗保险（居保），按年缴费，看门诊、住院都能报销。"
        ),
        "eligibility": (
            "<ul><li>本市户籍、年满60周岁、没有享受职工医保的老人；</li>"
            "<li>本市户籍、18周岁至60周岁、没有参加职工医保的居民；</li>"
            "<li>中小学生和婴幼儿（在校学生一般由学校统一办理）；</li>"
            "<li>符合本市规定的其他人员。</li></ul>"
        ),
        "materials": [
            {
                "title": "参保人的材料",
                "items": [
                    ("身份证或户口簿", "原件"),
                    ("社会保障卡", "缴费通过社保卡的银行账户"),
                ],
            },
            {
                "title": "为新生儿登记时",
                "items": [("出生医学证明", "原件"), ("户口簿", "孩子已经落户的")],
            },
        ],
        "steps": [
            ("到接待台登记", "<p>工作人员帮您办理参保登记，并告诉您当年的缴费期和缴费标准。</p>"),
            ("在缴费期内缴费", "<p>通过社保卡的银行账户缴费；60周岁以上老人个人缴得少，其余由政府补贴。</p>"),
            ("享受待遇", "<p>按时缴费后，从次年1月1日起看病可以按规定报销。</p>"),
        ],
        "processing_time": "登记当场办理",
        "fees": "登记免费；个人缴费按年龄段的标准缴纳（以医保部门当年公布为准）",
        "notes": (
            "<ul><li>集中缴费期一般在每年年底，居委会会提前贴出通知。</li>"
            "<li>低保、特困等困难人员的个人缴费部分，由政府按规定资助。</li>"
            "<li>错过缴费期的，请尽早到接待台咨询怎么补缴。</li></ul>"
        ),
    },
    {
        "slug": "social-security-card",
        "title": "社会保障卡申领与补换",
        "theme": "medical",
        "popular": False,
        "summary": (
            "社会保障卡（社保卡）是看病用的医保卡，也用来领取养老金和各类补贴。"
            "第一次申领、卡片丢失或损坏、需要换卡的，都可以到接待台办理。"
        ),
        "eligibility": (
            "<ul><li>参加本市社会保险、第一次申领社保卡的人员；</li>"
            "<li>社保卡丢失、损坏或失效，需要补办或换卡的人员。</li></ul>"
        ),
        "materials": [
            {
                "title": "申领人的材料",
                "items": [
                    ("身份证", "16周岁以下的可以带户口簿"),
                    ("近期一寸免冠彩色照片1张", "也可以在受理点现场拍照"),
                ],
            },
            {"title": "换卡时另带", "items": [("原来的社保卡", "卡片损坏、换卡时带上")]},
            {"title": "他人代办时另带", "items": [AGENT, AUTHORISATION]},
        ],
        "steps": [
            (
                "先挂失",
                "<p>卡片丢了的，请先拨打12333或在“随申办”上挂失，防止被别人冒用。</p>",
            ),
            ("到接待台申请", "<p>工作人员核对材料，提交到街道社区事务受理服务中心制卡。</p>"),
            (
                "领卡并激活",
                "<p>制卡完成后凭身份证领取。第一次使用前，请到银行网点或自助机激活卡上的金融功能。</p>",
            ),
        ],
        "processing_time": "约15个工作日（以受理时告知为准）",
        "fees": "首次申领免费；补换卡是否收费以受理时告知为准",
        "notes": (
            "<ul><li>手机上可以申领医保电子凭证，看病时出示二维码就能结算，补卡期间也能用。</li>"
            "<li>请不要把社保卡借给别人使用。</li></ul>"
        ),
    },
    # 证明
    {
        "slug": "residence-permit",
        "title": "居住登记与居住证申领",
        "theme": "certificates",
        "popular": True,
        "summary": (
            "来沪人员在本市居住，应当办理居住登记；居住登记满半年并符合条件的，可以申领上海市居住证，"
            "凭证享受子女入学、社会保险等公共服务。需要开具居住情况证明的，也请到接待台咨询。"
        ),
        "eligibility": (
            "<ul><li>居住登记：离开户籍所在地、在本市居住的人员；</li>"
            "<li>申领居住证：已经办理居住登记满半年，并且有合法稳定就业、合法稳定住所，或者在本市连续就读的人员。</li></ul>"
        ),
        "materials": [
            {
                "title": "居住登记",
                "items": [
                    ("身份证", "原件"),
                    ("住所证明", "自有住房带房地产权证；租房带租赁合同和租赁登记备案证明"),
                    ("借住证明", "借住亲友家的，请房主一起来或出具书面证明"),
                ],
            },
            {
                "title": "申领居住证时另带",
                "items": [
                    ("就业证明", "劳动合同或单位证明，个体经营的带营业执照"),
                    ("近期一寸免冠彩色照片", "也可以在受理点现场拍照"),
                ],
            },
        ],
        "steps": [
            ("办理居住登记", "<p>到接待台登记，工作人员录入您的居住信息，当场办好。</p>"),
            ("申领居住证", "<p>居住登记满半年后提出申请，材料由工作人员提交到街道社区事务受理服务中心。</p>"),
            ("审核和制证", "<p>审核通过后制证，居委会通知您领取。</p>"),
            ("每年签注", "<p>居住证需要每年签注一次，到期前请按时办理。</p>"),
        ],
        "processing_time": "居住登记当场办理；居住证约15个工作日制证",
        "fees": "首次申领免费",
        "notes": (
            "<ul><li>搬家后请尽快重新办理居住登记，以免影响居住时间的连续计算。</li>"
            "<li>居住证和子女入学、积分等事项有关，请按时签注。</li></ul>"
        ),
    },
    {
        "slug": "disability-certificate",
        "title": "残疾人证申领",
        "theme": "certificates",
        "popular": False,
        "summary": ("本市户籍的残疾人可以申领《中华人民共和国残疾人证》，凭证享受康复、补贴、出行等方面的扶助和优待。"),
        "eligibility": (
            "<ul><li>具有本市户籍；</li>"
            "<li>有视力、听力、言语、肢体、智力或精神等方面的残疾，经指定医院评定符合残疾标准。</li></ul>"
        ),
        "materials": [
            {
                "title": "申请人的材料",
                "items": [
                    ("户口簿", "原件"),
                    ("身份证", "原件"),
                    ("近期二寸免冠彩色照片3张", "白底"),
                    ("病历和检查报告", "评定时医生要看"),
                ],
            },
            {
                "title": "由监护人申请时另带",
                "items": [("监护人的身份证", "原件"), ("监护关系证明", "户口簿能证明的不用另带")],
            },
        ],
        "steps": [
            ("提出申请", "<p>到接待台填写残疾人证申请表，工作人员转交街道残联。</p>"),
            ("残疾评定", "<p>按通知到指定的评定医院做残疾评定。行动不便的，请事先告诉工作人员。</p>"),
            ("审核发证", "<p>区残联审核后制证，居委会通知您领取。</p>"),
        ],
        "processing_time": "评定后约一个月发证（以残联通知为准）",
        "fees": "免费",
        "notes": (
            "<ul><li>残疾情况有变化的，可以申请重新评定。</li>"
            "<li>持证后可以申请的补贴和服务，请向接待台的工作人员咨询。</li></ul>"
        ),
    },
    {
        "slug": "birth-registration",
        "title": "生育登记",
        "theme": "certificates",
        "popular": False,
        "summary": "夫妻生育子女可以办理生育登记，登记后孕期建册、生育保险待遇等手续更方便。",
        "eligibility": ("<p>夫妻一方或双方户籍在本市，或者在本市居住的夫妻，可以在户籍地或现居住地办理。</p>"),
        "materials": [
            {
                "title": "夫妻双方的材料",
                "items": [("双方身份证", "原件"), ("结婚证", "原件"), ("户口簿", "原件")],
            },
        ],
        "steps": [
            ("提出申请", "<p>到接待台申请，工作人员帮您核对信息后提交；也可以自己在“随申办”上办理。</p>"),
            ("完成登记", "<p>信息核实后即完成登记，登记结果可以在“随申办”上查到。</p>"),
            ("孕期建册", "<p>怀孕后到社区卫生服务中心建立孕产妇保健手册。</p>"),
        ],
        "processing_time": "材料齐全的当场办理",
        "fees": "免费",
        "notes": "<ul><li>生育登记不影响生育，建议怀孕后尽早办理。</li></ul>",
    },
    # 救助
    {
        "slug": "minimum-living-allowance",
        "title": "最低生活保障（低保）申请",
        "theme": "assistance",
        "popular": False,
        "summary": (
            "家庭人均收入低于本市最低生活保障标准、家庭财产符合规定的，可以申请最低生活保障（低保），按月领取生活补助。"
        ),
        "eligibility": (
            "<ul><li>共同生活的家庭成员中至少一人具有本市户籍，并在本市居住；</li>"
            "<li>家庭月人均可支配收入低于本市当年公布的最低生活保障标准；</li>"
            "<li>家庭财产状况符合本市规定。</li></ul>"
        ),
        "materials": [
            {
                "title": "全体共同生活的家庭成员",
                "items": [
                    ("身份证和户口簿", "原件"),
                    ("收入情况", "工资单、养老金、失业保险金等"),
                    ("家庭经济状况核对授权书", "在接待台签署，用于核对收入和财产"),
                ],
            },
            {
                "title": "有以下情况的另带",
                "items": [
                    ("残疾人证、病历或诊断证明", "家里有残疾或患重病的成员"),
                    ("离婚协议或法院判决书", "涉及抚养、赡养费的"),
                ],
            },
        ],
        "steps": [
            ("提出申请", "<p>户主或家庭成员到接待台申请，填写申请表和授权书。</p>"),
            ("经济状况核对", "<p>区居民经济状况核对机构核对家庭的收入和财产。</p>"),
            ("入户调查和公示", "<p>工作人员上门了解生活情况；符合条件的按规定公示，公示不涉及家庭隐私细节。</p>"),
            ("审批和发放", "<p>区民政部门审批通过后，从批准的次月起按月发放到银行账户。</p>"),
        ],
        "processing_time": "约一个月（经济状况核对时间较长的，以实际为准）",
        "fees": "免费",
        "notes": (
            "<ul><li>享受低保期间，家庭人口、收入或财产有变化的，请及时告诉居委会。</li>"
            "<li>请如实申报：隐瞒收入或财产的，将停发并追回已领的低保金。</li>"
            "<li>工作人员会为您的家庭情况保密。</li></ul>"
        ),
    },
    {
        "slug": "medical-assistance",
        "title": "医疗救助",
        "theme": "assistance",
        "popular": False,
        "summary": (
            "低保、低收入等困难家庭的成员看病，医保报销后自己还要负担的医疗费用，可以申请医疗救助，再报销一部分。"
        ),
        "eligibility": (
            "<ul><li>低保家庭成员、特困供养人员和低收入家庭成员；</li>"
            "<li>因病医疗费用负担过重、基本生活出现困难的家庭成员；</li>"
            "<li>其他符合本市医疗救助规定的人员。</li></ul>"
        ),
        "materials": [
            {
                "title": "申请人的材料",
                "items": [
                    ("身份证和户口簿", "原件"),
                    ("社会保障卡", "原件"),
                    ("医疗费用发票", "原件，医保报销后的自负部分"),
                    ("费用明细清单和出院小结", "门诊的带病历"),
                ],
            },
        ],
        "steps": [
            ("提交申请", "<p>到接待台提交申请和单据，工作人员核对后转交街道。</p>"),
            ("审核", "<p>街道和区民政部门审核救助对象身份和医疗费用。</p>"),
            ("发放救助金", "<p>审核通过后，救助金打到申请人的银行账户。</p>"),
        ],
        "processing_time": "约20个工作日",
        "fees": "免费",
        "notes": (
            "<ul><li>低保、特困人员在定点医院看病时，部分医疗救助可以直接结算，不用另外申请。</li>"
            "<li>发票原件请妥善保管，遗失后不能补办。</li></ul>"
        ),
    },
    {
        "slug": "temporary-assistance",
        "title": "临时救助申请",
        "theme": "assistance",
        "popular": False,
        "summary": "因火灾、交通事故、突发重病等意外，家庭生活一时陷入困境的，可以申请临时救助，解决燃眉之急。",
        "eligibility": (
            "<ul><li>因火灾、交通事故等意外事件，或家庭成员突发重病，基本生活暂时出现严重困难的家庭；</li>"
            "<li>遇到其他特殊困难、在本市居住的人员。</li></ul>"
        ),
        "materials": [
            {
                "title": "申请人的材料",
                "items": [
                    ("身份证和户口簿", "原件"),
                    ("困难情况的证明", "例如医院诊断和费用单据、事故证明"),
                    ("家庭经济状况核对授权书", "在接待台签署"),
                ],
            },
        ],
        "steps": [
            ("求助", "<p>到接待台，或者告诉正在巡查、走访的工作人员。情况紧急的，可以先救助、后补材料。</p>"),
            ("调查核实", "<p>工作人员了解家庭困难情况，核对收入和财产。</p>"),
            ("审批发放", "<p>审批通过后发放救助金或实物。</p>"),
        ],
        "processing_time": "一般约10个工作日；情况紧急的先行救助",
        "fees": "免费",
        "notes": (
            "<ul><li>临时救助一般是一次性的；需要长期帮助的，工作人员会帮您看看是否符合低保等其他救助。</li></ul>"
        ),
    },
    # 就业
    {
        "slug": "employment-registration",
        "title": "就业失业登记",
        "theme": "employment",
        "popular": False,
        "summary": (
            "没有工作、想找工作的居民，可以办理失业登记，免费享受职业指导、职业介绍和职业培训补贴；"
            "找到工作后办理就业登记。"
        ),
        "eligibility": (
            "<ul><li>具有本市户籍，年满16周岁、未到法定退休年龄；</li>"
            "<li>有劳动能力和就业要求，目前没有工作。</li></ul>"
        ),
        "materials": [
            {
                "title": "申请人的材料",
                "items": [
                    ("身份证和户口簿", "原件"),
                    ("社会保障卡", "原件"),
                    ("解除或终止劳动合同的证明", "有的请带上，申领失业保险金时需要"),
                    ("毕业证书", "高校毕业生请带上"),
                ],
            },
        ],
        "steps": [
            ("办理登记", "<p>到接待台办理失业登记，工作人员了解您的工作经历和求职意向。</p>"),
            ("职业指导", "<p>就业援助员和您一起谈求职方向，推荐合适的岗位或培训。</p>"),
            ("找到工作后", "<p>找到工作、参军、升学或退休的，请告诉工作人员办理就业登记或注销失业登记。</p>"),
        ],
        "processing_time": "当场办理",
        "fees": "免费",
        "notes": (
            "<ul><li>符合条件的可以同时申领失业保险金，详情请向工作人员咨询。</li>"
            "<li>参加政府补贴的职业培训，合格后可以按规定享受培训补贴。</li></ul>"
        ),
    },
    {
        "slug": "employment-assistance",
        "title": "就业困难人员认定与就业援助",
        "theme": "employment",
        "popular": False,
        "summary": (
            "年龄偏大、有残疾、低保家庭成员、长期失业等找工作有困难的居民，认定为就业困难人员后，"
            "可以得到一对一的就业援助、公益性岗位推荐和社会保险费补贴。"
        ),
        "eligibility": (
            "<p>已经办理失业登记的本市户籍人员，并属于以下情况之一：</p>"
            "<ul><li>女性年满40周岁、男性年满50周岁；</li>"
            "<li>持有残疾人证；</li>"
            "<li>低保家庭成员；</li>"
            "<li>连续失业一年以上。</li></ul>"
        ),
        "materials": [
            {
                "title": "申请人的材料",
                "items": [
                    ("身份证和户口簿", "原件"),
                    ("社会保障卡", "原件"),
                    ("残疾人证", "持证的请带上"),
                ],
            },
        ],
        "steps": [
            ("申请认定", "<p>到接待台提出申请，工作人员帮您填写认定申请表。</p>"),
            ("审核认定", "<p>街道就业部门审核，认定结果会通知您。</p>"),
            (
                "一对一援助",
                "<p>就业援助员和您一起制定求职计划，推荐岗位、公益性岗位或培训，直到找到工作。</p>",
            ),
        ],
        "processing_time": "认定约10个工作日",
        "fees": "免费",
        "notes": "<ul><li>认定为就业困难人员后灵活就业的，可以按规定申请社会保险费补贴。</li></ul>",
    },
    {
        "slug": "flexible-employment",
        "title": "灵活就业登记",
        "theme": "employment",
        "popular": False,
        "summary": (
            "做钟点工、临时工、自由职业等灵活就业的居民，可以办理灵活就业登记，"
            "以灵活就业人员身份缴纳社会保险；符合条件的还能申请社会保险费补贴。"
        ),
        "eligibility": (
            "<ul><li>具有本市户籍，年满16周岁、未到法定退休年龄；</li>"
            "<li>以非全日制、临时性、季节性等方式工作，或者从事自由职业。</li></ul>"
        ),
        "materials": [
            {
                "title": "申请人的材料",
                "items": [
                    ("身份证和户口簿", "原件"),
                    ("社会保障卡", "原件"),
                    ("灵活就业情况说明", "写明做什么工作、收入从哪里来，接待台有样式"),
                ],
            },
        ],
        "steps": [
            ("办理登记", "<p>到接待台办理灵活就业登记。</p>"),
            ("缴纳社会保险", "<p>以灵活就业人员身份按月缴纳养老保险和医疗保险。</p>"),
            ("申请补贴", "<p>已认定为就业困难人员的，可以申请社会保险费补贴，工作人员帮您提交。</p>"),
        ],
        "processing_time": "登记当场办理；补贴审核约一个月",
        "fees": "登记免费；社会保险费按本市灵活就业人员的标准缴纳",
        "notes": "<ul><li>找到全日制工作后，请告诉工作人员办理就业登记，由单位缴纳社会保险。</li></ul>",
    },
]

# English translations of two guides (the rest show in Chinese under /en/).
GUIDES_EN = {
    "long-term-care-insurance": {
        "title": "Long-term care insurance",
        "summary": (
            "Long-term care insurance pays most of the cost of care at home, at a day-care centre or in a care "
            "home for older people who can no longer manage daily life on their own. First ask for a care needs "
            "assessment: with grade 2 or higher you can receive care."
        ),
        "eligibility": (
            "<p>You can apply if all of these apply to you:</p>"
            "<ul><li>you are 60 or older;</li>"
            "<li>you are in Shanghai's employee medical insurance and draw your basic pension, or you are in "
            "the urban and rural residents' medical insurance;</li>"
            "<li>because of age, illness or disability you need someone to help you with daily life.</li></ul>"
            "<p>Care is paid for when the assessment grades your needs at <b>grade 2 to 6</b>.</p>"
        ),
        "materials": [
            {
                "title": "The applicant's documents",
                "items": [
                    ("ID card", "the original"),
                    ("Social security card or medical insurance card", "the original"),
                    (
                        "Recent medical records, discharge summary or diagnosis",
                        "if you have them: they help the assessors",
                    ),
                ],
            },
            {
                "title": "If someone applies for you, also bring",
                "items": [
                    ("Their own ID card", "the original"),
                    ("A letter of authorisation signed by the applicant", "ask at the reception desk for a template"),
                ],
            },
        ],
        "steps": [
            (
                "Apply at the reception desk",
                "<p>Come yourself or send a family member with the documents. The staff member on duty checks them, "
                "fills in the care needs assessment form with you and passes it to the subdistrict's community "
                "affairs acceptance centre.</p>",
            ),
            (
                "The assessors visit",
                "<p>The assessment agency phones to agree a time, then assessors visit you at home and ask about "
                "daily life, getting about and illnesses. Please have a family member there and the medical "
                "records ready.</p>",
            ),
            (
                "The result",
                "<p>You are told the result by text message or letter. If you disagree, you can ask for a review "
                "within the time given in the letter.</p>",
            ),
            (
                "Choose your care",
                "<p>With grade 2 to 6 you can choose care at home, at a day-care centre or in a care home, from "
                "an approved care provider. Our staff can tell you about the providers nearby.</p>",
            ),
        ],
        "processing_time": "Assessment visit within about 20 working days (the agency will confirm)",
        "fees": "Applying and the assessment are free; the insurance pays 90% of care at home, you pay 10%",
        "notes": (
            "<ul><li>An assessment is valid for a limited time and then has to be renewed; if your health changes "
            "a lot, you can ask for a new assessment at any time.</li>"
            "<li>How many visits a week you get at home depends on your grade: the higher the grade, the more "
            "visits.</li>"
            "<li>Care at home pauses while you are in hospital and starts again when you come home.</li></ul>"
        ),
    },
    "senior-allowance": {
        "title": "Senior citizens' allowance (senior card)",
        "summary": (
            "Shanghai residents with a Shanghai household registration receive a monthly allowance from the age "
            "of 65, paid onto their senior card or social security card. The older you are, the more it is."
        ),
        "eligibility": (
            "<p>Older people with a Shanghai household registration, aged 65 or over.</p>"
            "<p>You can apply up to three months before your 65th birthday; payments start the month after it.</p>"
        ),
        "materials": [
            {
                "title": "The applicant's documents",
                "items": [
                    ("ID card", "the original"),
                    ("Household register (hukou booklet)", "the original"),
                    ("Social security card", "if the allowance is to be paid onto it"),
                    ("One recent passport-size colour photo", "for a new senior card"),
                ],
            },
            {
                "title": "If a family member applies for you, also bring",
                "items": [("Their own ID card", "the original")],
            },
        ],
        "steps": [
            (
                "Apply at the reception desk",
                "<p>Our staff help you fill in the form and choose whether the allowance goes onto your senior card "
                "or your social security card.</p>",
            ),
            (
                "Checks",
                "<p>The subdistrict's community affairs acceptance centre checks your registration and age.</p>",
            ),
            (
                "Your card and payments",
                "<p>When your senior card is ready we phone you to collect it at the reception desk. The allowance "
                "is paid every month without you having to ask again.</p>",
            ),
        ],
        "processing_time": "Paid from the month after approval; a new senior card takes about a month",
        "fees": "Free",
        "notes": (
            "<ul><li>The allowance depends on age: 75 yuan a month from 65 to 69, 150 yuan from 70 to 79, 180 yuan "
            "from 80 to 89, 350 yuan from 90 to 99 and 600 yuan from 100 (Shanghai's rates for the year apply).</li>"
            "<li>If the holder moves their registration out of Shanghai or dies, please tell the committee so that "
            "payments stop.</li>"
            "<li>If you lose your senior card, report it at the reception desk first, then apply for a new "
            "one.</li></ul>"
        ),
    },
}
