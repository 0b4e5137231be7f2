"""Validation errors in the user's language, chosen by the pydantic error *type* and its context.

Pydantic's `msg` is English prose meant for developers; matching on it would break with every
pydantic release. The `type` (`string_too_short`, `decimal_parsing`, …) and `ctx` (`min_length`,
`ge`, …) are its stable interface, so both languages are written here from those. Our own
validators raise `PydanticCustomError` with types of their own (`app.kit.text`) for that reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.web.i18n import Lang

# type -> (中文, English); placeholders are ctx keys.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("必填", "Required"),
    "string_too_short": ("至少需要 {min_length} 个字符", "At least {min_length} characters"),
    "string_too_long": ("最多 {max_length} 个字符", "At most {max_length} characters"),
    "string_pattern_mismatch": ("格式不正确", "Not in the expected format"),
    "string_type": ("请填写文字", "Enter text"),
    "too_short": ("至少需要 {min_length} 项", "Choose at least {min_length}"),
    "too_long": ("最多 {max_length} 项", "At most {max_length} entries"),
    "decimal_parsing": ("请填写金额数字，例如 553.00", "Enter an amount, e.g. 553.00"),
    "decimal_type": ("请填写金额数字，例如 553.00", "Enter an amount, e.g. 553.00"),
    "decimal_max_places": (
        "最多 {decimal_places} 位小数",
        "At most {decimal_places} decimal places",
    ),
    "decimal_max_digits": ("最多 {max_digits} 位数字", "At most {max_digits} digits"),
    "decimal_whole_digits": (
        "整数部分最多 {whole_digits} 位",
        "At most {whole_digits} digits before the point",
    ),
    "finite_number": ("请填写有限的数字", "Enter a finite number"),
    "int_parsing": ("请填写整数", "Enter a whole number"),
    "int_type": ("请填写整数", "Enter a whole number"),
    "int_from_float": ("请填写整数", "Enter a whole number"),
    "float_parsing": ("请填写数字", "Enter a number"),
    "greater_than": ("须大于 {gt}", "Must be greater than {gt}"),
    "greater_than_equal": ("不能小于 {ge}", "Must be at least {ge}"),
    "less_than": ("须小于 {lt}", "Must be less than {lt}"),
    "less_than_equal": ("不能大于 {le}", "Must be at most {le}"),
    "bool_parsing": ("请选择是或否", "Choose yes or no"),
    "date_parsing": ("请填写日期，格式 YYYY-MM-DD", "Enter a date as YYYY-MM-DD"),
    "date_from_datetime_parsing": ("请填写日期，格式 YYYY-MM-DD", "Enter a date as YYYY-MM-DD"),
    "date_from_datetime_inexact": ("请只填写日期", "Enter a date without a time"),
    "date_type": ("请填写日期，格式 YYYY-MM-DD", "Enter a date as YYYY-MM-DD"),
    "datetime_parsing": ("请填写日期和时间", "Enter a date and time"),
    "datetime_from_date_parsing": ("请填写日期和时间", "Enter a date and time"),
    "time_parsing": ("请填写时间，格式 HH:MM", "Enter a time as HH:MM"),
    "uuid_parsing": ("请从列表中选择", "Choose from the list"),
    "uuid_type": ("请从列表中选择", "Choose from the list"),
    "literal_error": ("请从列表中选择", "Choose one of: {expected}"),
    "enum": ("请从列表中选择", "Choose one of: {expected}"),
    "list_type": ("请至少选择一项", "Choose at least one"),
    "extra_forbidden": ("不认识的字段", "Unknown field"),
    "url_parsing": ("请填写完整的网址，例如 https://…", "Enter a full URL, e.g. https://…"),
    "url_scheme": ("网址须以 http:// 或 https:// 开头", "The URL must start with http(s)://"),
    "url_too_long": ("网址太长", "The URL is too long"),
    "json_invalid": ("内容无法读取", "Could not be read"),
    # Our own validators (PydanticCustomError types).
    "blank": ("不能只填空格", "Must not be blank"),
    "control_characters": ("不能包含控制字符或不可见字符", "Must not contain control characters"),
    "invalid_uscc": (
        "不是有效的统一社会信用代码（18 位，末位为校验码）",
        "Not a valid USCC (18 characters ending in the check digit)",
    ),
    "one_document": ("请选择一张发票或一张纸质凭证", "Choose one invoice or one paper voucher"),
    "document_twice": ("同一张票据选了两次", "A document is chosen twice"),
    "date_range_reversed": ("结束日期不能早于开始日期", "The end is before the start"),
    "grades_out_of_order": (
        "商务座职级不能低于一等座职级",
        "Must not be below the first-class grade",
    ),
    "cabin_letters": (
        "舱位字母须为 A–Z，且每个字母只属于一个舱等",
        "Letters A-Z, each in one cabin class only",
    ),
    "cabin_letter": ("请填写一个舱位字母（A–Z）", "Enter one booking-class letter (A-Z)"),
    "air_only": ("只有航空行程单填写此项", "Only paper itineraries (air) have this"),
    "wrong_kind": ("与凭证类型不符（火车填车次，飞机填航班号）", "Does not match the kind"),
    "not_printable_ascii": (
        "只能使用可打印的 ASCII 字符",
        "Printable ASCII characters only",
    ),
    "period_range_reversed": ("截止期间不能早于起始期间", "The end period is before the start"),
    "month_format": ("请填写期间，格式 YYYY-MM", "Enter a period as YYYY-MM"),
    "paid_before_booking": (
        "付款日期不能早于入账凭证的日期",
        "The payment date is before the booking voucher's date",
    ),
    # Rules the services name in ValidationProblem(code=...): people and substitutes.
    "own_account_deactivated": ("不能停用自己的账户", "You cannot deactivate your own account"),
    "own_admin_role_removed": (
        "不能取消自己的管理员角色",
        "You cannot remove your own administrator role",
    ),
    "own_manager": ("用户不能是自己的直属上级", "A user is not their own manager"),
    "unknown_user": ("没有这个用户", "No such user"),
    "current_password_wrong": ("当前密码不正确", "This is not your current password"),
    "passwords_differ": ("两次输入的密码不一致", "The two passwords differ"),
    "inactive_user": ("该用户不存在或已停用", "No active user is chosen"),
    "substitute_is_approver": (
        "不能指定自己为代理人",
        "An approver does not stand in for themselves",
    ),
    "substitute_not_approver": (
        "代理人须具有审批人角色",
        "A substitute must have the approver role",
    ),
    "not_entity_approver": (
        "须是该报销单所属法人实体的在职审批人",
        "Must be an active approver of the claim's legal entity",
    ),
    "own_claim": ("不能审批自己的报销单", "Nobody approves their own claim"),
    "level_not_pending": (
        "这一级已审批或不存在",
        "This level is approved already or does not exist",
    ),
    "approves_other_level": (
        "此人已审批或负责该报销单的另一级",
        "Already approves another level of this claim",
    ),
    "substitute_outside_entities": (
        "代理人须在审批人所属的每个法人实体任职",
        "A substitute must work for every legal entity of the approver",
    ),
}
# Any other type: a plain word rather than English prose in a Chinese page.
FALLBACK = ("内容无效", "Invalid value")


def validation_message(lang: Lang, error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) as words beside a field."""
    zh, en = MESSAGES.get(str(error.get("type", "")), FALLBACK)
    template = en if lang == "en" else zh
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        # A pydantic release that drops a ctx key must not turn a form error into a 500.
        return FALLBACK[1] if lang == "en" else FALLBACK[0]
