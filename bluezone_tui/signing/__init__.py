"""Signing the PDF report and taking a signed one back: above both reports and git."""

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
