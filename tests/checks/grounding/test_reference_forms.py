"""How an API reference states its identifiers, and how a writer restates them: a function
named in a heading, optional parameters in brackets, options listed with their values."""

from kurt.checks.grounding import check_specifics
from kurt.checks.passages import Passage, SectionSources

PATH = "sources/docs.example.com/api/frames.md"


def stored(heading: str, text: str, line: int = 10) -> Passage:
    """A passage as a workspace's index stores it: its text starts below its heading."""
    return Passage(PATH, line, line + text.count("\n"), text, "section", f"Frames > {heading}")


PASSAGES = [
    stored("frames.count()", "* Returns: {integer}\n\nThe number of frames the session holds."),
    stored("frames.setTimeout(timeout[, callback])",
           "* `timeout` {number}\n* `callback` {Function}\n\nSets the idle timeout.", 20),
    stored("timersPromises.setTimeout([delay[, value[, options]]])",
           "Resolves with `value` once `delay` milliseconds have passed.", 30),
    stored("new Frame(filename[, options])",
           "* `filename` {string}\n* `options` {Object}\n"
           "  * `checksum` {boolean} When `true`, every frame carries a checksum.\n"
           "  * `encoding` {string} The payload's encoding, `'utf8'` or `'buffer'`.\n"
           "  * `kind` {string} One of `'x86_64'` or `'arm64'`.", 40),
    stored("frames.info([options])",
           "Returns an object with the properties `name`, `size` and `homedir`.", 50),
    stored("frames.getCount(callback)",
           "The callback is called with two arguments, `err` and `count`.", 60),
]


def check(body: str) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, PASSAGES)]
    return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections)]


def test_a_function_a_heading_names_is_stated():
    assert check("Call `frames.count()` for the number of frames.") == []
    assert check("Call `frames.total()` for the number of frames.") == [
        'Identifier "frames.total()" is not in the sources']


def test_optional_parameters_may_be_left_out():
    assert check("`frames.setTimeout(timeout)` sets the idle timeout.") == []
    assert check("`frames.setTimeout(ms)` sets the idle timeout.") == [
        'Identifier "frames.setTimeout(ms)" is not in the sources']
    assert check("Its `setTimeout(delay, value, options)` resolves later.") == []
    assert check("Create one with `new Frame(filename, options)` or `new Frame()`.") == []
    assert check("Then `await frames.count()` resolves.") == []
    # more parameters than the reference gives is another function
    assert check("`frames.setTimeout(ms, callback, extra)` sets the idle timeout.") != []


def test_options_set_to_a_value_the_reference_lists_for_them():
    assert check("Pass `checksum: true` to add checksums.") == []
    assert check("Pass `encoding: 'buffer'` for raw bytes.") == []
    assert check("Pass `compress: true` to compress them.") == [
        'Identifier "compress: true" is not in the sources']
    assert check("Pass `encoding: 'latin1'` for raw bytes.") == [
        'Identifier "encoding: \'latin1\'" is not in the sources']
    # the value must be one the option's own entry gives, not another option's
    assert check("Pass `filename: 'buffer'` for raw bytes.") == [
        'Identifier "filename: \'buffer\'" is not in the sources']


def test_a_quoted_literal_a_returned_property_and_callback_parameters():
    assert check("On a server it reports `'x86_64'`.") == []
    assert check("Read `frames.info().homedir` for the folder.") == []
    assert check("Read `frames.info().cwd` for the folder.") == [
        'Identifier "frames.info().cwd" is not in the sources']
    assert check("It answers through an `(err, count)` callback.") == []
    assert check("It answers through an `(err, total)` callback.") == [
        'Identifier "(err, total)" is not in the sources']


def test_a_file_extension_is_stated_by_a_file_name_written_with_it():
    global PASSAGES
    saved = PASSAGES
    PASSAGES = saved + [stored("frames.save(path)", "```js\nframes.save('out.txt.gz');\n```", 70)]
    try:
        assert check("Save it as a `.gz` file.") == []
        assert check("Save it as a `.zst` file.") == ['Identifier ".zst" is not in the sources']
    finally:
        PASSAGES = saved
