"""Write the benchmark city on its own: the demo town at a given scale, as an OParl dump.

    python -m benchmarks.synthetic_city --papers 2000 --out build/bench/dump

The town itself is made in the product package (ratsinfo/demo/city.py,
`write_demo(folder, papers=N)`), so that the demo, the tests and the
benchmarks share one generator; this module only gives it a command line.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ratsinfo.demo import write_demo


def main(argv=None):
    parser = argparse.ArgumentParser(description="Die Demo-Stadt in Großstadtgröße als OParl-1.1-Dump schreiben")
    parser.add_argument("--papers", type=int, default=2000, help="Zahl der Vorlagen (60000 = Großstadt, 20 Jahre)")
    parser.add_argument("--out", type=Path, required=True, help="Zielordner des Dumps")
    args = parser.parse_args(argv)
    print(json.dumps(write_demo(args.out, papers=args.papers), indent=1))


if __name__ == "__main__":
    main()
