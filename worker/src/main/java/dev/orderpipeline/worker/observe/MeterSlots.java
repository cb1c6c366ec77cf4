package dev.orderpipeline.worker.observe;

import io.micrometer.core.instrument.Meter;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Meters of one name, one per tag combination, found by a dense index (from enum ordinals)
 * and registered on first use. Building and registering a meter per event costs an id, a tag
 * sort and a registry lookup: more than the worker's own work for an order. Thread-safe: two
 * threads that register the same slot at once get the same meter from the registry.
 */
final class MeterSlots<M extends Meter> {

    private final AtomicReferenceArray<M> slots;
    private final IntFunction<M> register;

    /** @param register registers the meter of a slot; called at most a few times per slot */
    MeterSlots(int size, IntFunction<M> register) {
        this.slots = new AtomicReferenceArray<>(size);
        this.register = register;
    }

    M get(int index) {
        M meter = slots.get(index);
        if (meter == null) {
            meter = register.apply(index);
            slots.set(index, meter);
        }
        return meter;
    }
}
