import { registry } from "@web/core/registry";

// After-sales, in Spanish, as the demo's customer service lead: on a claim in progress she logs the call she made
// to the customer, which needs a follow-up by the claim's responsible (tests/test_tour.py).
registry.category("web_tour.tours").add("customer_management_service_logs_a_call_tour", {
    steps: () => [
        {
            content: "The claim's service log",
            trigger: ".o_form_view .o_notebook a[name='service_log']:contains(Bitácora de servicio)",
            run: "click",
        },
        {
            content: "Log a contact",
            trigger: ".o_form_view div[name='service_log_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "A call",
            trigger: ".o_form_view div[name='service_log_ids'] .o_data_row div[name='kind'] select",
            run: "selectByLabel Llamada",
        },
        {
            content: "It needs a follow-up",
            trigger: ".o_form_view div[name='service_log_ids'] .o_data_row div[name='outcome'] select",
            run: "selectByLabel Requiere seguimiento",
        },
        {
            content: "What was said",
            trigger: ".o_form_view div[name='service_log_ids'] .o_data_row div[name='note'] textarea",
            run: "edit El cliente mandará mañana las fotos de los bidones",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The call is in the claim's log, with its outcome",
            trigger:
                ".o_form_view div[name='service_log_ids'] .o_data_row:not(.o_selected_row):has(td[name='outcome']:contains(Requiere seguimiento)):contains(fotos)",
        },
    ],
});
