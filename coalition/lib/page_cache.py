"""Whole public pages kept for anonymous visitors, forgotten as soon as a table they read is written to.

`@public_page` on a view keeps its rendered page in the "pages" cache (Redis when REDIS_URL is set, else files
under VAR_DIR shared by every process of the machine), keyed by host, scheme, language and full path. What a
page depends on is not declared: while a page is rendered, the tables its queries read are recorded, and the
page is kept with the version stamp of each. Every INSERT, UPDATE or DELETE that goes through Django's database
connection (ORM, bulk writes, `coalition.lib.rows`, raw cursors, in any process: web, worker, command) gives
the tables it wrote a new stamp when its transaction commits, so the next request renders the page again.
Nothing has to remember to invalidate, and a new query in a view is covered the day it is written.

Never shared between people: only anonymous GET/HEAD requests without a session cookie or a pending message
are served from or stored in the cache; a page whose rendering touched the session, called `get_token`
itself, set a cookie, or answered anything but 200 is not kept. The CSRF token is rendered as a placeholder
(the `csrf` context processor below) and replaced on every response by the visitor's own token.
Responses carry an ETag (the page's digest, and the visitor's CSRF cookie where the page holds a token),
and a matching If-None-Match gets 304. Pages that depend on the clock (upcoming events) are kept for at
most PAGE_CACHE_SECONDS. Decision docs/decisions/0016-public-pages-cache.md.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import translation

ALIAS = "pages"
T = TypeVar("T")
# Stands for the CSRF token in a kept page; replaced by each visitor's own token.
CSRF_PLACEHOLDER = "page-cache-csrf-placeholder-2b7e"
# Tables whose writes never change a public page: bumping them would only cost a cache write per request.
UNWATCHED = frozenset({"django_session", "django_migrations"})
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][\w$]*)"?', re.IGNORECASE)
_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+"?([A-Za-z_][\w$]*)"?',
    re.IGNORECASE,
)


def _cache() -> Any:
    return caches[ALIAS]


def _version_key(table: str) -> str:
    return f"page-version:{table}"


def versions(tables: list[str]) -> dict[str, str]:
    """The current stamp of each table; a table never stamped (or whose stamp was evicted) gets one now.

    Every stamping also gives the cache a new generation (after the tables' stamps), and each process
    remembers the stamps it read under the generation it read before them: while the generation is the same,
    no table was stamped since, so a kept page is checked with one read instead of one per table.
    """
    cache = _cache()
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, secrets.token_hex(8), timeout=None)
        generation = cache.get(_GENERATION_KEY)
    if generation is None or generation != _seen["generation"]:
        _seen["generation"], _seen["stamps"] = generation, {}
    seen: dict[str, str] = _seen["stamps"]
    unknown = {_version_key(table): table for table in tables if table not in seen}
    if unknown:
        found = cache.get_many(list(unknown))
        missing = [key for key in unknown if key not in found]
        for key in missing:
            cache.add(key, secrets.token_hex(8), timeout=None)
        if missing:
            found.update(cache.get_many(missing))
        if generation is not None:
            seen.update({table: found[key] for key, table in unknown.items() if key in found})
        return {table: seen.get(table) or found.get(_version_key(table), "") for table in tables}
    return {table: seen[table] for table in tables}


def tables_changed(tables: set[str] | frozenset[str]) -> None:
    """Give each table a new stamp, so every kept page that read it is rendered again."""
    tables = set(tables) - UNWATCHED
    if tables:
        cache = _cache()
        cache.set_many({_version_key(table): secrets.token_hex(8) for table in tables}, timeout=None)
        cache.set(_GENERATION_KEY, secrets.token_hex(8), timeout=None)  # after the stamps: see versions()


_GENERATION_KEY = "page-version:*"
# This process's last reading of the stamps, valid while the generation it was read under is current.
_seen: dict[str, Any] = {"generation": None, "stamps": {}}


# Writes: every statement of every connection is looked at (one anchored regex); the written tables are stamped
# when the transaction commits (at once outside a transaction), once per transaction.


class _Writes:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.pending: set[str] = set()

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql) if isinstance(sql, str) else None
        if match:
            table = match.group(1)
            if table not in UNWATCHED:
                self.written(table)
        return result

    def written(self, table: str) -> None:
        connection = self.connection
        if not connection.in_atomic_block:
            tables_changed({table})
            return
        # One callback per write (a list append): the first to run stamps every table pending, the others find
        # nothing left. Any one dropped with a rolled-back savepoint leaves the others in place.
        self.pending.add(table)
        transaction.on_commit(self.flush, using=connection.alias)

    def flush(self) -> None:
        if self.pending:
            tables, self.pending = self.pending, set()
            tables_changed(tables)


def watch_writes(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver (coalition.core.apps): stamp the tables each connection writes to."""
    if not any(isinstance(wrapper, _Writes) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_Writes(connection))


@contextmanager
def _recording_reads() -> Iterator[set[str]]:
    tables: set[str] = set()

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if isinstance(sql, str):
            tables.update(_READ.findall(sql))
        return execute(sql, params, many, context)

    with connections["default"].execute_wrapper(record):
        yield tables


def csrf(request: HttpRequest) -> dict[str, str]:
    """Context processor: while a page is rendered to be kept, its CSRF token is a placeholder."""
    if getattr(request, "_page_cache_rendering", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def _cacheable_request(request: HttpRequest) -> bool:
    if not getattr(settings, "PAGE_CACHE", True) or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # signed in, or a visitor with something in their session: rendered for them alone
    # Without a session cookie nobody is signed in (accounts live in sessions), so `request.user` is not
    # asked for: working it out (the session, the two-factor state) would cost more than the kept page.
    return len(messages.get_messages(request)) == 0


def _page_key(request: HttpRequest) -> str:
    scheme = "https" if request.is_secure() else "http"
    raw = f"{scheme}://{request.get_host()}{request.get_full_path()}|{translation.get_language()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _etag(digest: str, cookie: str | None) -> str:
    if cookie is not None:  # the page carries a token for the visitor's CSRF cookie: a new cookie, a new page
        digest = hashlib.sha256(f"{digest}|{cookie}".encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def _answer(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    content: bytes = entry["content"]
    token = None
    cookie = None
    if CSRF_PLACEHOLDER.encode() in content:
        token = get_token(request)  # the visitor's CSRF cookie is set (or kept) as the page's form expects
        cookie = request.META.get("CSRF_COOKIE", "")
    etag = _etag(entry["digest"], cookie)
    if etag in _if_none_match(request):
        response: HttpResponse = HttpResponseNotModified()
    else:
        if token is not None:
            content = content.replace(CSRF_PLACEHOLDER.encode(), token.encode())
        response = HttpResponse(content)
        for header, value in entry["headers"]:
            response.headers[header] = value
    response.headers["ETag"] = etag
    return response


def _if_none_match(request: HttpRequest) -> list[str]:
    value = request.headers.get("If-None-Match", "")
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def _render_to_keep(
    view: Callable[..., HttpResponse], request: HttpRequest, args: Any, kwargs: Any
) -> tuple[HttpResponse, dict[str, Any] | None]:
    """Render the page with the token placeholder and record its tables; the entry, if it may be kept."""
    # The user is worked out here, before the session's reads are watched, so that the page's own use of it
    # does not count as personal (and, should an account ever come without a session cookie, it is not kept).
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return view(request, *args, **kwargs), None
    session = getattr(request, "session", None)
    accessed = getattr(session, "accessed", False)
    if session is not None:
        session.accessed = False
    needs_cookie = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    request._page_cache_rendering = True  # type: ignore[attr-defined]
    try:
        with _recording_reads() as tables:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
    finally:
        request._page_cache_rendering = False  # type: ignore[attr-defined]
    personal = (session is not None and session.accessed) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    if session is not None:
        session.accessed = session.accessed or accessed
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or needs_cookie
    keep = (
        not personal
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.headers.get("Cache-Control", "")
        and "no-store" not in response.headers.get("Cache-Control", "")
    )
    if not keep:
        return response, None
    content = response.content
    headers = [(name, value) for name, value in response.headers.items() if name.lower() not in {"etag"}]
    tables.discard("django_session")
    return response, {
        "content": content,
        "headers": headers,
        "digest": hashlib.sha256(content).hexdigest()[:32],
        "tables": sorted(tables),
    }


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the view's page for anonymous visitors until a table it read changes (see the module's docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        cache = _cache()
        key = _page_key(request)
        entry = cache.get(key)
        if entry is not None and versions(entry["tables"]) == entry["versions"]:
            content = _content(entry["digest"])
            if content is not None:
                return _answer(request, {**entry, "content": content})
        # The stamps are read before the page's own queries: a write committed meanwhile stamps its tables
        # again after this read, so a page rendered from older rows is never kept under the newer stamps.
        before = versions(_model_tables())
        response, new_entry = _render_to_keep(view, request, args, kwargs)
        if new_entry is None:
            return response
        new_entry["versions"] = _stamps(new_entry["tables"], before)
        content = new_entry.pop("content")
        _content_keep(new_entry["digest"], content)
        cache.set(key, new_entry, timeout=settings.PAGE_CACHE_SECONDS)
        return _answer(request, {**new_entry, "content": content})

    return wrapper


def _stamps(tables: list[str], before: dict[str, str]) -> dict[str, str]:
    """The stamps to keep something under: those read before it was computed (tables outside the models: now)."""
    others = versions([table for table in tables if table not in before])
    return {table: before.get(table) or others[table] for table in tables}


def kept(key: str, compute: Callable[[], T]) -> T:
    """What `compute` returns, kept like a page: until a table its queries read is written to.

    For answers built from the database that are the same for everyone who may see them (the open-data API's
    list pages); the caller decides who that is. The value must pickle. Honours PAGE_CACHE.
    """
    if not getattr(settings, "PAGE_CACHE", True):
        return compute()
    cache = _cache()
    key = "kept:" + hashlib.sha256(key.encode()).hexdigest()
    entry = cache.get(key)
    if entry is not None and versions(entry["tables"]) == entry["versions"]:
        return entry["value"]
    before = versions(_model_tables())
    with _recording_reads() as read:
        value = compute()
    tables = sorted(read - {"django_session"})
    entry = {"value": value, "tables": tables, "versions": _stamps(tables, before)}
    cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    return value


# A page's bytes are kept under their digest, apart from the small entry that is read on every request: the
# digest names one content forever, so each process also keeps the last pages it served in memory and skips
# reading (and decompressing) them again. Which digest is current is always read from the shared cache.
_LOCAL_PAGES = 64
_local: OrderedDict[str, bytes] = OrderedDict()


def _content(digest: str) -> bytes | None:
    content = _local.get(digest)
    if content is None:
        content = _cache().get(f"page-content:{digest}")
        if content is None:
            return None
        _remember(digest, content)
    else:
        _local.move_to_end(digest)
    return content


def _content_keep(digest: str, content: bytes) -> None:
    _cache().set(f"page-content:{digest}", content, timeout=settings.PAGE_CACHE_SECONDS)
    _remember(digest, content)


def _remember(digest: str, content: bytes) -> None:
    _local[digest] = content
    _local.move_to_end(digest)
    while len(_local) > _LOCAL_PAGES:
        _local.popitem(last=False)


_tables: list[str] = []


def _model_tables() -> list[str]:
    """Every model's table (read once): the stamps a page may need, read in one go before it is rendered."""
    from django.apps import apps

    if not _tables:
        _tables.extend(sorted({str(model._meta.db_table) for model in apps.get_models(include_auto_created=True)}))
    return [table for table in _tables if table not in UNWATCHED]
