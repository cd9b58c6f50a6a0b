import { registry } from "@web/core/registry";

// The analytics, in Spanish, as the demo's credit manager: she ranks the customers by what they paid, sorts them by
// their days late to find the least punctual, reads the same ranking in the pivot, then prepares the printed ranking
// by payments (tests/test_customer_sales_report.py).
registry.category("web_tour.tours").add("customer_management_credit_ranks_payments_tour", {
    steps: () => [
        {
            content: "The ranking by payments, grouped by customer",
            trigger: ".o_list_view .o_group_header:contains(Comercializadora del Bajío)",
        },
        {
            content: "Sort the customers by their days late",
            trigger: ".o_list_view th[data-name='days_late']:contains(Días de retraso)",
            run: "click",
        },
        {
            content: "Sorted, the most punctual first",
            trigger: ".o_list_view th[data-name='days_late'] .fa-angle-up:not(.opacity-0)",
        },
        {
            content: "Sort again, the latest payer first",
            trigger: ".o_list_view th[data-name='days_late']",
            run: "click",
        },
        {
            content: "The latest payer comes first",
            trigger: ".o_list_view th[data-name='days_late'] .fa-angle-down:not(.opacity-0)",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot's measures, in Spanish",
            trigger: ".o_pivot th:contains(Cobrado)",
        },
        {
            content: "Open the customers' menu",
            trigger: ".o_menu_sections button:contains(Clientes)",
            run: "click",
        },
        {
            content: "Print the customer ranking",
            trigger: ".dropdown-item:contains(Imprimir la clasificación de clientes)",
            run: "click",
        },
        {
            content: "Rank by payments",
            trigger: ".modal .o_form_view div[name='ranking'] input[data-value='payments']",
            run: "click",
        },
        {
            content: "The first 20 customers",
            trigger: ".modal .o_form_view div[name='limit'] input",
            run: "edit 20",
        },
        {
            content: "The print button, in Spanish",
            trigger: ".modal footer button[name='action_print']:contains(Imprimir)",
        },
        {
            content: "Close without printing",
            trigger: ".modal footer button:contains(Cancelar)",
            run: "click",
        },
        {
            content: "Back on the analysis",
            trigger: "body:not(:has(.modal)) .o_pivot",
        },
    ],
});
