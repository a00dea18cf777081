package rtunnel.protocol;

/** Text a peer chose (reasons, names), made safe to put in a log line or an error message. */
public final class PeerText {

    /** Longer peer text is cut: a reason needs a sentence, and a log line should stay one line. */
    static final int MAX_LENGTH = 200;

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private PeerText() {
    }

    /** {@code text} with control characters escaped, cut to {@link #MAX_LENGTH} characters. */
    public static String safe(String text) {
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8);
        for (int i = 0; i < text.length() && safe.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                // By hand, not String.format: a peer chooses how many there are, and a Formatter costs
                // kilobytes each (PeerTextTest).
                safe.append("\\x").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xF]);
            } else {
                safe.append(c);
            }
        }
        return safe.length() < text.length() && safe.length() >= MAX_LENGTH ? safe + "..." : safe.toString();
    }
}
