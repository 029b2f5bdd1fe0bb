using System.Diagnostics;

namespace Lab.Bench;

/// <summary>Wall-clock milliseconds of repeated runs, after a few warm-up runs that are not counted.</summary>
public sealed class Sample(List<double> millis)
{
    public double Median => Percentile(0.5);
    public double P90 => Percentile(0.9);

    private double Percentile(double p)
    {
        var sorted = millis.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }

    public static Sample Measure(int runs, Action action)
    {
        for (int i = 0; i < 3; i++) action();
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return new Sample(times);
    }
}
