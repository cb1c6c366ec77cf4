package dev.orderpipeline.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default mode: every workload of the table below in interleaved rounds, medians, targets,
 * {@code latest.md} and {@code throughput.png}.
 */
final class Comparison {

    private final BenchmarkOptions opts;

    Comparison(BenchmarkOptions opts) {
        this.opts = opts;
    }

    /** The workloads {@code opts} selects, each partner (baseline copy, Parallel Consumer peer) right after its own. */
    static List<Workload> workloads(BenchmarkOptions opts) {
        Map<String, Integer> n = new LinkedHashMap<>(Map.of(
                // Drains of 10 to 20 s: long enough that JIT warm-up (several seconds on 2 cores, next
                // to the broker) is a small part of them. Shorter drains measured mostly warm-up and
                // halved the worker's orders/s.
                "W0", 400_000, "W1", 200_000, "W2a", 12_000, "W2b", 40_000, "W2c", 200_000, "W3", 800,
                "W1x", 150_000, "W2x", 150_000, "W2t", 200_000, "W4h", 20_000));
        if (opts.orders != null) {
            n.putAll(opts.orders);
        }
        Workload w1 = Workload.worker("W1", "worker, 0 ms steps", 0, 0, 1024, "key", n.get("W1"));
        Workload w2c = Workload.worker("W2c", "worker, 3 x 20 ms steps", 20, 5, 1024, "key", n.get("W2c"));
        List<Workload> all = List.of(
                Workload.rawPipe(n.get("W0")),
                w1,
                Workload.worker("W2a", "worker, 3 x 20 ms steps", 20, 5, 64, "key", n.get("W2a")),
                Workload.worker("W2b", "worker, 3 x 20 ms steps", 20, 5, 256, "key", n.get("W2b")),
                w2c,
                Workload.worker("W3", "worker, one order at a time per partition", 20, 5, 1024, "partition", n.get("W3")),
                // The cost of exactly-once: W1 and W2c with --delivery exactly-once, in the same rounds.
                w1.exactlyOnce("W1x", n.get("W1x")),
                w2c.exactlyOnce("W2x", n.get("W2x")),
                // The cost of tracing: W2c with every order's spans exported, in the same rounds.
                w2c.traced("W2t", n.get("W2t")),
                // Remote steps: three HTTP calls per order to the stub services (20 ± 5 ms each).
                w2c.overHttp("W4h", "worker, 3 HTTP calls of 20 ms", n.get("W4h")));
        // What a team would pick instead: the same workload on Parallel Consumer, in the same rounds.
        List<String> withPeers = List.of("W1", "W2c", "W4h");
        List<Workload> chosen = new ArrayList<>();
        for (Workload w : all) {
            if (opts.only == null || opts.only.contains(w.name())) {
                chosen.add(w);
                // A traced run has no baseline copy: the baseline build may not trace at all.
                if (opts.baselineJar != null && !w.raw() && !w.traced()) {
                    chosen.add(w.onBaseline()); // next to it, so both meet the same state of the machine
                }
            }
            String peer = Workload.peerName(w.name());
            if (withPeers.contains(w.name()) && (opts.only == null || opts.only.contains(peer))) {
                Workload p = w.onParallelConsumer();
                chosen.add(n.containsKey(peer) ? new Workload(p.name(), p.description(), p.engine(), p.stepLatencyMs(),
                        p.stepJitterMs(), p.maxInFlight(), p.ordering(), n.get(peer), p.delivery(), p.traced(), p.http()) : p);
            }
        }
        return chosen;
    }

    /**
     * {@code workloads} in the order {@code round} runs them: a workload and its partners (its
     * baseline copy, its Parallel Consumer peer) run back to back, in the listed order in odd
     * rounds and reversed in even ones, so that neither always meets the state the other leaves
     * behind (a broker busy compacting, a warm page cache, another process's burst).
     */
    static List<Workload> inRoundOrder(List<Workload> workloads, int round) {
        List<Workload> ordered = new ArrayList<>(workloads);
        if (round % 2 == 0) {
            for (int i = 0; i < ordered.size(); i++) {
                int end = i + 1;
                while (end < ordered.size() && ordered.get(end).partner()) {
                    end++;
                }
                Collections.reverse(ordered.subList(i, end));
                i = end - 1;
            }
        }
        return ordered;
    }

    void run(Rig rig, Runner runner, String[] args) throws Exception {
        int rounds = opts.rounds;
        List<Workload> workloads = workloads(opts);
        Map<String, List<Result>> byName = new LinkedHashMap<>();
        workloads.forEach(w -> byName.put(w.name(), new ArrayList<>()));
        String began = Rig.STAMP.format(Instant.now());
        long t0 = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            for (Workload w : inRoundOrder(workloads, round)) {
                long t = System.nanoTime();
                Result r = runner.run(w, round, List.of(), Duration.ofSeconds(150), true);
                byName.get(w.name()).add(r);
                System.out.printf("round %d %-6s %9s orders/s  p99 %7s ms  %s  (%.0f s)%n", round, w.name(),
                        Report.num(r.ordersPerSecond()), Report.num(r.p99Ms()),
                        r.complete() ? "complete" : "INCOMPLETE " + r.outcomes() + "/" + w.orders(),
                        (System.nanoTime() - t) / 1e9);
            }
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        List<Summary> summaries = workloads.stream().map(w -> new Summary(w, byName.get(w.name()))).toList();

        var md = new StringBuilder();
        md.append("# Throughput benchmark\n\n");
        md.append(rig.machine(began, args)).append('\n');
        md.append(String.format("Rounds: %d, interleaved (each round runs every workload once); medians below. "
                + "Measured part took %.1f min.%n%n", rounds, minutes));
        md.append(Report.table(summaries)).append('\n');
        md.append("## Targets\n\n```\n");
        for (Report.Target t : Report.targets(summaries)) {
            md.append(t.line()).append('\n');
        }
        md.append("```\n\n");
        if (summaries.stream().anyMatch(s -> s.workload().parallelConsumer())) {
            md.append(Report.peerComparison(summaries)).append('\n');
        }
        if (opts.baselineJar != null) {
            md.append(Report.baselineComparison(summaries, opts.baselineJar.toString())).append('\n');
        }
        if (!runner.traceNotes().isEmpty()) {
            md.append("## Traced runs\n\n");
            runner.traceNotes().forEach(note -> md.append("- ").append(note).append('\n'));
            md.append('\n');
        }
        md.append(method()).append('\n');

        Path dir = opts.results;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("latest.md"), md.toString(), StandardCharsets.UTF_8);
        Chart.write(summaries, "Order worker throughput vs in-flight limit (" + Runtime.getRuntime().availableProcessors()
                + " cores, " + began.substring(0, 10) + ")", dir.resolve("throughput.png"));
        System.out.println();
        System.out.println(md);
        System.out.println("written: " + dir.resolve("latest.md") + ", " + dir.resolve("throughput.png"));
    }

    private String method() {
        return """
                ## How it was measured

                - **One broker JVM** for the whole run (`LocalKafkaBroker`, single node, loopback only, `-Xmx1g`), so its CPU is
                  neither in the harness nor in the worker; "broker CPU µs/order" is its CPU time over the same window.
                - **Per workload and round**: fresh topics (orders and results with 6 partitions), the backlog of valid
                  OrderPlaced records (`SampleOrders` + `OrderCodec`, keyed by order id) written *before* the consumer starts,
                  then the worker's shaded jar (W0: `RawPipe`; P: the pipeline inside Parallel Consumer) in its own JVM;
                  SIGTERM at the end (exit code in the table).
                - **orders/s** = outcomes / (last outcome's record timestamp - first one's): the producer CreateTime stamped by
                  the worker when it sent the outcome, so JVM start-up and the reader's speed are not in it.
                - **last 80%%**: the same over the outcomes after the first 20%%, i.e. without most of the JIT warm-up
                  of a fresh worker JVM (short drains are dominated by it: the 1M-order backlog test runs faster).
                - **Latency** is measured separately, after the backlog: an open-loop stream at half of that round's
                  orders/s for %d s (`latency at rate`), each order's createdAt and id carrying its intended send time;
                  latency = outcome record timestamp - intended send time (1 ms resolution; HdrHistogram).
                - **CPU µs/order**: the process's user+system CPU time (`/proc/<pid>/stat` via ProcessHandle) at the last
                  backlog outcome minus at the first, divided by the outcomes. HTTP workloads (W4h, P4h): the stub
                  services run in a JVM of their own, started per run, and their CPU per order is measured the same way.
                - **Heap**: the worker JVM runs with `-Xlog:gc` (default heap sizing); peak = the largest heap-before-GC, or
                  `jcmd GC.heap_info` used at the end if larger; "max after GC" bounds the live set.
                - **max running (stamps)**: most orders whose receivedAt..completedAt (from the outcomes) overlap: a lower
                  bound of in-flight, which the worker does not expose.
                - Courier pool: `--courier-pool-size %s` (match = the in-flight limit, at least 64), so the in-flight limit
                  and not the default pool of 64 couriers (64 / 20 ms = 3,200 orders/s) is what W2 varies.
                - Step p99 for the latency target: mean + 0.98 x jitter (uniform jitter).
                """.formatted(opts.latencySeconds, opts.courierPoolSize);
    }
}
