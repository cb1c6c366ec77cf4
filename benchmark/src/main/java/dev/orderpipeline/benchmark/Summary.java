package dev.orderpipeline.benchmark;

import java.util.List;
import java.util.TreeSet;

/** One workload's results over all rounds: medians, and the worst of what must stay bounded. */
record Summary(Workload workload, List<Result> rounds) {

    double throughput() {
        return Stats.median(rounds.stream().map(Result::ordersPerSecond).toList());
    }

    double steady() {
        return Stats.median(rounds.stream().map(Result::steadyPerSecond).toList());
    }

    double p50() {
        return Stats.median(rounds.stream().map(Result::p50Ms).toList());
    }

    double p99() {
        return Stats.median(rounds.stream().map(Result::p99Ms).toList());
    }

    double p999() {
        return Stats.median(rounds.stream().map(Result::p999Ms).toList());
    }

    double latencyRate() {
        return Stats.median(rounds.stream().map(Result::latencyRate).toList());
    }

    double workerCpu() {
        return Stats.median(rounds.stream().map(Result::workerCpuMicrosPerOrder).toList());
    }

    double brokerCpu() {
        return Stats.median(rounds.stream().map(Result::brokerCpuMicrosPerOrder).toList());
    }

    /** The stub services' CPU per order (HTTP workloads); NaN otherwise. */
    double stubCpu() {
        return Stats.median(rounds.stream().map(Result::stubCpuMicrosPerOrder).toList());
    }

    long heapPeakMb() {
        return rounds.stream().mapToLong(Result::heapPeakMb).max().orElse(-1);
    }

    long heapAfterGcMb() {
        return rounds.stream().mapToLong(Result::heapMaxAfterGcMb).max().orElse(-1);
    }

    int maxRunning() {
        return rounds.stream().mapToInt(Result::maxRunning).max().orElse(-1);
    }

    long notSucceeded() {
        return rounds.stream().mapToLong(Result::notSucceeded).sum();
    }

    boolean allComplete() {
        return rounds.stream().allMatch(Result::complete);
    }

    String exitCodes() {
        var codes = new TreeSet<Integer>();
        rounds.forEach(r -> codes.add(r.exitCode()));
        return String.join(",", codes.stream().map(String::valueOf).toList());
    }
}
