"""MQTT intake throughput, latency and memory (issue 04 figures).

Run: .venv/bin/python tests/bench/bench_mqtt_intake.py [--messages 200000] [--receiver paho]

A publisher process floods 100-byte JSON readings for 1,000 sensors into a Mosquitto
started for the run. Measured on the same stream, at QoS 0 and QoS 1:

* hub: readings that reach the state machine (``StateMachine.write_count``) through the
  mqtt integration (socket chunk → packet reader → route → value template → ``states.set``
  → PUBACK), with the recorder running on SQLite in a temporary directory; then the rows it
  committed for the run (states and reports written), and whether any reading was lost.
  ``--receiver paho`` measures the paho receiver instead.
* bare paho: a Python paho subscriber that only counts (the ceiling of the receive path).
* mosquitto_sub (C): the broker → client ceiling.
* Node-RED 4.1.15 (installed from npm on first use into ``tests/bench/.node-red``): MQTT in,
  JSON parse and a counter, no state machine and no database: the peer to beat.

Then publish → state latency at 5,000 msg/s (p50/p99) and the RSS of an idle hub with
10,000 MQTT entities. Needs ``mosquitto`` and ``mosquitto-clients``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from nodered_ceiling import ensure_node_red, node_red_rate

SENSORS = 1_000
DEFAULT_GC_THRESHOLDS = gc.get_threshold()
DEFAULT_SWITCH_INTERVAL = sys.getswitchinterval()
QOS1_WINDOW = 30_000
TOPIC = "bench/sensor/%d/state"


# -- publisher (runs in its own process) ---------------------------------------------------
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _string(data: bytes) -> bytes:
    return struct.pack("!H", len(data)) + data


def _connect_packet(client_id: bytes) -> bytes:
    body = _string(b"MQTT") + bytes([4, 2]) + struct.pack("!H", 60) + _string(client_id)
    return b"\x10" + _varint(len(body)) + body


def _publish_packet(topic: bytes, payload: bytes, qos: int, packet_id: int) -> bytes:
    body = _string(topic) + (struct.pack("!H", packet_id) if qos else b"") + payload
    return bytes([0x30 | (qos << 1)]) + _varint(len(body)) + body


def reading(i: int, ts: float = 0.0) -> bytes:
    """A 100-byte JSON reading."""
    sensor = i % SENSORS
    text = (
        f'{{"temperature":{20 + (i % 97) / 10:.2f},"humidity":{40 + (i % 31) / 3:.2f},'
        f'"battery":90,"seq":{i:9d},"ts":{ts:.6f},"id":"s{sensor:04d}"}}'
    )
    return text.encode().ljust(100)


def publish(port: int, count: int, qos: int, rate: float) -> None:
    """Flood (rate 0) or pace ``count`` readings; QoS 1 acknowledgements are drained."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(_connect_packet(b"bench-publisher-%d" % os.getpid()))
    sock.recv(4)
    acked = [0]
    if qos:
        threading.Thread(target=_count_acks, args=(sock, acked), daemon=True).start()
    topics = [(TOPIC % s).encode() for s in range(SENSORS)]
    if rate <= 0:
        # QoS 1 packet ids repeat every 65,535 messages: keep fewer than that unacknowledged.
        chunk = QOS1_WINDOW if qos else count
        for start in range(0, count, chunk):
            sock.sendall(
                b"".join(
                    _publish_packet(topics[i % SENSORS], reading(i), qos, i % 65535 + 1)
                    for i in range(start, min(start + chunk, count))
                )
            )
            while qos and acked[0] < start:
                time.sleep(0.001)
    else:
        interval, began = 1.0 / rate, time.perf_counter()
        for i in range(count):
            target = began + i * interval
            while (now := time.perf_counter()) < target:
                time.sleep(min(target - now, 0.0005))
            payload = reading(i, time.time())
            sock.sendall(_publish_packet(topics[i % SENSORS], payload, qos, i % 65535 + 1))
    sock.sendall(b"\xe0\x00")  # DISCONNECT
    time.sleep(0.5)
    sock.close()


def _count_acks(sock: socket.socket, acked: list[int]) -> None:
    received = 0
    try:
        while data := sock.recv(65536):
            received += len(data)
            acked[0] = received // 4  # PUBACK is 4 bytes
    except OSError:
        pass


def start_publisher(port: int, count: int, qos: int, rate: float = 0) -> subprocess.Popen[bytes]:
    args = [sys.executable, __file__, "--publish", str(port), str(count), str(qos), str(rate)]
    return subprocess.Popen(args)


# -- broker ---------------------------------------------------------------------------------
def start_mosquitto(directory: Path) -> tuple[subprocess.Popen[bytes], int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    conf = directory / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n"
        "max_queued_bytes 0\nmax_inflight_messages 0\nlog_dest none\n"
        f"user {os.environ.get('USER') or 'root'}\n"
    )
    proc = subprocess.Popen(
        [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(conf)],
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return proc, port
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("mosquitto did not start")


# -- ceilings -------------------------------------------------------------------------------
def bare_paho(port: int, count: int, qos: int) -> float:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    state = {"n": 0, "first": 0.0, "last": 0.0}
    done, ready = threading.Event(), threading.Event()

    def on_message(*_: Any) -> None:
        now = time.perf_counter()
        if state["n"] == 0:
            state["first"] = now
        state["n"] += 1
        state["last"] = now
        if state["n"] >= count:
            done.set()

    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-bare")
    client.on_message = on_message
    client.on_subscribe = lambda *a: ready.set()
    client.on_connect = lambda c, *a: c.subscribe("bench/#", qos)
    client.connect("127.0.0.1", port)
    client.loop_start()
    ready.wait(10)
    pub = start_publisher(port, count, qos)
    done.wait(30)
    pub.wait()
    client.disconnect()
    client.loop_stop()
    if state["n"] < count:
        print(f"  bare paho lost {count - state['n']} of {count}")
    return (state["n"] - 1) / (state["last"] - state["first"])


def mosquitto_sub(port: int, count: int, qos: int) -> float:
    sub = subprocess.Popen(
        ["mosquitto_sub", "-p", str(port), "-t", "bench/#", "-q", str(qos), "-C", str(count)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    start = time.perf_counter()
    pub = start_publisher(port, count, qos)
    try:
        sub.wait(120)
    except subprocess.TimeoutExpired:
        sub.kill()
        print("  mosquitto_sub did not receive every message in 120 s")
    elapsed = time.perf_counter() - start
    pub.wait()
    return count / elapsed


# -- the hub --------------------------------------------------------------------------------
RECEIVER = "stream"


async def start_hub(
    port: int, config_extra: dict[str, Any], recorder: bool = False, settle: bool = True
) -> Any:
    from hub.core.hub import Hub
    from hub.core.interpreter import tune_interpreter
    from hub.recorder import component as recorder_component
    from hub.recorder.recorder import RECORDER
    from integrations.mqtt.lifecycle import setup_mqtt

    hub = Hub(Path(tempfile.mkdtemp(prefix="bench-hub-")))
    await hub.start_core()
    if recorder:
        await recorder_component.async_setup(hub, {})
        await hub.data[RECORDER].wait_ready()
    config = {
        "broker": "127.0.0.1",
        "port": port,
        "discovery": False,
        "intake_receiver": RECEIVER,
        **config_extra,
    }
    runtime = await setup_mqtt(hub, config)
    async with asyncio.timeout(10):
        await runtime.intake.wait_connected()
        await runtime.intake.settled()
    if settle:
        tune_interpreter()  # what the hub's bootstrap does once it has started
    return hub, runtime


async def stop_hub(hub: Any) -> None:
    """Stop a hub from :func:`start_hub` and delete its directory (and database)."""
    await hub.stop()
    shutil.rmtree(hub.config_dir, ignore_errors=True)


def restore_collector() -> None:
    """Undo :func:`tune_interpreter` so the next measurement starts from the defaults."""
    gc.unfreeze()
    gc.set_threshold(*DEFAULT_GC_THRESHOLDS)
    sys.setswitchinterval(DEFAULT_SWITCH_INTERVAL)


def sensor_configs(template: str, count: int = SENSORS, qos: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "name": f"Bench {i}",
            "state_topic": TOPIC % i,
            "value_template": template,
            "unit_of_measurement": "°C",
            "state_class": "measurement",
            "qos": qos,
        }
        for i in range(count)
    ]


def thread_cpu() -> dict[str, float]:
    """CPU seconds used so far by each thread of this process, by Python thread name."""
    ticks = os.sysconf("SC_CLK_TCK")
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    used: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = names.get(int(task.name), "other")
        used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return used


class CollectorTimes:
    """Collections by thread and generation and the seconds they took, while active."""

    def __init__(self) -> None:
        self.active = False  # a collection running when it starts is not counted
        self.counts: dict[tuple[str, int], int] = {}
        self.seconds: dict[tuple[str, int], float] = {}
        self._started = 0.0

    def start(self) -> None:
        gc.callbacks.append(self._callback)
        self.active = True

    def stop(self) -> None:
        self.active = False
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.active and self._started:
            key = (threading.current_thread().name, info["generation"])
            self.counts[key] = self.counts.get(key, 0) + 1
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - self._started

    def summary(self, readings: int) -> str:
        return (
            "; ".join(
                f"{thread} gen {generation}: {self.counts[thread, generation]} "
                f"({seconds * 1e3:.0f} ms, {seconds / readings * 1e6:.2f} µs/reading)"
                for (thread, generation), seconds in sorted(self.seconds.items())
            )
            or "none"
        )


def _rows(recorder: Any) -> int:
    counters = recorder.writer.counters
    return int(counters.states_written + counters.reports_written)


async def hub_throughput(port: int, count: int, qos: int, profile: bool) -> tuple[float, float]:
    """Readings/s reaching the state machine, and rows/s committed by the recorder."""
    from hub.recorder.recorder import RECORDER

    hub, runtime = await start_hub(
        port, {"sensor": sensor_configs("{{ value_json.temperature }}", qos=qos)}, recorder=True
    )
    recorder = hub.data[RECORDER]
    await recorder.flush()
    states = hub.states
    base, base_rows = states.write_count, _rows(recorder)
    apply = runtime.intake.apply  # timed: how much of the wall time the loop spends applying
    busy = [0.0]

    def timed_apply(messages: Any) -> int:
        t0 = time.perf_counter()
        n = apply(messages)
        busy[0] += time.perf_counter() - t0
        return int(n)

    runtime.intake.apply = timed_apply
    profiler = cProfile.Profile() if profile else None
    pub = start_publisher(port, count, qos)
    first = last = 0.0
    cpu_before: dict[str, float] = {}
    collector = CollectorTimes()
    async with asyncio.timeout(180):
        while states.write_count - base < count:
            now = time.perf_counter()
            if states.write_count > base and not first:
                first = now
                cpu_before = thread_cpu()
                collector.start()
                if profiler is not None:
                    profiler.enable()
            await asyncio.sleep(0.001)
    last = time.perf_counter()
    if profiler is not None:
        profiler.disable()
    async with asyncio.timeout(120):
        await recorder.flush()  # every state queued so far is committed (or was coalesced)
    committed = time.perf_counter()
    cpu_after = thread_cpu()
    collector.stop()
    pub.wait()
    received = states.write_count - base
    rows = _rows(recorder) - base_rows
    rate = received / (last - first)
    row_rate = rows / (committed - first)
    backlog = recorder.backlog.counters
    print(
        f"  loop busy applying: {busy[0] / (last - first):.0%} of the wall time; "
        f"batches {runtime.stats.batches}, largest {runtime.stats.largest_batch}; "
        f"states {received} (lost {max(count - received, 0)}, QoS 1 redeliveries "
        f"{max(received - count, 0)}), rows committed {rows} "
        f"(lost {max(count - rows, 0)}; coalesced by the recorder's backlog "
        f"{backlog.states_coalesced}, "
        f"queue peak {backlog.peak_queue}; {recorder.writer.counters.commits} commits)"
    )
    cpu = {name: cpu_after[name] - cpu_before.get(name, 0.0) for name in cpu_after}
    loop_cpu = cpu.pop(threading.main_thread().name, 0.0)
    writer_cpu = cpu.pop("recorder-writer", 0.0)
    others = sum(cpu.values())
    print(
        f"  CPU per reading: event loop {loop_cpu / received * 1e6:.2f} µs, recorder writer "
        f"{writer_cpu / received * 1e6:.2f} µs, other threads {others / received * 1e6:.2f} µs "
        f"(hub process {(loop_cpu + writer_cpu + others) / (committed - first):.0%} of one core)"
        f"\n  garbage collections: {collector.summary(received)}"
    )
    if profiler is not None:
        print("  profile of the event-loop thread (top 12 by own time):")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(12)
    await stop_hub(hub)
    restore_collector()
    return rate, row_rate


async def hub_latency(port: int, count: int, rate: float, settle: bool) -> tuple[float, float]:
    """p50/p99 publish → state; ``settle`` tunes the interpreter as the hub's bootstrap does."""
    hub, _ = await start_hub(
        port,
        {"sensor": [{**c, "force_update": True} for c in sensor_configs("{{ value_json.ts }}")]},
        recorder=True,
        settle=settle,
    )
    latencies: list[float] = []

    def on_state(event: Any) -> None:
        state = event.data["new_state"]
        if state is not None and state.entity_id.startswith("sensor.bench"):
            latencies.append(time.time() - float(state.state))

    hub.bus.listen("state_changed", on_state)
    pub = start_publisher(port, count, 0, rate)
    async with asyncio.timeout(count / rate + 30):
        while len(latencies) < count:
            await asyncio.sleep(0.01)
    pub.wait()
    await stop_hub(hub)
    restore_collector()
    ordered = sorted(latencies[count // 10 :])  # skip the warm-up tenth
    return (
        statistics.median(ordered) * 1000,
        ordered[int(len(ordered) * 0.99)] * 1000,
    )


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def idle_memory(port: int, entities: int) -> tuple[float, float]:
    before = rss_mb()
    configs = [
        {
            "name": f"Idle {i}",
            "state_topic": f"idle/{i}/state",
            "unique_id": f"idle_{i}",
            "value_template": "{{ value_json.v }}",
            "unit_of_measurement": "W",
        }
        for i in range(entities)
    ]
    hub, _ = await start_hub(port, {"sensor": configs})
    await asyncio.sleep(1)
    after = rss_mb()
    await stop_hub(hub)
    restore_collector()
    return before, after


class FreshBroker:
    """A Mosquitto of its own for one measurement (no sessions left over from the last)."""

    def __enter__(self) -> int:
        self._tmp = tempfile.TemporaryDirectory()
        self._proc, port = start_mosquitto(Path(self._tmp.name))
        return port

    def __exit__(self, *exc: object) -> None:
        self._proc.terminate()
        self._proc.wait()
        self._tmp.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--receiver", choices=("stream", "paho"), default="stream")
    parser.add_argument("--qos", type=int, choices=(0, 1), action="append")
    parser.add_argument("--only-throughput", action="store_true")
    parser.add_argument("--publish", nargs=4, metavar=("PORT", "COUNT", "QOS", "RATE"))
    args = parser.parse_args()
    if args.publish:
        port, count, qos, rate = args.publish
        publish(int(port), int(count), int(qos), float(rate))
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    global RECEIVER
    RECEIVER = args.receiver
    ensure_node_red()  # installs Node-RED from npm on first use (not part of the suite)
    run(args.messages, args.profile, tuple(args.qos or (0, 1)), args.only_throughput)


def run(count: int, profile: bool, levels: tuple[int, ...], only_throughput: bool) -> None:
    print(
        f"MQTT intake, {count} readings of {len(reading(0))} bytes for {SENSORS} sensors; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; receiver {RECEIVER}"
    )
    for qos in levels:
        with FreshBroker() as port:
            hub_rate, row_rate = asyncio.run(hub_throughput(port, count, qos, profile))
        with FreshBroker() as port:
            paho_rate = bare_paho(port, count, qos)
        with FreshBroker() as port:
            c_rate = mosquitto_sub(port, count, qos)
        with FreshBroker() as port:
            red_rate = node_red_rate(port, count, qos, start_publisher)
        both = min(hub_rate, row_rate)
        print(
            f"QoS {qos}: hub → state machine {hub_rate:,.0f}/s, recorder committed "
            f"{row_rate:,.0f} rows/s | bare paho {paho_rate:,.0f}/s "
            f"| mosquitto_sub {c_rate:,.0f}/s | Node-RED {red_rate:,.0f}/s\n"
            f"  ratios (state machine / committed): hub/paho {hub_rate / paho_rate:.0%} / "
            f"{both / paho_rate:.0%} | hub/mosquitto_sub {hub_rate / c_rate:.0%} / "
            f"{both / c_rate:.0%} | hub/Node-RED {hub_rate / red_rate:.0%} / "
            f"{both / red_rate:.0%}"
        )
    if only_throughput:
        return
    for settle in (False, True):
        with FreshBroker() as port:
            p50, p99 = asyncio.run(hub_latency(port, 25_000, 5_000, settle))
        how = "interpreter tuned as the hub does" if settle else "CPython's defaults"
        print(
            f"latency publish → state at 5,000 msg/s ({how}): p50 {p50:.2f} ms, "
            f"p99 {p99:.2f} ms (budget p99 ≤ 10 ms)"
        )
    with FreshBroker() as port:
        before, after = asyncio.run(idle_memory(port, 10_000))
    print(
        f"idle hub RSS with 10,000 MQTT entities: {after:.0f} MB "
        f"(process before the hub: {before:.0f} MB; +{after - before:.0f} MB)"
    )


if __name__ == "__main__":
    main()
