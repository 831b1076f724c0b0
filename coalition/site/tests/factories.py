from __future__ import annotations

import factory

from coalition.site.models import Page, PageTranslation
from coalition.site.pages import menu_forget


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    slug = factory.Sequence(lambda n: f"page-{n:03d}")
    published = True
    in_menu = True
    menu_order = factory.Sequence(lambda n: n)


class TranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PageTranslation

    page = factory.SubFactory(PageFactory)
    language = "en"
    title = factory.Sequence(lambda n: f"Page title {n}")
    body = "Some **text**."


def page_in(*languages: str, **fields: object) -> Page:
    """A page with a version in each of `languages`, titled "<Language code> title"."""
    page: Page = PageFactory(**fields)  # type: ignore[assignment]
    for language in languages:
        TranslationFactory(page=page, language=language, title=f"{language.upper()} title", body=f"{language} body")
    menu_forget()  # as the admin does (services.page_changed)
    return page
