package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class StopLineTest {

    private static final List<String> LOG = List.of(
            "2026-11-27T15:23:42.100+0000 [main] INFO Worker - worker bench-B consuming orders; max in flight 1024",
            "2026-11-27T15:23:43.021+0000 [main] INFO Worker - worker stopped: outcomes={succeeded=400} dead_letters={} "
                    + "retries={} compensations={} step_threads_running=0 couriers_in_use=0 in_flight_peak=1024 held_peak=1523");

    @Test
    void peaksAreReadFromTheWorkersStopLine() {
        assertEquals(1024, Backlog.stopLineValue(LOG, "in_flight_peak"));
        assertEquals(1523, Backlog.stopLineValue(LOG, "held_peak"));
    }

    @Test
    void aWorkerThatDidNotStopCleanly_hasNoPeak() {
        assertEquals(-1, Backlog.stopLineValue(LOG.subList(0, 1), "in_flight_peak"));
    }
}
