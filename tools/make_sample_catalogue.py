"""Write assets/catalogue/catalogue.yaml: the SAMPLE village-level service catalogue.

The county publishes the real list (村级便民服务事项清单, about 125 items); until it
is loaded this sample lets the kiosk, slips and console be built and shown. Item
contents follow the national and Inner Mongolia rules named in each item's legal
basis, but offices, phones and time limits are illustrative.

Run: .venv/bin/python tools/make_sample_catalogue.py   (then `bianmin catalog validate`)
Items are written out one by one below; the helpers only remove repetition
(the ID card and 户口簿 lines, the usual village → 苏木乡镇 → 旗 route).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "catalogue" / "catalogue.yaml"
AREA = "150000"  # sample area code; the county list carries the real 实施编码

ROOM = "本嘎查村便民服务室"
ROOM_HOURS = "周一至周五 8:30-12:00，14:30-17:30（夏季下午 15:00-18:00）；急事可电话联系值班代办员"
TOWN_HALL = "苏木乡镇便民服务大厅"
COUNTY_HALL = "旗政务服务中心"
PHONES = {
    "village": "0470-6210001",
    "township": "0470-6212345",
    "county": "0470-6188000",
}
COMPLAINT = "12345"


def m(name, o=1, c=0, req="required", src="applicant", notes=""):
    return {"name": name, "requirement": req, "originals": o, "copies": c, "source": src, "notes": notes}


ID = m("居民身份证", 1, 1, notes="验原件，留存复印件")
HUKOU = m("户口簿", 1, 1, notes="户主页和本人页")
ID_COPY = m("居民身份证", 0, 1)
HUKOU_COPY = m("户口簿", 0, 1, notes="户主页和本人页")
BANK = m("本人社会保障卡或惠农“一卡通”", 0, 1, notes="用于发放资金，须为本人账户")
PROXY_ID = m("代办人居民身份证", 1, 1, req="optional", notes="委托他人办理时提供")


def photo(n=2):
    return m("近期一寸免冠彩色照片", n, 0, notes="白底")


def form(name, notes="便民服务室提供空白表，代办员可协助填写"):
    return m(name, 1, 0, src="government", notes=notes)


def law(name, number="", article=""):
    return {"name": name, "number": number, "article": article}


def steps_instant(result):
    return [
        {"name": "提出申请，出示材料", "actor": "申请人", "time": "即时"},
        {"name": "核对材料，查阅村档案或入户了解", "actor": "村代办员", "time": "即时"},
        {"name": f"村委会负责人签字盖章，出具{result}", "actor": "村民委员会", "time": "即时"},
    ]


def steps_proxy(decided, office, decide_time, village_review=None, field_check=None):
    out = [{"name": "受理登记，核对材料，出具受理回执", "actor": "村代办员", "time": "即时"}]
    if village_review:
        out.append({"name": village_review, "actor": "村民委员会", "time": "3个工作日"})
    out.append({"name": f"报送{TOWN_HALL}", "actor": "村代办员", "time": "1个工作日内"})
    if field_check:
        out.append({"name": field_check, "actor": "苏木乡镇工作人员", "time": "5个工作日内"})
    if decided == "county":
        out.append({"name": "苏木乡镇初审，转报旗主管部门", "actor": "苏木乡镇", "time": "5个工作日内"})
    out.append({"name": "审核决定", "actor": office, "time": decide_time})
    out.append({"name": "领回结果，通知申请人领取或告知不予办理理由", "actor": "村代办员", "time": "1个工作日内"})
    return out


def steps_remote(office, decide_time, inspect=None):
    out = [
        {"name": "核对材料，扫描上传至一体化政务服务平台", "actor": "村代办员", "time": "即时"},
        {"name": "网上预审，材料不全一次性告知", "actor": f"{COUNTY_HALL}窗口", "time": "1个工作日内"},
    ]
    if inspect:
        out.append({"name": inspect, "actor": office, "time": "按约定时间"})
    out += [
        {"name": "审批决定", "actor": office, "time": decide_time},
        {"name": "证照邮寄或由代办员领回交申请人", "actor": "村代办员", "time": "2个工作日内"},
    ]
    return out


def steps_public(what, who="村代办员", answer_time="即时"):
    return [
        {"name": "登记诉求", "actor": "村代办员", "time": "即时"},
        {"name": what, "actor": who, "time": answer_time},
        {"name": "回访，记入服务台账", "actor": "村代办员", "time": "5个工作日内"},
    ]


ITEMS: list[dict] = []
_SEQ = {"instant": 0, "proxy": 0, "public": 0, "remote": 0}
_TYPE_LETTER = {"instant": "J", "proxy": "D", "public": "G", "remote": "Y"}


def add(name, item_type, topics, decided, office, stat, prom, materials, steps, *, applicants="本村（嘎查）村民",
        conditions="", legal=(), fee=None, result=("", "证明"), keywords=(), faq=(), needs_id=True,
        sub_item="", visits=None, online=None, location=None, hours=None):
    if item_type == "instant" and prom != 0:
        raise ValueError(f"{name}: instant items are done on the spot (promised 0 days)")
    _SEQ[item_type] += 1
    code = f"{AREA}{_TYPE_LETTER[item_type]}{_SEQ[item_type]:03d}"
    level_loc = {"village": ROOM, "township": f"{ROOM}（代办）；{TOWN_HALL}", "county": f"{ROOM}（代办）；{COUNTY_HALL}"}
    item = {
        "code": code,
        "name": name,
        "sub_item": sub_item,
        "version": 1,
        "effective_date": "2026-01-01",
        "item_type": item_type,
        "topics": list(topics),
        "accepted_at": "village",
        "decided_at": decided,
        "office": office,
        "applicants": applicants,
        "conditions": conditions,
        "legal_basis": [law(*entry) for entry in legal],
        "materials": list(materials),
        "steps": list(steps),
        "statutory_limit": {"days": stat, "unit": "working_days"},
        "promised_limit": {"days": prom, "unit": "working_days"},
        "fees": fee or {"charged": False, "standard": "", "basis": ""},
        "visits": visits if visits is not None else (1 if item_type != "public" else 0),
        "online": online if online is not None else item_type == "remote",
        "location": location or level_loc[decided],
        "hours": hours or ROOM_HOURS,
        "consult_phone": PHONES[decided],
        "complaint_phone": COMPLAINT,
        "result": {"name": result[0] or name, "type": result[1]},
        "faq": [{"question": q, "answer": a} for q, a in faq],
        "needs_id_number": needs_id,
        "keywords": list(keywords),
    }
    ITEMS.append(item)
    return item


TOWN_CIVIL = "苏木乡镇人民政府（社会事务办公室）"
TOWN_POLICE = "苏木乡镇派出所"
TOWN_AGRI = "苏木乡镇农牧业综合服务中心"
TOWN_HEALTH = "苏木乡镇卫生健康办公室"
TOWN_SOCIAL = "苏木乡镇社会保障服务站"
TOWN_JUSTICE = "苏木乡镇司法所"
TOWN_LAND = "苏木乡镇人民政府（自然资源所）"
TOWN_FOREST = "苏木乡镇林业工作站"
VILLAGE = "嘎查村民委员会"
MINZHENG = "旗民政局"
YIBAO = "旗医疗保障局"
RENSHE = "旗人力资源和社会保障局"
GONGAN = "旗公安局"
CANLIAN = "旗残疾人联合会"
NONGMU = "旗农牧局"
LINCAO = "旗林业和草原局"
JIAOTONG = "旗交通运输局"
SHICHANG = "旗市场监督管理局"
WENLV = "旗文化旅游体育局"
WEIJIAN = "旗卫生健康委员会"
TUIYI = "旗退役军人事务局"
ZIRAN = "旗自然资源局"
ZHUJIAN = "旗住房和城乡建设局"
SHUILI = "旗水利局"
SIFA = "旗司法局"

SOCIAL_AID = ("社会救助暂行办法", "国务院令第649号", "")
DIBAO_RULE = ("最低生活保障审核确认办法", "民发〔2021〕57号", "")
TEKUN_RULE = ("特困人员认定办法", "民发〔2021〕43号", "")
ID_LAW = ("中华人民共和国居民身份证法", "主席令第51号", "")
HUKOU_LAW = ("中华人民共和国户口登记条例", "1958年1月9日全国人大常委会通过", "")
LAND_LAW = ("中华人民共和国土地管理法", "主席令第32号（2019年修正）", "第六十二条")
HOMESTEAD_RULE = ("农业农村部 自然资源部关于规范农村宅基地审批管理的通知", "农经发〔2019〕6号", "")
PENSION_RULE = ("国务院关于建立统一的城乡居民基本养老保险制度的意见", "国发〔2014〕8号", "")
MEDICAL_RULE = ("国务院关于整合城乡居民基本医疗保险制度的意见", "国发〔2016〕3号", "")
SOCIAL_INSURANCE_LAW = ("中华人民共和国社会保险法", "主席令第35号", "")
DISABILITY_RULE = ("国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见", "国发〔2015〕52号", "")
POPULATION_LAW = ("中华人民共和国人口与计划生育法", "2021年修正", "")
NM_POPULATION = ("内蒙古自治区人口与计划生育条例", "2021年修正", "")
MEDIATION_LAW = ("中华人民共和国人民调解法", "主席令第34号", "")
VILLAGE_LAW = ("中华人民共和国村民委员会组织法", "2018年修正", "")
FOREST_LAW = ("中华人民共和国森林法", "主席令第39号（2019年修订）", "第五十六条")
ROAD_RULE = ("中华人民共和国道路运输条例", "国务院令第406号（2023年修订）", "")
MARKET_RULE = ("中华人民共和国市场主体登记管理条例", "国务院令第746号", "")
GETI_RULE = ("促进个体工商户发展条例", "国务院令第755号", "")
COOP_LAW = ("中华人民共和国农民专业合作社法", "2017年修订", "")
VETERAN_LAW = ("中华人民共和国退役军人保障法", "主席令第63号", "")
EMPLOY_LAW = ("中华人民共和国就业促进法", "2015年修正", "")
FUNERAL_RULE = ("殡葬管理条例", "国务院令第225号", "")
ELDER_LAW = ("中华人民共和国老年人权益保障法", "2018年修正", "")

DAILY = "每个工作日"


def build() -> None:  # noqa: PLR0915 - one long list of data on purpose
    # ---------------------------------------------------------------- 证明开具 (instant)
    add("居住证明", "instant", ["证明开具"], "village", VILLAGE, 1, 0,
        [ID, HUKOU_COPY, m("租房合同或房屋权属材料", 0, 1, req="optional", notes="非本村户籍人员提供")],
        steps_instant("居住证明"), applicants="在本村（嘎查）实际居住的村民和外来人员",
        conditions="在本村实际居住；非本村户籍的须已办理居住登记",
        legal=[VILLAGE_LAW, ("居住证暂行条例", "国务院令第663号", "")], result=("居住证明", "证明"),
        keywords=["住址证明", "开证明", "常住证明"],
        faq=[("外地人能开居住证明吗？", "已在本村办理居住登记、实际居住的可以开具；未登记的请先办理流动人口居住登记。")])
    add("亲属关系证明", "instant", ["证明开具"], "village", VILLAGE, 1, 0,
        [ID, m("户口簿（双方）", 1, 1), m("能证明亲属关系的其他材料（结婚证、出生医学证明等）", 1, 1, req="optional")],
        steps_instant("亲属关系证明"), conditions="亲属关系须在户口簿、村档案中可查或经村委会调查属实",
        legal=[VILLAGE_LAW], result=("亲属关系证明", "证明"), keywords=["关系证明", "父子关系", "母女关系", "直系亲属"],
        faq=[("户口簿上看不出关系的怎么办？", "提供结婚证、出生医学证明等；仍不能证明的，由村委会入户调查、两名以上知情村民证实后出具，或告知到派出所办理。")])
    add("家庭经济困难证明", "instant", ["证明开具", "民政救助"], "village", VILLAGE, 3, 0,
        [ID, HUKOU_COPY, m("家庭收入情况说明", 1, 0, notes="本人签字"), m("患病、残疾、受灾等证明材料", 0, 1, req="optional")],
        steps_instant("家庭经济困难证明"), applicants="本村（嘎查）户籍家庭，多用于学生资助、助学贷款",
        conditions="家庭人均收入偏低或因病、因灾、因学致困，经村委会了解属实",
        legal=[VILLAGE_LAW, ("学生资助资金管理办法", "财教〔2021〕310号", "")], result=("家庭经济困难证明", "证明"),
        keywords=["贫困证明", "困难证明", "助学贷款证明", "贫困生"],
        faq=[("上大学申请助学金需要村里盖章吗？", "多数高校已改为学生个人承诺，不再要求村里证明；学校仍要求的，村委会核实后当天出具。")])
    add("收入证明（务农及个体经营）", "instant", ["证明开具"], "village", VILLAGE, 1, 0,
        [ID, m("土地承包、养殖数量或经营情况材料", 0, 1, req="optional")],
        steps_instant("收入证明"), conditions="收入情况按村里掌握的种植、养殖和经营情况如实出具",
        legal=[VILLAGE_LAW], result=("收入证明", "证明"), keywords=["务农收入", "贷款证明", "工资证明"])
    add("无犯罪记录证明（告知与代约）", "public", ["证明开具", "户籍证件"], "county", GONGAN, 3, 1,
        [ID], steps_public("告知到户籍所在地或居住地派出所申请，可代为电话预约", "村代办员"),
        applicants="需要开具无犯罪记录证明的村民", conditions="村委会不能出具无犯罪证明，须由公安机关出具",
        legal=[("公安机关办理无犯罪记录证明工作规定", "公通字〔2021〕19号", "")], result=("办理指引", "告知"),
        keywords=["无犯罪证明", "良民证", "政审"], needs_id=False,
        faq=[("村里能开无犯罪证明吗？", "不能。请本人带身份证到派出所申请，一般当场或3个工作日内出具；代办员可帮您预约。")])
    add("土地承包经营情况证明", "instant", ["证明开具", "建房土地"], "village", VILLAGE, 1, 0,
        [ID, m("农村土地承包经营权证", 1, 1)],
        steps_instant("土地承包经营情况证明"), conditions="承包地块在村台账中有登记",
        legal=[("中华人民共和国农村土地承包法", "2018年修正", "")], result=("土地承包经营情况证明", "证明"),
        keywords=["承包地证明", "耕地证明", "种地证明"])
    add("养殖情况证明", "instant", ["证明开具", "涉农补贴"], "village", VILLAGE, 1, 0,
        [ID, m("牲畜耳标登记或防疫记录", 0, 1, req="optional")],
        steps_instant("养殖情况证明"), conditions="养殖数量以村（嘎查）掌握及防疫登记为准",
        legal=[VILLAGE_LAW], result=("养殖情况证明", "证明"), keywords=["牲畜证明", "养羊", "养牛", "贷款"])
    add("外出务工证明", "instant", ["证明开具", "就业信息"], "village", VILLAGE, 1, 0,
        [ID, HUKOU_COPY], steps_instant("外出务工证明"), legal=[VILLAGE_LAW], result=("外出务工证明", "证明"),
        keywords=["打工证明", "务工证明"])
    add("宅基地及房屋使用情况证明", "instant", ["证明开具", "建房土地"], "village", VILLAGE, 3, 0,
        [ID, HUKOU_COPY, m("宅基地批准文件或不动产权证书", 0, 1, req="optional")],
        steps_instant("宅基地及房屋使用情况证明"), conditions="房屋和宅基地使用情况无争议",
        legal=[LAND_LAW], result=("宅基地及房屋使用情况证明", "证明"), keywords=["房屋证明", "住房证明", "房产证明"])
    add("独生子女情况证明", "instant", ["证明开具", "生育"], "village", VILLAGE, 3, 0,
        [ID, HUKOU, m("独生子女父母光荣证", 1, 1, req="optional")],
        steps_instant("独生子女情况证明"), conditions="本户生育情况在村计生台账中可查",
        legal=[NM_POPULATION], result=("独生子女情况证明", "证明"), keywords=["独生证明", "独子证明"])
    add("出生（新生儿）情况证明", "instant", ["证明开具", "户籍证件"], "village", VILLAGE, 1, 0,
        [m("父母双方居民身份证", 1, 1), HUKOU_COPY, m("出生医学证明", 0, 1, req="deferrable", notes="在家中分娩未取得的，可容缺后补")],
        steps_instant("出生情况证明"), applicants="在家中或院外分娩、办理出生医学证明或落户需要村里证明的家庭",
        legal=[VILLAGE_LAW], result=("出生情况证明", "证明"), keywords=["生孩子证明", "出生证明"])
    add("死亡（殡葬）情况证明", "instant", ["证明开具", "公益服务"], "village", VILLAGE, 1, 0,
        [m("逝者居民身份证", 1, 1), HUKOU, m("家属居民身份证", 1, 1)],
        steps_instant("死亡情况证明"), applicants="在家中正常死亡的本村村民家属",
        conditions="在家中正常死亡；非正常死亡须报派出所处理",
        legal=[FUNERAL_RULE], result=("死亡情况证明", "证明"), keywords=["去世证明", "老人去世", "注销户口"],
        faq=[("家里老人去世先办什么？", "先请苏木乡镇卫生院出具《居民死亡医学证明（推断）书》，村里同时出具情况证明，再到派出所注销户口。")])
    add("未再婚情况说明", "instant", ["证明开具"], "village", VILLAGE, 1, 0,
        [ID, HUKOU_COPY], steps_instant("情况说明"), applicants="办理遗属待遇、抚恤等需要说明的村民",
        conditions="仅说明村委会掌握的情况；婚姻登记信息以民政部门为准", legal=[VILLAGE_LAW],
        result=("未再婚情况说明", "证明"), keywords=["婚姻状况", "单身证明"])
    add("户籍外人员在本村生产经营证明", "instant", ["证明开具", "市场主体"], "village", VILLAGE, 3, 0,
        [ID, m("租赁合同或土地流转合同", 1, 1)], steps_instant("生产经营证明"), applicants="在本村承包土地、养殖或经营的外来人员",
        legal=[VILLAGE_LAW], result=("生产经营证明", "证明"), keywords=["外地人证明", "经营证明"])
    add("生存状况证明（村级）", "instant", ["证明开具", "社会保障"], "village", VILLAGE, 1, 0,
        [ID], steps_instant("生存状况证明"), applicants="行动不便、需要向外地单位证明健在的村民",
        conditions="本人到场或代办员入户见到本人", legal=[VILLAGE_LAW], result=("生存状况证明", "证明"),
        keywords=["活着证明", "健在证明"])
    add("牧区草场使用情况证明", "instant", ["证明开具", "林草"], "village", VILLAGE, 3, 0,
        [ID, m("草原承包经营权证", 1, 1)], steps_instant("草场使用情况证明"),
        legal=[("中华人民共和国草原法", "2021年修正", "")], result=("草场使用情况证明", "证明"),
        keywords=["草场证明", "草牧场"])

    # ---------------------------------------------------------------- 户籍证件
    id_fee = {"charged": True, "standard": "首次申领、有效期满换领 20元；丢失补领、损坏换领 40元；临时居民身份证 10元",
              "basis": "《中华人民共和国居民身份证法》第二十条；国家发展改革委 财政部《关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"}
    id_faq = [("低保户办身份证要交钱吗？", "享受最低生活保障或特困供养的，凭相关证明免收工本费。"),
              ("可以别人代办吗？", "须本人到派出所现场采集照片和指纹；代办员可帮您预约、准备材料。16周岁以下可由监护人陪同。")]
    add("居民身份证首次申领", "proxy", ["户籍证件"], "township", TOWN_POLICE, 60, 20,
        [HUKOU, m("监护人居民身份证", 1, 1, req="optional", notes="未满16周岁的由监护人陪同")],
        [{"name": "预约采集，告知所需材料", "actor": "村代办员", "time": "即时"},
         {"name": "本人到派出所照相、采集指纹、缴费", "actor": "申请人", "time": "按预约"},
         {"name": "制证", "actor": GONGAN, "time": "20个工作日内"},
         {"name": "代领证件交本人签收", "actor": "村代办员", "time": "2个工作日内"}],
        applicants="本村户籍居民，16周岁以上应当申领，未满16周岁的可以申领",
        legal=[(*ID_LAW[:2], "第三条、第八条、第二十条")], fee=id_fee, result=("居民身份证", "证照"),
        keywords=["身份证", "办身份证", "二代证", "sfz"], faq=id_faq, visits=1)
    add("居民身份证补领", "proxy", ["户籍证件"], "township", TOWN_POLICE, 60, 20,
        [HUKOU, m("挂失声明或丢失说明", 1, 0, req="optional", notes="可在派出所现场填写")],
        [{"name": "登记丢失情况，预约补领", "actor": "村代办员", "time": "即时"},
         {"name": "本人到派出所挂失、照相、缴费，可同时申领临时身份证", "actor": "申请人", "time": "按预约"},
         {"name": "制证", "actor": GONGAN, "time": "20个工作日内"},
         {"name": "代领证件交本人签收", "actor": "村代办员", "time": "2个工作日内"}],
        applicants="居民身份证丢失的本村户籍居民", legal=[(*ID_LAW[:2], "第十一条、第二十条")], fee=id_fee,
        result=("居民身份证", "证照"), keywords=["身份证丢了", "身份证补办", "补身份证", "sfz"], faq=id_faq, sub_item="丢失补领")
    add("居民身份证换领", "proxy", ["户籍证件"], "township", TOWN_POLICE, 60, 20,
        [m("原居民身份证", 1, 0), HUKOU_COPY],
        [{"name": "核对有效期，预约换领", "actor": "村代办员", "time": "即时"},
         {"name": "本人到派出所照相、采集指纹、缴费", "actor": "申请人", "time": "按预约"},
         {"name": "制证", "actor": GONGAN, "time": "20个工作日内"},
         {"name": "代领证件交本人签收", "actor": "村代办员", "time": "2个工作日内"}],
        applicants="身份证有效期满、损坏或登记项目变更的居民", conditions="有效期满前3个月内可申请换领",
        legal=[(*ID_LAW[:2], "第十一条")], fee=id_fee, result=("居民身份证", "证照"),
        keywords=["身份证到期", "身份证过期", "换身份证", "sfz"], faq=id_faq, sub_item="到期或损坏换领")
    add("临时居民身份证申领", "proxy", ["户籍证件"], "township", TOWN_POLICE, 3, 1,
        [HUKOU, m("近期一寸免冠彩色照片", 1, 0, req="optional", notes="派出所可现场拍照")],
        steps_proxy("township", TOWN_POLICE, "3个工作日内"), applicants="正在申领、换领、补领身份证期间急需使用的居民",
        legal=[("中华人民共和国临时居民身份证管理办法", "公安部令第78号", "")],
        fee={"charged": True, "standard": "10元", "basis": "发改价格〔2003〕2322号"}, result=("临时居民身份证", "证照"),
        keywords=["临时身份证", "急用身份证"])
    add("出生登记（新生儿落户）", "proxy", ["户籍证件", "生育"], "township", TOWN_POLICE, 5, 3,
        [m("出生医学证明", 1, 1), m("父母双方居民身份证", 1, 1), m("父母户口簿", 1, 0), m("父母结婚证", 1, 1, req="optional", notes="非婚生育的可提供亲子鉴定等材料")],
        steps_proxy("township", TOWN_POLICE, "3个工作日内"), applicants="本村户籍父母的新生儿",
        conditions="新生儿出生后一个月内申报", legal=[(*HUKOU_LAW[:2], "第七条")],
        result=("户口簿（新生儿页）", "证照"), keywords=["上户口", "落户", "孩子户口", "报户口"],
        faq=[("孩子超过一个月还能上户口吗？", "可以，逾期申报不收费，但要补充说明情况。")])
    add("户口迁入（投靠、婚迁）", "proxy", ["户籍证件"], "county", GONGAN, 20, 10,
        [ID, HUKOU, m("结婚证或亲属关系证明", 1, 1), m("准迁证明或电子迁移信息", 1, 0, req="deferrable", notes="跨省迁移实行“一站式”网上迁移，可容缺")],
        steps_proxy("county", GONGAN, "10个工作日内"), applicants="因结婚、投靠亲属迁入本村的人员",
        legal=[(*HUKOU_LAW[:2], "第十条")], result=("准予迁入通知及户口簿", "证照"),
        keywords=["迁户口", "户口迁移", "迁入", "结婚迁户口"], sub_item="迁入")
    add("户口迁出", "proxy", ["户籍证件"], "township", TOWN_POLICE, 10, 5,
        [ID, HUKOU, m("迁入地准迁证明", 1, 0, req="optional", notes="已实行网上迁移的地区不需要")],
        steps_proxy("township", TOWN_POLICE, "5个工作日内"), applicants="迁往外地的本村户籍人员",
        legal=[(*HUKOU_LAW[:2], "第十条")], result=("户口迁移证", "证照"), keywords=["迁户口", "户口迁移", "迁走"], sub_item="迁出")
    add("死亡注销户口", "proxy", ["户籍证件"], "township", TOWN_POLICE, 3, 1,
        [m("逝者居民身份证", 1, 0), HUKOU, m("居民死亡医学证明（推断）书或火化证明", 1, 1), m("申报人居民身份证", 1, 1)],
        steps_proxy("township", TOWN_POLICE, "1个工作日内"), applicants="逝者家属", conditions="公民死亡后一个月内申报",
        legal=[(*HUKOU_LAW[:2], "第八条")], result=("注销户口后的户口簿", "证照"), keywords=["销户", "注销户口", "人去世了"])
    add("户口登记项目变更更正", "proxy", ["户籍证件"], "county", GONGAN, 20, 10,
        [ID, HUKOU, m("证明原登记有误的材料（出生医学证明、档案等）", 1, 1)],
        steps_proxy("county", GONGAN, "10个工作日内", village_review="村委会调查核实并出具意见"),
        applicants="户口登记的姓名、出生日期、民族等有误或需变更的居民", legal=[(*HUKOU_LAW[:2], "第十七条")],
        result=("变更后的户口簿", "证照"), keywords=["改名字", "改年龄", "改民族", "户口错了"])
    add("分户（立户）登记", "proxy", ["户籍证件"], "township", TOWN_POLICE, 10, 5,
        [ID, HUKOU, m("独立住房证明（宅基地或房屋使用情况证明）", 1, 0)],
        steps_proxy("township", TOWN_POLICE, "5个工作日内", village_review="村委会核实独立居住情况"),
        applicants="已婚或有独立住所、需单独立户的本村户籍人员", legal=[HUKOU_LAW],
        result=("新户口簿", "证照"), keywords=["分户", "单独立户", "分家"])
    add("户口簿补领换领", "proxy", ["户籍证件"], "township", TOWN_POLICE, 5, 3,
        [ID, m("户主居民身份证", 1, 1), m("原户口簿（换领时）", 1, 0, req="optional")],
        steps_proxy("township", TOWN_POLICE, "3个工作日内"), legal=[HUKOU_LAW], result=("户口簿", "证照"),
        keywords=["户口本丢了", "户口本", "补户口本"])
    add("流动人口居住登记（外来人口登记）", "instant", ["户籍证件", "民事调解"], "village", VILLAGE, 1, 0,
        [ID, m("居住处所证明（租房合同、雇用单位证明等）", 1, 1)],
        [{"name": "登记身份、居住地址和从事工作", "actor": "村代办员", "time": "即时"},
         {"name": "录入流动人口信息系统，报派出所备案", "actor": "村代办员", "time": "1个工作日内"}],
        applicants="来本村居住、务工的外来人员", conditions="离开常住户口所在地到本村居住",
        legal=[("居住证暂行条例", "国务院令第663号", "第三条")], result=("居住登记回执", "登记"),
        keywords=["外来人口", "暂住证", "外地人登记", "暂住登记"])
    add("居住证申领（代办）", "proxy", ["户籍证件"], "township", TOWN_POLICE, 15, 10,
        [ID, photo(1), m("居住登记回执及稳定就业、住所或就读证明", 1, 1)],
        steps_proxy("township", TOWN_POLICE, "10个工作日内"), applicants="在本地居住半年以上、有稳定就业或住所的外来人员",
        legal=[("居住证暂行条例", "国务院令第663号", "第九条、第十七条")],
        fee={"charged": False, "standard": "首次申领免费；换领、补领收取工本费", "basis": "《居住证暂行条例》第十七条"},
        result=("居住证", "证照"), keywords=["暂住证", "居住证"])

    # ---------------------------------------------------------------- 生育 / 计划生育
    add("生育登记", "proxy", ["生育"], "township", TOWN_HEALTH, 5, 1,
        [m("夫妻双方居民身份证", 0, 1), m("结婚证", 0, 1, req="deferrable"), form("生育登记服务卡申请表", notes="也可通过“蒙速办”APP自行登记")],
        steps_proxy("township", TOWN_HEALTH, "1个工作日内"), applicants="生育第一、二、三个子女的夫妻，一方户籍在本村或在本村居住",
        legal=[(*POPULATION_LAW[:2], "第十八条"), NM_POPULATION], result=("生育登记服务卡", "证照"),
        keywords=["准生证", "生育服务证", "怀孕登记", "生二胎", "生三胎"],
        faq=[("现在还要准生证吗？", "不再审批，实行生育登记，怀孕前后都可登记，用于孕产期保健和生育保险报销。")])
    add("再生育审批（特殊情形）", "proxy", ["生育"], "county", WEIJIAN, 20, 15,
        [m("夫妻双方居民身份证、户口簿", 1, 1), m("结婚证及离婚、再婚证明", 1, 1), m("子女病残鉴定等证明", 1, 1, req="optional")],
        steps_proxy("county", WEIJIAN, "15个工作日内"), applicants="已有三个子女、符合条例规定特殊情形的夫妻",
        legal=[NM_POPULATION], result=("再生育审批决定", "批文"), keywords=["再生育", "生第四个"])
    add("农村部分计划生育家庭奖励扶助申请", "proxy", ["生育", "社会保障"], "county", WEIJIAN, 30, 20,
        [ID, HUKOU, m("独生子女父母光荣证或计划生育证明", 1, 1), BANK, form("奖励扶助对象申报表")],
        steps_proxy("county", WEIJIAN, "20个工作日内", village_review="村委会审核，张榜公示7天"),
        applicants="本村户籍、年满60周岁、只有一个子女或两个女孩的农村计划生育家庭夫妻",
        conditions="1973年至2001年间没有违反计划生育规定生育",
        legal=[("全国农村部分计划生育家庭奖励扶助制度管理规范", "国人口发〔2006〕122号", "")], result=("奖励扶助资格确认", "待遇"),
        keywords=["独生子女奖励", "计生奖励", "奖扶", "独奖"])
    add("计划生育特别扶助申请", "proxy", ["生育", "社会保障"], "county", WEIJIAN, 30, 20,
        [ID, HUKOU, m("独生子女死亡证明或伤残等级证明", 1, 1), BANK, form("特别扶助对象申报表")],
        steps_proxy("county", WEIJIAN, "20个工作日内", village_review="村委会审核，张榜公示7天"),
        applicants="独生子女死亡或伤病残（三级以上）、女方年满49周岁的夫妻",
        legal=[("全国独生子女伤残死亡家庭扶助制度试点方案", "国人口发〔2007〕78号", "")], result=("特别扶助资格确认", "待遇"),
        keywords=["失独", "特扶", "独生子女伤残"])
    add("独生子女父母光荣证补办", "proxy", ["生育"], "township", TOWN_HEALTH, 10, 5,
        [ID, HUKOU, photo(1)], steps_proxy("township", TOWN_HEALTH, "5个工作日内", village_review="村委会核实计生台账"),
        legal=[NM_POPULATION], result=("独生子女父母光荣证", "证照"), keywords=["独生子女证", "光荣证"])
    add("计生服务（避孕药具发放、孕前优生检查预约）", "public", ["生育", "公益服务"], "township", TOWN_HEALTH, 0, 0,
        [], steps_public("免费发放避孕药具，预约孕前优生健康检查", "村计生专干"), applicants="育龄夫妻",
        legal=[POPULATION_LAW], result=("免费服务", "服务"), keywords=["避孕药", "孕检", "优生检查", "计生"], needs_id=False)
    add("农村妇女两癌免费筛查报名", "public", ["生育", "医疗保障"], "township", TOWN_HEALTH, 0, 0,
        [ID_COPY], steps_public("登记报名，通知到卫生院检查的时间", "村计生专干"), applicants="35至64岁农村妇女",
        result=("筛查预约", "服务"), keywords=["两癌", "宫颈癌", "乳腺癌", "妇女体检"])

    # ---------------------------------------------------------------- 建房土地
    add("农村村民宅基地和建房（规划许可）申请", "proxy", ["建房土地"], "township", TOWN_LAND, 20, 15,
        [ID, HUKOU, form("农村宅基地和建房（规划许可）申请表"), m("农村宅基地使用承诺书", 1, 0, src="government"),
         m("村民小组会议讨论记录", 1, 0, src="other", notes="由村民小组提供"), m("房屋设计图或通用图", 1, 0, req="optional")],
        steps_proxy("township", TOWN_LAND, "15个工作日内", village_review="村民小组讨论，村委会审查并公示5个工作日",
                    field_check="苏木乡镇组织农牧、自然资源等部门实地审查"),
        applicants="本村户籍、符合“一户一宅”条件的农户", conditions="一户只能拥有一处宅基地，面积不超过自治区规定标准；出卖、出租、赠与住宅后再申请的不予批准",
        legal=[LAND_LAW, HOMESTEAD_RULE, ("中华人民共和国城乡规划法", "2019年修正", "第四十一条")],
        result=("农村宅基地批准书、乡村建设规划许可证", "证照"),
        keywords=["建房审批", "盖房子", "批宅基地", "宅基地", "翻建房屋", "房基地"],
        faq=[("旧房翻建也要审批吗？", "原址翻建、改建、扩建都要申请；面积、层数不超过规定的，手续可简化。"),
             ("开工前要做什么？", "批准后申请苏木乡镇到现场定位放线（“三到场”），开工后才不违规。")])
    add("宅基地建房开工查验（放线）申请", "proxy", ["建房土地"], "township", TOWN_LAND, 5, 3,
        [ID, m("农村宅基地批准书", 1, 1), m("乡村建设规划许可证", 1, 1)],
        steps_proxy("township", TOWN_LAND, "3个工作日内", field_check="到现场丈量批放宅基地，确定建房位置"),
        applicants="已取得宅基地批准书的农户", legal=[HOMESTEAD_RULE], result=("放线记录", "登记"),
        keywords=["放线", "定位", "开工"])
    add("宅基地建房竣工验收申请", "proxy", ["建房土地"], "township", TOWN_LAND, 10, 5,
        [ID, m("农村宅基地批准书", 1, 1), m("房屋照片", 1, 0, req="optional")],
        steps_proxy("township", TOWN_LAND, "5个工作日内", field_check="到现场核查是否按批准面积和要求使用宅基地"),
        applicants="建房完工的农户", legal=[HOMESTEAD_RULE], result=("农村宅基地和建房（规划许可）验收意见表", "证明"),
        keywords=["验收", "竣工", "房子盖好了"])
    add("农村不动产（宅基地使用权及房屋所有权）登记代办", "remote", ["建房土地"], "county", ZIRAN, 30, 15,
        [ID, HUKOU, m("宅基地批准书或权属来源证明", 1, 1), m("竣工验收意见表", 1, 1), m("房屋测绘成果", 1, 0, req="deferrable")],
        steps_remote(ZIRAN, "15个工作日内", inspect="权籍调查、实地查看"),
        legal=[("不动产登记暂行条例", "国务院令第656号（2024年修订）", "第二十条")],
        fee={"charged": True, "standard": "住宅类不动产登记费每件 80元（含第一本证书工本费）；农村宅基地及房屋首次登记按规定减免",
             "basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"},
        result=("不动产权证书", "证照"), keywords=["房产证", "房本", "确权", "宅基地证"])
    add("农村危房改造申请", "proxy", ["建房土地", "民政救助"], "county", ZHUJIAN, 30, 20,
        [ID, HUKOU, form("农村危房改造申请表"), m("低保、特困、残疾等身份证明", 0, 1, req="optional")],
        steps_proxy("county", ZHUJIAN, "20个工作日内", village_review="村民代表评议，村委会公示7天",
                    field_check="组织房屋安全鉴定"),
        applicants="住房为C级、D级危房的低保户、特困户、低保边缘户等",
        legal=[("住房和城乡建设部 财政部等关于做好农村低收入群体等重点对象住房安全保障工作的实施意见", "建村〔2021〕35号", "")],
        result=("危房改造补助资格", "待遇"), keywords=["危房", "房子漏", "房子裂了", "危房补助"])
    add("农村土地承包经营权流转合同备案", "proxy", ["建房土地", "涉农补贴"], "township", TOWN_AGRI, 10, 5,
        [m("流出方、流入方居民身份证", 1, 1), m("土地承包经营权证", 1, 1), m("流转合同（一式三份）", 3, 0)],
        steps_proxy("township", TOWN_AGRI, "5个工作日内"), applicants="流转承包土地的承包户和受让方",
        legal=[("农村土地经营权流转管理办法", "农业农村部令2021年第1号", "第二十条")], result=("流转合同备案", "登记"),
        keywords=["土地流转", "租地", "包地"])
    add("农村土地承包经营权变更（分户、继承）", "proxy", ["建房土地"], "county", NONGMU, 30, 20,
        [ID, HUKOU, m("土地承包经营权证", 1, 1), m("分户协议、继承证明等", 1, 1)],
        steps_proxy("county", NONGMU, "20个工作日内", village_review="村民小组确认，村委会公示"),
        legal=[("中华人民共和国农村土地承包法", "2018年修正", "第二十四条")], result=("变更后的土地承包经营权证", "证照"),
        keywords=["承包证变更", "土地证", "继承土地"])

    # ---------------------------------------------------------------- 民政救助
    dibao_faq = [("低保多久能批下来？", "材料齐全的，苏木乡镇15个工作日、旗民政局10个工作日内审核确认，特殊情况可延长。"),
                 ("家里有车有房能吃低保吗？", "按家庭收入和财产综合判断；有非生活必需的机动车、商业用房等一般不符合，具体以入户调查为准。")]
    add("最低生活保障申请", "proxy", ["民政救助"], "township", TOWN_CIVIL, 30, 25,
        [ID, HUKOU, form("最低生活保障申请书"), m("家庭经济状况核对授权书", 1, 0, src="government", notes="共同生活的家庭成员都要签字"),
         m("患病、残疾等证明材料", 0, 1, req="optional"), BANK],
        steps_proxy("township", TOWN_CIVIL, "15个工作日内完成审核确认",
                    field_check="入户调查，组织民主评议，在村务公开栏公示7天"),
        applicants="共同生活的家庭成员人均收入低于当地低保标准、财产符合规定的本地户籍家庭",
        legal=[SOCIAL_AID, DIBAO_RULE], result=("最低生活保障金", "待遇"),
        keywords=["低保", "吃低保", "办低保", "城乡低保", "最低生活保障", "db"], faq=dibao_faq)
    add("最低生活保障变更、停发申报", "proxy", ["民政救助"], "township", TOWN_CIVIL, 15, 10,
        [ID, m("家庭人口、收入变化说明", 1, 0)],
        steps_proxy("township", TOWN_CIVIL, "10个工作日内"), applicants="家庭人口、收入或财产发生变化的低保家庭",
        legal=[DIBAO_RULE], result=("低保金调整决定", "决定"), keywords=["低保", "低保变更", "低保增减", "db"])
    add("特困人员救助供养申请", "proxy", ["民政救助"], "county", MINZHENG, 30, 20,
        [ID, HUKOU, form("特困人员救助供养申请书"), m("残疾人证", 1, 1, req="optional"), BANK],
        steps_proxy("county", MINZHENG, "20个工作日内", field_check="入户调查、评估生活自理能力并公示"),
        applicants="无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其义务人无能力的老年人、残疾人和未成年人",
        legal=[SOCIAL_AID, TEKUN_RULE], result=("特困人员救助供养证", "待遇"),
        keywords=["五保", "五保户", "特困", "特困供养", "孤寡老人"],
        faq=[("五保户还有吗？", "农村五保供养已并入特困人员救助供养，待遇包括基本生活费和照料护理费。")])
    add("特困人员集中供养（入住敬老院）申请", "proxy", ["民政救助"], "county", MINZHENG, 20, 15,
        [ID, m("特困人员救助供养证", 1, 1), m("生活自理能力评估表", 1, 0, src="government")],
        steps_proxy("county", MINZHENG, "15个工作日内"), applicants="本人自愿集中供养的特困人员，失能的优先",
        legal=[TEKUN_RULE], result=("入住通知", "通知"), keywords=["敬老院", "养老院", "五保", "集中供养"])
    add("临时救助申请", "proxy", ["民政救助"], "township", TOWN_CIVIL, 15, 10,
        [ID, HUKOU_COPY, form("临时救助申请书"), m("遭遇急难的证明材料（医疗票据、火灾或事故证明等）", 0, 1), BANK],
        steps_proxy("township", TOWN_CIVIL, "10个工作日内；情况紧急的先行救助", field_check="入户核实"),
        applicants="因火灾、交通事故、突发重病等导致基本生活暂时出现严重困难的家庭或个人",
        legal=[(*SOCIAL_AID[:2], "第四十七条至第五十条")], result=("临时救助金", "待遇"),
        keywords=["临时救助", "救急", "急难救助", "遭灾", "着火了"])
    add("低保边缘家庭（低收入人口）认定", "proxy", ["民政救助"], "township", TOWN_CIVIL, 30, 20,
        [ID, HUKOU, form("低收入家庭认定申请书"), m("家庭经济状况核对授权书", 1, 0, src="government")],
        steps_proxy("township", TOWN_CIVIL, "20个工作日内", field_check="入户调查并公示"),
        legal=[("民政部 财政部 国家乡村振兴局关于做好低收入人口动态监测和救助帮扶的意见", "民发〔2023〕39号", "")],
        result=("低收入人口认定", "决定"), keywords=["边缘户", "低收入", "低保边缘", "db"])
    add("困难残疾人生活补贴申请", "proxy", ["民政救助"], "county", MINZHENG, 20, 15,
        [ID, m("第二代中华人民共和国残疾人证", 1, 1), m("低保或低收入家庭证明", 0, 1), BANK, form("残疾人两项补贴申请审批表")],
        steps_proxy("county", MINZHENG, "15个工作日内"), applicants="低保家庭或低收入家庭中的残疾人",
        legal=[DISABILITY_RULE], result=("困难残疾人生活补贴", "待遇"), keywords=["残补", "残疾补贴", "两项补贴", "残疾人补贴"],
        faq=[("两项补贴可以同时领吗？", "既是低保家庭残疾人又是重度残疾人的，两项补贴可以同时领取。")])
    add("重度残疾人护理补贴申请", "proxy", ["民政救助"], "county", MINZHENG, 20, 15,
        [ID, m("第二代中华人民共和国残疾人证（一、二级）", 1, 1), BANK, form("残疾人两项补贴申请审批表")],
        steps_proxy("county", MINZHENG, "15个工作日内"), applicants="残疾等级为一级、二级且需长期照护的重度残疾人",
        legal=[DISABILITY_RULE], result=("重度残疾人护理补贴", "待遇"), keywords=["残补", "护理补贴", "两项补贴", "重残"])
    add("残疾人证申领（评定）", "proxy", ["民政救助", "户籍证件"], "county", CANLIAN, 20, 15,
        [ID, HUKOU_COPY, photo(3), form("残疾人证申请表")],
        [{"name": "受理登记，开具评定介绍", "actor": "村代办员", "time": "即时"},
         {"name": "到指定医院进行残疾评定", "actor": "申请人", "time": "按预约"},
         {"name": "审核、制证", "actor": CANLIAN, "time": "15个工作日内"},
         {"name": "领回证件交本人", "actor": "村代办员", "time": "2个工作日内"}],
        applicants="视力、听力、言语、肢体、智力、精神或多重残疾人",
        legal=[("中华人民共和国残疾人证管理办法", "残联发〔2017〕46号", "")], result=("第二代中华人民共和国残疾人证", "证照"),
        keywords=["残疾证", "办残疾证", "残疾鉴定"])
    add("残疾人证换领、补领、迁移", "proxy", ["民政救助", "户籍证件"], "county", CANLIAN, 20, 10,
        [ID, m("原残疾人证", 1, 0, req="optional", notes="丢失补领的不需要"), photo(2)],
        steps_proxy("county", CANLIAN, "10个工作日内"), legal=[("中华人民共和国残疾人证管理办法", "残联发〔2017〕46号", "")],
        result=("残疾人证", "证照"), keywords=["残疾证到期", "残疾证丢了"])
    add("残疾人辅助器具适配申请", "proxy", ["民政救助", "公益服务"], "county", CANLIAN, 30, 20,
        [ID, m("残疾人证", 1, 1), form("辅助器具适配申请表")],
        steps_proxy("county", CANLIAN, "20个工作日内"), applicants="有适配需求的持证残疾人",
        legal=[("中华人民共和国残疾人保障法", "2018年修正", "")],
        result=("辅助器具", "实物"), keywords=["轮椅", "助听器", "拐杖", "假肢"])
    add("高龄津贴申请", "proxy", ["民政救助", "社会保障"], "county", MINZHENG, 20, 10,
        [ID, HUKOU_COPY, BANK, form("高龄津贴申请表")],
        steps_proxy("county", MINZHENG, "10个工作日内"), applicants="年满80周岁的本地户籍老年人",
        conditions="按自治区规定，80周岁以上分档发放，生日次月起享受",
        legal=[ELDER_LAW, ("内蒙古自治区实施《中华人民共和国老年人权益保障法》办法", "", "")], result=("高龄津贴", "待遇"),
        keywords=["高龄补贴", "老年补贴", "八十岁补贴", "老人补贴"],
        faq=[("每年还要去认证吗？", "要做一次领取资格确认，行动不便的可由代办员上门或用手机人脸认证。")])
    add("孤儿基本生活费申请", "proxy", ["民政救助"], "county", MINZHENG, 30, 20,
        [m("儿童户口簿、居民身份证", 1, 1), m("父母死亡证明或宣告失踪的法律文书", 1, 1), m("监护人居民身份证", 1, 1), BANK],
        steps_proxy("county", MINZHENG, "20个工作日内", field_check="入户调查"),
        applicants="失去父母或查找不到生父母的未满18周岁儿童", legal=[("国务院办公厅关于加强孤儿保障工作的意见", "国办发〔2010〕54号", "")],
        result=("孤儿基本生活费", "待遇"), keywords=["孤儿", "没爹没妈"])
    add("事实无人抚养儿童生活补贴申请", "proxy", ["民政救助"], "county", MINZHENG, 30, 20,
        [m("儿童户口簿、居民身份证", 1, 1), m("父母重残、重病、服刑、失联等证明", 1, 1), m("监护人居民身份证", 1, 1), BANK],
        steps_proxy("county", MINZHENG, "20个工作日内", field_check="入户调查并公示"),
        legal=[("关于进一步加强事实无人抚养儿童保障工作的意见", "民发〔2019〕62号", "")], result=("基本生活补贴", "待遇"),
        keywords=["留守儿童", "无人抚养", "困境儿童"])
    add("医疗救助申请", "proxy", ["民政救助", "医疗保障"], "county", YIBAO, 20, 10,
        [ID, HUKOU_COPY, m("住院费用结算单和发票", 1, 1), m("出院记录（诊断证明）", 0, 1), BANK],
        steps_proxy("county", YIBAO, "10个工作日内"), applicants="低保、特困、低收入人口及因病致贫重病患者",
        conditions="在定点医院住院的，一般已“一站式”结算，无需另行申请",
        legal=[("国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见", "国办发〔2021〕42号", "")],
        result=("医疗救助金", "待遇"), keywords=["大病救助", "看病救助", "医疗救助"])
    add("困难群众取暖补贴申请", "proxy", ["民政救助"], "township", TOWN_CIVIL, 20, 10,
        [ID, BANK], steps_proxy("township", TOWN_CIVIL, "10个工作日内"), applicants="低保、特困家庭", legal=[SOCIAL_AID],
        result=("取暖补贴", "待遇"), keywords=["取暖费", "烧煤补贴", "冬季补贴"])
    add("防返贫监测对象申报（扶贫帮困）", "proxy", ["民政救助", "公益服务"], "township", TOWN_CIVIL, 15, 10,
        [ID, HUKOU_COPY, m("因病、因灾、因意外事故等致困情况说明", 1, 0)],
        steps_proxy("township", TOWN_CIVIL, "10个工作日内", village_review="村委会入户核实、民主评议"),
        applicants="收入骤减、支出骤增，存在返贫致贫风险的农户",
        legal=[("中共中央 国务院关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见", "", "")],
        result=("纳入监测帮扶", "决定"), keywords=["扶贫", "返贫", "帮扶", "贫困户", "扶贫帮困"])

    # ---------------------------------------------------------------- 社会保障 / 医疗保障
    add("城乡居民基本养老保险参保登记", "proxy", ["社会保障"], "township", TOWN_SOCIAL, 5, 1,
        [ID, HUKOU_COPY, form("城乡居民基本养老保险参保登记表")],
        steps_proxy("township", TOWN_SOCIAL, "1个工作日内"), applicants="年满16周岁（在校学生除外）、未参加职工养老保险的本地户籍居民",
        legal=[PENSION_RULE, SOCIAL_INSURANCE_LAW], result=("参保登记", "登记"),
        keywords=["养老保险", "农村养老保险", "新农保", "入保险"])
    add("城乡居民基本养老保险缴费（档次变更）", "instant", ["社会保障"], "village", "旗社会保险事业服务中心（村代收代办）", 1, 0,
        [ID], [{"name": "核对参保信息，选择缴费档次", "actor": "村代办员", "time": "即时"},
               {"name": "指导通过“蒙速办”、银行或税务渠道缴费", "actor": "村代办员", "time": "即时"}],
        applicants="已参保的城乡居民", conditions="每年集中缴费期内缴纳，可自主选择缴费档次",
        legal=[PENSION_RULE], result=("缴费凭证", "凭证"), keywords=["交养老保险", "养老保险缴费", "交保险"])
    add("城乡居民基本养老保险待遇申领", "proxy", ["社会保障"], "county", RENSHE, 20, 10,
        [ID, HUKOU_COPY, BANK, form("城乡居民基本养老保险待遇申领表")],
        steps_proxy("county", RENSHE, "10个工作日内"), applicants="年满60周岁、累计缴费满15年（或符合补缴条件）的参保人",
        legal=[PENSION_RULE], result=("按月领取养老金", "待遇"), keywords=["领养老金", "养老金", "60岁领钱"],
        faq=[("缴费不够15年怎么办？", "可以一次性补缴到15年；具体补缴办法请代办员帮您查询。")])
    add("养老保险待遇领取资格认证", "instant", ["社会保障"], "village", "旗社会保险事业服务中心（村代办）", 1, 0,
        [ID], [{"name": "用手机“掌上12333”或“蒙速办”刷脸认证", "actor": "村代办员", "time": "即时"},
               {"name": "行动不便的上门协助认证", "actor": "村代办员", "time": "3个工作日内"}],
        applicants="领取城乡居民养老金、职工养老金的人员", legal=[SOCIAL_INSURANCE_LAW],
        result=("认证结果", "登记"), keywords=["生存认证", "刷脸", "养老金认证", "年审"])
    add("城乡居民养老保险关系转移接续", "remote", ["社会保障"], "county", RENSHE, 45, 20,
        [ID, form("城乡居民基本养老保险关系转移接续申请表")],
        steps_remote(RENSHE, "20个工作日内"), applicants="跨统筹地区迁移户籍的参保人",
        legal=[("城乡养老保险制度衔接暂行办法", "人社部发〔2014〕17号", "")], result=("转移接续", "登记"),
        keywords=["养老保险转移", "转保险"])
    add("城乡居民养老保险丧葬补助金及个人账户继承", "proxy", ["社会保障"], "county", RENSHE, 20, 10,
        [m("参保人死亡证明或户口注销证明", 1, 1), m("继承人居民身份证", 1, 1), m("亲属关系证明", 1, 0), BANK],
        steps_proxy("county", RENSHE, "10个工作日内"), applicants="参保人死亡后的法定继承人",
        legal=[PENSION_RULE], result=("丧葬补助金及个人账户余额", "待遇"), keywords=["丧葬费", "养老保险继承", "人走了保险"])
    add("城乡居民基本医疗保险参保登记", "proxy", ["医疗保障"], "county", YIBAO, 5, 1,
        [ID, HUKOU_COPY], steps_proxy("county", YIBAO, "1个工作日内"), applicants="未参加职工医保的城乡居民（含新生儿）",
        legal=[MEDICAL_RULE, SOCIAL_INSURANCE_LAW], result=("参保登记", "登记"),
        keywords=["医保", "合作医疗", "新农合", "交医保", "参保"],
        faq=[("新生儿怎么参保？", "出生后凭出生医学证明或户口簿即可参保，出生当年的住院费用可以报销。")])
    add("城乡居民医保缴费", "instant", ["医疗保障"], "village", "旗医疗保障局（村代办）", 1, 0,
        [ID], [{"name": "核对参保信息", "actor": "村代办员", "time": "即时"},
               {"name": "指导通过“蒙速办”、微信或银行缴费", "actor": "村代办员", "time": "即时"}],
        applicants="城乡居民", conditions="每年9月至12月集中缴纳次年费用", legal=[MEDICAL_RULE],
        result=("缴费凭证", "凭证"), keywords=["交合作医疗", "交医保", "医保缴费", "新农合"])
    add("城乡居民医保零星报销（手工报销）", "proxy", ["医疗保障"], "county", YIBAO, 30, 20,
        [ID, m("医疗费用发票", 1, 0), m("费用明细清单", 1, 0), m("出院记录或诊断证明", 1, 1), BANK],
        steps_proxy("county", YIBAO, "20个工作日内"), applicants="异地就医未直接结算或因故垫付费用的参保人",
        legal=[MEDICAL_RULE], result=("报销款", "待遇"), keywords=["医保报销", "报销", "看病报销", "合作医疗报销"],
        faq=[("在外地住院怎么报销？", "先办异地就医备案可直接结算；没备案垫付的，带发票等材料来代办报销。")])
    add("异地就医备案", "remote", ["医疗保障"], "county", YIBAO, 1, 0,
        [ID], steps_remote(YIBAO, "即时"), applicants="异地长期居住、异地转诊或临时外出就医的参保人",
        legal=[("关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知", "医保发〔2022〕22号", "")],
        result=("备案成功", "登记"), keywords=["外地看病", "异地备案", "转院"])
    add("门诊慢特病待遇认定", "proxy", ["医疗保障"], "county", YIBAO, 20, 10,
        [ID, m("二级以上医院诊断证明、检查报告", 1, 1), form("门诊慢特病认定申请表")],
        steps_proxy("county", YIBAO, "10个工作日内"), applicants="患高血压、糖尿病等规定病种的参保人",
        legal=[MEDICAL_RULE], result=("慢特病待遇资格", "待遇"), keywords=["慢病", "慢性病", "高血压", "糖尿病", "门特"])
    add("村民大病保险、意外及财产保险投保代办", "public", ["医疗保障", "公益服务"], "county", "保险公司（村协办）", 0, 0,
        [ID_COPY], steps_public("介绍大病保险政策，协助联系保险公司投保或报案理赔", "村代办员", "3个工作日内"),
        applicants="有需要的村民", legal=[("国务院办公厅关于全面实施城乡居民大病保险的意见", "国办发〔2015〕57号", "")],
        result=("投保或理赔协助", "服务"), keywords=["大病保险", "财产保险", "意外险", "房屋保险", "理赔"])
    add("政策性农业保险投保（种植、养殖）", "proxy", ["涉农补贴", "公益服务"], "county", "旗农牧局（承保公司）", 10, 5,
        [ID, m("种植面积或养殖数量清单", 1, 0), BANK],
        steps_proxy("county", "承保保险公司", "5个工作日内", village_review="村委会核实面积、数量并公示"),
        applicants="种植户、养殖户", legal=[("农业保险条例", "国务院令第629号（2016年修订）", "")],
        result=("保险单", "凭证"), keywords=["农业保险", "庄稼保险", "牛羊保险", "受灾理赔"])

    # ---------------------------------------------------------------- 涉农补贴
    add("耕地地力保护补贴申报", "proxy", ["涉农补贴"], "township", TOWN_AGRI, 30, 20,
        [ID, m("土地承包经营权证或承包合同", 0, 1), BANK],
        steps_proxy("township", TOWN_AGRI, "20个工作日内", village_review="村委会核实面积，张榜公示7天"),
        applicants="拥有耕地承包权的种地农民", conditions="已改为非农用途、长期抛荒的耕地不予补贴",
        legal=[("财政部 农业部关于全面推开农业“三项补贴”改革工作的通知", "财农〔2016〕26号", "")],
        result=("耕地地力保护补贴", "待遇"), keywords=["粮补", "地补", "种粮补贴", "耕地补贴"])
    add("草原生态保护补助奖励申报", "proxy", ["涉农补贴", "林草"], "county", LINCAO, 30, 20,
        [ID, m("草原承包经营权证", 0, 1), m("禁牧、草畜平衡责任书", 1, 0, src="government"), BANK],
        steps_proxy("county", LINCAO, "20个工作日内", village_review="嘎查核实面积并公示"),
        applicants="承包草原、履行禁牧或草畜平衡义务的牧户",
        legal=[("第三轮草原生态保护补助奖励政策实施指导意见", "财农〔2021〕82号", "")],
        result=("禁牧补助、草畜平衡奖励", "待遇"), keywords=["草补", "禁牧补贴", "草原补贴", "草畜平衡", "生态补贴"])
    add("农机购置与应用补贴申请", "remote", ["涉农补贴"], "county", NONGMU, 20, 15,
        [ID, m("购机发票", 1, 1), m("农机具照片（含铭牌）", 1, 0), BANK],
        steps_remote(NONGMU, "15个工作日内", inspect="核验机具"),
        applicants="从事农业生产的个人和组织", legal=[("农业农村部办公厅 财政部办公厅关于印发《2024—2026年农机购置与应用补贴实施意见》的通知", "农办计财〔2024〕6号", "")],
        result=("农机购置补贴", "待遇"), keywords=["农机补贴", "买拖拉机", "拖拉机补贴", "收割机"])
    add("玉米大豆生产者补贴申报", "proxy", ["涉农补贴"], "township", TOWN_AGRI, 30, 20,
        [ID, m("实际种植面积登记表", 1, 0, src="government"), BANK],
        steps_proxy("township", TOWN_AGRI, "20个工作日内", village_review="村委会核实实际种植面积并公示"),
        applicants="实际种植玉米、大豆的农户", legal=[("财政部 农业农村部关于玉米大豆生产者补贴的通知", "", "")],
        result=("生产者补贴", "待遇"), keywords=["大豆补贴", "玉米补贴"])
    add("良种补贴及畜牧良种推广补贴申报", "proxy", ["涉农补贴", "农技信息"], "township", TOWN_AGRI, 20, 15,
        [ID, m("种公畜或冻精购买凭证", 1, 1), BANK],
        steps_proxy("township", TOWN_AGRI, "15个工作日内"), applicants="购买良种畜、使用良种冻精的养殖户",
        legal=[("中华人民共和国畜牧法", "2022年修订", "")],
        result=("良种补贴", "待遇"), keywords=["种公羊", "良种", "改良补贴"])
    add("惠农补贴“一卡通”账户变更", "proxy", ["涉农补贴"], "township", "苏木乡镇财政所", 5, 3,
        [ID, m("新的本人银行卡或社保卡", 1, 1), form("惠农补贴账户变更申请表")],
        steps_proxy("township", "苏木乡镇财政所", "3个工作日内"), applicants="补贴账户挂失、销户或需变更的农牧民",
        legal=[("关于进一步加强惠民惠农财政补贴资金“一卡通”管理的指导意见", "财办〔2019〕1号", "")],
        result=("账户变更", "登记"), keywords=["一卡通", "换卡", "补贴卡", "存折"])
    add("动物防疫免费强制免疫及补助登记", "public", ["涉农补贴", "农技信息"], "township", TOWN_AGRI, 0, 0,
        [], steps_public("登记存栏数量，通知防疫员上门免疫", "苏木乡镇防疫员", "按防疫计划"),
        applicants="养殖户", legal=[("中华人民共和国动物防疫法", "2021年修订", "第十七条")],
        result=("免疫记录", "登记"), keywords=["打疫苗", "防疫", "口蹄疫", "耳标"], needs_id=False)
    add("牲畜耳标佩戴及养殖档案登记", "proxy", ["农技信息", "涉农补贴"], "township", TOWN_AGRI, 5, 3,
        [ID, m("存栏数量登记表", 1, 0, src="government")],
        steps_proxy("township", TOWN_AGRI, "3个工作日内"), legal=[("畜禽标识和养殖档案管理办法", "农业部令第67号", "")],
        result=("耳标和养殖档案", "登记"), keywords=["耳标", "养殖档案", "打耳标"])
    add("重大动物疫病扑杀补助申请", "proxy", ["涉农补贴"], "county", NONGMU, 30, 20,
        [ID, m("扑杀记录和无害化处理记录", 1, 1, src="government"), BANK],
        steps_proxy("county", NONGMU, "20个工作日内"), applicants="因强制扑杀受损的养殖户",
        legal=[("中华人民共和国动物防疫法", "2021年修订", "第六十六条")], result=("扑杀补助", "待遇"),
        keywords=["扑杀补助", "病死畜", "布病"])
    add("农业自然灾害损失登记", "proxy", ["涉农补贴", "民政救助"], "township", TOWN_AGRI, 10, 5,
        [ID, m("受灾照片", 1, 0, req="optional")],
        steps_proxy("township", TOWN_AGRI, "5个工作日内", field_check="实地核灾"),
        applicants="受旱、雹、雪、洪等灾害的种养户", legal=[("自然灾害救助条例", "国务院令第577号（2019年修订）", "")],
        result=("灾情登记", "登记"), keywords=["受灾", "冰雹", "旱灾", "白灾", "雪灾"])

    # ---------------------------------------------------------------- 退役军人
    add("义务兵家庭优待金申领", "proxy", ["社会保障"], "county", TUIYI, 20, 10,
        [m("入伍通知书", 1, 1), m("义务兵父母或配偶居民身份证", 1, 1), HUKOU_COPY, BANK],
        steps_proxy("county", TUIYI, "10个工作日内"), applicants="本地入伍义务兵的家庭",
        legal=[("军人抚恤优待条例", "国务院 中央军委令第788号", "")], result=("义务兵家庭优待金", "待遇"),
        keywords=["当兵", "优待金", "参军补贴", "兵役"])
    add("退役士兵安置及自主就业退役金代办", "proxy", ["社会保障", "就业信息"], "county", TUIYI, 30, 20,
        [ID, m("退出现役证", 1, 1), m("退役士兵档案回执", 1, 0, src="government")],
        steps_proxy("county", TUIYI, "20个工作日内"), applicants="退役回到本村的士兵",
        legal=[VETERAN_LAW, ("退役士兵安置条例", "国务院 中央军委令第608号", "")], result=("安置或退役金", "待遇"),
        keywords=["退伍", "复员", "退役金", "退伍军人"])
    add("退役军人优待证申领", "remote", ["社会保障"], "county", TUIYI, 30, 20,
        [ID, photo(1), m("退出现役证", 0, 1)], steps_remote(TUIYI, "20个工作日内"), applicants="退役军人和其他优抚对象",
        legal=[VETERAN_LAW], result=("退役军人优待证", "证照"), keywords=["优待证", "退伍军人证"])
    add("重点优抚对象定期抚恤补助申请", "proxy", ["社会保障", "民政救助"], "county", TUIYI, 30, 20,
        [ID, m("伤残证或参战、复员证明", 1, 1), BANK],
        steps_proxy("county", TUIYI, "20个工作日内"), applicants="残疾军人、参战退役人员、带病回乡退役军人等",
        legal=[("军人抚恤优待条例", "国务院 中央军委令第788号", "")], result=("定期抚恤补助", "待遇"),
        keywords=["优抚", "伤残军人", "参战补助", "老兵"])
    add("退役军人信息采集与悬挂光荣牌", "instant", ["社会保障"], "village", "嘎查退役军人服务站", 1, 0,
        [ID, m("退出现役证", 1, 1)],
        [{"name": "采集退役军人信息", "actor": "退役军人服务站", "time": "即时"},
         {"name": "预约上门悬挂光荣牌", "actor": "退役军人服务站", "time": "按预约"}],
        legal=[VETERAN_LAW], result=("信息登记", "登记"), keywords=["光荣牌", "退伍军人", "信息采集"])

    # ---------------------------------------------------------------- 就业信息
    add("就业失业登记", "proxy", ["就业信息"], "township", TOWN_SOCIAL, 5, 1,
        [ID, form("就业失业登记表")], steps_proxy("township", TOWN_SOCIAL, "1个工作日内"),
        applicants="法定劳动年龄内、有劳动能力和就业要求的农村劳动力",
        legal=[EMPLOY_LAW, ("就业服务与就业管理规定", "人社部令第47号（2022年修订）", "")], result=("就业创业证", "证照"),
        keywords=["就业登记", "失业登记", "就业证", "找工作"])
    add("劳动力需求与务工岗位信息咨询", "public", ["就业信息"], "county", RENSHE, 0, 0,
        [], steps_public("提供本地和区外用工岗位信息，推荐到招聘会", "村代办员"),
        applicants="求职村民和用工单位", legal=[EMPLOY_LAW], result=("岗位信息", "信息"),
        keywords=["找工作", "打工", "招工", "用工", "务工信息"], needs_id=False)
    add("人才需求信息发布与对接", "public", ["就业信息"], "county", RENSHE, 0, 0,
        [], steps_public("登记合作社、企业用人需求，在公开栏和微信群发布", "村代办员"),
        applicants="需要招人的合作社、家庭农牧场、企业", result=("发布信息", "信息"),
        keywords=["招人", "人才", "雇人"], needs_id=False)
    add("职业技能培训报名", "proxy", ["就业信息", "农技信息"], "county", RENSHE, 10, 5,
        [ID_COPY, form("培训报名表")], steps_proxy("county", RENSHE, "5个工作日内"),
        applicants="有培训意愿的农村劳动力", legal=[EMPLOY_LAW], result=("培训通知", "通知"),
        keywords=["学技术", "培训", "技能培训", "厨师", "电焊"])
    add("创业担保贷款申请", "remote", ["就业信息", "市场主体"], "county", RENSHE, 20, 15,
        [ID, m("营业执照或经营场所证明", 1, 1), m("创业项目说明", 1, 0)],
        steps_remote(RENSHE, "15个工作日内", inspect="经办银行调查"), applicants="返乡创业农民工、就业困难人员、退役军人等",
        legal=[("关于加大创业担保贷款支持力度的通知", "财金〔2020〕21号", "")], result=("贷款审批", "决定"),
        keywords=["创业贷款", "贷款", "免息贷款"])
    add("农民工欠薪投诉代递", "public", ["就业信息", "法律咨询"], "county", "旗劳动保障监察大队", 0, 0,
        [ID_COPY, m("务工证明、工资欠条等证据", 0, 1)],
        steps_public("帮助整理证据，转递劳动保障监察或引导拨打12333", "村代办员", "2个工作日内"),
        applicants="被拖欠工资的务工村民", legal=[("保障农民工工资支付条例", "国务院令第724号", "")],
        result=("投诉转递", "服务"), keywords=["欠薪", "讨工资", "拖欠工资", "要工钱"])
    add("公益性岗位申请", "proxy", ["就业信息"], "township", TOWN_SOCIAL, 20, 10,
        [ID, HUKOU_COPY, form("公益性岗位申请表")],
        steps_proxy("township", TOWN_SOCIAL, "10个工作日内", village_review="村委会评议公示"),
        applicants="就业困难人员、脱贫劳动力", legal=[(*EMPLOY_LAW[:2], "第五十五条")], result=("岗位安排", "决定"), keywords=["公益岗", "保洁员", "护林员"])

    # ---------------------------------------------------------------- 法律 / 政策 / 农技 / 市场信息（公共服务）
    add("法律咨询", "public", ["法律咨询"], "township", TOWN_JUSTICE, 0, 0,
        [], steps_public("解答或预约村法律顾问每月坐班解答", "村法律顾问"),
        applicants="村民", legal=[("中华人民共和国法律援助法", "主席令第93号", "")], result=("法律意见", "服务"),
        keywords=["问律师", "打官司", "法律", "律师"], needs_id=False,
        faq=[("咨询要花钱吗？", "村法律顾问咨询免费。")])
    add("法律援助申请代办", "proxy", ["法律咨询"], "county", SIFA, 7, 5,
        [ID, m("经济困难状况说明表", 1, 0, src="government"), m("与案件有关的材料", 0, 1)],
        steps_proxy("county", SIFA, "5个工作日内"), applicants="经济困难、需要代理或辩护的村民",
        legal=[("中华人民共和国法律援助法", "主席令第93号", "第四十三条")], result=("法律援助决定", "决定"),
        keywords=["免费律师", "法律援助", "打官司"])
    add("政策咨询", "public", ["法律咨询"], "village", VILLAGE, 0, 0,
        [], steps_public("解答惠民政策，不能解答的登记后转问相关部门", "村代办员", "3个工作日内"),
        applicants="村民", result=("政策解答", "服务"), keywords=["政策", "问问", "惠民政策"], needs_id=False)
    add("农技知识咨询与技术指导", "public", ["农技信息"], "township", TOWN_AGRI, 0, 0,
        [], steps_public("解答或联系农技员上门指导病虫害防治、施肥、饲养", "苏木乡镇农技员", "3个工作日内"),
        applicants="种养户", result=("技术指导", "服务"), keywords=["农技", "病虫害", "种地技术", "养羊技术", "技术指导"], needs_id=False)
    add("种养结构调整指导", "public", ["农技信息"], "township", TOWN_AGRI, 0, 0,
        [], steps_public("介绍适合本地的种植、养殖品种和扶持政策", "苏木乡镇农技员", "5个工作日内"),
        result=("指导意见", "服务"), keywords=["种什么", "养什么", "调结构"], needs_id=False)
    add("优良品种引进联系", "public", ["农技信息"], "township", TOWN_AGRI, 0, 0,
        [], steps_public("联系种子、种畜供应单位，组织统一采购", "村代办员", "10个工作日内"),
        result=("联系结果", "服务"), keywords=["良种", "种子", "种畜"], needs_id=False)
    add("农牧业技术培训报名", "public", ["农技信息"], "township", TOWN_AGRI, 0, 0,
        [], steps_public("登记报名，通知培训时间地点", "村代办员"),
        result=("培训通知", "通知"), keywords=["培训", "学技术", "高素质农民"], needs_id=False)
    add("土壤检测与测土配方施肥服务", "public", ["农技信息"], "county", NONGMU, 0, 0,
        [], steps_public("登记地块，协助取土样送检，反馈施肥建议", "苏木乡镇农技员", "20个工作日内"),
        result=("施肥建议卡", "服务"), keywords=["测土", "施肥", "化肥"], needs_id=False)
    add("农产品市场价格信息咨询", "public", ["农技信息", "市场主体"], "county", NONGMU, 0, 0,
        [], steps_public("提供牛羊、玉米等价格行情和收购信息", "村代办员"),
        result=("市场信息", "信息"), keywords=["行情", "价格", "羊价", "牛价", "市场信息"], needs_id=False)
    add("农副产品电商代销", "public", ["市场主体", "公益服务"], "village", VILLAGE, 0, 0,
        [], steps_public("帮助拍照上架到电商平台，联系物流", "村电商服务站"),
        result=("代销服务", "服务"), keywords=["网上卖", "电商", "卖羊肉", "直播"], needs_id=False)
    add("网购代买与快递代收", "public", ["公益服务"], "village", VILLAGE, 0, 0,
        [], steps_public("帮助网上下单，代收快递", "村电商服务站"),
        result=("代购代收", "服务"), keywords=["网购", "快递", "淘宝"], needs_id=False)
    add("助农取款、转账、缴电费、手机充值", "public", ["公益服务"], "village", "助农金融服务点", 0, 0,
        [m("本人银行卡", 1, 0)], steps_public("在助农终端办理小额取款、转账、缴费", "服务点管理员"),
        applicants="村民", result=("交易凭条", "凭证"), keywords=["取钱", "交电费", "充话费", "转账"], needs_id=False)
    add("打印、复印、扫描", "public", ["公益服务"], "village", VILLAGE, 0, 0,
        [], steps_public("为办事群众免费打印、复印办事材料", "村代办员"),
        result=("复印件", "服务"), keywords=["复印", "打印", "扫描"], needs_id=False)
    add("电话、有线电视、宽带线路维修联系", "public", ["公益服务"], "village", VILLAGE, 0, 0,
        [], steps_public("登记故障，联系运营商上门维修", "村代办员", "2个工作日内"),
        result=("报修登记", "服务"), keywords=["电视坏了", "网断了", "电话线", "报修"], needs_id=False)
    add("殡葬服务联系", "public", ["公益服务"], "county", "旗殡仪馆", 0, 0,
        [m("逝者居民身份证", 0, 1), m("居民死亡医学证明（推断）书", 0, 1)],
        steps_public("联系殡仪馆接运、火化，告知惠民殡葬补贴政策", "村代办员", "即时"),
        applicants="逝者家属", legal=[FUNERAL_RULE], result=("殡葬服务联系", "服务"),
        keywords=["办丧事", "火化", "殡仪馆", "丧葬", "人去世了"], needs_id=False)
    add("惠民殡葬补贴申请", "proxy", ["民政救助", "公益服务"], "county", MINZHENG, 20, 10,
        [m("火化证明", 1, 1), m("逝者户口注销证明", 1, 1), m("经办人居民身份证", 1, 1), BANK],
        steps_proxy("county", MINZHENG, "10个工作日内"), applicants="本地户籍逝者家属",
        legal=[FUNERAL_RULE], result=("殡葬补贴", "待遇"), keywords=["火化补贴", "丧葬补贴", "殡葬费"])
    add("高龄津贴、低保金代领服务", "public", ["民政救助", "公益服务"], "village", VILLAGE, 0, 0,
        [m("委托书", 1, 0, src="government"), m("本人银行卡或存折", 1, 0)],
        [{"name": "老人或家属签订委托书", "actor": "申请人", "time": "即时"},
         {"name": "代领款项，当面清点交付，双方签字", "actor": "村代办员", "time": "到账后3个工作日内"}],
        applicants="行动不便的高龄、失能老人和低保对象", conditions="自愿委托，每次代领当面交付并登记",
        result=("代领款项", "服务"), keywords=["代领", "低保款代领", "高龄补贴代领", "帮老人取钱", "db"], needs_id=True)
    add("老年人及弱势群体生活健康关爱服务", "public", ["公益服务"], "village", VILLAGE, 0, 0,
        [], steps_public("定期探访，联系家庭医生签约和上门体检", "村代办员", "每月"),
        applicants="独居、空巢、失能老人和留守儿童", result=("关爱服务", "服务"),
        keywords=["探访", "家庭医生", "老人体检", "空巢老人"], needs_id=False)
    add("家庭医生签约服务", "public", ["医疗保障"], "township", "苏木乡镇卫生院", 0, 0,
        [ID_COPY], steps_public("登记签约，联系卫生院家庭医生团队", "村医"),
        result=("签约服务", "服务"), keywords=["家庭医生", "签约医生", "村医"])
    add("村庄绿化与人居环境整治反映", "public", ["公益服务"], "village", VILLAGE, 0, 0,
        [], steps_public("登记问题，安排保洁员或提交村两委研究", "村代办员", "5个工作日内"),
        result=("处理结果", "服务"), keywords=["垃圾", "环境卫生", "植树", "厕所改造"], needs_id=False)
    add("农村户厕改造申请", "proxy", ["公益服务", "建房土地"], "township", "苏木乡镇人民政府（农村牧区人居环境办）", 20, 10,
        [ID, form("户厕改造申请表")], steps_proxy("township", "苏木乡镇人民政府", "10个工作日内"),
        legal=[("农村人居环境整治提升五年行动方案（2021—2025年）", "中共中央办公厅 国务院办公厅印发", "")],
        result=("改厕资格", "决定"), keywords=["厕所改造", "改厕", "卫生厕所"])
    add("文明家庭、“三美”创建指导", "public", ["文化"], "village", VILLAGE, 0, 0,
        [], steps_public("介绍评选条件，登记参评家庭", "村妇联主席"),
        result=("参评登记", "服务"), keywords=["文明家庭", "好媳妇", "五好家庭", "评选"], needs_id=False)
    add("群众文化活动、全民健身和科普活动组织", "public", ["文化"], "village", VILLAGE, 0, 0,
        [], steps_public("登记活动需求，安排场地、器材和乌兰牧骑、科普进村", "村文化管理员"),
        result=("活动安排", "服务"), keywords=["跳广场舞", "文艺演出", "健身器材", "科普"], needs_id=False)
    add("农家书屋借阅", "instant", ["文化"], "village", VILLAGE, 1, 0,
        [], [{"name": "登记借阅", "actor": "农家书屋管理员", "time": "即时"}],
        result=("借阅登记", "服务"), keywords=["借书", "看书", "书屋"], needs_id=False)

    # ---------------------------------------------------------------- 民事调解
    med_law = (*MEDIATION_LAW[:2], "第十七条、第二十二条")
    med_steps = [
        {"name": "登记纠纷，告知调解自愿原则", "actor": "村调委会", "time": "即时"},
        {"name": "了解情况，分别听取双方意见", "actor": "人民调解员", "time": "3个工作日内"},
        {"name": "组织调解；达成协议的制作调解协议书", "actor": "村调委会", "time": "按约定"},
        {"name": "调解不成的，告知通过仲裁或诉讼解决，或报苏木乡镇司法所", "actor": "村调委会", "time": "即时"},
    ]
    for name, kws, cond in [
        ("邻里纠纷调解", ["吵架", "邻居纠纷", "打架", "矛盾"], "邻里之间因通行、排水、噪音等产生的纠纷"),
        ("婚姻家庭及赡养、抚养纠纷调解", ["不养老人", "赡养", "抚养费", "家庭矛盾", "闹离婚"], "家庭成员之间的赡养、抚养、扶养纠纷"),
        ("宅基地、房屋纠纷调解", ["宅基地纠纷", "房子纠纷", "占地"], "宅基地界址、房屋使用等纠纷"),
        ("土地承包、草场边界纠纷调解", ["土地纠纷", "草场纠纷", "地界"], "承包地、草场边界及流转纠纷；仲裁可向旗农村土地承包仲裁委员会申请"),
        ("损害赔偿及其他民间纠纷调解", ["赔偿", "牲畜吃庄稼", "借钱不还", "民事调解"], "牲畜损害庄稼、小额借贷等民间纠纷"),
    ]:
        add(name, "public", ["民事调解"], "village", "嘎查村人民调解委员会", 30, 15,
            [m("当事人居民身份证", 1, 0, req="optional"), m("相关证据材料", 0, 1, req="optional")],
            med_steps, applicants="本村当事人", conditions=cond + "；已经起诉或仲裁的不再调解",
            legal=[med_law], result=("人民调解协议书", "文书"), keywords=kws, needs_id=False, visits=1,
            faq=[("调解收费吗？", "人民调解不收取任何费用。"), ("调解协议有用吗？", "有法律约束力；可共同向法院申请司法确认，对方不履行可申请强制执行。")])
    add("土地承包经营纠纷仲裁申请代递", "proxy", ["民事调解", "法律咨询"], "county", "旗农村土地承包仲裁委员会", 60, 45,
        [ID, m("仲裁申请书（一式三份）", 3, 0), m("证据材料", 0, 1)],
        steps_proxy("county", "旗农村土地承包仲裁委员会", "受理后60日内（可延长30日）"), applicants="土地承包纠纷当事人",
        legal=[("中华人民共和国农村土地承包经营纠纷调解仲裁法", "主席令第14号", "第四十八条")], result=("仲裁裁决书", "文书"),
        keywords=["土地仲裁", "承包纠纷"])

    # ---------------------------------------------------------------- 市场主体（网上远程协办）
    add("个体工商户设立登记", "remote", ["市场主体"], "county", SHICHANG, 3, 1,
        [ID, m("经营场所使用证明（房屋产权证明或租赁协议）", 0, 1, req="deferrable", notes="可作承诺后补"), form("个体工商户登记（备案）申请书")],
        steps_remote(SHICHANG, "1个工作日内"), applicants="有经营能力的自然人",
        legal=[(*MARKET_RULE[:2], "第十九条"), GETI_RULE], result=("营业执照", "证照"),
        keywords=["营业执照", "开小卖部", "开店", "个体户", "办执照"],
        faq=[("开小卖部还要办什么？", "卖烟要办烟草专卖零售许可，卖预包装食品只需备案，开饭馆要办食品经营许可。")])
    add("个体工商户变更登记", "remote", ["市场主体"], "county", SHICHANG, 3, 1,
        [ID, m("营业执照正副本", 1, 0), m("变更事项相关证明", 0, 1)], steps_remote(SHICHANG, "1个工作日内"),
        legal=[MARKET_RULE], result=("换发的营业执照", "证照"), keywords=["执照变更", "改地址", "个体户"])
    add("个体工商户注销登记", "remote", ["市场主体"], "county", SHICHANG, 3, 1,
        [ID, m("营业执照正副本", 1, 0)], steps_remote(SHICHANG, "1个工作日内"),
        legal=[MARKET_RULE], result=("准予注销登记通知书", "文书"), keywords=["注销执照", "不干了", "个体户"])
    add("个体工商户年度报告代报", "remote", ["市场主体"], "county", SHICHANG, 1, 0,
        [m("营业执照", 0, 1)], steps_remote(SHICHANG, "即时"), applicants="个体工商户（每年1月1日至6月30日报送）",
        legal=[("企业信息公示暂行条例", "国务院令第654号", "")], result=("年报公示", "登记"),
        keywords=["年报", "工商年检"], needs_id=False)
    add("农民专业合作社设立登记", "remote", ["市场主体"], "county", SHICHANG, 5, 3,
        [m("全体设立人签名的设立大会纪要", 1, 0), m("合作社章程", 1, 0), m("成员名册及出资清单", 1, 0),
         m("法定代表人、理事居民身份证", 0, 1), m("住所使用证明", 0, 1)],
        steps_remote(SHICHANG, "3个工作日内"), applicants="5名以上成员（农民至少占80%）",
        legal=[(*COOP_LAW[:2], "第十六条"), MARKET_RULE], result=("营业执照", "证照"),
        keywords=["合作社", "成立合作社", "办合作社"])
    add("农民专业合作社变更、注销登记", "remote", ["市场主体"], "county", SHICHANG, 5, 3,
        [m("成员大会决议", 1, 0), m("营业执照正副本", 1, 0), m("法定代表人居民身份证", 0, 1)],
        steps_remote(SHICHANG, "3个工作日内"), legal=[COOP_LAW, MARKET_RULE], result=("变更或注销登记", "证照"),
        keywords=["合作社变更", "合作社注销", "空壳社"])
    add("家庭农牧场名录登记", "proxy", ["市场主体", "涉农补贴"], "county", NONGMU, 20, 10,
        [ID, m("土地（草场）承包或流转合同", 0, 1), form("家庭农牧场申报表")],
        steps_proxy("county", NONGMU, "10个工作日内"), applicants="以家庭成员为主要劳动力的规模经营户",
        legal=[("关于实施家庭农场培育计划的指导意见", "中农发〔2019〕16号", "")], result=("名录登记", "登记"),
        keywords=["家庭农场", "家庭牧场"])
    add("食品经营许可（小餐饮）", "remote", ["市场主体"], "county", SHICHANG, 10, 5,
        [ID, m("经营场所平面图和设备布局", 1, 0), m("从业人员健康证明", 0, 1), m("营业执照", 0, 1)],
        steps_remote(SHICHANG, "5个工作日内", inspect="现场核查"),
        legal=[("食品经营许可和备案管理办法", "国家市场监督管理总局令第78号", "")], result=("食品经营许可证", "证照"),
        keywords=["开饭馆", "餐饮许可", "食品许可"])
    add("仅销售预包装食品备案", "remote", ["市场主体"], "county", SHICHANG, 1, 0,
        [ID, m("营业执照", 0, 1)], steps_remote(SHICHANG, "当场备案"),
        legal=[("食品经营许可和备案管理办法", "国家市场监督管理总局令第78号", "")], result=("备案信息", "登记"),
        keywords=["小卖部卖食品", "食品备案"])
    add("烟草专卖零售许可证申办", "remote", ["市场主体"], "county", "旗烟草专卖局", 20, 10,
        [ID, m("营业执照", 0, 1), m("经营场所使用证明", 0, 1), form("烟草专卖零售许可证申请表")],
        steps_remote("旗烟草专卖局", "10个工作日内", inspect="实地核查经营场所"),
        legal=[("中华人民共和国烟草专卖法实施条例", "国务院令第223号", ""), ("烟草专卖许可证管理办法", "工业和信息化部令第37号", "")],
        result=("烟草专卖零售许可证", "证照"), keywords=["烟草证", "烟证", "卖烟"])
    add("动物防疫条件合格证（养殖场）", "remote", ["市场主体", "农技信息"], "county", NONGMU, 15, 10,
        [ID, m("场所地理位置图、平面布局图", 1, 0), m("防疫制度和人员情况", 1, 0)],
        steps_remote(NONGMU, "10个工作日内", inspect="现场审查"), applicants="规模养殖场",
        legal=[("中华人民共和国动物防疫法", "2021年修订", "第二十五条"), ("动物防疫条件审查办法", "农业农村部令2022年第8号", "")],
        result=("动物防疫条件合格证", "证照"), keywords=["养殖场证", "防疫合格证"])
    add("取水许可（农业灌溉机电井）", "remote", ["市场主体", "涉农补贴"], "county", SHUILI, 45, 30,
        [ID, m("取水许可申请书", 1, 0), m("水资源论证或取水说明", 1, 0), m("灌溉面积和用途说明", 1, 0)],
        steps_remote(SHUILI, "30个工作日内", inspect="现场勘查"),
        legal=[("取水许可和水资源费征收管理条例", "国务院令第460号（2017年修订）", "第二十二条")],
        result=("取水许可证", "证照"), keywords=["打井", "机电井", "浇地用水"])

    # ---------------------------------------------------------------- 交通
    add("道路货物运输经营许可（个体货车）", "remote", ["交通"], "county", JIAOTONG, 20, 10,
        [ID, m("机动车行驶证", 1, 1), m("驾驶员从业资格证", 1, 1), form("道路货物运输经营申请表")],
        steps_remote(JIAOTONG, "10个工作日内"), applicants="使用总质量4.5吨以上货车从事运输的个体户",
        conditions="总质量4.5吨及以下普通货车从事普通货运无需办理",
        legal=[(*ROAD_RULE[:2], "第二十四条"), ("道路货物运输及站场管理规定", "交通运输部令2023年第12号", "")],
        result=("道路运输经营许可证", "证照"), keywords=["运输证", "货运许可", "拉货", "跑运输"])
    add("道路运输证（车辆营运证）配发", "remote", ["交通"], "county", JIAOTONG, 10, 5,
        [m("道路运输经营许可证", 0, 1), m("机动车行驶证", 1, 1), m("车辆技术等级评定或检测报告", 0, 1)],
        steps_remote(JIAOTONG, "5个工作日内"), legal=[(*ROAD_RULE[:2], "第二十六条")], result=("道路运输证", "证照"),
        keywords=["营运证", "运输证", "车证"])
    add("道路运输从业人员从业资格证（货运）", "remote", ["交通", "就业信息"], "county", JIAOTONG, 10, 5,
        [ID, m("机动车驾驶证", 1, 1), photo(1)], steps_remote(JIAOTONG, "考试合格后5个工作日内", inspect="参加考试"),
        legal=[("道路运输从业人员管理规定", "交通运输部令2022年第38号", "")], result=("从业资格证", "证照"),
        keywords=["从业资格证", "货运资格证", "开货车"])
    add("农村客运班线、校车等公交出行信息咨询", "public", ["交通"], "county", JIAOTONG, 0, 0,
        [], steps_public("提供班车时刻和包车联系方式", "村代办员"),
        result=("出行信息", "信息"), keywords=["班车", "坐车", "公交"], needs_id=False)
    add("农用拖拉机、联合收割机登记与驾驶证代办", "remote", ["交通", "涉农补贴"], "county", NONGMU, 10, 5,
        [ID, m("购机发票和合格证", 1, 1), photo(2)], steps_remote(NONGMU, "5个工作日内", inspect="查验机具"),
        legal=[("拖拉机和联合收割机登记规定", "农业部令2018年第2号", "")], result=("号牌、行驶证或驾驶证", "证照"),
        keywords=["拖拉机上牌", "拖拉机驾照", "农机牌照"])

    # ---------------------------------------------------------------- 林草
    add("林木采伐许可证核发", "remote", ["林草"], "county", LINCAO, 20, 10,
        [ID, m("林木权属证明（林权证或承包合同）", 1, 1), form("林木采伐申请表"), m("采伐作业设计或伐区调查材料", 1, 0, req="optional", notes="采伐自留山、房前屋后个人所有零星林木以外的提供")],
        steps_remote(LINCAO, "10个工作日内", inspect="伐区现场查验"),
        applicants="采伐林地上林木的个人和单位", conditions="农村居民采伐自留地和房前屋后个人所有的零星林木不需要申请",
        legal=[FOREST_LAW, ("中华人民共和国森林法实施条例", "国务院令第278号（2018年修订）", "")],
        result=("林木采伐许可证", "证照"), keywords=["砍树", "伐树", "采伐证", "林木采伐"],
        faq=[("自家院里的树要办吗？", "房前屋后个人所有的零星树木不需要办理采伐许可。")])
    add("林权类不动产登记代办", "remote", ["林草"], "county", ZIRAN, 30, 20,
        [ID, m("林权证或承包合同", 1, 1), m("宗地图", 1, 0, src="government")],
        steps_remote(ZIRAN, "20个工作日内", inspect="权籍调查"),
        legal=[("不动产登记暂行条例", "国务院令第656号（2024年修订）", "")], result=("不动产权证书（林权）", "证照"),
        keywords=["林权证", "林地确权"])
    add("森林草原防火期野外用火申请", "proxy", ["林草"], "township", TOWN_FOREST, 3, 1,
        [ID, m("用火地点和防范措施说明", 1, 0)], steps_proxy("township", TOWN_FOREST, "1个工作日内"),
        applicants="防火期内因生产需要野外用火的村民",
        legal=[("森林防火条例", "国务院令第541号", "第二十五条"), ("草原防火条例", "国务院令第542号", "")],
        result=("用火许可", "批文"), keywords=["烧荒", "野外用火", "防火"])
    add("造林绿化与退耕还林（草）补助申报", "proxy", ["林草", "涉农补贴"], "county", LINCAO, 30, 20,
        [ID, m("造林地块和面积登记", 1, 0), BANK],
        steps_proxy("county", LINCAO, "20个工作日内", field_check="核查造林面积和成活率"),
        legal=[("退耕还林条例", "国务院令第367号（2016年修订）", "")], result=("造林补助", "待遇"),
        keywords=["退耕还林", "种树补贴", "造林补贴"])
    add("生态护林员选聘报名", "proxy", ["林草", "就业信息"], "county", LINCAO, 20, 10,
        [ID, HUKOU_COPY], steps_proxy("county", LINCAO, "10个工作日内", village_review="村委会推荐公示"),
        applicants="脱贫户和监测户中有劳动能力的人员", legal=[FOREST_LAW[:2] + ("",)], result=("选聘结果", "决定"), keywords=["护林员", "草管员"])
    add("草原征占用审核（临时占用草原）", "remote", ["林草"], "county", LINCAO, 20, 15,
        [ID, m("占用草原申请和用途说明", 1, 0), m("草原权属证明及补偿协议", 1, 1)],
        steps_remote(LINCAO, "15个工作日内", inspect="现场查验"),
        legal=[("中华人民共和国草原法", "2021年修正", "第四十条"), ("草原征占用审核审批管理规范", "林草规〔2020〕2号", "")],
        result=("草原征占用审核同意书", "批文"), keywords=["占草场", "征占用草原"])
    add("野生动物致害补偿申请", "proxy", ["林草", "涉农补贴"], "county", LINCAO, 30, 20,
        [ID, m("损失现场照片", 1, 0), BANK],
        steps_proxy("county", LINCAO, "20个工作日内", field_check="现场勘验损失"),
        applicants="因野猪、狼等野生动物造成人身伤亡或牲畜、庄稼损失的村民",
        legal=[("中华人民共和国野生动物保护法", "2022年修订", "第十九条")], result=("补偿金", "待遇"),
        keywords=["狼咬羊", "野猪", "野生动物损害"])

    # ---------------------------------------------------------------- 文化娱乐（网上远程协办）
    add("娱乐场所经营许可", "remote", ["文化", "市场主体"], "county", WENLV, 20, 15,
        [ID, m("营业执照", 0, 1), m("场所平面图和消防安全材料", 1, 0), form("娱乐场所经营申请表")],
        steps_remote(WENLV, "15个工作日内", inspect="实地检查"),
        legal=[("娱乐场所管理条例", "国务院令第458号（2020年修订）", "第九条")], result=("娱乐经营许可证", "证照"),
        keywords=["歌厅", "KTV", "娱乐许可"])
    add("营业性演出审批", "remote", ["文化"], "county", WENLV, 3, 2,
        [m("演出申请表和演出节目内容", 1, 0), m("演员名单和身份证明", 0, 1), m("场地安全证明", 0, 1)],
        steps_remote(WENLV, "2个工作日内"), applicants="在本地举办营业性演出（那达慕、庙会演出等）的单位或个人",
        legal=[("营业性演出管理条例", "国务院令第528号（2020年修订）", "第十三条")], result=("营业性演出批准文件", "批文"),
        keywords=["演出审批", "唱戏", "那达慕演出", "文艺演出"])
    add("群众性文化体育活动（那达慕等）安全许可", "remote", ["文化"], "county", GONGAN, 20, 7,
        [m("举办者身份证明", 0, 1), m("活动方案和安全工作方案", 1, 0), m("场地使用证明", 0, 1)],
        steps_remote(GONGAN, "7个工作日内", inspect="安全检查"), applicants="举办预计参加人数1000人以上活动的单位",
        legal=[("大型群众性活动安全管理条例", "国务院令第505号", "第十一条")], result=("大型群众性活动安全许可", "批文"),
        keywords=["那达慕", "搞活动", "大型活动"])
    add("互联网上网服务营业场所（网吧）筹建咨询", "public", ["文化", "市场主体"], "county", WENLV, 0, 0,
        [], steps_public("告知设立条件和到旗政务服务中心申请的方式", "村代办员"),
        legal=[("互联网上网服务营业场所管理条例", "国务院令第363号（2022年修订）", "")], result=("办理指引", "告知"),
        keywords=["网吧", "开网吧"], needs_id=False)
    add("公共场所卫生许可（宾馆、浴室、理发店）", "remote", ["市场主体", "文化"], "county", WEIJIAN, 20, 10,
        [ID, m("营业执照", 0, 1), m("卫生检测报告", 1, 0), m("从业人员健康证明", 0, 1)],
        steps_remote(WEIJIAN, "10个工作日内", inspect="现场审查"),
        legal=[("公共场所卫生管理条例", "国务院令第714号（2019年修订）", "第八条")], result=("公共场所卫生许可证", "证照"),
        keywords=["卫生许可", "开旅店", "开澡堂"])
    add("牧家乐、农家乐经营咨询与登记协办", "public", ["文化", "市场主体"], "county", WENLV, 0, 0,
        [], steps_public("告知营业执照、食品经营、消防等手续，协助网上申报", "村代办员"),
        result=("办理指引", "告知"), keywords=["农家乐", "牧家乐", "乡村旅游"], needs_id=False)

    # ---------------------------------------------------------------- 其他常见代办
    add("城乡居民社会保障卡申领、补换", "proxy", ["社会保障", "医疗保障"], "county", RENSHE, 20, 10,
        [ID, photo(1)], steps_proxy("county", RENSHE, "10个工作日内"), applicants="参加社会保险的人员",
        legal=[("社会保障卡管理办法", "人社部发〔2024〕5号", "")],
        fee={"charged": False, "standard": "首次申领免费；补换卡工本费按自治区规定（多数地区已免收）", "basis": "自治区人社、财政部门规定"},
        result=("社会保障卡", "证照"), keywords=["社保卡", "医保卡", "补社保卡"])
    add("医保电子凭证激活指导", "instant", ["医疗保障"], "village", "旗医疗保障局（村代办）", 1, 0,
        [ID], [{"name": "用“国家医保服务平台”APP或微信激活医保电子凭证", "actor": "村代办员", "time": "即时"}],
        result=("医保电子凭证", "证照"), keywords=["医保码", "电子医保卡", "激活医保"])
    add("“蒙速办”APP注册与使用指导", "instant", ["公益服务"], "village", VILLAGE, 1, 0,
        [ID], [{"name": "帮助下载、实名注册、人脸认证", "actor": "村代办员", "time": "即时"}],
        result=("注册成功", "服务"), keywords=["蒙速办", "手机办事", "网上办事", "app"])
    add("政务服务事项网上预约", "instant", ["公益服务"], "village", VILLAGE, 1, 0,
        [ID], [{"name": "在一体化平台预约苏木乡镇或旗大厅办理时间", "actor": "村代办员", "time": "即时"}],
        result=("预约号", "凭证"), keywords=["预约", "取号", "排队"])
    add("学生资助政策咨询与助学贷款代办", "proxy", ["就业信息", "民政救助"], "county", "旗学生资助管理中心", 10, 5,
        [m("学生及共同借款人居民身份证", 1, 1), HUKOU_COPY, m("录取通知书或学籍证明", 1, 1)],
        steps_proxy("county", "旗学生资助管理中心", "5个工作日内"), applicants="考上大学、家庭经济困难的学生",
        legal=[("学生资助资金管理办法", "财教〔2021〕310号", "")], result=("生源地信用助学贷款", "待遇"),
        keywords=["助学贷款", "上大学", "学费", "雨露计划"])
    add("雨露计划职业教育补助申请", "proxy", ["就业信息", "民政救助"], "county", "旗乡村振兴局", 30, 20,
        [ID, HUKOU_COPY, m("学籍证明", 1, 0), BANK],
        steps_proxy("county", "旗乡村振兴局", "20个工作日内"), applicants="脱贫户、监测户家庭中接受中高职教育的子女",
        legal=[("中共中央 国务院关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见", "", "")],
        result=("职业教育补助", "待遇"), keywords=["雨露计划", "上职高", "职校补助"])
    add("兵役登记", "remote", ["社会保障"], "county", "旗人民武装部", 1, 0,
        [ID], steps_remote("旗人民武装部", "即时"), applicants="当年年满18周岁的男性公民",
        legal=[("中华人民共和国兵役法", "2021年修订", "第十五条")], result=("兵役登记", "登记"),
        keywords=["当兵", "征兵", "服兵役", "兵役登记"])
    add("未成年人、老年人监护人确定", "proxy", ["民事调解", "民政救助"], "village", VILLAGE, 30, 15,
        [ID, HUKOU, m("有关亲属意见", 1, 0)],
        steps_proxy("village", VILLAGE, "15个工作日内", village_review="村委会征求近亲属意见后指定"),
        applicants="对监护人确定有争议或无人监护的家庭",
        legal=[("中华人民共和国民法典", "主席令第45号", "第三十一条、第三十二条")], result=("指定监护书", "文书"),
        keywords=["监护人", "没人管孩子", "指定监护"])
    add("婚姻登记预约与材料指引", "public", ["户籍证件"], "county", MINZHENG, 0, 0,
        [ID, HUKOU], steps_public("告知双方本人到旗婚姻登记处办理，帮助预约", "村代办员"),
        applicants="准备结婚或离婚的村民", legal=[("婚姻登记条例", "国务院令第387号（2024年修订）", "")],
        result=("办理指引", "告知"), keywords=["结婚证", "领证", "离婚", "结婚登记"])
    add("出生医学证明补发指引", "public", ["生育", "户籍证件"], "county", WEIJIAN, 0, 0,
        [m("父母居民身份证", 0, 1)], steps_public("告知到出生医院或旗妇幼保健院申请补发", "村代办员"),
        legal=[("国家卫生健康委关于启用和规范管理新版《出生医学证明》的通知", "国卫妇幼发〔2023〕14号", "")],
        result=("办理指引", "告知"), keywords=["出生证丢了", "出生医学证明"])
    add("村务公开与“一事一议”事项登记", "public", ["公益服务"], "village", VILLAGE, 0, 0,
        [], steps_public("登记涉及多数村民利益的事项，提交村两委和村民代表会议讨论", "村代办员", "下次村民代表会议"),
        legal=[VILLAGE_LAW], result=("议事结果公开", "服务"), keywords=["一事一议", "村务公开", "修路"], needs_id=False)


def main() -> int:
    build()
    catalogue = {
        "version": 1,
        "published": "2026-01-01",
        "title": "村（嘎查）级便民服务事项清单（示例）",
        "sample": True,
        "note": ("示例数据：用于开发、演示和培训，将由旗县政务服务中心公布的村级事项清单替换。"
                 "办理时限、电话和部分实施主体为示意，不作为办事依据。"
                 " / Sample data, to be replaced by the county's published list."),
        "items": ITEMS,
    }
    text = yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False, width=120)
    header = ("# 示例数据（sample data）：由 tools/make_sample_catalogue.py 生成，将由旗县公布的事项清单替换。\n"
              "# Generated by tools/make_sample_catalogue.py; edit the generator or replace the whole file\n"
              "# with the county's list (bianmin catalog import XLSX --out ...), then run bianmin catalog validate.\n")
    OUT.write_text(header + text, encoding="utf-8")
    print(f"{len(ITEMS)} items -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
