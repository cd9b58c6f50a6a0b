"""The customer map's data call for every customer, as the map asks for it when it opens."""

from odoo.tools import SQL

from ..framework import BaselineMismatch, case
from .partners import user_env


def _map(env):
    """The administrator as a web client user, in the main company."""
    return {"env": user_env(env)}


def map_data_sql(env, fixture):
    """The same answer's heart by hand: the customers with their place and 12-month sales, and the sums per state
    and per country, three queries."""
    company = str(fixture["env"].company.id)
    sales = SQL("COALESCE((partner.sales_amount_12m->>%s)::float, 0)", company)
    customers = SQL(
        """(partner.is_company OR partner.parent_id IS NULL)
           AND (partner.customer_rank > 0 OR partner.customer_segment IS NOT NULL)
           AND partner.active
           AND (partner.company_id IS NULL OR partner.company_id IN %s)""",
        tuple(fixture["env"].companies.ids),
    )
    env.cr.execute(
        SQL(
            """SELECT partner.id, partner.name, partner.partner_latitude, partner.partner_longitude,
                      partner.state_id, %s
                 FROM res_partner partner WHERE %s""",
            sales,
            customers,
        )
    )
    markers = env.cr.fetchall()
    regions = {}
    for column in ("state_id", "country_id"):
        env.cr.execute(
            SQL(
                "SELECT partner.%s, COUNT(*), SUM(%s) FROM res_partner partner WHERE %s GROUP BY 1",
                SQL.identifier(column),
                sales,
                customers,
            )
        )
        regions[column] = env.cr.fetchall()
    return {"markers": markers, "regions": regions}


def verify_map_data(env, fixture):
    """The map places every customer the query finds that has a state or a country with a shape."""
    ours = map_data_10k(env, fixture)
    sql = map_data_sql(env, fixture)
    placed = len(ours["markers"]) + ours["unplaced"]
    if placed != len(sql["markers"]):
        raise BaselineMismatch(f"customer map: {placed} customers, the SQL {len(sql['markers'])}")
    if not ours["markers"] or not ours["states"]:
        raise BaselineMismatch("customer map: the data set has no customer on the map")


@case("map_data_10k", baselines={"sql": map_data_sql}, setup=_map, verify=verify_map_data)
def map_data_10k(env, fixture):
    """The customer map's data for every customer (markers coloured by the 12-month sales, states and countries).

    A constant number of queries (7 whatever the customers); the SQL skips the access rules and the shapes' matching,
    so the ratio measures what they cost (about 18 at the small scale, 300 customers, fixed costs first)."""
    return fixture["env"]["res.partner"].get_customer_map_data([], "sales")
