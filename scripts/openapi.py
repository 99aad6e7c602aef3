"""Write the API's OpenAPI document to docs/openapi.json, or check that the file is current.

python -m scripts.openapi            # write (make openapi)
python -m scripts.openapi --check    # fail if the code's document differs (make lint)
python -m scripts.openapi --stdout   # print it (make api-compat compares it)
"""

import argparse
import difflib
import os
import sys
from pathlib import Path

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def current() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    import django

    django.setup()
    from example_api.api import api
    from example_api.openapi import document

    return document(api)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--stdout", action="store_true")
    args = parser.parse_args()
    text = current()
    if args.stdout:
        sys.stdout.write(text)
        return 0
    if not args.check:
        DOCUMENT.write_text(text)
        print(f"wrote {DOCUMENT.relative_to(Path.cwd())}")
        return 0
    committed = DOCUMENT.read_text() if DOCUMENT.exists() else ""
    if committed == text:
        return 0
    diff = difflib.unified_diff(
        committed.splitlines(keepends=True),
        text.splitlines(keepends=True),
        "docs/openapi.json (committed)",
        "the code's document",
        n=2,
    )
    sys.stdout.writelines(list(diff)[:80])
    print("\ndocs/openapi.json differs from the code's OpenAPI document: run `make openapi`")
    return 1


if __name__ == "__main__":
    sys.exit(main())
