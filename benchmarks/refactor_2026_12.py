"""The record of benchmarks/REFACTOR-2026-12.md: eb41fd5 (before issue 15) against the
restructured code, on one machine, interleaved: import, cold build, no-change, one-change,
cold build without search. A one-off script, kept so the numbers can be measured again;
the paths are those of that run (two worktrees, the city in /tmp/bench-city).

    python benchmarks/refactor_2026_12.py                    # imports, builds, no_search
    RESULTS=/tmp/more.json START=4 REPS=4 python benchmarks/refactor_2026_12.py imports

Each run goes through /usr/bin/time -v (peak RSS of the largest single process) while a sampler
sums the RSS of the whole process tree every 50 ms. Results go to /tmp/bench-results.json.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

PY = "/work/main/.venv/bin/python"
TREES = {"old": "/work/wt-benchold", "new": "/work/wt-benchcheck"}
CITY = "/tmp/bench-city"
MEETING = "100"
REPS = int(os.environ.get("REPS", 3))
PAGE = os.sysconf("SC_PAGE_SIZE")
results = []


def base(v):
    return Path(f"/tmp/bench-{v}")


def env(v, cache):
    e = dict(os.environ, PYTHONPATH=TREES[v], XDG_CACHE_HOME=str(cache),
             RATSINFO_STATE_DIR=str(base(v) / "state"))
    return e


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            kids.setdefault(ppid, []).append(int(d))
    return kids


def tree_rss(root):
    kids, total, todo = children_map(), 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except OSError:
            pass
        todo += kids.get(pid, [])
    return total


def run(v, step, rep, argv, cache, log):
    load = os.getloadavg()
    tfile = base(v) / "time.txt"
    start = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", str(tfile), *argv], env=env(v, cache),
                                stdout=out, stderr=subprocess.STDOUT, cwd=base(v))
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)
    wall = time.monotonic() - start
    t = tfile.read_text()
    maxrss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
    row = dict(v=v, step=step, rep=rep, rc=proc.returncode, wall=round(wall, 2), cpu=round(user + sys_, 2),
               maxrss_mb=round(maxrss / 1024), tree_mb=round(peak / 2**20), load=[round(x, 2) for x in load],
               tail=Path(log).read_text().strip().splitlines()[-3:])
    results.append(row)
    print(json.dumps({k: row[k] for k in row if k != "tail"}), flush=True)
    Path(os.environ.get("RESULTS", "/tmp/bench-results.json")).write_text(json.dumps(results, indent=1))
    if proc.returncode:
        sys.exit(f"{v} {step} failed, see {log}")


def order(rep):
    return ["old", "new"] if rep % 2 else ["new", "old"]


def cli(*args):
    return [PY, "-m", "ratsinfo.cli", *args]


def imports():
    start = int(os.environ.get("START", 1))
    for rep in range(start, start + REPS):
        for v in order(rep):
            b = base(v)
            for name in ("content", "import-cache", "state"):
                shutil.rmtree(b / name, ignore_errors=True)
            run(v, "import", rep, cli("import", "oparl", CITY, "--content", str(b / "content"), "--no-files"),
                b / "import-cache", b / f"import-{rep}.log")


def builds():
    for rep in range(1, REPS + 1):
        for v in order(rep):
            for name in (f"cache-{rep}", f"out-{rep}"):
                shutil.rmtree(base(v) / name, ignore_errors=True)
        for step in ("cold", "nochange", "onechange"):
            for v in order(rep):
                b = base(v)
                meeting = b / "content" / "meetings" / f"{MEETING}.md"
                original = meeting.read_bytes()
                if step == "onechange":
                    meeting.write_bytes(original.replace(b"\nname: ", f"\nname: Umbenannt {rep} ".encode(), 1))
                run(v, step, rep, cli("build", "--content", str(b / "content"), "--output", str(b / f"out-{rep}")),
                    b / f"cache-{rep}", b / f"build-{step}-{rep}.log")
                if step == "onechange":
                    meeting.write_bytes(original)
                if step == "cold" and rep == 1:
                    shutil.rmtree(b / "compare", ignore_errors=True)
                    shutil.copytree(b / "out-1", b / "compare", symlinks=True)


def no_search():
    code = ("import sys; from pathlib import Path; from ratsinfo.build import build_site; "
            "build_site(Path(sys.argv[1]), Path(sys.argv[2]), overrides={'PAGEFIND': False})")
    for rep in range(1, REPS + 1):
        for v in order(rep):
            b = base(v)
            for name in (f"cache-ns-{rep}", f"out-ns-{rep}"):
                shutil.rmtree(b / name, ignore_errors=True)
            run(v, "cold-nosearch", rep, [PY, "-c", code, str(b / "content"), str(b / f"out-ns-{rep}")],
                b / f"cache-ns-{rep}", b / f"build-ns-{rep}.log")


if __name__ == "__main__":
    for v in TREES:
        base(v).mkdir(exist_ok=True)
    phases = sys.argv[1:] or ["imports", "builds", "no_search"]
    if Path("/tmp/bench-results.json").exists() and "imports" not in phases:
        results.extend(json.loads(Path("/tmp/bench-results.json").read_text()))
    for phase in phases:
        globals()[phase]()
