package dev.orderpipeline.cli.orders;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code count} orders made from a seed: the same seed, mix and key space give the same ids,
 * scenarios and items every time. Scenarios are spread by {@link ScenarioMix#counts} and then
 * shuffled; malformed records take the {@link Malformation} kinds in turn, so a handful of them
 * already covers every kind. With several orders per key, each id (the record key) is used for
 * that many records in a row: orders of one key, each stamped with its own send time.
 */
public final class GeneratedOrders implements OrderSource {

    /** A placeholder: every order's {@code createdAt} is set when it is sent. */
    private static final Instant NOT_SENT_YET = Instant.EPOCH;
    private static final int MAX_KEY_SPACE_LENGTH = 100;
    /** Keeps the default key space independent of the plan and contents drawn from the same seed. */
    private static final long KEY_SPACE_SALT = 0x6b65797370616365L;

    private final String keySpace;
    private final long seed;
    private final int ordersPerKey;
    private final Scenario[] plan;

    /**
     * @param keySpace the id prefix: ids are {@code <keySpace>-000001} and up
     * @param seed     the seed for the scenario order and the order contents
     */
    public GeneratedOrders(int count, ScenarioMix mix, String keySpace, long seed) {
        this(count, mix, keySpace, seed, 1);
    }

    /**
     * @param ordersPerKey how many records in a row share an id: 1 gives every record its own
     */
    public GeneratedOrders(int count, ScenarioMix mix, String keySpace, long seed, int ordersPerKey) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        if (ordersPerKey < 1) {
            throw new IllegalArgumentException("orders per key must be at least 1, got " + ordersPerKey);
        }
        Objects.requireNonNull(mix, "mix");
        this.keySpace = checkKeySpace(keySpace);
        this.seed = seed;
        this.ordersPerKey = ordersPerKey;
        this.plan = shuffledPlan(mix.counts(count), count, new SplittableRandom(seed));
    }

    /** A key space for when none is given, derived from the seed so a seed alone reproduces ids. */
    public static String defaultKeySpace(long seed) {
        return "cli-" + String.format("%08x", new SplittableRandom(seed ^ KEY_SPACE_SALT).nextInt());
    }

    @Override
    public int size() {
        return plan.length;
    }

    @Override
    public String describe() {
        return plan.length + " generated orders (--seed " + seed + " --key-space " + keySpace
                + (ordersPerKey > 1 ? " --orders-per-key " + ordersPerKey : "") + ")";
    }

    @Override
    public Iterator<OutgoingOrder> iterator() {
        // A fresh generator per iteration: iterating twice gives the same orders.
        SplittableRandom contents = new SplittableRandom(seed).split();
        return new Iterator<>() {
            private int next;
            private int malformedSoFar;

            @Override
            public boolean hasNext() {
                return next < plan.length;
            }

            @Override
            public OutgoingOrder next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Scenario scenario = plan[next];
                String id = keySpace + "-" + String.format("%06d", next / ordersPerKey + 1);
                next++;
                if (scenario == Scenario.MALFORMED) {
                    OrderPlaced base = SampleOrders.order(id, NOT_SENT_YET, null, contents);
                    Malformation kind = Malformation.values()[malformedSoFar++ % Malformation.values().length];
                    return new OutgoingOrder.Malformed(base, kind);
                }
                return new OutgoingOrder.Stamped(
                        SampleOrders.order(id, NOT_SENT_YET, scenario.simulation(), contents), scenario);
            }
        };
    }

    private static Scenario[] shuffledPlan(Map<Scenario, Integer> counts, int total, SplittableRandom random) {
        Scenario[] plan = new Scenario[total];
        int i = 0;
        for (Map.Entry<Scenario, Integer> entry : counts.entrySet()) {
            for (int n = 0; n < entry.getValue(); n++) {
                plan[i++] = entry.getKey();
            }
        }
        for (int j = total - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            Scenario swap = plan[j];
            plan[j] = plan[k];
            plan[k] = swap;
        }
        return plan;
    }

    private static String checkKeySpace(String keySpace) {
        Objects.requireNonNull(keySpace, "keySpace");
        if (keySpace.isBlank() || keySpace.length() > MAX_KEY_SPACE_LENGTH || !keySpace.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException("key space must be 1.." + MAX_KEY_SPACE_LENGTH
                    + " characters of letters, digits and . _ : -, got '" + keySpace + "'");
        }
        return keySpace;
    }
}
