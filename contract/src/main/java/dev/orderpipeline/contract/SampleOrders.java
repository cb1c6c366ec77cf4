package dev.orderpipeline.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Realistic valid orders for demos, load and tests. The randomness is passed in, so a seeded
 * generator gives the same orders every run.
 */
public final class SampleOrders {

    private static final String[] ZONES = {"north", "south", "east", "west", "centre"};
    private static final String[][] MENU = {
            {"pizza-margherita", "Pizza Margherita", "950"},
            {"pad-thai", "Pad Thai", "1190"},
            {"falafel-wrap", "Falafel Wrap", "750"},
            {"ramen-shoyu", "Shoyu Ramen", "1350"},
            {"green-salad", "Green Salad", "620"},
            {"lemonade", "Lemonade", "300"},
    };

    private SampleOrders() {
    }

    /** A valid order with one to three items, the given id, creation time and simulation. */
    public static OrderPlaced order(String orderId, Instant createdAt, Simulation simulate, RandomGenerator random) {
        String currency = "EUR";
        int lines = 1 + random.nextInt(3);
        List<OrderItem> items = new ArrayList<>(lines);
        long total = 0;
        for (int i = 0; i < lines; i++) {
            String[] dish = MENU[random.nextInt(MENU.length)];
            int quantity = 1 + random.nextInt(2);
            OrderItem item = new OrderItem(dish[0], dish[1], quantity, Money.of(Long.parseLong(dish[2]), currency));
            items.add(item);
            total += item.lineTotal().minorUnits();
        }
        return new OrderPlaced(
                OrderPlaced.SCHEMA_VERSION,
                orderId,
                "customer-" + (1 + random.nextInt(10_000)),
                Money.of(total, currency),
                items,
                "vendor-" + (1 + random.nextInt(50)),
                ZONES[random.nextInt(ZONES.length)],
                createdAt,
                simulate == null || simulate.equals(Simulation.NONE) ? null : simulate);
    }
}
