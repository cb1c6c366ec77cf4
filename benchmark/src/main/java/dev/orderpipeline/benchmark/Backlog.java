package dev.orderpipeline.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --backlog}: a large backlog drained by a {@code -Xmx256m} worker; {@code backlog.md}. */
final class Backlog {

    private final BenchmarkOptions opts;

    Backlog(BenchmarkOptions opts) {
        this.opts = opts;
    }

    void run(Rig rig, Runner runner, String[] args) throws Exception {
        int n = opts.backlog;
        int latency = opts.backlogStepLatency;
        var w = Workload.worker("B", "backlog drain, -Xmx256m", latency, latency / 4, 1024, "key", n);
        String began = Rig.STAMP.format(Instant.now());
        long t = System.nanoTime();
        Result r = runner.run(w, 1, List.of("-Xmx256m"), Duration.ofMinutes(opts.backlogMinutes), false);
        List<String> workerLines = Files.readAllLines(runner.lastLog());
        long oomLines = workerLines.stream().filter(l -> l.contains("OutOfMemoryError")).count();
        // The worker's own high-water marks, from its stop line: -1 if it did not stop cleanly.
        int inFlightPeak = stopLineValue(workerLines, "in_flight_peak");
        int heldPeak = stopLineValue(workerLines, "held_peak");
        var md = new StringBuilder("# Backlog test\n\n").append(rig.machine(began, args)).append('\n');
        md.append(String.format("""
                | what | value |
                |---|---|
                | backlog preloaded before the worker started | %d orders |
                | worker | -Xmx256m, --max-in-flight %d, --ordering %s, steps %d±%d ms, courier pool %s |
                | outcomes seen | %d (%s) |
                | drain time, worker start to last outcome | %.1f s |
                | throughput, first to last outcome | %s orders/s |
                | OutOfMemoryError lines in the worker's output | %d |
                | worker exit code after SIGTERM | %d |
                | GCs / heap peak before GC / max after GC (-Xlog:gc) | %d / %d MB / %d MB |
                | most orders running at once, the worker's own count (`in_flight_peak`) | %d (limit %d) |
                | most orders running or fetched and waiting at once (`held_peak`) | %d (limit %d + one poll of at most %d) |
                | most orders running at once by the outcomes' receivedAt..completedAt | %d |
                | outcomes not `succeeded` | %d |
                | worker CPU per order | %s µs |

                The peaks are the worker's high-water marks (poll thread; also the gauges
                `orders_in_flight_peak` and `orders_held_peak`), read from its stop line. The count from
                the outcomes' stamps is a lower bound that checks them from outside.
                """, n, w.maxInFlight(), w.ordering(), w.stepLatencyMs(), w.stepJitterMs(), runner.courierPool(w),
                r.outcomes(), r.complete() ? "all" : "INCOMPLETE", r.drainSeconds(), Report.num(r.ordersPerSecond()),
                oomLines, r.exitCode(), r.gcCount(), r.heapPeakMb(), r.heapMaxAfterGcMb(), inFlightPeak, w.maxInFlight(),
                heldPeak, w.maxInFlight(), Math.min(500, w.maxInFlight()), r.maxRunning(),
                r.notSucceeded(), Report.num(r.workerCpuMicrosPerOrder())));
        md.append(String.format("%nTook %.0f s including the preload. Worker log and GC log: %s%n",
                (System.nanoTime() - t) / 1e9, rig.logs));
        Path dir = opts.results;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("backlog.md"), md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        boolean pass = r.complete() && oomLines == 0 && r.exitCode() == 0 && inFlightPeak >= 0
                && inFlightPeak <= w.maxInFlight() && r.maxRunning() <= inFlightPeak;
        System.out.println((pass ? "PASS" : "MISS") + "  backlog of " + n + " drained with -Xmx256m: no OutOfMemoryError, exit 0, "
                + "running orders within the limit");
    }

    /** {@code key=N} from the worker's "worker stopped:" line, or -1. */
    static int stopLineValue(List<String> workerLog, String key) {
        Pattern value = Pattern.compile("\\b" + Pattern.quote(key) + "=(\\d+)");
        for (String line : workerLog) {
            if (line.contains("worker stopped:")) {
                Matcher m = value.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return -1;
    }
}
