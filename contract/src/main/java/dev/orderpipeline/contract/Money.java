package dev.orderpipeline.contract;

/**
 * An amount of money in minor units (cents, pence) of an ISO 4217 currency, so that no
 * floating-point rounding ever touches a payment.
 *
 * @param minorUnits the amount in the currency's smallest unit; an order's total is positive
 * @param currency   the ISO 4217 code, upper case, for example {@code EUR}
 */
public record Money(long minorUnits, String currency) {

    public static Money of(long minorUnits, String currency) {
        return new Money(minorUnits, currency);
    }

    /** This amount times {@code factor}; throws on overflow rather than wrapping. */
    public Money times(int factor) {
        return new Money(Math.multiplyExact(minorUnits, factor), currency);
    }
}
