"""JupyterLab settings for ``digit4sd lab``: work with no internet, ask nothing of it.

Loaded with ``jupyter lab --config=<this file>``.
"""

c = get_config()  # noqa: F821  (injected by traitlets)

# No news feed and no update check: both call the internet and a classroom may have none.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
