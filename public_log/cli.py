"""`flask log …`: rebuild the search index, try a search from the shell."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from core.db import utcnow

log_cli = AppGroup("log", help="公开答复库：重建搜索索引、试搜索。")


@log_cli.command("reindex")
@click.option("--batch", default=1000, show_default=True, help="每批索引的记录数")
def reindex_command(batch: int) -> None:
    """Empty the search index and index every published record again (masked text only)."""
    from public_log.indexing import rebuild

    count = rebuild(utcnow(), batch=batch, progress=lambda n: click.echo(f"已索引 {n} 条", err=True))
    click.echo(f"重建完成：{count} 条已公开记录已进入索引")


@log_cli.command("search")
@click.argument("query")
@click.option("--limit", default=10, show_default=True)
def search_command(query: str, limit: int) -> None:
    """Search the public log like the public page does."""
    from public_log import finder, queries

    result = finder.find(query, queries.Filters(), per_page=limit)
    click.echo(f"共 {result.total} 条")
    for record in result.records:
        click.echo(f"{record.public_id}  {record.replied_on}  {record.title}")
    for note in result.notes:
        click.echo(note)
