"""A generated, seeded corpus of planted personal data in the surface forms people write (issue 13),
and of look-alikes that must survive masking. Independent of the masking code: check digits, Luhn
and the written forms are computed here."""
import random
from dataclasses import dataclass

CN = "〇一二三四五六七八九"
CN_CAPITAL = "零壹贰叁肆伍陆柒捌玖"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "建华国庆丽娟明杰秀英志强海燕文军玉兰红梅春生小平德胜桂芳永刚淑珍宝山晓东"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@dataclass(frozen=True)
class Planted:
    category: str
    form: str
    sentence: str  # the text written into the item
    core: str  # what must not survive: digits or letters, compared after normalising the output


def id18(rng):
    body = f"{rng.choice(['320902', '110105', '440106', '510104'])}{rng.randint(1950, 2005)}" \
           f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def luhn(prefix):
    """Append the Luhn check digit (an independent implementation for the tests)."""
    digits = [int(c) for c in prefix][::-1]
    total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return prefix + str((10 - total % 10) % 10)


def mobile(rng):
    return rng.choice(["13", "15", "17", "18", "19"]) + "".join(str(rng.randint(0, 9)) for _ in range(9))


def name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _groups(s, sizes, sep):
    out, at = [], 0
    for size in sizes:
        out.append(s[at:at + size])
        at += size
    return sep.join(out)


MOBILE_FORMS = {
    "plain": lambda m: m, "spaced": lambda m: _groups(m, (3, 4, 4), " "), "dashed": lambda m: _groups(m, (3, 4, 4), "-"),
    "dots": lambda m: _groups(m, (3, 4, 4), "."), "slashes": lambda m: _groups(m, (3, 4, 4), "/"),
    "underscores": lambda m: _groups(m, (3, 4, 4), "_"), "nbsp": lambda m: _groups(m, (3, 4, 4), "\u00a0"),
    "zero-width": lambda m: "\u200b".join(m), "ideographic space": lambda m: _groups(m, (3, 4, 4), "\u3000"),
    "full-width": lambda m: "".join(chr(0xFF10 + int(c)) for c in m), "+86": lambda m: "+86 " + m,
    "every digit spaced": lambda m: " ".join(m), "brackets": lambda m: f"({m[:3]}){m[3:]}",
    "chinese numerals": lambda m: "".join(CN[int(c)] for c in m),
    "capital numerals": lambda m: "".join(CN_CAPITAL[int(c)] for c in m),
    "yao for one": lambda m: "".join("幺" if c == "1" else CN[int(c)] for c in m),
    "em dash": lambda m: _groups(m, (3, 4, 4), "—"),
    "arabic-indic": lambda m: "".join(chr(0x0660 + int(c)) for c in m),
    "numerals mixed in": lambda m: m[0] + "".join(CN[int(c)] if i % 3 == 0 else c for i, c in enumerate(m[1:-1])) + m[-1],
    "full-width comma": lambda m: _groups(m, (3, 4, 4), "，"),
    "tilde": lambda m: _groups(m, (3, 4, 4), "～"),
}
ID_FORMS = {"plain": lambda s: s, "grouped spaces": lambda s: _groups(s, (6, 8, 4), " "),
            "grouped dashes": lambda s: _groups(s, (6, 8, 4), "-"), "lower x": lambda s: s.lower(),
            "full-width": lambda s: "".join(chr(0xFF10 + int(c)) if c.isdigit() else "Ｘ" for c in s),
            "fours": lambda s: _groups(s, (4, 4, 4, 4, 2), " ")}


def corpus(seed=13, per_form=6):
    """Planted values, every category and surface form, `per_form` random values each."""
    rng = random.Random(seed)
    out = []

    def plant(category, form, sentence, core):
        out.append(Planted(category, form, sentence, core))

    for _ in range(per_form):
        for form, write in MOBILE_FORMS.items():
            m = mobile(rng)
            plant("手机号", form, f"联系电话{write(m)}，", m)
        for form, write in ID_FORMS.items():
            s = id18(rng)
            plant("身份证号", form, f"身份证号码{write(s)}，", s.upper())
        area, local = rng.choice(["0515", "025", "010"]), str(rng.randint(6000_0000, 8999_9999))
        plant("固定电话", "area code dashed", f"座机{area}-{local}，", area + local)
        plant("固定电话", "area code bracketed", f"座机({area}){local}，", area + local)
        plant("固定电话", "space inside", f"电话{area} {local[:4]} {local[4:]}，", area + local)
        local = str(rng.randint(6000_0000, 8999_9999))
        plant("固定电话", "no area code", f"请拨打{local[:4]} {local[4:]}联系，", local)
        card = luhn("622202" + "".join(str(rng.randint(0, 9)) for _ in range(12)))
        plant("银行卡号", "plain", f"银行卡{card}，", card)
        plant("银行卡号", "grouped", f"卡号 {_groups(card, (4, 4, 4, 4, 3), ' ')} ，", card)
        user = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(7))
        plant("电子邮箱", "plain", f"邮箱{user}@example.com，", user)
        plant("电子邮箱", "at dot", f"邮箱 {user} at example dot com ，", user)
        plant("电子邮箱", "(at)", f"邮箱{user}(at)qq.com，", user)
        plant("电子邮箱", "full-width at, 。", f"邮箱{user}＠163。com，", user)
        plain = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5))
        for form, plate in {"plain": f"苏J{plain}", "space": f"苏J {plain}", "dash": f"苏J-{plain}",
                            "dot": f"苏J·{plain}", "trailer": f"苏J{plain[:4]}挂", "learner": f"苏J{plain[:4]}学",
                            "new energy": f"苏JD{plain}"}.items():
            plant("车牌号", form, f"车牌{plate}的车辆，", plate[3:] if form in ("space", "dash", "dot") else plate[2:])
        qq = str(rng.randint(10_000_000, 999_999_999))
        plant("QQ号", "QQ", f"QQ {qq}，", qq)
        plant("QQ号", "qq号：", f"qq号：{qq}，", qq)
        wx = rng.choice("abcdefgh") + "".join(rng.choice("abcdefghjk0123456789_") for _ in range(8))
        plant("微信号", "微信号", f"微信号 {wx}，", wx)
        plant("微信号", "VX:", f"VX:{wx}，", wx)
        passport = "E" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        plant("证件号", "passport", f"护照号{passport}，", passport)
        plant("证件号", "bare passport", f"持{passport}入境，", passport)
        permit = "C" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        plant("证件号", "港澳通行证", f"港澳通行证{permit}，", permit)
        b, u, r = rng.randint(1, 30), rng.randint(1, 6), rng.randint(101, 2604)
        for form, house in {"road number": f"解放路{b}号{u}幢{r}室", "dash room": f"文港小区{b}-{u}-{r}室",
                            "building": f"幸福里{b}号楼{u}单元{r}室", "block": f"世纪花园A座{r}",
                            "hash": f"青年东路{b}#楼{r}室", "bare room": f"幸福小区{b}栋{u}单元{r}"}.items():
            core = {"block": f"A座{r}", "bare room": f"单元{r}"}.get(form, house[-len(str(r)) - 1:])
            plant("门牌号", form, f"住{house}，", core)
        who = name(rng)
        plant("姓名（未登记）", "经与…核实", f"经与{who}核实，", who)
        plant("姓名（未登记）", "…同志", f"{who}同志反映，", who)
        plant("姓名（未登记）", "…女士", f"，{who}女士来电，", who)
        plant("姓名（未登记）", "我叫…", f"我叫{who}，", who)
        other = name(rng)
        plant("姓名（未登记）", "named again without a cue", f"经与{other}核实，{other}表示同意，", other)
        third = name(rng)
        plant("姓名（未登记）", "listed after a cue", f"经与{who}、{third}核实，", third)
    return out


LOOK_ALIKES = [
    "盐政办发〔2016〕50号", "国办公开办函〔2021〕30号", "苏政发〔2020〕12号", "2026年10月30日", "2026-10-30",
    "2026.10.30", "1,200元", "750.50元", "1200000元", "12345热线", "第十六条第二款", "第33条", "（2026）苏0902行初123号",
    "邮编224000", "顺丰SF1234567890123", "YSQ-2026-000123", "RX-2026-000456", "亭湖区2025年低保标准", "第3季度",
    "10个工作日", "20%", "3.5亿元", "GB/T 39666-2020", "国办发〔2020〕53号",
]


REALISTIC_REPLY = (
    "经查，您反映的亭湖区解放路沿线夜间施工噪声问题属实。我局已于2026年11月18日责令施工单位停止夜间作业，并依据"
    "《中华人民共和国噪声污染防治法》第四十三条作出处理。经与来电人王建华核实，其对处理结果表示认可。联系电话"
    "138 0000 1111的住户反映的渣土车问题已转城管部门。如有疑问，请拨打0515-88881234咨询。")


def realistic(n=10_000):
    """A department's reply, with a few personal data, repeated to `n` characters."""
    return (REALISTIC_REPLY * (n // len(REALISTIC_REPLY) + 1))[:n]


def adversarial(n=10_000):
    """Inputs crafted against each detector: long separator-joined digit chains, numerals, runs of
    email, plate, house-number and name-cue fragments, zero-width characters."""
    rng = random.Random(7)
    families = {
        "spaced digits": "1 ", "spaced fours": "4 ", "spaced threes": "3 ", "dotted digits": "1.", "mixed separators": "1 -_./()",
        "zero-width digits": "1\u200b",
        "chinese numerals": "一三九", "x after digits": "1X", "digits": "1", "at signs": "a@", "dotted local part": "a.",
        "obfuscated email": "a at b dot ", "plates": "苏A", "house numbers": "路1号", "room dashes": "1-", "hashes": "1#",
        "after cues": "王建国同志", "before cues": "我叫", "wechat cues": "微信", "han text": "低保",
    }
    out = {name: (unit * (n // len(unit) + 1))[:n] for name, unit in families.items()}
    out["random names with cues"] = "".join(rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["先生，", "女士，"])
                                            for _ in range(n // 5))[:n]
    out["local part run"] = "a" * (n - 8) + "@example"
    return out
