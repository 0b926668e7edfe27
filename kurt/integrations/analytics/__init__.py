"""Analytics providers: each one turns a period into ``PageTraffic`` rows.

The protocol (``kurt.integrations.analytics.pages.Provider``): a ``name`` and
``page_traffic(period) -> list[PageTraffic]``, the page views (and where the
provider has them, visitors, entrances, bounce and engagement rates) of every
page in the period. Providers: ``posthog`` (HogQL query API), ``ga4`` (Data API
``runReport`` with a service account), ``plausible`` (Stats API v2).

``sync`` asks the configured providers for the period and the one before it,
matches pages to documents by their normalised URL, computes each document's
trend and stores it all (``kurt.store.traffic``); ``candidates`` ranks the pages
to refresh first.
"""
