"""Vale vocabularies: the team's accepted and rejected terms.

``Vocab = Base, Product`` in ``.vale.ini`` names folders under the styles path:
``config/vocabularies/<name>/`` (Vale 3) or ``Vocab/<name>/`` (Vale 2). Each
holds ``accept.txt`` and/or ``reject.txt`` (anywhere below it), one term per
line; a term is a (case-sensitive) pattern such as ``[Oo]bservability``, and a
line starting with ``#`` is a comment.

Accepted terms become exceptions of the word-based rules (unless a rule says
``vocab: false``) and the swaps of the built-in ``Vale.Terms`` rule, which
flags the wrong case of a term; rejected terms are the tokens of
``Vale.Avoid``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import ConfigError

VOCAB_DIRS = (Path("config") / "vocabularies", Path("Vocab"))


@dataclass
class Vocabulary:
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)


def read_terms(path: Path) -> list[str]:
    terms = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        term = line.strip()
        if term and not term.startswith("#"):
            terms.append(term)
    return terms


def find_vocabulary(name: str, styles_paths: list[Path]) -> Path | None:
    for base in styles_paths:
        for sub in VOCAB_DIRS:
            folder = base / sub / name
            if folder.is_dir():
                return folder
    return None


def load_vocabularies(names: list[str], styles_paths: list[Path]) -> Vocabulary:
    """Read every named vocabulary; a name with no folder raises ConfigError saying where it looked."""
    vocab = Vocabulary()
    for name in names:
        folder = find_vocabulary(name, styles_paths)
        if folder is None:
            tried = ", ".join(str(base / sub / name) for base in styles_paths for sub in VOCAB_DIRS)
            raise ConfigError(f"vocabulary '{name}' not found (looked in {tried or 'no StylesPath'}): "
                              f"create it with an accept.txt, or remove it from Vocab")
        vocab.folders.append(folder)
        for path in sorted(folder.rglob("*.txt")):
            if path.name == "accept.txt":
                vocab.accepted.extend(t for t in read_terms(path) if t not in vocab.accepted)
            elif path.name == "reject.txt":
                vocab.rejected.extend(t for t in read_terms(path) if t not in vocab.rejected)
    return vocab
