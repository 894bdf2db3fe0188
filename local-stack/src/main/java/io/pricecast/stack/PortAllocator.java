package io.pricecast.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Hands out distinct free loopback ports, for test stacks that must not collide with anything. */
public final class PortAllocator {

    private final Set<Integer> given = new HashSet<>();

    /** @return a port that was free on 127.0.0.1 a moment ago and not handed out before by this allocator */
    public synchronized int next() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (given.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free loopback port", e);
            }
        }
    }
}
