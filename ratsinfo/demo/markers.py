"""Words planted in the demo so that tests further down the stream can look for them.

PDF_ONLY_WORD stands only in the text layer of one Vorlage's PDF: a search
index that finds it has really read the PDF, not just the JSON. The
NON_PUBLIC_MARKERS stand only in non-public agenda items and in the PDFs
attached to them: wherever one turns up in the portal, something leaked.
No other text of the demo may contain these words.
"""

PDF_ONLY_WORD = "Fledermausquartierkartierung"
PDF_ONLY_PAPER_REFERENCE = "VO/2025/0005"
PDF_ONLY_SENTENCE = (
    "Für das Vorhaben wurde vorsorglich eine Fledermausquartierkartierung beauftragt; "
    "Hinweise auf Quartiere geschützter Arten haben sich nicht ergeben."
)

NON_PUBLIC_MARKERS = (
    "Vorkaufsrechtsverzicht",
    "Abfindungsvereinbarung",
    "Erbbauzinsstundung",
    "Bieterrangfolge",
)
