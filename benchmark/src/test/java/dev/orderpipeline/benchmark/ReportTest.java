package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ReportTest {

    private static Result result(Workload w, double perSecond, double p99) {
        return new Result(w, 1, w.orders(), true, perSecond, perSecond, 1, perSecond / 2, 100, 20, p99, p99 + 5,
                100, 50, 200, 40, 3, Math.max(1, w.maxInFlight()), 0, 0, Double.NaN);
    }

    private static List<Summary> sample() {
        var w0 = Workload.rawPipe(1000);
        var w1 = Workload.worker("W1", "zero", 0, 0, 1024, "key", 1000);
        var w2 = Workload.worker("W2c", "steps", 20, 5, 1024, "key", 1000);
        var w3 = Workload.worker("W3", "partition", 20, 5, 1024, "partition", 100);
        return List.of(
                new Summary(w0, List.of(result(w0, 10_000, 5), result(w0, 12_000, 5), result(w0, 11_000, 5))),
                new Summary(w1, List.of(result(w1, 8_000, 5))),
                new Summary(w2, List.of(result(w2, 4_000, 45))),
                new Summary(w3, List.of(result(w3, 100, 30))));
    }

    @Test
    void table_hasOneRowPerWorkload_withMedianAndEachRound() {
        String table = Report.table(sample());
        assertEquals(2 + 4, table.lines().count(), table);
        assertTrue(table.contains("| **11000** | 10000 / 12000 / 11000 | 11000 |"), table);
    }

    @Test
    void targets_passAndMissFromTheRatios() {
        List<String> lines = Report.targets(sample()).stream().map(Report.Target::line).toList();
        assertEquals(List.of(
                "PASS  W1 >= 0.7 x W0 (ratio W1/W0): measured 0.73, required 0.70",
                "PASS  W2c@1024 >= 50 x W3 (ratio): measured 40.0, required 50.0".replace("PASS", "MISS"),
                "MISS  W2c@1024 >= 0.8 x min(1024/20 ms, W0) orders/s: measured 4000, required 8800",
                "PASS  W2c@1024 p99 at half max load <= step p99 24.9 + 25 ms: measured 45.0, required 49.9"), lines);
    }

    @Test
    void targets_leaveOutExactlyOnceAndBaselineRuns() {
        var w2 = Workload.worker("W2c", "steps", 20, 5, 1024, "key", 1000);
        var w2x = w2.exactlyOnce("W2x", 1000);
        List<Summary> summaries = List.of(
                new Summary(w2, List.of(result(w2, 4_000, 45))),
                new Summary(w2x, List.of(result(w2x, 9_000, 1050))),
                new Summary(w2.onBaseline(), List.of(result(w2.onBaseline(), 9_000, 300))));
        List<String> lines = Report.targets(summaries).stream().map(Report.Target::line).toList();
        assertEquals(List.of("PASS  W2c@1024 p99 at half max load <= step p99 24.9 + 25 ms: measured 45.0, required 49.9"),
                lines);
    }

    @Test
    void baselineComparison_givesEachWorkloadsRatioToItsBaselineRun() {
        var w1 = Workload.worker("W1", "zero", 0, 0, 1024, "key", 1000);
        var base = w1.onBaseline();
        String table = Report.baselineComparison(List.of(
                new Summary(w1, List.of(result(w1, 12_000, 80))),
                new Summary(base, List.of(result(base, 10_000, 90)))), "/tmp/old.jar");
        assertEquals("W1-base", base.name());
        assertTrue(table.contains("| W1 | 12000 | 10000 | 1.20 |"), table);
        assertEquals(1, table.lines().filter(l -> l.startsWith("| W1")).count(), table);
    }

    @Test
    void peerComparison_givesWorkerOverParallelConsumer_soAboveOneTheWorkerIsBetter() {
        var w2c = Workload.worker("W2c", "worker, steps", 20, 5, 1024, "key", 1000);
        var p2c = w2c.onParallelConsumer();
        var w0 = Workload.rawPipe(1000);
        String table = Report.peerComparison(List.of(
                new Summary(w0, List.of(result(w0, 50_000, 5))),
                new Summary(w2c, List.of(result(w2c, 12_000, 40))),
                new Summary(p2c, List.of(result(p2c, 4_000, 80)))));

        assertEquals("P2c", p2c.name());
        // orders/s 12,000 / 4,000; CPU 100 / 100; p99 80 / 40
        assertTrue(table.contains("| W2c / P2c | 12000 | 4000 | **3.00** | 100 | 100 | 1.00 | 40.0 | 80.0 | 2.00 | - |"), table);
        assertEquals(1, table.lines().filter(l -> l.startsWith("| W")).count(), "the raw pipe has no peer: " + table);
    }

    @Test
    void chart_writesAReadablePng(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path png = dir.resolve("chart.png");
        Chart.write(sample(), "test", png);
        var image = ImageIO.read(png.toFile());
        assertEquals(960, image.getWidth());
        assertTrue(Files.size(png) > 1000);
    }
}
