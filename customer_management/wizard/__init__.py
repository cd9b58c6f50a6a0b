from . import customer_credit_release_wizard
from . import customer_statement_run
