"""Sale order confirmation, the moment the credit control will check the customer."""

from odoo import Command

from ..framework import case
from .partners import user_env

ORDER_LINES = 5


def _order_fixture(env):
    """A classified customer on credit, and goods to sell it (their confirmation makes a delivery)."""
    uenv = user_env(env)
    partner = uenv["res.partner"].search(
        [
            ("customer_segment", "=", "wholesale"),
            ("payment_mode", "=", "credit"),
            ("customer_zone_id", "!=", False),
            ("team_id", "!=", False),
            ("user_id", "!=", False),
        ],
        order="id",
        limit=1,
    )
    products = uenv["product.product"].search([("type", "=", "consu"), ("sale_ok", "=", True)], order="id", limit=5)
    # The customer passes the check (no limit, no overdue beyond its grace days): the check runs in full, and the
    # order is confirmed as the baseline's is. Undone with the rest of the run.
    partner.sudo().write({"credit_limit": 0.0, "credit_hold": False, "credit_grace_days": 100000})
    return {"env": uenv, "partner": partner, "products": products}


def _draft_order(env, fixture):
    """A fresh quotation of five lines for each run, made before the clock starts."""
    products = fixture["products"]
    return fixture["env"]["sale.order"].create(
        {
            "partner_id": fixture["partner"].id,
            "order_line": [
                Command.create({"product_id": products[index % len(products)].id, "product_uom_qty": index + 1})
                for index in range(ORDER_LINES)
            ],
        }
    )


def confirm_without_module_checks(env, order):
    """Core's confirmation: the module's check skipped by its private entry point, so that the ratio is what the
    credit check adds to core's confirmation (target <= 1.15)."""
    order._confirm_without_credit_check()


@case(
    "sale_order_confirm",
    baselines={"core": confirm_without_module_checks},
    setup=_order_fixture,
    prepare=_draft_order,
)
def sale_order_confirm(env, order):
    """Sale order confirmation: action_confirm of a 5-line order of goods (delivery created)."""
    order.action_confirm()
