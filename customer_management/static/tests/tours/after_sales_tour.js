import { registry } from "@web/core/registry";

// After-sales, in Spanish, as the demo's customer service lead: she files a customer's return of goods it was
// delivered, receives them on the return the claim makes, and credits them from the claim (tests/test_tour.py).
registry.category("web_tour.tours").add("customer_management_service_processes_a_return_tour", {
    steps: () => [
        {
            content: "A new claim",
            trigger: ".o_list_view .o_list_button_add, .o_kanban_view .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The customer",
            trigger: ".o_form_view div[name='partner_id'] input",
            run: "edit Supermercados El Sol",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu a:contains(Supermercados El Sol)",
            run: "click",
        },
        {
            content: "It is a return",
            trigger: ".o_form_view div[name='claim_type'] input[data-value='return']",
            run: "click",
        },
        {
            content: "What it reports",
            trigger: ".o_form_view div[name='description'] .odoo-editor-editable",
            run: "editor Cinco cajas llegaron con el empaque roto.",
        },
        {
            content: "Its products",
            trigger: ".o_form_view .o_notebook a[name='lines']:contains(Productos)",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: ".o_form_view div[name='line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "The order line the goods were sold on",
            trigger: ".o_form_view div[name='line_ids'] .o_data_row div[name='sale_line_id'] input",
            run: "edit Refresco",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu a:contains(Refresco de cola)",
            run: "click",
        },
        {
            content: "Five cases come back",
            trigger: ".o_form_view div[name='line_ids'] .o_data_row div[name='quantity'] input",
            run: "edit 5",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, with its reference",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Create the return",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_create_return']:contains(Crear devolución)",
            run: "click",
        },
        {
            content: "The return opens, linked to its claim",
            trigger: ".o_form_view .oe_stat_button[name='action_open_customer_claim']:contains(Reclamación)",
        },
        {
            content: "Receive the goods",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            content: "Received",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Hecho)",
        },
        {
            content: "Back to the claim",
            trigger: ".o_form_view .oe_stat_button[name='action_open_customer_claim']",
            run: "click",
        },
        {
            content: "Its products again",
            trigger: ".o_form_view .o_notebook a[name='lines']",
            run: "click",
        },
        {
            content: "Its line shows what came back",
            trigger: ".o_form_view div[name='line_ids'] .o_data_row td[name='qty_returned']:contains(5.00)",
        },
        {
            content: "Credit what came back",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name='action_create_credit_note']:contains(Crear nota de crédito)",
            run: "click",
        },
        {
            content: "The credit note opens, linked to its claim",
            trigger: ".o_form_view .oe_stat_button[name='action_open_customer_claim']",
        },
        {
            content: "It credits the five cases",
            trigger: ".o_form_view div[name='invoice_line_ids'] .o_data_row td[name='quantity']:contains(5.00)",
        },
    ],
});
