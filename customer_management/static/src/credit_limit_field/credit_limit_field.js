import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { MonetaryField, monetaryField } from "@web/views/fields/monetary/monetary_field";

/**
 * A credit limit, where 0 means no limit (as in core): read, it says "No limit" instead of 0.00, as the customer's
 * form does; edited, it is the monetary field it is.
 */
export class CreditLimitField extends MonetaryField {
    get formattedValue() {
        if (this.props.readonly && !this.value) {
            return _t("No limit");
        }
        return super.formattedValue;
    }
}

export const creditLimitField = { ...monetaryField, component: CreditLimitField };

registry.category("fields").add("customer_credit_limit", creditLimitField);
