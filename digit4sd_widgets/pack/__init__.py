"""Country packs: ``digit4sd pack``, material about one country to read offline or print.

Public face: ``digit4sd pack`` (:func:`.build.build_packs`).

- :mod:`.build`: reading copies of the release notebooks, run with papermill per country in
  a process pool, exported to HTML that loads nothing from outside; index, sizes, checks;
- :mod:`.profile`: the one-page printable country profile;
- widgets are drawn as static HTML (no kernel, no scripts) by the shared
  :mod:`digit4sd_widgets.static`, which the room's snapshots use too;
- ``templates/pack/``: the nbconvert template of a pack page.

May import: the shared pieces at the package root, the data and the course. Never serving,
grading or the Hub.
"""
