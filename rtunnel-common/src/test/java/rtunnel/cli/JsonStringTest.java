package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonStringTest {

    @Test
    void plainAsciiIsOnlyQuoted() {
        assertEquals("\"host:4000 -> localhost:3000/x\"", JsonString.quote("host:4000 -> localhost:3000/x"));
        assertEquals("\"\"", JsonString.quote(""));
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertEquals("\"say \\\"hi\\\" to C:\\\\temp\"", JsonString.quote("say \"hi\" to C:\\temp"));
    }

    @Test
    void controlCharactersUseTheShortEscapesWhereJsonHasThem() {
        assertEquals("\"\\b\\f\\n\\r\\t\"", JsonString.quote("\b\f\n\r\t"));
    }

    @Test
    void otherControlCharactersAndDeleteAreUnicodeEscapes() {
        assertEquals("\"\\u0000\\u0001\\u001b[31m\\u001f\\u007f\"",
                JsonString.quote("\u0000\u0001\u001b[31m\u001f\u007f"));
    }

    @Test
    void nonAsciiIsWrittenAsEscapesSoTheLineIsAscii() {
        assertEquals("\"caf\\u00e9 \\u2192 \\u4e2d \\u2028\"", JsonString.quote("café → 中 \u2028"));
    }

    @Test
    void aCharacterBeyondTheBasicPlaneIsItsSurrogatePair() {
        assertEquals("\"\\ud83d\\ude00\"", JsonString.quote("\uD83D\uDE00"));
    }

    @Test
    void nullIsTheJsonLiteral() {
        assertEquals("null", JsonString.quote(null));
    }

    @Test
    void anEventListsItsNameFirstAndItsFieldsInOrder() {
        String line = JsonEvent.named("reconnecting").with("attempt", 2).with("delayMillis", 1500L)
                .with("reason", "connection \"lost\"").with("missing", null).toString();

        assertEquals("{\"event\":\"reconnecting\",\"attempt\":2,\"delayMillis\":1500,"
                + "\"reason\":\"connection \\\"lost\\\"\",\"missing\":null}", line);
    }
}
