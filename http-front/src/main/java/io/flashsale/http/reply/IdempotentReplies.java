package io.flashsale.http.reply;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.order.OrderTable;

import java.time.Duration;

/**
 * The 201 bodies of successful reservations made with an Idempotency-Key, so that a shopper who
 * repeats the key gets the original response even after the sale sold out or ended (the sale gate
 * would otherwise answer first). Only successes are kept, at most one per unit sold, bounded and
 * expiring. After a restart it is filled again from the recovered order table ({@link #recover}),
 * before the server is ready, so the answer does not change with a restart. The engine stays the
 * authority: on a miss (beyond the bound) a repeated key on an open sale goes to the ring and the
 * engine answers DUPLICATE. Any thread.
 */
public final class IdempotentReplies
{
    public static final int MAX_ENTRIES = 1_000_000;
    public static final Duration KEPT_FOR = Duration.ofHours(24);

    private final Cache<Key, byte[]> bodies = Caffeine.newBuilder()
        .maximumSize(MAX_ENTRIES)
        .expireAfterWrite(KEPT_FOR)
        .build();

    private record Key(long userId, long saleId, long idempotencyKey)
    {
    }

    public byte[] find(final long userId, final long saleId, final long idempotencyKey)
    {
        return bodies.getIfPresent(new Key(userId, saleId, idempotencyKey));
    }

    public void remember(final long userId, final long saleId, final long idempotencyKey, final byte[] body)
    {
        bodies.put(new Key(userId, saleId, idempotencyKey), body);
    }

    /**
     * Remembers the original 201 of every reservation in a recovered order table that was made with an
     * Idempotency-Key within the last {@link #KEPT_FOR} (its payment deadline tells when, give or take
     * the payment window), newest first, so the bound keeps the ones most likely to be repeated. The
     * body is rebuilt from the order exactly as the reservation's answer was: state RESERVED, whatever
     * became of the order since. Call before the ring starts: the table is the business thread's.
     *
     * @return how many were remembered
     */
    public int recover(final OrderTable orders, final long nowMillis)
    {
        final long since = nowMillis - KEPT_FOR.toMillis();
        int remembered = 0;
        for (long orderId = orders.count(); orderId >= 1 && remembered < MAX_ENTRIES; orderId--)
        {
            final long key = orders.idempotencyKey(orderId);
            if (key == 0 || orders.deadline(orderId) < since)
            {
                continue;
            }
            final long saleId = orders.saleId(orderId);
            remember(orders.userId(orderId), saleId, key,
                OrderDocument.write(orderId, saleId, orders.qty(orderId), OrderState.RESERVED, orders.deadline(orderId)));
            remembered++;
        }
        return remembered;
    }
}
