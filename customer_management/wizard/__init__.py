from . import customer_credit_release_wizard
from . import customer_credit_release_request_wizard
from . import customer_credit_hold_wizard
from . import customer_statement_run
from . import customer_dunning_run_wizard
from . import customer_ranking_wizard
