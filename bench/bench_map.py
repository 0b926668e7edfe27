"""Map speed: sitemap read and crawl of a generated site served on 127.0.0.1.

    python bench/bench_map.py [--pages 1000] [--crawl-pages 1000]

Prints URLs per second for `map url` through sitemaps (into a fresh workspace)
and pages per second for the crawl fallback, and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from kurt.config import IngestConfig
from kurt.ingest.discover import map_url
from kurt.sample_site import generate_synthetic_site, serve
from kurt.workspace import init_workspace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--crawl-pages", type=int, default=1000)
    args = parser.parse_args()
    config = IngestConfig()
    site = generate_synthetic_site(args.pages, sitemap_chunk=1000)
    with serve(site) as served, tempfile.TemporaryDirectory() as tmp:
        store = init_workspace(Path(tmp) / "ws").workspace.open_store()
        started = time.perf_counter()
        report = map_url(store, config, served.base_url)
        took = time.perf_counter() - started
        print(f"sitemap map: {report.found} URLs ({len(report.sitemaps)} sitemaps) in {took:.2f} s "
              f"= {report.found / took:,.0f} URLs/s")
        started = time.perf_counter()
        again = map_url(store, config, served.base_url)
        took = time.perf_counter() - started
        print(f"re-map:      {again.known} known, {again.added} new in {took:.2f} s")
        site.sitemap_enabled = False
        started = time.perf_counter()
        crawled = map_url(None, config, served.base_url, dry_run=True, max_depth=50,
                          max_pages=args.crawl_pages)
        took = time.perf_counter() - started
        print(f"crawl:       {crawled.found} pages in {took:.2f} s = {crawled.found / took:,.0f} pages/s")
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (whole process, server included)")


if __name__ == "__main__":
    main()
