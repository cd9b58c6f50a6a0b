from . import customer_receivable_mixin
from . import customer_receivable_item_report
from . import customer_receivable_report
from . import customer_product_report
from . import customer_claim_report
from . import customer_statement
