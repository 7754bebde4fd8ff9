"""The data room: the UN E-Government Survey as typed tables, and what is computed from them.

Public face (the only way notebooks and exercises read data)::

    from digit4sd_widgets.data import load_survey, load_countries, load_internet_use, find_country

- :mod:`.loader`: the typed, cached, validated loader of ``datasets/`` (re-exported here);
- :mod:`.analysis`: shared computations (peer group, group means, weakest component, trend);
- :mod:`.geo`: the vendored world map shapes, decoded and drawn offline;
- :mod:`.build`: ``digit4sd data build``, the refresh tool that writes ``datasets/`` from the
  published files in ``data/raw/`` (never run by the course itself);
- :mod:`.check`: ``digit4sd data check``, checksums, schema and coverage of ``datasets/``.

May import: :mod:`digit4sd_widgets.atomic` and :mod:`digit4sd_widgets.i18n` (messages and
names in the reader's language) only. Everything else in the package stands on it.
"""

from __future__ import annotations

from .loader import (
    COMPONENTS,
    EDITIONS,
    EGDI_LEVELS,
    GROUP_NAMES,
    GROUPS,
    LATEST_EDITION,
    country_as_read,
    dataset_dir,
    find_country,
    load_countries,
    load_internet_use,
    load_survey,
)

__all__ = [
    "COMPONENTS",
    "EDITIONS",
    "EGDI_LEVELS",
    "GROUPS",
    "GROUP_NAMES",
    "LATEST_EDITION",
    "country_as_read",
    "dataset_dir",
    "find_country",
    "load_countries",
    "load_internet_use",
    "load_survey",
]
