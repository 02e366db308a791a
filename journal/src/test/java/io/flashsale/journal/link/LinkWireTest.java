package io.flashsale.journal.link;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkWireTest
{
    @Test
    void utf8IsWrittenWithoutAllocatingAndStopsBeforeACharacterThatWouldNotFit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final String text = "Café ☕ 𝄞!";
        final int length = LinkWire.putUtf8(buffer, 0, text, 64);
        final byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        assertThat(length).isEqualTo(expected.length);
        final byte[] written = new byte[length];
        buffer.getBytes(0, written);
        assertThat(written).isEqualTo(expected);

        // "Café" is 5 bytes; a limit of 4 keeps "Caf", never half of "é".
        assertThat(LinkWire.putUtf8(buffer, 0, "Café", 4)).isEqualTo(3);
    }

    @Test
    void aLinkRefusesAnMtuWhoseFrameCannotHoldTheLongestMessage()
    {
        final LinkServer.Config config = Links.server().mtu(256);
        assertThatThrownBy(() -> LinkServer.launch(config, new CoreRecorder(false)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("mtu 256");
    }
}
