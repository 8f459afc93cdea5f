"""One renamed meeting, `ratsinfo build` with its search index: with the delta search index
(plugins/search/delta.py) and without it (SEARCH_DELTA_PAGES = 0: the changed bundles are indexed
again), in interleaved rounds on one built city, with where the seconds go.

    python -m benchmarks.delta WORK [--rounds 3]

WORK holds content/ and output/ of a built city (e.g. from `python -m benchmarks.run --keep`, or
any `ratsinfo build` of `ratsinfo demo --papers N`). Each build runs in its own process; the same
meeting is renamed back and forth, so both ways index the same pages. Writes a Markdown table to
stdout (benchmarks/README.md, "Nachtrag").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from ratsinfo import PROJECT_ROOT

# The build in a child: each step of interest timed by wrapping it (wall seconds, summed per name).
CHILD = r"""
import json, sys, time, functools, resource
from pathlib import Path
spent = {}
def wrap(owner, name, label, record):
    original = getattr(owner, name)
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.monotonic()
        try:
            return original(*args, **kwargs)
        finally:
            record(label, time.monotonic() - started)
    setattr(owner, name, wrapper)
def timed(owner, name, label):
    wrap(owner, name, label, lambda label, seconds: spent.__setitem__(label, spent.get(label, 0.0) + seconds))

import pelican
import plugins.search, plugins.search.pagefind as pf, plugins.search.delta as delta, plugins.background as bg
import plugins.feeds, plugins.feeds.sitemap
import ratsinfo.build as build
from plugins.council.generator import CouncilGenerator
from plugins.oparlapi.generator import OParlGenerator
from plugins.opendata.generator import OpenDataGenerator
from plugins.feeds.generator import FeedsGenerator
from plugins.deploy.generator import DeployGenerator
timed(CouncilGenerator, "generate_context", "council: load graph, plan")
timed(CouncilGenerator, "generate_output", "council: render and write pages")
timed(OParlGenerator, "generate_output", "OParl API")
timed(OpenDataGenerator, "generate_output", "open data dumps")
timed(FeedsGenerator, "generate_output", "feeds, calendars")
timed(DeployGenerator, "generate_output", "server files (deploy)")
timed(bg, "finish", "waiting for background writers (API, dumps)")
timed(plugins.search, "run_pagefind", "search index (all)")
timed(pf, "_run", "search index: Pagefind processes")
timed(delta, "plan", "search index: delta plan (compare changed pages)")
timed(delta, "_entries", "search index: find stale entries' ids")
timed(build, "apply_overlay", "apply overlay (move into output/)")
timed(build, "write_manifest", "SHA256SUMS")
timed(pelican.Pelican, "run", "Pelican run (all generators and signals)")
# The API and the dumps are written in forked children (plugins/background.py): they report on stderr.
def in_child(owner, name, label):
    wrap(owner, name, label, lambda label, seconds: print(f"SPENT\t{label}\t{seconds}", file=sys.stderr, flush=True))
in_child(OParlGenerator, "write", "background: OParl API files (child process)")
in_child(OpenDataGenerator, "write", "background: open data dumps (child process)")
content, output, overrides = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
if sys.argv[4] == "1":
    # --pages-code-only: the writers' code (API, dumps, background, deploy files) is left out of the pages'
    # fingerprint here, so that a change of it, measured before and after, does not re-render 100,000 pages.
    import plugins.council.reuse.fingerprints as fingerprints
    original_tree_digest = fingerprints.tree_digest
    WRITERS = ("oparlapi", "opendata", "background.py", "deploy")
    def tree_digest(roots, *args, **kwargs):
        import hashlib
        digest = hashlib.sha1()
        for root in roots:
            for path in sorted(Path(root).rglob("*")):
                relative = path.relative_to(root)
                if (path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".svg", ".po")
                        and "__pycache__" not in path.parts and not (Path(root) == fingerprints.CODE_ROOTS[0]
                                                                     and relative.parts[0] in WRITERS)):
                    digest.update(str(relative).encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()
    fingerprints.tree_digest = tree_digest
started = time.monotonic()
result = build.build_site(content, output, overrides=overrides)
wall = time.monotonic() - started
print(json.dumps({"wall": wall, "spent": spent, "pages": result.pages, "indexed": result.report.bundles_indexed,
                  "rendered": result.report.rendered, "written": result.report.written,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
# As `ratsinfo build` ends (ratsinfo.cli.command): without freeing the graph object by object, which
# took 1.5-2 s of this process at 56,000 pages and is no part of what a webmaster waits for.
sys.stdout.flush()
sys.stderr.flush()
import os
os._exit(0)
"""


PAGES_CODE_ONLY = False


def build(content: Path, output: Path, overrides: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(content), str(output), json.dumps(overrides),
                           "1" if PAGES_CODE_ONLY else "0"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for line in done.stderr.splitlines():
        if line.startswith("SPENT\t"):
            _, label, seconds = line.split("\t")
            result["spent"][label] = result["spent"].get(label, 0.0) + float(seconds)
    return result


def rename(meeting: Path, name: str):
    """A new file renamed over the old one, never written in place: a work folder copied with
    `cp -al` shares its files' inodes with the city it was copied from."""
    from importers.content import read_front_matter, render_front_matter
    from ratsinfo.files import write_atomic

    data = read_front_matter(meeting)
    data["name"] = name
    write_atomic(meeting, render_front_matter(data))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-first-fold", action="store_true", help="the output was just measured: no folding build first")
    parser.add_argument("--pages-code-only", action="store_true",
                        help="leave the writers' code (API, dumps, deploy) out of the pages' fingerprint: measure a change "
                             "of them without re-rendering every page (the first build with this flag renders all)")
    parser.add_argument("--only", choices=["delta"], help="only the builds with the delta index")
    args = parser.parse_args(argv)
    global PAGES_CODE_ONLY
    PAGES_CODE_ONLY = args.pages_code_only
    content, output = args.work / "content", args.work / "output"
    files = sorted((content / "meetings").glob("*.md"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0)
    meeting = files[len(files) // 2]
    print(f"# {meeting.name}, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    ways = {"with delta": {"PAGEFIND": True}, "bundle re-index (SEARCH_DELTA_PAGES = 0)": {"PAGEFIND": True, "SEARCH_DELTA_PAGES": 0}}
    # A build that folds first: the state then names the site's fingerprint (plugins/search/delta.py).
    if not args.no_first_fold:
        build(content, output, ways["bundle re-index (SEARCH_DELTA_PAGES = 0)"])
    if args.only:
        ways = {"with delta": ways["with delta"]}
    runs = {way: [] for way in ways}
    for number in range(args.rounds):
        for way, overrides in ways.items():
            rename(meeting, f"Sondersitzung Hochwasserschutz {number} {way[:4]}")
            started = time.monotonic()
            result = build(content, output, overrides)
            result["process"] = time.monotonic() - started
            result["load"] = os.getloadavg()[0]
            runs[way].append(result)
            print(f"{way}: {result['wall']:.1f} s (process {result['process']:.1f} s), bundles indexed "
                  f"{result['indexed']}, load {result['load']:.1f}", file=sys.stderr)
    print(f"One renamed meeting ({meeting.name}), {runs[next(iter(runs))][0]['pages']:,} pages, fastest of "
          f"{args.rounds} interleaved rounds (wall seconds; steps may overlap: background writers)\n")
    best = {way: min(results, key=lambda r: r["wall"]) for way, results in runs.items()}
    names = sorted({name for r in best.values() for name in r["spent"]}, key=lambda n: -max(r["spent"].get(n, 0) for r in best.values()))
    print("| step | " + " | ".join(best) + " |")
    print("|---|" + "---:|" * len(best))
    print("| **process (`ratsinfo build`: start, imports, build_site)** | "
          + " | ".join(f"**{r['process']:.2f}**" for r in best.values()) + " |")
    print("| **build_site, whole** | " + " | ".join(f"**{r['wall']:.2f}**" for r in best.values()) + " |")
    for name in names:
        print(f"| {name} | " + " | ".join(f"{r['spent'].get(name, 0):.2f}" for r in best.values()) + " |")
    print("| bundles indexed | " + " | ".join(str(r["indexed"]) for r in best.values()) + " |")
    print("| pages rendered / written | " + " | ".join(f"{r['rendered']} / {r['written']}" for r in best.values()) + " |")
    print("| peak RSS (MB) | " + " | ".join(f"{r['rss_mb']:.0f}" for r in best.values()) + " |")


if __name__ == "__main__":
    main()
