package dev.orderpipeline.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM's own thread dump (the one {@code jcmd Thread.dump_to_file -format=json} writes), read as
 * an outside observer of the worker: unlike {@code Thread.getAllStackTraces()} it lists virtual
 * threads, and unlike the worker's step tracker it does not depend on the code under test counting
 * its own threads.
 */
final class ThreadDump {

    private ThreadDump() {}

    /** Threads of this JVM, platform and virtual, whose stack has a frame containing {@code frame}. */
    static int threadsRunning(String frame) {
        int found = 0;
        for (JsonNode container : dump().path("threadDump").path("threadContainers")) {
            for (JsonNode thread : container.path("threads")) {
                for (JsonNode line : thread.path("stack")) {
                    if (line.asText().contains(frame)) {
                        found++;
                        break;
                    }
                }
            }
        }
        return found;
    }

    private static JsonNode dump() {
        try {
            Path dir = Files.createTempDirectory("thread-dump");
            Path file = dir.resolve("threads.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return new ObjectMapper().readTree(file.toFile());
            } finally {
                Files.deleteIfExists(file);
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
