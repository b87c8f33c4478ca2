using System.Diagnostics;

namespace Streams.Benchmarks;

/// <summary>Accumulated wall-clock and process CPU seconds over measured sections.</summary>
internal sealed class Measure
{
    private readonly Stopwatch _watch = new();
    private TimeSpan _cpuStart;
    private double _cpu;
    private double _fixedWall;

    /// <summary>Wall-clock seconds inside measured sections.</summary>
    public double Wall => _watch.Elapsed.TotalSeconds + _fixedWall;

    /// <summary>Process CPU seconds (all threads) inside measured sections.</summary>
    public double Cpu => _cpu;

    /// <summary>A measure taken elsewhere (by a reference implementation), in milliseconds.</summary>
    public static Measure Of(double wallMs, double cpuMs) => new() { _fixedWall = wallMs / 1000, _cpu = cpuMs / 1000 };

    public void Start()
    {
        _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        _watch.Start();
    }

    public void Stop()
    {
        _watch.Stop();
        _cpu += (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;
    }

    public override string ToString() => $"{Wall:F2} s wall, {Cpu:F2} s cpu";
}
