package dev.orderpipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * README's exit-code table and {@link ExitCode} say the same; and order-cli runs without
 * {@code --enable-preview}, as the README's commands start it, because none of its classes
 * needs preview features.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExitCodeTableTest {

    /** SIGTERM: the JVM's code, since order-cli leaves signals to the JVM. */
    private static final int SIGTERM = 143;

    @Test
    void readmeTable_listsExactlyTheCliExitCodes() throws IOException {
        Set<Integer> documented = readmeCliCodes(Path.of("..", "README.md"));
        documented.remove(SIGTERM);

        Set<Integer> coded = Arrays.stream(ExitCode.values()).map(ExitCode::code).collect(Collectors.toCollection(TreeSet::new));

        assertEquals(coded, documented, "README's order-cli column vs ExitCode");
    }

    @Test
    void noClassOfOrderCliOrTheContract_needsPreviewFeatures() throws Exception {
        List<String> preview = new ArrayList<>();
        for (Class<?> anchor : List.of(OrderCli.class, OrderCodec.class)) {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(Files.isDirectory(root), () -> "expected a class folder, got " + root);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    if (minorVersion(file) == 0xFFFF) {
                        preview.add(root.relativize(file).toString());
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
    private static Set<Integer> readmeCliCodes(Path readme) throws IOException {
        String text = Files.readString(readme);
        int section = text.indexOf("\n## Shutdown and exit codes");
        int end = text.indexOf("\n## ", section + 1);
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
