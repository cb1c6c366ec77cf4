package dev.orderpipeline.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --sweep}: the worker and Parallel Consumer over step latencies and in-flight limits
 * ({@link SweepPlan}), interleaved per round; {@code sweep.md} and {@code sweep.png}.
 */
final class Sweep {

    private final BenchmarkOptions opts;

    Sweep(BenchmarkOptions opts) {
        this.opts = opts;
    }

    void run(Rig rig, Runner runner, String[] args) throws Exception {
        var plan = new SweepPlan(opts.sweepLatencies, opts.sweepInFlight, opts.rounds);
        System.out.printf("sweep: %d cells x 2 engines x %d rounds, about %.0f min if both engines drain at the expected rate%n",
                plan.cells().size(), plan.rounds(), plan.estimatedMinutes());
        Map<String, List<Result>> byName = new LinkedHashMap<>();
        Map<String, Workload> workloads = new LinkedHashMap<>();
        // What the -Xmx512m runs printed that a user would notice: heap or thread exhaustion.
        List<String> heapNotes = new ArrayList<>();
        String began = Rig.STAMP.format(Instant.now());
        long t0 = System.nanoTime();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (Workload w : plan.inRoundOrder(round)) {
                var cell = new SweepPlan.Cell(w.stepLatencyMs(), w.maxInFlight());
                // At least a minute, else six times the expected drain: Parallel Consumer may be much slower.
                Duration timeout = Duration.ofSeconds((long) Math.max(60, 6 * w.orders() / cell.expectedPerSecond()));
                long t = System.nanoTime();
                Result r = runner.run(w, round, cell.jvmOptions(), timeout, true);
                workloads.putIfAbsent(w.name(), w);
                byName.computeIfAbsent(w.name(), k -> new ArrayList<>()).add(r);
                System.out.printf("round %d %-16s %9s orders/s  p99 %7s ms  CPU %6s µs/order  %s  (%.0f s)%n", round, w.name(),
                        Report.num(r.ordersPerSecond()), Report.num(r.p99Ms()), Report.num(r.workerCpuMicrosPerOrder()),
                        r.complete() ? "complete" : "INCOMPLETE " + r.outcomes() + "/" + w.orders(),
                        (System.nanoTime() - t) / 1e9);
                if (cell.heapCell()) {
                    heapNotes.add(heapNote(w, round, r, Files.readAllLines(runner.lastLog()), runner.lastGcLog()));
                }
            }
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        List<Summary> summaries = workloads.values().stream().map(w -> new Summary(w, byName.get(w.name()))).toList();

        var md = new StringBuilder("# Step-latency sweep: the worker against Parallel Consumer\n\n");
        md.append(rig.machine(began, args)).append('\n');
        md.append(String.format("Rounds: %d; each round runs every cell on both engines, back to back, the worker first in "
                + "odd rounds and second in even ones; medians below. Measured part took %.1f min.%n%n", plan.rounds(), minutes));
        md.append(SweepReport.table(summaries)).append('\n');
        md.append("## Targets\n\n```\n");
        for (Report.Target target : SweepReport.targets(summaries)) {
            md.append(target.line()).append('\n');
        }
        md.append("```\n\n");
        if (!heapNotes.isEmpty()) {
            md.append("## The ").append(SweepPlan.HEAP_CELL_LIMIT).append(" cell\n\n");
            heapNotes.forEach(note -> md.append("- ").append(note).append('\n'));
            md.append('\n');
        }
        md.append(method());

        Path dir = opts.results;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("sweep.md"), md.toString(), StandardCharsets.UTF_8);
        SweepChart.write(summaries, "Worker vs Parallel Consumer across step latencies (" + Runtime.getRuntime()
                .availableProcessors() + " cores, " + began.substring(0, 10) + ")", dir.resolve("sweep.png"));
        System.out.println();
        System.out.println(md);
        System.out.println("written: " + dir.resolve("sweep.md") + ", " + dir.resolve("sweep.png"));
    }

    /** What one -Xmx512m run did, as a user would see it: complete or not, exit code, OOM and thread-limit lines. */
    static String heapNote(Workload w, int round, Result r, List<String> log, GcLog gc) {
        long oom = log.stream().filter(l -> l.contains("OutOfMemoryError")).count();
        long threads = log.stream().filter(l -> l.contains("unable to create native thread")
                || l.contains("unable to create new native thread")).count();
        return String.format(java.util.Locale.ROOT,
                "%s round %d: %s (%d of %d outcomes), %s orders/s, exit %d, %d OutOfMemoryError lines (%d of them "
                        + "\"unable to create native thread\"), heap after GC at most %d MB, %d full GCs%s",
                w.engine().label(), round, r.complete() ? "complete" : "INCOMPLETE", r.outcomes(), w.orders(),
                Report.num(r.ordersPerSecond()), r.exitCode(), oom, threads, r.heapMaxAfterGcMb(), gc.fullCollections(),
                gc.fullCollections() == 0 ? "" : " (live after them at most " + gc.maxAfterFullMb() + " MB)");
    }

    private String method() {
        return """
                ## How it was measured

                - Every cell: three steps of L ± L/4 ms (uniform) at once per order, key ordering, the courier pool = the
                  in-flight limit (`--courier-pool-size %s`), 6 partitions, the backlog preloaded before the engine starts
                  and sized for a drain of about %.0f s at min(limit / mean order time, %s orders/s).
                - **orders/s**, **CPU µs/order** (the engine's process) and **p99** (open-loop at half the measured rate for
                  %d s) as in the comparison (`latest.md`).
                - **heap KB per in-flight order** = the largest heap after a GC in the engine's `-Xlog:gc` ÷ the in-flight
                  limit: the whole live set (Kafka clients' buffers, fetched records, the engine's own structures), so an
                  upper bound of one order's cost; default heap sizing except in the %s cell.
                - **Little's bound** = in-flight limit / mean order time of the steps alone; three steps of L ± J run at
                  once, so an order takes the longest of three: L + J/2 on average.
                - Targets: worker ÷ PC orders/s >= %.1f below %d ms steps, >= %.0f at %d ms and above; the worker at
                  %d ms steps and %d in flight within %s at >= 0.8 x the lower of Little's bound and W1's orders/s (the
                  worker at 0 ms steps and 1,024 in flight, in this run).
                """.formatted(opts.courierPoolSize, SweepPlan.DRAIN_SECONDS, Report.num(SweepPlan.CPU_CEILING_PER_SECOND),
                opts.latencySeconds, SweepPlan.HEAP_CELL_LIMIT, SweepReport.SHORT_STEP_RATIO, SweepReport.LONG_STEP_MS,
                SweepReport.LONG_STEP_RATIO, SweepReport.LONG_STEP_MS, SweepPlan.HEAP_CELL_LATENCY_MS,
                SweepPlan.HEAP_CELL_IN_FLIGHT, SweepPlan.HEAP_CELL_LIMIT);
    }
}
