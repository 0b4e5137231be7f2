"""Realistic value tables for synthetic air e-itineraries: airports, carriers, booking classes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Airport:
    """A civil airport as an itinerary prints it (city + airport name), its province code."""

    name: str
    region: str


AIRPORTS: tuple[Airport, ...] = tuple(
    Airport(name, region)
    for name, region in (
        ("北京首都", "11"),
        ("北京大兴", "11"),
        ("上海虹桥", "31"),
        ("上海浦东", "31"),
        ("广州白云", "44"),
        ("深圳宝安", "44"),
        ("成都天府", "51"),
        ("成都双流", "51"),
        ("重庆江北", "50"),
        ("杭州萧山", "33"),
        ("南京禄口", "32"),
        ("武汉天河", "42"),
        ("长沙黄花", "43"),
        ("西安咸阳", "61"),
        ("昆明长水", "53"),
        ("厦门高崎", "35"),
        ("青岛胶东", "37"),
        ("海口美兰", "46"),
        ("三亚凤凰", "46"),
        ("天津滨海", "12"),
        ("沈阳桃仙", "21"),
        ("哈尔滨太平", "23"),
        ("乌鲁木齐地窝堡", "65"),
        ("拉萨贡嘎", "54"),
    )
)


# Destinations abroad, for international itineraries (国内国际标识: 国际).
FOREIGN_AIRPORTS: tuple[str, ...] = (
    "东京成田",
    "大阪关西",
    "首尔仁川",
    "新加坡樟宜",
    "曼谷素万那普",
    "吉隆坡",
    "法兰克福",
    "伦敦希思罗",
    "巴黎戴高乐",
    "洛杉矶",
)


@dataclass(frozen=True, slots=True)
class Carrier:
    """An airline: the name the 承运人 column prints and its two-character IATA code."""

    name: str
    code: str


# Codes starting with a digit (3U, 9C) are real: a flight number is not always two letters + digits.
CARRIERS: tuple[Carrier, ...] = tuple(
    Carrier(name, code)
    for name, code in (
        ("中国国际航空", "CA"),
        ("中国东方航空", "MU"),
        ("中国南方航空", "CZ"),
        ("海南航空", "HU"),
        ("厦门航空", "MF"),
        ("四川航空", "3U"),
        ("深圳航空", "ZH"),
        ("山东航空", "SC"),
        ("上海航空", "FM"),
        ("春秋航空", "9C"),
        ("吉祥航空", "HO"),
        ("首都航空", "JD"),
        ("天津航空", "GS"),
    )
)

# Booking-class letters by cabin (DOMAIN §5: they vary by airline); the same split as the
# product's default cabin table (README "Air travel"), so each drawn letter has one class there.
CABIN_LETTERS: dict[str, str] = {
    "economy": "YBMHKLQEVTGSNWXUO",
    "business": "CDJIRZ",
    "first": "FAP",
}
# Economy mostly, as a company's travel is; business and first often enough to test the policy.
CABIN_WEIGHTS: dict[str, int] = {"economy": 85, "business": 12, "first": 3}
# A published economy full fare (tax-inclusive yuan) spans short hops to cross-country flights;
# business and first cost about 1.5x and 2.5x.
FULL_FARE_RANGE: tuple[int, int] = (500, 3800)
CABIN_FACTORS: dict[str, float] = {"economy": 1.0, "business": 1.5, "first": 2.5}
# Fuel surcharge per segment (tax-inclusive yuan): short (≤ 800 km) and long routes.
FUEL_SURCHARGES: tuple[int, ...] = (0, 10, 20, 30, 40, 60, 70, 80, 120, 140)
# 民航发展基金 per domestic segment, and once per international departure.
DEVELOPMENT_FUND_PER_SEGMENT = 50
DEVELOPMENT_FUND_INTERNATIONAL = 90
# Taxes of other states and airports on an international ticket (其他税费), yuan.
FOREIGN_TAX_RANGE: tuple[int, int] = (100, 900)
# Who fills out the ticket (填开单位): the carrier itself or a ticket agent.
TICKET_AGENTS: tuple[str, ...] = (
    "携程旅行网",
    "同程旅行",
    "飞猪旅行",
    "去哪儿网",
    "北京远航商旅服务有限公司",
)
