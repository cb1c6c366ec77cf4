package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The event on the {@code orders} topic: a customer placed an order. The record key is the
 * order id. See {@code schemas/order-placed.schema.json} for the wire format.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} for events written by this code
 * @param orderId       unique per order; also the Kafka record key and the idempotency key's root
 * @param customerId    who ordered
 * @param amount        the order total; equals the sum of the items' line totals
 * @param items         at least one line
 * @param vendorId      the vendor (restaurant, shop) that prepares the order
 * @param deliveryZone  where a courier must go; couriers are pooled per worker
 * @param createdAt     when the order was placed; end-to-end latency is measured from here
 * @param simulate      optional faults for the simulated steps; {@code null} for real orders
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderPlaced(
        int schemaVersion,
        String orderId,
        String customerId,
        Money amount,
        List<OrderItem> items,
        String vendorId,
        String deliveryZone,
        Instant createdAt,
        Simulation simulate) {

    /** The version this code writes and the highest it reads. */
    public static final int SCHEMA_VERSION = 1;

    public OrderPlaced {
        // Not List.copyOf: it throws on a null line, and OrderRules should name that line instead.
        items = items == null ? null : Collections.unmodifiableList(new ArrayList<>(items));
    }

    /** The simulation, never {@code null}. */
    public Simulation simulation() {
        return simulate == null ? Simulation.NONE : simulate;
    }
}
