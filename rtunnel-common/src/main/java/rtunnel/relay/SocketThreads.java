package rtunnel.relay;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Starts the threads that serve sockets: virtual threads when the runtime has them (Java 21+), so ten
 * thousand connections fit; otherwise platform threads with a small stack. The build targets Java 17, so
 * the virtual-thread builder is found at run time.
 */
public final class SocketThreads {

    /**
     * Stack for platform threads on Java 17: the pumps' call depth is shallow (socket I/O and a lock), and
     * the default 1-8 MiB reservation would cap the connection count long before memory runs out.
     */
    private static final long PLATFORM_STACK_BYTES = 256 * 1024;

    private final MethodHandle virtualBuilder;
    private final MethodHandle nameBuilder;
    private final MethodHandle unstarted;

    /** Uses virtual threads when the runtime offers them. */
    public SocketThreads() {
        this(true);
    }

    /** Uses virtual threads only when {@code preferVirtual} and the runtime offers them. */
    public SocketThreads(boolean preferVirtual) {
        MethodHandle builder = null;
        MethodHandle name = null;
        MethodHandle create = null;
        if (preferVirtual) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> builderType = Class.forName("java.lang.Thread$Builder");
                builder = lookup.findStatic(Thread.class, "ofVirtual",
                        MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
                name = lookup.findVirtual(builderType, "name", MethodType.methodType(builderType, String.class));
                create = lookup.findVirtual(builderType, "unstarted",
                        MethodType.methodType(Thread.class, Runnable.class));
            } catch (ReflectiveOperationException e) {
                // Java 17-20: no virtual threads; platform threads below.
                builder = null;
            }
        }
        this.virtualBuilder = builder;
        this.nameBuilder = name;
        this.unstarted = create;
    }

    /** Whether threads started here are virtual. */
    public boolean virtual() {
        return virtualBuilder != null;
    }

    /** Starts {@code task} on a new thread called {@code name}. */
    public Thread start(String name, Runnable task) {
        Thread thread = virtualBuilder == null ? platform(name, task) : virtualThread(name, task);
        thread.start();
        return thread;
    }

    private static Thread platform(String name, Runnable task) {
        Thread thread = new Thread(null, task, name, PLATFORM_STACK_BYTES);
        thread.setDaemon(true);
        return thread;
    }

    private Thread virtualThread(String name, Runnable task) {
        try {
            Object builder = virtualBuilder.invoke();
            builder = nameBuilder.invoke(builder, name);
            return (Thread) unstarted.invoke(builder, task);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create a virtual thread", e);
        }
    }
}
