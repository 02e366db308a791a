package io.flashsale.http.limit;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest
{
    private static final InetAddress PROXY = ip("10.0.0.5");
    private static final InetAddress STRANGER = ip("198.51.100.7");

    private static InetAddress ip(final String literal)
    {
        return ClientAddress.literal(literal);
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored()
    {
        final ClientAddress none = ClientAddress.trusting(List.of());
        assertThat(none.of(PROXY, "203.0.113.9")).isEqualTo(PROXY);
    }

    @Test
    void fromATrustedProxyTheRightmostUntrustedHopIsTheClient()
    {
        final ClientAddress behindProxies = ClientAddress.trusting(List.of("10.0.0.0/8", "2001:db8::/32"));
        assertThat(behindProxies.of(PROXY, "203.0.113.9")).isEqualTo(ip("203.0.113.9"));
        // The client may write anything to the left; only what the trusted hops appended counts.
        assertThat(behindProxies.of(PROXY, "1.2.3.4, 203.0.113.9, 10.9.9.9")).isEqualTo(ip("203.0.113.9"));
        assertThat(behindProxies.of(PROXY, " 203.0.113.9 ,2001:db8::77")).isEqualTo(ip("203.0.113.9"));
        assertThat(behindProxies.of(PROXY, "fe80::1")).isEqualTo(ip("fe80::1"));
    }

    @Test
    void aPeerThatIsNotTrustedCannotChooseItsAddress()
    {
        final ClientAddress behindProxy = ClientAddress.trusting(List.of("10.0.0.5"));
        assertThat(behindProxy.of(STRANGER, "203.0.113.9")).isEqualTo(STRANGER);
    }

    @Test
    void aMissingMalformedOrAllProxyHeaderLeavesThePeer()
    {
        final ClientAddress behindProxy = ClientAddress.trusting(List.of("10.0.0.0/24"));
        assertThat(behindProxy.of(PROXY, null)).isEqualTo(PROXY);
        assertThat(behindProxy.of(PROXY, "")).isEqualTo(PROXY);
        assertThat(behindProxy.of(PROXY, "shop.example")).isEqualTo(PROXY);
        assertThat(behindProxy.of(PROXY, "203.0.113.9, not-an-ip")).isEqualTo(PROXY);
        assertThat(behindProxy.of(PROXY, "203.0.113.9:443")).isEqualTo(PROXY);
        assertThat(behindProxy.of(PROXY, "1.2.3")).isEqualTo(PROXY);
        assertThat(behindProxy.of(PROXY, "300.1.1.1")).isEqualTo(PROXY);
        assertThat(behindProxy.of(PROXY, "10.0.0.7, 10.0.0.8")).isEqualTo(PROXY);
    }

    @Test
    void blocksMatchByPrefixAndEntriesAreChecked()
    {
        final ClientAddress block = ClientAddress.trusting(List.of("192.168.4.0/22"));
        assertThat(block.of(ip("192.168.7.255"), "203.0.113.9")).isEqualTo(ip("203.0.113.9"));
        assertThat(block.of(ip("192.168.8.0"), "203.0.113.9")).isEqualTo(ip("192.168.8.0"));
        // Trusting every IPv4 address leaves no client to find in the header: the peer it is.
        assertThat(ClientAddress.trusting(List.of("0.0.0.0/0")).of(STRANGER, "203.0.113.9")).isEqualTo(STRANGER);
        assertThat(ClientAddress.trusting(List.of("0.0.0.0/0")).of(STRANGER, "2001:db8::5")).isEqualTo(ip("2001:db8::5"));

        assertThat(ClientAddress.problemWith("10.0.0.0/8")).isNull();
        assertThat(ClientAddress.problemWith("::1")).isNull();
        assertThat(ClientAddress.problemWith("10.0.0.0/33")).isNotNull();
        assertThat(ClientAddress.problemWith("proxy.internal")).isNotNull();
        assertThat(ClientAddress.problemWith("10.0.0.0/")).isNotNull();
        assertThatThrownBy(() -> ClientAddress.trusting(List.of("lb.local"))).hasMessageContaining("lb.local");
    }
}
