package dev.orderpipeline.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the plain shape of an {@link OrderPlaced} straight from Jackson's token stream, without
 * data binding, which cost a fifth of the worker's CPU per order. Plain means: one object with
 * every field of the contract once, each of its own JSON type and no other field, a {@code Z}
 * date-time, lower-case simulation faults, nothing after it. For anything else it answers
 * {@code null} and {@link OrderCodec} reads the record the data-binding way, so what is accepted
 * and every reason given stay what they were; {@code OrderStreamReaderTest} holds the two ways
 * equal.
 *
 * <p>Duplicate keys are found here, with a bit per known field, instead of by the parser, whose
 * detector builds a hash set per object: with unknown fields left to data binding, a repeated
 * key can only be a known one. Stateless apart from the factory; thread-safe.
 */
final class OrderStreamReader {

    /** Where a record leaves the plain shape; no stack trace, so cheap to throw. */
    private static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;

        NotPlain() {
            super("not the plain shape of an order", null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();
    private static final int SIMULATE = 1 << 8;
    /** The bits of the eight fields an order must have. */
    private static final int REQUIRED = SIMULATE - 1;

    private final JsonFactory factory;

    /** @param factory the contract mapper's, so that the parser reads as data binding's does and shares its buffers */
    OrderStreamReader(JsonFactory factory) {
        this.factory = factory;
    }

    /** {@code value} as an order if it has the plain shape; {@code null} does not mean it is invalid. */
    OrderPlaced read(byte[] value) {
        try (JsonParser parser = factory.createParser(value)) {
            parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            OrderPlaced order = order(parser);
            return parser.nextToken() == null ? order : null;
        } catch (IOException | NotPlain e) {
            // Broken JSON, trailing data, a duplicate key, a value of another type: data binding names it.
            return null;
        }
    }

    private static OrderPlaced order(JsonParser parser) throws IOException, NotPlain {
        int schemaVersion = 0;
        String orderId = null;
        String customerId = null;
        Money amount = null;
        List<OrderItem> items = null;
        String vendorId = null;
        String deliveryZone = null;
        Instant createdAt = null;
        Simulation simulate = null;
        int seen = 0;
        for (String field; (field = parser.nextFieldName()) != null; ) {
            JsonToken token = parser.nextToken();
            switch (field) {
                case "schemaVersion" -> {
                    seen = once(seen, 1);
                    schemaVersion = intValue(parser, token);
                }
                case "orderId" -> {
                    seen = once(seen, 1 << 1);
                    orderId = string(parser, token);
                }
                case "customerId" -> {
                    seen = once(seen, 1 << 2);
                    customerId = string(parser, token);
                }
                case "amount" -> {
                    seen = once(seen, 1 << 3);
                    amount = money(parser, token);
                }
                case "items" -> {
                    seen = once(seen, 1 << 4);
                    items = items(parser, token);
                }
                case "vendorId" -> {
                    seen = once(seen, 1 << 5);
                    vendorId = string(parser, token);
                }
                case "deliveryZone" -> {
                    seen = once(seen, 1 << 6);
                    deliveryZone = string(parser, token);
                }
                case "createdAt" -> {
                    seen = once(seen, 1 << 7);
                    createdAt = Rfc3339.parseUtc(string(parser, token));
                    if (createdAt == null) {
                        throw NOT_PLAIN; // an offset or a date the formatter must judge
                    }
                }
                case "simulate" -> {
                    seen = once(seen, SIMULATE);
                    simulate = simulation(parser, token);
                }
                default -> throw NOT_PLAIN;
            }
        }
        if ((seen & REQUIRED) != REQUIRED) {
            throw NOT_PLAIN;
        }
        return new OrderPlaced(schemaVersion, orderId, customerId, amount, items, vendorId, deliveryZone, createdAt,
                simulate);
    }

    private static List<OrderItem> items(JsonParser parser, JsonToken token) throws IOException, NotPlain {
        if (token != JsonToken.START_ARRAY) {
            throw NOT_PLAIN;
        }
        List<OrderItem> items = new ArrayList<>();
        for (JsonToken next; (next = parser.nextToken()) != JsonToken.END_ARRAY; ) {
            items.add(item(parser, next));
        }
        return items;
    }

    private static OrderItem item(JsonParser parser, JsonToken token) throws IOException, NotPlain {
        if (token != JsonToken.START_OBJECT) {
            throw NOT_PLAIN;
        }
        String sku = null;
        String name = null;
        int quantity = 0;
        Money unitPrice = null;
        int seen = 0;
        for (String field; (field = parser.nextFieldName()) != null; ) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "sku" -> {
                    seen = once(seen, 1);
                    sku = string(parser, value);
                }
                case "name" -> {
                    seen = once(seen, 1 << 1);
                    name = string(parser, value);
                }
                case "quantity" -> {
                    seen = once(seen, 1 << 2);
                    quantity = intValue(parser, value);
                }
                case "unitPrice" -> {
                    seen = once(seen, 1 << 3);
                    unitPrice = money(parser, value);
                }
                default -> throw NOT_PLAIN;
            }
        }
        if (seen != (1 << 4) - 1) {
            throw NOT_PLAIN;
        }
        return new OrderItem(sku, name, quantity, unitPrice);
    }

    private static Money money(JsonParser parser, JsonToken token) throws IOException, NotPlain {
        if (token != JsonToken.START_OBJECT) {
            throw NOT_PLAIN;
        }
        long minorUnits = 0;
        String currency = null;
        int seen = 0;
        for (String field; (field = parser.nextFieldName()) != null; ) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "minorUnits" -> {
                    seen = once(seen, 1);
                    minorUnits = longValue(parser, value);
                }
                case "currency" -> {
                    seen = once(seen, 1 << 1);
                    currency = string(parser, value);
                }
                default -> throw NOT_PLAIN;
            }
        }
        if (seen != (1 << 2) - 1) {
            throw NOT_PLAIN;
        }
        return new Money(minorUnits, currency);
    }

    /** Any of the three faults may be left out; none may be null or spelt otherwise. */
    private static Simulation simulation(JsonParser parser, JsonToken token) throws IOException, NotPlain {
        if (token != JsonToken.START_OBJECT) {
            throw NOT_PLAIN;
        }
        StepFault payment = null;
        StepFault vendor = null;
        StepFault courier = null;
        int seen = 0;
        for (String field; (field = parser.nextFieldName()) != null; ) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "payment" -> {
                    seen = once(seen, 1);
                    payment = fault(parser, value);
                }
                case "vendor" -> {
                    seen = once(seen, 1 << 1);
                    vendor = fault(parser, value);
                }
                case "courier" -> {
                    seen = once(seen, 1 << 2);
                    courier = fault(parser, value);
                }
                default -> throw NOT_PLAIN;
            }
        }
        return new Simulation(payment, vendor, courier);
    }

    /** {@code seen} with {@code bit} added; a field seen before is a duplicate key. */
    private static int once(int seen, int bit) throws NotPlain {
        if ((seen & bit) != 0) {
            throw NOT_PLAIN;
        }
        return seen | bit;
    }

    private static StepFault fault(JsonParser parser, JsonToken token) throws IOException, NotPlain {
        return switch (string(parser, token)) {
            case "fail" -> StepFault.FAIL;
            case "slow" -> StepFault.SLOW;
            case "crash" -> StepFault.CRASH;
            case "flaky" -> StepFault.FLAKY;
            default -> throw NOT_PLAIN;
        };
    }

    private static String string(JsonParser parser, JsonToken token) throws IOException, NotPlain {
        if (token != JsonToken.VALUE_STRING) {
            throw NOT_PLAIN;
        }
        return parser.getText();
    }

    private static int intValue(JsonParser parser, JsonToken token) throws IOException, NotPlain {
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
            throw NOT_PLAIN;
        }
        return parser.getIntValue();
    }

    private static long longValue(JsonParser parser, JsonToken token) throws IOException, NotPlain {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw NOT_PLAIN;
        }
        JsonParser.NumberType type = parser.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw NOT_PLAIN;
        }
        return parser.getLongValue();
    }
}
