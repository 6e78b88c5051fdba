"""`flask reports rollup rebuild [--from --to]`: roll up the hotline dashboard's closed days again."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from core.db import utcnow

reports_cli = AppGroup("reports", help="报表：热线数据日汇总。")
rollup_cli = AppGroup("rollup", help="热线数据看板的每日汇总。")
reports_cli.add_command(rollup_cli)


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise click.BadParameter("日期格式应为 YYYY-MM-DD") from None


@rollup_cli.command("rebuild")
@click.option("--from", "start", callback=_day, help="第一天（默认：最早工单的受理日）")
@click.option("--to", "end", callback=_day, help="最后一天（默认：昨天；今天及以后的日子不汇总）")
def rebuild_command(start: date | None, end: date | None) -> None:
    """Count every closed day of the range again from the tickets and keep it as the day's roll-up."""
    from reports.rollups import rebuild

    if start and end and start > end:
        raise click.BadParameter("开始日期不能晚于结束日期", param_hint="--from")
    n = rebuild(utcnow(), start, end, progress=lambda d: click.echo(f"已汇总 {d.isoformat()}", err=True))
    click.echo(f"重建完成：{n} 天的汇总已按工单重新计算")
