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
 * each known field at most once and of its own JSON type, a {@code Z} date-time, lower-case
 * simulation faults, nothing after it. For anything else it answers {@code null} and
 * {@link OrderCodec} reads the record the data-binding way, so what is accepted and every
 * reason given stay what they were; {@code OrderStreamReaderTest} holds the two ways equal.
 *
 * <p>Stateless apart from the factory; thread-safe.
 */
final class OrderStreamReader {

    private final JsonFactory factory;

    /** @param factory the contract mapper's, so the parser detects duplicate keys and shares buffers */
    OrderStreamReader(JsonFactory factory) {
        if (!factory.isEnabled(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)) {
            throw new IllegalArgumentException("the factory must detect duplicate keys, as the mapper does");
        }
        this.factory = factory;
    }

    /** {@code value} as an order if it has the plain shape; {@code null} does not mean it is invalid. */
    OrderPlaced read(byte[] value) {
        try (JsonParser parser = factory.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            OrderPlaced order = order(parser);
            return order != null && parser.nextToken() == null ? order : null;
        } catch (IOException e) {
            // Broken JSON, a duplicate key, trailing garbage: the data-binding path names it.
            return null;
        }
    }

    private static OrderPlaced order(JsonParser parser) throws IOException {
        Integer schemaVersion = null;
        String orderId = null;
        String customerId = null;
        Money amount = null;
        List<OrderItem> items = null;
        String vendorId = null;
        String deliveryZone = null;
        Instant createdAt = null;
        Simulation simulate = null;
        boolean simulated = false;
        for (String field; (field = parser.nextFieldName()) != null; ) {
            JsonToken token = parser.nextToken();
            switch (field) {
                case "schemaVersion" -> schemaVersion = intValue(parser, token);
                case "orderId" -> orderId = string(parser, token);
                case "customerId" -> customerId = string(parser, token);
                case "amount" -> amount = money(parser, token);
                case "items" -> items = items(parser, token);
                case "vendorId" -> vendorId = string(parser, token);
                case "deliveryZone" -> deliveryZone = string(parser, token);
                case "createdAt" -> createdAt = token == JsonToken.VALUE_STRING ? Rfc3339.parseUtc(parser.getText()) : null;
                case "simulate" -> {
                    simulate = simulation(parser, token);
                    simulated = true;
                }
                // Ignored like data binding ignores it; the parser still rejects a duplicate.
                default -> parser.skipChildren();
            }
        }
        if (schemaVersion == null || orderId == null || customerId == null || amount == null || items == null
                || vendorId == null || deliveryZone == null || createdAt == null || (simulated && simulate == null)) {
            return null; // absent, null, of another type, or unusual: not the plain shape
        }
        return new OrderPlaced(schemaVersion, orderId, customerId, amount, items, vendorId, deliveryZone, createdAt,
                simulate);
    }

    private static List<OrderItem> items(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            return null;
        }
        List<OrderItem> items = new ArrayList<>();
        for (JsonToken next; (next = parser.nextToken()) != JsonToken.END_ARRAY; ) {
            OrderItem item = item(parser, next);
            if (item == null) {
                return null;
            }
            items.add(item);
        }
        return items;
    }

    private static OrderItem item(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        String sku = null;
        String name = null;
        Integer quantity = null;
        Money unitPrice = null;
        for (String field; (field = parser.nextFieldName()) != null; ) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "sku" -> sku = string(parser, value);
                case "name" -> name = string(parser, value);
                case "quantity" -> quantity = intValue(parser, value);
                case "unitPrice" -> unitPrice = money(parser, value);
                default -> parser.skipChildren();
            }
        }
        if (sku == null || name == null || quantity == null || unitPrice == null) {
            return null;
        }
        return new OrderItem(sku, name, quantity, unitPrice);
    }

    private static Money money(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        Long minorUnits = null;
        String currency = null;
        for (String field; (field = parser.nextFieldName()) != null; ) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "minorUnits" -> minorUnits = longValue(parser, value);
                case "currency" -> currency = string(parser, value);
                default -> parser.skipChildren();
            }
        }
        return minorUnits == null || currency == null ? null : new Money(minorUnits, currency);
    }

    private static Simulation simulation(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        StepFault payment = null;
        StepFault vendor = null;
        StepFault courier = null;
        boolean unusual = false;
        for (String field; (field = parser.nextFieldName()) != null; ) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "payment" -> {
                    payment = fault(parser, value);
                    unusual |= payment == null;
                }
                case "vendor" -> {
                    vendor = fault(parser, value);
                    unusual |= vendor == null;
                }
                case "courier" -> {
                    courier = fault(parser, value);
                    unusual |= courier == null;
                }
                default -> parser.skipChildren();
            }
        }
        return unusual ? null : new Simulation(payment, vendor, courier);
    }

    /** The fault named as the contract spells it; {@code null} for anything else, even JSON null. */
    private static StepFault fault(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return null;
        }
        return switch (parser.getText()) {
            case "fail" -> StepFault.FAIL;
            case "slow" -> StepFault.SLOW;
            case "crash" -> StepFault.CRASH;
            case "flaky" -> StepFault.FLAKY;
            default -> null;
        };
    }

    private static String string(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    private static Integer intValue(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                ? parser.getIntValue() : null;
    }

    private static Long longValue(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            return null;
        }
        JsonParser.NumberType type = parser.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG ? parser.getLongValue() : null;
    }
}
