"""Credit exposure of every customer, the figure the credit control, the aging and the risk read."""

from odoo.tools import SQL, float_compare

from ..framework import BaselineMismatch, case
from .partners import user_env


def _customers(env):
    """Every customer (commercial entity) of the data set: 10,000 at the medium scale, 300 at the small one."""
    uenv = user_env(env)
    customers = uenv["res.partner"].search(
        [("customer_rank", ">", 0), "|", ("is_company", "=", True), ("parent_id", "=", False)], order="id"
    )
    return {"env": uenv, "customers": customers}


def exposure_engine(env, fixture):
    """The engine, as the credit check, the aging and the risk call it: one call for every customer."""
    exposures = fixture["env"]["customer.exposure"]._get_exposure(fixture["customers"])
    return {partner_id: exposure.total for partner_id, exposure in exposures.items()}


def exposure_fields(env, fixture):
    """The public field, as a list or a report reads it: the engine once, then the ORM's cache for every record."""
    customers = fixture["customers"]
    return dict(zip(customers.ids, customers.mapped("credit_exposure"), strict=True))


def exposure_sql(env, fixture):
    """One hand-written query: open receivable, draft invoices and confirmed orders not invoiced, per customer."""
    uenv = fixture["env"]
    customers = fixture["customers"]
    env.cr.execute(
        SQL(
            """
            SELECT partner.commercial_partner_id, SUM(amount)
              FROM (
                    SELECT line.partner_id, line.amount_residual AS amount
                      FROM account_move_line line
                      JOIN account_account account ON account.id = line.account_id
                     WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
                       AND NOT line.reconciled AND line.company_id = %(company)s
                 UNION ALL
                    SELECT move.partner_id, move.amount_total_signed
                      FROM account_move move
                     WHERE move.state = 'draft' AND move.move_type IN ('out_invoice', 'out_refund')
                       AND move.company_id = %(company)s
                 UNION ALL
                    SELECT sale.partner_invoice_id,
                           sol.price_total / sol.product_uom_qty
                           * (CASE template.invoice_policy WHEN 'delivery' THEN sol.qty_delivered
                                                           ELSE sol.product_uom_qty END - sol.qty_invoiced)
                           / sale.currency_rate
                      FROM sale_order_line sol
                      JOIN sale_order sale ON sale.id = sol.order_id
                      JOIN product_product product ON product.id = sol.product_id
                      JOIN product_template template ON template.id = product.product_tmpl_id
                     WHERE sale.state = 'sale' AND sale.company_id = %(company)s AND sol.product_uom_qty <> 0
                   ) AS exposure
              JOIN res_partner partner ON partner.id = exposure.partner_id
             WHERE partner.commercial_partner_id IN %(customers)s
             GROUP BY partner.commercial_partner_id
            """,
            company=uenv.company.id,
            customers=tuple(customers.ids),
        )
    )
    return dict(env.cr.fetchall())


def exposure_core(env, fixture):
    """Core's receivable balance (``res.partner.credit``, from ``_credit_debit_get``): one of our three figures."""
    customers = fixture["customers"]
    return dict(zip(customers.ids, customers.mapped("credit"), strict=True))


def verify_exposure(env, fixture):
    """The SQL baseline gives every customer our exposure, and core its receivable balance."""
    exposures = fixture["env"]["customer.exposure"]._get_exposure(fixture["customers"])
    ours = {partner_id: exposure.total for partner_id, exposure in exposures.items()}
    env.invalidate_all()
    fields = exposure_fields(env, fixture)
    currency = fixture["env"].company.currency_id
    if any(currency.compare_amounts(fields[partner_id], exposure) for partner_id, exposure in ours.items()):
        raise BaselineMismatch("exposure: the field credit_exposure does not give the engine's figures")
    sql = exposure_sql(env, fixture)
    # Ours adds three figures each rounded to the cent; the query rounds nothing: up to 1.5 cents apart.
    wrong = [
        partner_id
        for partner_id, exposure in ours.items()
        if abs(exposure - (sql.get(partner_id) or 0.0)) > 1.5 * currency.rounding
    ]
    if wrong:
        raise BaselineMismatch(f"exposure: {len(wrong)} customers differ from the SQL baseline, e.g. {wrong[:5]}")
    env.invalidate_all()
    core = exposure_core(env, fixture)
    wrong = [
        partner_id
        for partner_id, credit in core.items()
        if float_compare(exposures[partner_id].receivable, credit, precision_rounding=currency.rounding)
    ]
    if wrong:
        raise BaselineMismatch(f"exposure: {len(wrong)} receivable balances differ from core's credit")


# Both ways of reading the exposure answer the same question: same customers, same baselines, same check.
EXPOSURE_CASE = {
    "baselines": {"sql": exposure_sql, "core": exposure_core},
    "setup": _customers,
    "verify": verify_exposure,
}


@case("exposure_10k", **EXPOSURE_CASE)
def exposure_10k(env, fixture):
    """Credit exposure of every customer (10,000 at the medium scale): one call of the engine."""
    return exposure_engine(env, fixture)


@case("credit_fields_10k", **EXPOSURE_CASE)
def credit_fields_10k(env, fixture):
    """The credit fields of every customer (10,000 at the medium scale) read through the ORM (credit_exposure)."""
    return exposure_fields(env, fixture)
