package dev.orderpipeline.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code docker build} without a Docker engine: the Dockerfile's build stage replayed in a
 * folder holding exactly what its COPY lines name, taken from the files git tracks, minus
 * {@code .dockerignore}. A module the build needs but the Dockerfile does not copy fails here
 * ("Child module ... does not exist"), not on a user's machine.
 *
 * <p>It lives in producer-cli, the last module the images need, and runs under failsafe: by then
 * the reactor has resolved every plugin and dependency of those modules, so the replayed build
 * runs offline against the same local repository ({@code docker.build.repository}). It takes
 * a minute or two (a compile of the seven modules they need), hence an IT.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerBuildIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "docker-build").toAbsolutePath();

    /** One {@code COPY src... dest} line of a stage; {@code from} is the stage of {@code --from=}, or null. */
    private record Copy(String from, List<String> sources, String destination) {}

    /** The instructions of one stage that this test replays or checks. */
    private record Stage(String name, String workdir, List<Copy> copies, List<String> runs) {}

    @Test
    void dockerfileBuildStage_buildsEveryShippedJar_fromTheFilesItCopies() throws Exception {
        List<Stage> stages = stages(Files.readString(ROOT.resolve("Dockerfile")));
        Stage build = stages.stream().filter(s -> s.name().equals("build")).findFirst()
                .orElseThrow(() -> new AssertionError("no stage named build in the Dockerfile"));
        assertFalse(build.runs().isEmpty(), "the build stage runs nothing");

        Path context = WORK.resolve("context");
        deleteRecursively(context);
        Files.createDirectories(context);
        List<String> tracked = gitTrackedFiles();
        List<PathMatcher> ignored = dockerignore();
        for (Copy copy : build.copies()) {
            assertNull(copy.from(), () -> "the build stage copies from another stage: " + copy);
            copyIntoContext(copy, tracked, ignored, context);
        }

        Path log = WORK.resolve("build.log");
        for (String run : build.runs()) {
            int exit = runShell(run, context, log);
            assertEquals(0, exit, () -> "RUN " + run + " failed in " + context + "; the end of " + log + ":\n" + tail(log, 40));
        }

        // Every jar a runtime stage takes from the build stage exists where it looks for it.
        List<Copy> shipped = stages.stream().flatMap(s -> s.copies().stream()).filter(c -> "build".equals(c.from())).toList();
        assertEquals(3, shipped.size(), () -> "want the worker's, the CLI's and the stub services' jar, got " + shipped);
        for (Copy copy : shipped) {
            for (String source : copy.sources()) {
                String relative = Path.of(build.workdir()).relativize(Path.of(source)).toString();
                assertTrue(Files.isRegularFile(context.resolve(relative)), () -> source + " was not built (" + context.resolve(relative) + ")");
            }
        }
    }

    /** The Dockerfile's stages; continuation lines joined, comments dropped. Exec-form COPY/RUN are not used here. */
    private static List<Stage> stages(String dockerfile) {
        List<Stage> stages = new ArrayList<>();
        String joined = dockerfile.replaceAll("\\\\\\r?\\n", " ");
        String name = null;
        String workdir = "/";
        List<Copy> copies = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (String line : joined.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String instruction = words[0].toUpperCase(Locale.ROOT);
            switch (instruction) {
                case "FROM" -> {
                    if (name != null) {
                        stages.add(new Stage(name, workdir, copies, runs));
                    }
                    name = words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : "stage" + stages.size();
                    workdir = "/";
                    copies = new ArrayList<>();
                    runs = new ArrayList<>();
                }
                case "WORKDIR" -> workdir = Path.of(workdir).resolve(words[1]).normalize().toString();
                case "COPY" -> {
                    assertFalse(line.contains("["), () -> "exec-form COPY is not replayed: " + line);
                    String from = null;
                    List<String> paths = new ArrayList<>();
                    for (String word : Arrays.asList(words).subList(1, words.length)) {
                        if (word.startsWith("--from=")) {
                            from = word.substring("--from=".length());
                        } else if (!word.startsWith("--")) {
                            paths.add(word);
                        }
                    }
                    copies.add(new Copy(from, List.copyOf(paths.subList(0, paths.size() - 1)), paths.getLast()));
                }
                case "RUN" -> {
                    assertFalse(line.substring(3).strip().startsWith("["), () -> "exec-form RUN is not replayed: " + line);
                    runs.add(line.substring(3).strip());
                }
                default -> { }
            }
        }
        if (name != null) {
            stages.add(new Stage(name, workdir, copies, runs));
        }
        return stages;
    }

    /**
     * Docker's rule: a path is left out when a pattern matches it or one of its parent folders;
     * {@code **} matches any number of folders, zero included. Exceptions ({@code !}) are not used.
     */
    private static List<PathMatcher> dockerignore() throws IOException {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve(".dockerignore"))) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            assertFalse(pattern.startsWith("!"), () -> ".dockerignore exceptions are not replayed: " + pattern);
            String clean = pattern.replaceFirst("^/+", "").replaceFirst("/+$", "");
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + clean));
            if (clean.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + clean.substring(3)));
            }
        }
        return matchers;
    }

    private static boolean ignored(String file, List<PathMatcher> ignored) {
        for (Path prefix = Path.of(file); prefix != null; prefix = prefix.getParent()) {
            Path candidate = prefix;
            if (ignored.stream().anyMatch(m -> m.matches(candidate))) {
                return true;
            }
        }
        return false;
    }

    /** Docker's COPY: a folder's content goes into the destination; files go into it when it names a folder. */
    private static void copyIntoContext(Copy copy, List<String> tracked, List<PathMatcher> ignored, Path context) throws IOException {
        boolean intoFolder = copy.destination().endsWith("/") || copy.destination().equals(".") || copy.sources().size() > 1;
        Path destination = context.resolve(copy.destination()).normalize();
        for (String source : copy.sources()) {
            String clean = source.replaceFirst("/+$", "");
            List<String> files = tracked.stream()
                    .filter(f -> f.equals(clean) || f.startsWith(clean + "/"))
                    .filter(f -> !ignored(f, ignored))
                    .toList();
            assertFalse(files.isEmpty(), () -> "COPY " + source + ": git tracks no such file or folder (or .dockerignore leaves it out)");
            for (String file : files) {
                Path target = file.equals(clean)
                        ? (intoFolder ? destination.resolve(Path.of(file).getFileName()) : destination)
                        : destination.resolve(clean.isEmpty() ? file : file.substring(clean.length() + 1));
                Files.createDirectories(target.getParent());
                // The working tree's bytes and mode (mvnw must stay executable).
                Files.copy(ROOT.resolve(file), target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static List<String> gitTrackedFiles() throws IOException, InterruptedException {
        Path list = Files.createDirectories(WORK).resolve("git-ls-files.txt");
        Process git = new ProcessBuilder("git", "-C", ROOT.toString(), "ls-files", "-z")
                .redirectErrorStream(true).redirectOutput(list.toFile()).start();
        assertTrue(git.waitFor(60, TimeUnit.SECONDS), "git ls-files did not end");
        assertEquals(0, git.exitValue(), () -> "git ls-files failed: " + tail(list, 5));
        return Stream.of(Files.readString(list, StandardCharsets.UTF_8).split("\0"))
                .filter(f -> !f.isEmpty())
                .filter(f -> Files.isRegularFile(ROOT.resolve(f)))
                .toList();
    }

    /**
     * The RUN line as the build stage runs it, on this test's JDK 25 (the image's JAVA_HOME), offline
     * against the reactor's local repository; its output goes to {@code log}.
     */
    private static int runShell(String command, Path directory, Path log) throws IOException, InterruptedException {
        String repository = System.getProperty("docker.build.repository");
        assertTrue(repository != null && !repository.isBlank(), "docker.build.repository is not set (see producer-cli/pom.xml)");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        String javaHome = System.getProperty("java.home");
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().put("PATH", javaHome + "/bin:" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("MAVEN_ARGS", "-o -Dmaven.repo.local=" + repository);
        builder.environment().remove("MAVEN_OPTS");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(9, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("RUN " + command + " did not end within 9 minutes; see " + log);
        }
        return process.exitValue();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
