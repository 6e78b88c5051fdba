"""Reply outcomes (Art. 36–39) as codes of the national annual-report table (国办公开办函〔2021〕30号)."""
from __future__ import annotations

from dataclasses import dataclass

from requests_module import disclosed, not_held


@dataclass(frozen=True)
class Outcome:
    code: str
    group: str  # the table's row group
    label: str
    # the legal ground must be typed: 不予公开, partial disclosure, and the outcomes no article of the 条例 names
    needs_ground: bool = False


_ROWS: list[tuple[str, str, str] | tuple[str, str, str, bool]] = [
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
    ("not_processed_confirmation", "不予处理", "要求行政机关确认或重新出具已获取信息", True),
    ("other_no_correction", "其他处理", "申请人无正当理由逾期不补正"),
    ("other_no_payment", "其他处理", "申请人逾期未按收费通知要求缴纳费用"),
    ("other", "其他处理", "其他", True),
]

OUTCOMES = {row[0]: Outcome(*row) for row in _ROWS}

# What the letter tells the applicant for each outcome, in the words of the law (条例 Art. 36 (1)–(7) and
# the articles it leads to); (basis, sentence) with {you} = 您 / 贵单位. The annual-report codes above only
# count; these sentences answer.
R = "《中华人民共和国政府信息公开条例》"
_WITHHELD = "本机关依据" + R + "的规定决定不予公开，告知{you}不予公开并说明理由（条例第三十六条第（三）项）：{why}。"
ANSWERS = {
    # Art. 36 (1), (2): already published → how to get it; can be disclosed → provide it or say how, where, when.
    # A reply chooses one with the concrete 方式、途径（和时间） (disclosed.sentence); this general sentence is only
    # for a reply issued before those were fields (migration 0029d).
    "disclosed": ("条例第三十六条第（一）项、第（二）项",
                  "{you}所申请公开的信息可以公开，本机关予以公开：向{you}提供该政府信息；其中已经主动公开的，"
                  "告知{you}获取该政府信息的方式、途径（条例第三十六条第（一）项、第（二）项）。"),
    # Art. 37: what can be separated is provided, the rest withheld with reasons
    "partly_disclosed": ("条例第三十七条",
                         "{you}所申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理，"
                         "本机关向{you}提供可以公开的政府信息内容，并对不予公开的内容说明理由（条例第三十七条）。"),
    "withheld_state_secret": ("条例第三十六条第（三）项、第十四条",
                              _WITHHELD.replace("{why}", "该政府信息依法确定为国家秘密（条例第十四条）")),
    "withheld_law": ("条例第三十六条第（三）项、第十四条",
                     _WITHHELD.replace("{why}", "该政府信息属于法律、行政法规禁止公开的政府信息（条例第十四条）")),
    "withheld_three_safety": ("条例第三十六条第（三）项、第十四条",
                              _WITHHELD.replace("{why}", "该政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定"
                                                         "（条例第十四条）")),
    "withheld_third_party": ("条例第三十六条第（三）项、第十五条",
                             _WITHHELD.replace("{why}", "该政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"
                                                        "（条例第十五条）")),
    "withheld_internal": ("条例第三十六条第（三）项、第十六条第一款",
                          _WITHHELD.replace("{why}", "该政府信息属于行政机关的内部事务信息（条例第十六条第一款）")),
    "withheld_process": ("条例第三十六条第（三）项、第十六条第二款",
                         _WITHHELD.replace("{why}", "该政府信息属于行政机关在履行行政管理职能过程中形成的过程性信息"
                                                    "（条例第十六条第二款）")),
    "withheld_enforcement": ("条例第三十六条第（三）项、第十六条第二款",
                             _WITHHELD.replace("{why}", "该政府信息属于行政执法案卷信息（条例第十六条第二款）")),
    # Art. 36 (7): registers whose access other laws govern (the annual report counts these as 行政查询事项)
    "withheld_inquiry": ("条例第三十六条第（七）项",
                         "{you}所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定，"
                         "本机关不在政府信息公开程序中提供，对该申请不予公开；请{you}依照有关法律、行政法规的规定办理"
                         "（条例第三十六条第（七）项）。"),
    # Art. 36 (4); the same code answered under Art. 36 (5) is worded by not_held.sentence
    "unavailable_not_held": ("条例第三十六条第（四）项、第（五）项", not_held.NOT_EXIST_SENTENCE),
    "unavailable_needs_creation": ("条例第三十八条",
                                   "{you}所申请公开的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供"
                                   "（条例第三十八条）。"),
    "unavailable_unclear": ("条例第三十条",
                            "本机关已告知{you}作出补正，补正后申请内容仍不明确，本机关无法提供所申请的政府信息（条例第三十条）。"),
    "not_processed_petition": ("条例第三十九条第一款",
                               "{you}以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关告知{you}不作为政府信息公开申请"
                               "处理，{you}可以通过相应渠道提出（条例第三十九条第一款）。"),
    # Art. 36 (6)
    "not_processed_repeat": ("条例第三十六条第（六）项",
                             "本机关已就{you}提出的政府信息公开申请作出答复，{you}重复申请公开相同政府信息，"
                             "本机关告知{you}不予重复处理（条例第三十六条第（六）项）。"),
    "not_processed_publication": ("条例第三十九条第二款",
                                  "{you}申请的内容为要求行政机关提供政府公报、报刊、书籍等公开出版物，本机关告知{you}获取的途径"
                                  "（条例第三十九条第二款）。"),
    "not_processed_excessive": ("条例第三十五条",
                                "{you}申请公开政府信息的数量、频次明显超过合理范围，本机关认为{you}说明的申请理由不合理，"
                                "告知{you}不予处理（条例第三十五条）。"),
    # No article of the 条例 names it (the annual-report row of 国办公开办函〔2021〕30号 only counts it, and a report
    # format is no legal basis): the legal ground is required and printed after this sentence ("依据：…").
    "not_processed_confirmation": ("", "{you}的申请内容为要求行政机关确认或者重新出具{you}已获取的信息，"
                                       "不属于政府信息公开申请，本机关不予处理。"),
    "other_no_correction": ("条例第三十条",
                            "{you}无正当理由逾期不补正，视为放弃申请，本机关不再处理该政府信息公开申请（条例第三十条）。"),
    "other_no_payment": ("条例第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
                         "依照条例第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
                         "{you}逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    # 其他处理: no item of Art. 36 fits, so the legal ground is required and printed after this sentence
    "other": ("", "本机关依据下列规定作出上述处理。"),
}


def answer_sentence(code: str, you: str, holder_organ: str | None = None, holder_contact: str | None = None,
                    not_held_basis: str | None = None, not_ours_reason: str | None = None,
                    disclosure_basis: str | None = None, disclosure_access: str | None = None) -> str:
    """The outcome in the law's words (条例 Art. 36 (1)–(7), 30, 35, 37–39, 42), with its article; 本机关不掌握
    is either Art. 36 (4) or (5) (requests_module/not_held.py); 予以公开 is Art. 36 (1) or (2) with the concrete
    方式、途径（和时间）, 部分公开 adds them for the disclosed part (requests_module/disclosed.py)."""
    get(code)
    if code == not_held.CODE:
        return not_held.sentence(you, not_held_basis, not_ours_reason, holder_organ, holder_contact)
    concrete = disclosed.sentence(you, code, disclosure_basis, disclosure_access)
    if code == disclosed.DISCLOSED and concrete:
        return concrete
    general = ANSWERS[code][1].format(you=you)
    return general + concrete if concrete else general


GROUPS = ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]


def get(code: str) -> Outcome:
    try:
        return OUTCOMES[code]
    except KeyError:
        raise KeyError(f"unknown outcome code {code!r}") from None


def choices() -> list[tuple[str, str]]:
    """(code, "group：label") pairs for forms, in table order."""
    return [(o.code, o.label if o.group == o.label else f"{o.group}：{o.label}") for o in OUTCOMES.values()]


# The outcomes that give the applicant no information at all: every 不予公开, 无法提供 and 不予处理 code, and
# 其他处理 "other" (e.g. a withdrawn application) (国办函〔2020〕109号: a 按量 fee is charged for the information
# provided — requests_module/refunds.py). other_no_payment: nothing was paid; other_no_correction: a correction
# notice cannot follow a fee notice (handling.send_correction_notice), so no fee was paid either.
NOTHING_PROVIDED_GROUPS = ("不予公开", "无法提供", "不予处理")
NOTHING_PROVIDED_CODES = ("other", "other_no_correction", "other_no_payment")


def provides_nothing(code: str | None) -> bool:
    """The reply gives the applicant no information (国办函〔2020〕109号 Art. 3, 5: no 按量 fee is due for it)."""
    return code in OUTCOMES and (OUTCOMES[code].group in NOTHING_PROVIDED_GROUPS or code in NOTHING_PROVIDED_CODES)
