package io.flashsale.http.admission;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * About how many shoppers a front has seen in the last minute: those that loaded the page, synced
 * the clock or took a purchase key. Linear counting (Whang et al. 1990): each sighting sets one bit
 * of a bitmap chosen by a hash, and n ≈ −m·ln(zero bits / m). The minute is seven rotating
 * 10-second bitmaps ({@value #SLICES} slices, the current one included, so a count covers the last
 * 60–70 s); a slice is cleared when its turn comes again.
 *
 * <p>Shoppers are seen by two names: the token's user id where the request has one (a key), else
 * the client address (page, clock). Those are counted in two families of bitmaps, and the count is
 * the larger of the two: one shopper seen under both names is not counted twice, shoppers behind
 * one NAT address still count once each when they take keys, and shoppers who only browse count
 * by address. Each family has {@value #BITS_PER_SLICE} bits a slice, accurate to a few percent up
 * to about a million shoppers a minute; beyond that the bitmaps fill and the count says "at least
 * {@link #SATURATED}".
 *
 * <p>Any thread, no locks, no allocation. Races between sighting and clearing may lose a bit: the
 * count can only be a little low, never high.
 */
public final class OnlineShoppers
{
    static final int SLICES = 7;
    static final long SLICE_NANOS = 10_000_000_000L;
    static final int BITS_PER_SLICE = 1 << 18;
    private static final int WORDS = BITS_PER_SLICE / 64;
    private static final int INDEX_SHIFT = 64 - Integer.numberOfTrailingZeros(BITS_PER_SLICE);
    /** What a full bitmap reports: the count where one zero bit is expected. */
    public static final long SATURATED = (long)(BITS_PER_SLICE * Math.log(BITS_PER_SLICE));

    private final LongSupplier nanoClock;
    private final Family shoppers = new Family();
    private final Family addresses = new Family();

    /** @param nanoClock a monotonic clock in nanoseconds (System::nanoTime, or a test's) */
    public OnlineShoppers(final LongSupplier nanoClock)
    {
        this.nanoClock = nanoClock;
    }

    /** A request from a shopper with a verified token, by the engine's user id for its subject. */
    public void seenShopper(final long userId)
    {
        shoppers.add(userId, nanoClock.getAsLong());
    }

    /** A request without a token, by its client address (see {@code ClientAddress}). */
    public void seenAddress(final InetAddress client)
    {
        if (client != null)
        {
            addresses.add(client.hashCode(), nanoClock.getAsLong());
        }
    }

    /** Distinct shoppers seen in the last minute, estimated. */
    public long count()
    {
        final long now = nanoClock.getAsLong();
        return Math.max(shoppers.count(now), addresses.count(now));
    }

    /** One set of rotating bitmaps. */
    private static final class Family
    {
        private final AtomicLongArray[] slices = new AtomicLongArray[SLICES];
        /** Which 10-second epoch each slice holds; MIN_VALUE for none yet. */
        private final AtomicLongArray epochs = new AtomicLongArray(SLICES);

        Family()
        {
            for (int i = 0; i < SLICES; i++)
            {
                slices[i] = new AtomicLongArray(WORDS);
                epochs.set(i, Long.MIN_VALUE);
            }
        }

        void add(final long key, final long now)
        {
            final long epoch = Math.floorDiv(now, SLICE_NANOS);
            final int slot = (int)Math.floorMod(epoch, (long)SLICES);
            final long held = epochs.get(slot);
            if (held != epoch && held < epoch && epochs.compareAndSet(slot, held, epoch))
            {
                // This thread won the turn: the slice's old bits belong to a minute ago.
                final AtomicLongArray slice = slices[slot];
                for (int i = 0; i < WORDS; i++)
                {
                    slice.lazySet(i, 0);
                }
            }
            final int bit = (int)(mix(key) >>> INDEX_SHIFT);
            final AtomicLongArray slice = slices[slot];
            final int word = bit >>> 6;
            final long mask = 1L << (bit & 63);
            long value = slice.get(word);
            while ((value & mask) == 0 && !slice.compareAndSet(word, value, value | mask))
            {
                value = slice.get(word);
            }
        }

        long count(final long now)
        {
            final long oldest = Math.floorDiv(now, SLICE_NANOS) - (SLICES - 1);
            long zeros = 0;
            for (int word = 0; word < WORDS; word++)
            {
                long union = 0;
                for (int s = 0; s < SLICES; s++)
                {
                    if (epochs.get(s) >= oldest)
                    {
                        union |= slices[s].get(word);
                    }
                }
                zeros += 64 - Long.bitCount(union);
            }
            if (zeros == 0)
            {
                return SATURATED;
            }
            return Math.round(-BITS_PER_SLICE * Math.log((double)zeros / BITS_PER_SLICE));
        }

        /** MurmurHash3's 64-bit finalizer: user ids and addresses are not uniform on their own. */
        private static long mix(final long key)
        {
            long h = key;
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            return h;
        }
    }
}
