package io.flashsale.engine;

import io.flashsale.engine.order.OrderTable;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.Sale;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.engine.shopper.ShopperSubjects;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writes an engine's state to a byte stream and reads it back, and computes a state hash.
 *
 * <p>Only the facts are written: the clock, the sales with their counts, every order, and (from
 * format 2) the shoppers' subjects in the order they were first named. The indexes (units held per
 * shopper, idempotency chains, expiry queues) are rebuilt on load, so the bytes are canonical: two
 * engines in the same state write the same bytes and hash the same, however their maps grew.
 *
 * <p>Format 1 (before subjects) still loads: its shoppers are unnamed, and the engine says so
 * ({@link SaleEngine#namesEveryShopper()}), as do the format 2 snapshots it writes later.
 */
public final class EngineSnapshot
{
    private static final int MAGIC = 0x46534E50; // "FSNP"
    private static final int FORMAT_VERSION = 2;
    /** Before subjects: read, never written. */
    private static final int FORMAT_VERSION_1 = 1;

    private EngineSnapshot()
    {
    }

    /**
     * The facts a snapshot holds, taken out of the engine at one point of the ring: what the
     * business thread does at a SNAPSHOT command. It copies one byte an order (the state) and
     * shares the write-once columns ({@link OrderTable#freeze()}), so that
     * serialising ({@link #write(Cut, DataOutput)}) can happen on another thread while the engine
     * goes on. Never changed after the cut; any thread.
     */
    public static final class Cut
    {
        final long now;
        final long applied;
        final SaleFacts[] sales;
        final OrderTable.Frozen orders;
        final boolean namesEveryShopper;
        final ShopperSubjects.Frozen subjects;

        private Cut(final long now, final long applied, final SaleFacts[] sales, final OrderTable.Frozen orders,
            final boolean namesEveryShopper, final ShopperSubjects.Frozen subjects)
        {
            this.now = now;
            this.applied = applied;
            this.sales = sales;
            this.orders = orders;
            this.namesEveryShopper = namesEveryShopper;
            this.subjects = subjects;
        }

        /** Commands applied at the cut: the journal sequence the snapshot covers. */
        public long appliedCount()
        {
            return applied;
        }

        /** The engine's clock at the cut. */
        public long now()
        {
            return now;
        }

        public int orderCount()
        {
            return orders.count();
        }
    }

    private record SaleFacts(
        String name, long stock, long startsAt, long endsAt, int perUserLimit, long paymentWindowMillis,
        long available, long reserved, long paid, long cancelled, long expired)
    {
    }

    /** Copies the snapshot's facts out of the engine. Business thread (or an engine no thread runs). */
    public static Cut cut(final SaleEngine engine)
    {
        final SaleFacts[] sales = new SaleFacts[engine.saleCount()];
        for (int i = 0; i < sales.length; i++)
        {
            final Sale sale = engine.sale(i + 1);
            sales[i] = new SaleFacts(sale.name, sale.stock, sale.startsAt, sale.endsAt, sale.perUserLimit, sale.paymentWindowMillis,
                sale.available, sale.reservedUnits, sale.paidUnits, sale.cancelledUnits, sale.expiredUnits);
        }
        return new Cut(engine.now(), engine.appliedCount(), sales, engine.orders().freeze(),
            engine.namesEveryShopper(), engine.subjects().freeze());
    }

    /** Cuts and writes at once; for an engine no other thread runs (tests, tools). */
    public static void write(final SaleEngine engine, final DataOutput out) throws IOException
    {
        write(cut(engine), out);
    }

    /** Writes a cut in the canonical format. Any thread. */
    public static void write(final Cut cut, final DataOutput out) throws IOException
    {
        write(cut, out, true);
    }

    private static void write(final Cut cut, final DataOutput out, final boolean withSubjects) throws IOException
    {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeLong(cut.now);
        out.writeLong(cut.applied);

        out.writeInt(cut.sales.length);
        for (final SaleFacts sale : cut.sales)
        {
            out.writeUTF(sale.name());
            out.writeLong(sale.stock());
            out.writeLong(sale.startsAt());
            out.writeLong(sale.endsAt());
            out.writeInt(sale.perUserLimit());
            out.writeLong(sale.paymentWindowMillis());
            out.writeLong(sale.available());
            out.writeLong(sale.reserved());
            out.writeLong(sale.paid());
            out.writeLong(sale.cancelled());
            out.writeLong(sale.expired());
        }

        final OrderTable.Frozen orders = cut.orders;
        out.writeInt(orders.count());
        for (long orderId = 1; orderId <= orders.count(); orderId++)
        {
            out.writeLong(orders.saleId(orderId));
            out.writeLong(orders.userId(orderId));
            out.writeInt(orders.qty(orderId));
            out.writeByte(orders.stateCode(orderId));
            out.writeLong(orders.deadline(orderId));
            out.writeLong(orders.idempotencyKey(orderId));
            out.writeLong(orders.paymentRefHash(orderId));
            out.writeLong(orders.previousOfUserInSale(orderId));
        }

        if (withSubjects)
        {
            out.writeBoolean(cut.namesEveryShopper);
            final ShopperSubjects.Frozen subjects = cut.subjects;
            out.writeInt(subjects.count());
            for (int entry = 0; entry < subjects.count(); entry++)
            {
                out.writeLong(subjects.userId(entry));
                out.writeUTF(subjects.subject(entry));
            }
        }
    }

    /**
     * Reads a state written by {@link #write} into a new engine that publishes to {@code views}.
     *
     * @throws IOException on a short or malformed stream
     */
    public static SaleEngine read(final DataInput in, final SaleViews views) throws IOException
    {
        if (in.readInt() != MAGIC)
        {
            throw new IOException("not a flashsale engine snapshot (bad magic)");
        }
        final int version = in.readInt();
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_1)
        {
            throw new IOException("unsupported snapshot format version " + version);
        }
        final long now = in.readLong();
        final long applied = in.readLong();

        final int saleCount = in.readInt();
        if (saleCount < 0)
        {
            throw new IOException("negative sale count");
        }
        final long[][] counts = new long[saleCount][];
        final Sale[] sales = new Sale[saleCount];
        for (int i = 0; i < saleCount; i++)
        {
            sales[i] = new Sale(i + 1, in.readUTF(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readLong());
            counts[i] = new long[] {in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()};
        }

        final int orderCount = in.readInt();
        if (orderCount < 0)
        {
            throw new IOException("negative order count");
        }
        views.clear();
        final SaleEngine engine = new SaleEngine(orderCount + 1024, views);
        engine.restoreClock(now, applied);
        for (int i = 0; i < saleCount; i++)
        {
            final Sale sale = sales[i];
            sale.available = counts[i][0];
            sale.reservedUnits = counts[i][1];
            sale.paidUnits = counts[i][2];
            sale.cancelledUnits = counts[i][3];
            sale.expiredUnits = counts[i][4];
            engine.restoreSale(sale);
        }
        final OrderTable orders = engine.orders();
        for (long orderId = 1; orderId <= orderCount; orderId++)
        {
            final long saleId = in.readLong();
            final long user = in.readLong();
            final int qty = in.readInt();
            final OrderState state = OrderState.fromCode(in.readByte());
            final long deadline = in.readLong();
            final long key = in.readLong();
            final long paymentRef = in.readLong();
            final long previous = in.readLong();
            // Only a paid order has a payment reference (the engine sets both in one step; cuts rely on it).
            if (state == null || saleId < 1 || saleId > saleCount || previous < 0 || previous >= orderId
                || (paymentRef != 0 && state != OrderState.PAID))
            {
                throw new IOException("corrupt order " + orderId);
            }
            orders.restore(orderId, saleId, user, qty, state, deadline, key, paymentRef, previous);
        }
        if (version == FORMAT_VERSION_1)
        {
            engine.restoreNamesEveryShopper(false);
        }
        else
        {
            engine.restoreNamesEveryShopper(in.readBoolean());
            final int subjectCount = in.readInt();
            if (subjectCount < 0)
            {
                throw new IOException("negative subject count");
            }
            final ShopperSubjects subjects = engine.subjects();
            for (int entry = 0; entry < subjectCount; entry++)
            {
                final long user = in.readLong();
                final String subject = in.readUTF();
                try
                {
                    subjects.restore(user, subject);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IOException("corrupt subject " + entry + ": " + ex.getMessage());
                }
            }
        }
        engine.rebuildIndexes();
        return engine;
    }

    /** A 64-bit digest of the canonical state: equal states, equal hashes. */
    public static long stateHash(final SaleEngine engine)
    {
        return stateHash(engine, true);
    }

    /**
     * The digest of the state without the shoppers' subjects: what two engines still share when one
     * of them was restored from a snapshot that predates subjects ({@link SaleEngine#namesEveryShopper()}).
     */
    public static long stateHashWithoutSubjects(final SaleEngine engine)
    {
        return stateHash(engine, false);
    }

    private static long stateHash(final SaleEngine engine, final boolean withSubjects)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), digest)))
            {
                write(cut(engine), out, withSubjects);
            }
            final byte[] sha = digest.digest();
            long hash = 0;
            for (int i = 0; i < 8; i++)
            {
                hash = (hash << 8) | (sha[i] & 0xff);
            }
            return hash;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
