"""``python -m kurt.sample_site``: serve a folder, a synthetic docs site or a company site until Ctrl-C.

Prints the base URL on the first line of stdout (bench/bench_ingest.py reads it).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kurt.sample_site.folder import load_markdown_site
from kurt.sample_site.server import serve
from kurt.sample_site.synthetic import generate_synthetic_site

SAMPLE_DOCS = Path(__file__).parents[1] / "resources" / "sample-docs"


def main(argv: list[str] | None = None) -> int:
    """``python -m kurt.sample_site FOLDER [--port N] [--pages N | --company]``."""
    parser = argparse.ArgumentParser(prog="python -m kurt.sample_site", description="Serve a local sample website.")
    parser.add_argument("folder", nargs="?", type=Path, help="folder of markdown files (default: bundled sample docs)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--pages", type=int, help="serve a synthetic site of N pages instead of a folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--misbehaving", action="store_true", help="add the /bad/ routes")
    parser.add_argument("--no-sitemap", action="store_true")
    parser.add_argument("--crawl-delay", type=float)
    company = parser.add_argument_group("company site", "a generated B2B company website (blog, partner directory, ...)")
    company.add_argument("--company", action="store_true", help="serve the generated company site")
    company.add_argument("--company-name", default="Quackbase", help="the company's name (default: Quackbase)")
    company.add_argument("--product", help="the product's name (default: '<company> Cloud')")
    company.add_argument("--directory", default="/ecosystem/",
                         help="path of the partner directory: /ecosystem/, /integrations/, /partners/, /connectors/, ...")
    company.add_argument("--folder-copy", type=Path, metavar="DIR",
                         help="also write the 20 most recent blog posts as markdown files into DIR")
    args = parser.parse_args(argv)
    opts = {"misbehaving": args.misbehaving, "sitemap_enabled": not args.no_sitemap, "crawl_delay": args.crawl_delay}
    if args.company or args.folder_copy:
        from kurt.sample_site.company import generate_company_site, write_folder_copy

        names = {"seed": args.seed, "company": args.company_name, "product": args.product,
                 "directory": args.directory}
        if args.folder_copy:
            write_folder_copy(args.folder_copy, **names)
        site = generate_company_site(**names, **opts)
    elif args.pages:
        site = generate_synthetic_site(args.pages, seed=args.seed, **opts)
    else:
        folder = args.folder or SAMPLE_DOCS
        site = load_markdown_site(folder, **opts)
    with serve(site, args.host, args.port) as served:
        print(served.base_url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0
