"""Seed a load-test database: ~1,000 users, 100 resources, ~10,000 bookings, API tokens.

Run under the app's settings (the runner sets the environment):

    python -m load.seed --out reports/load/seed.json --password <pw>

Large enough that the indexes matter. Deterministic for a given --seed. Every user gets the
same password hash, computed once (PBKDF2 is deliberately slow), so seeding takes seconds.
Every user also gets a ready-made API token (for wrk, which cannot log in); the raw tokens
go to --out (JSON for locust) and --out with a .txt suffix (one line per user, for wrk's Lua).
Refuses to run on a database whose name does not contain "load" or "bench".
"""
# ruff: noqa: S311 - random here shapes test data, not secrets

import argparse
import json
import os
import random
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import django


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--resources", type=int, default=100)
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--password", default=os.environ.get("LOAD_PASSWORD", ""))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if len(args.password) < 12:
        parser.error("--password (or LOAD_PASSWORD) of at least 12 characters is required")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_api.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from example_api.accounts.models import ApiToken, User
    from example_api.accounts.tokens import hash_token
    from example_api.bookings.models import Booking, BookingStatus, Resource

    db_name = str(settings.DATABASES["default"]["NAME"])
    if "load" not in db_name and "bench" not in db_name:
        print(f"refusing to seed database {db_name!r}: not a load/bench database", file=sys.stderr)
        return 2

    rng = random.Random(args.seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    password_hash = make_password(args.password)
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=f"load-user-{i:05d}",
                email=f"load-user-{i:05d}@example.com",
                password=password_hash,
            )
            for i in range(args.users)
        )
        resources = Resource.objects.bulk_create(
            Resource(name=f"Load room {i:04d}", description="seeded for load tests")
            for i in range(args.resources)
        )
        # Per resource, one booking per day (1-3 hours), from 40 days ago onwards: no overlaps,
        # a mix of past and future, about one in ten cancelled.
        per_resource = max(1, args.bookings // max(1, args.resources))
        bookings = []
        for r_index, resource in enumerate(resources):
            for day in range(per_resource):
                start = now + timedelta(days=day - 40, hours=r_index % 8)
                bookings.append(
                    Booking(
                        resource=resource,
                        user=rng.choice(users),
                        start=start,
                        end=start + timedelta(hours=rng.randint(1, 3)),
                        status=(
                            BookingStatus.CANCELLED
                            if rng.random() < 0.1
                            else BookingStatus.CONFIRMED
                        ),
                        note="seeded",
                    )
                )
        bookings = Booking.objects.bulk_create(bookings, batch_size=2000)
        raw_tokens = {user.pk: secrets.token_urlsafe(32) for user in users}
        ApiToken.objects.bulk_create(
            (
                ApiToken(
                    user=user,
                    key_hash=hash_token(raw_tokens[user.pk]),
                    expires_at=now + timedelta(days=2),
                )
                for user in users
            ),
            batch_size=2000,
        )

    owned: dict[int, list[int]] = {user.pk: [] for user in users}
    for booking in bookings:
        owned[booking.user_id].append(booking.pk)
    data: dict[str, list[Any]] = {
        "users": [
            {
                "username": user.username,
                "id": user.pk,
                "token": raw_tokens[user.pk],
                "bookings": owned[user.pk],
            }
            for user in users
        ],
        "resources": [resource.pk for resource in resources],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data))
    # One line per user with at least one booking: "<token> <user id> <id>,<id>,..."
    lines = [
        f"{u['token']} {u['id']} {','.join(map(str, u['bookings']))}"
        for u in data["users"]
        if u["bookings"]
    ]
    args.out.with_suffix(".txt").write_text("\n".join(lines) + "\n")
    args.out.with_suffix(".resources.txt").write_text(
        "\n".join(str(pk) for pk in data["resources"]) + "\n"
    )
    print(
        f"seeded {len(users)} users, {len(resources)} resources, {len(bookings)} bookings, "
        f"{len(users)} tokens into {db_name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
