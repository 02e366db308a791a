package io.flashsale.engine.shopper;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShopperSubjectsTest
{
    private static final int SHOPPERS = 3 * ShopperSubjects.PAGE_SIZE + 17;

    private final ShopperSubjects subjects = new ShopperSubjects();

    private void name(final long userId, final String subject)
    {
        final byte[] utf8 = subject.getBytes(StandardCharsets.UTF_8);
        subjects.name(userId, utf8, utf8.length);
    }

    /** Random-looking 64-bit ids, as hashed subjects are. */
    private static long userId(final int i)
    {
        return (i + 1) * 0x9E3779B97F4A7C15L;
    }

    @Test
    void everyShopperKeepsTheFirstSubjectAcrossPages()
    {
        for (int i = 0; i < SHOPPERS; i++)
        {
            name(userId(i), "shopper-" + i);
        }
        for (int i = 0; i < SHOPPERS; i += 7)
        {
            name(userId(i), "someone else");
        }

        assertThat(subjects.count()).isEqualTo(SHOPPERS);
        for (int i = 0; i < SHOPPERS; i++)
        {
            assertThat(subjects.subjectOf(userId(i))).isEqualTo("shopper-" + i);
        }
        assertThat(subjects.subjectOf(42)).isNull();
    }

    @Test
    void anEmptySubjectNamesNobody()
    {
        subjects.name(7, new byte[0], 0);

        assertThat(subjects.count()).isZero();
        assertThat(subjects.subjectOf(7)).isNull();
    }

    @Test
    void aFrozenCutStaysAsItWasWhileMoreShoppersAreNamed()
    {
        final int atCut = ShopperSubjects.PAGE_SIZE + 5;
        for (int i = 0; i < atCut; i++)
        {
            name(userId(i), "shopper-" + i);
        }
        final ShopperSubjects.Frozen cut = subjects.freeze();
        for (int i = atCut; i < SHOPPERS; i++)
        {
            name(userId(i), "shopper-" + i);
        }

        assertThat(cut.count()).isEqualTo(atCut);
        for (int entry = 0; entry < atCut; entry++)
        {
            assertThat(cut.userId(entry)).isEqualTo(userId(entry));
            assertThat(cut.subject(entry)).isEqualTo("shopper-" + entry);
        }
        assertThatThrownBy(() -> cut.subject(atCut)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void restoreRefusesAShopperTwiceOrAnEmptySubject()
    {
        subjects.restore(1, "a");

        assertThatThrownBy(() -> subjects.restore(1, "b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> subjects.restore(2, "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(subjects.subjectOf(1)).isEqualTo("a");
    }
}
