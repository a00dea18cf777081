package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class LogLevelTest {

    @Test
    void parsesTheLevelInAnyCase() {
        assertEquals(LogLevel.WARN, LogLevel.parse("warn"));
        assertEquals(LogLevel.DEBUG, LogLevel.parse("DEBUG"));
    }

    @Test
    void anUnknownLevelNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogLevel.parse("loud"));

        assertEquals("'loud' is not one of debug, info, warn, error", e.getMessage());
    }

    @Test
    void setsTheLevelAndTheLineFormatForSlf4jSimple() {
        Properties properties = new Properties();

        LogLevel.INFO.applyTo(properties);

        assertEquals("info", properties.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
        assertEquals("true", properties.getProperty("org.slf4j.simpleLogger.showDateTime"));
        assertEquals("yyyy-MM-dd'T'HH:mm:ss.SSSZ", properties.getProperty("org.slf4j.simpleLogger.dateTimeFormat"));
        assertEquals("true", properties.getProperty("org.slf4j.simpleLogger.showThreadName"));
        assertEquals("System.err", properties.getProperty("org.slf4j.simpleLogger.logFile"));
        assertEquals("true", properties.getProperty("org.slf4j.simpleLogger.levelInBrackets"));
    }

    @Test
    void theLevelOverridesButAFormatGivenWithDashDStays() {
        Properties properties = new Properties();
        properties.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "trace");
        properties.setProperty("org.slf4j.simpleLogger.showDateTime", "false");

        LogLevel.ERROR.applyTo(properties);

        assertEquals("error", properties.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
        assertEquals("false", properties.getProperty("org.slf4j.simpleLogger.showDateTime"));
    }
}
