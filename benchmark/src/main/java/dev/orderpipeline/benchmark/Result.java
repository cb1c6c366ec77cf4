package dev.orderpipeline.benchmark;

/**
 * What one run of one workload measured. Latencies in milliseconds; NaN where not measured.
 *
 * @param steadyPerSecond orders/s over the last 80% of the backlog's outcomes (after JIT warm-up)
 * @param maxRunning most orders running at once by the outcomes' receivedAt/completedAt stamps
 *                   (-1 for the raw pipe, which has no stamps)
 * @param stubCpuMicrosPerOrder CPU of the stub services' JVM per order, over the same window as the
 *                   engine's; NaN when the steps are simulated
 */
record Result(Workload workload, int round, long outcomes, boolean complete, double ordersPerSecond, double steadyPerSecond,
              double drainSeconds, double latencyRate, long latencyCount, double p50Ms, double p99Ms,
              double p999Ms, double workerCpuMicrosPerOrder, double brokerCpuMicrosPerOrder,
              long heapPeakMb, long heapMaxAfterGcMb, long gcCount, int maxRunning, long notSucceeded,
              int exitCode, double stubCpuMicrosPerOrder) {
}
