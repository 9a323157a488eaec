"""The DPI Map's columns and values, declared as data: every header spelling ever seen maps to
one canonical column, every raw status, yes/no and flag value to one canonical value. A new
release that brings anything else stops the build naming the release, file, column and value:
declare it here (or correct the record in data/reference/corrections.csv).
"""

# ---------------------------------------------------------------- columns, as data
# Canonical columns shared by every pillar: (role, header spellings after whitespace folding).
COMMON_COLUMNS = {
    "country": ("country", ["Country", "Country/Region", "Country / Region", "Country/ Region"]),
    "last_updated": ("date", ["Last updated", "Last updated DD:MM:YY"]),
    "dpi_like": (
        "flag",
        [
            "Count for DPI",
            "DPI based digital ID (to count for Visualisation)",
            "Count for DPI-like data exchange system",
        ],
    ),
    "url": ("url", ["URL"]),
    "notes": ("text", ["Notes", "0 Notes"]),
}
# Columns a release may carry that the warehouse deliberately does not load, with the reason.
IGNORED_COLUMNS = {
    "Region": "regions come from the World Bank classification, not the release",
    "Income classification": "income groups come from the World Bank classification",
}

PILLAR_COLUMNS = {
    "identity": {
        "system_name": ("name", ["Digital ID name"]),
        "status": ("status", ["Status of implementation", "Status of Implementation"]),
        "claims_digital_id": (
            "bool",
            ["Claim of digital (or electronic) ID", "Claim of digital ID"],
        ),
        "biometric_data": ("bool", ["Collects or uses biometric data"]),
        "id_or_civil_registry_act": ("bool", ["ID or Civil Registry Act"]),
        "digital_id_regulation": ("bool", ["Regulation for digital ID"]),
        "digital_authentication": ("bool", ["Digital authentication function"]),
        "kyc_packet_collection": (
            "bool",
            [
                "Enables KYC packet collection for service provision",
                "Enables KYC packet collection",
            ],
        ),
        "government_portal_authentication": (
            "bool",
            [
                "Authentication possible through a government portal",
                "Authentication through government portal",
            ],
        ),
        "codified_legal_status": (
            "bool",
            ["Identity act codifies digital ID legal status", "Codified digital ID legal status"],
        ),
        "governing_entity": ("text", ["Governing entity"]),
        "governing_entity_type": (
            "text",
            ["Institutional governance structure", "Type of governing entity"],
        ),
        "court_oversight": ("bool", ["Court oversight on digital ID system"]),
        "executor_accountability": ("bool", ["Accountability of ID executors to authority"]),
        "redress_mechanism": ("text", ["Legally binding redress mechanism"]),
        "data_terms_public": (
            "bool",
            [
                "Personal data collection, storage and sharing terms publicly available",
                "Terms of data storage and sharing available",
            ],
        ),
        "data_protection_act": (
            "bool",
            ["National Data Protection Act exists", "National Data Protection Act"],
        ),
        "enrolment_procedural_rules": (
            "bool",
            [
                "Identity act or secondary policy sets up procedural rules for digital ID",
                "Procedural rules for digital ID enrolment",
            ],
        ),
        "data_leak_disclosure": (
            "bool",
            [
                "Processes to notify individuals about personal data leaks in place",
                "Data leak disclosure process",
            ],
        ),
        "data_handling_terms": ("bool", ["Data handling terms", "ID data handling terms"]),
        "feeder_documents": (
            "bool",
            [
                "Identity act clarifies relationship with feeder documents",
                "Relationship with feeder documents",
            ],
        ),
        "external_entity_use": (
            "bool",
            ["Use of digital ID infrastructure by at least one external entity"],
        ),
        "sectoral_use_cases": ("bool", ["Two or more sectoral use cases enabled"]),
        "funding_organisations": ("text", ["Funding organizations identified"]),
        "technical_support_organisations": (
            "text",
            ["Technical support organizations identified"],
        ),
    },
    "data_exchange": {
        "system_name": ("name", ["Data exchange system name"]),
        "status": ("status", ["Status of implementation", "Status of Implementation"]),
        "base_architecture": ("text", ["Base technical architecture"]),
        "national_or_regional": ("text", ["National/ Regional", "National / Regional"]),
        "sector_scope": (
            "text",
            ["Sector-specific/ Cross-sectoral", "Sector-specific / Cross-sectoral"],
        ),
        "semantic_interoperability": ("bool", ["Semantic interoperability"]),
        "real_time_sharing": (
            "bool",
            [
                "Data is shared in (near) real-time through the Data Exchange",
                "(Near) real-time sharing",
                "Real-time sharing",
            ],
        ),
        "scalable_architecture": (
            "bool",
            ["Technology architecture of the DES is scalable", "Scalable technology architecture"],
        ),
        "governing_entity": (
            "text",
            [
                "Public-interest entity governing the development and operations of the "
                "Data Exchange",
                "Governing entity",
            ],
        ),
        "ownership": ("text", ["Ownership"]),
        "enrolment_information": (
            "bool",
            [
                "Data Exchange provides information for enrollment and participation",
                "Enrolment and participation information",
            ],
        ),
        "permitted_participants": (
            "text",
            [
                "Types of entities that can participate in the data exchange",
                "Permitted participants",
            ],
        ),
        "audit_mechanism": (
            "bool",
            ["The system provides mechanisms to audit data exchanges", "Audit mechanism"],
        ),
        "procedural_rules": (
            "bool",
            [
                "Procedural rules for the Data Exchange (access restrictions, protections, etc.) "
                "are established",
                "Procedural rules for data mgmt.",
            ],
        ),
        "coordination_unit": ("text", ["Coordination unit"]),
        "multi_entity_use": (
            "bool",
            [
                "Public entities other than the Data Exchange operator use the system",
                "Used by more than one public entity",
            ],
        ),
        "impact_metrics": ("bool", ["Impact metrics of the Data Exchange exist", "Impact metrics"]),
        "additional_information": ("text", ["0 Additional Information"]),
    },
    "payments": {
        "system_name": ("name", ["Payment system name"]),
        "status": (
            "status",
            ["Status of payment system implementation", "Status of Implementation"],
        ),
        "real_time_payments": ("bool", ["Active real-time payment system present"]),
        "payment_system_type": ("text", ["Payment system type"]),
        "national_or_regional": ("text", ["National / Regional"]),
        "cross_border_payments": ("bool", ["Cross-border payments"]),
        "interoperability_policy": ("bool", ["Interoperability policy"]),
        "transaction_types": ("text", ["Types of transactions supported"]),
        "settlement_type": ("text", ["Type of settlement system"]),
        "operator": ("text", ["Operator"]),
        "bank_participation": ("bool", ["Bank participation"]),
        "non_bank_participation": ("bool", ["Non-bank participation"]),
        "participation_rules": ("bool", ["Participation conditions and rules"]),
        "participants": (
            "text",
            [
                "No. of participants* (PSPs) *For regional payment systems > countries",
                "Number of participants",
            ],
        ),
        "annual_value_usd": ("text", ["Annual value of transactions (USD)"]),
        "annual_volume": ("text", ["Annual volume of transactions"]),
        "data_handling_rules": ("bool", ["Data-handing rules for payment system"]),
        "reporting_forum": ("bool", ["Reporting forum"]),
        "aml_law": ("bool", ["AML Law"]),
        "transaction_cost": ("text", ["Cost of transactions"]),
        "qr_payments": ("bool", ["QR code based transactions"]),
        "additional_urls": ("text", ["Additional URLs"]),
    },
}
REQUIRED = ("country", "system_name", "status")

# Labels whose upstream header is not fit to show, with the reason: (pillar, attribute) -> label.
LABEL_FIXES = {
    # The header carries a stray leading "0" ("0 Additional Information") in every release.
    ("data_exchange", "additional_information"): "Additional information",
}

# Yes/no attributes derived from a text attribute: (source attribute, pattern, label).
DERIVED_FLAGS = {
    "data_exchange": {
        # X-Road (the open-source NIIS product) and UXP (Cybernetica's own product) apart:
        # UXP is not an X-Road distribution (data/reference/building_blocks.csv).
        "x_road_based": ("base_architecture", r"x-road", "Built on X-Road"),
        "uxp_based": ("base_architecture", r"\buxp\b", "Built on UXP (Cybernetica)"),
    },
    "payments": {
        "cbdc": ("payment_system_type", r"\bcbdc\b", "Includes a central bank digital currency"),
        "mobile_money": ("payment_system_type", r"mobile (money|wallet)", "Includes mobile money"),
        "cross_domain": (
            "payment_system_type",
            r"cross-domain",
            "Cross-domain (instant) payment system",
        ),
    },
}

# ---------------------------------------------------------------- values, as data
STATUS_VALUES = {
    "Implemented": "implemented",
    "Rollout": "implemented",
    "Operating at scale": "implemented",
    "Active": "implemented",
    "Planned/Piloted": "planned_or_piloted",
    "Piloted or planned": "planned_or_piloted",
    "Planned or piloted": "planned_or_piloted",
    "Plan": "planned_or_piloted",
    "Pilot": "planned_or_piloted",
    "Proposed": "planned_or_piloted",
    "In Progress": "planned_or_piloted",
    "NA": "none",
    "Unknown": "none",
    "Inactive": "none",
}
BOOL_VALUES = {"Yes": True, "No": False, "NA": None, "Na": None, "Unknown": None, "Uknown": None}
MISSING_TEXT = {"", "NA", "Na", "N/A", "-", "Unknown", "Uknown"}
FLAG_VALUES = {0: False, 1: True, "0": False, "1": True}
DATE_FORMAT = "%d/%m/%y"
