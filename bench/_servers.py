"""Shared by the bench scripts and the reliability tests: databases, served processes, an office.

A database is a fresh SQLite file or a PostgreSQL database `rc_bench_<random>` created and dropped
through psycopg on RAILCLAIM_BENCH_PG_ADMIN (default postgresql://postgres@127.0.0.1:5432/test).
Servers are real `railclaim serve` subprocesses on loopback ports, ready once /healthz answers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("RAILCLAIM_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
ENTITY_NAME = "上海基准测试科技有限公司"
PASSENGER, ID_MASKED = "张三", "1101011990****1234"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_argv(workers: int, port: int) -> list[str]:
    return [str(BIN / "railclaim"), "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers)]  # fmt: skip


def echo_argv(workers: int, port: int) -> list[str]:
    # --app-dir: the echo runs in a temp dir (its log lands there), importing from the repo.
    return [sys.executable, "-m", "uvicorn", "bench.echo_app:app", "--app-dir", str(REPO),
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--no-access-log", "--log-level", "warning"]  # fmt: skip


def server_env(url: str, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RAILCLAIM_DATABASE_URL": url,
        "RAILCLAIM_STORAGE_DIR": str(workdir / "storage"),
        "RAILCLAIM_ENVIRONMENT": "dev",
        "RAILCLAIM_LOG_LEVEL": "WARNING",
    }


def start_server(
    argv: list[str], env: dict[str, str], cwd: Path, port: int, timeout: float = 60
) -> tuple[subprocess.Popen[bytes], str]:
    """Starts a server (log: cwd/server-<port>.log); returns it once /healthz answers 200."""
    with (cwd / f"server-{port}.log").open("ab") as log:
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(process, base_url, timeout)
    except BaseException:
        stop_server(process)
        raise
    return process, base_url


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """kill -9 of the server and of any uvicorn worker processes it started."""
    for pid in [*child_pids(process.pid), process.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def child_pids(pid: int) -> list[int]:
    children: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(c) for c in (task / "children").read_text().split()]
    return children


def wait_healthy(process: subprocess.Popen[bytes], base_url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see its log")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)
    raise RuntimeError(f"server did not become healthy within {timeout:.0f} s")


@contextlib.contextmanager
def serving(
    argv: list[str], env: dict[str, str], cwd: Path, port: int, logs: Path | None = None
) -> Iterator[tuple[str, int]]:
    """Runs a server process until the block ends; yields its URL and pid once /healthz answers."""
    process, base_url = start_server(argv, env, cwd, port)
    try:
        yield base_url, process.pid
    finally:
        stop_server(process)
        if logs is not None:
            shutil.copy(cwd / f"server-{port}.log", logs / f"{Path(argv[0]).name}-{port}.log")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a server process and its worker processes, from /proc."""
    return sum(cpu_split(pid))


def cpu_split(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of a server process and its worker processes, from /proc."""
    user = system = 0.0
    for each in [pid, *child_pids(pid)]:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            user += int(fields[11]) / os.sysconf("SC_CLK_TCK")
            system += int(fields[12]) / os.sysconf("SC_CLK_TCK")
    return user, system


def railclaim(env: dict[str, str], cwd: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(
        [str(BIN / "railclaim"), *args], env=env, cwd=cwd, capture_output=True, text=True
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"railclaim {args[0]} failed: {done.stderr or done.stdout}")
    return done.stdout.strip()


def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def database(engine: str, workdir: Path) -> Iterator[str]:
    """The SQLAlchemy URL of a fresh empty database, dropped (PostgreSQL) when the block ends."""
    if engine == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    name = f"rc_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


def psycopg_url(url: str) -> str:
    """The plain libpq URL of a SQLAlchemy PostgreSQL URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@dataclass(frozen=True)
class Office:
    """One entity with an employee, the employee's manager and two finance clerks, as tokens."""

    uscc: str
    entity_id: str
    employee_id: str
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def make_office(url: str, workdir: Path, uscc: str, *, migrate: bool = True) -> Office:
    """Migrates (unless told not to) and creates the office in-process through the services."""
    from sqlmodel import Session

    from app.auth.models import User
    from app.auth.schemas import ProfileIn, UserCreate
    from app.auth.service import create_user, mint_api_token
    from app.config import Settings
    from app.db import make_engine
    from app.entities.schemas import EntityCreate
    from app.entities.service import create_entity
    from app.migrate import upgrade_to_head

    if migrate:
        upgrade_to_head(url)
    settings = Settings(database_url=url, storage_dir=workdir / "storage", environment="dev")
    engine = make_engine(url)
    tokens: dict[str, str] = {}
    try:
        with Session(engine, expire_on_commit=False) as session:
            entity = create_entity(
                session,
                EntityCreate.model_validate({"name": ENTITY_NAME, "uscc": uscc}),
                actor=None,
                settings=settings,
            )
            ids: dict[str, uuid.UUID] = {}
            people = [
                # A manager approves only as an approver of the entity (app/claims/routing.py).
                ("manager", ["approver", "employee"], {"passenger_name": "王经理",
                                                       "id_last4": "5678", "grade": 5}),
                ("employee", ["employee"], {"passenger_name": PASSENGER,
                                            "id_last4": ID_MASKED[-4:], "grade": 2,
                                            "department": "销售部"}),
                ("finance", ["finance"], None),
                ("finance2", ["finance"], None),
            ]  # fmt: skip
            for name, roles, profile in people:
                if profile is not None and name == "employee":
                    profile = {**profile, "manager_id": ids["manager"]}
                data = UserCreate.model_validate(
                    {
                        "username": f"bench-{name}",
                        "display_name": name,
                        "password": "bench-password-1",
                        "roles": roles,
                        "entity_ids": [entity.id],
                        "profile": ProfileIn.model_validate(profile) if profile else None,
                    }
                )
                ids[name] = create_user(session, data, actor=None, settings=settings).id
                user = session.get(User, ids[name])
                assert user is not None
                _row, tokens[name] = mint_api_token(
                    session, user=user, name="bench", days=None, actor=None, settings=settings
                )
    finally:
        engine.dispose()
    return Office(uscc, str(entity.id), str(ids["employee"]), tokens)
