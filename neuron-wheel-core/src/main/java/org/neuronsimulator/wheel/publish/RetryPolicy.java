package org.neuronsimulator.wheel.publish;

import java.time.Duration;

/**
 * How often and how patiently to retry: at most {@code attempts} tries, waiting
 * {@code firstDelay}, then twice as long each time, never more than {@code maxDelay}.
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(60));

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed, not " + attempts);
        }
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("retry delays must be 0 <= first <= max");
        }
    }

    /** The wait before try number {@code attempt + 1}, after {@code attempt} failed tries. */
    public Duration delayAfter(int attempt) {
        Duration delay = firstDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
