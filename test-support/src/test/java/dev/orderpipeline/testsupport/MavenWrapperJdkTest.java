package dev.orderpipeline.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code ./mvnw verify} in a fresh shell: no {@code JAVA_HOME}, only the system's
 * {@code PATH} (whose {@code java} may be older than 25). The wrapper must find an installed
 * JDK 25 by itself, or stop with one line saying what to install. The lookup is
 * {@code bin/jdk25-env}, which the scripts source too.
 */
@Timeout(120)
class MavenWrapperJdkTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private record Run(int exit, String out, String err) {}

    @Test
    void freshShell_withoutJavaHome_runsMavenOnAnInstalledJdk25(@TempDir Path dir) throws Exception {
        Run run = mvnw(Map.of("PATH", SYSTEM_PATH, "JDK25_SEARCH_DIRS", jvmFolderWithThisJdk(dir).toString()), "--version");

        assertEquals(0, run.exit(), () -> "./mvnw --version failed:\n" + run.out() + run.err());
        String want = "Java version: " + Runtime.version().feature();
        assertTrue(run.out().contains(want), () -> "want Maven on JDK " + Runtime.version().feature() + ", got:\n" + run.out());
    }

    @Test
    void freshShell_withNoJdk25Anywhere_failsWithOneLineSayingWhatToInstall(@TempDir Path dir) throws Exception {
        // No java on PATH, and no JDK in the one folder to search.
        Path bin = toolsOnly(dir);
        Path noJdks = Files.createDirectories(dir.resolve("jvm"));
        Run run = mvnw(Map.of("PATH", bin.toString(), "JDK25_SEARCH_DIRS", noJdks.toString()), "--version");

        assertEquals(1, run.exit(), () -> "exit code; output:\n" + run.out() + run.err());
        assertEquals("", run.out(), "Maven must not start");
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), () -> "want one line, got:\n" + run.err());
        assertTrue(lines.getFirst().startsWith("error: no JDK 25 or newer found"), lines.getFirst());
        assertTrue(lines.getFirst().contains("set JAVA_HOME"), lines.getFirst());
    }

    @Test
    void scriptInStrictMode_withNoJavaOnPath_findsTheJdk25(@TempDir Path dir) throws Exception {
        // bin/demo, bin/chaos and .ci/run source the lookup under `set -euo pipefail`; a machine
        // whose only JDK is the 25 in a JVM folder has no java on PATH, which must not end them.
        Path jvm = jvmFolderWithThisJdk(dir);
        Run run = run(List.of("/bin/bash", "-c", "set -euo pipefail; . bin/jdk25-env; echo \"$JAVA_HOME\""),
                Map.of("PATH", toolsOnly(dir).toString(), "JDK25_SEARCH_DIRS", jvm.toString()));

        assertEquals(0, run.exit(), () -> "exit code; output:\n" + run.out() + run.err());
        assertEquals(jvm.resolve("jdk-25").toString(), run.out().strip(), () -> "JAVA_HOME; stderr:\n" + run.err());
    }

    /**
     * A JVM folder, like /usr/lib/jvm, holding only the JDK 25 this test runs on (installed
     * wherever this machine keeps it), so the lookup has exactly one JDK to find.
     */
    private static Path jvmFolderWithThisJdk(Path dir) throws IOException {
        Path jvm = Files.createDirectories(dir.resolve("jvm"));
        Files.createSymbolicLink(jvm.resolve("jdk-25"), Path.of(System.getProperty("java.home")));
        return jvm;
    }

    /** A PATH folder with only the tools the lookup uses: no java at all. */
    private static Path toolsOnly(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("dirname", "sed", "head")) {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        return bin;
    }

    private static Run mvnw(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("mvnw").toString());
        command.addAll(List.of(args));
        return run(command, env);
    }

    private static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(ROOT.toFile());
        builder.environment().clear();
        builder.environment().put("HOME", System.getProperty("user.home"));
        // Where the wrapper keeps the Maven it downloaded, if not under HOME.
        String mavenUserHome = System.getenv("MAVEN_USER_HOME");
        if (mavenUserHome != null) {
            builder.environment().put("MAVEN_USER_HOME", mavenUserHome);
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> command + " did not end");
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static Path which(String tool) {
        for (String dir : SYSTEM_PATH.split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(tool + " not found on " + SYSTEM_PATH);
    }
}
