using System.Security.Cryptography;
using System.Text;

namespace Streams.Catalog.Store;

/// <summary>
/// Encrypts connection secrets with AES-256-GCM under the key configured as
/// <c>Streams:Catalog:SecretKey</c> (32 bytes, base64). Each value gets a fresh 12-byte nonce; the
/// connection name is authenticated with it so that a ciphertext cannot be moved to another connection.
/// </summary>
public sealed class SecretProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[]? _key;

    /// <summary>Creates a protector; <paramref name="base64Key"/> may be empty, in which case storing a secret fails.</summary>
    /// <exception cref="InvalidOperationException">The key is not 32 bytes of base64.</exception>
    public SecretProtector(string? base64Key)
    {
        if (string.IsNullOrEmpty(base64Key))
        {
            return;
        }

        try
        {
            _key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("Streams:Catalog:SecretKey is not valid base64.", e);
        }

        if (_key.Length != 32)
        {
            throw new InvalidOperationException(
                $"Streams:Catalog:SecretKey must be 32 bytes (AES-256) in base64; it is {_key.Length} bytes.");
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/> bound to <paramref name="context"/>: nonce, tag, ciphertext.</summary>
    /// <exception cref="GlueEncryptionException">No key is configured.</exception>
    public byte[] Protect(string plaintext, string context)
    {
        var key = RequireKey();
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize),
            Encoding.UTF8.GetBytes(context));
        return output;
    }

    /// <summary>Decrypts what <see cref="Protect"/> produced for the same <paramref name="context"/>.</summary>
    /// <exception cref="GlueEncryptionException">No key is configured, or the data was tampered with or encrypted under another key.</exception>
    public string Unprotect(byte[] protectedData, string context)
    {
        var key = RequireKey();
        if (protectedData.Length < NonceSize + TagSize)
        {
            throw new GlueEncryptionException($"The protected secret of '{context}' is truncated.");
        }

        var plaintext = new byte[protectedData.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(protectedData.AsSpan(0, NonceSize), protectedData.AsSpan(NonceSize + TagSize),
                protectedData.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(context));
        }
        catch (CryptographicException e)
        {
            throw new GlueEncryptionException(
                $"The secrets of '{context}' cannot be decrypted: they were encrypted under another Streams:Catalog:SecretKey or altered ({e.Message}).");
        }

        return Encoding.UTF8.GetString(plaintext);
    }

    private byte[] RequireKey() => _key ?? throw new GlueEncryptionException(
        "Connection secrets need an encryption key: set Streams:Catalog:SecretKey (environment variable " +
        "STREAMS__CATALOG__SECRETKEY) to 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`.");
}
