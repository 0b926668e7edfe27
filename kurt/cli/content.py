"""``kurt content``: ingest, find and index sources."""

from __future__ import annotations

import click

from kurt.cli import LazyGroup

COMMANDS = {
    # ingestion (kurt/cli/content_map.py, kurt/cli/content_ingest.py)
    "map": "kurt.cli.content_map:map_group",
    "fetch": "kurt.cli.content_ingest:fetch",
    "add": "kurt.cli.content_ingest:add",
    # discovery (kurt/cli/content_discover.py)
    "list": "kurt.cli.content_discover:list_documents",
    "get": "kurt.cli.content_discover:get",
    "search": "kurt.cli.content_discover:search",
    "stats": "kurt.cli.content_discover:stats",
    "links": "kurt.cli.content_discover:links",
    "delete": "kurt.cli.content_discover:delete",
    # local index (kurt/cli/content_index.py)
    "index": "kurt.cli.content_index:index",
    "list-entities": "kurt.cli.content_index:list_entities",
    "cluster": "kurt.cli.content_index:cluster",
    "list-clusters": "kurt.cli.content_index:list_clusters",
    "gaps": "kurt.cli.content_index:gaps",
    # the database and the files (kurt/cli/content_rebuild.py)
    "rebuild": "kurt.cli.content_rebuild:rebuild",
    "sync": "kurt.cli.content_rebuild:sync",
}


@click.group(cls=LazyGroup, lazy=COMMANDS)
def content() -> None:
    """Ingest, find and index your sources.

    \b
    Examples:
      kurt content add https://docs.example.com
      kurt content search "integration"
      kurt content list --with-entity "Topic:integration"
    """
