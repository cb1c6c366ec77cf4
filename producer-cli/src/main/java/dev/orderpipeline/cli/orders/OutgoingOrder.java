package dev.orderpipeline.cli.orders;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import java.time.Instant;
import java.util.Objects;

/**
 * One record to put on the orders topic. Its value is rendered at send time, so that an order's
 * {@code createdAt} is the moment it was sent and end-to-end latency is measured from there.
 */
public sealed interface OutgoingOrder {

    /** The record key: the order id, or a stand-in for a line of a file that has none. */
    String key();

    Scenario scenario();

    /** Where the answer appears: an outcome for a valid order, a dead letter otherwise. */
    default Expect expect() {
        return scenario().expect();
    }

    /** The record value; {@code createdAt} is set to {@code sentAt} where the value carries one. */
    byte[] value(Instant sentAt);

    /** A valid order, sent with a fresh {@code createdAt}. */
    record Stamped(OrderPlaced order, Scenario scenario) implements OutgoingOrder {
        private static final OrderCodec CODEC = new OrderCodec();

        public Stamped {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(scenario, "scenario");
        }

        @Override
        public String key() {
            return order.orderId();
        }

        @Override
        public byte[] value(Instant sentAt) {
            return CODEC.encode(withCreatedAt(order, sentAt));
        }
    }

    /** A valid order broken on purpose, for the dead-letter path. */
    record Malformed(OrderPlaced order, Malformation kind) implements OutgoingOrder {
        public Malformed {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String key() {
            return order.orderId();
        }

        @Override
        public Scenario scenario() {
            return Scenario.MALFORMED;
        }

        @Override
        public byte[] value(Instant sentAt) {
            return kind.render(withCreatedAt(order, sentAt));
        }
    }

    /** Bytes sent exactly as read, for example a line of a file; {@code createdAt} is left alone. */
    record Verbatim(String key, byte[] bytes, Scenario scenario) implements OutgoingOrder {
        public Verbatim {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(scenario, "scenario");
            bytes = bytes.clone();
        }

        @Override
        public byte[] value(Instant sentAt) {
            return bytes.clone();
        }
    }

    private static OrderPlaced withCreatedAt(OrderPlaced o, Instant createdAt) {
        return new OrderPlaced(o.schemaVersion(), o.orderId(), o.customerId(), o.amount(), o.items(),
                o.vendorId(), o.deliveryZone(), createdAt, o.simulate());
    }
}
