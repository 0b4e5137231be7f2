"""English texts of fixing things in place: draft edits, paper scans, 红字 reversal, the 报销单."""

from __future__ import annotations

FIXING_EN: dict[str, str] = {
    "确认": "Confirmation",
    "请先勾选确认框。": "Tick the confirmation box first.",
    "单号": "Claim no.",
    "修改标题和事由": "Edit title and purpose",
    "如：为同事代购": "e.g. bought for a colleague",
    "保存说明": "Save note",
    "删除草稿后，其中的票据回到可报销状态；删除不能撤销。": (
        "Deleting the draft makes its documents claimable again; it cannot be undone."
    ),
    "确认删除这份草稿": "Yes, delete this draft",
    "删除草稿": "Delete draft",
    "草稿 {number} 已删除，其中的票据可以重新报销。": (
        "Draft {number} was deleted; its documents can be claimed again."
    ),
    "标题和事由已保存。": "Title and purpose saved.",
    "说明已保存。": "Note saved.",
    "扫描件": "Scan",
    "扫描件已上传。": "The scan was uploaded.",
    "下载扫描件": "Download scan",
    "更换扫描件": "Replace scan",
    "上传扫描件": "Upload scan",
    "凭证扫描件": "Scan of the voucher",
    "PDF、JPG 或 PNG；可用手机拍照。也可以登记后在列表里上传。": (
        "PDF, JPG or PNG; a phone photo will do. You can also upload it from the list later."
    ),
    "扫描件须为 PDF、JPG 或 PNG 文件。": "A scan must be a PDF, JPG or PNG file.",
    "出错后请重新选择文件。": "After an error, choose the file again.",
    "被冲销的凭证": "Reverses voucher",
    "已被冲销": "Reversed by",
    "已生成红字凭证": "Reversing voucher posted:",
    "已过账的凭证不能修改：冲销生成一张金额为负的红字凭证，记入冲销日期所在的会计期间。": (
        "A posted voucher is never edited: the reversal posts the same lines with negative "
        "amounts in the period of the reversal date."
    ),
    "冲销原因": "Reason",
    "冲销日期": "Reversal date",
    "确认冲销凭证 {number}": "Yes, reverse voucher {number}",
    "冲销此凭证": "Reverse this voucher",
    "{n} 张": "{n}",
}
