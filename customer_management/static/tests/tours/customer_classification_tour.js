import { registry } from "@web/core/registry";

// Opens a customer (the URL comes from the Python test), classifies it on the Customer page and saves.
registry.category("web_tour.tours").add("customer_management_classification_tour", {
    steps: () => [
        {
            content: "The form has at most six pages, none of them named twice",
            trigger: ".o_form_view .o_notebook a[name='customer_credit_collections']",
            run() {
                const pages = [...document.querySelectorAll(".o_form_view .o_notebook .nav-link")].map((tab) =>
                    tab.textContent.trim()
                );
                if (pages.length > 6 || new Set(pages).size !== pages.length) {
                    throw new Error(`The form's pages: ${pages}`);
                }
            },
        },
        {
            content: "Open the Summary page",
            trigger: ".o_form_view .o_notebook a[name='customer_management']",
            run: "click",
        },
        {
            content: "Classify as wholesale",
            trigger: "div[name='customer_segment'] input[data-value='wholesale']",
            run: "click",
        },
        {
            content: "Pay in cash",
            trigger: "div[name='payment_mode'] input[data-value='cash']",
            run: "click",
        },
        {
            content: "Cash customers get the immediate payment term",
            trigger: "div[name='property_payment_term_id'] input:value(Tour Immediate)",
        },
        {
            content: "Choose the zone",
            trigger: "div[name='customer_zone_id'] input",
            run: "edit Tour Zone South",
        },
        {
            trigger: "div[name='customer_zone_id'] .o-autocomplete--dropdown-item:contains(Tour Zone South)",
            run: "click",
        },
        {
            trigger: "div[name='customer_zone_id'] input:value(Tour Zone South)",
        },
        {
            content: "The zone's salesperson is proposed",
            trigger: ".o_notebook div[name='user_id'] input:value(Tour Seller)",
        },
        {
            content: "Choose the channel",
            trigger: "div[name='customer_channel_id'] input",
            run: "edit Tour Channel",
        },
        {
            trigger: "div[name='customer_channel_id'] .o-autocomplete--dropdown-item:contains(Tour Channel)",
            run: "click",
        },
        {
            trigger: "div[name='customer_channel_id'] input:value(Tour Channel)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_readonly, .o_form_saved",
        },
    ],
});
