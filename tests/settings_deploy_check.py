"""Production settings with a production-like environment, for `check --deploy` in make lint."""

import os

os.environ["DEBUG"] = "false"
os.environ["SECRET_KEY"] = "deploy-check-" + "x7Yq2LmP9sTv4WnB8cRk3HdJ6fGa1ZeU5oIyQ0pXwVbN"
os.environ["ALLOWED_HOSTS"] = "api.example.com"

from example_api.settings import *  # noqa: F403
