package rtunnel.auth;

import java.math.BigInteger;

/** Numbers read out of fixture key blobs, for building keys the tests need. */
final class SshBlobs {

    private SshBlobs() {
    }

    /** The modulus of an ssh-rsa key blob. */
    static BigInteger rsaModulus(byte[] blob) {
        SshBlobReader reader = new SshBlobReader(blob);
        reader.readText();
        reader.readPositiveMpint();
        return reader.readPositiveMpint();
    }
}
