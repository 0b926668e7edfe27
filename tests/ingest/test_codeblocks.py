"""kurt.ingest.codeblocks: code blocks lifted out before trafilatura and put back after."""

from __future__ import annotations

import lxml.html
import pytest

from kurt.ingest.codeblocks import CODE_MARK, code_language, restore_code_blocks, take_code_blocks
from kurt.ingest.extract import extract_html


def _pre(markup: str):
    return lxml.html.fragment_fromstring(markup)


@pytest.mark.parametrize(
    ("markup", "language"),
    [
        ('<pre><code class="language-python">x</code></pre>', "python"),
        ('<pre class="lang-ruby"><code>x</code></pre>', "ruby"),
        ('<pre><code class="hljs highlight-go">x</code></pre>', "go"),
        ('<pre><code data-language="TypeScript">x</code></pre>', "typescript"),
        ('<pre data-lang="c++">x</pre>', "c++"),
        ('<pre class="brush:bash">x</pre>', "bash"),
        ('<pre><code class="language-none">x</code></pre>', None),
        ('<pre><code class="nohighlight">x</code></pre>', None),
        ("<pre><code>x</code></pre>", None),
    ],
)
def test_code_language(markup, language):
    assert code_language(_pre(markup)) == language


def test_take_code_blocks_swaps_each_pre_for_a_numbered_placeholder():
    tree = lxml.html.document_fromstring(
        '<html><body><pre class="language-sh">\nrun a\n\n  run b\n</pre><p>text</p>'
        "<pre><code>second</code></pre><pre>   </pre></body></html>")
    blocks = take_code_blocks(tree)
    assert blocks == [("sh", "run a\n\n  run b"), (None, "second")]
    texts = [pre.text for pre in tree.iter("pre")]
    assert texts == [f"{CODE_MARK}0x", f"{CODE_MARK}1x", "   "]  # the empty <pre> is left alone
    assert all(not pre.attrib for pre in list(tree.iter("pre"))[:2])


@pytest.mark.parametrize(
    ("markdown", "blocks", "expected"),
    [
        (f"Intro\n\n{CODE_MARK}0x\n\nEnd", [("py", "a = 1\n\nb = 2")],
         "Intro\n\n```py\na = 1\n\nb = 2\n```\n\nEnd"),
        (f"```\n{CODE_MARK}0x\n```", [("js", "x()")], "```js\nx()\n```"),  # fenced by trafilatura
        (f"`{CODE_MARK}0x`", [(None, "x()")], "```\nx()\n```"),  # inline-coded by trafilatura
        (f"- Step one {CODE_MARK}0x", [("sh", "make")], "- Step one\n  ```sh\n  make\n  ```"),
        (f"1. Step\n{CODE_MARK}0x", [(None, "go")], "1. Step\n   ```\n   go\n   ```"),
        (f"| cmd | {CODE_MARK}0x |", [(None, "a | b")], "| cmd | `a \\| b` |"),
        (f"{CODE_MARK}0x", [(None, "has ``` inside")], "````\nhas ``` inside\n````"),
        (f"{CODE_MARK}7x", [(None, "x")], ""),  # an unknown placeholder vanishes
        ("no blocks", [], "no blocks"),
    ],
)
def test_restore_code_blocks(markdown, blocks, expected):
    assert restore_code_blocks(markdown, blocks) == expected


def _article(body: str) -> bytes:
    return ("<html><body><main><article><h1>Page</h1><p>An introduction with enough words to be "
            "kept as the main content of this article by the extractor.</p>" + body
            + "<p>A closing paragraph with a few more words of text.</p></article></main></body></html>"
            ).encode()


def test_code_language_from_lang_class_and_data_attribute():
    html = (b"<html><body><main><article><h1>Code</h1><p>Some words to make this an article "
            b"with enough text to be kept by the extractor, really.</p>"
            b'<pre class="lang-ruby"><code>puts 1</code></pre>'
            b"<p>More text between the two blocks so both are kept.</p>"
            b'<pre><code data-language="go">fmt.Println(1)</code></pre>'
            b"</article></main></body></html>")
    md = extract_html(html, "http://x/code").markdown
    assert "```ruby\nputs 1\n```" in md
    assert "```go\nfmt.Println(1)\n```" in md


def test_code_block_keeps_its_blank_lines_and_indentation():
    html = _article('<pre><code class="language-python">def f():\n    a = 1\n\n    return a\n</code></pre>')
    assert "```python\ndef f():\n    a = 1\n\n    return a\n```" in extract_html(html, "http://x/a").markdown


def test_code_block_in_a_list_item_stays_in_the_item_with_its_language():
    html = _article('<ul><li>Set the variable<pre><code class="language-plaintext">PORT=1\n</code></pre>'
                    "<em>the port</em></li><li>Deploy</li></ul>")
    md = extract_html(html, "http://x/a").markdown
    assert "- Set the variable\n\n  ```plaintext\n  PORT=1\n  ```\n\n  *the port*" in md
    assert "- Deploy" in md


def test_code_in_a_table_cell_becomes_inline_code():
    html = _article("<table><tr><th>Name</th><th>Value</th></tr>"
                    "<tr><td>cmd</td><td><pre>a | b</pre></td></tr></table>")
    assert "| cmd | `a \\| b` |" in extract_html(html, "http://x/a").markdown


