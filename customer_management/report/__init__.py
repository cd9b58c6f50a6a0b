from . import customer_statement
