package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.testsupport.WorkerProcess;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stop signal that arrives while the worker is still starting: an orchestrator may stop a pod
 * that never became ready, and the process must still leave with the documented exit code.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StartupSignalIT {

    @Test
    void sigtermWhileConnecting_abandonsStartUp_exitsZero() throws Exception {
        int silentPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            silentPort = socket.getLocalPort();
        }
        // Nothing listens there, so start-up waits for the cluster for up to the connect timeout.
        try (WorkerProcess worker = WorkerProcess.start("startup-signal",
                "--bootstrap-servers", "127.0.0.1:" + silentPort, "--connect-timeout", "5m")) {
            await("the worker is connecting").atMost(Duration.ofSeconds(60))
                    .until(() -> worker.output().contains("effective configuration"));

            worker.terminate();
            Integer exit = worker.awaitExit(Duration.ofSeconds(30));

            assertNotNull(exit, () -> "still running 30 s after SIGTERM:\n" + worker.output());
            assertEquals(0, exit, () -> "exit code; output:\n" + worker.output());
            assertTrue(worker.output().contains("stopped during start-up"), worker::output);
        }
    }
}
