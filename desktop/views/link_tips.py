"""Tooltips that explain a link in the details: its score, automatic or curated, the drag handle, weaker links.

Thresholds come from the linking engine (`models.linking`), so the words never drift from what it does.
"""

from __future__ import annotations

from html import escape

from models.engines.linking import BEST_THRESHOLD, KEEP_THRESHOLD, SHOW_THRESHOLD

SCORE = (
    f"How much of the recommendation's weighted vocabulary this remark carries, from 0 to 1. "
    f"About {SHOW_THRESHOLD:.2f}: a clear shared subject; 0.30 and above: the remark states much of the "
    f"recommendation. Shown from {SHOW_THRESHOLD:.2f} (a recommendation's best link from "
    f"{BEST_THRESHOLD:.2f}). Help › How Links Are Made explains the score."
)
AUTOMATIC = (
    "Found by the linking engine: the phrases and words both texts share are highlighted on both "
    "sides. Reject it if it is wrong for your delegation."
)
CURATED = "Linked by hand (by you, or in annotations you merged): kept whatever the score."
DRAG_HANDLE = "Drag this remark onto a recommendation (in the table or these details) to link it by hand."
WEAKER = (
    f"Links scoring from {KEEP_THRESHOLD:.2f} up to {SHOW_THRESHOLD:.2f}: kept but not shown by default "
    f"(View › Show Weaker Links, Ctrl+Shift+W)."
)


def tip(html: str, text: str) -> str:
    """``html`` with ``text`` as its tooltip (the details show a text fragment's tooltip on hover)."""
    return f'<span title="{escape(text)}">{html}</span>'
