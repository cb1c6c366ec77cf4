package dev.orderpipeline.cli.orders;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The share of generated orders per scenario; whatever the shares leave is {@link Scenario#VALID}.
 *
 * @param declines      share of {@link Scenario#DECLINE}, 0..1
 * @param vendorOutages share of {@link Scenario#VENDOR_OUTAGE}, 0..1
 * @param slowCouriers  share of {@link Scenario#SLOW_COURIER}, 0..1
 * @param crashes       share of {@link Scenario#CRASH}, 0..1
 * @param malformed     share of {@link Scenario#MALFORMED}, 0..1
 */
public record ScenarioMix(double declines, double vendorOutages, double slowCouriers, double crashes, double malformed) {

    /** Only valid orders. */
    public static final ScenarioMix ALL_VALID = new ScenarioMix(0, 0, 0, 0, 0);

    private static final double ROUNDING_SLACK = 1e-9;

    public ScenarioMix {
        check("declines", declines);
        check("vendor outages", vendorOutages);
        check("slow couriers", slowCouriers);
        check("crashes", crashes);
        check("malformed", malformed);
        double sum = declines + vendorOutages + slowCouriers + crashes + malformed;
        if (sum > 1 + ROUNDING_SLACK) {
            throw new IllegalArgumentException("the scenario shares add up to " + sum + ", more than 1");
        }
    }

    /** The share of {@code scenario}; {@link Scenario#VALID} gets the rest. */
    public double share(Scenario scenario) {
        return switch (scenario) {
            case DECLINE -> declines;
            case VENDOR_OUTAGE -> vendorOutages;
            case SLOW_COURIER -> slowCouriers;
            case CRASH -> crashes;
            case MALFORMED -> malformed;
            case VALID -> Math.max(0, 1 - declines - vendorOutages - slowCouriers - crashes - malformed);
            case FLAKY_VENDOR, CUSTOM -> 0; // only from files
        };
    }

    /**
     * How many of {@code total} orders each scenario gets: the shares rounded by largest remainder,
     * so the counts add up to {@code total} exactly and no scenario with a share of at least
     * {@code 1/total} is left out.
     */
    public Map<Scenario, Integer> counts(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative, got " + total);
        }
        List<Scenario> generated = List.of(Scenario.VALID, Scenario.DECLINE, Scenario.VENDOR_OUTAGE,
                Scenario.SLOW_COURIER, Scenario.CRASH, Scenario.MALFORMED);
        double[] exact = generated.stream().mapToDouble(s -> share(s) * total).toArray();
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        int assigned = 0;
        for (int i = 0; i < generated.size(); i++) {
            int whole = (int) Math.floor(exact[i] + ROUNDING_SLACK);
            counts.put(generated.get(i), whole);
            assigned += whole;
        }
        List<Integer> byRemainder = IntStream.range(0, generated.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> exact[i] - Math.floor(exact[i] + ROUNDING_SLACK))
                        .reversed())
                .toList();
        for (int i = 0; assigned < total; i = (i + 1) % byRemainder.size(), assigned++) {
            counts.merge(generated.get(byRemainder.get(i)), 1, Integer::sum);
        }
        return counts;
    }

    private static void check(String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the share of " + name + " must be between 0 and 1, got " + share);
        }
    }
}
