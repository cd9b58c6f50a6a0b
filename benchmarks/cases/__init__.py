"""The benchmark cases; a new module here registers its cases with ``@case`` once imported below."""

from . import credit, partners, sales, statements
