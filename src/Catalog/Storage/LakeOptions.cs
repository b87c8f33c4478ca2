namespace Streams.Catalog.Storage;

/// <summary>Where the lake lives: a local directory or an S3 bucket (any S3-compatible endpoint).</summary>
public sealed class LakeOptions
{
    /// <summary>
    /// The lake root: a local directory path, or <c>s3://bucket/prefix</c>. Paths outside the configured
    /// roots are refused.
    /// </summary>
    public string Root { get; set; } = "";

    /// <summary>S3 settings, used when <see cref="Root"/> is an <c>s3://</c> URI.</summary>
    public S3Options S3 { get; set; } = new();
}

/// <summary>S3 endpoint and credentials.</summary>
public sealed class S3Options
{
    /// <summary>The endpoint, e.g. <c>http://minio:9000</c>; empty for AWS itself.</summary>
    public string ServiceUrl { get; set; } = "";

    /// <summary>The AWS region.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The access key id; empty to use the SDK's default credential chain.</summary>
    public string AccessKey { get; set; } = "";

    /// <summary>The secret access key.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which MinIO and s3rver need.</summary>
    public bool ForcePathStyle { get; set; } = true;
}
