"""Install and uninstall hooks: the customers that exist before the module get their first versions."""


def post_init_hook(env):
    """Record the terms of the customers that exist before the module, so that their history is complete."""
    env["res.partner"].search([("customer_rank", ">", 0)])._record_installation_conditions()
    # The buying behaviour of the customers that already sold, rather than waiting for the daily refresh.
    env["res.partner"]._refresh_customer_behaviour()


def uninstall_hook(env):
    """Bring back core's Sales > Orders > Customers, which the module's Customers menu replaced."""
    menu = env.ref("sale.res_partner_menu", raise_if_not_found=False)
    if menu:
        menu.active = True
