"""The customer list and the customer form, loaded as the web client loads them."""

from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..framework import BaselineMismatch, case
from ..views import search_filter_domain, view_specification

ACTION = "customer_management.res_partner_action_customer"
MODULE = "customer_management"
# What the web client asks for when it counts the records of a list.
COUNT_LIMIT = 10001


def user_env(env, context=None):
    """The administrator as a web client user: record rules and access rights apply, as for anyone."""
    company = env.ref("base.main_company")
    return env(
        user=env.ref("base.user_admin").id,
        context={"lang": "en_US", "tz": "UTC", "bin_size": True, "allowed_company_ids": company.ids, **(context or {})},
    )


def _customer_list(limit):
    """The fixture of the Customers action's list: its domain with its default filters, both specifications."""

    def setup(env):
        action = env["ir.actions.act_window"]._for_xml_id(ACTION)
        context = safe_eval(action["context"])
        uenv = user_env(env, context)
        domain = safe_eval(action["domain"])
        for key, value in context.items():
            if key.startswith("search_default_") and value:
                filter_name = key.removeprefix("search_default_")
                domain = expression.AND([domain, search_filter_domain(uenv, "res.partner", filter_name)])
        return {
            "env": uenv,
            "domain": domain,
            "limit": limit,
            "ours": view_specification(uenv, "res.partner", "list"),
            "core": view_specification(uenv, "res.partner", "list", without_module=MODULE),
        }

    return setup


def _web_search_read(spec, order=None):
    def run(env, fixture):
        return fixture["env"]["res.partner"].web_search_read(
            fixture["domain"], fixture[spec], order=order, limit=fixture["limit"], count_limit=COUNT_LIMIT
        )

    return run


def verify_partner_list(env, fixture):
    """The SQL baseline returns the same customers, in the same order, and the same count."""
    result = _web_search_read("ours")(env, fixture)
    rows = partner_list_sql(env, fixture)
    ours = ([record["id"] for record in result["records"]], result["length"])
    sql = ([row[0] for row in rows], rows[0][-1] if rows else 0)
    if ours != sql:
        raise BaselineMismatch(f"partner list: web_search_read gives {ours[1]} customers, the SQL {sql[1]}")


def partner_list_sql(env, fixture):
    """One query: the page of customers, the display names of its relations, the total count."""
    uenv = fixture["env"]
    company = str(uenv.company.id)
    env.cr.execute(
        SQL(
            """
            WITH customer AS (
                SELECT p.id, p.customer_rank, p.complete_name
                  FROM res_partner p
                 WHERE p.active AND (p.is_company OR p.parent_id IS NULL)
                   AND (p.customer_rank > 0 OR p.customer_segment IS NOT NULL)
                   AND (p.company_id IS NULL OR p.company_id IN %(companies)s)
            ), page AS (
                -- The order of the action's res_partner_search_mode 'customer' (account), then res.partner's.
                SELECT id FROM customer ORDER BY customer_rank DESC, complete_name, id DESC LIMIT %(limit)s
            )
            SELECT p.id, p.complete_name, p.phone, p.mobile, p.email,
                   p.user_id, user_partner.name, p.team_id, team.name->>'en_US',
                   p.customer_segment, p.payment_mode, p.customer_scope,
                   p.customer_zone_id, zone.complete_name, p.customer_channel_id, channel.name,
                   activity.state, activity.summary,
                   p.street, p.city, p.state_id, state.name, p.country_id, country.name->>'en_US', p.vat,
                   p.invoice_sending_method->>%(company)s, p.invoice_edi_format_store->>%(company)s,
                   ARRAY(SELECT category.name->>'en_US'
                           FROM res_partner_res_partner_category_rel rel
                           JOIN res_partner_category category ON category.id = rel.category_id
                          WHERE rel.partner_id = p.id),
                   p.company_id, company.name,
                   (SELECT COUNT(*) FROM customer) AS length
              FROM page
              JOIN res_partner p ON p.id = page.id
              LEFT JOIN res_users salesperson ON salesperson.id = p.user_id
              LEFT JOIN res_partner user_partner ON user_partner.id = salesperson.partner_id
              LEFT JOIN crm_team team ON team.id = p.team_id
              LEFT JOIN customer_zone zone ON zone.id = p.customer_zone_id
              LEFT JOIN customer_channel channel ON channel.id = p.customer_channel_id
              LEFT JOIN res_country_state state ON state.id = p.state_id
              LEFT JOIN res_country country ON country.id = p.country_id
              LEFT JOIN res_company company ON company.id = p.company_id
              LEFT JOIN LATERAL (
                    SELECT CASE WHEN MIN(a.date_deadline) < CURRENT_DATE THEN 'overdue'
                                WHEN MIN(a.date_deadline) = CURRENT_DATE THEN 'today' ELSE 'planned' END AS state,
                           MIN(a.summary) AS summary
                      FROM mail_activity a
                     WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                    HAVING COUNT(*) > 0
                   ) activity ON TRUE
             ORDER BY p.customer_rank DESC, p.complete_name, p.id DESC
            """,
            company=company,
            companies=tuple(uenv.companies.ids),
            limit=fixture["limit"],
        )
    )
    return env.cr.fetchall()


@case(
    "partner_list_80",
    baselines={"sql": partner_list_sql, "core": _web_search_read("core")},
    setup=_customer_list(80),
    verify=verify_partner_list,
)
def partner_list_80(env, fixture):
    """Customers list, first page: web_search_read of 80 customers with the list view's columns."""
    _web_search_read("ours")(env, fixture)


@case(
    "partner_list_800",
    baselines={"sql": partner_list_sql, "core": _web_search_read("core")},
    setup=_customer_list(800),
    verify=verify_partner_list,
)
def partner_list_800(env, fixture):
    """Customers list, 800 rows: web_search_read of 800 customers with the list view's columns."""
    _web_search_read("ours")(env, fixture)


def _customer_form(env):
    """The busiest customer (most journal items), with the form's specification with and without the module."""
    env.cr.execute(
        "SELECT l.partner_id FROM account_move_line l JOIN res_partner p ON p.id = l.partner_id"
        " WHERE p.customer_segment IS NOT NULL GROUP BY l.partner_id ORDER BY COUNT(*) DESC, l.partner_id LIMIT 1"
    )
    row = env.cr.fetchone()
    uenv = user_env(env)
    partner = uenv["res.partner"].browse(row[0]) if row else uenv["res.partner"].search([], limit=1)
    return {
        "env": uenv,
        "partner": partner,
        "ours": view_specification(uenv, "res.partner", "form"),
        "core": view_specification(uenv, "res.partner", "form", without_module=MODULE),
    }


def _web_read(spec):
    def run(env, fixture):
        return fixture["partner"].web_read(fixture[spec])

    return run


def verify_customer_form(env, fixture):
    """The SQL baseline gives the receivable balance the form shows (core's ``credit``)."""
    credit = fixture["partner"].credit
    sql_credit = customer_form_sql(env, fixture)[0][-1] or 0.0
    if fixture["partner"].currency_id.compare_amounts(credit, float(sql_credit)):
        raise BaselineMismatch(f"customer form: credit {credit}, SQL {sql_credit}")


def customer_form_sql(env, fixture):
    """One query: the customer's row, the display names of the module's relations, its receivable balance."""
    partner = fixture["partner"]
    env.cr.execute(
        SQL(
            """
            SELECT p.*, commercial.name, zone.complete_name, channel.name, team.name->>'en_US',
                   user_partner.name, incoterm.name->>'en_US', delivery.complete_name,
                   (SELECT SUM(l.amount_residual)
                      FROM account_move_line l
                      JOIN account_account account ON account.id = l.account_id
                     WHERE l.partner_id = p.id AND account.account_type = 'asset_receivable'
                       AND l.parent_state = 'posted' AND NOT l.reconciled AND l.company_id = %(company)s) AS credit
              FROM res_partner p
              LEFT JOIN res_partner commercial ON commercial.id = p.commercial_partner_id
              LEFT JOIN customer_zone zone ON zone.id = p.customer_zone_id
              LEFT JOIN customer_channel channel ON channel.id = p.customer_channel_id
              LEFT JOIN crm_team team ON team.id = p.team_id
              LEFT JOIN res_users salesperson ON salesperson.id = p.user_id
              LEFT JOIN res_partner user_partner ON user_partner.id = salesperson.partner_id
              LEFT JOIN account_incoterms incoterm ON incoterm.id = p.customer_incoterm_id
              LEFT JOIN res_partner delivery ON delivery.id = p.customer_delivery_address_id
             WHERE p.id = %(partner)s
            """,
            company=partner.env.company.id,
            partner=partner.id,
        )
    )
    return env.cr.fetchall()


@case(
    "customer_form",
    baselines={"sql": customer_form_sql, "core": _web_read("core")},
    setup=_customer_form,
    verify=verify_customer_form,
)
def customer_form(env, fixture):
    """Customer form opened: web_read of the busiest customer with every field of the form view."""
    _web_read("ours")(env, fixture)
