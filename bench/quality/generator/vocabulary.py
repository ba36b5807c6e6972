"""Business vocabulary: capability names, the entities each one keeps, and words for operations.

Entities are listed most central first: a small capability uses the head of its list.
"""

from __future__ import annotations

CAPABILITIES: dict[str, tuple[str, ...]] = {
    "orders": ("Order", "OrderLine", "OrderNote", "OrderStatusChange", "ReturnRequest"),
    "billing": ("Invoice", "InvoiceLine", "CreditNote", "TaxRate", "BillingProfile"),
    "catalog": ("Product", "Category", "Brand", "ProductImage", "Attribute", "Collection"),
    "inventory": ("StockItem", "Warehouse", "StockMovement", "Reservation", "StockCount"),
    "shipping": ("Shipment", "Carrier", "ShippingRate", "Parcel", "DeliveryZone"),
    "accounts": ("Customer", "Address", "Profile", "LoginAttempt", "ConsentRecord"),
    "reviews": ("Review", "ReviewVote", "ReviewFlag", "RatingSummary"),
    "loyalty": ("LoyaltyAccount", "PointsEntry", "Reward", "Tier", "Redemption"),
    "payments": ("Payment", "Refund", "PaymentMethod", "Chargeback", "Payout"),
    "promotions": ("Promotion", "Voucher", "VoucherUse", "Campaign", "DiscountRule"),
    "support": ("Ticket", "TicketMessage", "Agent", "Macro", "SatisfactionSurvey"),
    "notifications": ("Notification", "Template", "Subscription", "DeliveryAttempt"),
    "pricing": ("PriceList", "PriceEntry", "CurrencyRate", "PriceChange"),
    "suppliers": ("Supplier", "PurchaseOrder", "PurchaseLine", "SupplierContact", "Delivery"),
    "subscriptions": ("Plan", "PlanSubscription", "UsageRecord", "RenewalAttempt"),
    "bookings": ("Booking", "Slot", "Resource", "Cancellation", "Waitlist"),
    "content": ("Page", "Block", "Banner", "MenuItem", "Redirect"),
    "search": ("SearchQuery", "Synonym", "SearchIndexEntry", "BoostRule"),
    "wishlists": ("Wishlist", "WishlistItem", "SharedLink"),
    "affiliates": ("Affiliate", "Referral", "Commission", "AffiliatePayout"),
    "gifting": ("GiftCard", "GiftCardTransaction", "GiftMessage"),
    "marketplace": ("Seller", "Listing", "SellerRating", "Settlement", "Dispute"),
    "fleet": ("Vehicle", "Driver", "Route", "RouteStop", "MaintenanceLog"),
    "compliance": ("AuditRecord", "Policy", "RiskAssessment", "DataRequest"),
}

# Fields by type; entities draw a few of each. (name, kind)
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "str"),
    ("title", "str"),
    ("code", "str"),
    ("reference", "str"),
    ("status", "str"),
    ("description", "text"),
    ("email", "str"),
    ("note", "text"),
    ("channel", "str"),
    ("quantity", "int"),
    ("position", "int"),
    ("priority", "int"),
    ("attempts", "int"),
    ("amount", "decimal"),
    ("total", "decimal"),
    ("price", "decimal"),
    ("weight", "decimal"),
    ("is_active", "bool"),
    ("is_archived", "bool"),
    ("is_verified", "bool"),
    ("created_at", "datetime"),
    ("updated_at", "datetime"),
    ("due_on", "date"),
    ("starts_on", "date"),
)

STATUSES = ("new", "pending", "active", "approved", "closed", "cancelled", "failed", "done")

# Operation verbs a service function is named after, with the kind of data access they do.
WRITE_VERBS = (
    "create",
    "approve",
    "cancel",
    "close",
    "archive",
    "assign",
    "recalculate",
    "merge",
    "import",
    "reopen",
    "schedule",
    "expire",
    "sync",
    "adjust",
    "confirm",
)
READ_VERBS = (
    "summarize",
    "find",
    "list",
    "validate",
    "estimate",
    "export",
    "check",
    "score",
    "preview",
    "count",
    "compare",
    "rank",
)
HELPER_VERBS = ("format", "parse", "normalize", "build", "compute", "render", "split", "resolve")
HELPER_NOUNS = ("label", "reference", "summary", "key", "payload", "period", "rows", "filters")

PROJECT_NAMES = (
    "tradedesk",
    "shopfront",
    "harbor",
    "mercato",
    "backoffice",
    "atlas",
    "corestore",
    "hive",
    "ledgerly",
    "basecamp",
    "northwind",
    "storefront",
)
KERNEL_PACKAGES = ("core", "common", "kernel", "platform")
LIBRARIES: dict[str, tuple[str, ...]] = {
    "barcodes": ("encoder", "checksum", "render", "formats"),
    "geohash": ("codec", "neighbours", "bounds"),
    "pdfkit": ("document", "fonts", "layout", "tables", "writer"),
    "slugs": ("transliterate", "slugify", "unique"),
    "ibans": ("countries", "validate", "format"),
}
