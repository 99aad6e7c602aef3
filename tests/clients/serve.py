"""The app as production serves it (example_api.serve's granian options), plus what nginx
does in front of it: /static/ from STATIC_ROOT, so Swagger UI's files load in a browser."""

import os
from pathlib import Path

from granian import Granian

from example_api.serve import TARGET, ServeConfig, granian_options


def main() -> None:
    Granian(
        TARGET,
        **granian_options(ServeConfig.from_env()),
        static_path_route=["/static"],
        static_path_mount=[Path(os.environ["STATIC_ROOT"])],
    ).serve()


if __name__ == "__main__":
    main()
