import { registry } from "@web/core/registry";

// A working day, in Spanish, as the demo's own users: the salesperson classifies a customer, hits the credit block
// of a quotation and asks for its release; the credit manager finds it among the blocked quotations and releases
// it; the salesperson reads the answer and confirms; the credit manager approves a commercial condition from its
// activity. Each role's part is a tour of its own, run as that user (see tests/test_tour.py).
const tours = registry.category("web_tour.tours");

/** Throw when a text of the elements ``selector`` (or of their children) is cut by its box. */
function assertNotCut(selector) {
    for (const element of document.querySelectorAll(selector)) {
        for (const text of [element, ...element.querySelectorAll("*")]) {
            if (text.scrollWidth > text.clientWidth + 1) {
                throw new Error(`"${element.textContent.trim()}" is cut`);
            }
        }
    }
}

tours.add("customer_management_salesperson_classifies_tour", {
    steps: () => [
        {
            content: "Open the customer's Customer page",
            trigger: ".o_form_view .o_notebook a[name='customer_management']",
            run: "click",
        },
        {
            content: "Classify it as retail",
            trigger: ".o_form_view div[name='customer_segment'] input[data-value='retail']",
            run: "click",
        },
        {
            content: "It now sells online",
            trigger: ".o_form_view div[name='customer_channel_id'] input",
            run: "edit E-commerce",
        },
        {
            content: "Pick the channel",
            trigger: ".o-autocomplete--dropdown-menu a:contains(E-commerce)",
            run: "click",
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
            content: "Open the page of the commercial conditions",
            trigger: ".o_form_view .o_notebook a[name='sales_purchases']",
            run: "click",
        },
        {
            content: "The history says 'Sin límite' where the limit is 0, the version in force badged",
            trigger:
                ".o_form_view div[name='commercial_condition_ids'] .o_data_row:has(.badge.text-bg-success)" +
                " td[name='credit_limit']:contains(Sin límite)",
        },
    ],
});

tours.add("customer_management_salesperson_requests_release_tour", {
    steps: () => [
        {
            content: "The quotation says, in Spanish, why it cannot be confirmed",
            trigger: ".o_form_view div[name='partner_credit_warning']:contains(No se puede confirmar esta orden)",
        },
        {
            content: "Try to confirm",
            trigger: ".o_form_view .o_form_statusbar button[name='action_confirm']:not(:disabled)",
            run: "click",
        },
        {
            content: "The refusal has a title of its own and says by how much and who can release it",
            trigger:
                ".modal:has(.modal-title:contains(Rechazado por el control de crédito))" +
                " .modal-body:contains(excedería):contains(Patricia Morales Vega)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Ask for the release",
            trigger: ".o_form_view .o_form_statusbar button[name='action_open_credit_release_request']",
            run: "click",
        },
        {
            content: "The dialog names the credit managers who will get it",
            trigger: ".modal div[name='credit_manager_names']:contains(Patricia Morales Vega)",
        },
        {
            content: "Say why",
            trigger: ".modal div[name='note'] textarea",
            run: "edit El cliente liquida su saldo con cheque certificado el viernes",
        },
        {
            content: "Send the request",
            trigger: ".modal button[name='action_request']",
            run: "click",
        },
        {
            content: "The banner says the release was requested, and the button is gone",
            trigger:
                ".o_form_view:not(:has(button[name='action_open_credit_release_request']))" +
                " div[name='partner_credit_warning']:contains(Liberación solicitada por Luis Garza Treviño)",
        },
    ],
});

tours.add("customer_management_credit_manager_releases_tour", {
    steps: () => [
        {
            content: "The blocked quotations open filtered",
            trigger: ".o_searchview_facet:contains(Bloqueadas por crédito)",
        },
        {
            content: "The quotation is among them, badged, and no header or badge of the list is cut",
            trigger: ".o_list_view .o_data_row:contains(Farmacias del Desierto) span.badge:contains(Bloqueado)",
            run() {
                assertNotCut(".o_list_view thead th[data-name], .o_list_view .o_data_row span.badge");
            },
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row:contains(Farmacias del Desierto) td[name='name']",
            run: "click",
        },
        {
            content: "Release the credit block",
            trigger: ".o_form_view .o_form_statusbar button[name='action_open_credit_release']",
            run: "click",
        },
        {
            content: "The dialog shows the salesperson's request",
            trigger: ".modal div[name='request_note']:contains(cheque certificado)",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Autorizado: cliente con historial de pago puntual",
        },
        {
            content: "Release it, for the salesperson to confirm",
            trigger: ".modal button[name='action_release_only']",
            run: "click",
        },
        {
            // The dialog's own form is a form view too: the quotation's, once the dialog is closed.
            content: "The quotation is no longer blocked",
            trigger:
                "body:not(:has(.modal)) .o_action_manager .o_form_view:has(.o_form_saved)" +
                ":not(:has(button[name='action_open_credit_release']))",
        },
    ],
});

tours.add("customer_management_salesperson_confirms_tour", {
    steps: () => [
        {
            content: "The salesperson reads the credit manager's answer on the quotation",
            trigger: ".o-mail-Message:contains(liberó el bloqueo de crédito):contains(historial de pago puntual)",
        },
        {
            content: "Confirm",
            trigger: ".o_form_view .o_form_statusbar button[name='action_confirm']:not(:disabled)",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='sale']",
        },
    ],
});

tours.add("customer_management_approver_approves_tour", {
    steps: () => [
        {
            content: "Open the activities",
            trigger: ".o_menu_systray i[aria-label='Activities']",
            run: "click",
        },
        {
            content: "Open the conditions waiting for approval",
            trigger: ".o-mail-ActivityGroup:contains(Condiciones comerciales del cliente)",
            run: "click",
        },
        {
            content: "No header or state badge of the conditions is cut",
            trigger: ".o_list_view .o_data_row:contains(Supermercados Regio) td[name='partner_id']",
            run() {
                assertNotCut(".o_list_view thead th[data-name], .o_list_view .o_data_row span.badge");
            },
        },
        {
            content: "Open the request",
            trigger: ".o_list_view .o_data_row:contains(Supermercados Regio) td[name='partner_id']",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_approve']",
            run: "click",
        },
        {
            content: "The conditions are in force",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='active']",
        },
    ],
});

// The same request from a phone (390×844): the header's buttons are in the form's action menu there.
tours.add("customer_management_salesperson_requests_release_phone_tour", {
    steps: () => [
        {
            content: "The quotation says, in Spanish, why it cannot be confirmed: the customer's hold and its reason",
            trigger: ".o_form_view div[name='partner_credit_warning']:contains(crédito suspendido):contains(Cheques devueltos)",
        },
        {
            content: "Open the form's actions",
            trigger: ".o_control_panel .o_cp_action_menus button.dropdown-toggle",
            run: "click",
        },
        {
            content: "Ask for the release",
            trigger: ".o-dropdown--menu button[name='action_open_credit_release_request']:contains(Solicitar liberación)",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal div[name='note'] textarea",
            run: "edit Ya entregó el pago certificado en sucursal",
        },
        {
            content: "Send the request",
            trigger: ".modal button[name='action_request']",
            run: "click",
        },
        {
            content: "The banner says the release was requested",
            trigger: ".o_form_view div[name='partner_credit_warning']:contains(Liberación solicitada por Luis Garza Treviño)",
        },
        {
            content: "The page is no wider than the phone",
            trigger: ".o_form_view",
            run() {
                if (document.documentElement.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`The page is ${document.documentElement.scrollWidth}px wide`);
                }
            },
        },
    ],
});

// The credit manager's customers list at 1440×900: the credit status in a column, headers that are not cut, a filter
// panel that fits the screen, and the customers at risk one click away.
tours.add("customer_management_credit_manager_customers_tour", {
    steps: () => [
        {
            content: "A customer on hold shows its status in the list",
            trigger:
                ".o_list_view .o_data_row:contains(Distribuidora Coahuilense) td[name='credit_status'] span.badge:contains(Bloqueado)",
        },
        {
            content: "No column header is cut",
            trigger: ".o_list_view thead th[data-name='credit_status']",
            run() {
                assertNotCut(".o_list_view thead th[data-name]");
            },
        },
        {
            content: "Open the filter panel",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The filter panel fits the screen",
            trigger: ".o_search_bar_menu .o_filter_menu:contains(En riesgo)",
            run() {
                const menu = document.querySelector(".o_search_bar_menu");
                const bottom = menu.getBoundingClientRect().bottom;
                if (bottom > window.innerHeight || menu.scrollHeight > menu.clientHeight + 1) {
                    throw new Error(`The filter panel ends at ${bottom}px, below the screen (${window.innerHeight}px)`);
                }
                const labels = [...menu.querySelectorAll(".o_filter_menu .o_menu_item")].map((item) =>
                    item.textContent.trim()
                );
                if (new Set(labels).size !== labels.length) {
                    throw new Error(`Two filters have the same label: ${labels.join(", ")}`);
                }
            },
        },
        {
            content: "Find the customers at risk",
            trigger: ".o_search_bar_menu .o_filter_menu .o_menu_item:contains(En riesgo)",
            run: "click",
        },
        {
            content: "The customer on hold is among them, and every customer listed is at risk",
            trigger:
                ".o_list_view:has(.o_searchview_facet:contains(En riesgo))" +
                ":has(.o_data_row:contains(Distribuidora Coahuilense))" +
                ":not(:has(.o_data_row td[name='credit_status']:not(:has(span.badge))))",
        },
    ],
});

// The administrator's credit policy, in Spanish: the settings give their units, cut no label, and save.
tours.add("customer_management_administrator_settings_tour", {
    steps: () => [
        {
            content: "The credit warning is a share of the limit",
            trigger: "#customer_credit_warning_percent:contains(Advertencia de crédito) span:contains(%)",
        },
        {
            content: "No label or unit of the module's settings is cut",
            trigger: "#customer_credit_grace_days span:contains(días)",
            run() {
                assertNotCut(
                    "[name^='customer_'][name$='_setting_container'] .o_setting_box .o_form_label, " +
                        "[name^='customer_'][name$='_setting_container'] .o_setting_box .text-muted"
                );
            },
        },
        {
            content: "Give the overdue invoices ten days of grace",
            trigger: "#customer_credit_grace_days div[name='customer_credit_grace_days'] input",
            run: "edit 10",
        },
        {
            content: "Save the settings",
            trigger: ".o_control_panel .o_form_button_save",
            run: "click",
        },
        {
            content: "The settings are saved",
            trigger: ".o-settings-form-view:not(:has(.o_dirty_warning)) #customer_credit_grace_days input",
            run() {
                if (this.anchor.value !== "10") {
                    throw new Error(`The grace days read ${this.anchor.value} once saved`);
                }
            },
        },
    ],
});

// The salesperson gives a customer its receiving hours (Tuesday 09:00-13:00 in Monterrey), then confirms a
// quotation promised for a Sunday once its delivery date is moved to the next slot.
tours.add("customer_management_salesperson_sets_delivery_window_tour", {
    steps: () => [
        {
            content: "Open the customer's Summary page",
            trigger: ".o_form_view .o_notebook a[name='customer_management']",
            run: "click",
        },
        {
            content: "Read the windows in Monterrey's time",
            trigger: ".o_form_view div[name='tz'] select",
            run: 'select "America/Monterrey"',
        },
        {
            content: "Add a delivery window",
            trigger: ".o_form_view div[name='delivery_window_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "On Tuesdays",
            trigger: ".o_form_view div[name='delivery_window_ids'] .o_data_row td[name='weekday'] select",
            run: 'select "1"',
        },
        {
            content: "From 09:00",
            trigger: ".o_form_view div[name='delivery_window_ids'] .o_data_row td[name='hour_from'] input",
            run: "edit 09:00",
        },
        {
            content: "To 13:00",
            trigger: ".o_form_view div[name='delivery_window_ids'] .o_data_row td[name='hour_to'] input",
            run: "edit 13:00",
        },
        {
            content: "Save the customer",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The window is saved, in Spanish",
            trigger: ".o_form_view:has(.o_form_saved) div[name='delivery_window_ids'] td[name='weekday']:contains(Martes)",
        },
    ],
});

tours.add("customer_management_salesperson_confirms_in_window_tour", {
    steps: () => [
        {
            content: "The quotation warns that Sunday is outside the customer's windows and names the next slot",
            trigger: ".o_form_view div[name='delivery_window_warning']:contains(fuera de las ventanas de entrega):contains(Martes 09:00-13:00)",
        },
        {
            content: "Deliver in the next slot",
            trigger: ".o_form_view button[name='action_use_next_delivery_slot']",
            run: "click",
        },
        {
            content: "The warning is gone",
            trigger: ".o_form_view:not(:has(div[name='delivery_window_warning']:visible)) .o_form_statusbar button[name='action_confirm']",
        },
        {
            content: "The quotation shows the customer's delivery conditions",
            trigger: ".o_form_view div[name='delivery_rules_text']:contains(Ventanas (America/Monterrey): Martes 09:00-13:00)",
        },
        {
            content: "Confirm the order",
            trigger: ".o_form_view .o_form_statusbar button[name='action_confirm']:not(:disabled)",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='sale']",
        },
    ],
});

tours.add("customer_management_dispatcher_follows_deliveries_tour", {
    steps: () => [
        {
            content: "The customer counts its dispatched deliveries",
            trigger: ".o_form_view button.oe_stat_button:contains(Despachadas)",
            run: "click",
        },
        {
            content: "They are listed with their carrier and tracking number, in Spanish",
            trigger: ".o_list_view th[data-name='carrier_tracking_ref']:contains(Rastreo)",
        },
        {
            content: "The last delivery went by parcel service, with its tracking number",
            trigger: ".o_list_view .o_data_row:has(td[name='carrier_id']:contains(Paquetería Express del Norte)) td[name='carrier_tracking_ref']:contains(PEN-7734-0457)",
        },
        {
            content: "No column header is cut",
            trigger: ".o_list_view thead",
            run() {
                assertNotCut(".o_list_view thead th .o_list_column_title, .o_list_view thead th span");
            },
        },
        {
            content: "Open the delivery",
            trigger: ".o_list_view td[name='carrier_tracking_ref']:contains(PEN-7734-0457)",
            run: "click",
        },
        {
            content: "The delivery opens, with its carrier's tracking button",
            trigger: ".o_form_view:has(.oe_title:contains(/OUT/)) button.oe_stat_button[name='open_website_url']",
        },
    ],
});
