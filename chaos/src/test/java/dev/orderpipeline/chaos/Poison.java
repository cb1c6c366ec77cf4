package dev.orderpipeline.chaos;

import dev.orderpipeline.cli.orders.Malformation;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bad input the orders topic may carry, each built from a valid order. Nine kinds are
 * {@code order-cli send}'s {@link Malformation}s; the other four do not fit its one-record-per-order
 * model (no key, no value, or larger than a default topic takes) and are built here. Each is dead-lettered; those that still carry an order id also get a {@code rejected}
 * outcome.
 */
enum Poison {
    BROKEN_JSON(Malformation.BROKEN_JSON),
    WRONG_TYPE(Malformation.WRONG_TYPE),
    MISSING_FIELD(Malformation.MISSING_FIELD),
    INVALID_UTF8(Malformation.INVALID_UTF8),
    EMPTY_ITEMS(Malformation.EMPTY_ITEMS),
    NEGATIVE_AMOUNT(Malformation.NEGATIVE_AMOUNT),
    UNKNOWN_CURRENCY(Malformation.UNKNOWN_CURRENCY),
    /**
     * A valid order value on a record without a key. The worker's rule "the key is the order id"
     * dead-letters it (with a rejected outcome); the verifier judges values, so it counts a valid
     * order that was answered.
     */
    NULL_KEY(null),
    /** A tombstone. */
    NULL_VALUE(null),
    RANDOM_BYTES(Malformation.RANDOM_BYTES),
    NOT_AN_OBJECT(Malformation.NOT_AN_OBJECT),
    /** A valid order padded with spaces to 900 KB: over the worker's limit, under the broker's. */
    OVERSIZED_900_KB(null),
    /** Padded to 1.2 MB: over the broker's default limit, so its dead letter must be cut. */
    OVERSIZED_1_2_MB(null);

    private static final OrderCodec CODEC = new OrderCodec();

    private final Malformation malformation;

    Poison(Malformation malformation) {
        this.malformation = malformation;
    }

    /** Whether the value alone is a valid order, as the verifier reads it. */
    boolean valueIsValidOrder() {
        return this == NULL_KEY;
    }

    byte[] key(OrderPlaced order) {
        return this == NULL_KEY ? null : order.orderId().getBytes(StandardCharsets.UTF_8);
    }

    byte[] value(OrderPlaced order) {
        if (malformation != null) {
            return malformation.render(order);
        }
        return switch (this) {
            case NULL_KEY -> CODEC.encode(order);
            case NULL_VALUE -> null;
            case OVERSIZED_900_KB -> padded(order, 900 * 1024);
            case OVERSIZED_1_2_MB -> padded(order, 1_200 * 1024);
            case BROKEN_JSON, WRONG_TYPE, MISSING_FIELD, INVALID_UTF8, EMPTY_ITEMS, NEGATIVE_AMOUNT, UNKNOWN_CURRENCY,
                    RANDOM_BYTES, NOT_AN_OBJECT -> throw new AssertionError(this + " is a Malformation");
        };
    }

    private static byte[] padded(OrderPlaced order, int size) {
        byte[] json = CODEC.encode(order);
        byte[] out = Arrays.copyOf(json, size);
        Arrays.fill(out, json.length, size, (byte) ' ');
        return out;
    }
}
