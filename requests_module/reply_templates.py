"""Standard reply texts per outcome (issue 18 item 13): the reply form offers one for the chosen outcome, to edit
before sending. Each cites the article of the 2019 条例 that the outcome applies — taken from the one table of
the outcomes (outcomes.ANSWERS), never typed again here; an outcome no article names asks for the legal basis.
The letter itself still adds the outcome in the law's words (outcomes.answer_sentence); the text is the clerk's
explanation of the case."""
from __future__ import annotations

from requests_module import outcomes

LAW = outcomes.R  # 《中华人民共和国政府信息公开条例》
ASK_BASIS = "（请写明所依据的法律、法规条款）"

# The group's standard text: {you} 您/贵单位, {basis} the outcome's article with the law's name.
_BY_GROUP = {
    "予以公开": "经审查，{you}申请公开的政府信息属于可以公开的政府信息。根据{basis}的规定，本机关予以公开，"
                "现将该政府信息提供给{you}（见附件）。",
    "部分公开": "经审查，{you}申请公开的政府信息中含有不应当公开的内容（请写明具体内容及理由），但能够作区分处理。"
                "根据{basis}的规定，本机关向{you}提供可以公开的部分（见附件），对其余部分不予公开。",
    "不予公开": "经审查，{you}申请公开的政府信息属于（请写明具体情形及理由）。根据{basis}的规定，本机关决定不予公开。",
    "无法提供": "经检索（请写明检索的范围、方式和结果），根据{basis}的规定，本机关无法提供{you}申请的政府信息。",
    "不予处理": "经审查，{you}的申请属于（请写明具体情形）。根据{basis}的规定，本机关不予处理。",
    "其他处理": "经审查，（请写明处理情况）。根据{basis}的规定，本机关作出上述处理。",
}


def basis(code: str) -> str:
    """The outcome's article of the 条例 with the law's full name, e.g. 《…条例》第三十七条; '' when none."""
    article = outcomes.ANSWERS[code][0]
    return article.replace("条例", LAW, 1) if article.startswith("条例") else ""


def text_for(code: str, you: str = "您") -> str:
    """The standard reply text of outcome `code` (KeyError for an unknown one)."""
    group = outcomes.get(code).group
    return _BY_GROUP[group].format(you=you, basis=basis(code) or ("相关法律、法规" + ASK_BASIS))


def ground_for(code: str) -> str:
    """The legal ground to prefill for an outcome that requires one (Art. 36: a refusal states its basis)."""
    return basis(code) if outcomes.get(code).needs_ground else ""


def table(codes: list[str], you: str = "您") -> dict[str, dict[str, str]]:
    """{code: {text, ground}} for the reply form's outcome choices (read by static/js/reply_template.js)."""
    return {c: {"text": text_for(c, you), "ground": ground_for(c)} for c in codes}


def fill(values: dict[str, str], code: str, you: str = "您") -> dict[str, str]:
    """The reply form's values with the template inserted: after what was already typed (nothing typed is lost,
    and the template is not inserted twice); the legal ground prefilled only when empty."""
    out = dict(values)
    template, typed = text_for(code, you), (values.get("text") or "").rstrip()
    if template not in typed:
        out["text"] = f"{typed}\n{template}" if typed else template
    if not (values.get("legal_ground") or "").strip():
        out["legal_ground"] = ground_for(code)
    return out
