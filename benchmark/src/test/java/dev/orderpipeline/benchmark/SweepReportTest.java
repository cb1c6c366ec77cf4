package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's table, its worker ÷ PC verdicts, the -Xmx512m verdict and its chart. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SweepReportTest {

    private static Summary summary(int latencyMs, int inFlight, Engine engine, double perSecond, long heapAfterGcMb,
                                   boolean complete, int exit) {
        Workload w = new SweepPlan.Cell(latencyMs, inFlight).on(engine);
        return new Summary(w, List.of(new Result(w, 1, w.orders(), complete, perSecond, perSecond, 12, perSecond / 2, 100,
                latencyMs + 3, latencyMs + 30, latencyMs + 40, 90, 10, heapAfterGcMb * 2, heapAfterGcMb, 5, inFlight, 0,
                exit, Double.NaN)));
    }

    private static List<Summary> sample() {
        return List.of(
                summary(0, 1024, Engine.WORKER, 12_000, 64, true, 0),
                summary(0, 1024, Engine.PARALLEL_CONSUMER, 6_000, 80, true, 0),
                summary(200, 1024, Engine.WORKER, 4_000, 64, true, 0),
                summary(200, 1024, Engine.PARALLEL_CONSUMER, 2_000, 96, true, 0),
                summary(1000, 16_384, Engine.WORKER, 10_000, 256, true, 0),
                summary(1000, 16_384, Engine.PARALLEL_CONSUMER, 500, 400, false, 1));
    }

    @Test
    void targets_needOneAndAHalfBelow200Ms_threeFrom200Ms_andTheHeapCellItsBound() {
        List<String> lines = SweepReport.targets(sample()).stream().map(Report.Target::line).toList();

        assertEquals(List.of(
                "PASS  worker ÷ PC orders/s at 0 ms steps, 1024 in flight: measured 2.00, required 1.50",
                "MISS  worker ÷ PC orders/s at 200 ms steps, 1024 in flight: measured 2.00, required 3.00",
                "PASS  worker ÷ PC orders/s at 1000 ms steps, 16384 in flight: measured 20.0, required 3.00",
                // min(16,384 / 1.125 s = 14,564, W1 = 12,000) x 0.8 = 9,600
                "PASS  worker, 1000 ms steps, 16384 in flight, -Xmx512m: complete, exit 0, orders/s >= 0.8 x "
                        + "min(16384 / 1.125 s = 14564, W1 12000): measured 10000, required 9600",
                "PASS  worker ÷ PC orders/s at 0 ms steps, each at its best in-flight limit (worker 1024, PC 1024): "
                        + "measured 2.00, required 1.50",
                "MISS  worker ÷ PC orders/s at 200 ms steps, each at its best in-flight limit (worker 1024, PC 1024): "
                        + "measured 2.00, required 3.00",
                "PASS  worker ÷ PC orders/s at 1000 ms steps, each at its best in-flight limit (worker 16384, PC 16384): "
                        + "measured 20.0, required 3.00"), lines);
    }

    @Test
    void bestLimitTargets_compareEachEngineAtTheLimitWhereItDidBest() {
        List<Summary> summaries = List.of(
                summary(200, 1024, Engine.WORKER, 4_000, 64, true, 0),
                summary(200, 16_384, Engine.WORKER, 12_000, 200, true, 0),
                summary(200, 1024, Engine.PARALLEL_CONSUMER, 3_800, 96, true, 0),
                summary(200, 16_384, Engine.PARALLEL_CONSUMER, 2_000, 900, true, 0));

        List<String> lines = SweepReport.bestLimitTargets(summaries).stream().map(Report.Target::line).toList();

        // 12,000 (worker at 16,384) / 3,800 (PC at 1,024) = 3.16
        assertEquals(List.of("PASS  worker ÷ PC orders/s at 200 ms steps, each at its best in-flight limit "
                + "(worker 16384, PC 1024): measured 3.16, required 3.00"), lines);
    }

    @Test
    void heapCell_withoutA0MsCell_usesLittlesBoundAlone_andAnIncompleteRunMisses() {
        var cell = new SweepPlan.Cell(1000, 16_384);
        Report.Target fast = SweepReport.heapCellTarget(summary(1000, 16_384, Engine.WORKER, 12_000, 256, true, 0), cell,
                Double.NaN);
        assertEquals(0.8 * 16_384 / 1.125, fast.required(), 1e-6);
        assertTrue(fast.met(), fast.line());

        Report.Target cut = SweepReport.heapCellTarget(summary(1000, 16_384, Engine.WORKER, 12_000, 256, false, 137), cell,
                Double.NaN);
        assertTrue(!cut.met() && cut.line().contains("NOT complete with exit 0: exit 137"), cut.line());
    }

    @Test
    void table_hasARowPerEngineAndCell_theRatioOnTheWorkersRow_andHeapPerInFlightOrderInKb() {
        String table = SweepReport.table(sample());

        assertEquals(2 + 6, table.lines().count(), table);
        String workerRow = table.lines().filter(l -> l.startsWith("| 1000±250 ms | 16384 | worker")).findFirst().orElseThrow();
        // 256 MB x 1024 / 16,384 in flight = 16 KB per order; ratio 10,000 / 500 = 20
        assertTrue(workerRow.contains("| 256 | 16.0 | 14564 | **20.0** | 0 | 0 |"), workerRow);
        assertTrue(workerRow.contains("worker, -Xmx512m"), workerRow);
        String pcRow = table.lines().filter(l -> l.startsWith("| 1000±250 ms | 16384 | Parallel Consumer")).findFirst()
                .orElseThrow();
        assertTrue(pcRow.contains("500 (incomplete)") && pcRow.endsWith("|  | 0 | 1 |"), pcRow);
    }

    @Test
    void cpuBoundRate_isTheWorkerAt0MsAnd1024InFlight_orNaN() {
        assertEquals(12_000, SweepReport.cpuBoundRate(sample()), 1e-9);
        assertTrue(Double.isNaN(SweepReport.cpuBoundRate(sample().subList(2, 6))));
    }

    @Test
    void heapNote_saysWhatAUserWouldSee_completionExitAndOutOfMemoryLines() {
        Summary pc = summary(1000, 16_384, Engine.PARALLEL_CONSUMER, 500, 400, false, 1);
        String note = Sweep.heapNote(pc.workload(), 1, pc.rounds().getFirst(), List.of(
                "[pc-pool-3] ERROR - java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory",
                "parallel consumer stopped: processed=10"), new GcLog(40, 512, 438, 512, 2, 300));

        assertTrue(note.startsWith("Parallel Consumer round 1: INCOMPLETE"), note);
        assertTrue(note.contains("exit 1, 1 OutOfMemoryError lines (1 of them \"unable to create native thread\")"), note);
        assertTrue(note.endsWith("2 full GCs (live after them at most 300 MB)"), note);
    }

    @Test
    void chart_writesAReadablePng(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path png = dir.resolve("sweep.png");

        SweepChart.write(sample(), "test", png);

        var image = ImageIO.read(png.toFile());
        assertEquals(960, image.getWidth());
        assertTrue(Files.size(png) > 1000);
    }
}
