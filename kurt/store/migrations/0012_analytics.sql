-- Page traffic from analytics providers (kurt analytics sync; see docs/analytics.md).
-- Portable SQL: TEXT/INTEGER/REAL, dates as ISO-8601 text (YYYY-MM-DD, inclusive bounds).

-- One row per sync run of a provider: the period synced and the one it is compared with.
CREATE TABLE analytics_syncs (
    id              INTEGER PRIMARY KEY,
    provider        TEXT NOT NULL,             -- posthog, ga4, plausible
    period_start    TEXT NOT NULL,
    period_end      TEXT NOT NULL,
    previous_start  TEXT NOT NULL,
    previous_end    TEXT NOT NULL,
    pages           INTEGER NOT NULL DEFAULT 0, -- pages with traffic in the period
    matched         INTEGER NOT NULL DEFAULT 0, -- documents they were matched to
    synced_at       TEXT NOT NULL
);
CREATE INDEX analytics_syncs_provider ON analytics_syncs (provider, synced_at);

-- Traffic per page and period, as the provider reported it, matched to a document by
-- its normalised URL (page_key: host without www. and port, path without query,
-- trailing slash or index.html).
CREATE TABLE page_traffic (
    provider         TEXT NOT NULL,
    page_key         TEXT NOT NULL,
    page_url         TEXT NOT NULL,            -- as reported (a URL, or host + path)
    period_start     TEXT NOT NULL,
    period_end       TEXT NOT NULL,
    document_id      TEXT REFERENCES documents (id) ON DELETE SET NULL,
    pageviews        INTEGER NOT NULL DEFAULT 0,
    visitors         INTEGER,
    entrances        INTEGER,                  -- sessions that started on the page
    bounce_rate      REAL,                     -- 0..1, of the sessions that started on it
    engagement_rate  REAL,                     -- 0..1 (GA4)
    synced_at        TEXT NOT NULL,
    PRIMARY KEY (provider, page_key, period_start, period_end)
);
CREATE INDEX page_traffic_document ON page_traffic (document_id);

-- Each document's traffic in the last synced period of each provider, and its trend
-- against the period before (rising, stable, declining).
CREATE TABLE document_traffic (
    document_id         TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    provider            TEXT NOT NULL,
    period_start        TEXT NOT NULL,
    period_end          TEXT NOT NULL,
    pageviews           INTEGER NOT NULL DEFAULT 0,
    previous_pageviews  INTEGER NOT NULL DEFAULT 0,
    change              REAL,                  -- (pageviews - previous) / previous; NULL when previous is 0
    trend               TEXT NOT NULL,
    entrances           INTEGER,
    bounce_rate         REAL,
    engagement_rate     REAL,
    synced_at           TEXT NOT NULL,
    PRIMARY KEY (document_id, provider)
);
CREATE INDEX document_traffic_trend ON document_traffic (trend, document_id);
