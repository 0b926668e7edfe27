"""kurt.sample_site.cli: ``python -m kurt.sample_site`` serves until stopped."""

from __future__ import annotations

import subprocess
import sys

import httpx


def test_python_m_serves_synthetic_site_and_prints_base_url():
    proc = subprocess.Popen([sys.executable, "-m", "kurt.sample_site", "--pages", "5", "--crawl-delay", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        with httpx.Client(trust_env=False, timeout=10) as client:
            assert "Crawl-delay: 2" in client.get(base_url + "/robots.txt").text
            assert "Acme Cloud Documentation" in client.get(base_url + "/").text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
