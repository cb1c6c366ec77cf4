package dev.orderpipeline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DeadLetterHeadersTest {

    private static List<String> workerNames() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field field : DeadLetterHeaders.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().endsWith("PREFIX")) {
                names.add((String) field.get(null));
            }
        }
        return names;
    }

    /** A sender's header never takes a name the worker writes, and two names never become one. */
    @Test
    void originalHeaderNames_neverTakeAWorkersName_andStayDistinct() throws IllegalAccessException {
        List<String> sent = new ArrayList<>(workerNames());
        sent.addAll(List.of("traceparent", "dlt.", "dlt.original.dlt.problem", "original.dlt.problem", "DLT.problem"));
        Set<String> kept = new HashSet<>();
        for (String name : sent) {
            String renamed = DeadLetterHeaders.originalHeaderName(name);
            assertTrue(!workerNames().contains(renamed), () -> name + " kept as the worker's " + renamed);
            assertTrue(kept.add(renamed), () -> name + " kept under a name already taken: " + renamed);
            assertEquals(name, DeadLetterHeaders.senderHeaderName(renamed), "the name a replay gives it back");
        }
    }

    @Test
    void workersOwnHeaders_haveNoSenderName() throws IllegalAccessException {
        for (String name : workerNames()) {
            assertNull(DeadLetterHeaders.senderHeaderName(name), name);
        }
    }
}
