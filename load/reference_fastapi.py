"""REFERENCE ONLY, not part of the product: a FastAPI peer for `make bench`.

The yardstick the issue sets: the API's authenticated GET /api/v1/bookings/{id}/ should do no
worse than a FastAPI app with a psycopg connection pool reading one row, on the same box, in
the same run. This is that app: async FastAPI, psycopg's AsyncConnectionPool, one SELECT by
primary key, a Pydantic response model, served by granian in ASGI mode (its fastest server
here). It does less than the real endpoint (no authentication, no ownership check, no
middleware), which is the point: it is the cost of the read alone.

    DATABASE_URL=postgres://... granian --interface asgi load.reference_fastapi:app
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI, HTTPException
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel

POOL_SIZE = int(os.environ.get("REFERENCE_POOL_SIZE", "4"))
pool = AsyncConnectionPool(
    os.environ["DATABASE_URL"], min_size=POOL_SIZE, max_size=POOL_SIZE, open=False
)

QUERY = (
    'SELECT id, resource_id, user_id, start, "end", status, note, created_at '
    "FROM bookings_booking WHERE id = %s"
)


class BookingOut(BaseModel):
    id: int
    resource_id: int
    user_id: int
    start: datetime
    end: datetime
    status: str
    note: str
    created_at: datetime


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await pool.open(wait=True)
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/bookings/{booking_id}/", response_model=BookingOut)
async def get_booking(booking_id: int) -> BookingOut:
    async with pool.connection() as conn:
        cursor = await conn.execute(QUERY, (booking_id,))
        row = await cursor.fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail="booking not found")
    fields = BookingOut.model_fields
    return BookingOut(**dict(zip(fields, row, strict=True)))
