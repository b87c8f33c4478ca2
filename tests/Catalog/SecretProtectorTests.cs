using Streams.Catalog.Model;
using Streams.Catalog.Store;

namespace Streams.Catalog.Tests;

public sealed class SecretProtectorTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    [Fact]
    public void Round_trips_and_binds_the_ciphertext_to_its_connection()
    {
        var protector = new SecretProtector(Key);
        var sealedSecret = protector.Protect("hunter2", "pg");
        protector.Unprotect(sealedSecret, "pg").Should().Be("hunter2");
        var moved = () => protector.Unprotect(sealedSecret, "other");
        moved.Should().Throw<GlueEncryptionException>().WithMessage("*'other'*cannot be decrypted*");
        var otherKey = () => new SecretProtector(Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray())).Unprotect(sealedSecret, "pg");
        otherKey.Should().Throw<GlueEncryptionException>();
    }

    [Fact]
    public void Storing_a_secret_without_a_key_fails_clearly()
    {
        var act = () => new SecretProtector(null).Protect("hunter2", "pg");
        act.Should().Throw<GlueEncryptionException>().WithMessage("*Streams:Catalog:SecretKey*");
        ConnectionSecrets.IsSecret("PASSWORD").Should().BeTrue();
        ConnectionSecrets.IsSecret("AWS_SECRET_ACCESS_KEY").Should().BeTrue();
        ConnectionSecrets.IsSecret("USERNAME").Should().BeFalse();
    }

    [Fact]
    public void A_key_of_the_wrong_size_is_refused()
    {
        var act = () => new SecretProtector(Convert.ToBase64String(new byte[16]));
        act.Should().Throw<InvalidOperationException>().WithMessage("*32 bytes*16 bytes*");
    }
}
