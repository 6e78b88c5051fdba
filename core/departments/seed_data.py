"""Departments and their lead topics, taken from 亭湖区2016年政务公开工作要点 (shared/seed).

Each topic names the section of the work plan that gives the department the lead (牵头) or a shared
lead, and the keywords a request's text would contain. Contact details default to the district
12345 hotline, and the address is left empty, until an admin enters each department's own.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.departments.models import default_doc_code

if TYPE_CHECKING:
    from typing import Any

DISTRICT = "盐城市亭湖区"
DEFAULT_PHONE = "0515-12345"
DISTRICT_GOVERNMENT = "盐城市亭湖区人民政府"
# 行政复议法 (2023) Art. 24 (1), (2): the district government decides on its departments and on the towns and
# streets; the office that acts for the district government (区政府办) answers in the government's name,
# so the next level up, 盐城市人民政府, decides; Art. 27: vertically led organs go to the next organ up in
# their line. Admins can change any of these on the department page.
RECONSIDERATION_BODIES = {"zfb": "盐城市人民政府", "qxj": "盐城市气象局",
                          # Art. 24 para. 4: a 派出机构 that a city department set up by district → the city
                          # government, or also the government of where it sits
                          "gafj": "盐城市人民政府", "sthjj": "盐城市人民政府"}
# Where the law gives "A 或者 B" (remedy.remedy_text prints both; neither may be the organ itself).
SECOND_BODIES = {"gafj": DISTRICT_GOVERNMENT, "sthjj": DISTRICT_GOVERNMENT,
                 # Art. 28: the 司法行政部门 that does the reconsideration work → 本级人民政府 or 上一级司法行政部门
                 "sfj": "盐城市司法局"}
# Organs with a full name of their own (not 盐城市亭湖区 + name): the city's 派出机构, and the party organs.
OWN_FULL_NAMES = ("gafj", "sthjj", "qwb", "bb")
# Party organs are not administrative organs (条例 Art. 2, 36): they receive and answer no application; the
# hotline may still route to them. Since the 2018-19 reform the 编办 is a 党委工作机关 (中共…区委机构编制委员会办公室).
NOT_DISCLOSING = {"qwb", "bb"}
# Organs abolished in the 2019 institutional reform → their successor. `flask seed` on an existing database
# moves their topics to the successor and deactivates them (never deletes: applications refer to them).
ABOLISHED = {"wjj": "fgw",      # 物价局 → 发展和改革委员会（价格）; price enforcement went to 市场监督管理局
             "fzb": "sfj",      # 法制办 → 司法局
             "wjw": "wsjkw",  # 卫计委 → 卫生健康委员会
             "hbj": "sthjj",    # 环保局 → 盐城市亭湖生态环境局
             "jxw": "gxj",      # 经信委 → 工业和信息化局
             "fpb": "nyncj"}    # 扶贫办 → 农业农村局（乡村振兴）


def T(topic: str, keywords: list[str], lead: bool = True) -> dict[str, Any]:
    return {"topic": topic, "keywords": keywords, "lead": lead}


ORGANS = [
    ("bb", "区编办", "中共盐城市亭湖区委机构编制委员会办公室", [
        T("权力清单和责任清单公开（一.1）", ["权力清单", "责任清单", "行政权力事项", "行政审批", "职业资格"]),
        T("市场监管公开透明、双随机抽查（一.2）", ["双随机", "抽查事项", "综合行政执法"]),
        T("公共服务目录清单（一.3）", ["公共服务目录", "公共服务事项", "办事指南"]),
    ]),
    ("sfj", "司法局", "司法局", [  # successor of 法制办 (2019 reform)
        T("权力清单动态管理（一.1）", ["权力清单", "法律法规"], lead=False),
        T("行政许可和行政处罚“双公示”（一.2）", ["双公示", "行政许可", "行政处罚", "行政执法", "监管执法", "阳光执法"]),
    ]),
    ("zwb", "政务办", "政务服务管理办公室", [
        T("行政审批中介服务公开（一.1）", ["行政审批中介", "政务服务大厅"], lead=False),
        T("政务服务公开、网上服务大厅（一.3）", ["政务服务", "网上服务大厅", "一照一码", "企业注册登记", "联审联办", "多图联审", "多评合一", "一张网"]),
    ]),
    ("scjgj", "市场监管局", "市场监督管理局", [
        T("企业信用信息公示（一.2）", ["企业信用", "信用信息公示", "严重违法失信", "经营异常", "营业执照"]),
        T("食品药品安全信息公开（三.6）", ["食品", "药品", "抽检", "违法广告", "医疗器械", "消费警示", "食品安全"]),
    ]),
    ("gafj", "公安分局", "盐城市公安局亭湖分局", [  # a 派出机构 of 盐城市公安局 by district
        T("户籍制度改革、居住证信息公开（一.3）", ["户籍", "户口", "户口迁移", "居住证", "微警务", "落户", "身份证"]),
    ]),
    ("fgw", "发改委", "发展和改革委员会", [
        # price management of the former 物价局 (2019 reform: 发展和改革委员会（价格）)
        T("中介服务收费清单（一.1）", ["中介服务", "收费项目"]),
        T("清费减负、收费目录清单（二.3）", ["收费", "政府定价", "政府指导价", "经营服务性收费", "涉企收费", "涉房收费", "价格"]),
        T("经济社会政策公开（二.1）", ["去产能", "去库存", "去杠杆", "降成本", "补短板", "供给侧", "创新驱动"]),
        T("重大建设项目信息公开（二.2）", ["重大建设项目", "政府投资", "项目审批", "核准", "备案", "项目稽察"]),
        T("PPP 项目信息公开（二.2）", ["PPP", "政府和社会资本合作", "项目库"], lead=False),
    ]),
    ("gxj", "工信局", "工业和信息化局", [  # successor of 经信委
        T("经济社会政策公开（二.1）", ["工业", "企业技改", "去产能", "信息化"], lead=False),
    ]),
    ("zjj", "住建局", "住房和城乡建设局", [
        T("棚户区改造、危房改造和保障性住房（三.4）",
          ["棚户区", "棚改", "危房改造", "保障性住房", "房屋征收", "征收", "拆迁", "安置房", "住房保障", "补偿方案"]),
        T("经济社会政策公开（二.1）", ["城乡一体化", "城市建设"], lead=False),
    ]),
    ("sthjj", "生态环境局", "盐城市亭湖生态环境局", [  # successor of 环保局: a 派出机构 of 盐城市生态环境局
        T("环境保护信息公开（三.5）", ["环境保护", "环保", "排污", "污染物", "污染", "环评", "超标", "排放", "噪音", "噪声"]),
    ]),
    ("czj", "财政局", "财政局", [
        T("PPP 项目信息公开（二.2）", ["PPP", "政府和社会资本合作", "项目合同", "回报机制"]),
        T("清费减负、行政事业性收费（二.3）", ["行政事业性收费", "政府性基金", "收费目录"]),
        T("预决算公开（四.3）", ["预算", "决算", "预决算", "三公经费", "会议费", "培训费", "财政资金", "涉农补贴"]),
    ]),
    ("gzb", "国资办", "国有资产监督管理办公室", [
        T("国有企业运营监管信息公开（二.4）", ["国有企业", "国企", "国有资产", "国有资本", "国有产权", "改制重组", "企业负责人薪酬"]),
    ]),
    ("nyncj", "农业农村局", "农业农村局", [  # successor of 扶贫办 (乡村振兴)
        T("扶贫工作信息公开（三.1）", ["扶贫", "脱贫", "精准扶贫", "低收入", "建档立卡", "帮扶", "扶贫资金", "扶贫捐赠"]),
    ]),
    ("mzj", "民政局", "民政局", [
        T("社会救助信息公开（三.2）", ["低保", "城乡低保", "社会救助", "特困", "救助供养", "供养标准", "最低生活保障"]),
    ]),
    ("rsj", "人社局", "人力资源和社会保障局", [
        T("就业创业信息公开（三.3）", ["就业", "创业", "补贴", "援企稳岗", "招录", "招聘", "人力资源", "社保", "社会保险", "高校毕业生"]),
        T("政务公开队伍培训（六.3）", ["公务员培训"], lead=False),
    ]),
    ("jyj", "教育局", "教育局", [
        T("教育信息公开（三.6）", ["教育", "义务教育", "学校", "划片招生", "招生", "入学", "教师", "奖助学金", "助学贷款", "职称评审", "教师资格"]),
    ]),
    ("wsjkw", "卫健委", "卫生健康委员会", [  # successor of 卫计委
        T("医药卫生信息公开（三.6）", ["医疗", "医院", "医疗机构", "院务公开", "传染病", "疫情", "卫生", "计划生育"]),
        T("环境保护信息公开（三.5）", ["饮用水"], lead=False),
    ]),
    ("sjj", "审计局", "审计局", [
        T("审计结果公告及整改公开（四.2）", ["审计", "审计结果", "审计整改"]),
    ]),
    ("slj", "水利局", "水利局", [
        T("环境保护信息公开（三.5）", ["水利", "河道", "水质", "防汛"], lead=False),
    ]),
    ("qxj", "气象局", "气象局", [
        T("环境保护信息公开（三.5）", ["气象", "空气质量", "天气"], lead=False),
    ]),
    ("zfb", "区政府办", "区人民政府办公室", [
        T("政务公开工作、队伍建设（六.3、七.3）", ["政务公开", "信息公开", "政府网站", "12345", "督查"]),
    ]),
    ("qwb", "区委办", "中共盐城市亭湖区委办公室", [
        T("政务公开纳入绩效考核（七.2）", ["绩效考核", "考核"]),
    ]),
]

TOWNS = [
    ("wxjd", "五星街道"), ("wfjd", "文峰街道"), ("xfjd", "先锋街道"), ("dyjd", "大洋街道"),
    ("yljd", "毓龙街道"), ("xxz", "新兴镇"), ("bcz", "便仓镇"), ("nyz", "南洋镇"),
    ("ydz", "盐东镇"), ("hjz", "黄尖镇"), ("jkq", "亭湖经济开发区"),
]


def department_rows() -> list[dict[str, Any]]:
    """Seed rows as dicts, organs first, then towns and streets."""
    rows = []
    for code, name, office, topics in ORGANS:
        full = (office if code in OWN_FULL_NAMES else
                f"{DISTRICT}{office}" if not office.startswith("区") else f"{DISTRICT}{office[1:]}")
        rows.append(dict(code=code, name=name, full_name=full, kind="organ", topics=topics,
                         phone=DEFAULT_PHONE, address="", email="",
                         reconsideration_body=RECONSIDERATION_BODIES.get(code, DISTRICT_GOVERNMENT),
                         reconsideration_body_alt=SECOND_BODIES.get(code, ""), discloses=code not in NOT_DISCLOSING,
                         doc_code=default_doc_code(code, name)))
    for code, name in TOWNS:
        rows.append(dict(code=code, name=name, full_name=f"{DISTRICT}{name}", kind="town", topics=[],
                         phone=DEFAULT_PHONE, address="", email="", reconsideration_body=DISTRICT_GOVERNMENT,
                         doc_code=default_doc_code(code, name)))
    return rows
