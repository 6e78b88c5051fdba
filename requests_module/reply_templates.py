"""Standard reply texts per outcome (issue 18 item 13; lawyer's review, issue 18 follow-up): the reply form offers
one for the chosen outcome, to edit before sending. Each cites the article of the 2019 条例 that the outcome
applies; an outcome no article names asks for the legal basis. Blanks the clerk must fill are written
"（请写明…）" (PLACEHOLDER): reply.py refuses a reply that still contains one, so no letter goes out unfilled.
The letter itself still adds the outcome in the law's words (outcomes.answer_sentence); the text is the clerk's
explanation of the case."""
from __future__ import annotations

from core.errors import ValidationError
from requests_module import disclosed, not_held, outcomes

LAW = outcomes.R  # 《中华人民共和国政府信息公开条例》
PLACEHOLDER = "（请写明"  # the one marker of a template blank; reply._validate refuses a text containing it
ASK_BASIS = PLACEHOLDER + "所依据的法律、法规条款）"

# The group's standard text: {you} 您/贵单位, {basis} the outcome's article with the law's name.
_BY_GROUP = {
    # 部分公开: the ground is the one for the withheld part — Art. 36 (3) with Art. 14/15/16; Art. 37 only says
    # the separable part is provided, it is no ground for withholding.
    "部分公开": "经审查，{you}申请公开的政府信息中含有不应当公开的内容（请写明具体内容及理由），但能够作区分处理。"
                "根据" + LAW + "第三十六条第（三）项、（请写明第十四条／第十五条／第十六条中的具体条款）"
                "和第三十七条的规定，本机关向{you}提供可以公开的部分（见附件），对其余部分不予公开。",
    "不予公开": "经审查，{you}申请公开的政府信息属于（请写明具体情形及理由）。根据{basis}的规定，本机关决定不予公开。",
    "无法提供": "经审查，（请写明具体情形）。根据{basis}的规定，本机关无法提供{you}申请的政府信息。",
    "不予处理": "经审查，{you}的申请属于（请写明具体情形）。根据{basis}的规定，本机关不予处理。",
    "其他处理": "经审查，（请写明处理情况）。根据{basis}的规定，本机关作出上述处理。",
}
# Texts of one outcome code, where the group's text would misstate the law.
_BY_CODE = {
    # 条例 Art. 38: information that would have to be made by processing or analysis is not provided
    "unavailable_needs_creation": "{you}申请的信息需要本机关对现有政府信息进行加工、分析方能形成。"
                                  "根据" + LAW + "第三十八条的规定，本机关不予提供。",
    # 条例 Art. 39 para. 1: petitions, complaints, reports are not handled as disclosure applications
    "not_processed_petition": "经审查，{you}的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动（请写明具体情形）。"
                              "根据" + LAW + "第三十九条第一款的规定，本机关不将{you}的申请作为政府信息公开申请处理，"
                              "{you}可以通过（请写明渠道）提出。",
    # 条例 Art. 39 para. 2: public publications — tell the applicant where to get them
    "not_processed_publication": "经审查，{you}申请获取的信息属于公开出版物，根据" + LAW + "第三十九条第二款的规定，"
                                 "告知{you}可通过（请写明获取途径）获取。",
    # 条例 Art. 36 (7): registers whose access other laws govern
    "withheld_inquiry": "经审查，{you}申请获取的信息属于（请写明信息类别，如工商、不动产登记资料），有关法律、行政法规对信息的"
                        "获取有特别规定，根据" + LAW + "第三十六条第（七）项的规定，请{you}依照（请写明法律、行政法规）的规定办理。",
}
# Texts of one outcome per the chosen 情形 (the form's second choice): 予以公开 Art. 36 (1) / (2)
# (disclosed.BASES), 本机关不掌握 Art. 36 (4) / (5) (not_held) — one article each, never both.
_BY_CASE = {
    disclosed.DISCLOSED: ("disclosure_basis", "请先选择公开的情形，再插入模板", {
        disclosed.PUBLISHED: "经审查，{you}申请公开的政府信息已经主动公开。根据" + LAW + "第三十六条第（一）项的规定，"
                             "现告知{you}获取该政府信息的方式、途径：（请写明获取的方式、途径）。",
        disclosed.PROVIDED: "经审查，{you}申请公开的政府信息属于可以公开的政府信息。根据" + LAW + "第三十六条第（二）项的"
                            "规定，本机关予以公开，（请写明：现将该政府信息提供给{you}，见附件／获取的方式、途径和时间为：…）。",
    }),
    not_held.CODE: ("not_held_basis", "请先选择不掌握的情形，再插入模板", {
        not_held.NOT_EXIST: "经检索，本机关未检索到{you}申请公开的政府信息（请写明检索范围、方式）。根据" + LAW
                            + "第三十六条第（四）项的规定，告知{you}该政府信息不存在。",
        not_held.NOT_OURS: "{you}申请公开的信息不属于本机关负责公开，理由：（请写明理由）。根据" + LAW + "第三十六条第（五）项的"
                           "规定，告知{you}（请写明：能够确定负责公开的机关的，告知该机关的名称、联系方式）。",
    }),
}
# 条例 Art. 30 has no 无法提供 outcome: the clerk types the basis, as for 其他处理
_TYPED_BASIS = {"unavailable_unclear"}


def basis(code: str) -> str:
    """The outcome's article of the 条例 with the law's full name, e.g. 《…条例》第三十八条; '' when none."""
    if code in _TYPED_BASIS:
        return ""
    article = outcomes.ANSWERS[code][0]
    return article.replace("条例", LAW, 1) if article.startswith("条例") else ""


def case_field(code: str) -> str | None:
    """The form field choosing the 情形 the text of `code` depends on (disclosure_basis / not_held_basis), or None."""
    return _BY_CASE[code][0] if code in _BY_CASE else None


def text_for(code: str, you: str = "您", case: str | None = None) -> str:
    """The standard reply text of outcome `code` (KeyError for an unknown one); for an outcome worded per 情形,
    `case` is the chosen one (ValidationError on the 情形 field when none is chosen)."""
    group = outcomes.get(code).group
    if code in _BY_CASE:
        field, missing, texts = _BY_CASE[code]
        if case not in texts:
            raise ValidationError(missing, field=field)
        return texts[case].format(you=you)
    template = _BY_CODE.get(code) or _BY_GROUP[group]
    return template.format(you=you, basis=basis(code) or ("相关法律、法规" + ASK_BASIS))


def ground_for(code: str) -> str:
    """The legal ground to prefill for an outcome that requires one (Art. 36: a refusal states its basis); none for
    部分公开, whose ground is the withheld part's (Art. 36 (3) with Art. 14/15/16), not Art. 37."""
    if code == disclosed.PARTLY:
        return ""
    return basis(code) if outcomes.get(code).needs_ground else ""


def table(codes: list[str], you: str = "您") -> dict[str, dict[str, object]]:
    """{code: {text, ground} or {field, cases, ground}} for the reply form's outcome choices (read by
    static/js/reply_template.js: `cases` maps the value of the form field `field` to the text)."""
    out: dict[str, dict[str, object]] = {}
    for c in codes:
        if c in _BY_CASE:
            field, _, texts = _BY_CASE[c]
            out[c] = {"field": field, "cases": {k: t.format(you=you) for k, t in texts.items()}, "ground": ""}
        else:
            out[c] = {"text": text_for(c, you), "ground": ground_for(c)}
    return out


def fill(values: dict[str, str], code: str, you: str = "您") -> dict[str, str]:
    """The reply form's values with the template inserted: after what was already typed (nothing typed is lost,
    and the template is not inserted twice); the legal ground prefilled only when empty."""
    out = dict(values)
    field = case_field(code)
    template = text_for(code, you, values.get(field) if field else None)
    typed = (values.get("text") or "").rstrip()
    if template not in typed:
        out["text"] = f"{typed}\n{template}" if typed else template
    if not (values.get("legal_ground") or "").strip():
        out["legal_ground"] = ground_for(code)
    return out
