package dev.orderpipeline.contract;

/**
 * One line of an order.
 *
 * @param sku       the vendor's stock-keeping unit
 * @param name      a human-readable name, shown to the courier and in logs
 * @param quantity  how many; at least 1
 * @param unitPrice the price of one, in the order's currency
 */
public record OrderItem(String sku, String name, int quantity, Money unitPrice) {

    /** {@code quantity * unitPrice}. */
    public Money lineTotal() {
        return unitPrice.times(quantity);
    }
}
