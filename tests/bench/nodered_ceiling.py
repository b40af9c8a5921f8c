"""Node-RED as a reference receiver for ``bench_mqtt_intake.py``.

Node-RED 4.1.15 subscribes to the benchmark's flood, parses every payload with its ``json``
node and counts it in a ``function`` node (no state machine, no database): the rate a popular
flow engine reaches on the same stream as the hub.

Node-RED is installed from npm on first use into ``tests/bench/.node-red/`` (ignored by git)
and reused from there while ``node_modules/node-red`` holds version 4.1.15. Needs ``node`` and
``npm`` on PATH.

Usage, with ``tests/bench`` on ``sys.path`` (as when the benchmark runs)::

    from bench_mqtt_intake import FreshBroker, start_publisher
    from nodered_ceiling import node_red_rate

    with FreshBroker() as port:
        rate = node_red_rate(port, 200_000, qos=1, start_publisher=start_publisher)

``start_publisher`` is a parameter so that ``bench_mqtt_intake`` can import this module at its
top without a circular import; left out, it is imported from ``bench_mqtt_intake`` on call.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

NODE_RED_VERSION = "4.1.15"
CACHE_DIR = Path(__file__).resolve().parent / ".node-red"
COUNT_PATH = "/bench-count"
POLL_INTERVAL = 0.2
STALL_TIMEOUT = 20.0
START_TIMEOUT = 60.0
SUBSCRIBE_GRACE = 0.5

PublisherStarter = Callable[[int, int, int], "subprocess.Popen[bytes]"]

# Counts parsed readings only: a payload the json node could not parse never arrives here
# as an object, so it shows up as lost.
COUNT_FUNCTION = """\
if (typeof msg.payload !== "object" || msg.payload === null) {
    return null;
}
const now = Date.now();
const count = (flow.get("count") || 0) + 1;
if (count === 1) {
    flow.set("first", now);
}
flow.set("count", count);
flow.set("last", now);
return null;
"""

REPORT_FUNCTION = """\
msg.payload = {
    count: flow.get("count") || 0,
    first: flow.get("first") || 0,
    last: flow.get("last") || 0,
    mqtt: flow.get("mqtt") || "",
};
return msg;
"""

STATUS_FUNCTION = """\
flow.set("mqtt", msg.status.fill || "");
return null;
"""


def _installed_version(prefix: Path) -> str | None:
    manifest = prefix / "node_modules" / "node-red" / "package.json"
    try:
        version = json.loads(manifest.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None
    return str(version)


def ensure_node_red(prefix: Path = CACHE_DIR) -> Path:
    """The ``node-red`` executable of version 4.1.15 under ``prefix``, installed if missing."""
    executable = prefix / "node_modules" / ".bin" / "node-red"
    if _installed_version(prefix) == NODE_RED_VERSION and executable.exists():
        return executable
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH: it is needed to install Node-RED")
    prefix.mkdir(parents=True, exist_ok=True)
    manifest = prefix / "package.json"
    if not manifest.exists():
        # A package.json of its own keeps npm from installing into a parent project.
        manifest.write_text(
            json.dumps({"name": "fieldhub-bench-node-red", "private": True}, indent=2) + "\n"
        )
    print(f"  installing Node-RED {NODE_RED_VERSION} into {prefix} (first use only)")
    subprocess.run(
        [
            npm,
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
            str(prefix),
            f"node-red@{NODE_RED_VERSION}",
        ],
        cwd=prefix,
        check=True,
    )
    installed = _installed_version(prefix)
    if installed != NODE_RED_VERSION or not executable.exists():
        raise RuntimeError(f"npm left Node-RED {installed} in {prefix}, not {NODE_RED_VERSION}")
    return executable


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings(ui_port: int, flow_file: Path, user_dir: Path) -> str:
    return f"""\
module.exports = {{
    uiPort: {ui_port},
    uiHost: "127.0.0.1",
    userDir: {json.dumps(str(user_dir))},
    flowFile: {json.dumps(str(flow_file))},
    flowFilePretty: false,
    credentialSecret: false,
    disableEditor: true,
    httpNodeRoot: "/",
    logging: {{
        console: {{ level: "warn", metrics: false, audit: false }},
    }},
    diagnostics: {{ enabled: false, ui: false }},
    runtimeState: {{ enabled: false, ui: false }},
    telemetry: {{ enabled: false }},
    externalModules: {{
        autoInstall: false,
        palette: {{ allowInstall: false }},
        modules: {{ allowInstall: false }},
    }},
    editorTheme: {{ tours: false }},
}};
"""


def _function_node(
    tab: str, node_id: str, name: str, func: str, wires: list[list[str]]
) -> dict[str, Any]:
    """A Node-RED function node running ``func`` with one output per wire list."""
    return {
        "id": node_id,
        "type": "function",
        "z": tab,
        "name": name,
        "func": func,
        "outputs": len(wires),
        "noerr": 0,
        "initialize": "",
        "finalize": "",
        "libs": [],
        "wires": wires,
    }


def _flows(port: int, qos: int) -> list[dict[str, Any]]:
    tab = "bench_tab"
    return [
        {"id": tab, "type": "tab", "label": "MQTT intake bench", "disabled": False},
        {
            "id": "bench_broker",
            "type": "mqtt-broker",
            "name": "bench broker",
            "broker": "127.0.0.1",
            "port": str(port),
            "clientid": f"bench-node-red-{os.getpid()}-{uuid.uuid4().hex[:8]}",
            "autoConnect": True,
            "usetls": False,
            "protocolVersion": "4",
            "keepalive": "60",
            "cleansession": True,
            "autoUnsubscribe": True,
            "birthTopic": "",
            "closeTopic": "",
            "willTopic": "",
        },
        {
            "id": "bench_in",
            "type": "mqtt in",
            "z": tab,
            "name": "readings",
            "topic": "bench/#",
            "qos": str(qos),
            "datatype": "utf8",
            "broker": "bench_broker",
            "nl": False,
            "rap": True,
            "rh": 0,
            "inputs": 0,
            "wires": [["bench_json"]],
        },
        {
            "id": "bench_json",
            "type": "json",
            "z": tab,
            "name": "parse",
            "property": "payload",
            "action": "obj",
            "pretty": False,
            "wires": [["bench_count"]],
        },
        _function_node(tab, "bench_count", "count", COUNT_FUNCTION, []),
        {
            "id": "bench_status",
            "type": "status",
            "z": tab,
            "name": "mqtt status",
            "scope": ["bench_in"],
            "wires": [["bench_status_store"]],
        },
        _function_node(tab, "bench_status_store", "store status", STATUS_FUNCTION, []),
        {
            "id": "bench_http",
            "type": "http in",
            "z": tab,
            "name": "count endpoint",
            "url": COUNT_PATH,
            "method": "get",
            "upload": False,
            "swaggerDoc": "",
            "wires": [["bench_report"]],
        },
        _function_node(tab, "bench_report", "report", REPORT_FUNCTION, [["bench_response"]]),
        {
            "id": "bench_response",
            "type": "http response",
            "z": tab,
            "name": "",
            "statusCode": "",
            "headers": {},
            "wires": [],
        },
    ]


def _read_count(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body: dict[str, Any] = json.loads(response.read())
    except (OSError, ValueError):  # urllib.error.URLError is an OSError
        return None
    return body


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Until the endpoint answers and the mqtt in node reports itself connected."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Node-RED exited with {proc.returncode}:\n{log.read_text()}")
        body = _read_count(url)
        if body is not None and body.get("mqtt") == "green":
            # Connected is reported before the SUBACK: give the subscription a moment.
            time.sleep(SUBSCRIBE_GRACE)
            return
        time.sleep(POLL_INTERVAL)
    raise RuntimeError(f"Node-RED was not connected in {START_TIMEOUT:.0f} s:\n{log.read_text()}")


def node_red_rate(
    port: int, count: int, qos: int, start_publisher: PublisherStarter | None = None
) -> float:
    """Messages/s Node-RED receives, parses (JSON node) and counts from the flood.

    ``start_publisher(port, count, qos)`` starts the flood (``bench_mqtt_intake``'s by
    default). The rate runs from the first to the last reading counted, on Node-RED's clock;
    readings that do not arrive within 20 s of the last progress are reported as lost.
    """
    if start_publisher is None:
        import bench_mqtt_intake

        start_publisher = bench_mqtt_intake.start_publisher
    starter: PublisherStarter = start_publisher
    executable = ensure_node_red()
    with tempfile.TemporaryDirectory(prefix="bench-node-red-") as tmp:
        user_dir = Path(tmp)
        flow_file = user_dir / "flows.json"
        settings = user_dir / "settings.js"
        log = user_dir / "node-red.log"
        ui_port = _free_port()
        flow_file.write_text(json.dumps(_flows(port, qos), indent=2))
        settings.write_text(_settings(ui_port, flow_file, user_dir))
        url = f"http://127.0.0.1:{ui_port}{COUNT_PATH}"
        with log.open("wb") as log_file:
            proc = subprocess.Popen(
                [str(executable), "--userDir", str(user_dir), "--settings", str(settings)],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
            try:
                _wait_ready(proc, url, log)
                body = _measure(proc, url, count, qos, port, starter)
            finally:
                _stop(proc)
    received, first, last = int(body["count"]), float(body["first"]), float(body["last"])
    if received < count:
        print(f"  Node-RED lost {count - received} of {count}")
    if received < 2 or last <= first:
        raise RuntimeError(f"Node-RED counted {received} readings: no rate to compute")
    return (received - 1) / ((last - first) / 1000)


def _measure(
    proc: subprocess.Popen[bytes],
    url: str,
    count: int,
    qos: int,
    port: int,
    start_publisher: PublisherStarter,
) -> dict[str, Any]:
    """Flood the broker and poll the count until every reading is in or progress stalls."""
    pub = start_publisher(port, count, qos)
    try:
        seen, progressed = -1, time.monotonic()
        body: dict[str, Any] = {"count": 0, "first": 0, "last": 0}
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"Node-RED exited with {proc.returncode} during the flood")
            polled = _read_count(url)
            if polled is not None:
                body = polled
                if int(body["count"]) >= count:
                    return body
                if int(body["count"]) != seen:
                    seen, progressed = int(body["count"]), time.monotonic()
            if time.monotonic() - progressed > STALL_TIMEOUT:
                return body
            time.sleep(POLL_INTERVAL)
    finally:
        try:
            pub.wait(30)
        except subprocess.TimeoutExpired:
            pub.kill()
            pub.wait()
