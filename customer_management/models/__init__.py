from . import customer_input
from . import customer_workflow_mixin
from . import customer_exposure
from . import customer_exposure_receivable
from . import customer_behaviour
from . import customer_zone
from . import customer_channel
from . import res_company
from . import res_config_settings

# The partner, one file per concern (see the README's architecture): classification first, as it owns create and
# write; each later concern extends the hooks of the earlier ones.
from . import res_partner
from . import res_partner_credit
from . import customer_commercial_condition
from . import customer_commercial_condition_approval
from . import customer_commercial_condition_history
from . import res_partner_commercial_condition
from . import res_partner_receivable
from . import res_partner_collection
from . import res_partner_customer_360
from . import customer_credit_release
from . import sale_order
from . import sale_order_line
from . import stock_picking
from . import stock_move
from . import mail_message
from . import customer_dunning_level
from . import customer_dunning_entry
from . import customer_dunning_run
from . import customer_payment_promise
from . import customer_collection_log
from . import account_move
from . import account_payment
from . import customer_statement_run
from . import customer_statement_run_line
