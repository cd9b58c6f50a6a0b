import { registry } from "@web/core/registry";

// A credit manager meets a quotation over its customer's limit, is refused at confirmation, and releases it.
registry.category("web_tour.tours").add("customer_management_credit_release_tour", {
    steps: () => [
        {
            content: "The quotation says why it cannot be confirmed",
            trigger: ".o_form_view .alert-warning div[name='partner_credit_warning']:contains(Tour Limit Reason)",
        },
        {
            content: "Try to confirm",
            trigger: ".o_form_view button[name='action_confirm']:not(:disabled):visible",
            run: "click",
        },
        {
            content: "The confirmation is refused with the figures",
            trigger: ".modal .o_dialog_error, .modal-body:contains(cannot be confirmed)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Release the credit block",
            trigger: ".o_form_view button[name='action_open_credit_release']",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name='reason'] textarea, .modal div[name='reason'] input",
            run: "edit Pedido de temporada autorizado por dirección",
        },
        {
            content: "Release and confirm",
            trigger: ".modal button[name='action_release']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='sale']",
        },
    ],
});
