package rtunnel.auth;

import java.io.IOException;
import java.io.StringReader;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The PEM private keys {@code ssh-keygen -m PEM} and {@code -m PKCS8} write: BEGIN RSA / EC PRIVATE KEY
 * (optionally with Proc-Type: 4,ENCRYPTED), BEGIN PRIVATE KEY and BEGIN ENCRYPTED PRIVATE KEY. Decryption
 * uses a private BouncyCastle provider instance (never registered globally): the JDK lacks OpenSSL's KDF.
 */
final class PemKeyFormat {

    private PemKeyFormat() {
    }

    static AsymmetricKeyParameter read(PrivateKeyFile file, String text) throws IOException {
        Object pem;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            pem = parser.readObject();
        } catch (IOException | RuntimeException e) {
            // Bad Base64 or ASN.1 inside the armour; the message could quote key bytes, so drop it.
            throw file.failure("malformed PEM private key");
        }
        PrivateKeyInfo info;
        if (pem instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (pem instanceof PrivateKeyInfo plain) {
            info = plain;
        } else if (pem instanceof PEMEncryptedKeyPair encrypted) {
            info = decrypt(file, encrypted);
        } else if (pem instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            info = decrypt(file, encrypted);
        } else {
            throw file.failure("not a private key file");
        }
        try {
            return PrivateKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            throw file.failure("unsupported or malformed PEM private key");
        }
    }

    /** Traditional OpenSSL encryption (Proc-Type: 4,ENCRYPTED; DEK-Info: AES-128-CBC,...). */
    private static PrivateKeyInfo decrypt(PrivateKeyFile file, PEMEncryptedKeyPair encrypted) throws IOException {
        char[] passphrase = file.passphraseChars();
        try {
            return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                    .setProvider(new BouncyCastleProvider()).build(passphrase)).getPrivateKeyInfo();
        } catch (IOException | RuntimeException e) {
            if (e.getCause() instanceof NoSuchAlgorithmException) {
                throw file.failure(
                        "cannot decrypt: " + SshKeyType.quote(encrypted.getDekAlgName()) + " is not supported");
            }
            // CBC without a MAC: a wrong passphrase shows up as bad padding or as garbage ASN.1.
            throw file.wrongPassphrase();
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** PKCS#8 encryption (PBES2 with PBKDF2 and AES, as OpenSSL 3 writes it). */
    private static PrivateKeyInfo decrypt(PrivateKeyFile file, PKCS8EncryptedPrivateKeyInfo encrypted)
            throws IOException {
        char[] passphrase = file.passphraseChars();
        try {
            return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(new BouncyCastleProvider()).build(passphrase));
        } catch (OperatorCreationException e) {
            throw file.failure("cannot decrypt: unsupported PKCS#8 encryption");
        } catch (PKCSException | RuntimeException e) {
            if (e.getCause() instanceof OperatorCreationException) {
                throw file.failure("cannot decrypt: unsupported PKCS#8 encryption");
            }
            // CBC without a MAC: a wrong passphrase shows up as bad padding or as garbage ASN.1.
            throw file.wrongPassphrase();
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }
}
