"""Reply outcomes (Art. 36–39) as codes of the national annual-report table (国办公开办函〔2021〕30号)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    code: str
    group: str  # the table's row group
    label: str
    needs_ground: bool = False  # 不予公开 (and partial disclosure) must cite the legal ground


_ROWS = [
    ("disclosed", "予以公开", "予以公开"),
    ("partly_disclosed", "部分公开", "部分公开", True),
    ("withheld_state_secret", "不予公开", "属于国家秘密", True),
    ("withheld_law", "不予公开", "其他法律行政法规禁止公开", True),
    ("withheld_three_safety", "不予公开", "危及“三安全一稳定”", True),
    ("withheld_third_party", "不予公开", "保护第三方合法权益", True),
    ("withheld_internal", "不予公开", "属于三类内部事务信息", True),
    ("withheld_process", "不予公开", "属于四类过程性信息", True),
    ("withheld_enforcement", "不予公开", "属于行政执法案卷", True),
    ("withheld_inquiry", "不予公开", "属于行政查询事项", True),
    ("unavailable_not_held", "无法提供", "本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "无法提供", "没有现成信息需要另行制作"),
    ("unavailable_unclear", "无法提供", "补正后申请内容仍不明确"),
    ("not_processed_petition", "不予处理", "信访举报投诉类申请"),
    ("not_processed_repeat", "不予处理", "重复申请"),
    ("not_processed_publication", "不予处理", "要求提供公开出版物"),
    ("not_processed_excessive", "不予处理", "无正当理由大量反复申请"),
    ("not_processed_confirmation", "不予处理", "要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "其他处理", "申请人无正当理由逾期不补正"),
    ("other_no_payment", "其他处理", "申请人逾期未按收费通知要求缴纳费用"),
    ("other", "其他处理", "其他"),
]

OUTCOMES = {row[0]: Outcome(*row) for row in _ROWS}
GROUPS = ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]


def get(code):
    try:
        return OUTCOMES[code]
    except KeyError:
        raise KeyError(f"unknown outcome code {code!r}") from None


def choices():
    """(code, "group：label") pairs for forms, in table order."""
    return [(o.code, o.label if o.group == o.label else f"{o.group}：{o.label}") for o in OUTCOMES.values()]


# The outcomes that give the applicant no information at all: every 不予公开, 无法提供 and 不予处理 code
# (国办函〔2020〕109号: a 按量 fee is charged for the information provided — requests_module/refunds.py).
NOTHING_PROVIDED_GROUPS = ("不予公开", "无法提供", "不予处理")


def provides_nothing(code):
    return code in OUTCOMES and OUTCOMES[code].group in NOTHING_PROVIDED_GROUPS
