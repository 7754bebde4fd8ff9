"""nbgrader's file exchange, with one rule added for a shared server: a learner cannot hand in
work under another learner's name.

On JupyterHub every learner is a Unix account, and nbgrader's exchange is a shared folder whose
``inbound/`` anyone may write into. A submission is a folder named
``<learner>+<assignment>+<timestamp>+<random>``; nothing stops a learner from creating one with
another learner's name and a later timestamp. nbgrader's own collect only logs a warning
("cheating attempt?") and then takes the newest folder, so the forged work would replace the
real one. :class:`OwnerCheckedCollect` never takes a folder whose owner is not the learner it
names: the learner's own newest genuine submission is collected instead, and the forged one is
reported as an error.

Configured by the hub's ``nbgrader_config.py``
(``c.ExchangeFactory.collect = "digit4sd_widgets.hub.exchange.OwnerCheckedCollect"``).
"""

from __future__ import annotations

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect


def owner_name(path: str) -> str | None:
    """The Unix account that owns ``path``, or ``None`` if it has no name."""
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except (KeyError, OSError):
        return None


class OwnerCheckedCollect(ExchangeCollect):
    """Collect only submissions owned by the learner they are named after."""

    def _path_to_record(self, path):
        record = super()._path_to_record(path)
        record["owner"] = owner_name(path)
        record["forged"] = self.check_owner and record["owner"] != record["username"]
        return record

    def _sort_by_timestamp(self, records):
        for record in records:
            if record["forged"]:
                self.log.error(
                    "Refused %s: it is handed in as %s but belongs to the account %s. "
                    "It was not collected.", record["filename"], record["username"],
                    record["owner"] or "(unknown)")
        genuine = [r for r in records if not r["forged"]]
        # a learner with only forged folders keeps one here; copy_files drops it
        return super()._sort_by_timestamp(genuine or records)

    def copy_files(self):
        self.src_records = [r for r in self.src_records if not r["forged"]]
        super().copy_files()
