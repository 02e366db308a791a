package io.flashsale.engine.order;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.flashsale.engine.order.OrderTable.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderTableTest
{
    /** Three full pages and a few orders on a fourth, from a book sized for far fewer. */
    private static final int ORDERS = 3 * PAGE_SIZE + 5;
    /** Ids on both sides of every page boundary the tests cross. */
    private static final long[] EDGES = {
        1, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1,
        2L * PAGE_SIZE, 2L * PAGE_SIZE + 1, 3L * PAGE_SIZE, 3L * PAGE_SIZE + 1, ORDERS};

    private final OrderTable book = new OrderTable(16);

    // Values that differ per order and per column, so a read from the wrong page or slot shows.
    private static long saleOf(final long id)
    {
        return id % 7 + 1;
    }

    private static long userOf(final long id)
    {
        return id * 31 + 5;
    }

    private static int qtyOf(final long id)
    {
        return (int)(id % 5) + 1;
    }

    private static long deadlineOf(final long id)
    {
        return 1_000_000 + id * 3;
    }

    private static long keyOf(final long id)
    {
        return id ^ 0x5DEECE66DL;
    }

    private static long previousOf(final long id)
    {
        return id - 1;
    }

    private static long paymentRefOf(final long id)
    {
        return id * 1_000_003;
    }

    private static void addOrders(final OrderTable book, final int orders)
    {
        for (int i = 0; i < orders; i++)
        {
            final long expectedId = book.count() + 1;
            final long id = book.add(
                saleOf(expectedId), userOf(expectedId), qtyOf(expectedId), deadlineOf(expectedId), keyOf(expectedId),
                previousOf(expectedId));
            assertThat(id).isEqualTo(expectedId);
        }
    }

    private static void assertWriteOnceColumns(final OrderTable book, final long id)
    {
        assertWriteOnceColumns(id, book.saleId(id), book.userId(id), book.qty(id), book.deadline(id),
            book.idempotencyKey(id), book.previousOfUserInSale(id));
    }

    private static void assertWriteOnceColumns(final OrderTable.Frozen cut, final long id)
    {
        assertWriteOnceColumns(id, cut.saleId(id), cut.userId(id), cut.qty(id), cut.deadline(id),
            cut.idempotencyKey(id), cut.previousOfUserInSale(id));
    }

    /** Sale, user, qty, deadline, idempotency key, previous order: what order {@code id} was added with. */
    private static void assertWriteOnceColumns(final long id, final long... columns)
    {
        assertThat(columns).as("sale, user, qty, deadline, key, previous of order %d", id)
            .containsExactly(saleOf(id), userOf(id), qtyOf(id), deadlineOf(id), keyOf(id), previousOf(id));
    }

    @Test
    void ordersAddedPastSeveralPagesReadBackInEveryColumn()
    {
        addOrders(book, ORDERS);

        assertThat(book.count()).isEqualTo(ORDERS);
        for (long id = 1; id <= ORDERS; id++)
        {
            assertWriteOnceColumns(book, id);
            assertThat(book.state(id)).isEqualTo(OrderState.RESERVED);
            assertThat(book.paymentRefHash(id)).isZero();
            assertThat(book.buyerSlot(id)).isZero();
        }
    }

    @Test
    void existsCoversExactlyTheOrdersMade()
    {
        addOrders(book, ORDERS);

        assertThat(book.exists(0)).isFalse();
        assertThat(book.exists(1)).isTrue();
        assertThat(book.exists(PAGE_SIZE + 1)).isTrue();
        assertThat(book.exists(ORDERS)).isTrue();
        assertThat(book.exists(ORDERS + 1)).isFalse();
    }

    @Test
    void stateAndPaymentRefAndBuyerSlotChangeOnlyTheirOrderAcrossPageBoundaries()
    {
        addOrders(book, ORDERS);

        for (final long id : EDGES)
        {
            book.state(id, OrderState.PAID);
            book.paymentRefHash(id, paymentRefOf(id));
            book.buyerSlot(id, (int)id + 7);
        }

        for (long id = 1; id <= ORDERS; id++)
        {
            final boolean changed = isEdge(id);
            assertThat(book.state(id)).as("state of %d", id).isEqualTo(changed ? OrderState.PAID : OrderState.RESERVED);
            assertThat(book.paymentRefHash(id)).as("payment ref of %d", id).isEqualTo(changed ? paymentRefOf(id) : 0);
            assertThat(book.buyerSlot(id)).as("buyer slot of %d", id).isEqualTo(changed ? (int)id + 7 : 0);
            assertWriteOnceColumns(book, id);
        }
    }

    @Test
    void restoredOrdersAcrossPageBoundariesReadBackExactlyAsGiven()
    {
        final OrderState[] states = OrderState.values();
        for (long id = 1; id <= ORDERS; id++)
        {
            final OrderState state = states[(int)(id % states.length)];
            book.restore(id, saleOf(id), userOf(id), qtyOf(id), state, deadlineOf(id), keyOf(id),
                state == OrderState.PAID ? paymentRefOf(id) : 0, previousOf(id));
        }

        assertThat(book.count()).isEqualTo(ORDERS);
        for (long id = 1; id <= ORDERS; id++)
        {
            final OrderState state = states[(int)(id % states.length)];
            assertWriteOnceColumns(book, id);
            assertThat(book.state(id)).as("state of %d", id).isEqualTo(state);
            assertThat(book.paymentRefHash(id)).as("payment ref of %d", id).isEqualTo(state == OrderState.PAID ? paymentRefOf(id) : 0);
        }
    }

    @Test
    void restoringAnIdOutOfOrderIsRefusedAtAPageBoundary()
    {
        addOrders(book, PAGE_SIZE);

        assertThatThrownBy(() -> book.restore(PAGE_SIZE + 2, 1, 1, 1, OrderState.RESERVED, 1, 1, 0, 0))
            .isInstanceOf(IllegalStateException.class);
        assertThat(book.count()).isEqualTo(PAGE_SIZE);
    }

    @Test
    void frozenCutKeepsItsValuesWhileTheBookChangesAndGrows()
    {
        final int cutCount = PAGE_SIZE + 3;
        addOrders(book, cutCount);
        final long paidBeforeCut = PAGE_SIZE;
        book.state(paidBeforeCut, OrderState.PAID);
        book.paymentRefHash(paidBeforeCut, paymentRefOf(paidBeforeCut));

        final OrderTable.Frozen cut = book.freeze();

        // After the cut: every order on both pages changes state, some get paid, the table grows two more pages.
        for (long id = 1; id <= cutCount; id++)
        {
            if (id != paidBeforeCut)
            {
                book.state(id, id % 2 == 0 ? OrderState.PAID : OrderState.CANCELLED);
                book.paymentRefHash(id, id % 2 == 0 ? paymentRefOf(id) : 0);
            }
        }
        addOrders(book, 2 * PAGE_SIZE);

        assertThat(cut.count()).isEqualTo(cutCount);
        for (long id = 1; id <= cutCount; id++)
        {
            assertWriteOnceColumns(cut, id);
            if (id == paidBeforeCut)
            {
                assertThat(cut.stateCode(id)).isEqualTo(OrderState.PAID.code());
                assertThat(cut.paymentRefHash(id)).isEqualTo(paymentRefOf(id));
            }
            else
            {
                assertThat(cut.stateCode(id)).as("state of %d", id).isEqualTo(OrderState.RESERVED.code());
                assertThat(cut.paymentRefHash(id)).as("payment ref of %d", id).isZero();
            }
        }
        assertThat(book.state(2)).isEqualTo(OrderState.PAID);
        assertThat(book.paymentRefHash(2)).isEqualTo(paymentRefOf(2));
    }

    @Test
    void cutsBeforeAndAfterGrowthEachSeeTheirOwnOrders()
    {
        addOrders(book, PAGE_SIZE);
        final OrderTable.Frozen atFullPage = book.freeze();

        addOrders(book, PAGE_SIZE + 1);
        book.state(PAGE_SIZE, OrderState.EXPIRED);
        book.state(2L * PAGE_SIZE + 1, OrderState.CANCELLED);
        final OrderTable.Frozen afterGrowth = book.freeze();
        addOrders(book, PAGE_SIZE);

        assertThat(atFullPage.count()).isEqualTo(PAGE_SIZE);
        assertThat(atFullPage.stateCode(PAGE_SIZE)).isEqualTo(OrderState.RESERVED.code());
        assertThat(afterGrowth.count()).isEqualTo(2 * PAGE_SIZE + 1);
        assertThat(afterGrowth.stateCode(PAGE_SIZE)).isEqualTo(OrderState.EXPIRED.code());
        assertThat(afterGrowth.stateCode(2L * PAGE_SIZE + 1)).isEqualTo(OrderState.CANCELLED.code());
        for (final long id : new long[] {1, PAGE_SIZE, PAGE_SIZE + 1, 2L * PAGE_SIZE, 2L * PAGE_SIZE + 1})
        {
            assertWriteOnceColumns(afterGrowth, id);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, PAGE_SIZE + 4, 2L * PAGE_SIZE, 3L * PAGE_SIZE + 1, Long.MAX_VALUE})
    void idOutsideTheCutIsRefusedEvenWhenTheBookHasIt(final long orderId)
    {
        addOrders(book, PAGE_SIZE + 3);
        final OrderTable.Frozen cut = book.freeze();
        addOrders(book, 2 * PAGE_SIZE + 5);

        assertThatThrownBy(() -> cut.saleId(orderId)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cut.userId(orderId)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cut.qty(orderId)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cut.stateCode(orderId)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cut.deadline(orderId)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cut.idempotencyKey(orderId)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cut.paymentRefHash(orderId)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cut.previousOfUserInSale(orderId)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void emptyBookFreezesToAnEmptyCut()
    {
        final OrderTable.Frozen cut = book.freeze();
        addOrders(book, 1);

        assertThat(cut.count()).isZero();
        assertThatThrownBy(() -> cut.saleId(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1})
    void bookOfAnyInitialCapacityTakesOrdersPastItsPages(final int initialCapacity)
    {
        final OrderTable sized = new OrderTable(initialCapacity);

        addOrders(sized, 2 * PAGE_SIZE + 1);

        for (final long id : new long[] {1, PAGE_SIZE, PAGE_SIZE + 1, 2L * PAGE_SIZE, 2L * PAGE_SIZE + 1})
        {
            assertWriteOnceColumns(sized, id);
        }
    }

    private static boolean isEdge(final long id)
    {
        for (final long edge : EDGES)
        {
            if (edge == id)
            {
                return true;
            }
        }
        return false;
    }
}
