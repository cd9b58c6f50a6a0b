import { registry } from "@web/core/registry";

// A collector opens an overdue customer, sees its aging on the 360 page, records a payment promise and logs the call.
registry.category("web_tour.tours").add("customer_management_collections_tour", {
    steps: () => [
        {
            content: "Open the Credit and Collections page",
            trigger: ".o_form_view .o_notebook a[name='customer_credit_collections']",
            run: "click",
        },
        {
            content: "The aging bar shows the invoice over 90 days",
            trigger: ".o_customer_aging_bar [data-bucket='over_90'] b:contains(1,200.00)",
        },
        {
            content: "The bar gives the bucket over 90 days its share, and none to the empty ones",
            trigger: ".o_customer_aging_bar .progress-bar.bg-danger:not(.bg-opacity-75)[style*='width']",
            run() {
                const bars = document.querySelectorAll(".o_customer_aging_bar .progress-bar");
                const widths = [...bars].map((bar) => parseFloat(bar.style.width));
                const total = Math.round(widths.reduce((sum, width) => sum + width, 0));
                if (!widths.length || widths.some((width) => !(width > 0)) || total !== 100) {
                    throw new Error(`The aging bar's widths are wrong: ${widths}`);
                }
            },
        },
        {
            content: "Open the Collections page",
            trigger: ".o_form_view .o_notebook a[name='customer_credit_collections']",
            run: "click",
        },
        {
            content: "Record a promise",
            trigger: ".o_form_view button[name='action_record_payment_promise']",
            run: "click",
        },
        {
            content: "A promise being recorded has no status bar and no cancel button yet",
            trigger: ".modal .o_form_view:not(:has(.o_statusbar_status)):not(:has(button[name='action_cancel']))",
        },
        {
            content: "Promised amount",
            trigger: ".modal div[name='amount'] input",
            run: "edit 800",
        },
        {
            // A fixed date: the browser's today may not be the server's.
            content: "Promised date",
            trigger: ".modal div[name='promised_date'] input",
            run: "edit 01/15/2099",
        },
        {
            content: "Save the promise",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The promise is listed, open",
            trigger: ".o_form_view div[name='payment_promise_ids'] .o_data_row:contains(800.00):contains(Open)",
        },
        {
            content: "Log the call",
            trigger: ".o_form_view button[name='action_log_collection_contact']",
            run: "click",
        },
        {
            content: "The dialog offers neither the kind nor the outcome only the dunning run writes",
            trigger: ".modal div[name='outcome'] select",
            run() {
                const offered = (name) =>
                    [...document.querySelectorAll(`.modal div[name='${name}'] select option`)].map((option) =>
                        option.value.replaceAll('"', "")
                    );
                if (offered("kind").includes("dunning") || offered("outcome").includes("sent")) {
                    throw new Error(`Offered: ${offered("kind")} / ${offered("outcome")}`);
                }
                if (!offered("kind").includes("call") || !offered("outcome").includes("promised")) {
                    throw new Error("The manual kinds and outcomes are not offered");
                }
            },
        },
        {
            content: "The customer promised to pay",
            trigger: ".modal div[name='outcome'] select",
            run: "selectByLabel Promised to Pay",
        },
        {
            content: "What was said",
            trigger: ".modal div[name='note'] textarea",
            run: "edit Pagará la factura vencida la próxima semana",
        },
        {
            content: "Save the call",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The call is in the collection log",
            trigger: ".o_form_view div[name='collection_log_ids'] .o_data_row:contains(Promised to Pay)",
        },
    ],
});
