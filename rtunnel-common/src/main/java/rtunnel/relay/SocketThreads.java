package rtunnel.relay;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.concurrent.LinkedBlockingQueue;
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

    /**
     * The most platform threads one process starts (Java 17-20): two per tunnelled connection, so 8,192
     * connections. The whole machine holds about 32,768 threads ({@code /proc/sys/kernel/pid_max}); past this
     * a new connection is turned away instead of failing to create a thread deep inside the relay.
     */
    public static final int MAX_PLATFORM_THREADS = 16_384;

    /** An idle pooled thread ends after this: enough to serve a burst of connections, short enough to leave no trace. */
    private static final long IDLE_THREAD_SECONDS = 2;

    private final MethodHandle virtualBuilder;
    private final MethodHandle nameBuilder;
    private final MethodHandle unstarted;
    private final ThreadPoolExecutor platformPool;
    /** Creates platform threads for {@link #startSoon}, one at a time, so its callers never wait for it. */
    private final ThreadPoolExecutor starter;

    /** Uses virtual threads when the runtime offers them. */
    public SocketThreads() {
        this(true);
    }

    /** Uses virtual threads only when {@code preferVirtual} and the runtime offers them. */
    public SocketThreads(boolean preferVirtual) {
        this(preferVirtual, MAX_PLATFORM_THREADS);
    }

    /**
     * Uses virtual threads only when {@code preferVirtual} and the runtime offers them; otherwise at most
     * {@code maxPlatformThreads} platform threads at once.
     */
    public SocketThreads(boolean preferVirtual, int maxPlatformThreads) {
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
        this.platformPool = builder != null ? null : new ThreadPoolExecutor(0, maxPlatformThreads,
                IDLE_THREAD_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), SocketThreads::platform);
        this.starter = builder != null ? null : new ThreadPoolExecutor(0, 1, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), SocketThreads::platform);
    }

    /** Whether this runtime has virtual threads (Java 21+), which {@link #SocketThreads()} then uses. */
    public static boolean virtualAvailable() {
        try {
            Thread.class.getMethod("ofVirtual");
            return true;
        } catch (NoSuchMethodException e) {
            // Java 17-20.
            return false;
        }
    }

    /** Whether tasks started here run on virtual threads. */
    public boolean virtual() {
        return virtualBuilder != null;
    }

    /**
     * Starts {@code task} on a thread called {@code name}.
     *
     * @throws RejectedExecutionException when no thread can be started now: the platform-thread limit is
     *     reached, or the system refuses a new thread (a connection is then turned away, not the process)
     */
    public Worker start(String name, Runnable task) {
        Worker worker = new Worker();
        execute(name, () -> worker.run(name, task));
        return worker;
    }

    /**
     * Starts {@code task} on a thread called {@code name} without making the caller wait while a platform
     * thread is created: for a connection's reader, which must go on reading while a burst of new streams
     * asks for thousands of threads (creating one can take milliseconds on a loaded machine). When no
     * thread can be started, {@code onRejected} hears why, on some other thread, and the worker is done.
     */
    public Worker startSoon(String name, Runnable task, Consumer<String> onRejected) {
        Worker worker = new Worker();
        Runnable run = () -> worker.run(name, task);
        Runnable startOrReject = () -> {
            try {
                execute(name, run);
            } catch (RejectedExecutionException e) {
                worker.abandon();
                onRejected.accept(e.getMessage());
            }
        };
        if (platformPool == null) {
            startOrReject.run();
            return worker;
        }
        try {
            starter.execute(startOrReject);
        } catch (RejectedExecutionException | OutOfMemoryError e) {
            // Not even the starter could run: start here, paying the wait, rather than not at all.
            startOrReject.run();
        }
        return worker;
    }

    private void execute(String name, Runnable run) {
        try {
            if (platformPool != null) {
                platformPool.execute(run);
            } else {
                virtualThread(name, run).start();
            }
        } catch (RejectedExecutionException e) {
            throw new RejectedExecutionException("cannot start thread " + name + ": "
                    + platformPool.getMaximumPoolSize() + " threads busy");
        } catch (OutOfMemoryError e) {
            // "unable to create native thread": the system's thread limit, not the heap. This connection is
            // turned away; the thread that asked, and every other connection, goes on.
            throw new RejectedExecutionException("cannot start thread " + name + ": " + e.getMessage());
        }
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
