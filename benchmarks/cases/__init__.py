"""The benchmark cases; a new module here registers its cases with ``@case`` once imported below."""

from . import credit, logistics, partners, receivables, sales
from . import statements
from . import after_sales
from . import analytics
from . import analytics_risk
from . import analytics_map
