package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sweep's grid, backlog sizing, Little's-law bound and the order each round runs. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SweepPlanTest {

    @Test
    void orderTime_isTheMeanOfTheSlowestOfThreeSteps_LPlusHalfTheJitter() {
        record Case(int latencyMs, double wantSeconds) {
        }
        for (Case c : List.of(new Case(0, 0), new Case(20, 0.0225), new Case(200, 0.225), new Case(1000, 1.125))) {
            double got = new SweepPlan.Cell(c.latencyMs(), 1024).orderSeconds();
            assertEquals(c.wantSeconds(), got, 1e-9, () -> c.latencyMs() + " ms: got " + got + ", want " + c.wantSeconds());
        }
    }

    @Test
    void littleBound_isTheLimitOverTheOrderTime() {
        assertEquals(16_384 / 1.125, new SweepPlan.Cell(1000, 16_384).littleBound(), 1e-6);
        assertEquals(1024 / 0.0225, new SweepPlan.Cell(20, 1024).littleBound(), 1e-6);
        assertTrue(Double.isInfinite(new SweepPlan.Cell(0, 1024).littleBound()), "0 ms steps: no waiting bound");
    }

    @Test
    void backlog_lastsAboutTwelveSeconds_atTheLowerOfLittlesBoundAndTheCpuCeiling() {
        record Case(int latencyMs, int inFlight, int want) {
        }
        for (Case c : List.of(
                new Case(0, 1024, 180_000),           // CPU-bound: 15,000/s x 12 s
                new Case(20, 16_384, 180_000),        // bound 728,000/s, the CPU ceiling decides
                new Case(200, 1024, 54_613),          // 1024 / 0.225 s = 4,551/s x 12 s
                new Case(1000, 1024, 10_923),         // 1024 / 1.125 s = 910/s x 12 s
                new Case(1000, 16_384, 174_763),      // 14,564/s x 12 s
                new Case(1000, 16, 1_000))) {         // 171 orders: raised to the minimum
            int got = new SweepPlan.Cell(c.latencyMs(), c.inFlight()).backlog();
            assertEquals(c.want(), got, () -> c + ": got " + got);
        }
    }

    @Test
    void onlyTheThousandMillisecondCellAtSixteenThousandInFlight_runsWithin512Megabytes() {
        assertEquals(List.of("-Xmx512m"), new SweepPlan.Cell(1000, 16_384).jvmOptions());
        assertEquals(List.of(), new SweepPlan.Cell(1000, 1024).jvmOptions());
        assertEquals(List.of(), new SweepPlan.Cell(200, 16_384).jvmOptions());
    }

    @Test
    void eachCellRunsOnBothEngines_workerFirstInOddRounds_secondInEvenOnes() {
        var plan = new SweepPlan(List.of(200, 20), List.of(16_384, 1024), 2);

        assertEquals(List.of("W-20ms-1024", "P-20ms-1024", "W-20ms-16384", "P-20ms-16384",
                "W-200ms-1024", "P-200ms-1024", "W-200ms-16384", "P-200ms-16384"), names(plan.inRoundOrder(1)));
        assertEquals(List.of("P-20ms-1024", "W-20ms-1024", "P-20ms-16384", "W-20ms-16384",
                "P-200ms-1024", "W-200ms-1024", "P-200ms-16384", "W-200ms-16384"), names(plan.inRoundOrder(2)));
    }

    @Test
    void aCellsWorkloads_shareStepsLimitOrderingAndBacklog_andDifferInEngine() {
        var cell = new SweepPlan.Cell(200, 4096);
        Workload w = cell.on(Engine.WORKER);
        Workload p = cell.on(Engine.PARALLEL_CONSUMER);

        for (Workload x : List.of(w, p)) {
            assertEquals(200, x.stepLatencyMs());
            assertEquals(50, x.stepJitterMs());
            assertEquals(4096, x.maxInFlight());
            assertEquals("key", x.ordering());
            assertEquals(cell.backlog(), x.orders());
        }
        assertEquals(Engine.WORKER, w.engine());
        assertEquals(Engine.PARALLEL_CONSUMER, p.engine());
    }

    @Test
    void defaultGrid_isEstimatedAtAboutTwentyMinutesForTwoRounds() {
        double minutes = new SweepPlan(List.of(0, 20, 200, 1000), List.of(1024, 16_384), 2).estimatedMinutes();
        assertTrue(minutes > 15 && minutes < 25, () -> "estimated " + minutes + " min");
    }

    @Test
    void emptyOrNegativeGrid_isRefusedNamingTheFlag() {
        assertThrows(IllegalArgumentException.class, () -> new SweepPlan(List.of(), List.of(1024), 1));
        var latency = assertThrows(IllegalArgumentException.class, () -> new SweepPlan(List.of(-5), List.of(1024), 1));
        assertTrue(latency.getMessage().contains("--sweep-latencies"), latency.getMessage());
        var limit = assertThrows(IllegalArgumentException.class, () -> new SweepPlan(List.of(20), List.of(0), 1));
        assertTrue(limit.getMessage().contains("--sweep-in-flight"), limit.getMessage());
    }

    private static List<String> names(List<Workload> workloads) {
        return workloads.stream().map(Workload::name).toList();
    }
}
