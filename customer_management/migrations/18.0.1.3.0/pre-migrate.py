# The customer form's pages changed: the Customer page became the Summary (with the 360's figures), credit,
# receivables and collections share one page, the conditions moved into core's Sales & Purchase page, and the
# statement left the header for the Print and Action menus. The module's views that extend the old pages are
# removed before the views are loaded, which would validate the new form with them still there; the update
# creates them again from the module's files.
EXTENDING_VIEWS = (
    "res_partner_view_form_receivable",
    "res_partner_view_form_collections",
    "res_partner_view_form_customer_360",
    "res_partner_view_form_statement",
)


def migrate(cr, version):
    cr.execute(
        """
        WITH removed AS (
            DELETE FROM ir_model_data
             WHERE module = 'customer_management' AND model = 'ir.ui.view' AND name IN %s
         RETURNING res_id
        )
        DELETE FROM ir_ui_view WHERE id IN (SELECT res_id FROM removed)
        """,
        [EXTENDING_VIEWS],
    )
