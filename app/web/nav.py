"""Navigation by role: one section per area, each link shown to the roles its page admits."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.models import Role
from app.auth.principal import Principal


@dataclass(frozen=True)
class NavLink:
    label: str  # Chinese source text, translated in the template
    href: str
    roles: tuple[Role, ...]  # empty: everyone logged in


@dataclass(frozen=True)
class NavSection:
    label: str
    links: tuple[NavLink, ...]


LEDGER_READERS = (Role.FINANCE, Role.AUDITOR, Role.ADMIN)

NAV: tuple[NavSection, ...] = (
    NavSection(
        "我的",
        (
            NavLink("工作台", "/", ()),
            NavLink("上传发票", "/invoices/upload", (Role.EMPLOYEE, Role.FINANCE, Role.ADMIN)),
            NavLink("我的发票", "/invoices", ()),
            NavLink("纸质报销凭证", "/paper-vouchers", ()),
            NavLink("报销单", "/claims", ()),
        ),
    ),
    NavSection(
        "审批",
        (
            NavLink("待我审批", "/approvals", (Role.APPROVER,)),
            NavLink("审批代理人", "/approval-substitutes", (Role.APPROVER, Role.ADMIN)),
        ),
    ),
    NavSection(
        "财务",
        (
            NavLink("待认领发票", "/finance/unassigned", (Role.FINANCE,)),
            NavLink("待收纸质原件", "/finance/paper-originals", (Role.FINANCE,)),
            NavLink("待入账和待支付", "/finance/claims", (Role.FINANCE,)),
            NavLink("待用途确认", "/finance/deduction-confirmations", (Role.FINANCE,)),
            NavLink("记账凭证", "/finance/vouchers", LEDGER_READERS),
            NavLink("会计期间", "/finance/periods", LEDGER_READERS),
            NavLink("进项税额", "/finance/input-vat", LEDGER_READERS),
        ),
    ),
    NavSection(
        "审计与档案",
        (
            NavLink("档案导出", "/audit/archive", (Role.AUDITOR, Role.ADMIN, Role.FINANCE)),
            NavLink("四性检测", "/audit/integrity", (Role.AUDITOR, Role.ADMIN)),
            NavLink("审计日志", "/audit/log", (Role.AUDITOR, Role.ADMIN)),
        ),
    ),
    NavSection(
        "管理",
        (
            NavLink("用户", "/admin/users", (Role.ADMIN,)),
            NavLink("改派审批", "/admin/reassign", (Role.ADMIN,)),
            NavLink("法人实体", "/admin/entities", (Role.ADMIN,)),
            NavLink("报销政策", "/admin/policy", (Role.ADMIN,)),
            NavLink("Webhook 推送", "/admin/webhooks", (Role.ADMIN,)),
            NavLink("API 令牌", "/tokens", ()),
            NavLink("我的密码", "/account/password", ()),
        ),
    ),
)


@dataclass(frozen=True)
class NavEntry:
    label: str
    href: str
    active: bool


def nav_for(principal: Principal | None, path: str) -> list[tuple[str, list[NavEntry]]]:
    """The sections and links `principal` may use, the current one marked active."""
    if principal is None:
        return []
    sections = []
    for section in NAV:
        links = [
            NavEntry(link.label, link.href, _is_active(link.href, path))
            for link in section.links
            if not link.roles or principal.has_role(*link.roles)
        ]
        if links:
            sections.append((section.label, links))
    return sections


def _is_active(href: str, path: str) -> bool:
    if href == "/":
        return path == "/"
    if href == "/claims":
        return path == "/claims" or path.startswith("/claims/")
    if href == "/invoices":
        return path == "/invoices" or (
            path.startswith("/invoices/") and not path.startswith("/invoices/upload")
        )
    return path == href or path.startswith(href + "/")
