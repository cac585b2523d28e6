package org.entente.node;

import java.util.List;

/** Package internals that tests elsewhere need to see. */
public final class NodeTestAccess {
    private NodeTestAccess() {}

    public static List<String> demoFiles() {
        return List.of(Bootstrap.DEMO_FILES);
    }
}
