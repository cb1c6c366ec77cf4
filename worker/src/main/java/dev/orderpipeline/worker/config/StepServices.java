package dev.orderpipeline.worker.config;

import java.net.URI;
import java.util.Objects;

/**
 * Where the real payment, vendor and courier services are, for the HTTP step adapters. Without
 * it the worker runs the built-in simulated steps.
 */
public record StepServices(URI payment, URI vendor, URI courier) {

    public StepServices {
        requireHttp("--payment-url (PAYMENT_URL)", payment);
        requireHttp("--vendor-url (VENDOR_URL)", vendor);
        requireHttp("--courier-url (COURIER_URL)", courier);
    }

    /**
     * The services from three optional URLs: all three, or none (simulated steps).
     *
     * @return {@code null} when none is given
     * @throws ConfigException if only some are given, or one is not an http(s) URL
     */
    public static StepServices of(String payment, String vendor, String courier) {
        int given = (blank(payment) ? 0 : 1) + (blank(vendor) ? 0 : 1) + (blank(courier) ? 0 : 1);
        if (given == 0) {
            return null;
        }
        if (given < 3) {
            throw new ConfigException("--payment-url/--vendor-url/--courier-url",
                    "give all three (HTTP steps) or none (simulated steps); got " + given);
        }
        return new StepServices(uri("--payment-url (PAYMENT_URL)", payment), uri("--vendor-url (VENDOR_URL)", vendor),
                uri("--courier-url (COURIER_URL)", courier));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static URI uri(String key, String value) {
        try {
            return URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "\"" + value + "\" is not a URL");
        }
    }

    private static void requireHttp(String key, URI uri) {
        Objects.requireNonNull(uri, key);
        String scheme = uri.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
            throw new ConfigException(key, "\"" + uri + "\" is not an http:// or https:// URL with a host");
        }
    }
}
