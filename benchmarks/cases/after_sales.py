"""The claims analysis of every customer's after-sales cases, as its pivot reads it."""

from odoo.tools import SQL

from ..framework import BaselineMismatch, case
from .partners import user_env

# The pivot's rows of the claims analysis, and the measures it sums or averages.
GROUPINGS = ("partner_id", "category_id")
MEASURES = ("claim_count", "quantity", "resolution_hours", "sla_compliance")


def _claims(env):
    """The administrator as a web client user, in the main company: the claims of the others are left out by the
    report's rule, as for anyone."""
    return {"env": user_env(env)}


def claims_report_read_group(env, fixture):
    """The report as the pivot reads it, one ``_read_group`` per grouping, each measure by its field's aggregator
    (distinct claims, sums, averages): ``{grouping: {id or None: figures}}``."""
    report = fixture["env"]["customer.claim.report"]
    specs = [f"{fname}:{report._fields[fname].aggregator}" for fname in MEASURES]
    return {
        grouping: {group.id or None: tuple(values) for group, *values in report._read_group([], [grouping], specs)}
        for grouping in GROUPINGS
    }


def claims_report_sql(env, fixture):
    """The same questions by hand, one query per grouping as the pivot asks them: the claims with their stages and
    their lines summed per claim, so that each claim's figures count once without a distinct count."""
    result = {}
    for grouping in GROUPINGS:
        env.cr.execute(
            SQL(
                """
                SELECT claim.%(grouping)s, COUNT(*), SUM(COALESCE(line.quantity, 0)),
                       AVG(CASE WHEN stage.is_closed AND claim.date_closed IS NOT NULL
                                THEN EXTRACT(EPOCH FROM claim.date_closed - claim.create_date) / 3600 END),
                       AVG(CASE WHEN stage.is_closed AND claim.sla_id IS NOT NULL
                                THEN CASE WHEN claim.sla_closed_late THEN 0 ELSE 100 END END)
                  FROM customer_claim claim
                  JOIN customer_claim_stage stage ON stage.id = claim.stage_id
             LEFT JOIN (SELECT claim_id, SUM(quantity) AS quantity FROM customer_claim_line GROUP BY claim_id) line
                       ON line.claim_id = claim.id
                 WHERE claim.company_id IN %(companies)s
              GROUP BY claim.%(grouping)s
                """,
                grouping=SQL.identifier(grouping),
                companies=tuple(fixture["env"].companies.ids),
            )
        )
        result[grouping] = {group_id: tuple(figures) for group_id, *figures in env.cr.fetchall()}
    return result


def _same(value, sql_value):
    """Whether a figure of the report is the query's: both empty, or equal beyond rounding."""
    empty = value is None or value is False
    if empty or sql_value is None:
        return empty and sql_value is None
    return abs(value - float(sql_value)) <= 1e-6


def _differ(ours, sql):
    """Whether two rows of figures differ: the counts exactly, the sums and averages beyond rounding."""
    (count, *values), (sql_count, *sql_values) = ours, sql
    return count != sql_count or not all(map(_same, values, sql_values))


def verify_claims_report(env, fixture):
    """The report gives each customer and each category the figures of the hand-written query."""
    ours = claims_report_read_group(env, fixture)
    sql = claims_report_sql(env, fixture)
    for grouping in GROUPINGS:
        if ours[grouping].keys() != sql[grouping].keys():
            raise BaselineMismatch(
                f"claims report by {grouping}: {len(ours[grouping])} groups, the SQL {len(sql[grouping])}"
            )
        wrong = [key for key, figures in ours[grouping].items() if _differ(figures, sql[grouping][key])]
        if wrong:
            key = wrong[0]
            raise BaselineMismatch(
                f"claims report by {grouping}: {len(wrong)} groups differ, e.g. {key}: {ours[grouping][key]} != "
                f"{sql[grouping][key]}"
            )
    figures = list(ours["partner_id"].values())
    if not figures or not any(row[2] for row in figures) or not any(row[3] for row in figures):
        raise BaselineMismatch("claims report: the data set has no closed claim with an SLA to measure")


@case("claims_report_10k", baselines={"sql": claims_report_sql}, setup=_claims, verify=verify_claims_report)
def claims_report_10k(env, fixture):
    """Claims analysis of 10,000 customers' claims (medium scale), by customer and by category, as the pivot reads it.

    Distinct claims, quantities, average resolution time and SLA compliance; target <= 1.5 against the SQL."""
    return claims_report_read_group(env, fixture)
