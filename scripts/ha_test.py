#!/usr/bin/env python3
"""make ha-test: checks the bridge's MQTT discovery against a real Home Assistant.

Run by scripts/ha-test.sh with the Python of the virtual environment holding Home Assistant
(it uses the aiohttp that Home Assistant brought along). Two commands:

    ha_test.py requirements
        Prints the requirements of every integration Home Assistant will set up for the test,
        read from its own manifests, one per line: ha-test.sh pre-installs them, so Home
        Assistant runs with --skip-pip and never calls pip at run time.

    ha_test.py run --work DIR --bin DIR --hass PATH
        In DIR: a test mosquitto, aurora-sim with two inverters, the bridge, Home Assistant
        with the MQTT integration on that broker; then the checks, each printed PASS or FAIL
        with its numbers. Exits 1 when any check failed. Every process it starts writes its pid
        into DIR/pids (ha-test.sh stops leftovers) and is stopped before it returns.

How Home Assistant is set up, and why that way:
- configuration.yaml holds only http (a free loopback port), api and recorder; the frontend,
  which Home Assistant always sets up, brings onboarding, config and websocket_api.
- The token: the onboarding step "create the owner" (POST /api/onboarding/users, open while
  nobody has onboarded) returns an authorization code; /auth/token exchanges it for an access
  token, and the websocket command auth/long_lived_access_token makes a long-lived one. These
  are the calls Home Assistant's own frontend makes, no file of .storage is written by hand.
- MQTT cannot be configured in YAML. Its config entry is made through the config flow over
  REST (POST /api/config/config_entries/flow with handler "mqtt", then the broker and port),
  as the UI does: Home Assistant validates the broker (it connects to it) and writes the entry
  itself, so the test does not depend on the private format of .storage/core.config_entries.
- What Home Assistant shows is read live: the device and entity registries over the websocket
  API (config/device_registry/list, config/entity_registry/list), states over REST
  (/api/states), and the recorder's SQLite database for what it stored.

Conditions are waited for with deadlines, polling every 0.5 s; a failure names what was
expected and what was last seen.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

import aiohttp  # Home Assistant's, from the virtual environment this runs in

# --- What the test expects, from docs/home-assistant.md and the README ----------------------

#: The inverters on the simulated bus: name → RS485 address.
INVERTERS = {"east": 2, "west": 3}
#: The rename check: this inverter gets this new name in bridge.conf.
RENAME = ("west", "south")
#: The topic prefix and Home Assistant's discovery prefix (the defaults).
PREFIX = "aurora"
DISCOVERY_PREFIX = "homeassistant"
#: The plant's name (`[plant] name`, default "plant"): with two inverters it is a device too.
PLANT = "plant"
#: Seconds between two polls of an inverter (also the simulator's alarm timing depends on it).
POLL_INTERVAL = 10

#: Sensors per inverter, floor and ceiling. docs/home-assistant.md: "Every loop field you publish
#: gets a sensor, except the derived `energy`", plus the state, the alarm and the availability;
#: the loop fields are the 25 measures, the 6 energy counters and the inverter clock (README
#: "What it does", bridge.conf [fields]). With the defaults (no field excluded, commands off so
#: no buttons) that is exactly 25 + 6 + 1 + 3 = 35, so floor and ceiling are both 35.
INVERTER_SENSORS = (35, 35)
#: The plant's sensors (README, "the plant"): gridPower, dcPower, the five summed counters
#: (day, week, month, year, total), inverters answering, and its availability: 9.
PLANT_SENSORS = (9, 9)

#: Issue 16's event entity: the component key, its platform, and the event types it announces.
EVENT_KEY = "event"
EVENT_TYPES = {"alarm_raised", "alarm_cleared", "state_changed", "availability_changed"}
#: The simulator raises alarm 13 twenty simulated seconds after it starts, for 30 s.
SIM_ALARM = "13@20:30"

#: The integrations configured in configuration.yaml (besides the core) and by config entry;
#: `requirements` adds those Home Assistant always sets up (bootstrap.DEFAULT_INTEGRATIONS).
CONFIGURED_INTEGRATIONS = {"http", "api", "recorder", "mqtt"}


# --- Small helpers ----------------------------------------------------------------------------


class CheckFailed(Exception):
    """A condition did not hold within its deadline (the message says what and what was seen)."""


async def wait_until(what: str, probe: Callable[[], Awaitable[tuple[bool, str]]], timeout: float) -> str:
    """Polls `probe` every 0.5 s until it returns (True, seen); returns `seen`.

    Raises CheckFailed naming `what` and the last `seen` when `timeout` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    seen = "nothing yet"
    while True:
        try:
            ok, seen = await probe()
        except (OSError, aiohttp.ClientError, asyncio.TimeoutError) as error:
            ok, seen = False, f"{type(error).__name__}: {error}"
        if ok:
            return seen
        if time.monotonic() >= deadline:
            raise CheckFailed(f"{what}: not within {timeout:.0f} s; last seen: {seen}")
        await asyncio.sleep(0.5)


def free_port() -> int:
    """A free TCP port on the loopback interface (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


class Report:
    """The PASS/FAIL lines and the phase timings."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.timings: list[tuple[str, float]] = []

    def passed(self, name: str, detail: str) -> None:
        print(f"PASS  {name}: {detail}", flush=True)

    def failed(self, name: str, detail: str) -> None:
        print(f"FAIL  {name}: {detail}", flush=True)
        self.failures.append(name)

    def check(self, name: str, ok: bool, detail: str) -> bool:
        (self.passed if ok else self.failed)(name, detail)
        return ok

    @contextlib.contextmanager
    def timed(self, phase: str):
        started = time.monotonic()
        try:
            yield
        finally:
            seconds = time.monotonic() - started
            self.timings.append((phase, seconds))
            print(f"TIMING {phase}: {seconds:.1f} s", flush=True)


# --- Processes --------------------------------------------------------------------------------


class Processes:
    """The child processes, each with its log in the work directory and its pid in work/pids."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.pid_dir = work / "pids"
        self.pid_dir.mkdir(exist_ok=True)
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], log_name: str | None = None, **kwargs: Any) -> subprocess.Popen:
        log = open(self.work / (log_name or f"{name}.log"), "ab")
        # A session of its own: Ctrl-C on the terminal reaches only this program, which then
        # stops the children in order (the bridge before the broker).
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=kwargs.pop("stdout", log), stderr=subprocess.STDOUT,
            start_new_session=True, **kwargs)
        log.close()
        (self.pid_dir / f"{name}.pid").write_text(str(process.pid))
        self.running[name] = process
        return process

    def stop(self, name: str, timeout: float = 30) -> None:
        process = self.running.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                print(f"ha-test: {name} did not stop within {timeout:.0f} s of SIGTERM; killing it", flush=True)
                process.kill()
                process.wait()
        (self.pid_dir / f"{name}.pid").unlink(missing_ok=True)

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name, timeout=60 if name == "hass" else 30)

    def check_alive(self, name: str) -> None:
        process = self.running.get(name)
        if process is not None and process.poll() is not None:
            raise CheckFailed(f"{name} exited with status {process.returncode}; see {self.work}/{name}.log")


class BrokerView:
    """What a subscriber of the test broker sees: the last payload of every topic under the
    bridge's prefix and the discovery prefix, from one `mosquitto_sub` kept running.

    mosquitto_sub prints `<retained> <topic> <length> <payload>` per message (-F), so an empty
    payload (a removed config) is told apart from a missing one.
    """

    def __init__(self, processes: Processes, port: int) -> None:
        self.last: dict[str, str] = {}
        self.lock = threading.Lock()
        argv = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-q", "1", "-F", "%r %t %l %p",
                "-t", f"{PREFIX}/#", "-t", f"{DISCOVERY_PREFIX}/#"]
        self.process = processes.start("mosquitto_sub", argv, log_name="mosquitto_sub.err", stdout=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            parts = raw.decode("utf-8", "replace").rstrip("\n").split(" ", 3)
            if len(parts) < 3:
                continue
            topic, payload = parts[1], parts[3] if len(parts) == 4 else ""
            with self.lock:
                self.last[topic] = payload

    def get(self, topic: str) -> str | None:
        with self.lock:
            return self.last.get(topic)

    def snapshot(self) -> dict[str, str]:
        with self.lock:
            return dict(self.last)

    def device_config(self, node: str) -> dict | None:
        payload = self.get(f"{DISCOVERY_PREFIX}/device/{node}/config")
        return json.loads(payload) if payload else None


# --- Home Assistant ---------------------------------------------------------------------------


class HomeAssistant:
    """Home Assistant's REST and websocket APIs on the loopback port."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self.token: str | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.ws_id = 0

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.session.close()

    async def rest(self, method: str, path: str, json_body: Any = None, auth: bool = True) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        async with self.session.request(method, self.base + path, json=json_body, headers=headers) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except json.JSONDecodeError:
                return response.status, text

    async def _connect_ws(self, token: str) -> None:
        if self.ws is not None:
            await self.ws.close()
        self.ws = await self.session.ws_connect(self.base + "/api/websocket", max_msg_size=0)
        hello = await self.ws.receive_json()
        assert hello["type"] == "auth_required", hello
        await self.ws.send_json({"type": "auth", "access_token": token})
        answer = await self.ws.receive_json()
        if answer["type"] != "auth_ok":
            raise CheckFailed(f"Home Assistant refused the websocket login: {answer}")

    async def call(self, command: str, **payload: Any) -> Any:
        """One websocket command; returns its result (raises CheckFailed when it failed)."""
        if self.ws is None or self.ws.closed:
            await self._connect_ws(self.token)
        self.ws_id += 1
        await self.ws.send_json({"id": self.ws_id, "type": command, **payload})
        while True:
            message = await self.ws.receive_json()
            if message.get("id") == self.ws_id and message.get("type") == "result":
                break
        if not message["success"]:
            raise CheckFailed(f"websocket {command} failed: {message.get('error')}")
        return message["result"]

    async def onboard(self) -> None:
        """Creates the owner through onboarding and keeps a long-lived access token."""
        client_id = self.base + "/"
        status, body = await self.rest("POST", "/api/onboarding/users", {
            "client_id": client_id, "name": "ha-test", "username": "ha-test",
            "password": "ha-test-" + os.urandom(8).hex(), "language": "en"}, auth=False)
        if status != 200:
            raise CheckFailed(f"onboarding (create the owner): HTTP {status} {body}")
        form = {"grant_type": "authorization_code", "code": body["auth_code"], "client_id": client_id}
        async with self.session.post(self.base + "/auth/token", data=form) as response:
            tokens = await response.json()
            if response.status != 200:
                raise CheckFailed(f"/auth/token: HTTP {response.status} {tokens}")
        # The access token lasts 30 minutes; the long-lived one outlives any run of the test.
        await self._connect_ws(tokens["access_token"])
        self.ws_id += 1
        await self.ws.send_json({"id": self.ws_id, "type": "auth/long_lived_access_token",
                                 "client_name": "aurora-bridge ha-test", "lifespan": 1})
        answer = await self.ws.receive_json()
        if not answer.get("success"):
            raise CheckFailed(f"auth/long_lived_access_token: {answer}")
        self.token = answer["result"]
        await self._connect_ws(self.token)

    async def add_mqtt(self, broker_port: int) -> dict:
        """Sets up the MQTT integration on the test broker through its config flow."""
        status, flow = await self.rest("POST", "/api/config/config_entries/flow",
                                       {"handler": "mqtt", "show_advanced_options": False})
        if status != 200 or flow.get("step_id") != "broker":
            raise CheckFailed(f"MQTT config flow: expected the broker form, got HTTP {status} {flow}")
        status, result = await self.rest("POST", f"/api/config/config_entries/flow/{flow['flow_id']}",
                                         {"broker": "127.0.0.1", "port": broker_port})
        if status != 200 or result.get("type") != "create_entry":
            raise CheckFailed(f"MQTT config flow: expected a new entry, got HTTP {status} {result}")
        return result["result"]

    async def states(self) -> dict[str, dict]:
        status, body = await self.rest("GET", "/api/states")
        if status != 200:
            raise CheckFailed(f"/api/states: HTTP {status} {body}")
        return {state["entity_id"]: state for state in body}

    async def registries(self) -> tuple[list[dict], list[dict]]:
        """The device registry and the entity registry."""
        return await self.call("config/device_registry/list"), await self.call("config/entity_registry/list")


def node(name: str) -> str:
    """The discovery node id and device identifier of an inverter or the plant (the docs' rule)."""
    return f"{PREFIX}_{name}"


@dataclass
class DeviceView:
    """One device as Home Assistant's registries show it."""

    device: dict | None
    entities: list[dict] = field(default_factory=list)

    def of_domain(self, domain: str) -> list[dict]:
        return [e for e in self.entities if e["entity_id"].split(".")[0] == domain]

    def describe(self) -> str:
        if self.device is None:
            return "no device"
        domains: dict[str, int] = {}
        for entity in self.entities:
            domain = entity["entity_id"].split(".")[0]
            domains[domain] = domains.get(domain, 0) + 1
        return f"device {self.device['name']!r} with " + (", ".join(f"{n} {d}" for d, n in sorted(domains.items())) or "no entities")


def device_view(devices: list[dict], entities: list[dict], name: str) -> DeviceView:
    """The device whose identifiers hold the node id of `name`, and its MQTT entities."""
    for device in devices:
        if ["mqtt", node(name)] in device["identifiers"]:
            return DeviceView(device, [e for e in entities if e["device_id"] == device["id"] and e["platform"] == "mqtt"])
    return DeviceView(None)


# --- The test ---------------------------------------------------------------------------------


class Test:
    def __init__(self, work: Path, bin_dir: Path, hass: Path) -> None:
        self.work, self.bin, self.hass_bin = work, bin_dir, hass
        self.report = Report()
        self.processes = Processes(work)
        self.broker_port = free_port()
        self.http_port = free_port()
        self.names = dict(INVERTERS)
        self.link = work / "ttyAURORA"
        # Simulated noon today, so the inverters produce and every value is non-trivial.
        self.sim_start = dt.datetime.combine(dt.date.today(), dt.time(12))
        self.sim_started: float | None = None
        self.ha: HomeAssistant | None = None
        self.broker: BrokerView | None = None

    # -- the programs --

    async def start_broker(self) -> None:
        conf = self.work / "mosquitto.conf"
        conf.write_text(f"listener {self.broker_port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                        "log_dest stderr\nlog_type all\n")
        self.processes.start("mosquitto", ["mosquitto", "-c", str(conf)])

        async def listening() -> tuple[bool, str]:
            self.processes.check_alive("mosquitto")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.broker_port), 0.5):
                return True, "listening"
            return False, "not listening"
        await wait_until(f"mosquitto on port {self.broker_port}", listening, 10)
        self.broker = BrokerView(self.processes, self.broker_port)

    async def start_simulator(self, extra: list[str] = ()) -> None:
        # A restarted simulator goes on from the simulated time the first one had reached (real
        # time, --time-scale 1), as a real inverter's clock would.
        if self.sim_started is None:
            self.sim_started = time.monotonic()
        start = self.sim_start + dt.timedelta(seconds=round(time.monotonic() - self.sim_started))
        argv = [str(self.bin / "aurora-sim"), "--link", str(self.link), "--always-awake", "--start", start.isoformat()]
        for address in INVERTERS.values():
            argv += ["--address", str(address)]
        self.processes.start("aurora-sim", argv + list(extra))

        async def linked() -> tuple[bool, str]:
            self.processes.check_alive("aurora-sim")
            return self.link.exists(), f"{self.link} exists" if self.link.exists() else f"no {self.link}"
        await wait_until("the simulator's pseudo-terminal", linked, 10)

    def write_bridge_conf(self) -> None:
        inverters = "".join(f'\n[[inverter]]\nname = "{name}"\naddress = {address}\npoll_interval = {POLL_INTERVAL}\n'
                            for name, address in self.names.items())
        (self.work / "bridge.conf").write_text(f"""# Written by scripts/ha_test.py.
[mqtt]
host = "127.0.0.1"
port = {self.broker_port}
client_id = "aurora-bridge-ha-test"
keepalive = 10

[bus]
port = "{self.link}"
read_timeout = 0.5

[homeassistant]
discovery = "device"
discovery_prefix = "{DISCOVERY_PREFIX}"
{inverters}
[archive]
interval = 60
database = "{self.work / 'archive.sqlite'}"

[stats]
interval = 60
""")

    def start_bridge(self) -> None:
        self.write_bridge_conf()
        self.processes.start("aurora-bridge", [str(self.bin / "aurora-bridge"), "run", "--config", str(self.work / "bridge.conf")])

    def write_ha_config(self) -> Path:
        config = self.work / "ha"
        config.mkdir()
        (config / "configuration.yaml").write_text(f"""# Written by scripts/ha_test.py: the least Home Assistant needs for the test.
homeassistant:
  name: aurora-bridge ha-test
  latitude: 45.46
  longitude: 9.19
  elevation: 120
  unit_system: metric
  time_zone: UTC
  currency: EUR
  country: IT

http:
  server_host: 127.0.0.1
  server_port: {self.http_port}

# /api/states and the rest of the REST API.
api:

recorder:
  # Commit every second (default 5) so what the test reads from the database is recent.
  commit_interval: 1
""")
        return config

    async def start_home_assistant(self) -> None:
        config = self.write_ha_config()
        # --skip-pip: every requirement was installed with Home Assistant (ha-test.sh).
        self.processes.start("hass", [str(self.hass_bin), "--config", str(config), "--skip-pip", "--log-no-color"])
        self.ha = HomeAssistant(self.http_port)

    async def home_assistant_running(self) -> None:
        """Waits for the HTTP server, onboards, then waits for the core to be RUNNING."""
        async def serving() -> tuple[bool, str]:
            self.processes.check_alive("hass")
            status, body = await self.ha.rest("GET", "/api/onboarding", auth=False)
            return status == 200, f"HTTP {status} {body}"
        # The first start of a fresh configuration (database, translations, the frontend) on a
        # loaded 2-core machine takes a minute or two.
        await wait_until(f"Home Assistant's HTTP server on port {self.http_port}", serving, 600)
        await self.ha.onboard()
        (self.work / "ha" / "ha-test.token").write_text(self.ha.token + "\n")

        async def running() -> tuple[bool, str]:
            self.processes.check_alive("hass")
            status, body = await self.ha.rest("GET", "/api/config")
            state = body.get("state") if isinstance(body, dict) else body
            return state == "RUNNING", f"state {state}"
        await wait_until("Home Assistant running", running, 600)

    async def mqtt_loaded(self) -> None:
        entry = await self.ha.add_mqtt(self.broker_port)

        async def loaded() -> tuple[bool, str]:
            status, entries = await self.ha.rest("GET", "/api/config/config_entries/entry?domain=mqtt")
            states = [e.get("state") for e in entries] if isinstance(entries, list) else entries
            return states == ["loaded"], f"MQTT config entries in state {states}"
        await wait_until(f"the MQTT entry {entry.get('entry_id')} loaded", loaded, 60)

    # -- the checks --

    async def check_devices(self) -> None:
        """Each inverter's device with its sensors, and the plant's, as the bridge announced."""
        expected = {name: INVERTER_SENSORS for name in self.names} | {PLANT: PLANT_SENSORS}
        views: dict[str, DeviceView] = {}

        async def complete() -> tuple[bool, str]:
            devices, entities = await self.ha.registries()
            views.update({name: device_view(devices, entities, name) for name in expected})
            ok = all(len(views[name].of_domain("sensor")) >= floor for name, (floor, _) in expected.items())
            return ok, "; ".join(f"{name}: {views[name].describe()}" for name in expected)
        with contextlib.suppress(CheckFailed):  # reported below, name by name
            await wait_until("every device with its sensors", complete, 120)
        for name, (floor, ceiling) in expected.items():
            view = views.get(name, DeviceView(None))
            sensors = view.of_domain("sensor")
            announced = self.announced_sensor_ids(name)
            missing = sorted(announced - {e["unique_id"] for e in sensors})
            what = "plant" if name == PLANT else "inverter"
            self.report.check(
                f"{what} {name}: device and sensors",
                view.device is not None and floor <= len(sensors) <= ceiling and not missing,
                f"{view.describe()}; {len(sensors)} sensor entities (expected {floor}–{ceiling}, derived from "
                f"docs/home-assistant.md and the README); the bridge announced {len(announced)} sensors on "
                f"{DISCOVERY_PREFIX}/device/{node(name)}/config"
                + (f"; missing in Home Assistant: {missing[:5]}" if missing else ""))
        grid_power = f"sensor.{node('east')}_grid_power"
        ids = {e["entity_id"] for e in views.get("east", DeviceView(None)).entities}
        self.report.check("entity ids follow device name + entity name", grid_power in ids,
                          f"{grid_power} {'is' if grid_power in ids else 'is not'} among the {len(ids)} entities of Aurora east")

    def announced_sensor_ids(self, name: str) -> set[str]:
        config = self.broker.device_config(node(name)) or {}
        return {c["unique_id"] for c in config.get("cmps", {}).values() if c.get("p") == "sensor"}

    async def check_values(self) -> None:
        """Each sensor's state equals what the bridge last published on its state topic."""
        for name in list(self.names) + [PLANT]:
            result: dict[str, Any] = {}

            async def equal() -> tuple[bool, str]:
                devices, entities = await self.ha.registries()
                view = device_view(devices, entities, name)
                config = self.broker.device_config(node(name)) or {"cmps": {}}
                broker = self.broker.snapshot()
                states = await self.ha.states()
                compared, mismatches = [], []
                for entity in view.of_domain("sensor"):
                    key = entity["unique_id"].removeprefix(node(name) + "_")
                    component = config["cmps"].get(key)
                    if component is None:
                        mismatches.append(f"{entity['entity_id']}: not announced")
                        continue
                    payload = broker.get(component["state_topic"])
                    expected = expected_state(key, payload)
                    actual = states.get(entity["entity_id"], {}).get("state")
                    line = (entity["entity_id"], actual, component["state_topic"], payload)
                    (compared if same_state(actual, expected) else mismatches).append(line)
                result.update(compared=compared, mismatches=mismatches)
                return bool(compared) and not mismatches, f"{len(compared)} equal, {len(mismatches)} differ: {mismatches[:3]}"
            try:
                # Values change at every poll; a moment between two polls shows them all equal.
                await wait_until(f"{name}: every sensor equal to its topic", equal, 60)
                example = next((c for c in result["compared"] if c[0].endswith("_grid_power")), result["compared"][0])
                self.report.passed(f"values {name}", f"{len(result['compared'])} sensors equal the broker's last values, "
                                   f"e.g. {example[0]} = {example[1]} and {example[2]} = {example[3]}")
            except CheckFailed as failure:
                self.report.failed(f"values {name}", str(failure))

    async def check_recorder(self) -> None:
        """The recorder stored the sensor's states (what history and the Energy dashboard use)."""
        entity_id = f"sensor.{node('east')}_grid_power"
        database = self.work / "ha" / "home-assistant_v2.db"

        async def stored() -> tuple[bool, str]:
            current = (await self.ha.states()).get(entity_id, {}).get("state")
            with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
                rows = db.execute("SELECT s.state FROM states s JOIN states_meta m ON s.metadata_id = m.metadata_id "
                                  "WHERE m.entity_id = ? ORDER BY s.state_id", (entity_id,)).fetchall()
            last = rows[-1][0] if rows else None
            return bool(rows) and last == current, f"{len(rows)} stored states, the last {last!r}, current {current!r}"
        try:
            seen = await wait_until(f"the recorder storing {entity_id}", stored, 30)
            self.report.passed("recorder", f"{entity_id}: {seen}")
        except CheckFailed as failure:
            self.report.failed("recorder", str(failure))

    async def check_rename(self) -> None:
        """Renaming an inverter and restarting the bridge leaves no stale entity."""
        old, new = RENAME
        self.processes.stop("aurora-bridge")
        self.names = {new if name == old else name: address for name, address in self.names.items()}
        self.start_bridge()
        result: dict[str, Any] = {}

        async def renamed() -> tuple[bool, str]:
            devices, entities = await self.ha.registries()
            states = await self.ha.states()
            old_entities = [e["entity_id"] for e in entities if e["unique_id"].startswith(node(old) + "_")]
            old_devices = [d["name"] for d in devices if ["mqtt", node(old)] in d["identifiers"]]
            old_states = [s for s in states if s.split(".", 1)[-1].startswith(node(old) + "_")]
            view = device_view(devices, entities, new)
            sensors = view.of_domain("sensor")
            misnamed = [e["entity_id"] for e in view.entities if not e["entity_id"].split(".", 1)[1].startswith(node(new) + "_")]
            # The bridge announces the device again with its serial number once it has read the
            # inverter's identity; the old device had that identifier too. Waiting for it on the
            # new device judges the final state, not the moment between the two announcements.
            serials = [i[1] for i in (view.device or {}).get("identifiers", []) if i[1].startswith("aurora-serial:")]
            result.update(old_entities=old_entities, old_devices=old_devices, old_states=old_states, view=view,
                          sensors=sensors, misnamed=misnamed, serials=serials)
            floor, ceiling = INVERTER_SENSORS
            ok = (not old_entities and not old_devices and not old_states and floor <= len(sensors) <= ceiling
                  and not misnamed and bool(serials))
            return ok, (f"{len(old_entities)} entities and {len(old_devices)} devices of {old} in the registries, "
                        f"{len(old_states)} states; {new}: {view.describe()}, serial {serials}, misnamed {misnamed[:3]}")
        with contextlib.suppress(CheckFailed):  # reported below, part by part
            await wait_until(f"the rename {old} → {new} in Home Assistant", renamed, 90)
        r = result
        self.report.check(f"rename {old} → {new}: old entities gone", not r["old_entities"] and not r["old_states"],
                          f"{len(r['old_entities'])} entities with unique id {node(old)}_* left in the entity registry"
                          f"{' ' + str(r['old_entities'][:5]) if r['old_entities'] else ''}, {len(r['old_states'])} states left")
        self.report.check(f"rename {old} → {new}: old device gone", not r["old_devices"],
                          f"devices with identifier {node(old)}: {r['old_devices']}")
        floor, ceiling = INVERTER_SENSORS
        self.report.check(f"rename {old} → {new}: new device",
                          floor <= len(r["sensors"]) <= ceiling and not r["misnamed"] and bool(r["serials"]),
                          f"{r['view'].describe()}, identifiers {r['serials']}; {len(r['sensors'])} sensors "
                          f"(expected {floor}–{ceiling}); entity ids not starting with {node(new)}_: {r['misnamed'][:5]}")

    async def check_events(self) -> None:
        """The event entities: announced, set up by Home Assistant, fired by an alarm."""
        name = "east"
        try:
            # 1. The bridge announces the components (the contract of this check).
            config = self.broker.device_config(node(name)) or {}
            component = config.get("cmps", {}).get(EVENT_KEY)
            if component is None:
                raise CheckFailed(f"{DISCOVERY_PREFIX}/device/{node(name)}/config has no component {EVENT_KEY!r} "
                                  f"(components: {len(config.get('cmps', {}))}): the inverter's event entity is not announced")
            want = {"p": "event", "state_topic": f"{PREFIX}/{name}/event"}
            wrong = {k: component.get(k) for k, v in want.items() if component.get(k) != v}
            missing_types = EVENT_TYPES - set(component.get("event_types", []))
            if wrong or missing_types:
                raise CheckFailed(f"component {EVENT_KEY!r} of {node(name)}: expected {want} and event_types ⊇ "
                                  f"{sorted(EVENT_TYPES)}; got {wrong}, missing types {sorted(missing_types)}")
            bridge_topic = f"{PREFIX}/bridge/event"
            bridge_ids = [c["unique_id"] for topic, payload in self.broker.snapshot().items()
                          if topic.startswith(f"{DISCOVERY_PREFIX}/device/") and payload
                          for c in json.loads(payload).get("cmps", {}).values()
                          if c.get("p") == "event" and c.get("state_topic") == bridge_topic]
            if not bridge_ids:
                raise CheckFailed(f"no device config announces an event component on {bridge_topic}: the bridge "
                                  f"device's event entity is not announced")

            # 2. Home Assistant made the entities.
            devices, entities = await self.ha.registries()
            events = device_view(devices, entities, name).of_domain("event")
            bridge_events = [e for e in entities if e["unique_id"] in bridge_ids and e["entity_id"].startswith("event.")]
            if not events or not bridge_events:
                raise CheckFailed(f"Home Assistant has {len(events)} event entities on Aurora {name} and "
                                  f"{len(bridge_events)} for the bridge; expected one each")
            entity_id = events[0]["entity_id"]
            before = (await self.ha.states()).get(entity_id, {})
            self.report.passed("event entities", f"{entity_id} ({before.get('state')}) and {bridge_events[0]['entity_id']}")

            # 3. An alarm in the simulator changes the event entity's state.
            help_text = subprocess.run([str(self.bin / "aurora-sim"), "--help"], capture_output=True, text=True).stdout
            if "--alarm" not in help_text:
                raise CheckFailed(f"aurora-sim has no --alarm option yet (issue 16, \"The simulator\"): cannot raise alarm {SIM_ALARM}")
            self.processes.stop("aurora-sim")
            await self.start_simulator(["--alarm", SIM_ALARM])
            raised = int(SIM_ALARM.split("@")[1].split(":")[0])

            # The entity shows its last event only, and the alarm's state change follows it in the
            # same poll: the recorder keeps every one.
            database = self.work / "ha" / "home-assistant_v2.db"

            async def alarm_event() -> tuple[bool, str]:
                state = (await self.ha.states()).get(entity_id, {})
                changed = state.get("state") != before.get("state")
                with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
                    rows = db.execute("SELECT a.shared_attrs FROM states s JOIN states_meta m ON s.metadata_id = m.metadata_id "
                                      "LEFT JOIN state_attributes a ON s.attributes_id = a.attributes_id "
                                      "WHERE m.entity_id = ? ORDER BY s.state_id", (entity_id,)).fetchall()
                types = [json.loads(row[0]).get("event_type") for row in rows if row[0]]
                types = [event_type for event_type in types if event_type]
                return changed and "alarm_raised" in types, f"state {state.get('state')!r}, event types recorded {types}"
            seen = await wait_until(f"{entity_id} showing alarm_raised", alarm_event, raised + 3 * POLL_INTERVAL + 30)
            self.report.passed("event on alarm", f"{entity_id}: {seen} (before: {before.get('state')!r})")
        except CheckFailed as failure:
            self.report.failed("event entity (issue 16)", str(failure))

    def report_ha_log(self) -> None:
        """Home Assistant's warnings and errors about MQTT or aurora, and failed setups (not checks)."""
        log = self.work / "ha" / "home-assistant.log"
        lines = log.read_text(errors="replace").splitlines() if log.exists() else []
        # A record's first line holds its level; tracebacks follow on lines of their own.
        notable = [line for line in lines if (" WARNING " in line or " ERROR " in line)
                   and any(word in line.lower() for word in ("mqtt", "aurora"))]
        print(f"\nHome Assistant's log ({log}): {len(notable)} warnings or errors mentioning mqtt or aurora", flush=True)
        for line in dict.fromkeys(notable):
            print("    " + (line if len(line) <= 400 else line[:400] + " …"))
        failed = [line for line in lines if "Setup failed for" in line or "Unable to prepare setup for" in line]
        self.report.check("Home Assistant set up every integration", not failed,
                          f"{len(failed)} failed setups (requirements missing from the virtual environment?)"
                          + "".join("\n    " + line for line in failed))

    # -- the whole run --

    async def run(self) -> int:
        try:
            with self.report.timed("start mosquitto, simulator, bridge"):
                await self.start_broker()
                # Home Assistant's first start is the slowest part: start it while the rest comes up.
                await self.start_home_assistant()
                started = time.monotonic()
                await self.start_simulator()
                self.start_bridge()
            print(f"ha-test: broker 127.0.0.1:{self.broker_port}, Home Assistant http://127.0.0.1:{self.http_port}, "
                  f"work directory {self.work}", flush=True)
            await self.home_assistant_running()
            self.report.timings.append(("Home Assistant first start (to RUNNING)", time.monotonic() - started))
            print(f"TIMING Home Assistant first start (to RUNNING): {time.monotonic() - started:.1f} s", flush=True)
            with self.report.timed("MQTT integration set up"):
                await self.mqtt_loaded()
            with self.report.timed("check: devices"):
                await self.check_devices()
            with self.report.timed("check: values"):
                await self.check_values()
            with self.report.timed("check: recorder"):
                await self.check_recorder()
            with self.report.timed("check: rename"):
                await self.check_rename()
            with self.report.timed("check: events"):
                await self.check_events()
        except CheckFailed as failure:
            self.report.failed("setup", str(failure))
        finally:
            if self.ha is not None:
                await self.ha.close()
            with self.report.timed("stop everything"):
                self.processes.stop_all()
        self.report_ha_log()
        print()
        for phase, seconds in self.report.timings:
            print(f"  {seconds:7.1f} s  {phase}")
        if self.report.failures:
            print(f"\nha-test: {len(self.report.failures)} FAILED: {', '.join(self.report.failures)}")
            return 1
        print("\nha-test: all checks passed")
        return 0


def expected_state(key: str, payload: str | None) -> str | None:
    """The state Home Assistant should show for component `key` given its topic's payload: the
    components' value templates, applied by hand (state and alarm read the state JSON, the clock
    turns Unix seconds into a UTC timestamp)."""
    if payload is None:
        return None
    if key in ("state", "alarm"):
        return json.loads(payload)["global" if key == "state" else "alarm"]["text"]
    if key == "inverterDateTime":
        return dt.datetime.fromtimestamp(int(float(payload)), dt.timezone.utc).isoformat()
    return payload


def same_state(actual: str | None, expected: str | None) -> bool:
    """Equal as numbers when both are numbers (Home Assistant may write 3600 for 3600.0), as
    timestamps when both are, otherwise as text."""
    if actual is None or expected is None:
        return False
    a, e = as_number(actual), as_number(expected)
    if a is not None and e is not None:
        return a == e
    with contextlib.suppress(ValueError):
        return dt.datetime.fromisoformat(actual) == dt.datetime.fromisoformat(expected)
    return actual == expected


# --- requirements -----------------------------------------------------------------------------


def requirements() -> list[str]:
    """The requirements of every integration the test's Home Assistant sets up, and of their
    dependencies, from the manifests of the installed Home Assistant."""
    from homeassistant import bootstrap
    import homeassistant.components

    components = Path(homeassistant.components.__file__).parent
    domains = set(bootstrap.CORE_INTEGRATIONS) | set(bootstrap.DEFAULT_INTEGRATIONS) | CONFIGURED_INTEGRATIONS
    seen: set[str] = set()
    found: dict[str, None] = {}
    while domains:
        domain = domains.pop()
        if domain in seen:
            continue
        seen.add(domain)
        manifest = json.loads((components / domain / "manifest.json").read_text())
        found.update(dict.fromkeys(manifest.get("requirements", [])))
        # With --skip-pip only what is imported matters: the dependencies, which Home Assistant
        # sets up first. after_dependencies only order setups of integrations loaded anyway.
        domains |= set(manifest.get("dependencies", []))
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("requirements", help="print the integrations' requirements to pre-install")
    run = commands.add_parser("run", help="run the test")
    run.add_argument("--work", type=Path, required=True, help="an empty directory for everything the test writes")
    run.add_argument("--bin", type=Path, required=True, help="where aurora-bridge and aurora-sim are")
    run.add_argument("--hass", type=Path, required=True, help="the hass program of the virtual environment")
    args = parser.parse_args()
    if args.command == "requirements":
        print("\n".join(requirements()))
        return 0
    test = Test(args.work, args.bin, args.hass)

    async def run_test() -> int:
        # SIGTERM (a CI timeout) cancels the run like Ctrl-C does: Test.run's `finally` stops
        # every process it started.
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
        return await test.run()
    try:
        return asyncio.run(run_test())
    except (KeyboardInterrupt, asyncio.CancelledError):
        test.processes.stop_all()
        print("ha-test: interrupted", flush=True)
        return 130


if __name__ == "__main__":
    sys.exit(main())
