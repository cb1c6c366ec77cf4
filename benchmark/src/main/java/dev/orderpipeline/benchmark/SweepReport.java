package dev.orderpipeline.benchmark;

import static dev.orderpipeline.benchmark.Report.num;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The sweep's table and PASS/MISS lines, from summaries alone (no I/O). */
final class SweepReport {

    /** Worker ÷ PC orders/s required below 200 ms steps, where CPU and not waiting decides. */
    static final double SHORT_STEP_RATIO = 1.5;
    /** ... and at 200 ms and above, where Parallel Consumer's thread per order is what limits it. */
    static final double LONG_STEP_RATIO = 3;
    static final int LONG_STEP_MS = 200;
    /** The in-flight limit of W1, whose orders/s at 0 ms steps is the CPU-bound rate. */
    static final int CPU_BOUND_IN_FLIGHT = 1024;

    private SweepReport() {
    }

    static String table(List<Summary> summaries) {
        var sb = new StringBuilder();
        sb.append("| steps | in-flight | engine | backlog | orders/s (median) | per round | p99 ms at half rate "
                + "| CPU µs/order | heap max after GC MB | heap KB per in-flight order | Little's bound orders/s "
                + "| worker ÷ PC orders/s | not succeeded (all rounds) | exit |\n");
        sb.append("|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Summary s : sorted(summaries)) {
            Workload w = s.workload();
            SweepPlan.Cell cell = cellOf(w);
            List<String> perRound = new ArrayList<>();
            for (Result r : s.rounds()) {
                perRound.add(num(r.ordersPerSecond()) + (r.complete() ? "" : " (incomplete)"));
            }
            String ratio = w.engine() == Engine.WORKER ? num(ratio(summaries, cell)) : "";
            sb.append("| ").append(w.stepLatencyMs()).append("±").append(w.stepJitterMs()).append(" ms")
                    .append(" | ").append(w.maxInFlight())
                    .append(" | ").append(w.engine().label()).append(cell.heapCell() ? ", " + SweepPlan.HEAP_CELL_LIMIT : "")
                    .append(" | ").append(w.orders())
                    .append(" | **").append(num(s.throughput())).append("**")
                    .append(" | ").append(String.join(" / ", perRound))
                    .append(" | ").append(num(s.p99()))
                    .append(" | ").append(num(s.workerCpu()))
                    .append(" | ").append(s.heapAfterGcMb())
                    .append(" | ").append(num(heapKbPerInFlight(s)))
                    .append(" | ").append(Double.isInfinite(cell.littleBound()) ? "-" : num(cell.littleBound()))
                    .append(" | ").append(ratio.isEmpty() ? "" : "**" + ratio + "**")
                    .append(" | ").append(s.notSucceeded())
                    .append(" | ").append(s.exitCodes())
                    .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * The largest live heap seen after a collection, per order the limit lets in flight, in KB:
     * the whole live set (Kafka clients' buffers, fetched records waiting, the JIT's heap objects)
     * divided by the limit, so an upper bound of what one order costs. -1 without a GC log line.
     */
    static double heapKbPerInFlight(Summary s) {
        long mb = s.heapAfterGcMb();
        return mb <= 0 ? Double.NaN : mb * 1024.0 / s.workload().maxInFlight();
    }

    /** Worker ÷ Parallel Consumer orders/s (medians) in {@code cell}; NaN if either is missing. */
    static double ratio(List<Summary> summaries, SweepPlan.Cell cell) {
        Optional<Summary> w = find(summaries, cell, Engine.WORKER);
        Optional<Summary> p = find(summaries, cell, Engine.PARALLEL_CONSUMER);
        return w.isEmpty() || p.isEmpty() ? Double.NaN : w.get().throughput() / p.get().throughput();
    }

    /** W1's orders/s in this run: the worker at 0 ms steps and 1,024 in flight; NaN if the grid has no such cell. */
    static double cpuBoundRate(List<Summary> summaries) {
        return find(summaries, new SweepPlan.Cell(0, CPU_BOUND_IN_FLIGHT), Engine.WORKER).map(Summary::throughput)
                .orElse(Double.NaN);
    }

    /** The worker ÷ PC ratios per cell, and the -Xmx512m cell against its bound. */
    static List<Report.Target> targets(List<Summary> summaries) {
        List<Report.Target> out = new ArrayList<>();
        for (Summary s : sorted(summaries)) {
            Workload w = s.workload();
            if (w.engine() != Engine.WORKER) {
                continue;
            }
            SweepPlan.Cell cell = cellOf(w);
            double ratio = ratio(summaries, cell);
            if (!Double.isNaN(ratio)) {
                double required = w.stepLatencyMs() >= LONG_STEP_MS ? LONG_STEP_RATIO : SHORT_STEP_RATIO;
                out.add(new Report.Target("worker ÷ PC orders/s at " + w.stepLatencyMs() + " ms steps, " + w.maxInFlight()
                        + " in flight", ratio, required, ratio >= required));
            }
            if (cell.heapCell()) {
                out.add(heapCellTarget(s, cell, cpuBoundRate(summaries)));
            }
        }
        out.addAll(bestLimitTargets(summaries));
        return out;
    }

    /**
     * Per step latency, each engine at the in-flight limit where it did best: what a team gets
     * from each when it tunes the limit for its steps (Parallel Consumer's best is usually the
     * smaller limit, a platform thread per order in flight; the worker's the larger).
     */
    static List<Report.Target> bestLimitTargets(List<Summary> summaries) {
        List<Report.Target> out = new ArrayList<>();
        summaries.stream().map(s -> s.workload().stepLatencyMs()).distinct().sorted().forEach(latency -> {
            Optional<Summary> worker = best(summaries, latency, Engine.WORKER);
            Optional<Summary> pc = best(summaries, latency, Engine.PARALLEL_CONSUMER);
            if (worker.isPresent() && pc.isPresent()) {
                double ratio = worker.get().throughput() / pc.get().throughput();
                double required = latency >= LONG_STEP_MS ? LONG_STEP_RATIO : SHORT_STEP_RATIO;
                out.add(new Report.Target("worker ÷ PC orders/s at " + latency + " ms steps, each at its best in-flight limit"
                        + " (worker " + worker.get().workload().maxInFlight() + ", PC " + pc.get().workload().maxInFlight() + ")",
                        ratio, required, ratio >= required));
            }
        });
        return out;
    }

    private static Optional<Summary> best(List<Summary> summaries, int latencyMs, Engine engine) {
        return summaries.stream()
                .filter(s -> s.workload().engine() == engine && s.workload().stepLatencyMs() == latencyMs)
                .filter(s -> !Double.isNaN(s.throughput()))
                .max(Comparator.comparingDouble(Summary::throughput));
    }

    /**
     * The worker at 1,000 ms steps and 16,384 in flight inside -Xmx512m: every round complete and
     * at >= 0.8 of the lower of Little's bound and the CPU-bound rate (Little's bound alone if
     * the run has no 0 ms cell to measure that).
     */
    static Report.Target heapCellTarget(Summary s, SweepPlan.Cell cell, double cpuBoundRate) {
        double bound = Double.isNaN(cpuBoundRate) ? cell.littleBound() : Math.min(cell.littleBound(), cpuBoundRate);
        double required = 0.8 * bound;
        boolean complete = s.allComplete() && s.exitCodes().equals("0");
        String description = String.format(java.util.Locale.ROOT,
                "worker, %d ms steps, %d in flight, %s: complete, exit 0, orders/s >= 0.8 x min(%d / %.3f s = %s, %s)%s",
                cell.latencyMs(), cell.inFlight(), SweepPlan.HEAP_CELL_LIMIT, cell.inFlight(), cell.orderSeconds(),
                num(cell.littleBound()), Double.isNaN(cpuBoundRate) ? "W1 not measured" : "W1 " + num(cpuBoundRate),
                complete ? "" : " (NOT complete with exit 0: exit " + s.exitCodes() + ")");
        return new Report.Target(description, s.throughput(), required, complete && s.throughput() >= required);
    }

    private static SweepPlan.Cell cellOf(Workload w) {
        return new SweepPlan.Cell(w.stepLatencyMs(), w.maxInFlight());
    }

    private static Optional<Summary> find(List<Summary> summaries, SweepPlan.Cell cell, Engine engine) {
        return summaries.stream().filter(s -> s.workload().engine() == engine && cellOf(s.workload()).equals(cell))
                .findFirst();
    }

    private static List<Summary> sorted(List<Summary> summaries) {
        return summaries.stream().sorted(Comparator.<Summary>comparingInt(s -> s.workload().stepLatencyMs())
                .thenComparingInt(s -> s.workload().maxInFlight())
                .thenComparing(s -> s.workload().engine())).toList();
    }
}
