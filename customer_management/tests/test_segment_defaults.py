"""The segment defaults: a customer's segment and payment mode propose its pricelist and payment term."""

from odoo.tests import Form, tagged

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestSegmentDefaults(CustomerManagementCase):
    """A customer's segment and payment mode propose its pricelist and payment term."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wholesale_pricelist = cls.env["product.pricelist"].create({"name": "Mayoreo"})
        cls.retail_pricelist = cls.env["product.pricelist"].create({"name": "Menudeo"})
        cls.term_15 = cls.env.ref("account.account_payment_term_15days")
        cls.company.write(
            {
                "customer_wholesale_pricelist_id": cls.wholesale_pricelist.id,
                "customer_wholesale_payment_term_id": cls.term_30.id,
                "customer_retail_pricelist_id": cls.retail_pricelist.id,
                "customer_retail_payment_term_id": cls.term_15.id,
            }
        )

    def test_classified_customer_gets_segment_defaults(self):
        """A wholesale customer gets the wholesale pricelist and term, recorded as a version."""
        customer = self._create_customer(customer_segment="wholesale", payment_mode="credit")
        self.assertRecordValues(
            customer,
            [{"property_product_pricelist": self.wholesale_pricelist.id, "property_payment_term_id": self.term_30.id}],
        )
        self.assertEqual(customer.commercial_condition_ids.origin, "segment_defaults")

    def test_defaults_that_change_nothing_are_not_recorded(self):
        """Reclassifying a customer into a segment whose defaults are the terms in force records no version."""
        customer = self._create_customer(customer_segment="wholesale", payment_mode="credit")
        versions = customer.commercial_condition_ids
        # The retail segment of this company proposes what the customer has already.
        self.company.write(
            {
                "customer_retail_pricelist_id": self.wholesale_pricelist.id,
                "customer_retail_payment_term_id": self.term_30.id,
            }
        )
        customer.customer_segment = "retail"
        self.assertEqual(customer.commercial_condition_ids, versions)
        customer.payment_mode = "cash"  # the immediate term: a change, recorded
        self.assertEqual(len(customer.commercial_condition_ids - versions), 1)

    def test_cash_customer_pays_immediately(self):
        """A cash customer gets the immediate term whatever its segment."""
        customer = self._create_customer(customer_segment="wholesale", payment_mode="cash")
        self.assertRecordValues(
            customer,
            [
                {
                    "property_product_pricelist": self.wholesale_pricelist.id,
                    "property_payment_term_id": self.immediate.id,
                }
            ],
        )

    def test_given_terms_override_defaults(self):
        """Terms given with the classification win over the segment's defaults."""
        customer = self._create_customer(customer_segment="retail", property_payment_term_id=self.term_30.id)
        self.assertRecordValues(
            customer,
            [{"property_product_pricelist": self.retail_pricelist.id, "property_payment_term_id": self.term_30.id}],
        )

    def test_reclassified_customer_gets_new_defaults(self):
        """Moving a customer to the retail segment proposes the retail terms."""
        customer = self._create_customer(customer_segment="wholesale")
        customer.customer_segment = "retail"
        self.assertEqual(customer.property_product_pricelist, self.retail_pricelist)
        self.assertEqual(customer.property_payment_term_id, self.term_15)

    def test_defaults_can_be_overridden(self):
        """After the defaults, another term may be set, and the customer keeps it."""
        customer = self._create_customer(customer_segment="wholesale")
        customer.property_payment_term_id = self.immediate
        self.assertEqual(customer.property_payment_term_id, self.immediate)
        self.assertEqual(
            customer.commercial_condition_ids.filtered(lambda v: v.state == "active").payment_term_id, self.immediate
        )

    def test_form_proposes_segment_defaults(self):
        """Choosing a segment in the form shows its pricelist and term at once."""
        with Form(self.env["res.partner"]) as form:
            form.name = "Cremería La Vaquita"
            form.company_type = "company"
            form.customer_segment = "retail"
            self.assertEqual(form.property_payment_term_id, self.term_15)
        self.assertEqual(form.record.property_product_pricelist, self.retail_pricelist)
