"""``kurt content index``, ``list-entities``, ``cluster``, ``list-clusters``, ``gaps``."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import count, document_filter_options, format_option
from kurt.cli.output import emit_json, emit_note, emit_table
from kurt.paging import page_of


@click.command("index")
@document_filter_options()
@click.option("--force", is_flag=True, help="Re-index documents whose content has not changed.")
@click.option("--llm", "use_llm", is_flag=True,
              help="Also enrich with the LLM configured in kurt.toml [llm] (needs its API key).")
@click.option("--embeddings", is_flag=True,
              help="Also embed the passages that have no embedding yet, for semantic search"
                   " (needs kurt[semantic]; automatic when kurt.toml [search] semantic = true).")
@format_option("table", "json")
@pass_app
def index(app, flt, force, use_llm, embeddings, output_format) -> None:
    """Build the local index (sections, links, entities, content types); no API key needed.

    \b
    Example:
      kurt content index
      kurt content index --url-contains /guides/ --force
      kurt content index --embeddings
    """
    from kurt.index.pipeline import index_documents
    from kurt.ingest.progress import progress_bars

    store = app.store
    embedder = None
    if embeddings:
        from kurt.index.encoders import load_model

        embedder = load_model()  # fails here, before any work, when the extra is missing
    enricher = _enricher(app) if use_llm else None
    embedded = None
    with progress_bars(enabled=app.interactive and output_format == "table") as bars:
        report = index_documents(
            app.workspace, store, flt, force=force, enricher=enricher,
            progress=bars.bar("Indexing") if bars else None,
            embed_progress=bars.bar("Embedding") if bars else None)
        if embedder is not None:
            from kurt.semantic import embed_sections

            embedded = embed_sections(store, embedder, flt,
                                      progress=bars.bar("Embedding") if bars else None)
    if output_format == "json":
        if embedded is not None:
            from dataclasses import asdict

            emit_json({**asdict(report), "embeddings": asdict(embedded)})
        else:
            emit_json(report)
        return
    click.echo(
        f"Indexed {report.indexed} of {report.selected} fetched documents "
        f"({report.fresh} already up to date, {report.failed} failed)"
        f" in {report.elapsed - report.embedding_seconds:.1f}s; {report.entities} entities."
        + (f" Enriched by the LLM: {report.enriched}." if enricher is not None else "")
    )
    count = report.embedded + (embedded.embedded if embedded is not None else 0)
    if count:
        seconds = report.embedding_seconds + (embedded.elapsed if embedded is not None else 0.0)
        click.echo(f"Embedded {count} passages for semantic search in {seconds:.1f}s"
                   f" ({count / seconds if seconds else 0:.0f}/s).")
    elif embedded is not None:
        click.echo("Every passage already has its embedding for semantic search.")
    if report.vocabulary_changed and report.indexed:
        click.echo("The vocabulary changed since the last index (the profile's company or products,"
                   " or kurt/vocabulary.toml): re-indexed every selected document"
                   + ("; the others are stale until 'kurt content index' runs without filters."
                      if not flt.is_empty() else "."), err=True)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for reason, ids in report.errors.items():
        shown = ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")
        click.echo(f"  {len(ids)} failed: {reason} ({shown})", err=True)
    if report.selected == 0:
        click.echo("Nothing to index: fetch documents first with 'kurt content fetch'.", err=True)


def _enricher(app):
    from kurt.index.enrich import LLMEnricher
    from kurt.index.llm import client_from_config
    from kurt.index.vocabulary import load_vocabulary

    return LLMEnricher(client_from_config(app.workspace), load_vocabulary(app.workspace))


@click.command("list-entities")
@click.argument("entity_type", required=False, metavar="[TYPE]")
@click.option("--min-docs", type=count(1), default=1, show_default=True,
              help="Only entities mentioned in at least N documents.")
@click.option("--limit", type=count(1), metavar="N",
              help="Show at most N entities (the output says how many there are).")
@click.option("--offset", default=0, type=count(0), help="Skip this many first.")
@document_filter_options()
@format_option("table", "json")
@pass_app
def list_entities(app, entity_type, min_docs, limit, offset, flt, output_format) -> None:
    """Entities (topics, technologies, products, ...) with the number of documents mentioning them.

    \b
    Example:
      kurt content list-entities technology --min-docs 3
      kurt content list-entities topic --url-contains /guides/ --format json
    """
    from kurt.index.entities import list_entities as find_entities
    from kurt.index.entities import resolve_entity_type
    from kurt.index.vocabulary import load_vocabulary

    store = app.store
    etype = None
    if entity_type:
        etype = resolve_entity_type(store, entity_type, load_vocabulary(app.workspace).types)
    page = page_of(find_entities(store, etype, flt, min_docs=min_docs), limit, offset)
    if output_format == "json":
        emit_json(page.to_dict("entities"))
        return
    emit_table(
        [vars(r) for r in page.items],
        [("type", "TYPE"), ("name", "NAME"), ("documents", "DOCS"), ("mentions", "MENTIONS")],
        empty="No entities: run 'kurt content index' (or loosen the filters)." if not offset
        else f"No entities after offset {offset}.",
    )
    emit_note(page, "entities")


@click.command("cluster")
@document_filter_options()
@click.option("--k", "k", type=click.IntRange(min=1, max=500), metavar="N",
              help="Number of clusters (default: about the square root of half the documents).")
@format_option("table", "json")
@pass_app
def cluster(app, flt, k, output_format) -> None:
    """Group indexed documents into named topic clusters (replaces the previous clusters).

    \b
    Example:
      kurt content cluster --k 12
      kurt content list --in-cluster postgresql-database-backup
    """
    from kurt.index.clusters import cluster_documents

    report = cluster_documents(app.store, None if flt.is_empty() else flt, k=k)
    if output_format == "json":
        emit_json(report)
        return
    if not report.clusters:
        click.echo("Nothing to cluster: index documents first with 'kurt content index'.", err=True)
        return
    emit_table([vars(c) for c in report.clusters],
               [("name", "CLUSTER"), ("documents", "DOCS"), ("description", "TOP TERMS")])
    click.echo(f"{report.documents} documents in {len(report.clusters)} clusters "
               f"({report.unclustered} without entities to cluster on).", err=True)


@click.command("list-clusters")
@document_filter_options()
@format_option("table", "json")
@pass_app
def list_clusters(app, flt, output_format) -> None:
    """The topic clusters made by 'kurt content cluster', with their document counts.

    \b
    Example:
      kurt content list-clusters --format json
    """
    from kurt.index.clusters import list_clusters as find_clusters

    page = page_of(find_clusters(app.store, None if flt.is_empty() else flt))
    if output_format == "json":
        emit_json(page.to_dict("clusters"))
        return
    emit_table([vars(c) for c in page.items],
               [("id", "ID"), ("name", "CLUSTER"), ("documents", "DOCS"), ("description", "TOP TERMS")],
               empty="No clusters yet: run 'kurt content cluster'.")


@click.command("gaps")
@click.option("--ours", required=True, metavar="PREFIX",
              help="Our pages: a URL prefix, a glob ('*/docs/*') or part of the URL.")
@click.option("--theirs", required=True, metavar="PREFIX",
              help="The pages to compare with (a competitor's, another section).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Entity types to compare (repeatable; default Topic and Technology).")
@click.option("--min-docs", type=count(1), default=1, show_default=True,
              help="Only entities the covering side has in at least N documents.")
@click.option("--all", "include_shared", is_flag=True, help="Also list what both sides cover.")
@format_option("table", "json")
@pass_app
def gaps(app, ours, theirs, types, min_docs, include_shared, output_format) -> None:
    """Topics and technologies one set of pages covers and the other does not.

    \b
    Example:
      kurt content gaps --ours https://docs.example.com --theirs https://docs.rival.com
      kurt content gaps --ours /docs/ --theirs /guides/ --type technology --min-docs 2
    """
    from kurt.index.entities import resolve_entity_type
    from kurt.index.gaps import DEFAULT_TYPES, find_gaps, side_filter

    store = app.store
    wanted = tuple(resolve_entity_type(store, t) for t in types) or DEFAULT_TYPES
    report = find_gaps(store, side_filter(ours), side_filter(theirs), types=wanted,
                       min_docs=min_docs, include_shared=include_shared)
    if output_format == "json":
        from dataclasses import asdict

        emit_json({**page_of(report.gaps).to_dict("gaps"), **asdict(report)})
        return
    emit_table([vars(g) for g in report.gaps],
               [("side", "COVERED BY"), ("type", "TYPE"), ("name", "NAME"), ("ours", "OURS"),
                ("theirs", "THEIRS")],
               empty="No gaps: both sides cover the same topics and technologies.")
    click.echo(f"Compared {report.ours_documents} of our documents with "
               f"{report.theirs_documents} of theirs.", err=True)
