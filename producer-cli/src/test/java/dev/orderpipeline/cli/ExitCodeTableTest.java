package dev.orderpipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exit-code table of docs/operations.md and {@link ExitCode} say the same; and order-cli runs without
 * {@code --enable-preview}, as the README's commands start it, because none of its classes
 * needs preview features.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExitCodeTableTest {

    /** SIGTERM: the JVM's code, since order-cli leaves signals to the JVM. */
    private static final int SIGTERM = 143;

    @Test
    void documentedTable_listsExactlyTheCliExitCodes() throws IOException {
        Set<Integer> documented = documentedCliCodes(Path.of("..", "docs", "operations.md"));
        documented.remove(SIGTERM);

        Set<Integer> coded = Arrays.stream(ExitCode.values()).map(ExitCode::code).collect(Collectors.toCollection(TreeSet::new));

        assertEquals(coded, documented, "the order-cli column of docs/operations.md vs ExitCode");
    }

    @Test
    void noClassOfOrderCliOrTheContract_needsPreviewFeatures() throws Exception {
        List<String> preview = new ArrayList<>();
        for (Class<?> anchor : List.of(OrderCli.class, OrderCodec.class)) {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            // A class folder in a module's own test run, the module's jar when the reactor
            // resolves it after packaging (as ./mvnw verify does).
            try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
                Path root = jar == null ? location : jar.getPath("/");
                try (Stream<Path> files = Files.walk(root)) {
                    List<Path> classes = files.filter(f -> f.toString().endsWith(".class")).toList();
                    assertTrue(classes.size() > 10, () -> "no classes read from " + location);
                    for (Path file : classes) {
                        if (minorVersion(file) == 0xFFFF) {
                            preview.add(location.getFileName() + ":" + root.relativize(file));
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), preview, "classes marked as needing --enable-preview");
    }

    private static int minorVersion(Path classFile) throws IOException {
        try (InputStream in = Files.newInputStream(classFile); DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            return data.readUnsignedShort();
        }
    }

    /** Codes whose order-cli cell (the third) in "Shutdown and exit codes" is not "-". */
    private static Set<Integer> documentedCliCodes(Path page) throws IOException {
        String text = Files.readString(page);
        int section = text.indexOf("\n## Shutdown and exit codes");
        assertTrue(section >= 0, () -> page + " has no section \"Shutdown and exit codes\"");
        int next = text.indexOf("\n## ", section + 1);
        int end = next < 0 ? text.length() : next;
        Set<Integer> codes = new TreeSet<>();
        for (String line : text.substring(section, end).lines().toList()) {
            String[] cells = line.split("\\|");
            if (cells.length == 4 && cells[1].strip().matches("\\d+") && !cells[3].strip().equals("-")) {
                codes.add(Integer.parseInt(cells[1].strip()));
            }
        }
        return codes;
    }
}
