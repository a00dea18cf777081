package rtunnel.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** The visitors a tunnel (or the whole server) admits, by {@code --allow-from} blocks; empty admits everyone. */
public record AllowList(List<AddressBlock> blocks) {

    /** Admits every visitor. */
    public static final AllowList ANYONE = new AllowList(List.of());

    /**
     * Blocks a tunnel may carry, at most: each visitor is checked against every one at accept, and a few
     * dozen networks cover any real office, VPN or CI range.
     */
    public static final int MAX_BLOCKS = 64;

    public AllowList {
        blocks = List.copyOf(blocks);
        if (blocks.size() > MAX_BLOCKS) {
            throw new IllegalArgumentException(blocks.size() + " --allow-from blocks, more than " + MAX_BLOCKS);
        }
    }

    /** Parses CIDR texts as {@code --allow-from} takes them. */
    public static AllowList parse(List<String> texts) {
        List<AddressBlock> blocks = new ArrayList<>();
        for (String text : texts) {
            blocks.add(AddressBlock.parse(text.strip()));
        }
        return new AllowList(blocks);
    }

    /** Whether {@code visitor} may come in. */
    public boolean admits(InetAddress visitor) {
        return blocks.isEmpty() || blocks.stream().anyMatch(block -> block.contains(visitor));
    }

    /** Whether this list admits everyone. */
    public boolean isOpen() {
        return blocks.isEmpty();
    }

    /** The blocks as the flag takes them, for the wire and the logs. */
    public List<String> texts() {
        return blocks.stream().map(AddressBlock::toString).toList();
    }
}
