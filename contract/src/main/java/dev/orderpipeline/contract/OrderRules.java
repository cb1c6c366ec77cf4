package dev.orderpipeline.contract;

import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The business rules an order must satisfy beyond its JSON shape. */
final class OrderRules {

    static final int MAX_ID_LENGTH = 128;
    static final int MAX_ITEMS = 500;

    record Violation(DecodedOrder.Problem problem, String reason) {
    }

    Optional<Violation> check(OrderPlaced order) {
        if (order.schemaVersion() == 0) {
            return missing("schemaVersion");
        }
        if (order.schemaVersion() < 0 || order.schemaVersion() > OrderPlaced.SCHEMA_VERSION) {
            return Optional.of(new Violation(DecodedOrder.Problem.UNSUPPORTED_VERSION,
                    "schemaVersion " + order.schemaVersion() + " is not supported; this worker reads 1.."
                            + OrderPlaced.SCHEMA_VERSION));
        }
        Optional<Violation> missing = firstMissing(order);
        if (missing.isPresent()) {
            return missing;
        }
        if (order.orderId().length() > MAX_ID_LENGTH) {
            return rule("orderId is longer than " + MAX_ID_LENGTH + " characters");
        }
        Optional<Violation> amount = checkMoney("amount", order.amount());
        if (amount.isPresent()) {
            return amount;
        }
        if (order.amount().minorUnits() <= 0) {
            return rule("amount must be positive, got " + order.amount().minorUnits());
        }
        return checkItems(order);
    }

    private Optional<Violation> firstMissing(OrderPlaced order) {
        if (blank(order.orderId())) return missing("orderId");
        if (blank(order.customerId())) return missing("customerId");
        if (order.amount() == null) return missing("amount");
        if (order.items() == null) return missing("items");
        if (blank(order.vendorId())) return missing("vendorId");
        if (blank(order.deliveryZone())) return missing("deliveryZone");
        if (order.createdAt() == null) return missing("createdAt");
        return Optional.empty();
    }

    private Optional<Violation> checkItems(OrderPlaced order) {
        List<OrderItem> items = order.items();
        if (items.isEmpty()) {
            return rule("items is empty: an order needs at least one item");
        }
        if (items.size() > MAX_ITEMS) {
            return rule("items has " + items.size() + " lines, more than " + MAX_ITEMS);
        }
        long total = 0;
        for (int i = 0; i < items.size(); i++) {
            OrderItem item = items.get(i);
            String where = "items[" + i + "]";
            if (item == null) return missing(where);
            if (blank(item.sku())) return missing(where + ".sku");
            if (item.unitPrice() == null) return missing(where + ".unitPrice");
            if (item.quantity() <= 0) {
                return rule(where + ".quantity must be at least 1, got " + item.quantity());
            }
            Optional<Violation> price = checkMoney(where + ".unitPrice", item.unitPrice());
            if (price.isPresent()) {
                return price;
            }
            if (item.unitPrice().minorUnits() < 0) {
                return rule(where + ".unitPrice must not be negative");
            }
            if (!item.unitPrice().currency().equals(order.amount().currency())) {
                return rule(where + ".unitPrice is in " + item.unitPrice().currency()
                        + " but the order is in " + order.amount().currency());
            }
            try {
                total = Math.addExact(total, item.lineTotal().minorUnits());
            } catch (ArithmeticException e) {
                return rule("the item totals overflow");
            }
        }
        if (total != order.amount().minorUnits()) {
            return rule("amount " + order.amount().minorUnits() + " does not equal the sum of the items, " + total);
        }
        return Optional.empty();
    }

    private Optional<Violation> checkMoney(String field, Money money) {
        if (blank(money.currency())) {
            return missing(field + ".currency");
        }
        String upper = money.currency().toUpperCase(Locale.ROOT);
        if (!upper.equals(money.currency()) && isIsoCurrency(upper)) {
            return rule(field + ".currency " + money.currency() + " must be upper case: " + upper);
        }
        if (!isIsoCurrency(money.currency())) {
            return rule(field + ".currency " + SenderText.of(money.currency(), 40) + " is not an ISO 4217 code");
        }
        return Optional.empty();
    }

    private static boolean isIsoCurrency(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Optional<Violation> missing(String field) {
        return Optional.of(new Violation(DecodedOrder.Problem.MISSING_FIELD, "missing field " + field));
    }

    private static Optional<Violation> rule(String reason) {
        return Optional.of(new Violation(DecodedOrder.Problem.RULE_VIOLATION, reason));
    }
}
