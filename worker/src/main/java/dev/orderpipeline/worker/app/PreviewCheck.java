package dev.orderpipeline.worker.app;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this JVM can run the worker's preview class files: they need JDK 25 started with
 * {@code --enable-preview} (a class file built with preview features runs only on the release
 * that built it, and only with the flag). Without this check the first order pipeline built
 * failed deep inside start-up, after the broker and the HTTP server were already running.
 *
 * <p>The check loads (without initialising) the one class that uses the preview API, so it
 * answers exactly what the JVM will answer later, whatever way the flag was given
 * ({@code JDK_JAVA_OPTIONS}, an argument file, the command line).
 */
final class PreviewCheck {

    /** The class using {@code StructuredTaskScope}; {@code PreviewCheckTest} checks that it is preview-marked. */
    static final String PREVIEW_CLASS = "dev.orderpipeline.worker.pipeline.ConcurrentSteps";
    /** The release the worker is built for. */
    static final int RELEASE = 25;

    private PreviewCheck() {
    }

    /** Empty if the preview classes load; otherwise one line saying what is wrong and how to start instead. */
    static Optional<String> problem() {
        try {
            Class.forName(PREVIEW_CLASS, /* initialize= */ false, PreviewCheck.class.getClassLoader());
            return Optional.empty();
        } catch (UnsupportedClassVersionError e) {
            return Optional.of(describe(Runtime.version().feature(), launchCommand()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(PREVIEW_CLASS + " is missing from the class path", e);
        }
    }

    /** The line for a JVM of {@code feature} release that refused the preview classes. */
    static String describe(int feature, String launch) {
        if (feature != RELEASE) {
            return "this is Java " + feature + ", but the worker needs Java " + RELEASE + " exactly (it uses a preview "
                    + "API, StructuredTaskScope, whose class files run only on the release they were built for): start "
                    + "it with a JDK " + RELEASE + " as " + launch;
        }
        return "Java preview features are not enabled, and the worker needs them (StructuredTaskScope is a preview "
                + "API in Java " + RELEASE + "): start it as " + launch;
    }

    /** How to start this code with the flag: {@code java --enable-preview -jar order-worker.jar ...} from a jar. */
    private static String launchCommand() {
        String jar = "order-worker.jar";
        try {
            Path location = Path.of(PreviewCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.getFileName() != null && location.getFileName().toString().endsWith(".jar")) {
                jar = location.getFileName().toString();
            } else {
                return "java --enable-preview -cp <class path> " + Main.class.getName() + " ...";
            }
        } catch (RuntimeException | java.net.URISyntaxException e) {
            // No code source to name: the usual jar name will do.
        }
        return "java --enable-preview -jar " + jar + " ...";
    }
}
