"""Speed of the exercise engine: import time, building each exercise view, and the time from
a model change to the refreshed view (KPI builder and country explorer, full dataset).

Each figure is printed with a baseline measured in the same run, and as a ratio to it,
because shared machines are noisy. Run:  .venv/bin/python benchmarks/bench_exercises.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable

REPEAT_IMPORT = 7
REPEAT_BUILD = 7
REPEAT_CHANGE = 60


def _run_python(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def median_of(fn: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_times() -> None:
    cases = {
        "python -c pass (baseline)": "pass",
        "import ipywidgets, pandas, matplotlib (baseline)":
            "import ipywidgets, pandas, matplotlib.figure",
        "import digit4sd_widgets": "import digit4sd_widgets",
        "from digit4sd_widgets import StakeholderMatrix":
            "from digit4sd_widgets import StakeholderMatrix",
        "import every exercise": "import digit4sd_widgets.exercises",
    }
    runs: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(REPEAT_IMPORT):  # interleaved, so noise hits every case alike
        for label, code in cases.items():
            runs[label].append(_run_python(code))
    base = statistics.median(runs["import ipywidgets, pandas, matplotlib (baseline)"])
    print("\nImport time (median of", REPEAT_IMPORT, "fresh interpreters)")
    for label, values in runs.items():
        med = statistics.median(values)
        print(f"  {label:<52} {med * 1000:8.0f} ms   x{med / base:5.2f} of the stack import")


def build_times() -> None:
    import ipywidgets as widgets

    from digit4sd_widgets.exercises import VIEWS
    from digit4sd_widgets.workbook import Workbook

    base = median_of(lambda: widgets.VBox([widgets.Text(), widgets.Button(),
                                           widgets.HTML()]), 50)
    print("\nBuilding each exercise view (median of", REPEAT_BUILD, "), baseline: a VBox of "
          f"three plain widgets = {base * 1000:.2f} ms")
    for view in VIEWS:
        view(workbook=Workbook.in_memory())  # warm caches (data load, fonts)
        med = median_of(lambda view=view: view(workbook=Workbook.in_memory()), REPEAT_BUILD)
        print(f"  {view.__name__:<30} {med * 1000:8.1f} ms   x{med / base:7.1f}")


def change_times() -> None:
    import ipywidgets as widgets

    from digit4sd_widgets.exercises import CountryExplorer, KPIBuilder
    from digit4sd_widgets.workbook import Workbook

    text = widgets.Text()
    counter = iter(range(10**9))
    base = median_of(lambda: setattr(text, "value", str(next(counter))), 200)

    # Every timed change shows something not seen before in this run (no cache hits):
    # countries in turn; an edition change on a country just opened; new target values.
    explorer = CountryExplorer(workbook=Workbook.in_memory())
    isos = [value for _label, value in explorer.country.options]
    cycle = iter(isos)
    explorer_med = median_of(lambda: setattr(explorer.country, "value", next(cycle)),
                             REPEAT_CHANGE)
    times = []
    for iso in isos[REPEAT_CHANGE:REPEAT_CHANGE * 2]:
        explorer.edition.value = 2024
        explorer.country.value = iso
        start = time.perf_counter()
        explorer.edition.value = 2022
        times.append(time.perf_counter() - start)
    edition_med = statistics.median(times)
    seen = iter(isos[:5] * REPEAT_CHANGE)  # opened above, in this view
    revisit_med = median_of(lambda: setattr(explorer.country, "value", next(seen)),
                            REPEAT_CHANGE)

    kpi = KPIBuilder(workbook=Workbook.in_memory())
    kpi.name.value = "Online services for every citizen by 2030"
    kpi.indicator.value = "osi"
    kpi.target_year.value = "2030"
    targets = iter([f"{0.75 + i / 10000:.4f}" for i in range(1000)])
    kpi_med = median_of(lambda: setattr(kpi.target, "value", next(targets)), REPEAT_CHANGE)
    times = []
    for i in range(REPEAT_CHANGE):
        kpi.indicator.value = "osi"
        kpi.target.value = f"{0.9 + i / 10000:.4f}"  # a chart not drawn before
        start = time.perf_counter()
        kpi.indicator.value = "hci"
        times.append(time.perf_counter() - start)
    kpi_ind_med = statistics.median(times)

    print(f"\nModel change -> refreshed view (median of {REPEAT_CHANGE}); baseline: setting a "
          f"plain Text widget = {base * 1000:.3f} ms; target < 50 ms")
    for label, med in [("CountryExplorer: a new country", explorer_med),
                       ("CountryExplorer: another edition", edition_med),
                       ("CountryExplorer: a country seen before", revisit_med),
                       ("KPIBuilder: another target value", kpi_med),
                       ("KPIBuilder: another indicator", kpi_ind_med)]:
        flag = "ok" if med < 0.05 else "OVER TARGET"
        print(f"  {label:<40} {med * 1000:8.1f} ms   x{med / base:8.0f}   {flag}")


def main() -> None:
    import platform

    print(f"DIGIT4SD exercise benchmark; Python {platform.python_version()}, "
          f"{platform.machine()}")
    import_times()
    build_times()
    change_times()


if __name__ == "__main__":
    main()
