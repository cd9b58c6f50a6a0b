import { Component, onMounted, onWillStart, onWillUnmount, onWillUpdateProps, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatMonetary } from "@web/views/fields/formatters";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The customer 360's bars of the last 12 months of sales, with Odoo's bundled Chart.js (as core's graph view):
 * the months come from the server in one call (res.partner.get_customer_sales_by_month), in the company's currency.
 */
export class CustomerSalesChart extends Component {
    static template = "customer_management.CustomerSalesChart";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.canvasRef = useRef("canvas");
        this.months = [];
        // Both at once: the data is asked for while the component is alive, not after the bundle has loaded.
        onWillStart(() => Promise.all([loadBundle("web.chartjs_lib"), this.load(this.props.record)]));
        onWillUpdateProps(async (nextProps) => {
            if (nextProps.record.resId !== this.props.record.resId) {
                await this.load(nextProps.record);
                this.draw();
            }
        });
        onMounted(() => this.draw());
        onWillUnmount(() => this.chart?.destroy());
    }

    async load(record) {
        this.months = record.resId
            ? await this.orm.call("res.partner", "get_customer_sales_by_month", [[record.resId]])
            : [];
    }

    get hasSales() {
        return this.months.some((month) => month.amount);
    }

    draw() {
        this.chart?.destroy();
        this.chart = null;
        if (!this.canvasRef.el || !this.hasSales) {
            return;
        }
        const { data } = this.props.record;
        this.chart = new Chart(this.canvasRef.el, {
            type: "bar",
            data: {
                labels: this.months.map((month) => month.label),
                datasets: [{ data: this.months.map((month) => month.amount), backgroundColor: "#714B67" }],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: {
                    legend: { display: false },
                    tooltip: { callbacks: { label: (item) => formatMonetary(item.raw, { data }) } },
                },
                scales: { y: { beginAtZero: true } },
            },
        });
    }
}

export const customerSalesChart = {
    component: CustomerSalesChart,
    fieldDependencies: [{ name: "currency_id", type: "many2one" }],
};

registry.category("view_widgets").add("customer_sales_chart", customerSalesChart);
