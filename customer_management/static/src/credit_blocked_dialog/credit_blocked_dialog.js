import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { WarningDialog, odooExceptionTitleMap } from "@web/core/errors/error_dialogs";

// The credit control's refusals are titled for what they are, not with core's generic "Invalid Operation".
const CREDIT_BLOCKED_ERROR = "odoo.addons.customer_management.exceptions.CreditBlockedError";

odooExceptionTitleMap.set(CREDIT_BLOCKED_ERROR, _t("Refused by the Credit Control"));
registry.category("error_dialogs").add(CREDIT_BLOCKED_ERROR, WarningDialog);
