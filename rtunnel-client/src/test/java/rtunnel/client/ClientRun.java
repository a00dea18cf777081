package rtunnel.client;

import java.util.concurrent.CompletableFuture;

/** Runs a client on a daemon thread of its own, as its command would, for tests to watch. */
final class ClientRun {

    private ClientRun() {
    }

    /** Starts {@code client.run()}; the future completes when it returns, or with what it threw. */
    static CompletableFuture<Void> inBackground(TunnelService client) {
        CompletableFuture<Void> run = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                client.run();
                run.complete(null);
            } catch (Throwable e) {
                run.completeExceptionally(e);
            }
        }, "test-client");
        thread.setDaemon(true);
        thread.start();
        return run;
    }
}
