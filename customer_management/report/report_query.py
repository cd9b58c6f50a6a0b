"""Report models built as core's sale.report: a query from its WITH, SELECT, FROM, WHERE and GROUP BY parts."""

from odoo.tools import SQL


def build_report_query(report):
    """The query of a report model built as core's ``sale.report``: ``WITH`` its ``_with()`` when it has one,
    ``SELECT`` its ``_select()``, ``FROM`` its ``_from()``, ``WHERE`` its ``_where()`` and ``GROUP BY`` its
    ``_group_by()`` when it has one, each returning ``SQL``: another concern adds a column by extending them."""
    with_ = report._with() if hasattr(report, "_with") else SQL()
    group_by = report._group_by() if hasattr(report, "_group_by") else SQL()
    return SQL(
        "%s SELECT %s FROM %s WHERE %s %s",
        SQL("WITH %s", with_) if with_ else SQL(),
        report._select(),
        report._from(),
        report._where(),
        SQL("GROUP BY %s", group_by) if group_by else SQL(),
    )
