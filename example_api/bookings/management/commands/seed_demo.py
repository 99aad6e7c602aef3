"""Demo data for a local run: a staff user, two users, resources and a few bookings.

Idempotent: a second run creates nothing new and leaves existing passwords alone."""

import secrets
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from example_api.accounts.models import User
from example_api.bookings.models import Booking, Resource

DEMO_USERS = [("admin", True), ("alice", False), ("bob", False)]
DEMO_RESOURCES = [
    ("Room Ada", "Meeting room, 6 seats, screen"),
    ("Room Grace", "Meeting room, 12 seats"),
    ("Desk 1", "Window desk"),
]


class Command(BaseCommand):
    help = "Create demo users, resources and bookings (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="give existing demo users new random passwords and print them",
        )

    @transaction.atomic
    def handle(self, *args: Any, reset_passwords: bool = False, **options: Any) -> None:
        credentials = []
        users = {}
        for username, staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.com",
                    "is_staff": staff,
                    "is_superuser": staff,
                },
            )
            users[username] = user
            if created or reset_passwords:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save(update_fields=["password"])
                credentials.append((username, password, staff))
        resources = [
            Resource.objects.get_or_create(name=name, defaults={"description": text})[0]
            for name, text in DEMO_RESOURCES
        ]
        self._seed_bookings(users, resources)

        if credentials:
            self.stdout.write("Demo users (save these; they are shown only now):")
            for username, password, staff in credentials:
                role = "staff, can use /admin/" if staff else "user"
                self.stdout.write(f"  {username:<6} {password}  ({role})")
        else:
            self.stdout.write(
                "Demo users exist already; passwords unchanged "
                "(run with --reset-passwords for new ones)."
            )
        self.stdout.write(f"{len(resources)} resources, {Booking.objects.count()} bookings.")

    def _seed_bookings(self, users: dict[str, User], resources: list[Resource]) -> None:
        tomorrow = (timezone.now() + timedelta(days=1)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        plan = [
            ("alice", resources[0], tomorrow, 1),
            ("alice", resources[2], tomorrow + timedelta(days=1), 4),
            ("bob", resources[0], tomorrow + timedelta(hours=1), 2),
            ("bob", resources[1], tomorrow + timedelta(days=2), 1),
        ]
        for username, resource, start, hours in plan:
            user = users[username]
            if Booking.objects.filter(user=user, resource=resource).exists():
                continue
            Booking.objects.create(
                user=user,
                resource=resource,
                start=start,
                end=start + timedelta(hours=hours),
                note="demo booking",
            )
