"""Bad input over RPC: a translated refusal naming the field, never a server error, and nothing written."""

import xmlrpc.client

from odoo.addons.base.controllers.rpc import RPC_FAULT_CODE_WARNING
from odoo.tests import tagged

from .common import COLLECTOR_GROUPS, CREDIT_MANAGER_GROUPS, MANAGER_GROUPS, SALESPERSON_GROUPS, RpcCase

VALIDATION_ERROR = "odoo.exceptions.ValidationError"
USER_ERROR = "odoo.exceptions.UserError"

# (field, bad value, label the refusal names, exception) of the customer's own fields a salesperson writes.
PARTNER_BAD_VALUES = [
    ("customer_segment", "foo", "Segment", VALIDATION_ERROR),
    ("payment_mode", "x", "Payment Mode", VALIDATION_ERROR),
    ("customer_zone_id", "abc", "Zone", VALIDATION_ERROR),
    ("customer_zone_id", 999999999, "Zone", VALIDATION_ERROR),
    ("customer_channel_id", "1", "Channel", VALIDATION_ERROR),
    ("team_id", [1], "Sales Team", VALIDATION_ERROR),
    ("customer_picking_policy", "later", "Shipping Policy", VALIDATION_ERROR),
    ("customer_discount_percent", "abc", "Customer Discount (%)", VALIDATION_ERROR),
    ("customer_delivery_address_id", 1.5, "Default Delivery Address", VALIDATION_ERROR),
    ("customer_scope", "international", "Scope", USER_ERROR),
    ("credit_exposure", 5.0, "Credit Exposure", USER_ERROR),
]
# The same for the credit fields, which a credit manager writes.
CREDIT_BAD_VALUES = [
    ("credit_limit", "abc", "Credit Limit", VALIDATION_ERROR),
    ("credit_limit", True, "Credit Limit", VALIDATION_ERROR),
    ("credit_grace_days", "abc", "Overdue Grace Days", VALIDATION_ERROR),
    ("credit_grace_days", 2.5, "Overdue Grace Days", VALIDATION_ERROR),
    ("credit_hold", "yes", "Credit Hold", VALIDATION_ERROR),
]
# The figures computed when read, without a search in SQL.
UNSEARCHABLE_FIGURES = [
    ("credit_exposure", "Credit Exposure"),
    ("credit_available", "Credit Available"),
    ("credit_status", "Credit Status"),
    ("customer_credit_limit", "Credit Limit in Force"),
    ("avg_days_to_pay", "Average Days to Pay"),
    ("broken_promise_count", "Broken Promises (12 Months)"),
]


@tagged("post_install", "-at_install")
class TestBadInputRpc(RpcCase):
    """Bad input over RPC gets a translated refusal naming the field, never a server error, and writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_rpc_user("cm_bad_seller", SALESPERSON_GROUPS)
        cls.credit_manager = cls._create_rpc_user("cm_bad_credit", f"{SALESPERSON_GROUPS},{CREDIT_MANAGER_GROUPS}")
        cls.collector = cls._create_rpc_user("cm_bad_collector", COLLECTOR_GROUPS)
        cls.manager = cls._create_rpc_user("cm_bad_manager", MANAGER_GROUPS)
        cls.zone = cls.env["customer.zone"].create({"name": "Bajío", "code": "T-BAD"})
        cls.channel = cls.env["customer.channel"].create({"name": "Tiendas", "code": "T-BAD"})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Abarrotes Entrada Mala",
                "is_company": True,
                "customer_rank": 1,
                "customer_segment": "retail",
                "payment_mode": "credit",
                "customer_zone_id": cls.zone.id,
                "customer_channel_id": cls.channel.id,
                "customer_discount_percent": 5.0,
                "credit_grace_days": 3,
                "user_id": cls.seller.id,
            }
        )
        cls.customer.credit_limit = 1000.0
        cls.other = cls.env["res.partner"].create({"name": "Ferretería Entrada Mala", "is_company": True})

    def assertRefused(self, call, exception, label):
        """``call()`` fails over XML-RPC with a refusal naming ``label``, not with a server error's traceback.

        XML-RPC sends Odoo's user errors (``exception``, a ValidationError or a UserError) as a warning fault of
        their message only; the JSON-RPC tests check the exception's class.
        """
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            call()
        fault = caught.exception
        self.assertNotIn("Traceback (most recent call last)", fault.faultString)
        self.assertEqual(fault.faultCode, RPC_FAULT_CODE_WARNING, f"{exception} expected, got: {fault.faultString}")
        self.assertIn(label, fault.faultString)
        return fault.faultString

    def _partner_values(self, fnames):
        self.env.invalidate_all()
        return self.customer.sudo().read(fnames)[0]

    def test_partner_write_of_bad_values_is_refused_and_changes_nothing(self):
        """A value of the wrong type for a customer field is refused, naming it, and the customer is unchanged."""
        for user, table in ((self.seller, PARTNER_BAD_VALUES), (self.credit_manager, CREDIT_BAD_VALUES)):
            for fname, value, label, exception in table:
                with self.subTest(field=fname, value=value):
                    before = self._partner_values([fname, "customer_zone_id"])
                    self.assertRefused(
                        lambda user=user, fname=fname, value=value: self._xml_rpc(
                            user, "res.partner", "write", [self.customer.id], {fname: value}
                        ),
                        exception,
                        label,
                    )
                    self.assertEqual(self._partner_values([fname, "customer_zone_id"]), before)

    def test_partner_create_with_bad_value_creates_nothing(self):
        """Creating a customer with a value of the wrong type is refused and creates no partner."""
        for fname, value, label, exception in PARTNER_BAD_VALUES:
            with self.subTest(field=fname, value=value):
                self.assertRefused(
                    lambda fname=fname, value=value: self._xml_rpc(
                        self.seller, "res.partner", "create", {"name": "Cliente Nuevo Malo", fname: value}
                    ),
                    exception,
                    label,
                )
                self.assertFalse(self.env["res.partner"].search([("name", "=", "Cliente Nuevo Malo")]))

    def test_module_models_refuse_bad_values_and_create_nothing(self):
        """The module's own models refuse values of the wrong type, naming the field, and create no record."""
        cases = [
            (self.seller, "customer.commercial.condition", {"date_from": "2026-13-45"}, "Valid From"),
            (self.seller, "customer.commercial.condition", {"credit_limit": "abc"}, "Credit Limit"),
            (self.seller, "customer.commercial.condition", {"payment_mode": "x"}, "Payment Mode"),
            (self.seller, "customer.commercial.condition", {"pricelist_id": "abc"}, "Pricelist"),
            (self.collector, "customer.payment.promise", {"amount": "abc", "promised_date": "2030-01-01"}, "Amount"),
            (self.collector, "customer.payment.promise", {"amount": 10.0, "promised_date": "mañana"}, "Promised Date"),
            (self.collector, "customer.collection.log", {"kind": "fax"}, "Kind"),
            (self.collector, "customer.collection.log", {"date": "2026-02-30 10:00:00"}, "Date"),
            (self.collector, "customer.collection.log", {"invoice_ids": "abc"}, "Invoices"),
            (self.manager, "customer.zone", {"name": "Zona Mala", "sequence": "abc"}, "Sequence"),
            (self.manager, "customer.zone", {"name": "Zona Mala", "parent_id": 999999999}, "Parent Zone"),
            (self.manager, "customer.channel", {"name": "Canal Malo", "sequence": "1"}, "Sequence"),
            (self.manager, "customer.dunning.level", {"name": "Nivel Malo", "days_overdue": "abc"}, "Days Overdue"),
            (self.collector, "customer.statement.run.wizard", {"date_from": "2026-13-45"}, "From"),
            (self.collector, "customer.statement.run.wizard", {"customer_segment": "foo"}, "Segment"),
        ]
        for user, model, values, label in cases:
            with self.subTest(model=model, values=values):
                Model = self.env[model].sudo().with_context(active_test=False)
                count = Model.search_count([])
                if "partner_id" in Model._fields and model != "customer.statement.run.wizard":
                    values = {"partner_id": self.customer.id, **values}
                self.assertRefused(
                    lambda user=user, model=model, values=values: self._xml_rpc(user, model, "create", values),
                    VALIDATION_ERROR,
                    label,
                )
                self.assertEqual(Model.search_count([]), count)

    def test_module_model_write_of_bad_value_changes_nothing(self):
        """Writing a text id to a zone's parent is refused and does not clear the parent."""
        child = self.env["customer.zone"].create({"name": "León", "code": "T-BAD-LEON", "parent_id": self.zone.id})
        self.assertRefused(
            lambda: self._xml_rpc(self.manager, "customer.zone", "write", [child.id], {"parent_id": "abc"}),
            VALIDATION_ERROR,
            "Parent Zone",
        )
        self.env.invalidate_all()
        self.assertEqual(child.parent_id, self.zone)

    def test_summary_of_ids_that_are_not_integers_is_refused(self):
        """The customer summary of ids that are not integers is a translated refusal, not a server error."""
        self.assertRefused(
            lambda: self._xml_rpc(self.seller, "res.partner", "get_customer_summary", ["abc"]), USER_ERROR, "ids"
        )

    def test_actions_on_one_customer_refuse_several(self):
        """The customer's one-record actions called on two customers are refused, not a server error."""
        ids = [self.customer.id, self.other.id]
        for method, context in (
            ("action_open_customer_360", {"customer_360_count": "customer_quotation_count"}),
            ("action_open_commercial_conditions", {}),
            ("action_open_loyalty_programs", {}),
            ("action_send_customer_statement", {}),
            ("action_log_collection_contact", {}),
            ("action_open_credit_hold", {}),
        ):
            with self.subTest(method=method):
                self.assertRefused(
                    lambda method=method, context=context: self._xml_rpc(
                        self.seller, "res.partner", method, ids, context=context
                    ),
                    USER_ERROR,
                    "one record at a time",
                )
        zones = self.zone | self.env["customer.zone"].create({"name": "Sureste", "code": "T-BAD-SE"})
        self.assertRefused(
            lambda: self._xml_rpc(self.seller, "customer.zone", "action_view_customers", zones.ids),
            USER_ERROR,
            "one record at a time",
        )

    def test_sorting_by_a_figure_not_stored_is_refused(self):
        """Sorting the customers by a figure computed when read is refused, naming it."""
        self.assertRefused(
            lambda: self._xml_rpc(self.collector, "res.partner", "search", [], order="credit_exposure desc"),
            USER_ERROR,
            "Credit Exposure",
        )

    def test_searching_a_figure_not_stored_is_refused(self):
        """Searching the customers by a figure computed when read is refused instead of returning every partner."""
        for fname, label in UNSEARCHABLE_FIGURES:
            with self.subTest(field=fname):
                self.assertRefused(
                    lambda fname=fname: self._xml_rpc(self.seller, "res.partner", "search", [(fname, ">", 0)]),
                    USER_ERROR,
                    label,
                )

    def test_receivable_figures_still_search_and_sort(self):
        """The receivable figures, searched and sorted in SQL by the exposure engine, are not refused."""
        found = self._xml_rpc(
            self.collector, "res.partner", "search", [("overdue_amount", "=", 0), ("id", "=", self.customer.id)],
            order="overdue_amount desc",
        )  # fmt: skip
        self.assertEqual(found, [self.customer.id])

    def test_good_values_are_still_written(self):
        """Values of the right type, ids and dates as RPC sends them, are written."""
        self._xml_rpc(
            self.seller,
            "res.partner",
            "write",
            [self.customer.id],
            {"customer_segment": "wholesale", "customer_zone_id": False, "customer_discount_percent": 7},
        )
        self.env.invalidate_all()
        self.assertRecordValues(
            self.customer,
            [{"customer_segment": "wholesale", "customer_zone_id": False, "customer_discount_percent": 7}],
        )

    def test_json_rpc_refusal_names_the_field(self):
        """Over JSON-RPC a bad value is a ValidationError naming the field, and the customer is unchanged."""
        response = self._json_rpc(self.seller, "res.partner", "write", [self.customer.id], {"customer_segment": "foo"})
        self.assertEqual(response["error"]["data"]["name"], VALIDATION_ERROR)
        self.assertIn("Segment", response["error"]["data"]["message"])
        self.env.invalidate_all()
        self.assertEqual(self.customer.customer_segment, "retail")

    def test_json_rpc_refused_sort_is_a_user_error(self):
        """Over JSON-RPC a sort by a figure not stored is a UserError naming the figure."""
        response = self._json_rpc(self.collector, "res.partner", "search", [], order="credit_available desc")
        self.assertEqual(response["error"]["data"]["name"], USER_ERROR)
        self.assertIn("Credit Available", response["error"]["data"]["message"])
