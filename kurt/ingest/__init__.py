"""Ingestion: discover (sitemaps, robots, crawl, folders) -> fetch -> extract -> store."""
