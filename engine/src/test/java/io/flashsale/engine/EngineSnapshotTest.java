package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.model.EngineFacts;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.engine.shopper.ShopperSubjects;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.BOB;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineSnapshotTest
{
    /** Bytes of one order record: sale, user, qty, state, deadline, key, payment ref, previous. */
    private static final int ORDER_BYTES = 8 + 8 + 4 + 1 + 8 + 8 + 8 + 8;
    /** Bytes after the orders when no shopper is named: whether every shopper is named, and a count of 0. */
    private static final int NO_SUBJECTS_BYTES = 1 + 4;

    private final EngineDriver driver = new EngineDriver();

    private static byte[] bytesOf(final SaleEngine engine) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            EngineSnapshot.write(engine, out);
        }
        return bytes.toByteArray();
    }

    private static SaleEngine read(final byte[] bytes, final SaleViews views) throws IOException
    {
        return EngineSnapshot.read(new DataInputStream(new ByteArrayInputStream(bytes)), views);
    }

    @Test
    void emptyEngineRoundTrips() throws IOException
    {
        final SaleEngine restored = read(bytesOf(driver.engine), new SaleViews());

        assertThat(restored.now()).isEqualTo(Long.MIN_VALUE);
        assertThat(restored.saleCount()).isZero();
        assertThat(restored.orders().count()).isZero();
        assertThat(EngineSnapshot.stateHash(restored)).isEqualTo(EngineSnapshot.stateHash(driver.engine));
    }

    @Test
    void restoredEngineKeepsEveryFactAndTheClock() throws IOException
    {
        final long sale = driver.sale(10, 3);
        final long paid = driver.reserve(START, sale, ALICE, 2);
        driver.pay(START + 1, paid, ALICE);
        final long cancelled = driver.reserve(START + 2, sale, BOB, 1);
        driver.cancel(START + 3, cancelled, BOB);
        driver.reserve(START + 4, sale, BOB, 1);

        final SaleEngine restored = read(bytesOf(driver.engine), new SaleViews());

        assertThat(EngineFacts.of(restored)).isEqualTo(EngineFacts.of(driver.engine));
        assertThat(restored.now()).isEqualTo(START + 4);
        assertThat(restored.appliedCount()).isEqualTo(driver.engine.appliedCount());
    }

    @Test
    void restoredEngineStillEnforcesPerUserLimitsAndIdempotency() throws IOException
    {
        final long sale = driver.sale(10, 2);
        final long first = driver.apply(Commands.purchase(START, sale, ALICE, 1, 77)).resultOrderId;
        driver.apply(Commands.purchase(START, sale, ALICE, 1, 78));

        final SaleEngine restored = read(bytesOf(driver.engine), new SaleViews());

        final var duplicate = Commands.purchase(START, sale, ALICE, 1, 77);
        restored.apply(duplicate);
        assertThat(duplicate.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(duplicate.resultOrderId).isEqualTo(first);
        final var third = Commands.purchase(START, sale, ALICE, 1, 79);
        restored.apply(third);
        assertThat(third.outcome).isEqualTo(Outcome.LIMIT_REACHED);
    }

    @Test
    void restoredEngineExpiresReservationsAtTheirDeadlines() throws IOException
    {
        final long sale = driver.sale(10, 3);
        final long early = driver.reserve(START, sale, ALICE, 1);
        final long late = driver.reserve(START + 100, sale, BOB, 1);

        final SaleEngine restored = read(bytesOf(driver.engine), new SaleViews());
        restored.apply(Commands.tick(START + WINDOW));

        assertThat(restored.orders().state(early)).isEqualTo(OrderState.EXPIRED);
        assertThat(restored.orders().state(late)).isEqualTo(OrderState.RESERVED);
        assertThat(restored.sale(sale).held(ALICE)).isZero();
        assertThat(restored.sale(sale).held(BOB)).isEqualTo(1);
        restored.apply(Commands.tick(START + 100 + WINDOW));
        assertThat(restored.orders().state(late)).isEqualTo(OrderState.EXPIRED);
    }

    @Test
    void restoreReplacesTheViewsAndPublishesTheRestoredCounts() throws IOException
    {
        final long sale = driver.sale(10, 3);
        driver.reserve(START, sale, ALICE, 3);
        final SaleViews views = new SaleViews();
        views.add(new SaleView(1, "stale", 1, 0, 1, 1, 1));

        read(bytesOf(driver.engine), views);

        assertThat(views.size()).isEqualTo(1);
        assertThat(views.get(sale).name).isEqualTo("sale");
        final SaleCounts counts = views.get(sale).readCounts(new SaleCounts());
        assertThat(counts.available).isEqualTo(7);
        assertThat(counts.reserved).isEqualTo(3);
        assertThat(counts.distinctBuyers).isEqualTo(1);
        assertThat(counts.engineTime).isEqualTo(START);
    }

    @Test
    void equalStatesWriteEqualBytesAndDifferentStatesHashDifferently() throws IOException
    {
        final EngineDriver twin = new EngineDriver();
        final long sale = driver.sale(10, 3);
        twin.sale(10, 3);
        driver.reserve(START, sale, ALICE, 1);
        twin.reserve(START, sale, ALICE, 1);

        assertThat(bytesOf(twin.engine)).isEqualTo(bytesOf(driver.engine));
        assertThat(EngineSnapshot.stateHash(twin.engine)).isEqualTo(EngineSnapshot.stateHash(driver.engine));

        twin.reserve(START, sale, BOB, 1);
        assertThat(EngineSnapshot.stateHash(twin.engine)).isNotEqualTo(EngineSnapshot.stateHash(driver.engine));
    }

    @Test
    void readRefusesBytesThatAreNotASnapshot()
    {
        final byte[] bytes = new byte[64];

        assertThatThrownBy(() -> read(bytes, new SaleViews())).isInstanceOf(IOException.class).hasMessageContaining("magic");
    }

    @Test
    void readRefusesAnUnknownFormatVersion() throws IOException
    {
        final byte[] bytes = bytesOf(driver.engine);
        bytes[7] = 99;

        assertThatThrownBy(() -> read(bytes, new SaleViews())).isInstanceOf(IOException.class).hasMessageContaining("version 99");
    }

    @Test
    void readRefusesATruncatedSnapshot() throws IOException
    {
        driver.reserve(START, driver.sale(10, 3), ALICE, 1);
        final byte[] bytes = bytesOf(driver.engine);

        assertThatThrownBy(() -> read(Arrays.copyOf(bytes, bytes.length - 1), new SaleViews())).isInstanceOf(EOFException.class);
    }

    @Test
    void readRefusesAnOrderWithAnUnknownStateOrSale() throws IOException
    {
        driver.reserve(START, driver.sale(10, 3), ALICE, 1);
        final byte[] bytes = bytesOf(driver.engine);
        final int order = bytes.length - NO_SUBJECTS_BYTES - ORDER_BYTES;

        final byte[] badState = bytes.clone();
        badState[order + 8 + 8 + 4] = 9;
        assertThatThrownBy(() -> read(badState, new SaleViews())).isInstanceOf(IOException.class).hasMessageContaining("corrupt order 1");

        final byte[] badSale = bytes.clone();
        badSale[order + 7] = 2;
        assertThatThrownBy(() -> read(badSale, new SaleViews())).isInstanceOf(IOException.class).hasMessageContaining("corrupt order 1");
    }

    @Test
    void readRefusesAPaymentReferenceOnAnOrderThatIsNotPaid() throws IOException
    {
        driver.reserve(START, driver.sale(10, 3), ALICE, 1);
        final byte[] bytes = bytesOf(driver.engine);
        final int paymentRef = bytes.length - NO_SUBJECTS_BYTES - ORDER_BYTES + 8 + 8 + 4 + 1 + 8 + 8;

        final byte[] refOnReserved = bytes.clone();
        refOnReserved[paymentRef + 7] = 42;
        assertThatThrownBy(() -> read(refOnReserved, new SaleViews())).isInstanceOf(IOException.class).hasMessageContaining("corrupt order 1");
    }

    @Test
    void restoredEngineKeepsTheShoppersSubjectsAndNamesTheirOrders() throws IOException
    {
        final long sale = driver.sale(10, 3);
        final long alices = reserveNamed(sale, ALICE, "alice@example.com");
        final long bobs = reserveNamed(sale, BOB, "bob-\u00e9");

        final SaleEngine restored = read(bytesOf(driver.engine), new SaleViews());

        assertThat(EngineFacts.of(restored)).isEqualTo(EngineFacts.of(driver.engine));
        assertThat(restored.namesEveryShopper()).isTrue();
        assertThat(inspect(restored, alices).resultSubject).isEqualTo("alice@example.com");
        assertThat(inspect(restored, bobs).resultSubject).isEqualTo("bob-\u00e9");
        assertThat(EngineSnapshot.stateHash(restored)).isEqualTo(EngineSnapshot.stateHash(driver.engine));
    }

    @Test
    void subjectsAreStateTheyChangeTheHash() throws IOException
    {
        final long sale = driver.sale(10, 3);
        final EngineDriver unnamed = new EngineDriver();
        unnamed.sale(10, 3);
        reserveNamed(sale, ALICE, "alice@example.com");
        unnamed.reserve(START, sale, ALICE, 1);

        assertThat(EngineSnapshot.stateHash(driver.engine)).isNotEqualTo(EngineSnapshot.stateHash(unnamed.engine));
        assertThat(EngineSnapshot.stateHashWithoutSubjects(driver.engine)).isEqualTo(EngineSnapshot.stateHashWithoutSubjects(unnamed.engine));
    }

    @Test
    void aFormatOneSnapshotRestoresWithItsShoppersUnnamed() throws IOException
    {
        final long sale = driver.sale(10, 3);
        final long alices = reserveNamed(sale, ALICE, "alice@example.com");
        final byte[] formatOne = formatOneBytesOf(driver.engine);

        final SaleEngine restored = read(formatOne, new SaleViews());

        assertThat(restored.namesEveryShopper()).isFalse();
        assertThat(restored.subjects().count()).isZero();
        final CommandEvent answer = inspect(restored, alices);
        assertThat(answer.outcome).isEqualTo(Outcome.OK);
        assertThat(answer.resultUserId).isEqualTo(ALICE);
        assertThat(answer.resultSubject).isNull();
        final EngineFacts facts = EngineFacts.of(restored);
        final EngineFacts original = EngineFacts.of(driver.engine);
        assertThat(facts.orders()).isEqualTo(original.orders());
        assertThat(facts.sales()).isEqualTo(original.sales());
        assertThat(EngineSnapshot.stateHashWithoutSubjects(restored)).isEqualTo(EngineSnapshot.stateHashWithoutSubjects(driver.engine));
    }

    @Test
    void anEngineRestoredFromFormatOneNamesShoppersAgainAndSaysItMayNotNameEveryone() throws IOException
    {
        final long sale = driver.sale(10, 3);
        reserveNamed(sale, ALICE, "alice@example.com");
        final SaleEngine restored = read(formatOneBytesOf(driver.engine), new SaleViews());

        final CommandEvent again = Commands.purchase(START + 1, sale, ALICE, "alice@example.com", 1, 0);
        restored.apply(again);
        final SaleEngine rewritten = read(bytesOf(restored), new SaleViews());

        assertThat(again.outcome).isEqualTo(Outcome.RESERVED);
        assertThat(inspect(rewritten, 1).resultSubject).isEqualTo("alice@example.com");
        assertThat(rewritten.namesEveryShopper()).isFalse();
    }

    @Test
    void readRefusesAShopperNamedTwice() throws IOException
    {
        final long sale = driver.sale(10, 3);
        reserveNamed(sale, ALICE, "a");
        reserveNamed(sale, BOB, "b");
        final byte[] bytes = bytesOf(driver.engine);
        // The last entry: user id (8), then the subject "b" as writeUTF writes it (2 + 1).
        final int lastUser = bytes.length - 3 - 8;
        System.arraycopy(longBytes(ALICE), 0, bytes, lastUser, 8);

        assertThatThrownBy(() -> read(bytes, new SaleViews())).isInstanceOf(IOException.class).hasMessageContaining("corrupt subject 1");
    }

    private long reserveNamed(final long sale, final long user, final String subject)
    {
        final CommandEvent reserved = driver.apply(Commands.purchase(START, sale, user, subject, 1, 0));
        assertThat(reserved.outcome).isEqualTo(Outcome.RESERVED);
        return reserved.resultOrderId;
    }

    private static CommandEvent inspect(final SaleEngine engine, final long orderId)
    {
        final CommandEvent inspect = Commands.inspectOrder(Long.MIN_VALUE, orderId);
        engine.apply(inspect);
        return inspect;
    }

    /** The bytes a format 1 writer gave the same state: version 1 and nothing after the orders. */
    private static byte[] formatOneBytesOf(final SaleEngine engine) throws IOException
    {
        final byte[] bytes = bytesOf(engine);
        int subjectBytes = NO_SUBJECTS_BYTES;
        final ShopperSubjects.Frozen named = engine.subjects().freeze();
        for (int entry = 0; entry < named.count(); entry++)
        {
            subjectBytes += 8 + 2 + named.subject(entry).getBytes(StandardCharsets.UTF_8).length;
        }
        final byte[] formatOne = Arrays.copyOf(bytes, bytes.length - subjectBytes);
        formatOne[7] = 1; // the version int after the magic
        return formatOne;
    }

    private static byte[] longBytes(final long value)
    {
        final byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(value >>> (56 - 8 * i));
        }
        return bytes;
    }
}
