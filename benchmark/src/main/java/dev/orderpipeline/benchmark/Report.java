package dev.orderpipeline.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Markdown table and the PASS/MISS lines, from summaries alone (no I/O). */
final class Report {

    private Report() {
    }

    /** A target and whether this run met it. */
    record Target(String description, double measured, double required, boolean met) {
        String line() {
            return String.format(Locale.ROOT, "%s  %s: measured %s, required %s",
                    met ? "PASS" : "MISS", description, num(measured), num(required));
        }
    }

    static String table(List<Summary> summaries) {
        var sb = new StringBuilder();
        sb.append("| workload | steps | in-flight | ordering | backlog | orders/s (median) | orders/s per round | last 80%, median"
                + " | latency at rate | p50 ms | p99 ms | p99.9 ms | worker CPU µs/order | broker CPU µs/order"
                + " | worker heap peak / max after GC MB | max running (stamps) | not succeeded | exit |\n");
        sb.append("|---|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|\n");
        for (Summary s : summaries) {
            Workload w = s.workload();
            List<String> perRound = new ArrayList<>();
            for (Result r : s.rounds()) {
                perRound.add(num(r.ordersPerSecond()) + (r.complete() ? "" : " (incomplete)"));
            }
            sb.append("| ").append(w.name()).append(' ').append(w.description())
                    .append(" | ").append(w.raw() ? "-" : (w.http() ? "HTTP " : "") + w.stepLatencyMs() + "±" + w.stepJitterMs() + " ms")
                    .append(" | ").append(w.raw() ? "-" : Integer.toString(w.maxInFlight()))
                    .append(" | ").append(w.ordering())
                    .append(" | ").append(w.orders())
                    .append(" | **").append(num(s.throughput())).append("**")
                    .append(" | ").append(String.join(" / ", perRound))
                    .append(" | ").append(num(s.steady()))
                    .append(" | ").append(num(s.latencyRate())).append("/s")
                    .append(" | ").append(num(s.p50()))
                    .append(" | ").append(num(s.p99()))
                    .append(" | ").append(num(s.p999()))
                    .append(" | ").append(num(s.workerCpu()))
                    .append(" | ").append(num(s.brokerCpu()))
                    .append(" | ").append(s.heapPeakMb()).append(" / ").append(s.heapAfterGcMb())
                    .append(" | ").append(s.maxRunning() < 0 ? "-" : Integer.toString(s.maxRunning()))
                    .append(" | ").append(w.raw() ? "-" : Long.toString(s.notSucceeded()))
                    .append(" | ").append(s.exitCodes())
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** The throughput targets, evaluated on the medians of this run. */
    static List<Target> targets(List<Summary> all) {
        // The targets are for the default mode and the build under test: W1x/W2x show what
        // exactly-once costs (outcomes visible at their transaction's commit), W2t what tracing
        // costs, baselines are for A/B.
        List<Summary> summaries = all.stream()
                .filter(s -> !s.workload().transactional() && !s.workload().baseline() && !s.workload().traced()).toList();
        List<Target> out = new ArrayList<>();
        Optional<Summary> w0 = find(summaries, "W0");
        Optional<Summary> w1 = find(summaries, "W1");
        Optional<Summary> w3 = find(summaries, "W3");
        Optional<Summary> w2max = summaries.stream().filter(s -> s.workload().name().startsWith("W2"))
                .max(java.util.Comparator.comparingInt(s -> s.workload().maxInFlight()));
        if (w0.isPresent() && w1.isPresent()) {
            double ratio = w1.get().throughput() / w0.get().throughput();
            out.add(new Target("W1 >= 0.7 x W0 (ratio W1/W0)", ratio, 0.7, ratio >= 0.7));
        }
        if (w2max.isPresent() && w3.isPresent()) {
            Summary w2 = w2max.get();
            double ratio = w2.throughput() / w3.get().throughput();
            out.add(new Target(w2.workload().name() + "@" + w2.workload().maxInFlight() + " >= 50 x W3 (ratio)",
                    ratio, 50, ratio >= 50));
        }
        if (w2max.isPresent() && w0.isPresent()) {
            Workload w = w2max.get().workload();
            double bound = Math.min(w.maxInFlight() / (w.stepLatencyMs() / 1000.0), w0.get().throughput());
            double required = 0.8 * bound;
            out.add(new Target(w.name() + "@" + w.maxInFlight() + " >= 0.8 x min(" + w.maxInFlight() + "/"
                    + w.stepLatencyMs() + " ms, W0) orders/s", w2max.get().throughput(), required,
                    w2max.get().throughput() >= required));
        }
        for (Summary s : summaries) {
            Workload w = s.workload();
            if (w.name().startsWith("W2")) {
                double required = stepP99Ms(w) + 25;
                out.add(new Target(w.name() + "@" + w.maxInFlight() + " p99 at half max load <= step p99 "
                        + num(stepP99Ms(w)) + " + 25 ms", s.p99(), required, s.p99() <= required));
            }
        }
        return out;
    }

    /**
     * Each workload against its run on the {@code --baseline-jar} build in the same rounds: the
     * ratios of the medians (above 1 the build under test is faster, or cheaper).
     */
    static String baselineComparison(List<Summary> summaries, String baselineJar) {
        var sb = new StringBuilder("## Against the baseline build\n\n");
        sb.append("Baseline: `").append(baselineJar).append("`, run next to each workload in every round: after it in odd rounds, before it in even ones.\n\n");
        sb.append("| workload | orders/s | baseline orders/s | ratio | worker CPU µs/order | baseline µs/order | CPU ratio (baseline / this) "
                + "| p99 ms | baseline p99 ms |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Summary s : summaries) {
            if (s.workload().baseline()) {
                continue;
            }
            Optional<Summary> base = find(summaries, s.workload().name() + Workload.BASELINE_SUFFIX);
            if (base.isEmpty()) {
                continue;
            }
            Summary b = base.get();
            sb.append("| ").append(s.workload().name())
                    .append(" | ").append(num(s.throughput()))
                    .append(" | ").append(num(b.throughput()))
                    .append(" | ").append(num(s.throughput() / b.throughput()))
                    .append(" | ").append(num(s.workerCpu()))
                    .append(" | ").append(num(b.workerCpu()))
                    .append(" | ").append(num(b.workerCpu() / s.workerCpu()))
                    .append(" | ").append(num(s.p99()))
                    .append(" | ").append(num(b.p99()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Each worker workload against its Parallel Consumer peer in the same rounds ({@code W1} and
     * {@code P1}, ...): the ratios of the medians, worker ÷ PC for orders/s, PC ÷ worker for CPU
     * per order and p99, so above 1 the worker is better in every column.
     */
    static String peerComparison(List<Summary> summaries) {
        var sb = new StringBuilder("## Worker against Parallel Consumer\n\n");
        sb.append("Each workload and its Parallel Consumer peer (same steps, in-flight limit, key ordering and backlog) "
                + "run back to back in every round: the worker first in odd rounds, second in even ones. "
                + "Above 1 the worker is better.\n\n");
        sb.append("| workload | worker orders/s | PC orders/s | worker ÷ PC orders/s | worker CPU µs/order | PC CPU µs/order "
                + "| PC ÷ worker CPU | worker p99 ms | PC p99 ms | PC ÷ worker p99 | stub CPU µs/order, worker / PC |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Summary s : summaries) {
            if (s.workload().engine() != Engine.WORKER) {
                continue;
            }
            Optional<Summary> peer = find(summaries, Workload.peerName(s.workload().name()))
                    .filter(p -> p.workload().parallelConsumer());
            if (peer.isEmpty()) {
                continue;
            }
            Summary p = peer.get();
            sb.append("| ").append(s.workload().name()).append(" / ").append(p.workload().name())
                    .append(" | ").append(num(s.throughput()))
                    .append(" | ").append(num(p.throughput()))
                    .append(" | **").append(num(s.throughput() / p.throughput())).append("**")
                    .append(" | ").append(num(s.workerCpu()))
                    .append(" | ").append(num(p.workerCpu()))
                    .append(" | ").append(num(p.workerCpu() / s.workerCpu()))
                    .append(" | ").append(num(s.p99()))
                    .append(" | ").append(num(p.p99()))
                    .append(" | ").append(num(p.p99() / s.p99()))
                    .append(" | ").append(s.workload().http() ? num(s.stubCpu()) + " / " + num(p.stubCpu()) : "-")
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** A step waits mean ± jitter, uniform: its p99 is mean + 0.98 x jitter. */
    static double stepP99Ms(Workload w) {
        return w.stepLatencyMs() + 0.98 * w.stepJitterMs();
    }

    private static Optional<Summary> find(List<Summary> summaries, String name) {
        return summaries.stream().filter(s -> s.workload().name().equals(name)).findFirst();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == 0) {
            return "0";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
