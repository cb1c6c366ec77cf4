package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The A/B comparison alternates which build of a pair runs first, round by round. */
class RoundOrderTest {

    private final Workload raw = Workload.rawPipe(1000);
    private final Workload w1 = Workload.worker("W1", "worker", 0, 0, 1024, "key", 1000);
    private final Workload w2c = Workload.worker("W2c", "worker", 20, 5, 1024, "key", 1000);
    private final List<Workload> workloads = List.of(raw, w1, w1.onBaseline(), w2c, w2c.onBaseline());

    @Test
    void oddRounds_runTheBuildUnderTestFirst_evenRoundsItsBaseline() {
        assertEquals(List.of("W0", "W1", "W1-base", "W2c", "W2c-base"), names(Comparison.inRoundOrder(workloads, 1)));
        assertEquals(List.of("W0", "W1-base", "W1", "W2c-base", "W2c"), names(Comparison.inRoundOrder(workloads, 2)));
        assertEquals(names(Comparison.inRoundOrder(workloads, 1)), names(Comparison.inRoundOrder(workloads, 3)));
    }

    @Test
    void withoutABaseline_everyRoundRunsTheSameOrder() {
        List<Workload> plain = List.of(raw, w1, w2c);
        assertEquals(List.of("W0", "W1", "W2c"), names(Comparison.inRoundOrder(plain, 2)));
    }

    @Test
    void parallelConsumerPeers_alternateWithTheirWorkload_andWithABaselineTheGroupIsReversed() {
        List<Workload> withPeers = List.of(raw, w1, w1.onParallelConsumer(), w2c, w2c.onBaseline(), w2c.onParallelConsumer());

        assertEquals(List.of("W0", "W1", "P1", "W2c", "W2c-base", "P2c"), names(Comparison.inRoundOrder(withPeers, 1)));
        assertEquals(List.of("W0", "P1", "W1", "P2c", "W2c-base", "W2c"), names(Comparison.inRoundOrder(withPeers, 2)));
    }

    private static List<String> names(List<Workload> workloads) {
        return workloads.stream().map(Workload::name).toList();
    }
}
