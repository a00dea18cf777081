package rtunnel.relay;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts the tasks that serve sockets: on virtual threads when the runtime has them (Java 21+), so ten
 * thousand connections fit; otherwise on pooled platform threads with a small stack, since creating two
 * platform threads per connection would cap the rate of new connections. The build targets Java 17, so the
 * virtual-thread builder is found at run time.
 */
public final class SocketThreads {

    /**
     * Stack for platform threads on Java 17: the pumps' call depth is shallow (socket I/O and a lock), and
     * the default 1-8 MiB reservation would cap the connection count long before memory runs out.
     */
    private static final long PLATFORM_STACK_BYTES = 256 * 1024;

    /** An idle pooled thread ends after this: enough to serve a burst of connections, short enough to leave no trace. */
    private static final long IDLE_THREAD_SECONDS = 2;

    private final MethodHandle virtualBuilder;
    private final MethodHandle nameBuilder;
    private final MethodHandle unstarted;
    private final ExecutorService platformPool;

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
                // Java 17-20: no virtual threads; pooled platform threads below.
                builder = null;
            }
        }
        this.virtualBuilder = builder;
        this.nameBuilder = name;
        this.unstarted = create;
        this.platformPool = builder != null ? null : new ThreadPoolExecutor(0, Integer.MAX_VALUE,
                IDLE_THREAD_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), SocketThreads::platform);
    }

    /** Whether tasks started here run on virtual threads. */
    public boolean virtual() {
        return virtualBuilder != null;
    }

    /** Starts {@code task} on a thread called {@code name}. */
    public Worker start(String name, Runnable task) {
        Worker worker = new Worker();
        Runnable run = () -> worker.run(name, task);
        if (platformPool != null) {
            platformPool.execute(run);
        } else {
            virtualThread(name, run).start();
        }
        return worker;
    }

    private static Thread platform(Runnable task) {
        Thread thread = new Thread(null, task, "rtunnel-idle", PLATFORM_STACK_BYTES);
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
