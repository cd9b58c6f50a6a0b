from . import customer_zone
from . import customer_channel
from . import res_company
from . import res_config_settings
from . import res_partner
from . import customer_commercial_condition
from . import sale_order
from . import sale_order_line
