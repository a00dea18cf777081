package rtunnel.server;

import java.security.PublicKey;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.AuthorizedKey;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.SshPublicKey;
import rtunnel.protocol.RefusedException;

/**
 * Whether an ssh client's key may sign in: the same admission as rtunnel clients (the {@code -a} file as
 * loaded now, or anyone on an open server), with the same limits on the key itself. The user name is ignored.
 */
final class SshKeys implements PublickeyAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(SshKeys.class);

    private final ClientAdmission admission;

    SshKeys(ClientAdmission admission) {
        this.admission = admission;
    }

    @Override
    public boolean authenticate(String username, PublicKey offered, ServerSession session) {
        SshSession client = SshSession.of(session);
        try {
            ByteArrayBuffer blob = new ByteArrayBuffer();
            blob.putRawPublicKey(offered);
            SshPublicKey key = admission.keyToVerify(blob.getCompactData());
            AuthorizedKey line = admission.admit(key);
            client.authenticated(key, line);
            return true;
        } catch (RefusedException e) {
            log.warn("ssh client {}: refused key: {}", client.client(), e.reason());
            return false;
        } catch (RuntimeException e) {
            log.warn("ssh client {}: unusable key: {}", client.client(), e.getMessage());
            return false;
        }
    }
}
