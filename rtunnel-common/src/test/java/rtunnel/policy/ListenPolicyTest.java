package rtunnel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListenPolicyTest {

    private static final PortRange SERVER = new PortRange(4000, 4999);

    @Test
    void withoutPermitsTheServerRangeAppliesOnAnyHost() {
        ListenPolicy policy = ListenPolicy.of(SERVER);

        assertTrue(policy.allows("", 4000));
        assertTrue(policy.allows("127.0.0.1", 4999));
        assertTrue(policy.allows("", 0));
        assertFalse(policy.allows("", 5000));
        assertEquals("outside 4000-4999", policy.whyRefused("", 5000));
    }

    @Test
    void aHostlessPermitNarrowsOnlyThePorts() {
        ListenPolicy policy = policy("4100", "*:4200-4209");

        assertTrue(policy.allows("", 4100));
        assertTrue(policy.allows("192.0.2.1", 4205));
        assertFalse(policy.allows("", 4101));
        assertEquals("outside 4100, 4200-4209", policy.whyRefused("", 4101));
    }

    @Test
    void aPermitWithAHostAllowsItsPortOnlyThere() {
        ListenPolicy policy = policy("localhost:4000");

        assertTrue(policy.allows("localhost", 4000));
        assertTrue(policy.allows("127.0.0.1", 4000));
        assertTrue(policy.allows("::1", 4000));
        assertFalse(policy.allows("", 4000));
        assertFalse(policy.allows("192.0.2.1", 4000));
        assertEquals("host 0.0.0.0 is not permitted for this key (permitlisten localhost:4000)",
                policy.whyRefused("", 4000));
        assertEquals("host 192.0.2.1 is not permitted for this key (permitlisten localhost:4000)",
                policy.whyRefused("192.0.2.1", 4999));
        assertEquals("outside 4000", policy.whyRefused("127.0.0.1", 4001));
    }

    @Test
    void anyEntryAllowingBothHostAndPortIsEnough() {
        ListenPolicy policy = policy("127.0.0.1:4000", "10.0.0.*:4001", "4002");

        assertTrue(policy.allows("127.0.0.1", 4000));
        assertTrue(policy.allows("10.0.0.7", 4001));
        assertTrue(policy.allows("", 4002));
        assertTrue(policy.allows("127.0.0.1", 4002));
        assertFalse(policy.allows("10.0.0.7", 4000));
        assertEquals("host 10.0.0.7 is not permitted for this key (permitlisten 127.0.0.1:4000)",
                policy.whyRefused("10.0.0.7", 4000));
        assertEquals("outside 4001, 4002", policy.whyRefused("10.0.0.7", 4003));
    }

    @Test
    void theServerRangeStillAppliesOnTop() {
        ListenPolicy policy = policy("localhost:*");

        assertTrue(policy.allows("localhost", 4500));
        assertFalse(policy.allows("localhost", 80));
        assertEquals("outside 4000-4999", policy.whyRefused("localhost", 80));
        assertEquals("host 0.0.0.0 is not permitted for this key (permitlisten localhost:*)", policy.whyRefused("", 80));
    }

    @Test
    void portZeroPicksAmongTheEntriesWhoseHostMatches() {
        ListenPolicy policy = policy("127.0.0.1:4100-4109", "4900", "127.0.0.1:80");

        assertEquals("4100-4109, 4900", policy.portsFor("localhost").toString());
        assertEquals("4900", policy.portsFor("").toString());
        assertTrue(policy.allows("", 0));
        assertTrue(policy.allows("127.0.0.1", 0));
    }

    @Test
    void portZeroIsRefusedWhenTheHostLeavesNoPort() {
        ListenPolicy wrongHost = policy("127.0.0.1:4100");
        assertFalse(wrongHost.allows("", 0));
        assertEquals("host 0.0.0.0 is not permitted for this key (permitlisten 127.0.0.1:4100)", wrongHost.whyRefused("", 0));

        ListenPolicy outsideTheServer = policy("127.0.0.1:80", "8080");
        assertFalse(outsideTheServer.allows("127.0.0.1", 0));
        assertEquals("permitlisten 127.0.0.1:80, 8080 leaves no port in 4000-4999",
                outsideTheServer.whyRefused("127.0.0.1", 0));
        assertEquals("permitlisten 127.0.0.1:80, 8080 leaves no port in 4000-4999",
                outsideTheServer.whyRefused("127.0.0.1", 4000));
    }

    @Test
    void everyPortEverywhereLeavesPortZeroToTheSystem() {
        assertTrue(new ListenPolicy(PortRange.ALL, List.of(ListenPermit.parse("*"))).portsFor("").isEverything());
        assertFalse(new ListenPolicy(PortRange.ALL, List.of(ListenPermit.parse("localhost:*"))).portsFor("").isEverything());
        assertTrue(new ListenPolicy(PortRange.ALL, List.of(ListenPermit.parse("localhost:*"))).portsFor("localhost").isEverything());
    }

    @Test
    void theExampleInSecurityMdRefusesAsItSays() {
        ListenPolicy policy = new ListenPolicy(PortRange.ALL,
                List.of(ListenPermit.parse("localhost:8080"), ListenPermit.parse("4100-4199")));

        assertTrue(policy.allows("localhost", 8080));
        assertTrue(policy.allows("127.0.0.1", 8080));
        assertTrue(policy.allows("", 4150));
        assertEquals("host 0.0.0.0 is not permitted for this key (permitlisten localhost:8080)", policy.whyRefused("", 8080));
        assertEquals("outside 4100-4199", policy.whyRefused("", 4200));
        assertEquals("outside 8080, 4100-4199", policy.whyRefused("localhost", 4200));
        assertEquals("4100-4199", policy.portsFor("").toString());
        assertEquals("8080, 4100-4199", policy.portsFor("localhost").toString());
        assertEquals("permitlisten localhost:8080 leaves no port in 4000-4999",
                policy("localhost:8080").whyRefused("localhost", 0));
    }

    private static ListenPolicy policy(String... permits) {
        return new ListenPolicy(SERVER, List.of(permits).stream().map(ListenPermit::parse).toList());
    }
}
