package dev.bilevel.cli;

/** How a listing is printed: an aligned text table, CSV (RFC 4180 quoting) or JSON. */
enum OutputFormat {
    /** Aligned columns for people. */
    TABLE,
    /** Comma-separated values with a header row. */
    CSV,
    /** A JSON array of objects (or one object). */
    JSON
}
