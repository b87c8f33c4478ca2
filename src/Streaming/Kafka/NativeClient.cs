using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Streams.Streaming.Kafka;

/// <summary>
/// A librdkafka producer handle made through librdkafka's C API itself, for the clients Confluent.Kafka does not
/// make (the embedded broker's host, the wire producer), bound to the library Confluent.Kafka uses.
/// </summary>
internal static unsafe class NativeClient
{
    private const int ProducerType = 0;
    private const int ErrorSize = 512;

    private static readonly delegate* unmanaged<IntPtr> ConfNewFn = (delegate* unmanaged<IntPtr>)LibrdkafkaNative.Export("rd_kafka_conf_new");
    private static readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, byte*, nuint, int> ConfSetFn =
        (delegate* unmanaged<IntPtr, IntPtr, IntPtr, byte*, nuint, int>)LibrdkafkaNative.Export("rd_kafka_conf_set");
    private static readonly delegate* unmanaged<IntPtr, void> ConfDestroyFn = (delegate* unmanaged<IntPtr, void>)LibrdkafkaNative.Export("rd_kafka_conf_destroy");
    private static readonly delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr> NewFn =
        (delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr>)LibrdkafkaNative.Export("rd_kafka_new");
    private static readonly delegate* unmanaged<IntPtr, void> DestroyFn = (delegate* unmanaged<IntPtr, void>)LibrdkafkaNative.Export("rd_kafka_destroy");

    /// <summary>
    /// Starts a producer with <paramref name="properties"/>; <paramref name="configure"/> may set callbacks on the
    /// configuration before it is handed over. <paramref name="what"/> names the client in errors.
    /// </summary>
    /// <exception cref="KafkaException">librdkafka refused a property or could not start.</exception>
    public static IntPtr CreateProducer(IEnumerable<KeyValuePair<string, string>> properties, string what, Action<IntPtr>? configure = null)
    {
        LibrdkafkaNative.Ensure();
        var conf = ConfNewFn();
        var error = stackalloc byte[ErrorSize];
        try
        {
            foreach (var (name, value) in properties)
            {
                Set(conf, name, value, error);
            }

            configure?.Invoke(conf);
        }
        catch
        {
            ConfDestroyFn(conf);
            throw;
        }

        // rd_kafka_new takes the configuration over on success only.
        var handle = NewFn(ProducerType, conf, error, ErrorSize);
        if (handle == IntPtr.Zero)
        {
            ConfDestroyFn(conf);
            throw new KafkaException(new Error(ErrorCode.Local_Fail, $"{what} did not start: {Utf8(error)}"));
        }

        return handle;
    }

    /// <summary>Destroys a handle <see cref="CreateProducer"/> made.</summary>
    public static void Destroy(IntPtr handle) => DestroyFn(handle);

    private static void Set(IntPtr conf, string name, string value, byte* error)
    {
        var n = Marshal.StringToCoTaskMemUTF8(name);
        var v = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            if (ConfSetFn(conf, n, v, error, ErrorSize) != 0)
            {
                throw new KafkaException(new Error(ErrorCode.Local_Fail, $"{name}={value}: {Utf8(error)}"));
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(n);
            Marshal.FreeCoTaskMem(v);
        }
    }

    private static string Utf8(byte* text) => Marshal.PtrToStringUTF8((IntPtr)text) ?? "";
}
