"""English texts of the people and periods pages: user admin, approval substitutes, periods."""

from __future__ import annotations

ADMIN_EN: dict[str, str] = {
    # One user
    "编辑用户": "Edit user",
    "返回用户列表": "Back to the users",
    "基本信息和员工档案": "Account and employee profile",
    "电子邮箱": "E-mail",
    "审批和付款通知发到这里；留空则不发": "Approval and payment notices go here; empty: none",
    "通知语言": "Notification language",
    "已保存。": "Saved.",
    "设置新密码": "Set a new password",
    "新密码": "New password",
    "再输入一次": "Repeat it",
    "至少 8 位；设置后该用户的其他登录会话结束": (
        "At least 8 characters; the user's other login sessions end"
    ),
    "设置密码": "Set password",
    "已设置新密码；该用户的其他登录会话已结束。": (
        "New password set; the user's other login sessions have ended."
    ),
    "账户状态": "Account status",
    "停用用户": "Deactivate user",
    "重新启用": "Reactivate",
    "停用后该用户不能登录，所有令牌和会话立即失效；等待其审批的报销单可由管理员改派。": (
        "A deactivated user cannot log in and every token and session of theirs stops at once; "
        "claims awaiting their approval can be reassigned by an administrator."
    ),
    "重新启用后该用户可以再登录；旧的令牌和会话不会恢复。": (
        "A reactivated user can log in again; old tokens and sessions stay revoked."
    ),
    "确认停用 {name}？": "Deactivate {name}?",
    "确认重新启用 {name}？": "Reactivate {name}?",
    "确认停用": "Deactivate",
    "确认重新启用": "Reactivate",
    "取消": "Cancel",
    "该用户已经是这个状态。": "The user is already in this state.",
    "已停用该用户：不能再登录，所有令牌和会话已失效。": (
        "User deactivated: they cannot log in, and their tokens and sessions have stopped."
    ),
    "已重新启用该用户。": "User reactivated.",
    "改派等待其审批的报销单": "Reassign the claims awaiting their approval",
    "有 {n} 份已提交的报销单在等该用户审批。": (
        "{n} submitted claims wait for this user's approval."
    ),
    "停用后它们列在「改派审批」中，由管理员改派。": (
        "Once deactivated, they are listed under Reassign approvals for an administrator."
    ),
    # My account
    "我的密码": "My password",
    "更改密码": "Change password",
    "当前密码": "Current password",
    "至少 8 位": "At least 8 characters",
    "密码已修改；您在其他设备上的登录已结束。": (
        "Password changed; your logins on other devices have ended."
    ),
    # Reassigning approvals
    "改派审批": "Reassign approvals",
    "这些报销单在等已停用的审批人审批；请改派给该法人实体的另一位在职审批人。": (
        "These claims wait for a deactivated approver; hand each to another active approver of "
        "its legal entity."
    ),
    "已改派。": "Reassigned.",
    "等待审批人": "Waiting for",
    "改派给": "Reassign to",
    "级别": "Level",
    "当前等待的一级": "The level awaited now",
    "第二级": "Level 2",
    "改派": "Reassign",
    "没有等待已停用审批人的报销单。": "No claim waits for a deactivated approver.",
    # Approval substitutes
    "外出期间可指定一位审批人代为审批。": "Name an approver to decide for you while you are away.",
    "代理人须是您所在每个法人实体的在职审批人，只在所定日期内代为决定。": (
        "They must be an active approver of every legal entity you work for, and decide only on "
        "the dates given."
    ),
    "代理人": "Substitute",
    "开始日期": "From",
    "结束日期": "Until",
    "未开始": "Upcoming",
    "生效中": "In effect",
    "已结束": "Ended",
    "结束代理": "End",
    "还没有审批代理人。": "No approval substitutes yet.",
    "指定代理人": "Name a substitute",
    "指定": "Name",
    "已指定审批代理人。": "Substitute named.",
    "已结束代理。": "Substitute ended.",
    # Periods
    "结账人": "Closed by",
    "{period} 已结账。": "{period} closed.",
    "{period} 已反结账，可以继续记账。": "{period} reopened: bookings may go into it again.",
    "确认结账 {period}？": "Close {period}?",
    "确认反结账 {period}？": "Reopen {period}?",
    "本期凭证 {n} 张。": "{n} vouchers in this period.",
    "反结账后该期间重新开放，可以再记账；已归档的凭证不变。此操作记入审计日志。": (
        "Reopened, the period takes bookings again; archived vouchers stay as they are. "
        "The audit log records this."
    ),
    "该期间已经是这个状态。": "The period is already in this state.",
    "确认结账": "Close the period",
    "确认反结账": "Reopen the period",
    "返回会计期间": "Back to the periods",
}
