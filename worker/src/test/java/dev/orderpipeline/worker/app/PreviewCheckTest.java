package dev.orderpipeline.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start-up check for preview features, in this (preview-enabled) JVM; StartupFailureIT runs one without. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PreviewCheckTest {

    @Test
    void probedClass_isMarkedAsNeedingPreviewFeatures_soTheProbeFailsWhereTheWorkerWould() throws IOException {
        String resource = "/" + PreviewCheck.PREVIEW_CLASS.replace('.', '/') + ".class";
        try (InputStream in = PreviewCheck.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the class path");
            DataInputStream data = new DataInputStream(in);
            data.readInt(); // magic
            int minor = data.readUnsignedShort();
            int major = data.readUnsignedShort();

            assertEquals(0xFFFF, minor, "minor version: a class that does not use the preview API is no probe");
            assertEquals(PreviewCheck.RELEASE + 44, major, "major version: the release the check names");
        }
    }

    @Test
    void previewEnabledJdk25_hasNoProblem() {
        assertEquals(Optional.empty(), PreviewCheck.problem());
    }

    @Test
    void otherRelease_isNamed_withTheReleaseToUse() {
        String line = PreviewCheck.describe(26, "java --enable-preview -jar order-worker.jar ...");

        assertTrue(line.startsWith("this is Java 26, but the worker needs Java 25 exactly"), line);
        assertTrue(line.endsWith("start it with a JDK 25 as java --enable-preview -jar order-worker.jar ..."), line);
    }
}
