package dev.orderpipeline.worker.concurrency;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Test plumbing shared by the model-checking tests: runs bodies on plain threads (the threads
 * Lincheck's model checker schedules) and reaches package-private members of the classes under
 * test, which live in other packages.
 */
final class Interleaved {

    private Interleaved() {}

    /** Starts one thread per body and joins them all; a body's failure fails the caller. */
    static void runInParallel(Runnable... bodies) {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Runnable body : bodies) {
            Thread thread = new Thread(body);
            thread.setUncaughtExceptionHandler((t, e) -> {
                synchronized (failures) {
                    failures.add(e);
                }
            });
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while joining test threads", e);
            }
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError("a test thread failed: " + failures.getFirst(), failures.getFirst());
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
        }
    }

    /** A declared method made accessible, looked up once (outside the checked code). */
    static Method method(String className, String name, Class<?>... parameterTypes) {
        try {
            Method method = Class.forName(className).getDeclaredMethod(name, parameterTypes);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot reach " + className + "." + name, e);
        }
    }

    static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError(method.getName() + " threw", e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
