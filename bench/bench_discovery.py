"""Discovery benchmark: do Kurt's own commands find the right sources on a B2B company site?

Serves the generated company website (``kurt.sample_site.company``: about 560
pages, a blog, newsletters, authors, a glossary, videos, and a directory of
66 short partner pages under ``/ecosystem/``) from a SEPARATE process, runs
the installed ``kurt`` as a user would, and judges its answers against the
site's ground truth (``company_truth``), by text, never by Kurt's own flags:

- ``kurt content add <site>`` with indexing and with ``--no-index``, in two
  fresh workspaces, same site, same run: pages/s end to end and their ratio;
- then ``kurt content add <folder copy>`` (20 of the blog posts as markdown
  files, as a writer's local export) into the indexed workspace;
- recall and precision over the partner pages of
  ``content list --with-entity "Topic:integration"``,
  ``--with-content-type integration`` and ``--url-contains /ecosystem/``
  (``--format json`` lists every match unless ``--limit`` is given, so the
  classifiers are measured, not a page size);
- ``content search "integration"``: rank of the first partner page, partner
  pages in the top 10;
- seed queries ("integration", "pricing", "security", three partner names):
  share of boilerplate passages in each top 10 (event banner, call to
  action, "Subscribe", "PREVIOUS POSTS", cookie and video notices: a passage
  at least half chrome of its page, by characters), the rank of the page the
  query is about, and duplicates (one page twice in a top 10: the site and
  its folder copy, ``/~jane`` and ``/%7Ejane``), plus a few title queries;
- partners as entities: in ``content list-entities`` (any type, and as
  Company), and whether ``--with-entity "Company:<Partner>"`` finds the
  partner's page, for every partner;
- ``draft new --template integration-page --var partner=X`` and ``draft
  evidence`` for three partners: boilerplate among the quoted passages, and
  whether the partner's page is among the proposed sources;
- ``template customize integration-page --dry-run``: duplicates among the
  pages it learns from, and DO/DON'T examples that are chrome.

    python bench/bench_discovery.py                        # table, targets beside the figures
    python bench/bench_discovery.py --json                 # machine-readable
    python bench/bench_discovery.py --directory /partners/ --repeat 3

Targets are those of issue 8.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from kurt.sample_site.company import company_truth, write_folder_copy
from kurt.sample_site.company_truth import CompanyTruth

TARGETS = {
    "topic_recall": 0.9, "topic_precision": 0.9, "type_recall": 0.9, "type_precision": 0.9,
    "first_partner_rank": 3, "boilerplate_in_top10": 0, "boilerplate_in_evidence": 0, "duplicates_in_top10": 0,
    "index_vs_no_index": 0.9,
}


# ---- running things


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-m", "kurt.sample_site", "--company", "--seed", str(args.seed),
           "--directory", args.directory, "--company-name", args.company]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith("http"):
        proc.kill()
        raise SystemExit("the company site did not start")
    return proc, base_url


def warm_server(base_url: str, truth: CompanyTruth) -> None:
    """Render every page once, so neither timed run pays the server's first render."""
    with httpx.Client(trust_env=False, timeout=30) as client, ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda p: client.get(base_url + p), truth.pages))


class Kurt:
    """The installed ``kurt`` command, run in one workspace."""

    def __init__(self, exe: str, ws: Path) -> None:
        self.exe, self.ws = exe, ws

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([self.exe, *args], cwd=self.ws, capture_output=True, text=True,
                              env={**_env(), "COLUMNS": "200", "NO_COLOR": "1"})
        if check and proc.returncode != 0:
            raise SystemExit(f"kurt {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-1500:]}")
        return proc

    def json(self, *args: str) -> object:
        return json.loads(self.run(*args, "--format", "json").stdout)


def _load() -> float:
    """The 1-minute load average: the machine's other work skews the timings."""
    return round(os.getloadavg()[0], 2)


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}


def timed_add(exe: str, ws: Path, source: str, *, index: bool) -> dict:
    subprocess.run([exe, "init", str(ws)], check=True, capture_output=True)
    args = [exe, "content", "add", source, "--format", "json"] + ([] if index else ["--no-index"])
    with open(ws.parent / f"add-{ws.name}.json", "w+") as out:  # a pipe could fill up and block kurt
        started = time.monotonic()
        proc = subprocess.run(args, cwd=ws, stdout=out, stderr=subprocess.PIPE, text=True, env=_env())
        seconds = time.monotonic() - started
        if proc.returncode != 0:
            raise SystemExit(f"kurt content add failed: {proc.stderr[-1500:]}")
        out.seek(0)
        fetched = json.load(out)["fetch"]["fetched"]
    return {"seconds": round(seconds, 2), "fetched": fetched, "pages_per_second": round(fetched / seconds, 1)}


# ---- judging


def judge_documents(urls: list[str], truth: CompanyTruth) -> dict:
    """Recall and precision of a set of documents over the partner pages."""
    partners = truth.partner_paths()
    found, kinds, about = set(), {}, 0
    for url in urls:
        path = truth.path_of(url)
        page = truth.pages.get(path) if path else None
        kind = "folder copy" if truth.is_folder_copy(url) else (page.kind if page else "other")
        if path in partners and not truth.is_folder_copy(url):
            found.add(path)
        else:
            kinds[kind] = kinds.get(kind, 0) + 1
        about += bool(page and page.about_integration and not truth.is_folder_copy(url))
    return {"returned": len(urls), "partner_pages": len(found),
            "recall": round(len(found) / len(partners), 3),
            "precision": round(len(found) / len(urls), 3) if urls else None,
            "precision_lenient": round(about / len(urls), 3) if urls else None,
            "false_positives_by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1]))}


def passage_text(ws: Path, hit: dict) -> str:
    lines = (ws / hit["content_path"]).read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(lines[hit["line_start"] - 1:hit["line_end"]])


def _query_words(text: str) -> str:
    return " ".join(re.findall(r"[A-Za-z0-9]+", text))


def judge_top10(kurt: Kurt, truth: CompanyTruth, query: str, relevant: set[str]) -> dict:
    top = kurt.json("content", "search", query, "--limit", "10")["passages"]
    deep = kurt.json("content", "search", query, "--limit", "100")["passages"]
    boiler, chrome, duplicates = [], 0, []
    seen: dict[str, list[str]] = {}
    for rank, hit in enumerate(top, start=1):
        text = passage_text(kurt.ws, hit)
        share = truth.chrome_share(hit["url"], text)
        chrome += share > 0
        if share >= 0.5:
            boiler.append({"rank": rank, "url": hit["url"], "text": " ".join(text.split())[:90]})
        canonical = truth.canonical(hit["url"])
        if canonical:  # a second document with the same page (two passages of one document are no copy)
            ids = seen.setdefault(canonical, [])
            if hit["document_id"] not in ids:
                ids.append(hit["document_id"])
                if len(ids) > 1:
                    duplicates.append({"rank": rank, "page": canonical, "url": hit["url"]})
    ranks = [i for i, h in enumerate(deep, start=1) if truth.path_of(h["url"]) in relevant
             and not truth.is_folder_copy(h["url"])]
    return {"query": query, "results": len(top), "boilerplate": len(boiler), "with_some_chrome": chrome,
            "boilerplate_passages": boiler, "duplicates": duplicates,
            "relevant_rank": ranks[0] if ranks else None,
            "relevant_in_top10": len({truth.path_of(h["url"]) for h in top} & relevant)}


def seed_partners(truth: CompanyTruth) -> list:
    """Three partners to query: a well-known one, an invented one that says "integration", one that does not."""
    known = next(p for p in truth.partners if p.well_known and p.mentions_integration)
    invented = [p for p in truth.partners if not p.well_known]
    return [known, next(p for p in invented if p.mentions_integration),
            next(p for p in invented if not p.mentions_integration)]


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def measure_entities(kurt: Kurt, truth: CompanyTruth) -> dict:
    entities = kurt.json("content", "list-entities")["entities"]
    by_name: dict[str, set[str]] = {}
    for e in entities:
        by_name.setdefault(_norm(e["name"]), set()).add(e["type"])
    as_entity = [p.name for p in truth.partners if _norm(p.name) in by_name]
    as_company = [p.name for p in truth.partners if "Company" in by_name.get(_norm(p.name), ())]

    def finds(partner) -> bool:
        docs = kurt.json("content", "list", "--with-entity", f"Company:{partner.name}", "--limit", "0")["documents"]
        return any(truth.path_of(d["url"]) == partner.path for d in docs)

    with ThreadPoolExecutor(2) as pool:
        found = [p.name for p, ok in zip(truth.partners, pool.map(finds, truth.partners), strict=True) if ok]
    new = _not_in_vocabulary(entities, {_norm(p.name) for p in truth.partners})
    return {"partners": len(truth.partners), "entities_listed": len(entities), "partners_as_entities": len(as_entity),
            "other_new_entities": new,
            "partners_as_company": len(as_company), "with_entity_company_finds_page": len(found),
            "types_of_partner_entities": sorted({t for n in as_entity for t in by_name[_norm(n)]}),
            "partners_found": found}


def _not_in_vocabulary(entities: list[dict], partners: set[str]) -> list[str]:
    """Entities neither the built-in vocabulary nor the partner list names: discovered by the
    corpus pass (printed, so a reader judges whether they are real names)."""
    from kurt.index.vocabulary import load_vocabulary, tokenize

    vocab = load_vocabulary()
    out = []
    for e in entities:
        words = tuple(t.lower() for t in tokenize(e["name"]))
        if _norm(e["name"]) not in partners and words not in vocab.ci and tuple(tokenize(e["name"])) not in vocab.cs:
            out.append(f"{e['type']}:{e['name']}")
    return sorted(out)


def measure_evidence(kurt: Kurt, truth: CompanyTruth, partners: list) -> dict:
    kurt.run("project", "new", "bench", "--goal", "Integration pages for our partners")
    passages = boiler = chrome = with_page = first_boiler = 0
    passing = []
    examples = []
    for p in partners:
        draft = kurt.json("draft", "new", "bench", "--template", "integration-page", "--name", p.slug,
                          "--var", f"partner={p.name}", "--force")
        proposed = {truth.path_of(s["url"]) for s in draft["sources"] if s.get("url")}
        with_page += p.path in proposed
        passing += [s["url"] for s in draft["sources"] if s.get("url") and truth.path_of(s["url"]) != p.path]
        evidence = kurt.json("draft", "evidence", draft["path"])
        first = True
        for section in evidence["sections"]:
            for passage in section["passages"]:
                share = truth.chrome_share(passage["url"], passage["text"])
                passages += 1
                chrome += share > 0
                if share >= 0.5:
                    boiler += 1
                    examples.append({"partner": p.name, "section": section["key"],
                                     "text": " ".join(passage["text"].split())[:90]})
                    first_boiler += first
                first = False
    return {"partners": [p.name for p in partners], "passages": passages, "boilerplate": boiler,
            "with_some_chrome": chrome, "first_passage_boilerplate": first_boiler,
            "drafts_proposing_the_partner_page": with_page, "other_proposed_sources": len(passing),
            "other_proposed_kinds": _kinds(passing, truth), "boilerplate_passages": examples}


def _kinds(urls: list[str], truth: CompanyTruth) -> dict:
    out: dict[str, int] = {}
    for url in urls:
        path = truth.path_of(url)
        kind = "folder copy" if truth.is_folder_copy(url) else (truth.pages[path].kind if path else "other")
        out[kind] = out.get(kind, 0) + 1
    return out


def measure_customize(kurt: Kurt, truth: CompanyTruth) -> dict:
    proc = kurt.run("template", "customize", "integration-page", "--dry-run", "--format", "json", check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-300:]}
    data = json.loads(proc.stdout)
    pages = [p["url"] for p in data.get("pages", [])]
    canon = [truth.canonical(u) for u in pages]
    chrome_examples = [e["sentence"] for e in data.get("examples", [])
                       if truth.chrome_share(e.get("url") or "", e["sentence"]) >= 0.5]
    return {"pages": len(pages), "duplicate_pages": len(canon) - len(set(canon)),
            "partner_pages": sum(c in truth.partner_paths() for c in canon),
            "examples": len(data.get("examples", [])), "chrome_examples": len(chrome_examples),
            "chrome_example_sentences": chrome_examples, "page_kinds": _kinds(pages, truth)}


# ---- the run


def run(args: argparse.Namespace) -> dict:
    exe = shutil.which("kurt") or sys.exit("install kurt first: pip install -e .")
    truth = company_truth(seed=args.seed, directory=args.directory, company=args.company)
    load_before = _load()
    server, base_url = start_server(args)
    workdir = Path(tempfile.mkdtemp(prefix="kurt-bench-discovery-"))
    try:
        warm_server(base_url, truth)
        speed: dict[str, list[dict]] = {"index": [], "no_index": []}
        for k in range(args.repeat):
            order = ("no_index", "index") if k % 2 == 0 else ("index", "no_index")
            for mode in order:
                ws = workdir / f"{mode}-{k}"
                speed[mode].append(timed_add(exe, ws, base_url, index=mode == "index"))
        load_timed = _load()
        kurt = Kurt(exe, workdir / "index-0")
        folder = workdir / "exported posts"
        write_folder_copy(folder, seed=args.seed, directory=args.directory, company=args.company)
        kurt.run("content", "add", str(folder), "--format", "json")

        stored = kurt.json("content", "list", "--domain", urlsplit(base_url).hostname)["documents"]
        banner_docs = sum("DataConf 2026" in (kurt.ws / d["content_path"]).read_text(encoding="utf-8")
                          for d in stored if d.get("content_path"))

        def urls(*flt: str) -> list[str]:
            return [d["url"] for d in kurt.json("content", "list", *flt, "--limit", "0")["documents"]]

        lists = {
            "topic": judge_documents(urls("--with-entity", "Topic:integration"), truth),
            "content_type": judge_documents(urls("--with-content-type", "integration"), truth),
            "url_contains": judge_documents(urls("--url-contains", truth.directory), truth),
        }
        partners = seed_partners(truth)
        relevant = {"integration": truth.partner_paths(), "pricing": {"/pricing"}, "security": {"/security"}}
        relevant.update({p.name: {p.path} for p in partners})
        seeds = [judge_top10(kurt, truth, q, rel) for q, rel in relevant.items()]
        copied = list(truth.folder_copies.values())[:3]  # the newest posts, also in the folder copy
        dups = [judge_top10(kurt, truth, _query_words(truth.pages[p].title), {p}) for p in copied]
        dups.append(judge_top10(kurt, truth, "Jane Okafor talks notes", {"/~jane"}))
        integration = kurt.json("content", "search", "integration", "--limit", "200")["passages"]
        partner_ranks = [i for i, h in enumerate(integration, start=1)
                         if truth.path_of(h["url"]) in truth.partner_paths()]
        result = {
            "site": {"pages": len(truth.pages), "partners": len(truth.partners), "directory": truth.directory,
                     "stored_site_documents": len(stored), "site_documents_holding_the_banner": banner_docs,
                     "folder_copy_files": len(truth.folder_copies)},
            "load_average": {"before": load_before, "after_timed_runs": load_timed, "after": None},
            "speed": {mode: {"runs": runs, "median_pages_per_second": statistics.median(
                r["pages_per_second"] for r in runs)} for mode, runs in speed.items()},
            "lists": lists,
            "search_integration": {
                "first_partner_rank": partner_ranks[0] if partner_ranks else None,
                "searched": len(integration),
                "partner_pages_in_top10": len({truth.path_of(h["url"]) for h in integration[:10]}
                                              & truth.partner_paths())},
            "seed_queries": seeds,
            "duplicate_queries": dups,
            "entities": measure_entities(kurt, truth),
            "evidence": measure_evidence(kurt, truth, partners),
            "customize": measure_customize(kurt, truth),
            "workspace": str(kurt.ws) if args.keep else None,
        }
        speed_i = result["speed"]["index"]["median_pages_per_second"]
        speed_n = result["speed"]["no_index"]["median_pages_per_second"]
        result["speed"]["index_vs_no_index"] = round(speed_i / speed_n, 2)
        result["load_average"]["after"] = _load()
        return result
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _fmt(value) -> str:
    if value is None:
        return "none"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def table(r: dict) -> list[tuple[str, str, str]]:
    t = TARGETS
    rows = []
    for key, label in (("topic", '--with-entity "Topic:integration"'), ("content_type", "--with-content-type integration"),
                       ("url_contains", f"--url-contains {r['site']['directory']}")):
        x = r["lists"][key]
        target = (f">= {t['topic_recall']}", f">= {t['topic_precision']}") if key != "url_contains" else ("-", "-")
        rows.append((f"list {label}: recall", f"{_fmt(x['recall'])} ({x['partner_pages']}/{r['site']['partners']})",
                     target[0]))
        rows.append((f"list {label}: precision",
                     f"{_fmt(x['precision'])} of {x['returned']} (lenient {_fmt(x['precision_lenient'])})", target[1]))
    s = r["search_integration"]
    rows.append(('search "integration": first partner page', f"rank {_fmt(s['first_partner_rank'])} of "
                 f"{s['searched']}", f"<= {t['first_partner_rank']}"))
    rows.append(('search "integration": partner pages in top 10', str(s["partner_pages_in_top10"]), "-"))
    for q in r["seed_queries"]:
        rows.append((f'search "{q["query"]}": boilerplate in top 10', f"{q['boilerplate']}/{q['results']} "
                     f"(page about it: rank {_fmt(q['relevant_rank'])})", "0"))
    total = sum(q["boilerplate"] for q in r["seed_queries"])
    shown = sum(q["results"] for q in r["seed_queries"])
    rows.append(("seed queries: boilerplate share of top 10s", f"{total}/{shown} = {_fmt(total / shown if shown else 0.0)}",
                 "0"))
    dup = sum(len(q["duplicates"]) for q in r["seed_queries"] + r["duplicate_queries"])
    hit = sum(bool(q["duplicates"]) for q in r["seed_queries"] + r["duplicate_queries"])
    rows.append(("copies of a page already shown, in top 10s",
                 f"{dup} in {hit} of {len(r['seed_queries']) + len(r['duplicate_queries'])} queries", "0"))
    e = r["entities"]
    rows.append(("partners in list-entities (any type / Company)",
                 f"{e['partners_as_entities']}/{e['partners']} / {e['partners_as_company']}/{e['partners']}", "all"))
    rows.append(('--with-entity "Company:<Partner>" finds its page', f"{e['with_entity_company_finds_page']}/{e['partners']}",
                 "all"))
    rows.append(("other entities no vocabulary names", f"{len(e['other_new_entities'])}: "
                 + ", ".join(e["other_new_entities"][:8]), "real names only"))
    v = r["evidence"]
    rows.append(("draft evidence: boilerplate passages", f"{v['boilerplate']}/{v['passages']} (first passage: "
                 f"{v['first_passage_boilerplate']}/{len(v['partners'])})", "0"))
    rows.append(("draft new: partner page among proposed sources", f"{v['drafts_proposing_the_partner_page']}/"
                 f"{len(v['partners'])} (+{v['other_proposed_sources']} others)", "-"))
    c = r["customize"]
    if "error" not in c:
        rows.append(("template customize: duplicate pages / chrome examples",
                     f"{c['duplicate_pages']}/{c['pages']} / {c['chrome_examples']}/{c['examples']}", "0 / 0"))
    sp = r["speed"]
    rows.append(("content add, indexing: pages/s", _fmt(sp["index"]["median_pages_per_second"]), "-"))
    rows.append(("content add --no-index: pages/s", _fmt(sp["no_index"]["median_pages_per_second"]), "-"))
    rows.append(("indexing / --no-index rate", _fmt(sp["index_vs_no_index"]), f">= {t['index_vs_no_index']}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", default="/ecosystem/", help="path of the partner directory")
    parser.add_argument("--company", default="Quackbase")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="timed add runs per mode (alternating order)")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--keep", action="store_true", help="keep the workspaces for inspection")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    rows = table(result)
    width = max(len(r[0]) for r in rows)
    fig = max(len(r[1]) for r in rows)
    site = result["site"]
    print(f"company site: {site['pages']} pages, {site['partners']} partner pages under {site['directory']}, "
          f"{site['folder_copy_files']} posts in the folder copy; {site['site_documents_holding_the_banner']} of "
          f"{site['stored_site_documents']} stored site documents hold the event banner")
    load = result["load_average"]
    print(f"(content list --format json lists every match; load average "
          f"{load['before']} before, {load['after_timed_runs']} after the timed runs, on {os.cpu_count()} cores)\n")
    print(f"{'measure':<{width}}  {'figure':<{fig}}  target")
    for label, figure, target in rows:
        print(f"{label:<{width}}  {figure:<{fig}}  {target}")
    fp = result["lists"]["topic"]["false_positives_by_kind"]
    print(f"\nTopic:integration, other documents by kind: {fp}")
    boiler = [b for q in result["seed_queries"] for b in q["boilerplate_passages"]][:6]
    if boiler:
        print("boilerplate passages in top 10s, e.g.:")
        for b in boiler:
            print(f"  #{b['rank']} {b['url']}: {b['text']}")


if __name__ == "__main__":
    main()
