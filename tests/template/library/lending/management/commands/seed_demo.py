"""Demo data for `make run`: a staff user, two users and a few titles, one on loan.

Idempotent: a second run creates nothing new and leaves existing passwords alone."""

import secrets
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from example_api.accounts.models import User
from example_api.lending.models import Loan, Title

DEMO_USERS = [("admin", True), ("alice", False), ("bob", False)]
DEMO_TITLES = [("Middlemarch", "George Eliot"), ("Dune", "Frank Herbert"), ("Emma", "Jane Austen")]


class Command(BaseCommand):
    help = "Create demo users, titles and a loan (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        users = {}
        for username, staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com", "is_staff": staff}
            )
            if created:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                self.stdout.write(f"{username} / {password}")
            users[username] = user
        for name, author in DEMO_TITLES:
            Title.objects.get_or_create(name=name, defaults={"author": author})
        first = Title.objects.get(name=DEMO_TITLES[0][0])
        if not first.loans.exists():
            now = timezone.now()
            Loan.objects.create(
                title=first, user=users["alice"], start=now, end=now + timedelta(days=14)
            )
        self.stdout.write(f"{Title.objects.count()} titles, {Loan.objects.count()} loans")
