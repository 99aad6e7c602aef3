"""The seam: the one module where the deploy and cluster tests (and load/) learn the domain.

A FORK THAT CHANGES ITS DOMAIN REWRITES THIS MODULE, and only this one: everything else in
tests/deploy, tests/cluster and tests/harness speaks in neutral words and calls what is here.
`make lint` (scripts/domain_check.py) fails when the domain's words leak anywhere else.

The neutral words, and what they are in Slipway's example (room bookings):

  item     something staff make that actors write records on        a resource (a room)
  actor    a registered user with a token, and an item of their own  a user who books
  record   what an actor writes: on an item, in a [start, end) slot  a booking
  invariant  what must hold in the database whatever the servers did:
             no two confirmed records of one item overlap (an exclusion constraint)
  confirmation job  the background job every write enqueues          the confirmation e-mail

Writing the same slot of an item twice is refused (409): the tests use that to see the
invariant enforced under load. A fork keeps these names and signatures and changes the
bodies: its own paths, payloads, table and job.

`api` is anything with `request(method, path, body=None, token=None) -> (status, headers,
body)`: a lab host, a cluster's balancer. Stdlib only: the tools venv imports this.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.harness.accounts import Api, login, register

# The API's paths.
ITEMS = "/api/v1/resources/"
RECORDS = "/api/v1/bookings/"


def record_path(ref: int) -> str:
    return f"{RECORDS}{ref}/"


def owner_records_path(user_id: int, limit: int = 5) -> str:
    return f"/api/v1/users/{user_id}/bookings/?limit={limit}"


# The database: the records' table and app, as the migration tests and psql see them.
APP_LABEL = "bookings"
RECORD_MODEL = "booking"  # Django's lower-case model name, as migrations refer to it
RECORDS_TABLE = "bookings_booking"

# Two confirmed records of one item whose [start, end) ranges overlap: the exclusion
# constraint must keep this empty whatever happened to the servers. Rows: id, id.
invariant_violations_sql = """
SELECT a.id, b.id FROM bookings_booking a
JOIN bookings_booking b
  ON a.resource_id = b.resource_id AND a.id < b.id
 AND a.start < b."end" AND b.start < a."end"
WHERE a.status = 'confirmed' AND b.status = 'confirmed'
ORDER BY 1, 2;
"""


def stored_sql(ids: list[int]) -> str:
    """Rows (id, item, start, end in epoch seconds) of these records."""
    wanted = ",".join(str(int(i)) for i in ids)  # integers only: nothing to inject
    return (
        'SELECT id, resource_id, extract(epoch FROM start)::bigint, extract(epoch FROM "end")'  # noqa: S608
        f"::bigint FROM {RECORDS_TABLE} WHERE id = ANY('{{{wanted}}}'::bigint[]);"
    )


# The job every write enqueues, the argument that names its record, the table of what it
# sent, and the line of its e-mail that names the record (the lab's mail sink reads it).
confirmation_job = "notifications.send_booking_confirmation"
confirmation_job_ref = "booking_id"
SENT_TABLE = "notifications_sentnotification"
mail_ref = re.compile(r"^Booking id: (\d+)\r?$", re.MULTILINE)


# The app's settings that lift its per-actor limits, for load runs that write all the time.
UNCAPPED = {"BOOKING_MAX_ACTIVE_PER_USER": "1000000"}


@dataclass(frozen=True)
class Actor:
    username: str
    password: str
    token: str
    item: int


def item_body(label: str) -> dict[str, Any]:
    """What staff send to make a new item (a random name, `label` as its description)."""
    return {"name": f"Room {secrets.token_hex(4)}", "description": label}


def make_item(api: Api, staff_token: str, label: str) -> int:
    """A new item (staff only): its id."""
    status, _, item = api.request("POST", ITEMS, item_body(label), token=staff_token)
    assert status == 201, item
    return int(item["id"])


def make_actor(
    api: Api, staff_token: str, label: str = "deploy test", prefix: str = "user"
) -> Actor:
    """An item (made by staff) and a new user, logged in, who may write records on it."""
    item = make_item(api, staff_token, label)
    user, password = register(api, prefix)
    return Actor(user, password, login(api, user, password), item)


def item_name(api: Api, actor: Actor) -> str:
    """The actor's item's name, as the listing shows it (page by page: loads make many)."""
    offset = 0
    while True:
        status, _, page = api.request(
            "GET", f"{ITEMS}?limit=100&offset={offset}", token=actor.token
        )
        assert status == 200, page
        assert page["items"], f"item {actor.item} not listed"
        for item in page["items"]:
            if item["id"] == actor.item:
                return str(item["name"])
        offset += 100


def write_body(item: int, start: datetime, end: datetime, note: str = "") -> dict[str, Any]:
    return {"resource_id": item, "start": start.isoformat(), "end": end.isoformat(), "note": note}


def same_slot_body(actor: Actor, created: dict[str, Any]) -> dict[str, Any]:
    """A write of the slot `created` holds again: the invariant must refuse it (409)."""
    return {"resource_id": actor.item, "start": created["start"], "end": created["end"]}


def hour(days_ahead: int) -> datetime:
    """The start of the current hour, `days_ahead` days from now (distinct days never clash)."""
    return (datetime.now(UTC) + timedelta(days=days_ahead)).replace(
        minute=0, second=0, microsecond=0
    )


def write(api: Api, actor: Actor, days_ahead: int, note: str = "") -> dict[str, Any]:
    """A confirmed one-hour record `days_ahead` days from now."""
    start = hour(days_ahead)
    body = write_body(actor.item, start, start + timedelta(hours=1), note)
    status, _, created = api.request("POST", RECORDS, body, token=actor.token)
    assert status == 201, created
    assert created["status"] == "confirmed", created
    return dict(created)


def read(api: Api, actor: Actor, ref: int) -> tuple[int, Any]:
    status, _, body = api.request("GET", record_path(ref), token=actor.token)
    return status, body


def cancel(api: Api, actor: Actor, ref: int) -> int:
    status, _, _ = api.request("DELETE", record_path(ref), token=actor.token)
    return status


def same_record(answer: object, ref: int, item: int, start: datetime, end: datetime) -> bool:
    """The API's answer is this record: its id, item and slot."""
    if not isinstance(answer, dict):
        return False
    got_start = datetime.fromisoformat(answer["start"].replace("Z", "+00:00"))
    got_end = datetime.fromisoformat(answer["end"].replace("Z", "+00:00"))
    return (answer["id"], answer["resource_id"], got_start, got_end) == (ref, item, start, end)


# The assistant (the example's language-model feature): a sentence becomes a proposed record,
# which the actor may then write; proposing writes nothing.
def assistant_sentence(name: str, day: date) -> str:
    return f"{name} on {day.isoformat()} 10 to 11 for the design review"


def assistant_script(name: str, day: date) -> dict[str, str]:
    """What the fake upstream answers for that sentence (FakeOpenAI.script's arguments)."""
    return {
        "resource": name,
        "start": f"{day.isoformat()}T10:00:00",
        "end": f"{day.isoformat()}T11:00:00",
        "note": "design review",
    }


def proposal_matches(proposal: dict[str, Any], actor: Actor, name: str, start: datetime) -> bool:
    """The proposal is that record: the actor's item, 10 to 11 on the day, no conflict."""
    return (
        proposal["resource_id"] == actor.item
        and proposal["resource"] == name
        and datetime.fromisoformat(proposal["start"]) == start.astimezone(UTC)
        and datetime.fromisoformat(proposal["end"]) == (start + timedelta(hours=1)).astimezone(UTC)
        and (proposal["note"], proposal["conflicts"]) == ("design review", False)
    )
