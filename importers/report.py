"""The validation report: what the source got wrong, and what the import did."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class Report:
    # problem text -> list of object ids (first few kept as examples)
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    problem_counts: Counter = field(default_factory=Counter)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    withheld: Counter = field(default_factory=Counter)
    mode: str = "vollständig"
    files_downloaded: int = 0
    files_failed: int = 0
    # Text of PDFs (importers/files.read_text): files read, and of them pages recognised by OCR.
    texts_read: int = 0
    ocr_pages: int = 0
    ocr_seconds: float = 0.0

    EXAMPLES = 5

    def problem(self, text: str, object_id: str | None = None, context: str | None = None):
        self.problem_counts[text] += 1
        examples = self.problems[text]
        if object_id and len(examples) < self.EXAMPLES:
            examples.append(object_id if not context else f"{object_id} (verlinkt von {context})")

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "problems": [
                {"problem": text, "count": count, "examples": self.problems.get(text, [])}
                for text, count in sorted(self.problem_counts.items(), key=lambda item: (-item[1], item[0]))
            ],
            "created": dict(sorted(self.created.items())),
            "updated": dict(sorted(self.updated.items())),
            "deleted": dict(sorted(self.deleted.items())),
            "unchanged": dict(sorted(self.unchanged.items())),
            "withheld": dict(sorted(self.withheld.items())),
            "files_downloaded": self.files_downloaded,
            "files_failed": self.files_failed,
            "texts_read": self.texts_read,
            "ocr_pages": self.ocr_pages,
            "ocr_seconds": round(self.ocr_seconds, 1),
        }

    def count_text(self, extracted):
        self.texts_read += 1
        self.ocr_pages += len(extracted.ocr_pages)
        self.ocr_seconds += extracted.ocr_seconds

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def summary_lines(self) -> list[str]:
        lines = [f"Abruf: {self.mode}"]
        kinds = sorted(set(self.created) | set(self.updated) | set(self.deleted) | set(self.unchanged))
        for kind in kinds:
            lines.append(
                f"{kind:14} neu {self.created[kind]:6}  geändert {self.updated[kind]:6}  "
                f"gelöscht {self.deleted[kind]:6}  unverändert {self.unchanged[kind]:6}"
            )
        if self.withheld:
            lines.append("Nicht veröffentlicht: " + ", ".join(f"{k} {v}" for k, v in sorted(self.withheld.items())))
        lines.append(f"Dateien geladen: {self.files_downloaded}, fehlgeschlagen: {self.files_failed}")
        if self.ocr_pages:
            lines.append(f"Texterkennung (OCR): {self.ocr_pages} Seiten in {self.ocr_seconds:.0f} s")
        if self.problem_counts:
            lines.append(f"Mängel der Quelle: {sum(self.problem_counts.values())} in {len(self.problem_counts)} Arten")
            for text, count in sorted(self.problem_counts.items(), key=lambda item: (-item[1], item[0]))[:15]:
                lines.append(f"  {count:6} × {text}")
        return lines
