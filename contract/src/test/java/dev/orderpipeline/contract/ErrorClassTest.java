package dev.orderpipeline.contract;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class ErrorClassTest {

    @Test
    void wireCodes_areUnique() {
        Map<String, ErrorClass> seen = new HashMap<>();
        for (ErrorClass errorClass : ErrorClass.values()) {
            ErrorClass before = seen.putIfAbsent(errorClass.code(), errorClass);
            if (before != null) {
                fail("code " + errorClass.code() + "\n  got: used by " + before + " and " + errorClass + "\n want: unique");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorClass.class)
    void wireCode_isSnakeCase(ErrorClass errorClass) {
        String got = errorClass.code();
        if (!got.matches("[a-z]+(_[a-z]+)*")) {
            fail("input: " + errorClass + "\n  got: " + got + "\n want: snake_case, like payment_declined");
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorClass.class)
    void fromCode_ofCode_isTheSameConstant(ErrorClass errorClass) {
        Optional<ErrorClass> got = ErrorClass.fromCode(errorClass.code());
        if (!got.equals(Optional.of(errorClass))) {
            fail("input: " + errorClass.code() + "\n  got: " + got + "\n want: " + Optional.of(errorClass));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "PAYMENT_DECLINED", "Timeout", "payment-declined", "unknown"})
    void fromCode_ofAnythingElse_isEmpty(String code) {
        Optional<ErrorClass> got = ErrorClass.fromCode(code);
        if (got.isPresent()) {
            fail("input: \"" + code + "\"\n  got: " + got + "\n want: Optional.empty");
        }
    }

    @Test
    void retryable_isExactlyTheTransientClasses() {
        Set<ErrorClass> want = EnumSet.of(ErrorClass.VENDOR_UNAVAILABLE, ErrorClass.NO_COURIER_AVAILABLE, ErrorClass.TIMEOUT);

        Set<ErrorClass> got = EnumSet.noneOf(ErrorClass.class);
        Arrays.stream(ErrorClass.values()).filter(ErrorClass::retryable).forEach(got::add);

        if (!got.equals(want)) {
            fail("input: ErrorClass.values()\n  got: " + got + "\n want: " + want);
        }
    }
}
