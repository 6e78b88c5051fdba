"""One date format (issue 18 item 7): a day is written 2026年12月2日, never zero-padded. Nothing in the code or
the templates may format a month or day with a leading zero next to 月/日, so 12月02日 cannot come back."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = [p for p in ROOT.rglob("*") if p.suffix in (".py", ".html", ".js", ".txt", ".xml")
           and not {".venv", "node_modules", "tests", "vendor", ".git"} & set(p.relative_to(ROOT).parts)]
# strftime's padded month/day before 月/日, format specs such as {d.month:02d}月, and "%02d月"-style formatting
PADDED = re.compile(r"%m月|%d日|%-?m\s*月|:0?2d?\}\s*[月日]|%02d\s*[月日]|\.zfill\(2\)\s*\+\s*['\"][月日]")


def test_the_sources_are_scanned():
    names = {p.name for p in SOURCES}
    assert {"formats.py", "staff_detail.html", "_timeline.html"} <= names


def test_no_zero_padded_month_or_day():
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in SOURCES
             for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
             if PADDED.search(line)]
    assert not found, "write days with core.formats.zh_date (the zh_date filter):\n" + "\n".join(found)


def test_the_pattern_catches_the_padded_forms():
    for bad in ('strftime("%Y年%m月%d日")', 'f"{day.month:02d}月{day.day:02d}日"', '"%02d月" % m'):
        assert PADDED.search(bad), bad
    assert not PADDED.search('f"{day.year}年{day.month}月{day.day}日"')


def test_one_wording_for_the_request_text():
    """诉求内容 (12345) or 申请内容 (依申请公开), public_log.presenter.field_label — never a slashed mix."""
    found = [str(p.relative_to(ROOT)) for p in SOURCES
             if re.search(r"诉求\s*[/／]\s*申请内容|申请\s*[/／]\s*诉求内容", p.read_text(encoding="utf-8", errors="replace"))]
    assert not found, found
