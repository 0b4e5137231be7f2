"""Realistic value tables for synthetic invoices: stations, regions, names, trains, seats."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Station:
    """A real station as printed: name without 站, its pinyin line, its province code."""

    name: str
    pinyin: str
    region: str


# Province-level 行政区划 codes: the region digits of a 发票号码 and the tax bureau on the face.
REGION_TAX_BUREAUS: dict[str, str] = {
    "11": "北京市税务局",
    "12": "天津市税务局",
    "13": "河北省税务局",
    "14": "山西省税务局",
    "15": "内蒙古自治区税务局",
    "21": "辽宁省税务局",
    "22": "吉林省税务局",
    "23": "黑龙江省税务局",
    "31": "上海市税务局",
    "32": "江苏省税务局",
    "33": "浙江省税务局",
    "34": "安徽省税务局",
    "35": "福建省税务局",
    "36": "江西省税务局",
    "37": "山东省税务局",
    "41": "河南省税务局",
    "42": "湖北省税务局",
    "43": "湖南省税务局",
    "44": "广东省税务局",
    "45": "广西壮族自治区税务局",
    "46": "海南省税务局",
    "50": "重庆市税务局",
    "51": "四川省税务局",
    "52": "贵州省税务局",
    "53": "云南省税务局",
    "54": "西藏自治区税务局",
    "61": "陕西省税务局",
    "62": "甘肃省税务局",
    "63": "青海省税务局",
    "64": "宁夏回族自治区税务局",
    "65": "新疆维吾尔自治区税务局",
}

# Pinyin as 12306 prints it: one capitalised word, apostrophe kept where syllables would merge.
STATIONS: tuple[Station, ...] = tuple(
    Station(name, pinyin, region)
    for name, pinyin, region in (
        ("北京南", "Beijingnan", "11"),
        ("北京西", "Beijingxi", "11"),
        ("北京", "Beijing", "11"),
        ("北京丰台", "Beijingfengtai", "11"),
        ("北京朝阳", "Beijingchaoyang", "11"),
        ("天津西", "Tianjinxi", "12"),
        ("天津南", "Tianjinnan", "12"),
        ("石家庄", "Shijiazhuang", "13"),
        ("雄安", "Xiong'an", "13"),
        ("张家口", "Zhangjiakou", "13"),
        ("太原南", "Taiyuannan", "14"),
        ("大同南", "Datongnan", "14"),
        ("呼和浩特东", "Huhehaotedong", "15"),
        ("满洲里", "Manzhouli", "15"),
        ("二连", "Erlian", "15"),
        ("沈阳北", "Shenyangbei", "21"),
        ("大连北", "Dalianbei", "21"),
        ("长春西", "Changchunxi", "22"),
        ("吉林", "Jilin", "22"),
        ("哈尔滨西", "Haerbinxi", "23"),
        ("齐齐哈尔南", "Qiqihaernan", "23"),
        ("漠河", "Mohe", "23"),
        ("上海虹桥", "Shanghaihongqiao", "31"),
        ("上海", "Shanghai", "31"),
        ("上海南", "Shanghainan", "31"),
        ("南京南", "Nanjingnan", "32"),
        ("苏州北", "Suzhoubei", "32"),
        ("无锡东", "Wuxidong", "32"),
        ("徐州东", "Xuzhoudong", "32"),
        ("杭州东", "Hangzhoudong", "33"),
        ("宁波", "Ningbo", "33"),
        ("义乌", "Yiwu", "33"),
        ("合肥南", "Hefeinan", "34"),
        ("黄山北", "Huangshanbei", "34"),
        ("福州南", "Fuzhounan", "35"),
        ("厦门北", "Xiamenbei", "35"),
        ("南昌西", "Nanchangxi", "36"),
        ("济南西", "Jinanxi", "37"),
        ("青岛北", "Qingdaobei", "37"),
        ("曲阜东", "Qufudong", "37"),
        ("郑州东", "Zhengzhoudong", "41"),
        ("洛阳龙门", "Luoyanglongmen", "41"),
        ("武汉", "Wuhan", "42"),
        ("汉口", "Hankou", "42"),
        ("宜昌东", "Yichangdong", "42"),
        ("长沙南", "Changshanan", "43"),
        ("张家界西", "Zhangjiajiexi", "43"),
        ("广州南", "Guangzhounan", "44"),
        ("深圳北", "Shenzhenbei", "44"),
        ("虎门", "Humen", "44"),
        ("珠海", "Zhuhai", "44"),
        ("南宁东", "Nanningdong", "45"),
        ("桂林北", "Guilinbei", "45"),
        ("海口东", "Haikoudong", "46"),
        ("三亚", "Sanya", "46"),
        ("重庆北", "Chongqingbei", "50"),
        ("重庆西", "Chongqingxi", "50"),
        ("成都东", "Chengdudong", "51"),
        ("乐山", "Leshan", "51"),
        ("峨眉山", "Emeishan", "51"),
        ("贵阳北", "Guiyangbei", "52"),
        ("昆明南", "Kunmingnan", "53"),
        ("丽江", "Lijiang", "53"),
        ("拉萨", "Lasa", "54"),
        ("西安北", "Xi'anbei", "61"),
        ("延安", "Yan'an", "61"),
        ("兰州西", "Lanzhouxi", "62"),
        ("嘉峪关南", "Jiayuguannan", "62"),
        ("西宁", "Xining", "63"),
        ("银川", "Yinchuan", "64"),
        ("乌鲁木齐", "Wulumuqi", "65"),
        ("吐鲁番北", "Tulufanbei", "65"),
    )
)

SEAT_CLASSES: tuple[str, ...] = (
    "商务座",
    "特等座",
    "一等座",
    "二等座",
    "软卧",
    "硬卧",
    "动卧",
    "一等卧",
    "二等卧",
    "软座",
    "硬座",
    "无座",
    "高级软卧",
)

# Which seat classes each train prefix sells ("" = pure-digit 普快/普客 trains).
CLASSES_BY_PREFIX: dict[str, tuple[str, ...]] = {
    "G": ("商务座", "特等座", "一等座", "二等座", "无座"),
    "D": ("商务座", "一等座", "二等座", "动卧", "一等卧", "二等卧", "无座"),
    "C": ("商务座", "一等座", "二等座", "无座"),
    "Z": ("高级软卧", "软卧", "硬卧", "一等卧", "二等卧", "硬座", "无座"),
    "T": ("软卧", "硬卧", "软座", "硬座", "无座"),
    "K": ("软卧", "硬卧", "硬座", "无座"),
    "": ("硬卧", "软座", "硬座", "无座"),
}

# Seat letters per high-speed class: 2+3 abreast in 二等座, 2+2 in 一等座, 2+1 in 商务/特等座.
SEAT_LETTERS: dict[str, str] = {
    "商务座": "ACF",
    "特等座": "ACF",
    "一等座": "ACDF",
    "二等座": "ABCDF",
}

# Berth tiers per sleeper class: three-high in 硬卧/二等卧, two-high otherwise.
BERTHS: dict[str, tuple[str, ...]] = {
    "软卧": ("上铺", "下铺"),
    "高级软卧": ("上铺", "下铺"),
    "动卧": ("上铺", "下铺"),
    "一等卧": ("上铺", "下铺"),
    "硬卧": ("上铺", "中铺", "下铺"),
    "二等卧": ("上铺", "中铺", "下铺"),
}

# Fare ranges (yuan) by seat class: from a short 普客 hop to a long 商务座 ride.
FARE_RANGES: dict[str, tuple[int, int]] = {
    "商务座": (120, 3200),
    "特等座": (80, 1500),
    "一等座": (20, 1600),
    "二等座": (9, 1000),
    "无座": (1, 600),
    "软卧": (90, 1300),
    "高级软卧": (300, 2400),
    "硬卧": (40, 800),
    "动卧": (200, 1500),
    "一等卧": (250, 1800),
    "二等卧": (150, 1100),
    "软座": (5, 300),
    "硬座": (1, 420),
}

SURNAMES = (
    "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "慕容")
GIVEN_NAME_CHARS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志宏海峰"
    "晓雪梅琳婷颖子涵宇轩浩然欣怡思远文博嘉怡俊杰雨桐梓萱一诺天佑"
)
# Names of ethnic-minority passengers are written with a middle dot, which GBK encodes.
DOTTED_NAMES = ("阿依古丽·买买提", "艾力·吐尔逊", "扎西·次仁")

# Pieces of plausible company names: <city><trade name><industry>有限公司.
COMPANY_CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "天津")
COMPANY_TRADE_NAMES = (
    "示例",
    "华信",
    "中科",
    "远航",
    "启明",
    "蓝海",
    "恒达",
    "星辰",
    "锦程",
    "博雅",
    "鼎盛",
    "同创",
    "汇通",
    "瑞丰",
    "新元",
    "凯越",
    "宏图",
    "睿智",
    "云帆",
    "安泰",
)
COMPANY_INDUSTRIES = (
    "科技",
    "信息技术",
    "咨询",
    "工程",
    "贸易",
    "医药",
    "建设",
    "物流",
    "软件",
    "电子",
)
COMPANY_FORMS = ("有限公司", "股份有限公司", "集团有限公司")
