"""The REST API (/api/ask, /api/retrieve), mounted beside the UI; schema at /docs."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, UploadFile, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

from assistant.chat.session import ChatService
from assistant.errors import ConfigError
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import Passage
from assistant.retrieve.timescope import as_of_time


def readable_as_of(value: str | None) -> str | None:
    """`value` unchanged when it reads as an as-of time; else a validation error, which
    FastAPI answers with a 422 naming the field and our one-line message (a plain ValueError
    would prefix it with "Value error, ")."""
    try:
        as_of_time(value)
    except ConfigError as exc:
        # the message goes in as context, not as the template: a brace in the value is text
        raise PydanticCustomError("as_of", "{message}", {"message": str(exc)}) from None
    return value


# A string in the schema, not a date-time: a bare date is welcome (the end of that day).
AsOfField = Annotated[
    str | None,
    AfterValidator(readable_as_of),
    Field(
        description="Answer as of this time: YYYY-MM-DD (the end of that day, UTC) or an ISO "
        "date and time. Nothing published after it is read; time words in the question count "
        "back from it. Empty or missing: now. A future date is allowed."
    ),
]


class FilterBody(BaseModel):
    outlets: list[str] = Field(default_factory=list, description="Only these outlets.")
    since: datetime | None = Field(default=None, description="Published at or after.")
    until: datetime | None = Field(default=None, description="Published at or before.")

    def to_filters(self) -> Filters:
        return Filters(outlets=tuple(self.outlets), since=self.since, until=self.until)


class AskBody(BaseModel):
    question: str = Field(min_length=1, max_length=2000, description="The question.")
    k: int = Field(default=5, ge=1, le=50, description="Passages to read.")
    filters: FilterBody | None = None
    history: list[str] = Field(
        default_factory=list, description="Earlier questions of this chat, oldest first."
    )
    as_of: AsOfField = None


class RetrieveBody(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    k: int = Field(default=5, ge=1, le=50)
    filters: FilterBody | None = None
    as_of: AsOfField = None


def passage_json(passage: Passage) -> dict[str, Any]:
    a = passage.article
    return {
        "chunk_id": passage.chunk.id,
        "text": passage.chunk.text,
        "score": round(passage.score, 4),
        "article_id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "url": a.url,
        "published": a.published.isoformat() if a.published else None,
        "sentence_start": passage.chunk.sentence_start,
        "sentence_end": passage.chunk.sentence_end,
        "also_carried_by": [
            {"article_id": c.id, "outlet": c.outlet, "url": c.url} for c in passage.copies
        ],
    }


def basic_auth(credentials: tuple[str, str] | None) -> Any:
    """A dependency that demands the given user and password (or nothing when unset)."""
    if credentials is None:
        return lambda: None
    security = HTTPBasic()

    def check(given: HTTPBasicCredentials = Depends(security)) -> None:  # noqa: B008
        user_ok = secrets.compare_digest(given.username.encode(), credentials[0].encode())
        password_ok = secrets.compare_digest(given.password.encode(), credentials[1].encode())
        if not (user_ok and password_ok):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, "wrong user or password",
                headers={"WWW-Authenticate": "Basic"},
            )  # fmt: skip

    return check


def api_router(service: ChatService, credentials: tuple[str, str] | None = None) -> APIRouter:
    router = APIRouter(prefix="/api", dependencies=[Depends(basic_auth(credentials))])

    @router.post("/ask", summary="Answer a question with cited source sentences")
    def ask(body: AskBody) -> dict[str, Any]:
        filters = body.filters.to_filters() if body.filters else None
        answer = service.ask(
            body.question, body.history, filters, body.k, as_of=as_of_time(body.as_of)
        )
        return {**answer.as_json(), "standalone_question": answer.standalone_question}

    @router.post("/retrieve", summary="The passages that best match a question")
    def retrieve(body: RetrieveBody) -> dict[str, Any]:
        filters = body.filters.to_filters() if body.filters else None
        as_of = as_of_time(body.as_of)
        passages = service.retrieve(body.question, body.k, filters, as_of=as_of)
        return {
            "question": body.question,
            "as_of": as_of.isoformat(),
            "passages": [passage_json(p) for p in passages],
        }

    @router.post(
        "/articles",
        status_code=status.HTTP_202_ACCEPTED,
        summary="Add article files to the index, in the background",
        description="The files are queued as one job (the same path as the Library's "
        "upload); follow it at /api/jobs/{id}. Questions keep being answered meanwhile.",
    )
    def add_articles(files: list[UploadFile]) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="newsqa-api-") as folder:
            paths = []
            for number, upload in enumerate(files):
                name = Path(upload.filename or f"article-{number}.txt").name
                target = Path(folder) / f"{number:05d}" / name
                target.parent.mkdir()
                with target.open("wb") as out:
                    shutil.copyfileobj(upload.file, out)
                paths.append(target)
            job = service.add_files(paths)  # copies the files before returning
        return {"job": job.as_json()}

    @router.get("/jobs", summary="Background writes, newest first")
    def jobs() -> dict[str, Any]:
        return {"jobs": [job.as_json() for job in service.writes.jobs()]}

    @router.get("/jobs/{job_id}", summary="One background write: state and progress")
    def job(job_id: int) -> dict[str, Any]:
        found = service.writes.job(job_id)
        if found is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no job {job_id}")
        return {"job": found.as_json()}

    return router


def build_app(service: ChatService, credentials: tuple[str, str] | None = None) -> FastAPI:
    app = FastAPI(
        title="newsqa",
        description="Question answering over news articles, with the exact sentences cited.",
        docs_url="/docs",
    )
    app.include_router(api_router(service, credentials))
    return app
