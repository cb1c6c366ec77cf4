package dev.orderpipeline.cli.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ScenarioMixTest {

    static Stream<Arguments> mixes() {
        return Stream.of(
                // mix, total, expected counts: valid, decline, vendor-outage, slow-courier, crash, malformed
                Arguments.of(new ScenarioMix(0.1, 0.05, 0.05, 0, 0.02), 100, new int[] {78, 10, 5, 5, 0, 2}),
                Arguments.of(new ScenarioMix(0.1, 0.05, 0.05, 0, 0.02), 1000, new int[] {780, 100, 50, 50, 0, 20}),
                Arguments.of(new ScenarioMix(0.5, 0, 0, 0, 0.5), 3, new int[] {0, 2, 0, 0, 0, 1}),
                Arguments.of(new ScenarioMix(1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0), 10, new int[] {0, 4, 3, 3, 0, 0}),
                Arguments.of(ScenarioMix.ALL_VALID, 7, new int[] {7, 0, 0, 0, 0, 0}),
                Arguments.of(new ScenarioMix(0.2, 0.2, 0.2, 0.2, 0.2), 1, new int[] {0, 1, 0, 0, 0, 0}),
                Arguments.of(new ScenarioMix(0.1, 0, 0, 0, 0), 0, new int[] {0, 0, 0, 0, 0, 0}));
    }

    @ParameterizedTest(name = "{0} of {1}")
    @MethodSource("mixes")
    void counts_roundByLargestRemainder_andAddUpToTotal(ScenarioMix mix, int total, int[] want) {
        Map<Scenario, Integer> got = mix.counts(total);
        Scenario[] order = {Scenario.VALID, Scenario.DECLINE, Scenario.VENDOR_OUTAGE, Scenario.SLOW_COURIER,
                Scenario.CRASH, Scenario.MALFORMED};
        for (int i = 0; i < order.length; i++) {
            assertEquals(want[i], got.get(order[i]), () -> "counts(" + total + ") of " + mix + ": got " + got);
        }
        assertEquals(total, got.values().stream().mapToInt(Integer::intValue).sum(), "sum of " + got);
    }

    @Test
    void sharesAddingUpToMoreThanOne_areRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScenarioMix(0.5, 0.3, 0.3, 0, 0));
        assertTrue(e.getMessage().contains("more than 1"), e.getMessage());
    }

    @Test
    void negativeOrNonFiniteShares_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ScenarioMix(-0.1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScenarioMix(0, Double.NaN, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScenarioMix(0, 0, 1.5, 0, 0));
    }

    @Test
    void sharesThatAddUpToOneThroughRounding_areAccepted() {
        ScenarioMix mix = new ScenarioMix(0.1, 0.2, 0.3, 0.2, 0.2);
        assertEquals(0, mix.counts(10).get(Scenario.VALID));
    }
}
