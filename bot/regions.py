"""The regions Harbour answers for: the one list every other list is derived from.

The NLU lexicon, the service and school schemas, the tests and the benchmarks import
these names. domain.yml (the `location` slot's values) cannot import Python, so
`make validate` checks it against PLACE_CODES. Importing this module has no side effects.
"""

# UK-wide, the four UK nations, then the other countries Harbour has answers for.
REGION_CODES = ("GB", "GB-ENG", "GB-WLS", "GB-SCT", "GB-NIR", "IE", "US", "AU", "CA")
# A country Harbour has no answers for: it fills the location slot with "unknown", as
# "prefer not to say" does, so the parent isn't asked again and gets the general answer.
ELSEWHERE = "unknown"
PLACE_CODES = REGION_CODES + (ELSEWHERE,)
# Harbour is UK-first: when the region is not known, UK-wide services and answers apply.
DEFAULT_REGION = "GB"
# UK-wide, and the four UK nations: a nation's own service ranks before a UK-wide one.
UK = "GB"
UK_NATIONS = tuple(code for code in REGION_CODES if code.startswith(UK + "-"))
