from . import customer_product_report
