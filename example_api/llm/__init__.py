"""One call to a chat-completions language model, for any feature: the client with its
timeouts and retries, why a call fails, and a daily quota. It names no feature; each caller
brings its own settings (a Provider), prompt and parsing (example_api/assistant is one)."""
