"""Sources written as API references often are: paragraphs hard-wrapped at 80 columns,
powers written with ``<sup>``, bare URLs, option lists in code. A page checked against
itself raises nothing, and a value changed in such a page is still caught."""

from kurt.checks.grounding import check_specifics
from kurt.checks.passages import SectionSources, file_passages

REFERENCE = """# Frames

## Sizes

A frame may carry up to 2<sup>24</sup>-1 bytes of payload, and a session may open
up to 2<sup>31</sup>-1 streams over its lifetime.

The checksum length must be set when the encoder is created and must be one of 4, 6,
8 or 16 bytes.

## Retries

You are only allowed to retry a failed frame within 10
minutes of the first attempt. After the 10-minute window, the frame is dropped.

Frames are grouped into four stages: parsing, checking, before/after the handler
runs, and when the frame is released.

There are only three TLSv1.3 suites the encoder accepts:

* `'TLS_AES_256_GCM_SHA384'`
* `'TLS_CHACHA20_POLY1305_SHA256'`
* `'TLS_AES_128_GCM_SHA256'`

## Reading

### `frame.readUint(offset, byteLength)`

* `offset` {integer} Bytes to skip before reading.
* `byteLength` {integer} Bytes to read.

Reads `byteLength` bytes from the frame at the given `offset`
and returns them as an unsigned integer.

### `frame.byteOffset`

The byte offset of the frame within the bytes of its session, read from the frame
header.

## Platforms

| System | Architectures | Versions | Support |
| --- | --- | --- | --- |
| AIX | ppc64be >=power8 | >= 7.2 TL04 | Tier 2 |
| macOS | arm64 | >= 11 | Tier 1 |

Builds include software from the Example Toolkit (https://www.example.org/) and
the assembler at <https://www.nasm.us/>.

* Readers of data protected through the use of frame APIs (for example,
  people who read data encrypted through the frame checksum APIs).

## Linking

Settings from `common.gyp`:

```
{
  'libraries': ['-lz'],
}
```

Merged settings:

```
{
  'sources': ['frame.cc'],
  'libraries': ['-lz'],
}
```

After merging, the dictionary for `frame_test` is:

```
{
  'sources': ['frame_test.cc'],
  'libraries': ['-lm'],
}
```
"""
PATH = "sources/docs.example.com/frames.md"


def check(text: str, source: str = REFERENCE) -> list[str]:
    sections = [SectionSources(1, 10**6, None, file_passages(PATH, source))]
    return [f"{f.line}: {f.message}" for f in check_specifics(text, "frames.md", sections)]


def test_a_wrapped_reference_checked_against_itself_raises_nothing():
    assert check(REFERENCE) == []


def test_a_value_changed_in_a_wrapped_reference_is_still_caught():
    # a power, a duration wrapped onto the next line, a size in a wrapped list
    for old, new, reported in (
            ("2<sup>31</sup>-1 streams", "2<sup>32</sup>-1 streams", '"32"'),
            ("within 10\nminutes", "within 20\nminutes", '"20'),
            ("must be one of 4, 6,\n8 or 16 bytes", "must be one of 4, 6,\n8 or 32 bytes",
             '"32 bytes"')):
        assert old in REFERENCE
        found = check(REFERENCE.replace(old, new))
        assert len(found) == 1 and reported in found[0], (new, found)


def test_the_node_reference_pages_checked_against_themselves_raise_nothing(against_themselves):
    """Twelve real pages written in another house style (bench/checks_corpus/nodejs-api)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[3] / "bench" / "checks_corpus" / "nodejs-api"
    pages = sorted((folder / "api").glob("*.md"))
    assert len(pages) == 12
    assert against_themselves(pages) == []
