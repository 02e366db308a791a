package io.flashsale.http.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * The 201 bodies of successful reservations made with an Idempotency-Key, so that a shopper who
 * repeats the key gets the original response even after the sale sold out or ended (the sale gate
 * would otherwise answer first). Only successes are kept, at most one per unit sold, bounded and
 * expiring. The engine stays the authority: on a miss (e.g. after a restart) the repeated key goes
 * to the ring and the engine answers DUPLICATE. Any thread.
 */
final class IdempotentReplies
{
    private final Cache<Key, byte[]> bodies = Caffeine.newBuilder()
        .maximumSize(1_000_000)
        .expireAfterWrite(Duration.ofHours(24))
        .build();

    private record Key(long userId, long saleId, long idempotencyKey)
    {
    }

    byte[] find(final long userId, final long saleId, final long idempotencyKey)
    {
        return bodies.getIfPresent(new Key(userId, saleId, idempotencyKey));
    }

    void remember(final long userId, final long saleId, final long idempotencyKey, final byte[] body)
    {
        bodies.put(new Key(userId, saleId, idempotencyKey), body);
    }
}
