"""The room server: ``digit4sd serve``, the course as Voila apps for a workshop room.

Public face: ``digit4sd serve`` (:func:`.server.serve` with :class:`.server.RoomSettings`).

- :mod:`.server`: Voila with the room around it: start page, join, downloads, the host page
  and plenary views, the session cap, kernel shutdown, the room's own template only;
- :mod:`.room`: each kernel tied to one participant code (signed cookie -> the participant's
  workbook in ``<room>/participants/``) and speaking their language; runs inside the app
  kernels as ``join()``;
- :mod:`.language`: each participant's language (a cookie, their workbook's ``lang``, else
  the room's ``--lang``), the apps of every language (``<apps>/<lang>/...``), the words of
  the apps' template;
- :mod:`.snapshot`: snapshot first: the participant's own exercises drawn as static HTML by
  a warm worker process, sent in the page's first bytes until the live widgets take over;
- :mod:`.warm`: a room ready before people arrive: kernels kept ready per app (``--pool``,
  ``--expect N --first ID``), within the memory the laptop has, moved along the course;
- :mod:`.pages` and :mod:`.gate`: the pages really connected; access code, lockout, owners,
  the pace of the host's changes;
- :mod:`.workshop`: the breakouts after the core modules (groups mixed by country and field,
  moderators, the countdown) and each participant's progress; :mod:`.groupwork`: the Group
  work app, a group's shared workbook edited by its members at once; :mod:`.hostpages` and
  :mod:`.plenary`: the host's breakouts and progress, the projector's screens.

May import: the shared pieces at the package root (workbook, dossier, charts, static,
atomic), the data, the exercises and the course (the apps and their template). Never
grading, packs or the Hub.
"""
