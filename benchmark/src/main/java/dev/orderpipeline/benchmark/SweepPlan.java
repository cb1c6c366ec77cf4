package dev.orderpipeline.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * The sweep's grid: every step latency times every in-flight limit, each cell run on the worker
 * and on Parallel Consumer in every round; backlogs sized so each drain lasts about
 * {@link #DRAIN_SECONDS}. Pure, so the sizing and the order are checked without a broker.
 */
record SweepPlan(List<Integer> latenciesMs, List<Integer> inFlights, int rounds) {

    /**
     * About what 2 cores sustain with the broker on the same machine (W1 measured 21,000 orders/s
     * on a quiet one): a backlog sized for more would only make the drain longer.
     */
    static final double CPU_CEILING_PER_SECOND = 15_000;
    /** Long enough that JIT warm-up is a small part of a drain, short enough for the grid to fit ~25 min. */
    static final double DRAIN_SECONDS = 12;
    /** JVM start, preload, latency phase, stop: measured about this much per run on 2 cores. */
    static final double OVERHEAD_SECONDS = 25;
    static final int HEAP_CELL_LATENCY_MS = 1000;
    static final int HEAP_CELL_IN_FLIGHT = 16_384;
    static final String HEAP_CELL_LIMIT = "-Xmx512m";

    SweepPlan {
        latenciesMs = List.copyOf(latenciesMs);
        inFlights = List.copyOf(inFlights);
        if (latenciesMs.isEmpty() || inFlights.isEmpty() || rounds < 1) {
            throw new IllegalArgumentException("--sweep needs at least one latency, one in-flight limit and one round");
        }
        for (int ms : latenciesMs) {
            if (ms < 0) {
                throw new IllegalArgumentException("--sweep-latencies: " + ms + " is negative; give milliseconds >= 0");
            }
        }
        for (int n : inFlights) {
            if (n < 1) {
                throw new IllegalArgumentException("--sweep-in-flight: " + n + " is below 1; give limits >= 1");
            }
        }
    }

    /** One point of the grid: three steps of {@code latencyMs} ± a quarter of it, at most {@code inFlight} orders at once. */
    record Cell(int latencyMs, int inFlight) {

        int jitterMs() {
            return latencyMs / 4;
        }

        /**
         * The mean order time of the steps alone: three steps of L ± J (uniform) run at once, so an
         * order takes the longest of three, whose mean is L + J/2.
         */
        double orderSeconds() {
            return (latencyMs + jitterMs() / 2.0) / 1000;
        }

        /** Little's law: at most {@code inFlight} orders of {@link #orderSeconds} each; infinite for 0 ms steps. */
        double littleBound() {
            return orderSeconds() == 0 ? Double.POSITIVE_INFINITY : inFlight / orderSeconds();
        }

        double expectedPerSecond() {
            return Math.min(littleBound(), CPU_CEILING_PER_SECOND);
        }

        /** Orders for a drain of about {@link #DRAIN_SECONDS} at the expected rate, at least 1,000. */
        int backlog() {
            return (int) Math.max(1_000, Math.round(expectedPerSecond() * DRAIN_SECONDS));
        }

        /** The cell the memory target is about: it runs with {@link #HEAP_CELL_LIMIT} on both engines. */
        boolean heapCell() {
            return latencyMs == HEAP_CELL_LATENCY_MS && inFlight == HEAP_CELL_IN_FLIGHT;
        }

        List<String> jvmOptions() {
            return heapCell() ? List.of(HEAP_CELL_LIMIT) : List.of();
        }

        /** This cell on {@code engine}: key ordering, courier pool = the limit (by default), named e.g. {@code W-20ms-1024}. */
        Workload on(Engine engine) {
            String prefix = engine == Engine.PARALLEL_CONSUMER ? "P" : "W";
            String description = engine.label() + ", 3 x " + latencyMs + " ms steps"
                    + (heapCell() ? ", " + HEAP_CELL_LIMIT : "");
            return new Workload(prefix + "-" + latencyMs + "ms-" + inFlight, description, engine, latencyMs, jitterMs(),
                    inFlight, "key", backlog(), Workload.AT_LEAST_ONCE, false, false);
        }
    }

    /** Cells by latency, then in-flight limit. */
    List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (int ms : latenciesMs.stream().sorted().distinct().toList()) {
            for (int n : inFlights.stream().sorted().distinct().toList()) {
                cells.add(new Cell(ms, n));
            }
        }
        return cells;
    }

    /** What {@code round} runs: each cell on both engines, the worker first in odd rounds and second in even ones. */
    List<Workload> inRoundOrder(int round) {
        List<Workload> order = new ArrayList<>();
        for (Cell c : cells()) {
            Workload w = c.on(Engine.WORKER);
            Workload p = c.on(Engine.PARALLEL_CONSUMER);
            order.addAll(round % 2 == 1 ? List.of(w, p) : List.of(p, w));
        }
        return order;
    }

    /** A rough duration, if both engines drain at the expected rate. */
    double estimatedMinutes() {
        double seconds = 0;
        for (Cell c : cells()) {
            seconds += 2 * (c.backlog() / c.expectedPerSecond() + OVERHEAD_SECONDS);
        }
        return rounds * seconds / 60;
    }
}
