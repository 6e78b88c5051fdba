"""`flask hotline hotspots [--now …]`: run the hot-spot detection (热点预警) by hand and print what it found."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from core.jobs.cli import parse_now

hotline_cli = AppGroup("hotline", help="12345 热线：热点预警。")


@hotline_cli.command("hotspots")
@click.option("--now", default=None, help="ISO 8601 time with zone, e.g. 2026-11-20T10:00+08:00; default: now")
def hotspots_command(now: str | None) -> None:
    """Run the hot-spot detection once (whatever HOTSPOT_INTERVAL_MINUTES says) and list what it raised or grew."""
    from core.extensions import db
    from hotline.hotspot_models import Hotspot
    from hotline.hotspots import detect, settings, title

    s = settings()
    result = detect(parse_now(now), s)
    click.echo(f"热点预警（{s.rule}）：窗口内工单 {result.tickets} 件，达到阈值的聚集 {result.clusters} 处，"
               f"新预警 {len(result.raised)} 处，已有热点新增工单 {len(result.grown)} 处")
    for label, ids in (("新预警", result.raised), ("新增工单", result.grown)):
        for hotspot_id in ids:
            hotspot = db.session.get(Hotspot, hotspot_id)
            click.echo(f"  {label} #{hotspot_id} {title(hotspot)}：{hotspot.ticket_count} 件，{hotspot.caller_count} 位来电人")
