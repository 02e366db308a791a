package io.flashsale.journal.codec;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandCodecTest
{
    private final Random random = new Random(42);

    @ParameterizedTest
    @EnumSource(value = CommandType.class, names = {"CREATE_SALE", "PURCHASE", "PAY", "CANCEL", "TICK"})
    void everyJournaledTypeRoundTripsItsInputFields(final CommandType type)
    {
        final CommandCodec writer = new CommandCodec();
        final CommandCodec reader = new CommandCodec();
        for (int i = 0; i < 2_000; i++)
        {
            final CommandEvent original = randomCommand(type);
            final long sequence = 1 + random.nextLong(Long.MAX_VALUE - 1);
            final long ringSequence = random.nextLong();
            final int length = writer.encode(original, sequence, ringSequence);
            System.arraycopy(writer.array(), 0, reader.array(), 0, length);

            final CommandEvent decoded = new CommandEvent();
            decoded.userId = 99; // stale content must not survive
            assertThat(reader.decode(length, decoded)).as(reader.error()).isTrue();
            assertThat(reader.sequence()).isEqualTo(sequence);
            assertThat(reader.ringSequence()).isEqualTo(ringSequence);
            assertSameInput(decoded, original);
        }
    }

    @Test
    void recordsAreCompact()
    {
        final CommandCodec codec = new CommandCodec();
        final CommandEvent purchase = randomCommand(CommandType.PURCHASE);
        purchase.setText("alice");
        assertThat(codec.encode(purchase, 1, 1)).isEqualTo(CommandCodec.HEADER_LENGTH + 28 + 1 + 5);
        final CommandEvent tick = randomCommand(CommandType.TICK);
        assertThat(codec.encode(tick, 1, 1)).isEqualTo(CommandCodec.HEADER_LENGTH);
    }

    @Test
    void aFlippedBitAnywhereIsDetected()
    {
        final CommandCodec codec = new CommandCodec();
        for (final CommandType type : new CommandType[] {CommandType.CREATE_SALE, CommandType.PURCHASE, CommandType.PAY, CommandType.CANCEL, CommandType.TICK})
        {
            final int length = codec.encode(randomCommand(type), 7, 7);
            final byte[] sound = Arrays.copyOf(codec.array(), length);
            for (int bit = 0; bit < length * 8; bit++)
            {
                System.arraycopy(sound, 0, codec.array(), 0, length);
                codec.array()[bit / 8] ^= (byte)(1 << (bit % 8));
                assertThat(codec.decode(length, new CommandEvent())).as("%s bit %d", type, bit).isFalse();
                assertThat(codec.error()).isNotBlank();
            }
        }
    }

    @Test
    void aShortOrLongRecordIsDetected()
    {
        final CommandCodec codec = new CommandCodec();
        final int length = codec.encode(randomCommand(CommandType.PURCHASE), 1, 1);
        assertThat(codec.decode(length - 1, new CommandEvent())).isFalse();
        assertThat(codec.decode(CommandCodec.HEADER_LENGTH - 1, new CommandEvent())).isFalse();
        assertThat(codec.decode(0, new CommandEvent())).isFalse();
        assertThat(codec.error()).contains("record length");
    }

    @Test
    void aPurchaseCarriesItsShoppersSubject()
    {
        final CommandCodec codec = new CommandCodec();
        final CommandEvent purchase = randomCommand(CommandType.PURCHASE);
        purchase.setText("customer-17@shop.example");
        final int length = codec.encode(purchase, 5, 5);
        final CommandEvent decoded = new CommandEvent();
        assertThat(codec.decode(length, decoded)).as(codec.error()).isTrue();
        assertThat(decoded.textAsString()).isEqualTo("customer-17@shop.example");
    }

    @Test
    void aVersionOnePurchaseWithoutSubjectStillDecodesWithAnEmptySubject()
    {
        final CommandCodec codec = new CommandCodec();
        final CommandEvent purchase = randomCommand(CommandType.PURCHASE);
        purchase.setText("");
        final int v2Length = codec.encode(purchase, 9, 9);
        // The version 1 layout: the same fields without the subject's length byte, under version 1 and its own checksum.
        final int length = v2Length - 1;
        final byte[] record = codec.array();
        record[4] = CommandCodec.FORMAT_VERSION_1;
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(record, 4, length - 4);
        java.nio.ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, (int)crc.getValue());

        final CommandEvent decoded = new CommandEvent();
        decoded.setText("left over");
        assertThat(codec.decode(length, decoded)).as(codec.error()).isTrue();
        assertThat(decoded.textLength()).isZero();
        assertThat(decoded.saleId).isEqualTo(purchase.saleId);
        assertThat(decoded.userId).isEqualTo(purchase.userId);
        assertThat(decoded.idempotencyKey).isEqualTo(purchase.idempotencyKey);
        assertThat(codec.sequence()).isEqualTo(9);
    }

    @Test
    void commandsThatChangeNothingAreNotEncoded()
    {
        final CommandCodec codec = new CommandCodec();
        final CommandEvent query = new CommandEvent();
        query.type = CommandType.QUERY_ORDER;
        assertThatThrownBy(() -> codec.encode(query, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        query.type = CommandType.SNAPSHOT;
        assertThatThrownBy(() -> codec.encode(query, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private CommandEvent randomCommand(final CommandType type)
    {
        final CommandEvent command = new CommandEvent();
        command.type = type;
        command.timestamp = random.nextLong();
        switch (type)
        {
            case CREATE_SALE ->
            {
                command.stock = random.nextLong();
                command.startsAt = random.nextLong();
                command.endsAt = random.nextLong();
                command.perUserLimit = random.nextInt();
                command.paymentWindowMillis = random.nextLong();
                command.setText(randomText());
            }
            case PURCHASE ->
            {
                command.saleId = random.nextLong();
                command.userId = random.nextLong();
                command.qty = random.nextInt();
                command.idempotencyKey = random.nextLong();
                command.setText(randomText());
            }
            case PAY ->
            {
                command.orderId = random.nextLong();
                command.userId = random.nextLong();
                command.setText(randomText());
            }
            case CANCEL ->
            {
                command.orderId = random.nextLong();
                command.userId = random.nextLong();
            }
            default ->
            {
            }
        }
        return command;
    }

    private String randomText()
    {
        // Up to the longest text that fits, in UTF-8 bytes; some two-byte characters on the way.
        final int budget = random.nextInt(10) == 0 ? CommandEvent.MAX_TEXT_BYTES : random.nextInt(40);
        final StringBuilder text = new StringBuilder();
        int bytes = 0;
        while (bytes < budget)
        {
            if (random.nextInt(20) == 0 && bytes + 2 <= budget)
            {
                text.append('é');
                bytes += 2;
            }
            else
            {
                text.append((char)('a' + random.nextInt(26)));
                bytes++;
            }
        }
        return text.toString();
    }

    private static void assertSameInput(final CommandEvent actual, final CommandEvent expected)
    {
        assertThat(actual.type).isEqualTo(expected.type);
        assertThat(actual.timestamp).isEqualTo(expected.timestamp);
        assertThat(actual.saleId).isEqualTo(expected.saleId);
        assertThat(actual.userId).isEqualTo(expected.userId);
        assertThat(actual.orderId).isEqualTo(expected.orderId);
        assertThat(actual.qty).isEqualTo(expected.qty);
        assertThat(actual.idempotencyKey).isEqualTo(expected.idempotencyKey);
        assertThat(actual.stock).isEqualTo(expected.stock);
        assertThat(actual.startsAt).isEqualTo(expected.startsAt);
        assertThat(actual.endsAt).isEqualTo(expected.endsAt);
        assertThat(actual.perUserLimit).isEqualTo(expected.perUserLimit);
        assertThat(actual.paymentWindowMillis).isEqualTo(expected.paymentWindowMillis);
        assertThat(actual.textAsString()).isEqualTo(expected.textAsString());
    }
}
