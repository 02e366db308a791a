package io.flashsale.engine.shopper;

import org.agrona.collections.Long2LongHashMap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Who each shopper is: the subject (the shop's own id for its customer, the token's subject) of
 * every shopper id the engine has reserved units for with a subject, kept once per shopper in the
 * order they were first named. Shoppers never named (journals from before subjects were recorded)
 * have none.
 *
 * <p>Laid out as {@code BuyerSlots} is, and for the same reason: the shopper-to-entry map is
 * {@value #SHARDS} maps picked by a hash of the shopper, so a rehash moves a sixty-fourth of a
 * million shoppers, not all of them; the entries live in pages that are never moved. An entry is
 * written once, when it is added, which lets {@link #freeze()} share the pages with a snapshot cut
 * instead of copying them.
 *
 * <p>Business thread only; a {@link Frozen} cut, any thread once handed over.
 */
public final class ShopperSubjects
{
    static final int SHARDS = 64;
    private static final int SHARD_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(SHARDS);
    static final int PAGE_SIZE = 1 << 12;
    private static final int PAGE_SHIFT = Integer.numberOfTrailingZeros(PAGE_SIZE);
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final long NONE = -1;

    private final Long2LongHashMap[] entryByUser = new Long2LongHashMap[SHARDS];
    private long[][] userIds = new long[1][PAGE_SIZE];
    private String[][] subjects = new String[1][PAGE_SIZE];
    private int count;

    public ShopperSubjects()
    {
        for (int i = 0; i < SHARDS; i++)
        {
            entryByUser[i] = new Long2LongHashMap(NONE);
        }
    }

    /**
     * Names a shopper unless already named: the first subject given wins. An empty subject names
     * nobody. Allocates (the string, perhaps a map entry or a page) only for a shopper not yet named.
     *
     * @param utf8 the subject's UTF-8 bytes, the first {@code length} of them
     */
    public void name(final long userId, final byte[] utf8, final int length)
    {
        if (length == 0 || shard(userId).get(userId) != NONE)
        {
            return;
        }
        add(userId, new String(utf8, 0, length, StandardCharsets.UTF_8));
    }

    /** The shopper's subject, or null when no purchase named them. */
    public String subjectOf(final long userId)
    {
        final long entry = shard(userId).get(userId);
        return entry == NONE ? null : subjects[(int)(entry >>> PAGE_SHIFT)][(int)(entry & PAGE_MASK)];
    }

    /** Shoppers named so far. */
    public int count()
    {
        return count;
    }

    /** Adds an entry read from a snapshot; entries arrive in the order they were first named. */
    public void restore(final long userId, final String subject)
    {
        if (subject.isEmpty() || shard(userId).get(userId) != NONE)
        {
            throw new IllegalArgumentException("shopper " + userId + " is named twice or with an empty subject");
        }
        add(userId, subject);
    }

    private void add(final long userId, final String subject)
    {
        final int page = count >>> PAGE_SHIFT;
        if (page == userIds.length)
        {
            userIds = Arrays.copyOf(userIds, page + 1);
            userIds[page] = new long[PAGE_SIZE];
            subjects = Arrays.copyOf(subjects, page + 1);
            subjects[page] = new String[PAGE_SIZE];
        }
        userIds[page][count & PAGE_MASK] = userId;
        subjects[page][count & PAGE_MASK] = subject;
        shard(userId).put(userId, count);
        count++;
    }

    /**
     * The entries made so far, for a snapshot cut: shares the pages (entries below the count are
     * never written again) and copies only the short arrays of page references.
     */
    public Frozen freeze()
    {
        final int pages = count == 0 ? 0 : ((count - 1) >>> PAGE_SHIFT) + 1;
        return new Frozen(count, Arrays.copyOf(userIds, pages), Arrays.copyOf(subjects, pages));
    }

    /** A read-only cut: entry {@code i} (0-based, in the order first named) of {@link #count()}. */
    public static final class Frozen
    {
        private final int count;
        private final long[][] userIds;
        private final String[][] subjects;

        private Frozen(final int count, final long[][] userIds, final String[][] subjects)
        {
            this.count = count;
            this.userIds = userIds;
            this.subjects = subjects;
        }

        public int count()
        {
            return count;
        }

        public long userId(final int entry)
        {
            checkIndex(entry);
            return userIds[entry >>> PAGE_SHIFT][entry & PAGE_MASK];
        }

        public String subject(final int entry)
        {
            checkIndex(entry);
            return subjects[entry >>> PAGE_SHIFT][entry & PAGE_MASK];
        }

        private void checkIndex(final int entry)
        {
            if (entry < 0 || entry >= count)
            {
                throw new IndexOutOfBoundsException("entry " + entry + " is not in this cut of " + count);
            }
        }
    }

    private Long2LongHashMap shard(final long userId)
    {
        return entryByUser[(int)((userId * MIX) >>> SHARD_SHIFT)];
    }
}
