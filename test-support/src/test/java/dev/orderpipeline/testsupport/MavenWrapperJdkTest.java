package dev.orderpipeline.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code ./mvnw verify} in a fresh shell: no {@code JAVA_HOME}, only the system's
 * {@code PATH} (whose {@code java} may be older than 25). The wrapper must find an installed
 * JDK 25 by itself, or stop with one line saying what to install.
 */
@Timeout(120)
class MavenWrapperJdkTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private record Run(int exit, String out, String err) {}

    @Test
    void freshShell_withoutJavaHome_runsMavenOnAnInstalledJdk25() throws Exception {
        // This test runs on a JDK 25, installed wherever this machine keeps JDKs: the wrapper is
        // pointed at that folder, as it would search /usr/lib/jvm by default.
        Path jdk = Path.of(System.getProperty("java.home"));
        Run run = mvnw(Map.of("PATH", SYSTEM_PATH, "JDK25_SEARCH_DIRS", jdk.getParent().toString()), "--version");

        assertEquals(0, run.exit(), () -> "./mvnw --version failed:\n" + run.out() + run.err());
        String want = "Java version: " + Runtime.version().feature();
        assertTrue(run.out().contains(want), () -> "want Maven on JDK " + Runtime.version().feature() + ", got:\n" + run.out());
    }

    @Test
    void freshShell_withNoJdk25Anywhere_failsWithOneLineSayingWhatToInstall(@TempDir Path dir) throws Exception {
        // A PATH with only the tools the lookup uses (no java at all), and no JDK folder to search.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("dirname", "sed", "head")) {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        Path noJdks = Files.createDirectories(dir.resolve("jvm"));
        Run run = mvnw(Map.of("PATH", bin.toString(), "JDK25_SEARCH_DIRS", noJdks.toString()), "--version");

        assertEquals(1, run.exit(), () -> "exit code; output:\n" + run.out() + run.err());
        assertEquals("", run.out(), "Maven must not start");
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), () -> "want one line, got:\n" + run.err());
        assertTrue(lines.getFirst().startsWith("error: no JDK 25 or newer found"), lines.getFirst());
        assertTrue(lines.getFirst().contains("set JAVA_HOME"), lines.getFirst());
    }

    private static Run mvnw(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(ROOT.resolve("mvnw").toString());
        builder.command().addAll(List.of(args));
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
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "./mvnw did not end");
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
