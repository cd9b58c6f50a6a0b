{
    "name": "Customer Management",
    "summary": "Customer registration, classification, commercial conditions, "
    "receivables and logistics for wholesale and retail distributors",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/customer-management/customer_management",
    "author": "Customer Management contributors",
    "maintainers": ["customer-management"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": True,
    "installable": True,
    # delivery: the customer's preferred carrier is core's property_delivery_carrier_id.
    "depends": [
        "contacts",
        "sale_management",
        "sale_stock",
        "sale_margin",
        "account",
        "base_vat",
        "delivery",
    ],
    "data": [
        "security/customer_management_security.xml",
        "security/ir.model.access.csv",
        "views/customer_zone_views.xml",
        "views/customer_channel_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/customer_credit_release_views.xml",
        "views/sale_order_views.xml",
        "wizard/customer_credit_release_wizard_views.xml",
        "views/customer_management_menus.xml",
    ],
    "demo": [
        "demo/customer_zone_demo.xml",
        "demo/customer_channel_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_management/static/tests/tours/*.js",
        ],
    },
}
