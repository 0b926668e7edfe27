"""Deterministic style analysis of markdown pages: the measurements behind customization.

Everything here is a pure function of the text: sentence length, a
Flesch-Kincaid grade, passive voice (be-verb + past participle), person
(you / we / I / third), imperatives, code blocks (full files vs snippets),
step-by-step structure and troubleshooting depth. ``score_sentence`` rates one
sentence as an example of clear writing (used to choose DO and DON'T lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+\S")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_STEP_HEADING = re.compile(r"^(step\s*\d+|\d+[.)]\s)", re.IGNORECASE)
_TROUBLE = re.compile(r"troubleshoot|common (issues|errors|problems)|\bfaq\b|known issues|debug",
                      re.IGNORECASE)
_ERROR_WORDS = re.compile(r"\b(error|errors|fail|fails|failed|failure|issue|issues|problem|"
                          r"troubleshoot\w*|fix|resolve)\b", re.IGNORECASE)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"`(])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*")
_BE = r"(?:am|is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't)"
_IRREGULAR = (
    "built|done|made|given|taken|seen|shown|known|written|sent|set|put|kept|found|held|run|"
    "chosen|driven|hidden|broken|spoken|begun|bound|brought|bought|caught|taught|thought|"
    "told|sold|paid|laid|left|lost|meant|met|read|shut|split|spread|spun|struck|sworn|"
    "thrown|understood|won|worn|grown|drawn|forgotten|gotten|frozen|stolen|overridden"
)
_PASSIVE = re.compile(
    rf"\b{_BE}\s+(?:\w+ly\s+|not\s+)?(?:\w+ed|{_IRREGULAR})\b", re.IGNORECASE
)
_YOU = re.compile(r"\b(you|your|yours|yourself|you'll|you're|you've|you'd)\b", re.IGNORECASE)
_WE = re.compile(r"\b(we|our|ours|us|we'll|we're|we've)\b", re.IGNORECASE)
_I = re.compile(r"\b(I|my|mine|I'm|I've|I'll)\b")
_CONTRACTION = re.compile(r"\b\w+(?:'|’)(?:s|re|ll|ve|d|t|m)\b", re.IGNORECASE)
_VAGUE = re.compile(
    r"\b(various|several|some|many|things?|stuff|etc|simply|just|easily|basically|"
    r"appropriate(?:ly)?|relevant|certain|seamless(?:ly)?|powerful|robust|leverage|"
    r"and so on|it should be noted|in order to)\b",
    re.IGNORECASE,
)
_IMPERATIVE_VERBS = frozenset(
    "add allow appoint avoid build call change check choose click configure connect copy create "
    "define delete deploy disable download edit enable ensure enter export fill find follow "
    "generate give go import include install keep launch list log make move navigate note open "
    "paste pick place provide push read remove rename replace restart review run save select "
    "send set specify start stop submit switch test try type update upgrade upload use verify "
    "visit wait write".split()
)
_MARKUP = re.compile(r"[\[\]<>{}|*_#]|\]\(|https?://")
_IMPORTS = re.compile(r"^\s*(import |from \S+ import |require\(|const \w+ = require|"
                      r"package |#include|using |use )", re.MULTILINE)
_MAIN = re.compile(r"def main\(|if __name__ ==|func main\(|public static void main|"
                   r"app\.listen\(|module\.exports|export default", re.MULTILINE)
FULL_FILE_LINES = 15


@dataclass
class CodeBlock:
    language: str
    lines: int
    full_file: bool


@dataclass
class PageText:
    """One page split into what style analysis needs."""

    prose: list[tuple[int, str]] = field(default_factory=list)  # (line number, text line)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text)
    code: list[CodeBlock] = field(default_factory=list)
    numbered_items: int = 0
    words: int = 0


@dataclass
class SentenceScore:
    text: str
    words: int
    passive: bool
    person: str  # you | we | i | third
    imperative: bool
    vague: list[str]
    concrete: bool
    literal: bool  # no markdown markup: the text occurs as-is in the page
    score: float
    reasons: list[str]
    weaknesses: list[str]


@dataclass
class StyleMetrics:
    pages: int = 0
    words: int = 0
    sentences: int = 0
    avg_sentence_words: float = 0.0
    fk_grade: float = 0.0
    passive_ratio: float = 0.0
    person_you: float = 0.0
    person_we: float = 0.0
    person_i: float = 0.0
    person_third: float = 0.0
    imperative_ratio: float = 0.0
    contractions_per_sentence: float = 0.0
    code_blocks: int = 0
    avg_code_lines: float = 0.0
    full_file_ratio: float = 0.0
    numbered_items: int = 0
    step_headings: int = 0
    troubleshooting_headings: int = 0
    error_sentence_ratio: float = 0.0

    @property
    def words_per_page(self) -> float:
        return self.words / self.pages if self.pages else 0.0

    @property
    def code_blocks_per_page(self) -> float:
        return self.code_blocks / self.pages if self.pages else 0.0

    def to_dict(self) -> dict:
        data = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in vars(self).items()}
        data["words_per_page"] = round(self.words_per_page, 1)
        data["code_blocks_per_page"] = round(self.code_blocks_per_page, 2)
        return data


def strip_frontmatter(text: str) -> tuple[str, int]:
    """(body, number of lines removed) for a markdown file with optional YAML frontmatter."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            after = text.find("\n", end + 4)
            after = len(text) if after == -1 else after + 1
            return text[after:], text[:after].count("\n")
    return text, 0


def split_page(markdown: str) -> PageText:
    """Separate prose lines, headings and code blocks of a markdown page."""
    body, offset = strip_frontmatter(markdown)
    page = PageText()
    title = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", markdown[: len(markdown) - len(body)],
                      re.MULTILINE)
    if title:  # the page title is its top heading
        page.headings.append((1, title.group(1)))
    fence, language, code_lines, in_tag = None, "", [], False
    for number, line in enumerate(body.split("\n"), start=offset + 1):
        if in_tag:  # inside a multi-line HTML/JSX tag such as <Image ... />
            in_tag = ">" not in line
            continue
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                page.code.append(_code_block(language, code_lines))
                fence, code_lines = None, []
            else:
                code_lines.append(line)
            continue
        if match:
            fence, language, code_lines = match.group(1), match.group(2).lower(), []
            continue
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading:
            page.headings.append((len(heading.group(1)), heading.group(2)))
            continue
        if stripped.startswith("<") and ">" not in stripped:
            in_tag = True
            continue
        if not stripped or stripped.startswith(("|", "<", "{", "/>", "import ", "export ")):
            continue
        if _NUMBERED.match(line):
            page.numbered_items += 1
        page.prose.append((number, stripped))
        page.words += len(_WORD.findall(stripped))
    if fence is not None:  # an unclosed fence still holds code
        page.code.append(_code_block(language, code_lines))
    return page


def _code_block(language: str, lines: list[str]) -> CodeBlock:
    text = "\n".join(lines)
    count = sum(1 for ln in lines if ln.strip())
    full = count >= FULL_FILE_LINES or bool(_IMPORTS.search(text) and _MAIN.search(text)) \
        or (bool(_IMPORTS.search(text)) and count >= 8)
    return CodeBlock(language, count, full)


def sentences_of(line: str) -> list[str]:
    """Sentences of one prose line (list markers removed)."""
    line = _BULLET.sub("", line)
    line = re.sub(r"^\s*\d+[.)]\s+", "", line)
    line = re.sub(r"^>\s*", "", line)
    return [s.strip() for s in _SENTENCE_SPLIT.split(line) if s.strip()]


def syllables(word: str) -> int:
    """A heuristic syllable count (vowel groups, silent final e)."""
    word = word.lower().strip("'’-")
    if not word or not word[0].isalpha():
        return 1
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def is_passive(sentence: str) -> bool:
    return bool(_PASSIVE.search(sentence))


def person_of(sentence: str) -> str:
    """Who the sentence addresses or speaks as: you, we, i, or third."""
    if _YOU.search(sentence):
        return "you"
    if _WE.search(sentence):
        return "we"
    if _I.search(sentence):
        return "i"
    return "third"


def is_imperative(sentence: str) -> bool:
    words = _WORD.findall(sentence)
    return bool(words) and words[0].lower() in _IMPERATIVE_VERBS


def fk_grade(words: int, sentences: int, syllable_count: int) -> float:
    """Flesch-Kincaid grade level."""
    if not words or not sentences:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syllable_count / words - 15.59


def score_sentence(sentence: str) -> SentenceScore:
    """Rate a sentence as an example of clear, active, concrete writing addressed to the reader."""
    words = _WORD.findall(sentence)
    n = len(words)
    passive = is_passive(sentence)
    person = person_of(sentence)
    imperative = is_imperative(sentence)
    vague = sorted({m.group(0).lower() for m in _VAGUE.finditer(sentence)})
    concrete = bool(re.search(r"\d|`[^`]+`", sentence)) or any(
        w[0].isupper() for w in words[1:] if w not in ("I",)
    )
    literal = not _MARKUP.search(sentence)
    reasons, weaknesses, score = [], [], 0.0
    if 8 <= n <= 25:
        score += 2
        reasons.append(f"moderate length ({n} words)")
    elif n > 35:
        score -= 2 + (n - 35) / 10
        weaknesses.append(f"very long ({n} words)")
    elif n < 6:
        score -= 2
        weaknesses.append(f"too short to stand alone ({n} words)")
    if passive:
        score -= 2
        weaknesses.append("passive voice hides who acts")
    else:
        score += 1
        reasons.append("active voice")
    if person == "you" or imperative:
        score += 1.5
        reasons.append("speaks to the reader" if person == "you" else "direct instruction")
    if concrete:
        score += 1
        reasons.append("names something concrete")
    else:
        weaknesses.append("nothing concrete (no name, number or command)")
        score -= 0.5
    if vague:
        score -= 1.5 * len(vague)
        weaknesses.append("vague wording (" + ", ".join(vague) + ")")
    if not sentence.rstrip().endswith((".", "!", "?")):
        score -= 3
        weaknesses.append("not a complete sentence")
    return SentenceScore(sentence, n, passive, person, imperative, vague, concrete, literal,
                         round(score, 3), reasons, weaknesses)


def analyze(pages: list[str]) -> StyleMetrics:
    """Measure the style of a set of markdown pages (each a full file text)."""
    m = StyleMetrics(pages=len(pages))
    syllable_total = 0
    counts = {"you": 0, "we": 0, "i": 0, "third": 0}
    passive = imperative = contractions = errors = sentence_words = 0
    code_lines = []
    for text in pages:
        page = split_page(text)
        m.words += page.words
        m.numbered_items += page.numbered_items
        for _level, heading in page.headings:
            if _STEP_HEADING.match(heading):
                m.step_headings += 1
            if _TROUBLE.search(heading):
                m.troubleshooting_headings += 1
        for block in page.code:
            m.code_blocks += 1
            code_lines.append(block.lines)
            m.full_file_ratio += 1 if block.full_file else 0
        for _, line in page.prose:
            for sentence in sentences_of(line):
                words = _WORD.findall(sentence)
                if not words:
                    continue
                m.sentences += 1
                sentence_words += len(words)
                syllable_total += sum(syllables(w) for w in words)
                passive += is_passive(sentence)
                imperative += is_imperative(sentence)
                counts[person_of(sentence)] += 1
                contractions += len(_CONTRACTION.findall(sentence))
                errors += bool(_ERROR_WORDS.search(sentence))
    if m.sentences:
        m.avg_sentence_words = sentence_words / m.sentences
        m.fk_grade = fk_grade(sentence_words, m.sentences, syllable_total)
        m.passive_ratio = passive / m.sentences
        m.imperative_ratio = imperative / m.sentences
        m.person_you, m.person_we = counts["you"] / m.sentences, counts["we"] / m.sentences
        m.person_i, m.person_third = counts["i"] / m.sentences, counts["third"] / m.sentences
        m.contractions_per_sentence = contractions / m.sentences
        m.error_sentence_ratio = errors / m.sentences
    if m.code_blocks:
        m.avg_code_lines = sum(code_lines) / m.code_blocks
        m.full_file_ratio /= m.code_blocks
    return m


def page_sentences(markdown: str) -> list[tuple[int, str]]:
    """(line number in the file, sentence) for every prose sentence of a page."""
    return [(number, s) for number, line in split_page(markdown).prose for s in sentences_of(line)]
