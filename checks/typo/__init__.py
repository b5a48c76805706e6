"""Wrong-character detection for Chinese official writing (rule ``wording-typo``).

``TypoDetector.load(threshold)`` reads the packaged model once; ``detector.find(text,
vocabulary)`` returns ``TypoHit`` records. ``SiteVocabulary.build(texts)`` collects what a
site writes on many pages so that its own names and terms are not reported.
``confusions.find_confusions(text)`` holds the context rules for real-word confusions that
a character model cannot judge (rule ``wording-suspect``).
"""

from checks.typo.detector import DEFAULT_THRESHOLD, TypoDetector, TypoHit
from checks.typo.vocabulary import SiteVocabulary

__all__ = ["DEFAULT_THRESHOLD", "SiteVocabulary", "TypoDetector", "TypoHit"]
