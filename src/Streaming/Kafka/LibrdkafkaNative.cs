using System.Runtime.InteropServices;

namespace Streams.Streaming.Kafka;

/// <summary>
/// Binds Confluent.Kafka's P/Invokes to the <c>centos8-librdkafka.so</c> that librdkafka.redist bundles.
/// That build links only libc; the generic bundled <c>librdkafka.so</c> needs <c>libsasl2.so.3</c>, which
/// Debian 12 lacks, and without this binding the runtime silently falls back to a system librdkafka of
/// another version, whose missing entry points fail only later (see README "Kafka client").
/// <see cref="Ensure"/> runs before any client is built: <see cref="KafkaClientFactory"/> and
/// <see cref="MockKafkaCluster"/> call it.
/// </summary>
public static class LibrdkafkaNative
{
    /// <summary>The bundled build that needs nothing but libc.</summary>
    public const string FileName = "centos8-librdkafka.so";

    private static readonly Lazy<(string Path, IntPtr Handle)> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The full path of the native library Confluent.Kafka is bound to.</summary>
    /// <exception cref="DllNotFoundException">The bundled library is not beside the application.</exception>
    public static string Path => Installed.Value.Path;

    /// <summary>Installs the binding once; later calls return at once.</summary>
    /// <exception cref="DllNotFoundException">The bundled library is not beside the application.</exception>
    public static void Ensure() => _ = Installed.Value;

    /// <summary>The version of the librdkafka in use, e.g. <c>2.16.0</c>.</summary>
    public static string Version
    {
        get
        {
            Ensure();
            return Confluent.Kafka.Library.VersionString;
        }
    }

    /// <summary>The address of <paramref name="name"/> in the bound library (for the calls Confluent.Kafka does not wrap).</summary>
    /// <exception cref="EntryPointNotFoundException">The library does not export it.</exception>
    internal static IntPtr Export(string name) => NativeLibrary.GetExport(Installed.Value.Handle, name);

    private static (string, IntPtr) Install()
    {
        var path = Locate();
        var handle = NativeLibrary.Load(path);
        // Confluent.Kafka declares its imports as "librdkafka", "centos8-librdkafka" and "alpine-librdkafka"
        // and picks a set by sniffing the OS: all of them go to the one library located above.
        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly,
            (name, _, _) => name.EndsWith("librdkafka", StringComparison.Ordinal) ? handle : IntPtr.Zero);
        return (path, handle);
    }

    private static string Locate()
    {
        // A framework-dependent build keeps the package's runtimes/ tree; a RID-specific publish flattens it.
        string[] candidates =
        [
            System.IO.Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", FileName),
            System.IO.Path.Combine(AppContext.BaseDirectory, FileName),
            System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(LibrdkafkaNative).Assembly.Location) ?? "",
                "runtimes", "linux-x64", "native", FileName),
        ];
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DllNotFoundException(
            $"librdkafka's bundled {FileName} is not beside the application (looked in {string.Join(", ", candidates)}). " +
            "It comes from the librdkafka.redist NuGet package: rebuild or republish Streams for linux-x64.");
    }
}
