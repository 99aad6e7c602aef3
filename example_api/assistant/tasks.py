"""The assistant's job. The model call retries inside itself (example_api/llm/client.py),
and every outcome is stored, so the job itself is not retried: a second run finds the
request answered and does nothing."""

from example_api.assistant import answering
from example_api.jobs.app import app


@app.task(name="assistant.answer_request", queue="assistant")
def answer_request(request_id: int) -> None:
    answering.answer(request_id=request_id)
