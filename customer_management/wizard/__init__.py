from . import customer_credit_release_wizard
