"""The one canonical vocabulary of the project. The ETL writes these values; the app reads them."""

PILLARS = ("identity", "data_exchange", "payments")
PILLAR_LABELS = {
    "identity": "Digital identity",
    "data_exchange": "Data exchange",
    "payments": "Payments",
}
# DPI Map file stem for each pillar (https://dpimap.org/data/<release>/<release>-<file>.json).
PILLAR_FILES = {"identity": "identity", "data_exchange": "exchange", "payments": "payment"}

# Per-country statuses, most advanced last. "not_assessed" is never stored: it is the absence
# of a record in a release, derived at query time.
STATUSES = ("none", "planned_or_piloted", "implemented")
STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
STATUS_LABELS = {
    "not_assessed": "Not assessed",
    "none": "No system",
    "planned_or_piloted": "Planned or piloted",
    "implemented": "Implemented",
    "dpi_like": "Implemented, DPI-like",
}
STATUS_DEFINITIONS = {
    "not_assessed": "The release has no record for this country in this pillar.",
    "none": "Assessed, and no system was found (upstream NA, Unknown or Inactive).",
    "planned_or_piloted": "A system is planned, proposed, in progress or piloted.",
    "implemented": "A system is implemented, rolled out, active or operating at scale.",
    "dpi_like": (
        "An implemented system that the DPI Map counts as DPI-like ('Count for DPI' = 1): it "
        "meets the framework's bar for digital public infrastructure. Assessed from 2025-06-30."
    ),
}
