"""The seam, for the library: the one module where the deploy and cluster tests (and load/)
learn the domain. Same names and signatures as the template's; the neutral words are:

  item     something staff make that actors write records on        a title (one copy)
  actor    a registered user with a token, and an item of their own  a reader
  record   what an actor writes: on an item, from start to end      a loan (end: due back)
  invariant  what must hold in the database whatever the servers did:
             at most one open loan per title (a partial unique index)
  confirmation job  the background job every write enqueues          the loan e-mail

Writing an item that is on loan is refused (409). `write` gives back the actor's open loan
first, so an actor writes as often as the slower layers ask. Stdlib only.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.harness.accounts import Api, login, register

# The API's paths.
ITEMS = "/api/v1/titles/"
RECORDS = "/api/v1/loans/"


def record_path(ref: int) -> str:
    return f"{RECORDS}{ref}/"


def owner_records_path(user_id: int, limit: int = 5) -> str:
    return f"/api/v1/users/{user_id}/loans/?limit={limit}"


# The database: the records' table and app, as the migration tests and psql see them.
APP_LABEL = "lending"
RECORD_MODEL = "loan"
RECORDS_TABLE = "lending_loan"

# Two open loans of one title: the partial unique index keeps this empty. Rows: id, id.
invariant_violations_sql = """
SELECT a.id, b.id FROM lending_loan a
JOIN lending_loan b ON a.title_id = b.title_id AND a.id < b.id
WHERE NOT a.returned AND NOT b.returned
ORDER BY 1, 2;
"""


def stored_sql(ids: list[int]) -> str:
    """Rows (id, item, start, end in epoch seconds) of these records."""
    wanted = ",".join(str(int(i)) for i in ids)  # integers only: nothing to inject
    return (
        'SELECT id, title_id, extract(epoch FROM start)::bigint, extract(epoch FROM "end")'  # noqa: S608
        f"::bigint FROM {RECORDS_TABLE} WHERE id = ANY('{{{wanted}}}'::bigint[]);"
    )


# The job every write enqueues, its argument, the table of what it sent, and the e-mail line
# that names the record.
confirmation_job = "lending.send_loan_confirmation"
confirmation_job_ref = "loan_id"
SENT_TABLE = "notifications_sentnotification"
mail_ref = re.compile(r"^Loan id: (\d+)\r?$", re.MULTILINE)

# The library has no per-actor limit to lift.
UNCAPPED: dict[str, str] = {}


@dataclass(frozen=True)
class Actor:
    username: str
    password: str
    token: str
    item: int


def item_body(label: str) -> dict[str, Any]:
    """What staff send to add a title (a random name, `label` as its author)."""
    return {"name": f"Title {secrets.token_hex(4)}", "author": label}


def make_item(api: Api, staff_token: str, label: str) -> int:
    status, _, item = api.request("POST", ITEMS, item_body(label), token=staff_token)
    assert status == 201, item
    return int(item["id"])


def make_actor(
    api: Api, staff_token: str, label: str = "deploy test", prefix: str = "user"
) -> Actor:
    """A title (added by staff) and a new reader, logged in, who may borrow it."""
    item = make_item(api, staff_token, label)
    user, password = register(api, prefix)
    return Actor(user, password, login(api, user, password), item)


def item_name(api: Api, actor: Actor) -> str:
    """The actor's title's name, as the listing shows it (page by page)."""
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
    return {"title_id": item, "start": start.isoformat(), "end": end.isoformat()}


def same_slot_body(actor: Actor, created: dict[str, Any]) -> dict[str, Any]:
    """Borrowing the title `created` holds again: refused (409) while it is out."""
    return {"title_id": actor.item, "start": created["start"], "end": created["end"]}


def hour(days_ahead: int) -> datetime:
    """The start of the current hour, `days_ahead` days from now."""
    return (datetime.now(UTC) + timedelta(days=days_ahead)).replace(
        minute=0, second=0, microsecond=0
    )


def _give_back_open_loan(api: Api, actor: Actor) -> None:
    _, _, me = api.request("GET", "/api/v1/users/me/", token=actor.token)
    _, _, page = api.request("GET", owner_records_path(me["id"], 100), token=actor.token)
    for loan in page["items"]:
        if loan["title_id"] == actor.item and not loan["returned"]:
            cancel(api, actor, loan["id"])


def write(api: Api, actor: Actor, days_ahead: int, note: str = "") -> dict[str, Any]:
    """An open loan of the actor's title, from `days_ahead` days from now, due an hour later."""
    start = hour(days_ahead)
    body = write_body(actor.item, start, start + timedelta(hours=1), note)
    status, _, created = api.request("POST", RECORDS, body, token=actor.token)
    if status == 409:  # the actor's own earlier loan holds the copy
        _give_back_open_loan(api, actor)
        status, _, created = api.request("POST", RECORDS, body, token=actor.token)
    assert status == 201, created
    assert not created.get("returned"), created
    return dict(created)


def read(api: Api, actor: Actor, ref: int) -> tuple[int, Any]:
    status, _, body = api.request("GET", record_path(ref), token=actor.token)
    return status, body


def cancel(api: Api, actor: Actor, ref: int) -> int:
    status, _, _ = api.request("DELETE", record_path(ref), token=actor.token)
    return status


def same_record(answer: object, ref: int, item: int, start: datetime, end: datetime) -> bool:
    """The API's answer is this record: its id, item and period."""
    if not isinstance(answer, dict):
        return False
    got_start = datetime.fromisoformat(answer["start"].replace("Z", "+00:00"))
    got_end = datetime.fromisoformat(answer["end"].replace("Z", "+00:00"))
    return (answer["id"], answer["title_id"], got_start, got_end) == (ref, item, start, end)


# The template's assistant proposes records from a sentence; the library removed it. Kept
# with the same signatures so the seam's shape stays the template's.
def assistant_sentence(name: str, day: date) -> str:
    return f"{name} from {day.isoformat()}"


def assistant_script(name: str, day: date) -> dict[str, str]:
    return {"title": name, "start": f"{day.isoformat()}T10:00:00"}


def proposal_matches(proposal: dict[str, Any], actor: Actor, name: str, start: datetime) -> bool:
    return proposal.get("title_id") == actor.item and proposal.get("title") == name
