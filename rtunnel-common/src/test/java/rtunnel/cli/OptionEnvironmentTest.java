package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionEnvironmentTest {

    @Test
    void theVariableIsThePrefixAndTheLongNameInCapitalsWithUnderscores() {
        assertEquals("RTUNNEL_CONTROL_ADDRESS", OptionEnvironment.variableFor("--control-address"));
        assertEquals("RTUNNEL_PRIVATE_KEY", OptionEnvironment.variableFor("--private-key"));
        assertEquals("RTUNNEL_LOG_LEVEL", OptionEnvironment.variableFor("--log-level"));
        assertEquals("RTUNNEL_JSON", OptionEnvironment.variableFor("--json"));
    }

    @Test
    void onlyLongOptionsHaveAVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptionEnvironment.variableFor("-c"));

        assertEquals("'-c' is not a long option", e.getMessage());
    }

    @Test
    void readsTheValueAsGiven() {
        OptionEnvironment environment = new OptionEnvironment(Map.of("RTUNNEL_TUNNEL_TO", "3000,localhost:3001"));

        assertEquals("3000,localhost:3001", environment.valueFor("--tunnel-to"));
        assertNull(environment.valueFor("--remote-listen-port"));
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        assertNull(new OptionEnvironment(Map.of("RTUNNEL_LOG_LEVEL", "")).valueFor("--log-level"));
    }

    @Test
    void reservedVariablesAreNeverReadAsOptions() {
        OptionEnvironment environment = new OptionEnvironment(Map.of("RTUNNEL_KEY_PASSPHRASE", "secret",
                "RTUNNEL_JAVA_OPTS", "-Xmx1g", "RTUNNEL_CLASSPATH", "x.jar"));

        assertNull(environment.valueFor("--key-passphrase"));
        assertNull(environment.valueFor("--java-opts"));
        assertNull(environment.valueFor("--classpath"));
    }

    @Test
    void aDollarBraceStaysLiteralThroughPicocli() {
        OptionEnvironment environment = new OptionEnvironment(Map.of("RTUNNEL_AGENT_KEY", "SHA256:${env:HOME}"));

        assertEquals("SHA256:$${env:HOME}", environment.defaultFor("--agent-key"));
        assertNull(OptionEnvironment.none().defaultFor("--agent-key"));
    }
}
