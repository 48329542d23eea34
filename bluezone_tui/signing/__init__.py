"""Signing the PDF report and taking a signed one back: the keys (PKCS#12, PKCS#11), the
signature and its stamp, the check of a signed file, the record of what was sent.

May import: export and everything below it (reports, git, day, registry, base); never
deliver, the board or the command line. Importing it quiets pyHanko's own warnings and logs,
which bluezone says in its own words.
"""

import logging
import warnings

# pyHanko imports cryptography's DSA support, which cryptography marks deprecated: a
# warning on every command's stderr that says nothing to the person signing a report.
warnings.filterwarnings("ignore", message="DSA is deprecated", category=Warning)

# pyHanko and its certificate validator log what they find (a modification, a path not
# built) as warnings with tracebacks; bluezone says what matters in its own words.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False
