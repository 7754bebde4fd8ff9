"""JupyterHub configuration for the DIGIT4SD course.

Start the Hub (as root, after `digit4sd hub setup`) with

    DIGIT4SD_HUB_STATE=/srv/digit4sd-hub jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Everything about this machine (accounts, exchange, grader, gradebook) is in the plan that
setup wrote, `$DIGIT4SD_HUB_STATE/hub.json`; `digit4sd_widgets.hub.configure` turns it into
settings. Site-specific additions (another authenticator, HTTPS, limits) go below it.
"""

from digit4sd_widgets.hub import configure, load_plan

c = get_config()  # noqa: F821  (injected by JupyterHub)
configure(c, load_plan())

# --- site additions, for example:
# c.JupyterHub.ssl_cert = "/etc/letsencrypt/live/hub.example.org/fullchain.pem"
# c.JupyterHub.ssl_key = "/etc/letsencrypt/live/hub.example.org/privkey.pem"
