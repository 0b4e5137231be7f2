"""English texts of the interface, keyed by the Chinese source text used in templates and code."""

from __future__ import annotations

from app.web.messages_en_admin import ADMIN_EN
from app.web.messages_en_employee import EMPLOYEE_EN
from app.web.messages_en_fixing import FIXING_EN
from app.web.messages_en_office import OFFICE_EN
from app.web.messages_en_workflow import AUDIT_EN, CLAIMS_EN, LEDGER_EN, SETTINGS_EN

EN: dict[str, str] = {
    # Frame and navigation
    "铁路电子发票报销": "Railway e-invoice claims",
    "语言": "Language",
    "退出": "Log out",
    "我的": "Mine",
    "财务": "Finance",
    "管理": "Administration",
    "工作台": "Dashboard",
    "上传发票": "Upload invoices",
    "我的发票": "My invoices",
    "纸质报销凭证": "Paper vouchers",
    "待认领发票": "Unassigned invoices",
    "待收纸质原件": "Paper originals to receive",
    "用户": "Users",
    "法人实体": "Legal entities",
    "API 令牌": "API tokens",
    # Roles
    "员工": "Employee",
    "审批人": "Approver",
    "审计": "Auditor",
    "管理员": "Administrator",
    # Shared
    "查看已有的发票": "Open the stored invoice",
    "回到第一页": "First page",
    "下一页": "Next page",
    "乘车日期": "Travel date",
    "车次": "Train",
    "车次/航班": "Train / flight",
    "航班": "Flight",
    "火车": "Train",
    "飞机": "Flight",
    "经济舱": "economy",
    "公务舱": "business",
    "头等舱": "first",
    "航段": "Flights",
    "登记纸质行程单": "Register a paper itinerary",
    "改为登记火车票报销凭证": "Register a train's paper voucher instead",
    "改为登记航空纸质行程单": "Register a flight's paper itinerary instead",
    "航班号": "Flight",
    "出发机场": "From (airport)",
    "到达机场": "To (airport)",
    "舱位字母": "Booking class",
    "燃油附加费（元）": "Fuel surcharge (CNY)",
    "民航发展基金（元）": "Civil aviation fund (CNY)",
    "其他税费（元）": "Other taxes (CNY)",
    "燃油附加费": "Fuel surcharge",
    "民航发展基金": "Civil aviation fund",
    "其他税费": "Other taxes",
    "价税合计": "Total incl. tax",
    "发票号码、车次或车站（机场）": "Invoice number, train or station (airport)",
    "行程": "Route",
    "乘车人": "Passenger",
    "票价": "Fare",
    "状态": "Status",
    "发票号码": "Invoice number",
    "提示": "Warnings",
    "全部": "All",
    "请求编号": "Request id",
    "回到工作台": "Back to the dashboard",
    "请按提示修改标出的字段。": "Correct the marked fields.",
    "名称": "Name",
    "创建时间": "Created",
    "创建": "Create",
    "查看": "Open",
    "下载": "Download",
    "记录": "Record",
    # Statuses and outcomes
    "可报销": "Available",
    "报销中": "In a claim",
    "已入账": "Booked",
    "已作废": "Void",
    "查验一致": "Verified",
    "查验不一致": "Verification mismatch",
    "未查验": "Not verified",
    "查验失败": "Verification failed",
    "已上传": "Uploaded",
    "已补充版式文件": "Rendition added",
    "重复": "Duplicate",
    "未接收": "Refused",
    "售票": "Sale",
    "退票费": "Refund fee",
    "改签费": "Change fee",
    "差额": "Fare difference",
    # Login and dashboard
    "登录": "Log in",
    "上传铁路电子客票发票，在线报销。": "Upload railway e-ticket invoices and claim online.",
    "锁定至": "Locked until",
    "用户名": "Username",
    "密码": "Password",
    "您好，{name}": "Hello, {name}",
    "拖入 12306 下载的 PDF、OFD 或 ZIP 文件": "Drop the PDF, OFD or ZIP files from 12306",
    "登记纸质报销凭证": "Register a paper voucher",
    "仅限 2025-09-30 及以前乘车的行程": "Only for trips up to 2025-09-30",
    "查看、筛选和下载已上传的发票": "Browse, filter and download your invoices",
    "最近的发票": "Recent invoices",
    "还没有发票。": "No invoices yet.",
    "没有待认领的发票。": "No unassigned invoices.",
    "没有待收的纸质原件。": "No paper originals waiting.",
    # Invoice list and detail
    "乘车日期从": "Travel date from",
    "至": "to",
    "搜索": "Search",
    "筛选": "Filter",
    "按上传时间排列，最新的在前。": "Sorted by upload time, newest first.",
    "没有符合条件的发票。": "No invoices match.",
    "发票": "Invoice",
    "已记录用途确认日期。": "The deduction confirmation date is recorded.",
    "发票信息": "Invoice",
    "业务类型": "Business type",
    "红字": "red-letter",
    "开票日期": "Issue date",
    "电子客票号": "E-ticket number",
    "不含税金额": "Amount excl. tax",
    "税额": "Tax",
    "购买方": "Buyer",
    "查验": "Verification",
    "用途确认日期": "Deduction confirmed on",
    "未确认": "Not confirmed",
    "上传时间": "Uploaded",
    "原始文件": "Original files",
    "用途确认": "Deduction confirmation (用途确认)",
    "在税务数字账户完成用途确认（抵扣勾选）后，记录确认日期；进项税额按确认月份申报。": (
        "After confirming the invoice for deduction in the tax digital account, record the "
        "date; its input VAT is declared in that month."
    ),
    "确认日期": "Confirmed on",
    "预览": "Preview",
    "发票预览": "Invoice preview",
    "这张发票没有 PDF 版式文件，请下载 OFD 后用版式阅读器打开。": (
        "This invoice has no PDF; download the OFD and open it in an OFD reader."
    ),
    # Upload
    "把 12306 下载的电子发票（PDF、OFD、XML）或打包的 ZIP 拖到下面，也可以点击选择文件。"
    "每个文件单独上传，一个文件出错不影响其他文件。单个文件不超过 {mb} MB。": (
        "Drag the e-invoices downloaded from 12306 (PDF, OFD, XML) or their ZIP below, or click "
        "to choose files. Each file uploads on its own; one bad file never stops the others. "
        "Up to {mb} MB per file."
    ),
    "文件太大": "File too large",
    "上传失败，请检查网络后重试。": "Upload failed; check the network and try again.",
    "上传中": "Uploading",
    "拖放文件到这里": "Drop files here",
    "或": "or",
    "选择文件": "choose files",
    "上传结果": "Results",
    "文件": "File",
    "进度": "Progress",
    "结果": "Outcome",
    "说明": "Notes",
    "还没有上传文件。": "Nothing uploaded yet.",
    # Paper vouchers
    "登记凭证": "Register a voucher",
    "凭证已登记。请把纸质原件交给财务。": (
        "The voucher is registered. Hand the paper original to finance."
    ),
    "印刷序号": "Serial number",
    "原件": "Original",
    "已收": "Received",
    "未收": "Not received",
    "还没有登记纸质报销凭证。": "No paper vouchers registered.",
    "过渡期规则": "Transition rule",
    "2024 年 11 月 1 日起，铁路推行电子发票；过渡期内仍可凭纸质“报销凭证”报销。"
    "乘车日期在 {date} 及以前的行程可以登记纸质凭证；{date} 之后乘车的行程只能凭电子发票报销，"
    "系统会拒绝登记。": (
        "Railway e-invoices started on 1 November 2024; during the transition the paper "
        "报销凭证 still counts. Trips on or before {date} may be claimed with a paper voucher; "
        "trips after {date} are claimed only with the e-invoice, and registration is refused."
    ),
    "同一张车票只能报销一次：已用电子发票报销的车票不能再登记纸质凭证，反之亦然。"
    "登记后请把纸质原件交给财务。": (
        "A ticket is reimbursed once: a ticket claimed with its e-invoice cannot also be "
        "registered on paper, and the reverse. Hand the paper original to finance afterwards."
    ),
    "凭证右上角的红色序号": "The red number at the top right of the voucher",
    "出发站": "From",
    "到达站": "To",
    "席别": "Seat class",
    "票价（元）": "Fare (CNY)",
    "证件号（隐去中间位）": "ID number (middle digits masked)",
    "登记": "Register",
    "员工登记的纸质报销凭证，原件交到财务后在此签收并记录存放位置；未签收的凭证不能入账。": (
        "Paper vouchers registered by employees: when the original reaches finance, receive it "
        "here and record where it is kept. Unreceived vouchers cannot be booked."
    ),
    "已签收。": "Received.",
    "签收": "Receive",
    "签收日期": "Received on",
    "存放位置，如 档案柜A-3": "Location, e.g. cabinet A-3",
    "存放位置": "Location",
    # Administration
    "统一社会信用代码": "Unified social credit code (USCC)",
    "纳税人类型": "Taxpayer type",
    "全宗号": "Fonds code",
    "一般纳税人": "General taxpayer",
    "小规模纳税人": "Small-scale taxpayer",
    "小规模纳税人（不抵扣进项税）": "Small-scale taxpayer (no input VAT deduction)",
    "还没有法人实体。": "No legal entities yet.",
    "新建法人实体": "New legal entity",
    "名称（与发票购买方一致）": "Name (as the invoices' buyer)",
    "档案部门分配；未分配时用统一社会信用代码": (
        "Assigned by the archive authority; the USCC until then"
    ),
    "已创建用户 {name}。": "User {name} created.",
    "姓名": "Display name",
    "角色": "Roles",
    "系统账户": "Service account",
    "启用": "Active",
    "停用": "Inactive",
    "新建用户": "New user",
    "初始密码": "Initial password",
    "至少 8 位；系统账户可留空": "At least 8 characters; empty for service accounts",
    "只有一个法人实体时可不选，自动归属。": "With a single legal entity, leave empty: it is used.",
    "乘车人姓名（与车票一致）": "Passenger name (as on tickets)",
    "证件号后四位": "Last 4 of the ID number",
    "职级": "Grade",
    "部门": "Department",
    "成本中心": "Cost centre",
    "直属上级": "Manager",
    "用工形式": "Employment type",
    "劳动合同": "Employment contract",
    "劳务派遣": "Dispatched",
    "其他": "Other",
    "创建用户": "Create user",
    # API tokens
    "财务系统等通过 API 对接时使用；令牌以其所属用户的角色操作，审计日志记录该用户。": (
        "For systems such as the finance ERP; a token acts with its user's roles and the audit "
        "log names that user."
    ),
    "新令牌（只显示这一次，请立即复制保存）": "New token (shown this once: copy it now)",
    "系统只保存它的 SHA-256 摘要，丢失后只能作废重建。": (
        "Only its SHA-256 is stored; if lost, revoke it and create another."
    ),
    "有效期至": "Expires",
    "最近使用": "Last used",
    "长期": "Never",
    "作废": "Revoke",
    "没有有效的 API 令牌。": "No live API tokens.",
    "新建令牌": "New token",
    "例如 ERP 对接": "e.g. ERP integration",
    "所属用户": "User",
    "我自己": "Myself",
    "有效天数": "Valid for (days)",
    "留空表示长期有效": "Empty: no expiry",
    "创建令牌": "Create token",
}

EN.update(CLAIMS_EN)
EN.update(LEDGER_EN)
EN.update(AUDIT_EN)
EN.update(SETTINGS_EN)
EN.update(EMPLOYEE_EN)
EN.update(OFFICE_EN)
EN.update(ADMIN_EN)
EN.update(FIXING_EN)
