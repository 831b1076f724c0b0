from __future__ import annotations

from coalition.lib.markdown import markdown_to_text, render_markdown


def test_it_renders_emphasis_lists_and_links():
    html = render_markdown("**Ban** them.\n\n- one\n- two\n\n[CMC](https://www.stopclustermunitions.org)")

    assert "<strong>Ban</strong>" in html
    assert "<li>one</li>" in html
    assert 'href="https://www.stopclustermunitions.org"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_it_drops_raw_html_and_scripts():
    html = render_markdown("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>")

    assert "<script" not in html
    assert "<img" not in html  # raw HTML is shown as text at most, never as markup


def test_it_drops_javascript_links():
    html = render_markdown("[click](javascript:alert(1))")

    assert "href" not in html
    assert "<a" not in html


def test_empty_text_gives_empty_html():
    assert render_markdown("") == ""
    assert render_markdown("   \n") == ""


def test_plain_text_keeps_the_words_without_markup():
    assert markdown_to_text("# Title\n\nSome *words*.") == "Title\nSome words."
