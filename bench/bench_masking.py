"""Masking benchmark (issue 13): characters masked per second on realistic replies, and the time for
each crafted 10,000-character input, with the target of 20 ms each. As a reference measured in the
same run, the previous masker's approach — a handful of regular expressions over the full-width-folded
text, no normalisation — runs over the same realistic text, so the figures compare across machines.
Run: `.venv/bin/python bench/bench_masking.py`."""
import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from public_log.masking import mask  # noqa: E402
from tests.public_log.corpus import adversarial, realistic  # noqa: E402

TARGET_MS = 20.0
REFERENCE = [re.compile(p) for p in (  # the simple masker this engine replaced: fold, then match
    r"(?<![\d])1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}(?![\d])", r"(?<![\d])0\d{2,3}[ \-]?\d{7,8}(?![\d])",
    r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])", r"(?<![\d])(?:\d{4}[ \-]?){3}\d{4}(?![\d])",
    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
FOLD = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


def reference(text):
    folded = text.translate(FOLD)
    return [m.span() for p in REFERENCE for m in p.finditer(folded)]


def best(fn, text, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    mask("预热：经与王建国同志核实")
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}")
    text = realistic(100_000)
    t_engine, t_ref = best(mask, text), best(reference, text)
    print(f"realistic replies, 100,000 characters: engine {t_engine * 1000:.1f} ms = "
          f"{len(text) / t_engine / 1e6:.2f} M chars/s; reference regexes {t_ref * 1000:.1f} ms; "
          f"ratio {t_engine / t_ref:.1f}×")
    ten = realistic(10_000)
    t_ten = best(mask, ten)
    print(f"realistic reply, 10,000 characters: {t_ten * 1000:.2f} ms")
    worst = (0, "")
    for name, crafted in adversarial(10_000).items():
        t = best(mask, crafted, 3)
        worst = max(worst, (t, name))
        print(f"  crafted {name:24s} {t * 1000:7.2f} ms  ({t / t_ten:.1f}× a realistic reply)")
    verdict = "met" if worst[0] * 1000 <= TARGET_MS else "NOT met"
    print(f"worst crafted input: {worst[1]} {worst[0] * 1000:.2f} ms (target {TARGET_MS:.0f} ms: {verdict}); "
          f"{worst[0] / t_ten:.1f}× a realistic reply of the same length")


if __name__ == "__main__":
    main()
