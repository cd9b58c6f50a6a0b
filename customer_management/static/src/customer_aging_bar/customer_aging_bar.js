import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { formatMonetary } from "@web/views/fields/formatters";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

// The aging buckets of the customer's open receivable, in order, with the colour of each (Bootstrap classes): the
// partner's fields that the exposure engine computes (see AGING_BUCKET_DAYS in models/customer_exposure.py).
export const AGING_BUCKETS = [
    { key: "not_due", field: "receivable_not_due", colour: "bg-success" },
    { key: "1_30", field: "receivable_1_30", colour: "bg-info" },
    { key: "31_60", field: "receivable_31_60", colour: "bg-warning" },
    { key: "61_90", field: "receivable_61_90", colour: "bg-danger bg-opacity-75" },
    { key: "over_90", field: "receivable_over_90", colour: "bg-danger" },
];

/**
 * The customer 360's stacked bar of the open receivable by aging bucket, with the amount of each below it, drawn
 * from the record's aging fields: nothing more to compute on the server. The widths are the shares of the positive
 * buckets (a bucket of credit notes or advances not applied has no width).
 */
export class CustomerAgingBar extends Component {
    static template = "customer_management.CustomerAgingBar";
    static props = { ...standardWidgetProps };

    get buckets() {
        const { data, fields } = this.props.record;
        const positive = AGING_BUCKETS.reduce((sum, { field }) => sum + Math.max(data[field] || 0, 0), 0);
        return AGING_BUCKETS.map(({ key, field, colour }) => {
            const amount = data[field] || 0;
            const label = fields[field].string;
            const formatted = formatMonetary(amount, { data }); // in the record's currency_id
            return {
                key,
                label,
                colour,
                amount: formatted,
                title: `${label}: ${formatted}`,
                width: positive && amount > 0 ? (100 * amount) / positive : 0,
            };
        });
    }
}

export const customerAgingBar = {
    component: CustomerAgingBar,
    fieldDependencies: [
        { name: "currency_id", type: "many2one" },
        ...AGING_BUCKETS.map(({ field }) => ({ name: field, type: "monetary" })),
    ],
};

registry.category("view_widgets").add("customer_aging_bar", customerAgingBar);
