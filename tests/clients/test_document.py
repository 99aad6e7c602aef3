"""The document the production server serves is the committed one (docs/openapi.json), so a
frontend that generates from the file gets what the server speaks."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clients import stack


def test_live_document_is_the_committed_one(document_path: Path) -> None:
    committed = json.loads((stack.ROOT / "docs" / "openapi.json").read_text())
    assert json.loads(document_path.read_text()) == committed
