"""The room server: ``digit4sd serve``, the course as Voila apps for a workshop room.

Public face: ``digit4sd serve`` (:func:`.server.serve` with :class:`.server.RoomSettings`).

- :mod:`.server`: Voila with the room around it: start page, join, downloads, the host page
  and plenary views, the session cap, kernel shutdown, the room's own template only;
- :mod:`.room`: each kernel tied to one participant code (signed cookie -> the participant's
  workbook in ``<room>/participants/``); runs inside the app kernels as ``join()``.

May import: the shared pieces at the package root (workbook, dossier, charts, atomic), the
data, the exercises and the course (the apps and their template). Never grading, packs or
the Hub.
"""
