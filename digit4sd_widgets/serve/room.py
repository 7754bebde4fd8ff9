"""The classroom room: participant codes, where each participant's workbook lives, and the
kernel-side step that ties a served app to the participant who opened it.

A room has no accounts. A participant types a short code (their name, initials, a table
number: anything they will remember) on the start page; the server keeps it in a cookie and
every app they open then works on ``<room>/participants/<code>.json``. The same code on
another laptop, after a refresh, a closed browser or a culled kernel, finds the same work.

The first cell of every served app calls :func:`join`. Under a preheated kernel pool it
runs before anyone asked for the page: it does the slow imports, then waits until the page
is requested, reads the participant's code from the request and points the workbook at
their file; the kernel then speaks the participant's language (:mod:`.language`).

>>> participant_code("  Amina-K ")
'amina-k'
>>> participant_code("a b")
Traceback (most recent call last):
...
ValueError: A code uses 2 to 24 letters, digits or dashes (no spaces), for example amina-k.
"""

from __future__ import annotations

import html
import os
import re
import secrets
from pathlib import Path

from .. import i18n
from ..i18n import _
from ..workbook import ENV_VAR, LEARNER_ENV
from . import language

#: names shared by the server and the kernels it starts
ROOM_ENV = "DIGIT4SD_ROOM"
COOKIE = "d4_participant"
COOKIE_DAYS = 30
_CODE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?$")

__all__ = ["COOKIE", "ROOM_ENV", "join", "participant_code", "workbook_path"]


def participant_code(text: str) -> str:
    """The normalised participant code, or ``ValueError`` with a message for the person."""
    code = (text or "").strip().lower()
    if len(code) < 2 or not _CODE.match(code):
        raise ValueError(_("A code uses 2 to 24 letters, digits or dashes (no spaces), "
                           "for example amina-k."))
    return code


def workbook_path(room: str | os.PathLike, code: str) -> Path:
    """The workbook file of participant ``code`` in ``room`` (the code is validated)."""
    return Path(room) / "participants" / f"{participant_code(code)}.json"


SECRET_FILE = ".cookie_secret"


def cookie_secret(room: str | os.PathLike) -> bytes:
    """The key the room signs its cookies with (made once, kept in the room folder)."""
    path = Path(room) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{SECRET_FILE}.{os.getpid()}.tmp")
        tmp.write_bytes(secrets.token_bytes(32))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    return path.read_bytes()


def code_from_cookie_header(header: str | None, secret: bytes) -> str | None:
    """The participant code in a ``Cookie:`` header, if the room signed it; else ``None``."""
    from tornado.web import decode_signed_value

    value = language.cookie_value(header, COOKIE)
    if value is None:
        return None
    raw = decode_signed_value(secret, COOKIE, value, max_age_days=COOKIE_DAYS)
    try:
        return participant_code(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return None


def _warm_up() -> None:
    """Load what every app needs, so that a preheated kernel has it ready."""
    import ipywidgets  # noqa: F401

    from .. import charts, exercises  # noqa: F401
    from ..data import load_countries, load_internet_use, load_survey

    load_survey()
    load_countries()
    load_internet_use()


def _wait_for_request(timeout: float = 10.0) -> None:
    """In a preheated kernel: wait until the page is asked for, then take in the request's
    details (its ``Cookie`` header among them) as environment variables.

    Voila offers this as ``voila.utils.wait_for_request``, but importing ``voila`` in a kernel
    costs about 45 MiB per participant; this speaks the same small protocol: one message
    on ``<server>/voila/query/<kernel id>``.
    """
    import json

    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    host = os.environ.get("VOILA_APP_IP") or "127.0.0.1"
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL") or "/"
    url = f"ws://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"
    try:
        with connect(url, open_timeout=timeout, max_size=2**20) as socket:
            info = json.loads(socket.recv())
    except (OSError, TimeoutError, ValueError, WebSocketException):
        return  # no request details: join() then treats the page as a visitor's
    for key, value in info.items():
        os.environ[str(key)] = str(value)


def page_language() -> str | None:
    """The language of the app this kernel serves, from its address
    (``/voila/render/fr/...``: French), else ``None``."""
    script = os.environ.get("SCRIPT_NAME") or ""
    _before, sep, path = script.partition("/voila/render/")
    if not sep:
        return None
    lang, _path = language.split_app_path(path)
    return lang


def join() -> str | None:
    """Tie this kernel to the participant who opened the page; return their code. The
    kernel then speaks the participant's language: the one chosen on the start page (its
    cookie), else their workbook's, else the page's, else the room's.

    Outside a room (JupyterLab, nbgrader, papermill) this does nothing and returns ``None``.
    """
    room = os.environ.get(ROOM_ENV)
    if not room:
        return None
    _warm_up()
    if os.environ.get("VOILA_PREHEAT") == "True":
        _wait_for_request()
    cookies = os.environ.get("HTTP_COOKIE")
    code = code_from_cookie_header(cookies, cookie_secret(room))
    if code is None:
        from IPython.display import HTML, display

        os.environ[ENV_VAR] = str(Path(room) / "visitors" / f"visitor-{os.getpid()}.json")
        os.environ[LEARNER_ENV] = f"visitor:{os.getpid()}"
        i18n.set_language(language.choose(language.from_cookie_header(cookies),
                                          page_language(),
                                          default=os.environ.get(language.ROOM_LANG_ENV)))
        # The server only serves apps to participants who joined; this is a safety net.
        display(HTML("<p><b>{}</b> {}</p>".format(
            html.escape(_("You have not joined the room yet.")),
            html.escape(_("Go back to the start page and enter your code so that your work "
                          "is kept.")))))
        return None
    # every app and kernel of this code is one learner: the code is the workbook's identity
    os.environ[ENV_VAR] = str(workbook_path(room, code))
    os.environ[LEARNER_ENV] = f"participant:{code}"
    i18n.set_language(language.choose(language.from_cookie_header(cookies),
                                      i18n.workbook_language(), page_language(),
                                      default=os.environ.get(language.ROOM_LANG_ENV)))
    return code
