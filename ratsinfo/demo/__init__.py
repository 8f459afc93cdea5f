"""A demo OParl 1.1 dump of the invented Große Kreisstadt Muldenau.

`write_demo(folder)` writes a complete, deterministic dump (JSON and small
PDFs) in the layout importers/oparl/source.py reads, so that the portal can
be built and tested without any real council's data. The markers tell tests
what to look for: a word only a PDF contains, words only non-public agenda
items contain. `write_demo_sqlite(file)` writes the same town as a database
export in the neutral schema (docs/sql-export.md). `write_demo(folder,
papers=N)` writes the same town grown to city scale for the benchmarks
(city.py): one generator for the demo, the tests and the benchmarks;
`write_demo(folder, papers=N, archive="realistic")` gives its files PDFs
shaped like a council's archive, scans included (archive.py).
"""

from ratsinfo.demo.dump import write_demo
from ratsinfo.demo.markers import NON_PUBLIC_MARKERS, PDF_ONLY_PAPER_REFERENCE, PDF_ONLY_WORD
from ratsinfo.demo.oparl import BASE_URL
from ratsinfo.demo.sqlite import write_demo_sql, write_demo_sqlite

__all__ = [
    "BASE_URL", "NON_PUBLIC_MARKERS", "PDF_ONLY_PAPER_REFERENCE", "PDF_ONLY_WORD", "write_demo",
    "write_demo_sql", "write_demo_sqlite",
]
