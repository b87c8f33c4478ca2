using System.Globalization;

namespace Streams.Registry;

/// <summary>A version in a request path: a number from 1 to 2^31-1, or <c>latest</c> (also spelled <c>-1</c>).</summary>
public readonly record struct VersionSpec
{
    private VersionSpec(int? number) => Number = number;

    /// <summary>The latest version.</summary>
    public static VersionSpec Latest => default;

    /// <summary>The version number, or <c>null</c> for the latest.</summary>
    public int? Number { get; }

    /// <summary>True for <see cref="Latest"/>.</summary>
    public bool IsLatest => Number is null;

    /// <summary>A specific version.</summary>
    public static VersionSpec Of(int number) =>
        number > 0 ? new VersionSpec(number) : throw SchemaRegistryException.InvalidVersion(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Parses a path segment or fails with error 42202.</summary>
    public static VersionSpec Parse(string text)
    {
        if (string.Equals(text, "latest", StringComparison.OrdinalIgnoreCase) || text == "-1")
        {
            return Latest;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? new VersionSpec(number)
            : throw SchemaRegistryException.InvalidVersion(text);
    }

    /// <inheritdoc />
    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? "latest";
}
