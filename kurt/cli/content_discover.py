"""``kurt content list|get|search|stats|links|delete``: find and read ground truth."""

from __future__ import annotations

import sys

import click

from kurt.cli.app import App, pass_app
from kurt.cli.options import MAX_COUNT, count, document_filter_options, format_option
from kurt.cli.output import emit_csv, emit_json, emit_lines, emit_note, emit_table

LIST_COLUMNS = [("id", "ID"), ("status", "STATUS"), ("content_type", "TYPE"),
                ("word_count", "WORDS"), ("title", "TITLE"), ("url", "URL")]
TABLE_LIMIT = 50  # documents a table shows when no --limit is given (it says how many exist)
CSV_COLUMNS = ["id", "status", "content_type", "word_count", "title", "url", "content_path",
               "domain", "fetched_at", "changed_at", "error"]


def _explain_no_match(app: App, flt) -> None:
    from kurt.store.filters import filter_hints

    click.echo("No documents match these filters.", err=True)
    for hint in filter_hints(app.store, flt):
        click.echo(f"  {hint}", err=True)


@click.command("list")
@document_filter_options()
@click.option("--limit", type=count(0), metavar="N",
              help="At most N documents (0 = all). Default: all with --format json, csv or "
                   "paths; 50 in a table, which then says how many there are.")
@click.option("--offset", default=0, type=count(0), help="Skip this many first.")
@click.option("--sort", default="url", show_default=True, metavar="KEY",
              help="url, title, fetched, changed, discovered, words, status or pageviews; "
                   "a leading '-' sorts descending (--sort=-words).")
@click.option("--with-traffic-trend", "traffic_trends", multiple=True,
              type=click.Choice(["rising", "stable", "declining"]),
              help="Documents whose page views are rising, stable or declining "
                   "(after 'kurt analytics sync'; repeatable).")
@format_option("table", "json", "csv", "paths")
@pass_app
def list_documents(app: App, flt, limit: int, offset: int, sort: str, traffic_trends,
                   output_format: str) -> None:
    """List documents; filters combine (AND).

    \b
    Examples:
      kurt content list --url-contains /integrations/
      kurt content list --with-entity "Topic:integration" --status FETCHED
      kurt content list --sort=-words --limit 10 --format json
      kurt content list --with-content-type tutorial --format paths
      kurt content list --sort=-pageviews --with-traffic-trend declining
    """
    from kurt.store.filters import page_documents

    flt.traffic_trends = list(traffic_trends)
    if limit is None and output_format == "table":
        limit = TABLE_LIMIT
    page = page_documents(app.store, flt, sort=sort, limit=limit or None, offset=offset)
    docs = page.items
    rows, columns, csv_columns = [doc.to_dict() for doc in docs], LIST_COLUMNS, CSV_COLUMNS
    if sort.lstrip("-") == "pageviews" or traffic_trends:  # show the traffic sorted or filtered on
        from kurt.store.traffic import best_traffic

        traffic = best_traffic(app.store, [doc.id for doc in docs])
        for row in rows:
            found = traffic.get(row["id"])
            row["pageviews"] = found.pageviews if found else None
            row["traffic_trend"] = found.trend if found else None
        columns = [*LIST_COLUMNS[:4], ("pageviews", "VIEWS"), ("traffic_trend", "TREND"), *LIST_COLUMNS[4:]]
        csv_columns = [*CSV_COLUMNS, "pageviews", "traffic_trend"]
    if output_format == "json":
        emit_json({**page.to_dict("documents"), "documents": rows})
        return
    if output_format == "csv":
        emit_csv(rows, csv_columns)  # scripts read the header even when no row follows
    elif output_format == "paths":
        emit_lines(doc.content_path for doc in docs if doc.content_path)
    elif docs:
        emit_table(rows, columns)
    if not docs and not offset:
        _explain_no_match(app, flt)
    elif not page.complete:
        emit_note(page, "documents")
    elif output_format == "table":
        click.echo(f"{page.total} document{'s' if page.total != 1 else ''}", err=True)


@click.command()
@click.argument("ident", metavar="ID|URL|PATH")
@click.option("--content", "with_content", is_flag=True, help="Print the stored markdown instead.")
@format_option("text", "json", default="text")
@pass_app
def get(app: App, ident: str, with_content: bool, output_format: str) -> None:
    """Show one document: metadata, headings outline, entities, links and clusters.

    \b
    Examples:
      kurt content get 3f2a9c1b07de
      kurt content get https://docs.example.com/guides/setup
      kurt content get sources/docs.example.com/guides/setup.md --content
    """
    from kurt.store.details import document_details

    details = document_details(app.store, ident, app.workspace.root, with_content=with_content)
    if output_format == "json":
        from dataclasses import asdict

        data = asdict(details)
        if not with_content:
            data.pop("content")
        emit_json(data)
        return
    if with_content:
        click.echo(details.content, nl=not (details.content or "").endswith("\n"))
        return
    _print_details(details)


def _print_details(details) -> None:
    doc = details.document
    fields = [("id", doc.id), ("url", doc.url), ("title", doc.title), ("status", doc.status),
              ("error", doc.error), ("content type", doc.content_type), ("words", doc.word_count),
              ("path", doc.content_path), ("source", doc.source_path),
              ("description", doc.description), ("author", doc.author),
              ("published", doc.published_date), ("language", doc.language),
              ("canonical", doc.canonical_url), ("fetched", doc.fetched_at),
              ("changed", doc.changed_at), ("indexed", doc.indexed_at),
              ("delisted", doc.delisted_at)]
    flags = [name for name, value in (("code examples", doc.has_code), ("steps", doc.has_steps),
                                       ("troubleshooting", doc.has_troubleshooting),
                                       ("prerequisites", doc.has_prerequisites)) if value]
    if flags:
        fields.append(("has", ", ".join(flags)))
    for name, value in fields:
        if value not in (None, ""):
            click.echo(f"{name + ':':<14}{value}")
    if doc.indexed_hash and doc.content_hash and doc.indexed_hash != doc.content_hash:
        click.echo("(the index is older than the content: run 'kurt content index')", err=True)
    if details.outline:
        click.echo(f"\nOutline ({details.sections} passages):")
        base = min(entry.level for entry in details.outline)
        for entry in details.outline:
            indent = "  " * (entry.level - base + 1)
            click.echo(f"{indent}{entry.heading}  [{entry.line_start}-{entry.line_end}]")
    if details.entities:
        click.echo(f"\nEntities ({len(details.entities)}):")
        for entity in details.entities:
            click.echo(f"  {entity.type}: {entity.name} ({entity.mentions})")
    if details.clusters:
        click.echo("\nClusters: " + ", ".join(c.name for c in details.clusters))
    for title, links in (("Links out", details.links_out), ("Links in", details.links_in)):
        if links:
            internal = sum(1 for link in links if link.document_id)
            click.echo(f"\n{title} ({len(links)}, {internal} to ingested documents):")
            for link in links[:15]:
                mark = link.document_id or "-" * 12
                click.echo(f"  {mark}  {link.url}" + (f"  \"{link.anchor}\"" if link.anchor else ""))
            if len(links) > 15:
                click.echo(f"  ... {len(links) - 15} more: kurt content links {doc.id}")


@click.command()
@click.argument("query", nargs=-1, required=True)
@document_filter_options()
@click.option("--limit", default=10, show_default=True, type=count(1),
              help="At most this many passages (the output says when more match).")
@click.option("--offset", default=0, type=count(0), help="Skip this many best passages first.")
@click.option("--per-document", default=2, show_default=True, type=count(0),
              help="At most this many passages from one document (0 = no cap).")
@click.option("--mode", type=click.Choice(["bm25", "semantic", "hybrid"]), default=None,
              help="bm25 (full text), semantic (meaning; needs kurt[semantic]) or hybrid (both,"
                   " fused). Default: hybrid when kurt.toml [search] semantic = true and passages"
                   " are embedded, else bm25.")
@format_option("table", "json")
@pass_app
def search(app: App, query: tuple[str, ...], flt, limit: int, offset: int, per_document: int,
           mode: str | None, output_format: str) -> None:
    """Ranked full-text search over fetched content: passages with line ranges to cite.

    \b
    Words must all match; "exact phrase", OR, NOT or -word, and prefix* work.
    Example:
      kurt content search "integration"
      kurt content search '"custom domain" -wildcard' --url-prefix https://docs.example.com/
      kurt content search "postgres OR mysql backup" --format json
      kurt content search "undo a broken release" --mode hybrid
    """
    from kurt.paging import probed_page

    text = " ".join(query)
    # one passage past the page says whether more match
    mode, found = _run_search(app, text, flt, min(offset + limit + 1, MAX_COUNT), per_document or None,
                              mode, quiet=output_format == "json")
    page = probed_page(found, limit, offset)
    hits = page.items
    if output_format == "json":
        emit_json({**page.to_dict("passages", query=text, mode=mode),
                   "passages": [{**hit.__dict__, "citation": hit.citation} for hit in hits]})
        return
    _print_hits(hits, start=offset + 1)
    emit_note(page, "passages")
    if not hits and not offset:
        click.echo(f"No passages match '{text}'.", err=True)
        pending = app.store.query_one(
            "SELECT COUNT(*) FROM documents d WHERE d.status = 'FETCHED'"
            " AND NOT EXISTS (SELECT 1 FROM sections s WHERE s.document_id = d.id)")[0]
        if pending:
            click.echo(f"  {pending} fetched documents are not indexed yet: run 'kurt content index'",
                       err=True)


def _run_search(app: App, text: str, flt, limit: int, per_document: int | None, mode: str | None,
                *, quiet: bool = False):
    """(mode, hits): BM25, semantic or hybrid search (see ``--mode`` and
    kurt.semantic.search_passages). ``quiet``: no notes on stderr (passages not embedded yet)."""
    from kurt.semantic import search_passages

    found = search_passages(app.workspace, app.store, text, flt=flt, limit=limit,
                            per_document=per_document, mode=mode)
    if not quiet:
        for note in found.notes:
            click.echo(note, err=True)
    return found.mode, found.hits


def _print_hits(hits, start: int = 1) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False, soft_wrap=False)
        for n, hit in enumerate(hits, start):
            head = Text(f"{n}. ", style="bold")
            head.append(hit.title or hit.url, style="bold")
            head.append(f"  {hit.url}", style="dim")
            console.print(head)
            console.print(Text(f"   {hit.citation}  {hit.heading_path}", style="cyan"))
            console.print(_rich_snippet(hit.snippet, Text), end="\n\n")
        return
    for n, hit in enumerate(hits, start):
        click.echo(f"{n}. {hit.title or hit.url}  {hit.url}")
        click.echo(f"   {hit.citation}  {hit.heading_path}")
        click.echo(f"   {hit.snippet}\n")


def _rich_snippet(snippet: str, text_cls):
    text = text_cls("   ")
    for i, part in enumerate(snippet.split("**")):
        text.append(part, style="bold yellow" if i % 2 else None)
    return text


@click.command()
@document_filter_options()
@format_option("table", "json")
@pass_app
def stats(app: App, flt, output_format: str) -> None:
    """Counts by status, domain and content type; index freshness; errors by reason.

    \b
    Examples:
      kurt content stats
      kurt content stats --domain docs.example.com --format json
    """
    from dataclasses import asdict

    from kurt.store.stats import collect_stats

    result = collect_stats(app.store, flt, ws=app.workspace)
    if output_format == "json":
        emit_json(asdict(result))
        return
    click.echo(f"Documents: {result.documents}" + (f" ({result.delisted} delisted)" if result.delisted else ""))
    for title, counts in (("By status", result.by_status), ("By domain", result.by_domain),
                          ("By content type", result.by_content_type)):
        if counts:
            click.echo(f"\n{title}:")
            shown = list(counts.items())
            for name, count in shown[:20]:
                click.echo(f"  {count:>8}  {name}")
            if len(shown) > 20:
                click.echo(f"  {sum(c for _, c in shown[20:]):>8}  ({len(shown) - 20} more)")
    click.echo(f"\nWords: {result.words_total} in all, {result.words_average} per fetched document")
    if result.last_fetched_at:
        click.echo(f"Fetched: {result.first_fetched_at} .. {result.last_fetched_at}")
    idx = result.index
    click.echo(f"\nIndex: {idx.indexed} up to date, {idx.stale} stale, {idx.not_indexed} not indexed;"
               f" {idx.sections} passages, {idx.entities} entities, {idx.links} links,"
               f" {idx.clusters} clusters")
    if idx.vocabulary_changed:
        click.echo("  the vocabulary changed since the last index (the profile's company or products,"
                   " or kurt/vocabulary.toml): run 'kurt content index' to re-index every document")
    elif idx.stale or idx.not_indexed:
        click.echo("  run 'kurt content index' to bring it up to date")
    if result.errors:
        click.echo("\nErrors by reason:")
        for error in result.errors[:20]:
            click.echo(f"  {error.count:>8}  {error.status:<8} {error.reason}  (e.g. {error.example})")
        if len(result.errors) > 20:
            rest = result.errors[20:]
            click.echo(f"  {sum(e.count for e in rest):>8}  ({len(rest)} more reasons: "
                       "--format json lists them all)")


@click.command()
@click.argument("ident", metavar="ID|URL|PATH")
@click.option("--direction", type=click.Choice(["in", "out", "both"]), default="both",
              show_default=True, help="Links out of the document, into it, or both.")
@format_option("table", "json")
@pass_app
def links(app: App, ident: str, direction: str, output_format: str) -> None:
    """Links out of and into one document.

    \b
    Examples:
      kurt content links 3f2a9c1b07de
      kurt content links https://docs.example.com/guides/setup --direction in --format json
    """
    from kurt.store.details import document_links

    doc, found = document_links(app.store, ident, app.workspace.root, direction)
    if output_format == "json":
        from kurt.paging import page_of

        emit_json(page_of([link.__dict__ for link in found]).to_dict(
            "links", document=doc.id, direction=direction))
        return
    emit_table([link.__dict__ for link in found],
               [("direction", "DIR"), ("document_id", "ID"), ("url", "URL"), ("anchor", "ANCHOR")],
               empty=f"No links {'in or out' if direction == 'both' else direction} for {doc.id}.")


@click.command()
@click.argument("idents", nargs=-1, metavar="[ID|URL|PATH]...")
@document_filter_options()
@click.option("--all", "delete_all", is_flag=True, help="Delete every document (with no ids or filters).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--dry-run", is_flag=True, help="Show what would be deleted, delete nothing.")
@click.option("--keep-files", is_flag=True, help="Keep the content files under sources/.")
@format_option("table", "json")
@pass_app
def delete(app: App, idents: tuple[str, ...], flt, delete_all: bool, yes: bool, dry_run: bool,
           keep_files: bool, output_format: str) -> None:
    """Delete documents with their files, index rows and links (by ids or filters).

    \b
    Examples:
      kurt content delete 3f2a9c1b07de
      kurt content delete --url-prefix https://docs.example.com/old/ --dry-run
      kurt content delete --status ERROR --yes
    """
    from kurt.errors import UsageError
    from kurt.store.delete import delete_documents, documents_to_delete
    from kurt.store.documents import get_document

    if idents:
        flt.ids = sorted({get_document(app.store, i, app.workspace.root).id for i in idents})
    elif flt.is_empty() and not delete_all:
        raise UsageError("Give document ids or filters (see 'kurt content delete --help');"
                         " to delete every document use --all")
    total, sample = documents_to_delete(app.store, flt)
    if total == 0:
        if output_format == "json":
            emit_json({"deleted": 0, "dry_run": dry_run})
            return
        _explain_no_match(app, flt)
        click.echo("Nothing deleted.", err=True)
        return
    if dry_run:
        if output_format == "json":
            emit_json({"deleted": 0, "dry_run": True, "would_delete": total,
                       "sample": [d.url for d in sample]})
        else:
            click.echo(f"Would delete {total} document{'s' if total != 1 else ''}:")
            emit_lines(f"  {d.id}  {d.url}" for d in sample)
            if total > len(sample):
                click.echo(f"  ... and {total - len(sample)} more")
        return
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"Deleting {total} document{'s' if total != 1 else ''} needs"
                             " confirmation: run it in a terminal or add --yes")
        click.echo(f"About to delete {total} document{'s' if total != 1 else ''}"
                   f"{'' if keep_files else ' and their files'}:", err=True)
        for doc in sample:
            click.echo(f"  {doc.id}  {doc.url}", err=True)
        if total > len(sample):
            click.echo(f"  ... and {total - len(sample)} more", err=True)
        if not click.confirm("Delete them?", default=False, err=True):
            click.echo("Nothing deleted.", err=True)
            return
    result = delete_documents(app.store, app.workspace.root, flt, keep_files=keep_files)
    if output_format == "json":
        emit_json({**result.__dict__, "dry_run": False})
        return
    click.echo(f"Deleted {result.deleted} document{'s' if result.deleted != 1 else ''}"
               f" ({result.files_removed} file{'s' if result.files_removed != 1 else ''} removed"
               + (f", {result.files_missing} already missing" if result.files_missing else "")
               + (f", {result.entities_removed} entit{'ies' if result.entities_removed != 1 else 'y'}"
                  " left without documents removed"
                  if result.entities_removed else "") + ").")
    for error in result.errors:
        click.echo(f"  could not remove {error}", err=True)
