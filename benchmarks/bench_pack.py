"""Speed of ``digit4sd pack``: time per country pack, and many countries sequential
(``--jobs 1``) against parallel (``--jobs`` = cores) in the same run, each against a bare
notebook run through papermill the same way (the fixed cost of one kernel).

Run:  .venv/bin/python benchmarks/bench_pack.py                    # BGD and ETH, all 19
      .venv/bin/python benchmarks/bench_pack.py --countries NPL --notebooks 2.3,3.1
      .venv/bin/python benchmarks/bench_pack.py --all-ldc --notebooks 2.3,3.1   # 44 LDCs

All 44 LDCs with every notebook take about 40 s of notebook time per country one after
another: choose a few notebooks with ``--notebooks`` for a run of minutes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digit4sd_widgets.pack.build import (  # noqa: E402
    build_packs,
    default_jobs,
    human,
    resolve_countries,
    select_notebooks,
)


def bare_notebook_seconds(folder: Path, runs: int = 3) -> float:
    import nbformat
    import papermill

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        papermill.execute_notebook(nb, None, cwd=str(folder), progress_bar=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(label: str, countries: list[str], out: Path, jobs: int, notebooks, base: float,
        reference: float | None) -> float:
    report = build_packs(countries, out, jobs=jobs, notebooks=notebooks, progress=False)
    pages = sum(len(p.pages) for p in report.packs)
    per_country = report.seconds / len(countries)
    ratio = "" if reference is None else (
        f"   x{report.seconds / reference:.2f} of sequential "
        f"(speed-up {reference / report.seconds:.2f})")
    print(f"  {label:<22} {report.seconds:7.1f} s  = {per_country:6.1f} s per country pack, "
          f"{report.seconds / pages:5.2f} s per page (x{report.seconds / pages / base:.2f} "
          f"of a bare notebook){ratio}")
    work = sorted(sum(p.seconds for p in pack.pages) for pack in report.packs)
    if len(work) > 1:
        print(f"  {'':<22} page time per country: min {work[0]:.1f} s, median "
              f"{statistics.median(work):.1f} s, max {work[-1]:.1f} s")
    elif work:
        print(f"  {'':<22} page time for the country: {work[0]:.1f} s")
    if report.failures:
        print(f"  {'':<22} {len(report.failures)} page(s) FAILED: "
              f"{report.failures[0].iso3} {report.failures[0].label}: "
              f"{report.failures[0].error}")
    sizes = [p.size for pack in report.packs for p in pack.pages if p.kind == "notebook"]
    profiles = [p.size for pack in report.packs for p in pack.pages if p.kind == "profile"]
    if sizes:
        print(f"  {'':<22} notebook pages: median {human(int(statistics.median(sizes)))}, "
              f"largest {human(max(sizes))}; profiles: largest {human(max(profiles))}")
    return report.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", default="BGD,ETH",
                        help="comma-separated codes, names or groups (default: BGD,ETH)")
    parser.add_argument("--all-ldc", action="store_true", help="all 44 LDCs instead")
    parser.add_argument("--notebooks", default=None,
                        help="comma-separated submodule ids (default: all 19)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="workers for the parallel run (default: the cores)")
    parser.add_argument("--no-sequential", action="store_true",
                        help="skip the sequential run (no ratio then)")
    args = parser.parse_args()
    names = ["LDC"] if args.all_ldc else args.countries.split(",")
    countries = resolve_countries(names)
    notebooks = [args.notebooks] if args.notebooks else None
    subs = select_notebooks(notebooks)
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        folder = Path(tmp)
        base = bare_notebook_seconds(folder)
        print(f"Country packs: {len(countries)} countries x ({len(subs)} notebooks + profile), "
              f"{os.cpu_count()} cores; baseline: a bare notebook through papermill = "
              f"{base:.2f} s")
        reference = None
        if not args.no_sequential:
            reference = run("sequential (--jobs 1)", countries, folder / "seq", 1, notebooks,
                            base, None)
        run(f"parallel (--jobs {args.jobs})", countries, folder / "par", args.jobs, notebooks,
            base, reference)


if __name__ == "__main__":
    main()
