import { registry } from "@web/core/registry";
import { SelectionField, selectionField } from "@web/views/fields/selection/selection_field";

/**
 * A selection field that does not offer the values of its ``exclude`` option, those another part of the module
 * writes (a reminder the dunning run logs, its outcome "sent"): a user is not offered what the server would refuse
 * from it. A record that holds one of them still shows it.
 */
export class SelectionExceptField extends SelectionField {
    static props = {
        ...SelectionField.props,
        exclude: { type: Array, element: String, optional: true },
    };

    get options() {
        const current = this.props.record.data[this.props.name];
        const excluded = this.props.exclude || [];
        return super.options.filter(([value]) => value === current || !excluded.includes(value));
    }
}

export const selectionExceptField = {
    ...selectionField,
    component: SelectionExceptField,
    supportedTypes: ["selection"],
    supportedOptions: [
        { label: "Values not offered", name: "exclude", type: "string" },
    ],
    extractProps(fieldInfo, dynamicInfo) {
        return { ...selectionField.extractProps(fieldInfo, dynamicInfo), exclude: fieldInfo.options.exclude || [] };
    },
};

registry.category("fields").add("customer_selection_except", selectionExceptField);
