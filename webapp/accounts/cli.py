"""``flask --app webapp staff …`` and ``flask --app webapp office …``:
accounts and offices from the command line (the first admin is created here)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from . import audit
from .models import ROLES, Office, PostcodeArea, StaffUser, Team, TeamRange
from .passwords import hash_password, password_problem

staff_cli = AppGroup("staff", help="Staff accounts: add, list, disable, enable, change role.")
office_cli = AppGroup("office", help="Offices (Jobcenters): add, list, route postcodes, add teams.")


def _storage():
    return current_app.extensions["formwerk.storage"]


def _office(db, slug: str) -> Office:
    office = db.scalar(select(Office).where(Office.slug == slug))
    if office is None:
        raise click.ClickException(f"no office {slug!r}; see `flask --app webapp office list`")
    return office


def _staff(db, email: str) -> StaffUser:
    account = db.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if account is None:
        raise click.ClickException(f"no staff account {email!r}")
    return account


@staff_cli.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--office", "office_slug", required=True, help="the office's slug")
@click.option("--team", default=None, help="team name (caseworkers)")
@click.password_option(help="prompted when not given; at least 12 characters")
def staff_add(email, name, role, office_slug, team, password):
    """Create a staff account."""
    problem = password_problem(password)
    if problem:
        raise click.ClickException("the password needs at least 12 characters" if problem == "password_too_short"
                                   else "the password is too long")
    email = email.strip().lower()
    with _storage().session() as db:
        office = _office(db, office_slug)
        if db.scalar(select(StaffUser).where(StaffUser.email == email)):
            raise click.ClickException(f"{email} exists already")
        team_id = None
        if team:
            row = db.scalar(select(Team).where(Team.office_id == office.id, Team.name == team))
            if row is None:
                raise click.ClickException(f"no team {team!r} in {office.slug}")
            team_id = row.id
        db.add(StaffUser(office_id=office.id, team_id=team_id, email=email, name=name.strip(), role=role,
                         password_hash=hash_password(password), active=True, failed_logins=0, session_version=0))
        audit.record(db, "staff.created", office_id=office.id, detail={"email": email, "role": role, "via": "cli"})
    click.echo(f"created {role} {email} in {office_slug}")


@staff_cli.command("list")
@click.option("--office", "office_slug", default=None)
def staff_list(office_slug):
    """List staff accounts."""
    with _storage().reader() as db:
        query = select(StaffUser, Office.slug).join(Office, Office.id == StaffUser.office_id).order_by(Office.slug, StaffUser.email)
        if office_slug:
            query = query.where(Office.slug == office_slug)
        for account, slug in db.execute(query):
            state = "active" if account.active else "disabled"
            mfa = "totp" if account.totp_secret else "-"
            click.echo(f"{account.email}\t{account.name}\t{account.role}\t{slug}\t{state}\t{mfa}")


def _set_active(email: str, active: bool) -> None:
    with _storage().session() as db:
        account = _staff(db, email)
        account.active = active
        account.session_version += 1  # end every session
        audit.record(db, "staff.enabled" if active else "staff.disabled", office_id=account.office_id,
                     detail={"email": account.email, "via": "cli"})


@staff_cli.command("disable")
@click.argument("email")
def staff_disable(email):
    """Disable an account and end its sessions."""
    _set_active(email, False)
    click.echo(f"disabled {email}")


@staff_cli.command("enable")
@click.argument("email")
def staff_enable(email):
    _set_active(email, True)
    click.echo(f"enabled {email}")


@staff_cli.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def staff_role(email, role):
    """Change an account's role (ends its sessions)."""
    with _storage().session() as db:
        account = _staff(db, email)
        old = account.role
        account.role = role
        account.session_version += 1
        audit.record(db, "staff.role", office_id=account.office_id,
                     detail={"email": account.email, "from": old, "to": role, "via": "cli"})
    click.echo(f"{email}: {old} -> {role}")


@office_cli.command("add")
@click.argument("slug")
@click.argument("name")
@click.option("--fallback", is_flag=True, help="receives applications no postcode area claims")
@click.option("--postcodes", multiple=True, help="a range like 10000-14999 (repeatable)")
@click.option("--target-days", default=21, show_default=True)
def office_add(slug, name, fallback, postcodes, target_days):
    """Create an office (tenant)."""
    with _storage().session() as db:
        if db.scalar(select(Office).where(Office.slug == slug)):
            raise click.ClickException(f"office {slug} exists already")
        if fallback:
            for other in db.scalars(select(Office).where(Office.is_fallback.is_(True))):
                other.is_fallback = False
        office = Office(slug=slug, name=name, letterhead=name, legal_remedy=DEFAULT_LEGAL_REMEDY,
                        target_days=target_days, is_fallback=fallback, mfa_required=False)
        db.add(office)
        db.flush()
        for text in postcodes:
            first, last = parse_postcode_range(text)
            db.add(PostcodeArea(office_id=office.id, first=first, last=last))
        audit.record(db, "office.created", office_id=office.id, detail={"slug": slug, "via": "cli"})
    click.echo(f"created office {slug}")


@office_cli.command("team")
@click.argument("office_slug")
@click.argument("name")
@click.option("--letters", multiple=True, help="a surname range like A-K or Sch-Sz (repeatable)")
def office_team(office_slug, name, letters):
    """Add a team with its surname ranges (Buchstabenverteilung)."""
    with _storage().session() as db:
        office = _office(db, office_slug)
        team = Team(office_id=office.id, name=name)
        db.add(team)
        db.flush()
        for text in letters:
            first, last = parse_letter_range(text)
            db.add(TeamRange(team_id=team.id, first=first, last=last))
        audit.record(db, "team.created", office_id=office.id, detail={"team": name, "letters": list(letters)})
    click.echo(f"created team {name} in {office_slug}")


@office_cli.command("list")
def office_list():
    with _storage().reader() as db:
        for office in db.scalars(select(Office).order_by(Office.slug)):
            areas = db.scalars(select(PostcodeArea).where(PostcodeArea.office_id == office.id)).all()
            staff = db.scalar(select(func.count()).select_from(StaffUser).where(StaffUser.office_id == office.id))
            ranges = ", ".join(f"{a.first}-{a.last}" for a in areas) or "-"
            click.echo(f"{office.slug}\t{office.name}\t{'fallback' if office.is_fallback else ''}\t{ranges}\t{staff} staff")


def parse_postcode_range(text: str) -> tuple[str, str]:
    """``"10000-14999"`` or ``"10115"`` → ("10000", "14999")."""
    first, _, last = text.strip().partition("-")
    last = last or first
    if not (len(first) == len(last) == 5 and first.isdigit() and last.isdigit() and first <= last):
        raise click.BadParameter(f"{text!r} is not a postcode range like 10000-14999")
    return first, last


def parse_letter_range(text: str) -> tuple[str, str]:
    """``"A-K"`` or ``"Sch-Sz"`` → normalised ("A", "K")."""
    from .routing import normalise_name

    first, _, last = text.strip().partition("-")
    first, last = normalise_name(first), normalise_name(last or first)
    if not first or not last or first > last or len(first) > 10 or len(last) > 10:
        raise click.BadParameter(f"{text!r} is not a surname range like A-K")
    return first, last


DEFAULT_LEGAL_REMEDY = (
    "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch "
    "erhoben werden. Der Widerspruch ist schriftlich, in elektronischer Form oder zur Niederschrift bei der "
    "im Briefkopf genannten Stelle einzulegen.")
