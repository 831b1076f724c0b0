"""Reads of the campaign pages: the menu every page shows and one page in the visitor's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.urls import translate_url
from django.utils.translation import get_language, override

from coalition.site.models import Page, PageFile, PageTranslation

MENU_CACHE_KEY = "site:pages-menu:v1"
# Every process re-reads the menu this often, so a process whose cache was not told of a change (a local
# memory cache) catches up; a change in this process shows at once (menu_forget on commit).
MENU_CACHE_SECONDS = 300


@dataclass(frozen=True)
class MenuEntry:
    slug: str
    url: str
    titles: dict[str, str]  # language → title
    original_language: str

    @property
    def title(self) -> str:
        return self.titles.get(visitor_language()) or self.titles.get(self.original_language) or self.slug

    @property
    def fallback_language(self) -> str:
        """The language of the title when it is not the visitor's (for `lang`), else ""."""
        language = visitor_language()
        if language in self.titles:
            return ""
        return self.original_language if self.original_language in self.titles else ""


@dataclass
class ShownPage:
    """A page as one visitor reads it: their language's version, else the original (`fallback`)."""

    page: Page
    translation: PageTranslation
    fallback: bool
    pictures: list[PageFile] = field(default_factory=list)
    downloads: list[PageFile] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def visitor_language() -> str:
    return (get_language() or "en").split("-")[0]


def path_in_visitor_language(path: str) -> str:
    """A page's English address as campaigners write it in a page (`/states/`) → its address in the visitor's
    language (`/fr/states/`). Addresses that keep one form in every language (the API, the admin), addresses
    already in a language and unknown ones are left as they are."""
    language = visitor_language()
    if language == settings.LANGUAGE_CODE:
        return path
    with override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def menu_entries() -> list[MenuEntry]:
    """The published pages shown in the menu, in order: from the cache, else two queries."""
    entries = cache.get(MENU_CACHE_KEY)
    if entries is None:
        pages = (
            Page.objects.filter(published=True, in_menu=True)
            .order_by("menu_order", "slug")
            .prefetch_related(
                Prefetch("translations", queryset=PageTranslation.objects.only("page_id", "language", "title"))
            )
        )
        entries = [
            MenuEntry(
                slug=page.slug,
                url=page.get_absolute_url(),
                titles={t.language: t.title for t in page.translations.all()},
                original_language=page.original_language,
            )
            for page in pages
        ]
        cache.set(MENU_CACHE_KEY, entries, MENU_CACHE_SECONDS)
    return entries


def menu_forget() -> None:
    """Called by every write to pages: the menu is read again now and once the change is committed (a request
    that read it again in between, before the commit, would otherwise keep the old menu for five minutes)."""
    cache.delete(MENU_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(MENU_CACHE_KEY))


def menu_prime_empty() -> None:
    """For tests: the menu of a site with no page, as if already read (tests/conftest: a warm cache)."""
    cache.set(MENU_CACHE_KEY, [], MENU_CACHE_SECONDS)


def page_for_visitor(slug: str, *, include_unpublished: bool = False, language: str | None = None) -> ShownPage | None:
    """One page with its versions and files (three queries); None when there is no such page to show."""
    pages = Page.objects.prefetch_related("translations", "files")
    if not include_unpublished:
        pages = pages.filter(published=True)
    page = pages.filter(slug=slug).first()
    if page is None:
        return None
    language = language or visitor_language()
    versions = {t.language: t for t in page.translations.all()}
    chosen = versions.get(language) or versions.get(page.original_language) or next(iter(versions.values()), None)
    if chosen is None:
        return None
    files = list(page.files.all())
    return ShownPage(
        page=page,
        translation=chosen,
        fallback=chosen.language != language,
        pictures=[f for f in files if f.kind == PageFile.Kind.PICTURE],
        downloads=[f for f in files if f.kind == PageFile.Kind.DOWNLOAD and f.language in ("", language)]
        + [f for f in files if f.kind == PageFile.Kind.DOWNLOAD and f.language not in ("", language)],
        languages=sorted(versions),
    )


def page_file(slug: str, pk: int, *, include_unpublished: bool = False) -> PageFile | None:
    files = PageFile.objects.select_related("page").filter(page__slug=slug, pk=pk)
    if not include_unpublished:
        files = files.filter(page__published=True)
    return files.first()
