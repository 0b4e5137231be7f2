"""The `railclaim` command line: serve, migrate, bootstrap users/entities/tokens and seed a demo."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, select
from typer.core import TyperGroup

from app.auth.models import User
from app.auth.schemas import UserCreate
from app.auth.service import create_user, mint_api_token
from app.cli_errors import EXPECTED_FAILURES, problem_lines
from app.config import get_settings
from app.db import make_engine
from app.entities.models import LegalEntity
from app.entities.schemas import EntityCreate
from app.entities.service import create_entity
from app.problems import AppError
from app.production import refuse_unsafe_production

DBAPIFailure = OperationalError | ProgrammingError


class _CleanErrors(TyperGroup):
    # `Any`: Typer vendors its own click, whose Context it does not export.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except EXPECTED_FAILURES as exc:
            _fail_with(exc)


cli = typer.Typer(
    cls=_CleanErrors,
    help="railclaim: railway e-invoice reimbursement service",
    no_args_is_help=True,
)
users_cli = typer.Typer(help="Manage users", no_args_is_help=True)
tokens_cli = typer.Typer(help="Manage API tokens", no_args_is_help=True)
entities_cli = typer.Typer(help="Manage legal entities", no_args_is_help=True)
cli.add_typer(users_cli, name="users")
cli.add_typer(tokens_cli, name="tokens")
cli.add_typer(entities_cli, name="entities")
storage_cli = typer.Typer(help="Maintain the file store", no_args_is_help=True)
cli.add_typer(storage_cli, name="storage")
archive_cli = typer.Typer(help="Export and check the accounting archive", no_args_is_help=True)
cli.add_typer(archive_cli, name="archive")


@contextmanager
def _session() -> Iterator[Session]:
    engine = make_engine(get_settings().database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def _fail(*lines: str) -> NoReturn:
    for line in lines:
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(1)


def _fail_with(exc: BaseException, *, as_options: bool = False) -> NoReturn:
    """Exits 1 with one `error:` line per problem of `exc`; `as_options`: see problem_lines."""
    # Only a database error names the database; a bad setting may be why settings do not load.
    database_url = get_settings().database_url if isinstance(exc, DBAPIFailure) else ""
    _fail(*problem_lines(exc, database_url=database_url, as_options=as_options))


def _missing_database(database_url: str) -> Path | None:
    """The SQLite file a command would open but that is not there (SQLite would create it empty)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database).resolve()
    return None if path.is_file() else path


# Commands that may run without a database: `migrate` creates it.
_WITHOUT_DATABASE = frozenset({"migrate"})


@cli.callback()
def _preflight(ctx: typer.Context) -> None:
    """Before any command: production keys must be real, and the database must exist."""
    settings = get_settings()
    refuse_unsafe_production(settings)
    if ctx.invoked_subcommand == "demo" and settings.environment == "production":
        _fail("railclaim demo refuses to run in production: its logins and passwords are published")
    if ctx.invoked_subcommand in _WITHOUT_DATABASE:
        return
    missing = _missing_database(settings.database_url)
    if missing is not None:
        _fail(
            f"no database at {missing} (RAILCLAIM_DATABASE_URL); "
            "run `railclaim migrate` to create it, or run from the project folder"
        )


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Run the HTTP server (reads RAILCLAIM_DATABASE_URL and RAILCLAIM_STORAGE_URL or _DIR)."""
    import uvicorn

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


@cli.command()
def migrate() -> None:
    """Apply every database migration (alembic upgrade head)."""
    from app.migrate import upgrade_to_head

    upgrade_to_head(get_settings().database_url)
    typer.echo("database is at the latest migration")


@entities_cli.command("add")
def entities_add(
    name: Annotated[str, typer.Option(help="Legal name as printed on invoices")],
    uscc: Annotated[str, typer.Option(help="统一社会信用代码")],
    taxpayer_type: Annotated[str, typer.Option(help="general | small-scale")] = "general",
    fonds_code: Annotated[str | None, typer.Option(help="全宗号 for archive references")] = None,
) -> None:
    """Register a legal entity."""
    try:
        data = EntityCreate.model_validate(
            {"name": name, "uscc": uscc, "taxpayer_type": taxpayer_type, "fonds_code": fonds_code}
        )
        with _session() as session:
            entity = create_entity(session, data, actor=None, settings=get_settings())
    except ValidationError as exc:
        _fail_with(exc, as_options=True)
    except AppError as exc:
        _fail_with(exc)
    typer.echo(f"entity {entity.id} {entity.name} ({entity.uscc})")


@users_cli.command("create")
def users_create(
    username: Annotated[str, typer.Option()],
    role: Annotated[list[str], typer.Option(help="Repeat for several roles")],
    password: Annotated[str | None, typer.Option(help="Omit for service users")] = None,
    display_name: Annotated[str | None, typer.Option()] = None,
    passenger_name: Annotated[str | None, typer.Option(help="Name as printed on tickets")] = None,
    id_last4: Annotated[str | None, typer.Option(help="Last 4 characters of the ID")] = None,
    grade: Annotated[int | None, typer.Option()] = None,
    manager: Annotated[str | None, typer.Option(help="Manager's username")] = None,
    entity: Annotated[list[str] | None, typer.Option(help="Entity USCC; repeatable")] = None,
    department: Annotated[str | None, typer.Option()] = None,
    employment_type: Annotated[str, typer.Option()] = "contract",
    service: Annotated[bool, typer.Option(help="A system account for API tokens")] = False,
    email: Annotated[str | None, typer.Option(help="Where notifications go")] = None,
    language: Annotated[str, typer.Option(help="zh-CN | en, of notifications")] = "zh-CN",
) -> None:
    """Create a user (and an employee profile when passenger details are given)."""
    with _session() as session:
        # Every problem of the command at once: the look-ups, then the fields, one line each.
        problems: list[str] = []
        manager_id = (
            _look_up(problems, "--manager", _user_id, session, manager) if manager else None
        )
        entity_ids = [_look_up(problems, "--entity", _entity_id, session, u) for u in entity or []]
        profile = None
        if passenger_name or id_last4 or grade is not None or manager or department:
            profile = {
                "passenger_name": passenger_name,
                "id_last4": id_last4,
                "grade": grade,
                "manager_id": manager_id,
                "department": department,
                "employment_type": employment_type,
            }
        fields = {
            "username": username,
            "display_name": display_name or username,
            "password": password,
            "roles": role,
            "is_service": service,
            "email": email,
            "language": language,
            "entity_ids": [found for found in entity_ids if found is not None],
            "profile": profile,
        }
        try:
            data = UserCreate.model_validate(fields)
        except ValidationError as exc:
            problems += problem_lines(exc, database_url="", as_options=True)
        if problems:
            _fail(*problems)
        try:
            user = create_user(session, data, actor=None, settings=get_settings())
        except AppError as exc:
            _fail_with(exc)
    typer.echo(f"user {user.id} {user.username} roles={','.join(user.roles)}")


@tokens_cli.command("create")
def tokens_create(
    name: Annotated[str, typer.Option(help="What the token is for, e.g. erp")],
    user: Annotated[str, typer.Option(help="Username the token acts as")],
    expires_in_days: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Mint an API token for a (service) user; the token is printed once."""
    with _session() as session:
        target = session.exec(select(User).where(User.username == user.lower())).first()
        if target is None or not target.is_active:
            _fail(f"no active user {user!r}")
        _row, plaintext = mint_api_token(
            session,
            user=target,
            name=name,
            days=expires_in_days,
            actor=None,
            settings=get_settings(),
        )
    typer.echo(plaintext)


def _look_up(
    problems: list[str],
    option: str,
    find: Callable[[Session, str], uuid.UUID | None],
    session: Session,
    value: str,
) -> uuid.UUID | None:
    """`find(session, value)`, or None with a line for `option` added to `problems`."""
    found = find(session, value)
    if found is None:
        problems.append(f"{option}: {_NOT_FOUND[option].format(value=value)}")
    return found


_NOT_FOUND = {
    "--manager": "no user {value!r} (create the manager first)",
    "--entity": "no legal entity with USCC {value!r} (add it with `railclaim entities add`)",
}


def _user_id(session: Session, username: str) -> uuid.UUID | None:
    return session.exec(select(User.id).where(User.username == username.lower())).first()


def _entity_id(session: Session, uscc: str) -> uuid.UUID | None:
    return session.exec(select(LegalEntity.id).where(LegalEntity.uscc == uscc.upper())).first()


@storage_cli.command("gc")
def storage_gc(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what would go")] = False,
    grace_minutes: Annotated[int, typer.Option(help="Keep files younger than this")] = 60,
) -> None:
    """Remove stored files that no database row refers to (after a crash mid-upload)."""
    import datetime as dt

    from app.db import utcnow
    from app.storage.factory import make_store
    from app.storage.gc import collect_garbage

    store = make_store(get_settings())
    with _session() as session:
        report = collect_garbage(
            session,
            store,
            dry_run=dry_run,
            now=utcnow(),
            grace=dt.timedelta(minutes=grace_minutes),
        )
    verb = "would remove" if dry_run else "removed"
    for sha in report.unreferenced:
        typer.echo(f"{verb} {sha}")
    typer.echo(
        f"checked {report.checked} files: {len(report.unreferenced)} unreferenced "
        f"({verb}), {len(report.too_recent)} unreferenced but younger than the grace period"
    )


@archive_cli.command("export")
def archive_export(
    entity: Annotated[str, typer.Option(help="USCC of the legal entity")],
    period_from: Annotated[str, typer.Option("--from", help="First period, YYYY-MM")],
    period_to: Annotated[str, typer.Option("--to", help="Last period, YYYY-MM")],
    output: Annotated[Path, typer.Option(help="The BagIt zip to write")],
    user: Annotated[str | None, typer.Option(help="Exporter named in the audit log")] = None,
) -> None:
    """Write the archive of an entity's periods as a BagIt zip (audited)."""
    from app.archive.commands import export_to_file
    from app.ledger.periods import check_period_text

    if not output.parent.is_dir():
        _fail(f"the folder {output.parent.resolve()} does not exist (for --output {output})")
    failures: list[str] = []
    try:
        plan = export_to_file(
            get_settings(),
            uscc=entity,
            period_from=check_period_text(period_from),
            period_to=check_period_text(period_to),
            username=user,
            output=output,
            failures=failures,
        )
    except AppError as exc:
        _fail_with(exc)
    except (ValueError, TypeError, ArithmeticError, LookupError) as exc:
        # Rows no writer of ours produced (text in a number column on SQLite): no zip is left.
        _fail(
            f"the export stopped on data it cannot read ({type(exc).__name__}: {str(exc)[:200]});"
            " `railclaim archive verify` names what was altered"
        )
    typer.echo(f"wrote {output}; audit chain head {plan.head_seq} {plan.head_mac}")
    if failures:
        # The bag is written (an auditor may want to see it) but is no faithful copy: say so.
        for failure in failures[:20]:
            typer.echo(f"integrity failure: {failure}", err=True)
        _fail(
            f"{len(failures)} integrity failures (files missing or not as recorded, records not "
            "as sealed); the bag says so in Integrity-Failures"
        )


@archive_cli.command("verify")
def archive_verify(
    expected_head: Annotated[
        str | None, typer.Option(help="Audit-Chain-Head-MAC from an earlier export's bag-info")
    ] = None,
    since_last: Annotated[
        bool,
        typer.Option(
            "--since-last",
            help="Check only what was added since the last full verify that passed",
        ),
    ] = False,
) -> None:
    """Run the 四性 checks; print the JSON report; exit 1 when anything failed.

    A full verify that passes is recorded; --since-last then re-checks only the files, records,
    vouchers and audit events added after it (the full verify stays the auditors' report)."""
    from app.archive.commands import verify_installation
    from app.archive.schemas import ArchiveReportOut

    try:
        report = verify_installation(
            get_settings(), expected_head=expected_head, since_last=since_last
        )
    except AppError as exc:
        _fail_with(exc)
    typer.echo(ArchiveReportOut.of(report).model_dump_json(indent=2))
    if not report.ok:
        raise typer.Exit(1)


@cli.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Send what is due, then exit")] = False,
) -> None:
    """Deliver webhooks and send notification e-mails until stopped (SIGINT/SIGTERM); several
    workers may run at once. E-mail is off while RAILCLAIM_SMTP_HOST is unset."""
    from app import workers
    from app.logs import configure_logging
    from app.notifications.smtp import SmtpSettingsError

    settings = get_settings()
    # As the server logs: a dead delivery or e-mail is a WARNING line an operator can alert on.
    configure_logging(settings.log_level, as_json=settings.log_json)
    try:
        workers.check_settings(settings)
    except SmtpSettingsError as exc:
        _fail(str(exc))
    if once:
        deliveries, emails = workers.run_once(settings)
        typer.echo(f"{deliveries} deliveries attempted, {emails} e-mails attempted")
        return
    workers.run_until_signalled(settings)


@cli.command()
def demo() -> None:
    """Seed a demo company, its users and generated invoices; print the logins."""
    from app.demo import DEVKIT_HINT, load_devkit, seed_demo

    settings = get_settings()
    with _session() as session:
        logins = seed_demo(session, settings)
    typer.echo("\nDemo logins (http://127.0.0.1:8000):")
    for username, password, roles in logins:
        typer.echo(f"  {username:<10} password {password:<20} roles {', '.join(roles)}")
    if load_devkit() is None:
        typer.echo(f"No demo invoices: the generator is in the dev kit ({DEVKIT_HINT}).")
    else:
        typer.echo(f"Invoices to try the upload with: {settings.storage_dir.parent / 'demo-files'}")


def main() -> None:
    cli(prog_name="railclaim")


if __name__ == "__main__":
    main()
