"""A minimal Streamlit client over the real WebSocket protocol, for load tests against `python -m ratc serve`.

It speaks what the browser speaks: a `rerun_script` BackMsg with the page, query string and widget states, then
reads ForwardMsgs until `script_finished`. Widgets are found by their user key (Streamlit ends a keyed widget's
id with `-<key>`). A file is uploaded as the browser does it: upload URLs asked over the WebSocket, the file PUT
over HTTP with the XSRF cookie and header, then the uploader's widget state. Used by bench/load.py and
tests/test_security.py; not part of the app.
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

import websockets
from google.protobuf.json_format import MessageToDict
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState, FileURLs, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class Run:
    """What one script run sent back: its elements, exceptions, error alerts and its duration."""

    seconds: float
    status: int
    elements: list[dict] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    page_not_found: bool = False

    @property
    def ok(self) -> bool:
        """Finished normally, without exceptions or error alerts."""
        return self.status in FINISHED and not self.exceptions and not self.errors and not self.page_not_found

    def texts(self) -> list[str]:
        """Every markdown, text and alert body the run drew."""
        found = []
        for element in self.elements:
            for kind in ("markdown", "text", "alert", "heading"):
                if kind in element and "body" in element[kind]:
                    found.append(element[kind]["body"])
        return found


class Client:
    """One browser session: a WebSocket, the widget ids seen so far, and the state it sends back."""

    def __init__(self, base_url: str, think: float = 0.0, seed: int = 0):
        self.base_url = base_url.rstrip("/")
        self.think = think  # mean pause before every run but the first, as a person reads the page first
        self.random = random.Random(seed)
        self.has_run = False
        self.socket = None
        self.widget_ids: dict[str, str] = {}
        self.states: dict[str, WidgetState] = {}
        self.fragments: dict[str, float] = {}  # fragments that refresh themselves (run_every), with their interval
        self.session_id = ""
        self.pending: list[bytes] = []  # messages read while waiting for an upload URL, handled by the next run

    async def connect(self) -> None:
        """Open the session's WebSocket as a browser on the same origin would."""
        address = self.base_url.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        self.socket = await websockets.connect(
            address, subprotocols=["streamlit"], origin=self.base_url, max_size=2**26, open_timeout=30
        )

    async def close(self) -> None:
        """Close the session."""
        if self.socket is not None:
            await self.socket.close()

    async def run(self, page: str = "", query: str = "", fragment_id: str = "", timeout: float = 60) -> Run:
        """Rerun the script on a page with the current widget states; wait for it to finish."""
        if self.think and self.has_run:
            await asyncio.sleep(self.random.uniform(0.5, 1.5) * self.think)  # not part of the round trip
        self.has_run = True
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_name = page
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        state.widget_states.widgets.extend(self.states.values())
        if not fragment_id:
            self.fragments = {}  # a full run draws the page's fragments anew
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        # trigger values (buttons) fire once
        self.states = {key: value for key, value in self.states.items() if not value.HasField("trigger_value")}
        run = Run(0.0, -1)
        while True:
            try:
                raw = self.pending.pop(0) if self.pending else await _receive(self.socket, timeout)
            except TimeoutError:
                run.errors.append(f"no answer within {timeout:.0f} s")
                run.seconds = time.perf_counter() - started
                return run
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = MessageToDict(forward.delta.new_element, preserving_proto_field_name=True)
                self._remember(element)
                run.elements.append(element)
                if "exception" in element:
                    run.exceptions.append(element["exception"].get("message", ""))
                if element.get("alert", {}).get("format") == "ERROR":
                    run.errors.append(element["alert"].get("body", ""))
            elif kind == "page_not_found":
                run.page_not_found = True
            elif kind == "auto_rerun":
                self.fragments[forward.auto_rerun.fragment_id] = forward.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for fragment in forward.stop_auto_rerun.fragment_ids:
                    self.fragments.pop(fragment, None)
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the same request goes on with a new run
                run.status = forward.script_finished
                run.seconds = time.perf_counter() - started
                return run

    async def upload(self, key: str, name: str, content: bytes, timeout: float = 60) -> None:
        """Upload a file into a keyed file uploader, as the browser does; the next run sees it."""
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await self.socket.send(request.SerializeToString())
        while True:
            raw = await _receive(self.socket, timeout)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            if forward.WhichOneof("type") != "file_urls_response":
                self.pending.append(raw)
                continue
            urls = forward.file_urls_response.file_urls[0]
            break
        await asyncio.to_thread(self._put, urls.upload_url, name, content)
        info = UploadedFileInfo(file_id=urls.file_id, name=name, size=len(content),
                                file_urls=FileURLs(file_id=urls.file_id, upload_url=urls.upload_url,
                                                   delete_url=urls.delete_url))  # fmt: skip
        self.states[key] = WidgetState(
            id=self._id(key), file_uploader_state_value=FileUploaderState(uploaded_file_info=[info])
        )

    def _put(self, upload_url: str, name: str, content: bytes) -> None:
        """PUT a file as multipart form data, with the XSRF cookie the server sets and the same token as header."""
        with urllib.request.urlopen(self.base_url + "/_stcore/health", timeout=30) as page:  # sets the cookie
            cookie = next(
                (value.split(";", 1)[0] for header, value in page.headers.items()
                 if header.lower() == "set-cookie" and value.startswith("_streamlit_xsrf=")),
                "",
            )  # fmt: skip
        token = cookie.split("=", 1)[1] if cookie else ""
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        url = upload_url if upload_url.startswith("http") else self.base_url + upload_url
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie,
                   "X-Xsrftoken": token, "Origin": self.base_url}  # fmt: skip
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="PUT", headers=headers), timeout=60):
            pass

    def set_text(self, key: str, value: str) -> None:
        """Type into a keyed text input or text area."""
        self.states[key] = WidgetState(id=self._id(key), string_value=value)

    def set_int(self, key: str, value: int) -> None:
        """Set a keyed widget that holds a number or an index (radio, selectbox)."""
        self.states[key] = WidgetState(id=self._id(key), int_value=value)

    def click(self, key: str) -> None:
        """Click a keyed button on the next run."""
        self.states[key] = WidgetState(id=self._id(key), trigger_value=True)

    def submit(self, form: str) -> None:
        """Click the submit button of a keyed form on the next run."""
        marker = f"-FormSubmitter:{form}-"
        widget_id = next((value for value in self.widget_ids.values() if marker in value), None)
        if widget_id is None:
            raise KeyError(f"no submit button of form {form!r} drawn yet")
        self.states[f"submit:{form}"] = WidgetState(id=widget_id, trigger_value=True)

    def _id(self, key: str) -> str:
        """The widget id of a user key, as last drawn."""
        try:
            return self.widget_ids[key]
        except KeyError:
            raise KeyError(f"no widget with key {key!r} drawn yet; seen: {sorted(self.widget_ids)}") from None

    def _remember(self, element: dict) -> None:
        """Note the id of a keyed widget the run drew."""
        for value in element.values():
            if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"].startswith("$$ID"):
                key = value["id"].rsplit("-", 1)[-1]
                if key and key != "None":
                    self.widget_ids[key] = value["id"]


async def _receive(socket, timeout: float) -> bytes:
    """The next message, or TimeoutError."""
    import asyncio

    return await asyncio.wait_for(socket.recv(), timeout)
