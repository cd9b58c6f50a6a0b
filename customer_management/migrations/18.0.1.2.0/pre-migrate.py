def migrate(cr, version):
    """The aging bar is a view widget now, not the field ``customer_aging_bar``: the 360 page's view in the database
    drops the field before the module's views are loaded, which would validate the form with it still there."""
    cr.execute(
        """
        UPDATE ir_ui_view view
           SET arch_db = (
               SELECT jsonb_object_agg(
                          arch.key, regexp_replace(arch.value, '<field name="customer_aging_bar"[^>]*/>', '', 'g')
                      )
                 FROM jsonb_each_text(view.arch_db) arch
           )
          FROM ir_model_data data
         WHERE data.model = 'ir.ui.view'
           AND data.module = 'customer_management'
           AND data.name = 'res_partner_view_form_customer_360'
           AND view.id = data.res_id
           AND view.arch_db::text LIKE '%customer_aging_bar%'
        """
    )
