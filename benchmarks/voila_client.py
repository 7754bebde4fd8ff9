"""A light participant for load-testing a Voila classroom server, without a browser.

One simulated participant does what a browser tab does, minus the JavaScript and the
static assets:

1. GET the Voila page and time the complete HTML (Voila renders the whole notebook before
   the last byte, unless progressive rendering is on). The kernel id comes from the page
   config (``<script id="jupyter-config-data">``), the widget model ids from the cell outputs
   (``<script type="application/vnd.voila.cell-output+json">``).
2. GET ``/api/kernels/<id>`` (the widget manager asks for the kernel model first), then open
   ``/api/kernels/<id>/channels?session_id=<uuid>`` with the page's cookies.
3. Send ``kernel_info_request`` (JupyterLab's kernel connection does on connect), then fetch
   the widget states the way Voila 0.5.13's ipywidgets 8 manager does (``sync="control"``:
   a ``jupyter.widget.control`` comm and one ``request_states``), or the older way
   (``sync="models"``: ``comm_info_request`` for ``jupyter.widget`` then ``request_state``
   on every widget comm; ipywidgets 8 falls back to it when the control comm fails).
4. Change a Text, slider, dropdown or checkbox value with a ``comm_msg`` ``update`` and time
   the round trip until the kernel reports ``status: idle`` for that message (the Python
   callbacks have run and their replies are on the wire).
5. Close the websocket and, like the page's ``beforeunload`` handler, POST
   ``/voila/api/shutdown/<id>`` with the ``_xsrf`` cookie value as a form field.

Messages use the ``v1.kernel.websocket.jupyter.org`` binary framing by default, which is what
JupyterLab's services library asks for and jupyter_server 2 agrees to; ``protocol="legacy"``
asks for no subprotocol and gets the JSON text framing.

Load mode runs many participants on one asyncio loop, arriving evenly over a time window.

    python benchmarks/voila_client.py http://127.0.0.1:8866/ --clients 20 --arrival-seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import re
import secrets
import statistics
import struct
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse
from tornado.simple_httpclient import HTTPTimeoutError
from tornado.websocket import WebSocketClientConnection, websocket_connect

V1_SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
MESSAGE_SPEC_VERSION = "5.3"
USER_AGENT = "digit4sd-voila-client/1"
#: the mark of the room's server-drawn snapshot in an app page
SNAPSHOT = b'id="d4-snapshot"'

# Every message type the client sends is on Voila's list of types a browser may send.
VOILA_ALLOWED_TYPES = frozenset(
    {"comm_open", "comm_close", "comm_msg", "comm_info_request", "kernel_info_request",
     "shutdown_request"}
)

_CONFIG_RE = re.compile(
    r'<script[^>]*\bid=["\']jupyter-config-data["\'][^>]*>(.*?)</script>', re.S | re.I
)
_OUTPUT_RE = re.compile(
    r'<script[^>]*\btype=["\']application/vnd\.voila\.cell-output\+json["\'][^>]*>(.*?)</script>',
    re.S | re.I,
)
_MODEL_REF_RE = re.compile(r"IPY_MODEL_([0-9a-f]+)")


class ClientError(Exception):
    """A participant could not go on; ``stage`` tells where it stopped."""

    def __init__(self, stage: str, reason: str):
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason


# --------------------------------------------------------------------------- page parsing


@dataclass
class PageInfo:
    """What the client needs from a rendered Voila page."""

    kernel_id: str | None
    base_url: str
    model_ids: list[str]
    outputs: int
    error_outputs: int
    config: dict[str, Any]


def parse_page(html: str) -> PageInfo:
    """Pull the kernel id, the base URL and the displayed widget model ids out of a page."""
    config: dict[str, Any] = {}
    match = _CONFIG_RE.search(html)
    if match:
        try:
            config = json.loads(unescape(match.group(1)).strip() or "{}")
        except json.JSONDecodeError:
            config = {}
    model_ids: list[str] = []
    outputs = errors = 0
    for block in _OUTPUT_RE.findall(html):
        try:
            output = json.loads(block)
        except json.JSONDecodeError:
            try:
                output = json.loads(unescape(block))
            except json.JSONDecodeError:
                continue
        outputs += 1
        if output.get("output_type") == "error":
            errors += 1
        view = (output.get("data") or {}).get(WIDGET_VIEW_MIME)
        if isinstance(view, dict) and view.get("model_id") and view["model_id"] not in model_ids:
            model_ids.append(view["model_id"])
    return PageInfo(
        kernel_id=config.get("kernelId"),
        base_url=config.get("baseUrl") or "/",
        model_ids=model_ids,
        outputs=outputs,
        error_outputs=errors,
        config=config,
    )


# --------------------------------------------------------------------------- cookies


class CookieJar:
    """A per-participant cookie store: enough of RFC 6265 for one server."""

    def __init__(self, initial: dict[str, str] | None = None):
        self.cookies: dict[str, str] = dict(initial or {})

    def absorb(self, response: HTTPResponse) -> None:
        for line in response.headers.get_list("Set-Cookie"):
            self.absorb_line(line)

    def absorb_line(self, line: str) -> None:
        first, *attributes = line.split(";")
        name, sep, value = first.partition("=")
        name = name.strip()
        if not sep or not name:
            return
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        expired = False
        for attribute in attributes:
            key, _, arg = attribute.strip().partition("=")
            key = key.lower()
            if key == "max-age":
                expired = arg.strip().lstrip("-").isdigit() and int(arg) <= 0
            elif key == "expires" and not expired:
                with contextlib.suppress(TypeError, ValueError):
                    expired = parsedate_to_datetime(arg.strip()) <= datetime.now(UTC)
        if expired:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


# --------------------------------------------------------------------------- wire framing


def encode_v1(channel: str, parts: list[bytes]) -> bytes:
    """Frame a message for the v1 kernel websocket protocol.

    Layout: a little-endian uint64 count of offsets, the offsets themselves (start of the
    channel name, then the end of the channel name and of every part), the channel name,
    then header, parent_header, metadata, content and any buffers.
    """
    channel_bytes = channel.encode()
    offsets = [8 * (len(parts) + 3)]
    offsets.append(offsets[-1] + len(channel_bytes))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + channel_bytes + b"".join(parts)


def decode_v1(frame: bytes) -> dict[str, Any]:
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    channel = frame[offsets[0]: offsets[1]].decode()
    parts = [frame[offsets[i]: offsets[i + 1]] for i in range(1, count - 1)]
    header, parent, metadata, content = (json.loads(p) if p else {} for p in parts[:4])
    return {"channel": channel, "header": header, "parent_header": parent,
            "metadata": metadata, "content": content, "buffers": parts[4:]}


def decode_legacy(frame: str | bytes) -> dict[str, Any]:
    if isinstance(frame, str):
        message = json.loads(frame)
        message.setdefault("buffers", [])
        return message
    # Binary legacy frame: big-endian uint32 count, uint32 offsets, JSON message, buffers.
    count = struct.unpack("!I", frame[:4])[0]
    offsets = list(struct.unpack("!" + "I" * count, frame[4: 4 * (count + 1)]))
    offsets.append(len(frame))
    pieces = [frame[a:b] for a, b in itertools.pairwise(offsets)]
    message = json.loads(pieces[0])
    message["buffers"] = pieces[1:]
    return message


# --------------------------------------------------------------------------- kernel socket


@dataclass
class Exchange:
    """One request and everything the kernel sent back with it as parent."""

    msg_id: str
    msg_type: str
    sent_at: float
    want_reply: bool
    messages: list[dict[str, Any]] = field(default_factory=list)
    reply: dict[str, Any] | None = None
    reply_at: float | None = None
    idle_at: float | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    replied: asyncio.Event = field(default_factory=asyncio.Event)

    def check(self) -> None:
        if self.reply is not None:
            self.replied.set()
        if self.idle_at is not None and (self.reply is not None or not self.want_reply):
            self.done.set()

    def first(self, msg_type: str, method: str | None = None) -> dict[str, Any] | None:
        for message in self.messages:
            if message["header"].get("msg_type") != msg_type:
                continue
            data = (message.get("content") or {}).get("data") or {}
            if method is None or data.get("method") == method:
                return message
        return None


class KernelSocket:
    """The kernel channels websocket, speaking the way the browser's kernel connection does."""

    def __init__(self, ws: WebSocketClientConnection, session_id: str, protocol: str):
        self.ws = ws
        self.session_id = session_id
        self.protocol = protocol
        self.subprotocol = ws.selected_subprotocol
        # Browsers send without Nagle's delay; so should a participant standing in for one.
        ws.protocol.set_nodelay(True)
        self.received = 0
        self.closed_reason: str | None = None
        self._exchanges: dict[str, Exchange] = {}
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def connect(cls, ws_url: str, cookie_header: str, origin: str | None,
                      protocol: str = "v1", timeout: float = 60.0,
                      validate_cert: bool = True) -> KernelSocket:
        session_id = str(uuid.uuid4())
        sep = "&" if "?" in ws_url else "?"
        headers = {"User-Agent": USER_AGENT}
        if cookie_header:
            headers["Cookie"] = cookie_header
        if origin:
            headers["Origin"] = origin
        request = HTTPRequest(f"{ws_url}{sep}session_id={session_id}", headers=headers,
                              connect_timeout=timeout, request_timeout=timeout,
                              validate_cert=validate_cert)
        subprotocols = [V1_SUBPROTOCOL] if protocol == "v1" else None
        ws = await asyncio.wait_for(
            websocket_connect(request, subprotocols=subprotocols,
                              max_message_size=256 * 1024 * 1024),
            timeout,
        )
        return cls(ws, session_id, protocol)

    def _encode(self, channel: str, message: dict[str, Any]) -> str | bytes:
        if self.subprotocol == V1_SUBPROTOCOL:
            parts = [json.dumps(message[k]).encode()
                     for k in ("header", "parent_header", "metadata", "content")]
            return encode_v1(channel, parts)
        return json.dumps({**message, "channel": channel, "buffers": []})

    def _decode(self, frame: str | bytes) -> dict[str, Any]:
        if self.subprotocol == V1_SUBPROTOCOL and isinstance(frame, bytes):
            return decode_v1(frame)
        return decode_legacy(frame)

    async def _read(self) -> None:
        try:
            while True:
                frame = await self.ws.read_message()
                if frame is None:
                    self.closed_reason = (
                        f"websocket closed ({self.ws.close_code} {self.ws.close_reason or ''})"
                    ).strip()
                    break
                now = time.perf_counter()
                self.received += 1
                try:
                    message = self._decode(frame)
                except (ValueError, KeyError, struct.error) as exc:
                    self.closed_reason = f"undecodable frame: {exc}"
                    continue
                parent = (message.get("parent_header") or {}).get("msg_id")
                exchange = self._exchanges.get(parent) if parent else None
                if exchange is None:
                    continue
                message["received_at"] = now
                exchange.messages.append(message)
                msg_type = message["header"].get("msg_type", "")
                if message.get("channel") == "shell" and msg_type.endswith("_reply"):
                    exchange.reply, exchange.reply_at = message, now
                elif (message.get("channel") == "iopub" and msg_type == "status"
                      and message["content"].get("execution_state") == "idle"):
                    exchange.idle_at = now
                exchange.check()
        finally:
            for exchange in self._exchanges.values():
                exchange.replied.set()
                exchange.done.set()

    def send(self, msg_type: str, content: dict[str, Any], channel: str = "shell",
             metadata: dict[str, Any] | None = None, want_reply: bool = False) -> Exchange:
        if msg_type not in VOILA_ALLOWED_TYPES:
            raise ValueError(f"Voila drops {msg_type} messages from clients")
        msg_id = uuid.uuid4().hex
        message = {
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "",
                       "session": self.session_id, "date": datetime.now(UTC).isoformat(),
                       "version": MESSAGE_SPEC_VERSION},
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
        }
        exchange = Exchange(msg_id, msg_type, time.perf_counter(), want_reply)
        self._exchanges[msg_id] = exchange
        self.ws.write_message(self._encode(channel, message),
                              binary=self.subprotocol == V1_SUBPROTOCOL)
        return exchange

    async def request(self, msg_type: str, content: dict[str, Any], *, stage: str,
                      timeout: float, metadata: dict[str, Any] | None = None,
                      want_reply: bool = False, idle_grace: float | None = None) -> Exchange:
        """Send and wait for the reply (if any) and the kernel's idle for this message.

        With ``want_reply`` and ``idle_grace``, the reply alone is enough: the idle is awaited
        ``idle_grace`` seconds more and, if it never comes, the exchange is returned with
        ``idle_at`` None (an iopub message lost, which a browser would not notice yet).
        """
        exchange = self.send(msg_type, content, metadata=metadata, want_reply=want_reply)

        def missing(what: str, seconds: float) -> ClientError:
            got = ", ".join(m["header"].get("msg_type", "?") for m in exchange.messages)
            return ClientError(stage, f"no {what} from the kernel within {seconds:g} s "
                                      f"(got: {got or 'nothing'})")

        try:
            if want_reply and idle_grace is not None:
                try:
                    await asyncio.wait_for(exchange.replied.wait(), timeout)
                except TimeoutError:
                    raise missing("reply", timeout) from None
                if exchange.reply is not None:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(exchange.done.wait(), idle_grace)
                    return exchange
            else:
                try:
                    await asyncio.wait_for(exchange.done.wait(), timeout)
                except TimeoutError:
                    raise missing("idle", timeout) from None
        finally:
            self._exchanges.pop(exchange.msg_id, None)
        if not (exchange.idle_at and (exchange.reply or not want_reply)):
            raise ClientError(stage, self.closed_reason or "websocket closed")
        return exchange

    async def close(self, timeout: float = 5.0) -> None:
        self.ws.close(1000)
        try:
            await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        except TimeoutError:
            self._reader.cancel()


# --------------------------------------------------------------------------- widgets


TEXT_MODELS = frozenset({"TextModel", "TextareaModel", "ComboboxModel", "PasswordModel"})
NUMBER_MODELS = frozenset({
    "IntSliderModel", "FloatSliderModel", "FloatLogSliderModel", "IntTextModel",
    "FloatTextModel", "BoundedIntTextModel", "BoundedFloatTextModel",
})
BOOL_MODELS = frozenset({"CheckboxModel", "ToggleButtonModel"})
INDEX_MODELS = frozenset({"DropdownModel", "RadioButtonsModel", "SelectModel",
                          "ToggleButtonsModel", "SelectionSliderModel"})
EDITABLE_MODELS = TEXT_MODELS | NUMBER_MODELS | BOOL_MODELS | INDEX_MODELS


def change_for(model_name: str, state: dict[str, Any], turn: int) -> dict[str, Any] | None:
    """A new value a participant could type or pick in this widget, or None."""
    if model_name in TEXT_MODELS:
        return {"value": f"{state.get('value', '')}{turn % 10}"[-200:]}
    if model_name in NUMBER_MODELS:
        low, high = state.get("min"), state.get("max")
        value = state.get("value", 0)
        if low is not None and high is not None and low != high:
            return {"value": low if value != low else high}
        return {"value": value + 1}
    if model_name in BOOL_MODELS:
        return {"value": not state.get("value", False)}
    if model_name in INDEX_MODELS:
        labels = state.get("_options_labels") or []
        if len(labels) < 2:
            return None
        index = state.get("index")
        return {"index": 0 if index is None else (index + 1) % len(labels)}
    return None


def pick_widget(states: dict[str, dict[str, Any]], roots: Iterable[str],
                model_name: str | None = None) -> str | None:
    """The first editable widget under the page's outputs, walking container children."""
    seen: set[str] = set()
    queue = [r for r in roots if r in states]
    queue += sorted(set(states) - set(queue))
    while queue:
        model_id = queue.pop(0)
        if model_id in seen:
            continue
        seen.add(model_id)
        state = states.get(model_id) or {}
        name = state.get("_model_name")
        wanted = name == model_name if model_name else name in EDITABLE_MODELS
        if wanted and not state.get("disabled"):
            return model_id
        refs = _MODEL_REF_RE.findall(json.dumps(state.get("children", [])))
        queue[:0] = [r for r in refs if r not in seen]
    return None


# --------------------------------------------------------------------------- one participant


@dataclass
class ClientResult:
    """What one participant saw; times in seconds from its own start."""

    index: int
    ok: bool = False
    started_at: float = 0.0
    stage: str = ""
    error: str = ""
    page_status: int | None = None
    page_first_byte_seconds: float | None = None
    #: when the page's server-drawn snapshot of the participant's work arrived (room only)
    snapshot_seconds: float | None = None
    page_seconds: float | None = None
    page_bytes: int = 0
    page_outputs: int = 0
    page_error_outputs: int = 0
    kernel_id: str | None = None
    page_model_ids: list[str] = field(default_factory=list)
    kernel_model_seconds: float | None = None
    ws_connect_seconds: float | None = None
    subprotocol: str | None = None
    kernel_info_seconds: float | None = None
    comm_count: int | None = None
    sync_seconds: float | None = None
    widget_count: int = 0
    widgets_ready_seconds: float | None = None
    target_model_id: str | None = None
    target_model_name: str | None = None
    round_trips: list[float] = field(default_factory=list)
    echo_seconds: list[float] = field(default_factory=list)
    replies_per_update: list[int] = field(default_factory=list)
    shutdown_status: int | None = None
    total_seconds: float | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def round_trip_seconds(self) -> float | None:
        return self.round_trips[0] if self.round_trips else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "round_trip_seconds": self.round_trip_seconds}


def _http_client(max_clients: int) -> AsyncHTTPClient:
    return AsyncHTTPClient(force_instance=True, max_clients=max_clients)


async def _fetch(http: AsyncHTTPClient, jar: CookieJar, url: str, *, method: str = "GET",
                 body: str | None = None, timeout: float, validate_cert: bool,
                 on_chunk: Callable[[bytes], None] | None = None,
                 extra_headers: dict[str, str] | None = None,
                 on_redirect: Callable[[], None] | None = None, stage: str = "page",
                 ) -> tuple[HTTPResponse, str]:
    """One request with the jar's cookies; follows redirects itself so no cookie is lost."""
    for _ in range(8):
        headers = {"User-Agent": USER_AGENT, **(extra_headers or {})}
        if method not in ("GET", "HEAD"):  # as a browser does for a page's forms and fetches
            parts = urlsplit(url)
            headers.setdefault("Origin", f"{parts.scheme}://{parts.netloc}")
        if jar.cookies:
            headers["Cookie"] = jar.header()
        request = HTTPRequest(url, method=method, body=body, headers=headers,
                              follow_redirects=False, connect_timeout=timeout,
                              request_timeout=timeout, validate_cert=validate_cert,
                              streaming_callback=on_chunk)
        response = await http.fetch(request, raise_error=False)
        jar.absorb(response)
        if response.code in (301, 302, 303, 307, 308) and "Location" in response.headers:
            url = urljoin(url, response.headers["Location"])
            if response.code == 303:
                method, body = "GET", None
            if on_redirect:
                on_redirect()
            continue
        return response, url
    raise ClientError(stage, "too many redirects")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, HTTPTimeoutError | TimeoutError | asyncio.TimeoutError):
        return f"timeout ({type(exc).__name__})"
    if isinstance(exc, HTTPClientError):
        return f"HTTP {exc.code}"
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def run_client(url: str, index: int = 0, cookies: dict[str, str] | None = None, *,
                     http: AsyncHTTPClient | None = None, protocol: str = "v1",
                     sync: str = "control", updates: int = 1, think_seconds: float = 0.0,
                     model_name: str | None = None, shutdown: bool = True,
                     mint_xsrf: bool = False,
                     page_timeout: float = 180.0, timeout: float = 60.0,
                     send_origin: bool = True, validate_cert: bool = True,
                     require_widget: bool = True) -> ClientResult:
    """Run one participant from page load to close; never raises, the result says what failed.

    ``sync`` is ``"control"`` (one ``request_states`` on a ``jupyter.widget.control`` comm,
    as ipywidgets 8 in Voila 0.5.13) or ``"models"`` (``comm_info_request`` then
    ``request_state`` per widget comm). ``updates`` is how many value changes to time,
    ``think_seconds`` the pause before each. ``model_name`` (e.g. ``"IntSliderModel"``)
    forces which kind of widget is changed. ``require_widget`` fails a page that displays no
    widget at all.

    ``shutdown`` sends the page-close POST the way the page does: with the ``_xsrf`` cookie's
    value, empty when the server never set one (plain Voila 0.5.13 does not, so it answers
    403 and the kernel stays). ``mint_xsrf`` sets a random ``_xsrf`` cookie first and sends the
    same value, as a server that set the cookie would let the browser do; tornado only checks
    that the two match.
    """
    if protocol not in ("v1", "legacy"):
        raise ValueError("protocol is 'v1' or 'legacy'")
    if sync not in ("control", "models"):
        raise ValueError("sync is 'control' or 'models'")
    result = ClientResult(index=index)
    jar = CookieJar(cookies)
    own_http = http is None
    http = http or _http_client(10)
    start = time.perf_counter()
    since = lambda: time.perf_counter() - start  # noqa: E731
    socket: KernelSocket | None = None
    kernel_url: str | None = None
    stage = "page"
    try:
        # 1. The page.
        chunks: list[bytes] = []

        def on_chunk(chunk: bytes) -> None:
            if result.page_first_byte_seconds is None:
                result.page_first_byte_seconds = since()
            if result.snapshot_seconds is None and \
                    SNAPSHOT in (chunks[-1][-len(SNAPSHOT):] if chunks else b"") + chunk:
                result.snapshot_seconds = since()
            chunks.append(chunk)

        def on_redirect() -> None:
            result.page_first_byte_seconds = result.snapshot_seconds = None
            chunks.clear()

        response, page_url = await _fetch(http, jar, url, timeout=page_timeout,
                                          validate_cert=validate_cert, on_chunk=on_chunk,
                                          on_redirect=on_redirect,
                                          extra_headers={"Accept": "text/html"})
        result.page_seconds = since()
        result.page_status = response.code
        body = b"".join(chunks)
        result.page_bytes = len(body)
        if response.code != 200:
            reason = response.reason or ""
            if response.code == 599 and response.error is not None:
                reason = _describe(response.error)
            raise ClientError("page", f"HTTP {response.code} {reason}".strip())
        info = parse_page(body.decode("utf-8", "replace"))
        result.kernel_id = info.kernel_id
        result.page_model_ids = info.model_ids
        result.page_outputs = info.outputs
        result.page_error_outputs = info.error_outputs
        if not info.kernel_id:
            raise ClientError("page", "no kernelId in the page config")
        if require_widget and not info.model_ids:
            # Seen under load: Voila's executor gave up waiting for a cell's outputs
            # ("Timeout waiting for IOPub output") and served the page without them.
            raise ClientError("page", f"no widget among the page's {info.outputs} outputs")

        root = urljoin(page_url, info.base_url)
        parts = urlsplit(root)
        origin = f"{parts.scheme}://{parts.netloc}"
        kernel_url = urljoin(root, f"api/kernels/{quote(info.kernel_id)}")

        # 2. The kernel model, then the websocket.
        stage = "kernel-model"
        response, _ = await _fetch(http, jar, kernel_url, timeout=timeout,
                                   validate_cert=validate_cert, stage=stage)
        result.kernel_model_seconds = since()
        if response.code != 200:
            raise ClientError(stage, f"HTTP {response.code} {response.reason or ''}".strip())

        stage = "websocket"
        ws_scheme = "wss" if parts.scheme == "https" else "ws"
        ws_url = f"{ws_scheme}{kernel_url[len(parts.scheme):]}/channels"
        socket = await KernelSocket.connect(ws_url, jar.header(),
                                            origin if send_origin else None,
                                            protocol=protocol, timeout=timeout,
                                            validate_cert=validate_cert)
        result.ws_connect_seconds = since()
        result.subprotocol = socket.subprotocol

        stage = "kernel_info"
        # The browser only needs the reply here; a missing idle means an early iopub
        # message was lost (likely the iopub subscription was not ready yet).
        exchange = await socket.request("kernel_info_request", {}, stage=stage,
                                        timeout=timeout, want_reply=True, idle_grace=5.0)
        result.kernel_info_seconds = since()
        if exchange.idle_at is None:
            result.warnings.append("kernel_info: reply came, its iopub idle never did")

        # 3. Widget states.
        stage = "sync"
        states = await (_sync_control(socket, timeout) if sync == "control"
                        else _sync_models(socket, timeout, result))
        result.sync_seconds = since()
        result.widget_count = len(states)
        missing = [m for m in info.model_ids if m not in states]
        if missing:
            raise ClientError(stage, f"{len(missing)} displayed widget(s) unknown to the kernel")
        result.widgets_ready_seconds = since()

        # 4. Interaction.
        stage = "update"
        target = pick_widget(states, info.model_ids, model_name)
        if target is None:
            raise ClientError(stage, "no editable widget found")
        result.target_model_id = target
        result.target_model_name = states[target].get("_model_name")
        state = dict(states[target])
        for turn in range(1, updates + 1):
            if think_seconds > 0:
                await asyncio.sleep(think_seconds)
            change = change_for(result.target_model_name or "", state, turn)
            if change is None:
                raise ClientError(stage, f"cannot change a {result.target_model_name}")
            exchange = await socket.request(
                "comm_msg",
                {"comm_id": target,
                 "data": {"method": "update", "state": change, "buffer_paths": []}},
                stage=stage, timeout=timeout,
            )
            state.update(change)
            assert exchange.idle_at is not None
            result.round_trips.append(exchange.idle_at - exchange.sent_at)
            echo = exchange.first("comm_msg", "echo_update")
            if echo is not None:
                result.echo_seconds.append(echo["received_at"] - exchange.sent_at)
            result.replies_per_update.append(len(exchange.messages))

        # 5. Leave like a closing tab.
        stage = "close"
        await socket.close()
        socket = None
        if shutdown:
            if mint_xsrf and "_xsrf" not in jar.cookies:
                jar.cookies["_xsrf"] = secrets.token_hex(16)
            xsrf = jar.cookies.get("_xsrf", "")
            response, _ = await _fetch(
                http, jar, urljoin(root, f"voila/api/shutdown/{quote(info.kernel_id)}"),
                method="POST", body=urlencode({"_xsrf": xsrf}), timeout=timeout,
                validate_cert=validate_cert, stage=stage,
                extra_headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            result.shutdown_status = response.code
        result.ok = True
    except ClientError as exc:
        result.stage, result.error = exc.stage, exc.reason
    except Exception as exc:  # a participant must report, not crash the load
        result.stage, result.error = stage, _describe(exc)
    finally:
        if socket is not None:
            with contextlib.suppress(Exception):
                await socket.close(timeout=2)
        if not result.ok and kernel_url and result.stage not in ("page", "kernel-model"):
            # A culled or dead kernel explains a silent socket: say so.
            with contextlib.suppress(Exception):
                response, _ = await _fetch(http, jar, kernel_url, timeout=10,
                                           validate_cert=validate_cert)
                if response.code == 404:
                    result.error += " [the kernel no longer exists]"
        if own_http:
            http.close()
        result.total_seconds = since()
    return result


async def _sync_control(socket: KernelSocket, timeout: float) -> dict[str, dict[str, Any]]:
    comm_id = uuid.uuid4().hex
    await socket.request(
        "comm_open",
        {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"}, stage="sync", timeout=timeout,
    )
    exchange = await socket.request(
        "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}},
        stage="sync", timeout=timeout,
    )
    socket.send("comm_close", {"comm_id": comm_id, "data": {}})
    reply = exchange.first("comm_msg", "update_states")
    if reply is None:
        raise ClientError("sync", "no update_states from the widget control comm")
    raw = reply["content"]["data"].get("states") or {}
    return {model_id: {"_model_name": entry.get("model_name"), **(entry.get("state") or {})}
            for model_id, entry in raw.items()}


async def _sync_models(socket: KernelSocket, timeout: float,
                       result: ClientResult) -> dict[str, dict[str, Any]]:
    exchange = await socket.request("comm_info_request", {"target_name": "jupyter.widget"},
                                    stage="comm_info", timeout=timeout, want_reply=True)
    assert exchange.reply is not None
    comms = exchange.reply["content"].get("comms") or {}
    result.comm_count = len(comms)
    requests = [
        socket.request("comm_msg", {"comm_id": cid, "data": {"method": "request_state"}},
                       metadata={"version": "2.1.0"}, stage="sync", timeout=timeout)
        for cid in comms
    ]
    states: dict[str, dict[str, Any]] = {}
    for cid, answer in zip(comms, await asyncio.gather(*requests), strict=True):
        update = answer.first("comm_msg", "update")
        if update is not None:
            states[cid] = update["content"]["data"].get("state") or {}
    return states


# --------------------------------------------------------------------------- load


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100) of a list, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(values: list[float]) -> dict[str, float | int | None]:
    return {
        "n": len(values),
        "median": statistics.median(values) if values else None,
        "p95": percentile(values, 95),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
    }


async def run_load(url: str, clients: int, arrival_seconds: float,
                   cookies_for: Callable[[int], dict[str, str]] | None = None,
                   **client_options: Any) -> dict[str, Any]:
    """Start ``clients`` participants evenly spread over ``arrival_seconds`` (0: all at once).

    ``cookies_for(i)`` gives participant i its starting cookies (each has its own jar);
    ``client_options`` go to :func:`run_client`. Returns a summary dict: counts (``clients``,
    ``pages_served``, ``completed``, ``failed``), ``failures`` (reason -> count),
    ``warnings`` (warning -> count), timing summaries, each ``{n, median, p95, min, max}`` in
    seconds: ``page_seconds`` (complete HTML), ``page_first_byte_seconds``,
    ``widgets_ready_seconds`` (from the participant's start until the widget states are in,
    what the browser needs before drawing), ``widgets_after_page_seconds`` (the same, after
    the HTML), ``round_trip_seconds`` (every timed update) and ``first_round_trip_seconds``;
    then ``shutdown_status`` and ``subprotocols`` (value -> count), ``wall_seconds`` and
    ``results`` (one :class:`ClientResult` dict per participant, ``started_at`` its planned
    start).
    """
    if clients < 1:
        raise ValueError("clients must be at least 1")
    http = _http_client(max(10, clients * 2))
    start = time.perf_counter()

    async def participant(i: int) -> ClientResult:
        delay = arrival_seconds * i / clients if arrival_seconds > 0 else 0.0
        await asyncio.sleep(max(0.0, start + delay - time.perf_counter()))
        cookies = cookies_for(i) if cookies_for else None
        result = await run_client(url, i, cookies, http=http, **client_options)
        result.started_at = delay
        return result

    try:
        results = await asyncio.gather(*(participant(i) for i in range(clients)))
    finally:
        http.close()
    wall = time.perf_counter() - start

    def collect(name: str) -> list[float]:
        return [v for r in results if (v := getattr(r, name)) is not None]

    failures = Counter(f"{r.stage}: {r.error}" for r in results if not r.ok)
    round_trips = [t for r in results for t in r.round_trips]
    return {
        "url": url,
        "clients": clients,
        "arrival_seconds": arrival_seconds,
        "options": {k: v for k, v in client_options.items() if k != "http"},
        "pages_served": sum(1 for r in results if r.page_status == 200 and r.kernel_id),
        "completed": sum(1 for r in results if r.ok),
        "failed": sum(1 for r in results if not r.ok),
        "failures": dict(failures.most_common()),
        "page_error_outputs": sum(r.page_error_outputs for r in results),
        "page_seconds": summarise(collect("page_seconds")),
        "page_first_byte_seconds": summarise(collect("page_first_byte_seconds")),
        "widgets_ready_seconds": summarise(collect("widgets_ready_seconds")),
        "snapshot_seconds": summarise(collect("snapshot_seconds")),
        # what the participant sees first: their drawn work, or else the live widgets
        "first_widget_seconds": summarise(
            [min(v for v in (r.snapshot_seconds, r.widgets_ready_seconds) if v is not None)
             for r in results
             if r.snapshot_seconds is not None or r.widgets_ready_seconds is not None]),
        # a page served whose widgets never came: the participant sees an empty exercise
        "without_widget": sum(1 for r in results if r.page_status == 200 and r.kernel_id
                              and r.widgets_ready_seconds is None),
        "widgets_after_page_seconds": summarise(
            [r.widgets_ready_seconds - r.page_seconds for r in results
             if r.widgets_ready_seconds is not None and r.page_seconds is not None]),
        "round_trip_seconds": summarise(round_trips),
        "first_round_trip_seconds": summarise(collect("round_trip_seconds")),
        "warnings": dict(Counter(w for r in results for w in r.warnings)),
        "shutdown_status": dict(Counter(str(r.shutdown_status) for r in results if r.ok)),
        "subprotocols": dict(Counter(str(r.subprotocol) for r in results if r.subprotocol)),
        "wall_seconds": wall,
        "results": [r.as_dict() for r in results],
    }


# --------------------------------------------------------------------------- command line


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 and unit == "s" else f"{value:.3f} {unit}"


def _print_single(result: ClientResult) -> None:
    print(f"ok: {result.ok}" + ("" if result.ok else f"  ({result.stage}: {result.error})"))
    print(f"page: HTTP {result.page_status}, {result.page_bytes} bytes, first byte "
          f"{_fmt(result.page_first_byte_seconds)}, complete {_fmt(result.page_seconds)}, "
          f"{result.page_outputs} outputs ({result.page_error_outputs} errors)")
    print(f"kernel: {result.kernel_id}, displayed widgets {len(result.page_model_ids)}")
    print(f"websocket open at {_fmt(result.ws_connect_seconds)}, subprotocol "
          f"{result.subprotocol or 'none (legacy JSON)'}; kernel_info at "
          f"{_fmt(result.kernel_info_seconds)}")
    print(f"widget states: {result.widget_count} models at {_fmt(result.sync_seconds)}"
          + (f" ({result.comm_count} comms)" if result.comm_count is not None else ""))
    print(f"changed {result.target_model_name} {result.target_model_id}: round trips "
          + ", ".join(_fmt(t) for t in result.round_trips)
          + "; echo " + ", ".join(_fmt(t) for t in result.echo_seconds))
    print(f"shutdown POST: HTTP {result.shutdown_status}; total {_fmt(result.total_seconds)}")
    for warning in result.warnings:
        print(f"warning: {warning}")


def _print_load(summary: dict[str, Any]) -> None:
    print(f"{summary['clients']} clients over {summary['arrival_seconds']:g} s: "
          f"{summary['pages_served']} pages served, {summary['completed']} completed, "
          f"{summary['failed']} failed; wall {summary['wall_seconds']:.2f} s")
    for reason, count in summary["failures"].items():
        print(f"  failure x{count}: {reason}")
    for warning, count in summary["warnings"].items():
        print(f"  warning x{count}: {warning}")
    for key in ("page_first_byte_seconds", "page_seconds", "widgets_after_page_seconds",
                "round_trip_seconds"):
        s = summary[key]
        print(f"{key}: n={s['n']} median {_fmt(s['median'])} p95 {_fmt(s['p95'])} "
              f"min {_fmt(s['min'])} max {_fmt(s['max'])}")
    print(f"subprotocols {summary['subprotocols']}; shutdown POST {summary['shutdown_status']}")


def _parse_cookie(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError("expected NAME=VALUE")
    return name, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--arrival-seconds", type=float, default=0.0,
                        help="spread the arrivals evenly over this window (0: all at once)")
    parser.add_argument("--cookie", type=_parse_cookie, action="append", default=[],
                        metavar="NAME=VALUE", help="a starting cookie for every client")
    parser.add_argument("--protocol", choices=["v1", "legacy"], default="v1")
    parser.add_argument("--sync", choices=["control", "models"], default="control")
    parser.add_argument("--updates", type=int, default=1)
    parser.add_argument("--think-seconds", type=float, default=0.0)
    parser.add_argument("--model-name", help="change this kind of widget, e.g. IntSliderModel")
    parser.add_argument("--no-shutdown", action="store_true",
                        help="do not send the page-close shutdown POST")
    parser.add_argument("--mint-xsrf", action="store_true",
                        help="give the shutdown POST a matching _xsrf cookie and field")
    parser.add_argument("--page-timeout", type=float, default=180.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--insecure", action="store_true", help="accept any TLS certificate")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    if args.clients < 1:
        parser.error("--clients must be at least 1")

    cookies = dict(args.cookie)
    options = dict(protocol=args.protocol, sync=args.sync, updates=args.updates,
                   think_seconds=args.think_seconds, model_name=args.model_name,
                   shutdown=not args.no_shutdown, mint_xsrf=args.mint_xsrf,
                   page_timeout=args.page_timeout,
                   timeout=args.timeout, validate_cert=not args.insecure)
    if args.clients == 1:
        result = asyncio.run(run_client(args.url, 0, cookies, **options))
        if args.json:
            print(json.dumps(result.as_dict(), indent=2))
        else:
            _print_single(result)
        return 0 if result.ok else 1
    summary = asyncio.run(run_load(args.url, args.clients, args.arrival_seconds,
                                   cookies_for=lambda i: dict(cookies), **options))
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_load(summary)
    return 0 if summary["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
