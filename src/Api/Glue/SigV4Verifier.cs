using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Streams.Catalog;

namespace Streams.Api.Glue;

/// <summary>
/// Verifies AWS Signature Version 4 on a request (AWS General Reference, "Signature Version 4 signing
/// process"): rebuilds the canonical request from the method, path, query, the signed headers and the
/// payload hash, derives the signing key from the secret of the access key named in the credential scope,
/// and compares signatures in constant time. The request time must be within 15 minutes of now.
/// </summary>
public sealed class SigV4Verifier(IReadOnlyDictionary<string, string> accessKeys, TimeProvider time)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <summary>True when access keys are configured, so requests must be signed.</summary>
    public bool IsEnabled => accessKeys.Count > 0;

    /// <summary>A refusal: the AWS error type and message.</summary>
    public sealed record Failure(string ErrorType, string Message);

    /// <summary>Checks the request's signature over <paramref name="body"/>; <c>null</c> when valid or when no access keys are configured.</summary>
    public Failure? Verify(HttpRequest request, ReadOnlySpan<byte> body)
    {
        if (accessKeys.Count == 0)
        {
            return null; // No keys configured: the API is open (development), signed or not.
        }

        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            return new("MissingAuthenticationTokenException", "Request is missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return new("IncompleteSignatureException", $"Authorization header must use {Algorithm}.");
        }

        var parts = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
        {
            return new("IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return new("IncompleteSignatureException", $"Credential '{credential}' is not access-key/date/region/service/aws4_request.");
        }

        if (!accessKeys.TryGetValue(scope[0], out var secret))
        {
            return new("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return new("IncompleteSignatureException", "X-Amz-Date header is missing or not yyyyMMddTHHmmssZ.");
        }

        if ((time.GetUtcNow() - signedAt).Duration() > MaxSkew)
        {
            return new("InvalidSignatureException", $"Signature expired or not yet valid: {amzDate} is more than 15 minutes from the server time.");
        }

        if (scope[1] != amzDate[..8])
        {
            return new("InvalidSignatureException", "The credential scope date does not match X-Amz-Date.");
        }

        var payloadHash = Hex(SHA256.HashData(body));
        var declaredHash = request.Headers["X-Amz-Content-Sha256"].ToString();
        if (declaredHash.Length > 0 && declaredHash != "UNSIGNED-PAYLOAD" && declaredHash != payloadHash)
        {
            return new("InvalidSignatureException", "X-Amz-Content-Sha256 does not match the request body.");
        }

        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(CanonicalPath(request.PathBase.Add(request.Path).ToUriComponent())).Append('\n')
            .Append(CanonicalQuery(request)).Append('\n');
        foreach (var name in signedHeaders.Split(';'))
        {
            var values = request.Headers[name].Select(v => CollapseSpaces(v ?? ""));
            canonical.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(declaredHash.Length > 0 ? declaredHash : payloadHash);
        var stringToSign = $"{Algorithm}\n{amzDate}\n{string.Join('/', scope[1..])}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), scope[1]);
        key = Hmac(Hmac(Hmac(key, scope[2]), scope[3]), "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : new("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    private static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        // Path segments are URI-encoded once (each segment decoded first, so an already-encoded path is not doubled).
        return string.Join('/', path.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))));
    }

    private static string CanonicalQuery(HttpRequest request) =>
        string.Join('&', request.Query
            .SelectMany(q => q.Value.Select(v => (Key: Uri.EscapeDataString(q.Key), Value: Uri.EscapeDataString(v ?? ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

    private static string CollapseSpaces(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
