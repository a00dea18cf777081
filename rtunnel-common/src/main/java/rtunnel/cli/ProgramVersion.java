package rtunnel.cli;

/** The {@code --version} line: the program, its version from the jar manifest, and the Java running it. */
public final class ProgramVersion {

    /** What a program run from class files (a test, an IDE) calls its version: no jar, no manifest. */
    public static final String UNPACKAGED = "dev";

    private ProgramVersion() {
    }

    /** {@code rtunnel_server 0.5.0 (Java 17.0.15)}, with the version of the jar that holds {@code anchor}. */
    public static String line(String program, Class<?> anchor) {
        return program + " " + of(anchor) + " (Java " + System.getProperty("java.version") + ")";
    }

    /** The Implementation-Version in the manifest of the jar holding {@code anchor}, or {@link #UNPACKAGED}. */
    public static String of(Class<?> anchor) {
        String version = anchor.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? UNPACKAGED : version;
    }
}
